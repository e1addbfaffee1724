"""PENDING: temporary views, replaced as the pages are built."""
from django.http import HttpResponse


def calendar_list(request, *args, **kwargs):
    return HttpResponse("calendar_list")


def calendar_edit(request, *args, **kwargs):
    return HttpResponse("calendar_edit")

