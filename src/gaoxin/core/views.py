"""PENDING: temporary views, replaced as the pages are built."""
from django.http import HttpResponse


def home(request, *args, **kwargs):
    return HttpResponse("home")


def bad_request(request, *args, **kwargs):
    return HttpResponse("bad_request")


def permission_denied(request, *args, **kwargs):
    return HttpResponse("permission_denied")


def page_not_found(request, *args, **kwargs):
    return HttpResponse("page_not_found")


def server_error(request, *args, **kwargs):
    return HttpResponse("server_error")

