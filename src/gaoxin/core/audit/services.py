"""Writing the audit trail. Business services call `change_record`; nothing else writes ObjectChange."""

import datetime as dt
import decimal
import uuid
from collections.abc import Callable, Iterable

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone, translation

from ..bulk import insert_rows
from .context import current_actor
from .models import ChangeAction, ObjectChange, SecurityEvent


def _jsonable(value):
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def snapshot(obj: models.Model) -> dict:
    """The concrete field values of a row, JSON-ready (foreign keys by id).

    Decimals are written at their column's scale, so 600 typed in a form and 600.00 read from the
    database are the same value and an unchanged save records no change.
    """
    data = {}
    for f in obj._meta.concrete_fields:
        if f.primary_key or f.name in getattr(obj, "audit_exclude", ()):
            continue
        value = getattr(obj, f.attname)
        if isinstance(f, models.DecimalField) and isinstance(value, decimal.Decimal) and value.is_finite():
            value = value.quantize(decimal.Decimal(1).scaleb(-f.decimal_places))
        data[f.attname if f.is_relation else f.name] = _jsonable(value)
    return data


def _zone_id(obj):
    return getattr(obj, "zone_id", None)


def _build(obj, action, before, after, message, content_type=None):
    actor = current_actor()
    user = actor.user if getattr(actor.user, "pk", None) else None
    return ObjectChange(
        time=timezone.now(),
        zone_id=_zone_id(obj),
        user=user,
        user_name=actor.name or "system",
        via=actor.via,
        ip=actor.ip,
        request_id=actor.request_id,
        action=action,
        content_type=content_type or ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        object_repr=str(obj)[:200],
        prechange_data=before,
        postchange_data=after,
        message=message[:200],
    )


def change_record(*, obj: models.Model, action: str, before: dict | None = None, message: str = "") -> ObjectChange:
    """Record one create/update/delete. `before` is the snapshot taken before the change."""
    after = None if action == ChangeAction.DELETE else snapshot(obj)
    change = _build(obj, action, before, after, message)
    change.save()
    return change


def change_record_many(changes: Iterable[tuple[models.Model, str, dict | None]], *, message: str = "") -> int:
    """Bulk form for imports: (obj, action, before) triples, inserted without building model instances."""
    actor = current_actor()
    user_id = actor.user.pk if getattr(actor.user, "pk", None) else None
    now = timezone.now()
    content_types: dict[type, int] = {}

    def rows():
        for obj, action, before in changes:
            ct = content_types.get(type(obj))
            if ct is None:
                ct = content_types[type(obj)] = ContentType.objects.get_for_model(obj).pk
            after = None if action == ChangeAction.DELETE else snapshot(obj)
            yield (now, _zone_id(obj), user_id, actor.name or "system", actor.via, actor.ip, actor.request_id,
                   action, ct, obj.pk, str(obj)[:200], before, after, message[:200])

    return insert_rows(ObjectChange, _CHANGE_COLUMNS, rows())


_CHANGE_COLUMNS = ("time", "zone_id", "user_id", "user_name", "via", "ip", "request_id", "action", "content_type_id",
                   "object_id", "object_repr", "prechange_data", "postchange_data", "message")


def security_event_record(*, kind: str, success: bool = True, user=None, user_name: str = "",
                          detail: str | Callable[[], str] = "", zone=None) -> SecurityEvent:
    """Record a security event. A translatable `detail` is passed as a callable (`lambda: _("…") % …`):
    it is rendered in the system's language, so the trail reads the same whoever acted in which UI language."""
    if callable(detail):
        with translation.override(settings.LANGUAGE_CODE):
            detail = str(detail())
    actor = current_actor()
    user = user if user is not None else (actor.user if getattr(actor.user, "pk", None) else None)
    event = SecurityEvent(
        kind=kind,
        success=success,
        user=user if getattr(user, "pk", None) else None,
        user_name=(user_name or getattr(user, "username", "") or actor.name)[:150],
        zone=zone if zone is not None else getattr(user, "zone", None),
        via=actor.via,
        ip=actor.ip,
        user_agent=actor.user_agent,
        request_id=actor.request_id,
        detail=detail[:500],
    )
    event.save()
    return event


def prune_audit_trail(*, retention_days: int | None = None) -> int:
    """Delete audit rows older than the retention period; refuses a period under 180 days."""
    minimum = settings.GAOXIN_AUDIT_RETENTION_DAYS
    days = retention_days if retention_days is not None else minimum
    if days < minimum:
        raise ValueError(f"audit retention must be at least {minimum} days, got {days}")
    cutoff = timezone.now() - dt.timedelta(days=days)
    removed = 0
    with transaction.atomic():
        for model in (ObjectChange, SecurityEvent):
            # The one sanctioned delete: bypass AppendOnlyQuerySet on purpose.
            removed += models.QuerySet.delete(models.QuerySet(model).filter(time__lt=cutoff))[0]
        security_event_record(kind="audit_pruned", detail=f"删除 {cutoff:%Y-%m-%d} 之前的审计记录 {removed} 条（保留 {days} 天）")
    return removed
