"""PENDING: temporary views, replaced as the pages are built."""
from django.http import HttpResponse


def enterprise_list(request, *args, **kwargs):
    return HttpResponse("enterprise_list")


def enterprise_add(request, *args, **kwargs):
    return HttpResponse("enterprise_add")


def enterprise_detail(request, *args, **kwargs):
    return HttpResponse("enterprise_detail")


def enterprise_edit(request, *args, **kwargs):
    return HttpResponse("enterprise_edit")


def enterprise_delete(request, *args, **kwargs):
    return HttpResponse("enterprise_delete")

