"""TODO(helper): placeholder views, replaced by the helper that owns this module."""

from django.http import HttpResponse


def run_add(request, pk=None):  # placeholder
    return HttpResponse("todo", status=501)


def run_detail(request, pk=None):  # placeholder
    return HttpResponse("todo", status=501)


def run_notify(request, pk=None):  # placeholder
    return HttpResponse("todo", status=501)


def run_cancel(request, pk=None):  # placeholder
    return HttpResponse("todo", status=501)


def run_download(request, pk=None):  # placeholder
    return HttpResponse("todo", status=501)


