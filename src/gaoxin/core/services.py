"""Helpers every app's services share: permission checks and the audited save."""

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext as _

from .audit.models import ChangeAction
from .audit.services import change_record, snapshot
from .permissions import can_write


def require_write(*, user, model, obj: models.Model | None = None) -> None:
    """Raise PermissionDenied unless `user` may create `model` rows or change `obj`."""
    if obj is None:
        if not can_write(user, model):
            raise PermissionDenied(_("您没有新增%(name)s的权限。") % {"name": model._meta.verbose_name})
        return
    if not type(obj).objects.editable_by(user).filter(pk=obj.pk).exists():
        raise PermissionDenied(_("您没有修改该%(name)s的权限。") % {"name": model._meta.verbose_name})


def require_register_write(*, user, model, zone, department) -> None:
    """For bulk writes into a zone and department: a person must be staff of exactly that department.

    `user=None` is a trusted system caller (the CLI run by the zone's operator, the demo builder).
    """
    if department.zone_id != zone.pk:
        raise PermissionDenied(_("部门不属于该园区。"))
    if user is None:
        return
    require_write(user=user, model=model)
    if user.zone_id != zone.pk or user.department_id != department.pk:
        raise PermissionDenied(_("只能向本人所在部门导入%(name)s。") % {"name": model._meta.verbose_name})


def audited_create(obj: models.Model, *, message: str = "") -> models.Model:
    obj.full_clean()
    obj.save()
    change_record(obj=obj, action=ChangeAction.CREATE, message=message)
    return obj


def audited_update(obj: models.Model, data: dict, *, message: str = "") -> models.Model:
    """Apply `data` to `obj`, validate, save and record before/after. No-op changes write nothing."""
    before = snapshot(obj)
    for field, value in data.items():
        setattr(obj, field, value)
    obj.full_clean()
    if snapshot(obj) == before:
        return obj
    obj.save()
    change_record(obj=obj, action=ChangeAction.UPDATE, before=before, message=message)
    return obj


def audited_delete(obj: models.Model, *, message: str = "") -> None:
    before = snapshot(obj)
    pk = obj.pk
    obj.delete()
    obj.pk = pk  # the record refers to the row that was deleted
    change_record(obj=obj, action=ChangeAction.DELETE, before=before, message=message)
