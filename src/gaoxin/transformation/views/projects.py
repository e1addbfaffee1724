"""TODO(helper): placeholder views, replaced by the helper that owns this module."""

from django.http import HttpResponse


def project_list(request, pk=None):  # placeholder
    return HttpResponse("todo", status=501)


def project_add(request, pk=None):  # placeholder
    return HttpResponse("todo", status=501)


def project_detail(request, pk=None):  # placeholder
    return HttpResponse("todo", status=501)


def project_edit(request, pk=None):  # placeholder
    return HttpResponse("todo", status=501)


def project_delete(request, pk=None):  # placeholder
    return HttpResponse("todo", status=501)


