"""TODO(helper): placeholder views, replaced by the helper that owns this module."""

from django.http import HttpResponse


def my_policies(request, pk=None):  # placeholder
    return HttpResponse("todo", status=501)


def award_confirm(request, pk=None):  # placeholder
    return HttpResponse("todo", status=501)


def award_decline(request, pk=None):  # placeholder
    return HttpResponse("todo", status=501)


