"""TODO(helper): placeholder views, replaced by the helper that owns this module."""

from django.http import HttpResponse


def institution_list(request, pk=None):  # placeholder
    return HttpResponse("todo", status=501)


def institution_add(request, pk=None):  # placeholder
    return HttpResponse("todo", status=501)


def institution_edit(request, pk=None):  # placeholder
    return HttpResponse("todo", status=501)


def institution_delete(request, pk=None):  # placeholder
    return HttpResponse("todo", status=501)


