"""PENDING: stub views, replaced as the pages are built."""
from django.http import HttpResponse


def login_view(request, *args, **kwargs):
    return HttpResponse('login_view')


def logout_view(request, *args, **kwargs):
    return HttpResponse('logout_view')


def password_change_view(request, *args, **kwargs):
    return HttpResponse('password_change_view')


def user_list(request, *args, **kwargs):
    return HttpResponse('user_list')


def user_add(request, *args, **kwargs):
    return HttpResponse('user_add')


def user_edit(request, *args, **kwargs):
    return HttpResponse('user_edit')


def user_unlock(request, *args, **kwargs):
    return HttpResponse('user_unlock')


def user_reset_password(request, *args, **kwargs):
    return HttpResponse('user_reset_password')


def security_policy(request, *args, **kwargs):
    return HttpResponse('security_policy')


def token_list(request, *args, **kwargs):
    return HttpResponse('token_list')


def token_revoke(request, *args, **kwargs):
    return HttpResponse('token_revoke')

