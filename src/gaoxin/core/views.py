"""PENDING: stub views, replaced as the pages are built."""
from django.http import HttpResponse


def audit_log(request, *args, **kwargs):
    return HttpResponse('audit_log')


def security_log(request, *args, **kwargs):
    return HttpResponse('security_log')


def calendar_list(request, *args, **kwargs):
    return HttpResponse('calendar_list')


def calendar_edit(request, *args, **kwargs):
    return HttpResponse('calendar_edit')


def home(request, *args, **kwargs):
    return HttpResponse('home')


def bad_request(request, *args, **kwargs):
    return HttpResponse('bad_request')


def permission_denied(request, *args, **kwargs):
    return HttpResponse('permission_denied')


def page_not_found(request, *args, **kwargs):
    return HttpResponse('page_not_found')


def server_error(request, *args, **kwargs):
    return HttpResponse('server_error')

