"""Helpers every app's services share: permission checks and the audited save."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .audit.models import ChangeAction
from .audit.services import change_record, change_record_many, snapshot
from .bulk import insert_instances
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


@dataclass(frozen=True)
class UpsertResult:
    created: int
    updated: int
    unchanged: int


def _by_keys(queryset, key: str, keys: list, chunk: int = 5000):
    """Rows whose `key` is in `keys`, asked in chunks: PostgreSQL takes at most 65,535 bind parameters."""
    for start in range(0, len(keys), chunk):
        yield from queryset.filter(**{f"{key}__in": keys[start:start + chunk]})


def register_upsert(*, model, key: str, fields: tuple[str, ...], zone, department, rows: list[dict], user,
                    message: str, foreign_message: str) -> UpsertResult:
    """Create or update a register's rows by their natural key for `department`; one audit row each.

    `rows` are validated dicts (the import framework ran the model's rules); `fields` are the attnames a
    row may set. A key that belongs to another department's record refuses the whole batch. Runs in one
    transaction: all or nothing.
    """
    require_register_write(user=user, model=model, zone=zone, department=department)
    existing = {getattr(o, key): o for o in _by_keys(model.objects.filter(zone=zone), key, [r[key] for r in rows])}
    foreign = sorted(k for k, o in existing.items() if o.department_id != department.pk)
    if foreign:
        raise ValidationError(foreign_message % {"codes": "、".join(foreign[:20])})
    now = timezone.now()
    to_create, to_update, changes = [], [], []
    for row in rows:
        data = {k: v for k, v in row.items() if k in fields}
        current = existing.get(row[key])
        if current is None:
            to_create.append(model(zone=zone, department=department, created_at=now, updated_at=now, **data))
            continue
        before = snapshot(current)
        for k, v in data.items():
            setattr(current, k, v)
        if snapshot(current) != before:
            current.updated_at = now  # bulk writes skip auto_now
            to_update.append(current)
            changes.append((current, ChangeAction.UPDATE, before))
    with transaction.atomic():
        insert_instances(to_create)
        if to_update:
            model.objects.bulk_update(to_update, fields=[*fields, "updated_at"], batch_size=1000)
        if to_create:
            ids = dict(_by_keys(model.objects.filter(zone=zone).values_list(key, "id"), key,
                                [getattr(o, key) for o in to_create]))
            for obj in to_create:
                obj.pk = ids[getattr(obj, key)]
        change_record_many([(o, ChangeAction.CREATE, None) for o in to_create] + changes, message=message)
    return UpsertResult(created=len(to_create), updated=len(to_update),
                        unchanged=len(rows) - len(to_create) - len(to_update))
