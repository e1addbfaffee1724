"""Every write to the enterprise register."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.core.audit.models import ChangeAction
from gaoxin.core.audit.services import change_record_many, snapshot
from gaoxin.core.services import (
    audited_create,
    audited_delete,
    audited_update,
    require_register_write,
    require_write,
)

from .models import Enterprise

# Fields a user may set; zone and department come from who is acting.
EDITABLE_FIELDS = (
    "uscc", "name", "industry_code", "size", "registration_date", "area", "address",
    "contact_person", "contact_phone", "status",
)


@transaction.atomic
def enterprise_create(*, user, data: dict, message: str = "") -> Enterprise:
    require_write(user=user, model=Enterprise)
    enterprise = Enterprise(zone_id=user.zone_id, department_id=user.department_id,
                            **{k: v for k, v in data.items() if k in EDITABLE_FIELDS})
    return audited_create(enterprise, message=message)


@transaction.atomic
def enterprise_update(*, user, enterprise: Enterprise, data: dict, message: str = "") -> Enterprise:
    require_write(user=user, model=Enterprise, obj=enterprise)
    return audited_update(enterprise, {k: v for k, v in data.items() if k in EDITABLE_FIELDS}, message=message)


@transaction.atomic
def enterprise_delete(*, user, enterprise: Enterprise, message: str = "") -> None:
    require_write(user=user, model=Enterprise, obj=enterprise)
    try:
        audited_delete(enterprise, message=message)
    except ProtectedError:
        raise ValidationError(_("该企业仍有关联的地块、租赁或用户，不能删除；可将状态改为“注销”或“迁出”。")) from None


@dataclass(frozen=True)
class UpsertResult:
    created: int
    updated: int
    unchanged: int


def enterprises_upsert(*, zone, department, rows: list[dict], user=None, message: str = "") -> UpsertResult:
    """Create or update enterprises by USCC for `department`, with one audit row each; all or nothing.

    `rows` are validated field dicts (see enterprises.imports). `user` is the person importing (checked
    against zone and department); None only for trusted system callers (the CLI, the demo). Rows whose
    USCC belongs to an enterprise of another department are refused as a whole: nothing is written.
    """
    require_register_write(user=user, model=Enterprise, zone=zone, department=department)
    existing = {
        e.uscc: e for e in Enterprise.objects.filter(zone=zone, uscc__in=[r["uscc"] for r in rows])
    }
    foreign = sorted(u for u, e in existing.items() if e.department_id != department.pk)
    if foreign:
        raise ValidationError(
            _("以下企业由其他部门维护，本部门不能通过导入修改：%(codes)s") % {"codes": "、".join(foreign[:20])}
        )
    to_create, to_update, changes = [], [], []
    for row in rows:
        data = {k: v for k, v in row.items() if k in EDITABLE_FIELDS}
        current = existing.get(row["uscc"])
        if current is None:
            to_create.append(Enterprise(zone=zone, department=department, **data))
            continue
        before = snapshot(current)
        for k, v in data.items():
            setattr(current, k, v)
        if snapshot(current) != before:
            current.updated_at = timezone.now()  # bulk_update skips auto_now
            to_update.append(current)
            changes.append((current, ChangeAction.UPDATE, before))
    with transaction.atomic():
        created = Enterprise.objects.bulk_create(to_create, batch_size=2000)
        if to_update:
            Enterprise.objects.bulk_update(to_update, fields=[*EDITABLE_FIELDS, "updated_at"], batch_size=1000)
        if created and created[0].pk is None:  # backends without RETURNING: fetch the new ids
            ids = dict(Enterprise.objects.filter(zone=zone, uscc__in=[e.uscc for e in created])
                       .values_list("uscc", "id"))
            for e in created:
                e.pk = ids[e.uscc]
        change_record_many([(e, ChangeAction.CREATE, None) for e in created] + changes, message=message)
    return UpsertResult(created=len(created), updated=len(to_update), unchanged=len(rows) - len(created) - len(to_update))
