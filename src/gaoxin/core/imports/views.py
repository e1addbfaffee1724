"""PENDING: temporary views, replaced as the pages are built."""
from django.http import HttpResponse


def import_index(request, *args, **kwargs):
    return HttpResponse("import_index")


def import_template(request, *args, **kwargs):
    return HttpResponse("import_template")


def export(request, *args, **kwargs):
    return HttpResponse("export")


def import_upload(request, *args, **kwargs):
    return HttpResponse("import_upload")

