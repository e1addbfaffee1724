"""TODO(helper): placeholder views, replaced by the helper that owns this module."""

from django.http import HttpResponse


def policy_list(request, pk=None):  # placeholder
    return HttpResponse("todo", status=501)


def policy_add(request, pk=None):  # placeholder
    return HttpResponse("todo", status=501)


def policy_detail(request, pk=None):  # placeholder
    return HttpResponse("todo", status=501)


def policy_edit(request, pk=None):  # placeholder
    return HttpResponse("todo", status=501)


def policy_delete(request, pk=None):  # placeholder
    return HttpResponse("todo", status=501)


def policy_rules_download(request, pk=None):  # placeholder
    return HttpResponse("todo", status=501)


