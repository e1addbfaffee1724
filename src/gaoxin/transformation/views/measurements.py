"""TODO(helper): placeholder views, replaced by the helper that owns this module."""

from django.http import HttpResponse


def measurement_add(request, pk=None):  # placeholder
    return HttpResponse("todo", status=501)


def measurement_edit(request, pk=None):  # placeholder
    return HttpResponse("todo", status=501)


def measurement_delete(request, pk=None):  # placeholder
    return HttpResponse("todo", status=501)


