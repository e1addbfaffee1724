"""TODO(helper): placeholder views, replaced by the helper that owns this module."""

from django.http import HttpResponse


def award_list(request, pk=None):  # placeholder
    return HttpResponse("todo", status=501)


def award_detail(request, pk=None):  # placeholder
    return HttpResponse("todo", status=501)


def award_approve(request, pk=None):  # placeholder
    return HttpResponse("todo", status=501)


def award_reject(request, pk=None):  # placeholder
    return HttpResponse("todo", status=501)


def award_pay(request, pk=None):  # placeholder
    return HttpResponse("todo", status=501)


def award_bulk(request, pk=None):  # placeholder
    return HttpResponse("todo", status=501)


def award_download(request, pk=None):  # placeholder
    return HttpResponse("todo", status=501)


