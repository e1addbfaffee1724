"""TODO(helper): placeholder views, replaced by the helper that owns this module."""

from django.http import HttpResponse


def period_counts(request, pk=None):  # placeholder
    return HttpResponse("todo", status=501)


