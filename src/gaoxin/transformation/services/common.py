"""What the register's services share: picking the fields a user may set, and the bulk upsert by a composite
natural key that the imports (and the demo builder) write through."""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.core.audit.models import ChangeAction
from gaoxin.core.audit.services import change_record_many, snapshot
from gaoxin.core.bulk import insert_instances
from gaoxin.core.services import UpsertResult, require_register_write

LOOKUP_CHUNK = 900


def pick(data: dict, fields: tuple[str, ...]) -> dict:
    return {k: v for k, v in data.items() if k in fields}


def value(obj_or_row, name: str):
    """`name` of a row dict or of a model instance: the key functions serve both."""
    return obj_or_row.get(name) if isinstance(obj_or_row, dict) else getattr(obj_or_row, name)


def check_enterprise(zone_id: int, enterprise) -> None:
    """A record may name any enterprise of its zone, whichever department keeps the enterprise."""
    if enterprise is None:
        raise ValidationError({"enterprise": _("请选择企业。")})
    if enterprise.zone_id != zone_id:
        raise ValidationError({"enterprise": _("企业不属于该园区。")})


def enterprises_of_zone(zone, ids) -> dict:
    from gaoxin.enterprises.models import Enterprise

    ids = sorted(set(ids))
    found = {}
    qs = Enterprise.objects.filter(zone=zone).only("id", "zone_id", "uscc", "name")
    for start in range(0, len(ids), LOOKUP_CHUNK):
        found.update({e.pk: e for e in qs.filter(pk__in=ids[start:start + LOOKUP_CHUNK])})
    return found


def duplicates(keys: list) -> list:
    seen, dupes = set(), []
    for key in keys:
        if key in seen and key not in dupes:
            dupes.append(key)
        seen.add(key)
    return dupes


def keyed_upsert(*, model, zone, department, user, rows: list[dict], existing: dict, key_of: Callable,
                 fields: tuple[str, ...], message: str, describe: Callable, prepare: Callable | None = None,
                 duplicate_message: str, foreign_message: str) -> UpsertResult:
    """Create or update `model` rows of `department` by a composite natural key; one audit row each; all or
    nothing.

    `existing` maps the key of every stored row the batch may touch to that row; `key_of(obj_or_row)` gives a
    key from an instance or a row dict alike (rows carry attnames: enterprise_id, project_id). `prepare(obj)`
    puts related rows in the instance's cache, so that the model's clean() asks no query per row. A key
    that names another department's record, or twice in the batch, refuses the whole batch.
    """
    require_register_write(user=user, model=model, zone=zone, department=department)
    keys = [key_of(r) for r in rows]
    dupes = duplicates(keys)
    if dupes:
        raise ValidationError(duplicate_message % {"keys": "、".join(describe(k) for k in dupes[:20])})
    foreign = [k for k in keys if k in existing and existing[k].department_id != department.pk]
    if foreign:
        raise ValidationError(foreign_message % {"keys": "、".join(describe(k) for k in foreign[:20])})
    now = timezone.now()
    relations = [f.name for f in model._meta.concrete_fields if f.is_relation]
    to_create, to_update, changes = [], [], []
    for row in rows:
        data = pick(row, fields)
        current = existing.get(key_of(row))
        if current is None:
            obj = model(zone_id=zone.pk, department_id=department.pk, created_at=now, updated_at=now, **data)
            target = to_create
        else:
            before = snapshot(current)
            for k, v in data.items():
                setattr(current, k, v)
            if snapshot(current) == before:
                continue
            current.updated_at = now  # bulk writes skip auto_now
            obj, target = current, to_update
            changes.append((current, ChangeAction.UPDATE, before))
        if prepare is not None:
            prepare(obj)
        # relations were resolved above (or by `prepare`): checking each again would ask a query per row
        obj.full_clean(exclude=relations, validate_unique=False, validate_constraints=False)
        target.append(obj)
    with transaction.atomic():
        insert_instances(to_create)
        if to_update:
            model.objects.bulk_update(to_update, fields=[*fields, "updated_at"], batch_size=1000)
        if to_create:
            created = {key_of(o): o.pk for o in model.objects.filter(zone=zone, department=department,
                                                                      created_at=now)}
            for obj in to_create:
                obj.pk = created[key_of(obj)]
        change_record_many([(o, ChangeAction.CREATE, None) for o in to_create] + changes, message=message)
    return UpsertResult(created=len(to_create), updated=len(to_update),
                        unchanged=len(rows) - len(to_create) - len(to_update))
