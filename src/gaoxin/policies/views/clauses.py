"""TODO(helper): placeholder views, replaced by the helper that owns this module."""

from django.http import HttpResponse


def clause_add(request, pk=None):  # placeholder
    return HttpResponse("todo", status=501)


def clause_edit(request, pk=None):  # placeholder
    return HttpResponse("todo", status=501)


def clause_delete(request, pk=None):  # placeholder
    return HttpResponse("todo", status=501)


def clause_preview(request, pk=None):  # placeholder
    return HttpResponse("todo", status=501)


