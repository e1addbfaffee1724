"""TODO(helper): placeholder views, replaced by the helper that owns this module."""

from django.http import HttpResponse


def publicity_add(request, pk=None):  # placeholder
    return HttpResponse("todo", status=501)


def publicity_detail(request, pk=None):  # placeholder
    return HttpResponse("todo", status=501)


def publicity_archive(request, pk=None):  # placeholder
    return HttpResponse("todo", status=501)


def publicity_download(request, pk=None):  # placeholder
    return HttpResponse("todo", status=501)


