"""TODO(helper): placeholder views, replaced by the helper that owns this module."""

from django.http import HttpResponse


def facts_table(request, pk=None):  # placeholder
    return HttpResponse("todo", status=501)


def facts_download(request, pk=None):  # placeholder
    return HttpResponse("todo", status=501)


