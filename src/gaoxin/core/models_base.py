"""Base classes shared by every business record."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .permissions import ScopedQuerySet


class BusinessRecord(models.Model):
    """A row that belongs to a zone, is changed only through services, and is audited."""

    zone = models.ForeignKey("accounts.Zone", on_delete=models.PROTECT, related_name="+", verbose_name=_("园区"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ScopedQuerySet.as_manager()
    audit_exclude = ("created_at", "updated_at")

    class Meta:
        abstract = True
