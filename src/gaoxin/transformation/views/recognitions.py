"""TODO(helper): placeholder views, replaced by the helper that owns this module."""

from django.http import HttpResponse


def recognition_list(request, pk=None):  # placeholder
    return HttpResponse("todo", status=501)


def recognition_add(request, pk=None):  # placeholder
    return HttpResponse("todo", status=501)


def recognition_edit(request, pk=None):  # placeholder
    return HttpResponse("todo", status=501)


def recognition_delete(request, pk=None):  # placeholder
    return HttpResponse("todo", status=501)


