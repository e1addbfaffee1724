"""TODO(helper): placeholder views, replaced by the helper that owns this module."""

from django.http import HttpResponse


def application_add(request, pk=None):  # placeholder
    return HttpResponse("todo", status=501)


def application_list(request, pk=None):  # placeholder
    return HttpResponse("todo", status=501)


def application_detail(request, pk=None):  # placeholder
    return HttpResponse("todo", status=501)


def application_review(request, pk=None):  # placeholder
    return HttpResponse("todo", status=501)


def application_resubmit(request, pk=None):  # placeholder
    return HttpResponse("todo", status=501)


def evidence_download(request, pk=None):  # placeholder
    return HttpResponse("todo", status=501)


