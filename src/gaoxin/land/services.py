"""Every write to the land register and the space carriers."""

import copy

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from gaoxin.core.audit.models import ChangeAction
from gaoxin.core.audit.services import change_record_many, snapshot
from gaoxin.core.services import (
    UpsertResult,
    audited_create,
    audited_delete,
    audited_update,
    register_upsert,
    require_write,
)

from . import engine
from .models import Building, Floor, Lease, Parcel, Unit

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


def parcels_upsert(*, zone, department, rows: list[dict], user=None, message: str = "") -> UpsertResult:
    """Create or update parcels by 地块编号 for `department`, one audit row each; all or nothing.

    `rows` are validated dicts with `holder_id` already resolved (see land.imports); `user` as in
    `enterprises_upsert`.
    """
    return register_upsert(
        model=Parcel, key="code", fields=PARCEL_DB_FIELDS, zone=zone, department=department, rows=rows,
        user=user, message=message,
        foreign_message=_("以下地块由其他部门维护，本部门不能通过导入修改：%(codes)s"),
    )


# Space carriers (载体): building → floor → unit, and the leases of units. A building's floors, units
# and leases belong to the building's department; whoever may edit the building may edit them.

BUILDING_FIELDS = ("code", "name", "parcel", "address")
UNIT_FIELDS = ("code", "floor_area_m2")
LEASE_FIELDS = ("enterprise", "area_m2", "start_date", "end_date")


def _pick(data: dict, fields: tuple[str, ...]) -> dict:
    return {k: v for k, v in data.items() if k in fields}


def _require_building_write(*, user, model, building: Building) -> None:
    require_write(user=user, model=model)
    require_write(user=user, model=Building, obj=building)


def _check_building_parcel(building: Building) -> None:
    if building.parcel_id and building.parcel.zone_id != building.zone_id:
        raise ValidationError({"parcel": _("所在地块不属于该园区。")})


@transaction.atomic
def building_create(*, user, data: dict, message: str = "") -> Building:
    require_write(user=user, model=Building)
    building = Building(zone_id=user.zone_id, department_id=user.department_id, **_pick(data, BUILDING_FIELDS))
    _check_building_parcel(building)
    return audited_create(building, message=message)


@transaction.atomic
def building_update(*, user, building: Building, data: dict, message: str = "") -> Building:
    require_write(user=user, model=Building, obj=building)
    candidate = copy.copy(building)
    for k, v in _pick(data, BUILDING_FIELDS).items():
        setattr(candidate, k, v)
    _check_building_parcel(candidate)
    return audited_update(building, _pick(data, BUILDING_FIELDS), message=message)


def _audited_cascade(*, floors: list[Floor], units: list[Unit], message: str) -> None:
    """Record the floors and units a delete removed with it, so no row vanishes without a trace."""
    change_record_many(
        [(u, ChangeAction.DELETE, snapshot(u)) for u in units] + [(f, ChangeAction.DELETE, snapshot(f)) for f in floors],
        message=message,
    )


@transaction.atomic
def building_delete(*, user, building: Building, message: str = "") -> None:
    """Delete a building with its floors and units; refused while any unit has a lease on record."""
    require_write(user=user, model=Building, obj=building)
    if Lease.objects.filter(unit__floor__building=building).exists():
        raise ValidationError(_("该楼栋仍有租赁记录，不能删除；请先删除各单元的租赁。"))
    # related rows cached: their names are needed for the audit records after the rows are gone
    floors = list(building.floors.select_related("building"))
    units = list(Unit.objects.filter(floor__building=building).select_related("floor__building"))
    try:
        audited_delete(building, message=message)
    except ProtectedError:
        raise ValidationError(_("该楼栋仍有租赁记录，不能删除；请先删除各单元的租赁。")) from None
    _audited_cascade(floors=floors, units=units, message=message)


@transaction.atomic
def floor_create(*, user, building: Building, number: int, message: str = "") -> Floor:
    _require_building_write(user=user, model=Floor, building=building)
    if building.floors.filter(number=number).exists():
        raise ValidationError({"number": _("该楼栋已有第 %(n)s 层。") % {"n": number}})
    floor = Floor(zone_id=building.zone_id, department_id=building.department_id, building=building, number=number)
    return audited_create(floor, message=message)


@transaction.atomic
def floor_delete(*, user, floor: Floor, message: str = "") -> None:
    """Delete a floor with its units; refused while any unit on it has a lease on record."""
    _require_building_write(user=user, model=Floor, building=floor.building)
    if Lease.objects.filter(unit__floor=floor).exists():
        raise ValidationError(_("该楼层仍有租赁记录，不能删除；请先删除各单元的租赁。"))
    units = list(floor.units.select_related("floor__building"))
    audited_delete(floor, message=message)
    _audited_cascade(floors=[], units=units, message=message)


