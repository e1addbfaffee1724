"""Every write to the land register and the space carriers."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.core.audit.models import ChangeAction
from gaoxin.core.audit.services import change_record_many, snapshot
from gaoxin.core.services import audited_create, audited_delete, audited_update, require_write
from gaoxin.enterprises.services import UpsertResult

from .models import Parcel

PARCEL_FIELDS = ("code", "location", "area_m2", "land_use", "supply_method", "holder", "supply_date", "status")
PARCEL_DB_FIELDS = ("code", "location", "area_m2", "land_use", "supply_method", "holder_id", "supply_date", "status")


def _parcel_data(data: dict) -> dict:
    return {k: v for k, v in data.items() if k in PARCEL_FIELDS or k == "holder_id"}


@transaction.atomic
def parcel_create(*, user, data: dict, message: str = "") -> Parcel:
    require_write(user=user, model=Parcel)
    parcel = Parcel(zone_id=user.zone_id, department_id=user.department_id, **_parcel_data(data))
    return audited_create(parcel, message=message)


@transaction.atomic
def parcel_update(*, user, parcel: Parcel, data: dict, message: str = "") -> Parcel:
    require_write(user=user, model=Parcel, obj=parcel)
    return audited_update(parcel, _parcel_data(data), message=message)


@transaction.atomic
def parcel_delete(*, user, parcel: Parcel, message: str = "") -> None:
    require_write(user=user, model=Parcel, obj=parcel)
    try:
        audited_delete(parcel, message=message)
    except ProtectedError:
        raise ValidationError(_("该地块上仍有载体楼栋，不能删除。")) from None


def parcels_upsert(*, user, rows: list[dict], message: str = "") -> UpsertResult:
    """Create or update parcels by 地块编号 inside the caller's transaction, one audit row each.

    `rows` are validated dicts with `holder_id` already resolved (see land.imports).
    """
    require_write(user=user, model=Parcel)
    existing = {p.code: p for p in Parcel.objects.filter(zone_id=user.zone_id, code__in=[r["code"] for r in rows])}
    foreign = sorted(c for c, p in existing.items() if p.department_id != user.department_id)
    if foreign:
        raise ValidationError(
            _("以下地块由其他部门维护，本部门不能通过导入修改：%(codes)s") % {"codes": "、".join(foreign[:20])}
        )
    to_create, to_update, changes = [], [], []
    now = timezone.now()
    for row in rows:
        data = {k: v for k, v in row.items() if k in PARCEL_DB_FIELDS}
        current = existing.get(row["code"])
        if current is None:
            to_create.append(Parcel(zone_id=user.zone_id, department_id=user.department_id, **data))
            continue
        before = snapshot(current)
        for k, v in data.items():
            setattr(current, k, v)
        if snapshot(current) != before:
            current.updated_at = now  # bulk_update skips auto_now
            to_update.append(current)
            changes.append((current, ChangeAction.UPDATE, before))
    with transaction.atomic():
        created = Parcel.objects.bulk_create(to_create, batch_size=2000)
        if to_update:
            Parcel.objects.bulk_update(to_update, fields=[*PARCEL_DB_FIELDS, "updated_at"], batch_size=1000)
        if created and created[0].pk is None:
            ids = dict(Parcel.objects.filter(zone_id=user.zone_id, code__in=[p.code for p in created])
                       .values_list("code", "id"))
            for p in created:
                p.pk = ids[p.code]
        change_record_many([(p, ChangeAction.CREATE, None) for p in created] + changes, message=message)
    return UpsertResult(created=len(created), updated=len(to_update), unchanged=len(rows) - len(created) - len(to_update))
