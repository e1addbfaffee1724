"""PENDING: temporary views, replaced as the pages are built."""
from django.http import HttpResponse


def audit_log(request, *args, **kwargs):
    return HttpResponse("audit_log")


def security_log(request, *args, **kwargs):
    return HttpResponse("security_log")