@transaction.atomic
def unit_create(*, user, floor: Floor, data: dict, message: str = "") -> Unit:
    _require_building_write(user=user, model=Unit, building=floor.building)
    fields = _pick(data, UNIT_FIELDS)
    if floor.units.filter(code=fields.get("code", "")).exists():
        raise ValidationError({"code": _("该楼层已有单元“%(code)s”。") % {"code": fields.get("code", "")}})
    unit = Unit(zone_id=floor.zone_id, department_id=floor.department_id, floor=floor, **fields)
    return audited_create(unit, message=message)


def _lease_spans(unit: Unit, *, exclude_pk: int | None = None) -> list[engine.Span]:
    rows = Lease.objects.filter(unit=unit).exclude(pk=exclude_pk).values_list("start_date", "end_date", "area_m2")
    return [engine.Span(start, end, area) for start, end, area in rows]


@transaction.atomic
def unit_update(*, user, unit: Unit, data: dict, message: str = "") -> Unit:
    """Change a unit's code or floor area; the area may not drop below what its leases occupy on any day."""
    _require_building_write(user=user, model=Unit, building=unit.floor.building)
    fields = _pick(data, UNIT_FIELDS)
    if "code" in fields and unit.floor.units.exclude(pk=unit.pk).filter(code=fields["code"]).exists():
        raise ValidationError({"code": _("该楼层已有单元“%(code)s”。") % {"code": fields["code"]}})
    if "floor_area_m2" in fields and fields["floor_area_m2"] is not None:
        peak = engine.capacity_shortfall(_lease_spans(unit), unit_area_m2=fields["floor_area_m2"])
        if peak is not None:
            raise ValidationError({"floor_area_m2": _(
                "该单元在 %(day)s 已租出 %(taken)s 平方米，建筑面积不能小于该值。"
            ) % {"day": peak.day.isoformat(), "taken": peak.area_m2}})
    return audited_update(unit, fields, message=message)


@transaction.atomic
def unit_delete(*, user, unit: Unit, message: str = "") -> None:
    _require_building_write(user=user, model=Unit, building=unit.floor.building)
    try:
        audited_delete(unit, message=message)
    except ProtectedError:
        raise ValidationError(_("该单元仍有租赁记录，不能删除；请先删除租赁。")) from None


def _check_lease(lease: Lease, *, exclude_pk: int | None) -> None:
    """Model rules first (dates, area within the unit), then the unit may not be over-leased on any day."""
    lease.full_clean()
    if lease.enterprise.zone_id != lease.zone_id:
        raise ValidationError({"enterprise": _("承租企业不属于该园区。")})
    # Lock the unit so that two concurrent leases cannot both fit into the same free space.
    unit = Unit.objects.select_for_update().get(pk=lease.unit_id)
    new = engine.Span(lease.start_date, lease.end_date, lease.area_m2)
    peak = engine.overbooking(_lease_spans(unit, exclude_pk=exclude_pk), new, unit_area_m2=unit.floor_area_m2)
    if peak is not None:
        raise ValidationError({"area_m2": _(
            "单元建筑面积 %(cap)s 平方米；%(day)s 当天已租出 %(taken)s 平方米，再租 %(area)s 平方米将超出。"
        ) % {
            "cap": unit.floor_area_m2, "day": peak.day.isoformat(),
            "taken": peak.area_m2 - lease.area_m2, "area": lease.area_m2,
        }})


@transaction.atomic
def lease_create(*, user, unit: Unit, data: dict, message: str = "") -> Lease:
    _require_building_write(user=user, model=Lease, building=unit.floor.building)
    lease = Lease(zone_id=unit.zone_id, department_id=unit.department_id, unit=unit, **_pick(data, LEASE_FIELDS))
    _check_lease(lease, exclude_pk=None)
    return audited_create(lease, message=message)


@transaction.atomic
def lease_update(*, user, lease: Lease, data: dict, message: str = "") -> Lease:
    require_write(user=user, model=Lease, obj=lease)
    fields = _pick(data, LEASE_FIELDS)
    candidate = copy.copy(lease)
    for k, v in fields.items():
        setattr(candidate, k, v)
    _check_lease(candidate, exclude_pk=lease.pk)
    return audited_update(lease, fields, message=message)


@transaction.atomic
def lease_delete(*, user, lease: Lease, message: str = "") -> None:
    require_write(user=user, model=Lease, obj=lease)
    audited_delete(lease, message=message)
