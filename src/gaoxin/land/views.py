"""PENDING: temporary views, replaced as the pages are built."""
from django.http import HttpResponse


def parcel_list(request, *args, **kwargs):
    return HttpResponse("parcel_list")


def parcel_add(request, *args, **kwargs):
    return HttpResponse("parcel_add")


def parcel_detail(request, *args, **kwargs):
    return HttpResponse("parcel_detail")


def parcel_edit(request, *args, **kwargs):
    return HttpResponse("parcel_edit")


def parcel_delete(request, *args, **kwargs):
    return HttpResponse("parcel_delete")


def building_list(request, *args, **kwargs):
    return HttpResponse("building_list")


def building_add(request, *args, **kwargs):
    return HttpResponse("building_add")


def building_detail(request, *args, **kwargs):
    return HttpResponse("building_detail")


def building_edit(request, *args, **kwargs):
    return HttpResponse("building_edit")


def building_delete(request, *args, **kwargs):
    return HttpResponse("building_delete")


def floor_add(request, *args, **kwargs):
    return HttpResponse("floor_add")


def unit_add(request, *args, **kwargs):
    return HttpResponse("unit_add")


def lease_add(request, *args, **kwargs):
    return HttpResponse("lease_add")


def lease_edit(request, *args, **kwargs):
    return HttpResponse("lease_edit")


def lease_delete(request, *args, **kwargs):
    return HttpResponse("lease_delete")

