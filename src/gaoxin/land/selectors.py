import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import polars as pl
from django.db.models import Count, DecimalField, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from gaoxin.core.units import m2_to_mu

from . import engine
from .models import Building, Floor, Lease, Parcel, ParcelStatus, Unit


def parcels_for_user(*, user, filters: dict | None = None) -> QuerySet[Parcel]:
    from .filters import ParcelFilterSet

    qs = Parcel.objects.visible_to(user).select_related("holder", "department")
    if filters:
        qs = ParcelFilterSet(filters, queryset=qs).qs
    return qs


def parcel_get_for_user(*, user, pk: int) -> Parcel | None:
    return parcels_for_user(user=user).filter(pk=pk).first()


def parcel_area_by_status(*, user) -> list[dict]:
    """Land by status for the dashboard: count and area (m²) per status, in the status order."""
    rows = {
        r["status"]: r
        for r in parcels_for_user(user=user).values("status").annotate(count=Count("id"), area_m2=Sum("area_m2"))
    }
    return [
        {
            "status": status.value,
            "label": str(status.label),
            "count": rows.get(status.value, {}).get("count", 0),
            "area_m2": rows.get(status.value, {}).get("area_m2") or Decimal(0),
        }
        for status in ParcelStatus
    ]


def buildings_for_user(*, user, filters: dict | None = None) -> QuerySet[Building]:
    from .filters import BuildingFilterSet

    qs = Building.objects.visible_to(user).select_related("parcel")
    if filters:
        qs = BuildingFilterSet(filters, queryset=qs).qs
    return qs


def leases_for_user(*, user) -> QuerySet[Lease]:
    return Lease.objects.visible_to(user).select_related("unit__floor__building", "enterprise")


def parcel_by_code(*, zone, code: str) -> Parcel | None:
    """A parcel of `zone` by its 地块编号, whichever department keeps it (codes are zone-wide)."""
    code = (code or "").strip()
    return Parcel.objects.filter(zone=zone, code=code).first() if code else None


def parcel_choices_for_user(*, user, include: Parcel | None = None) -> QuerySet[Parcel]:
    """Parcels offered in a building's form: those of the user's own zone they can see (and the current one)."""
    q = Q(pk__in=Parcel.objects.visible_to(user).filter(zone_id=user.zone_id).values("pk"))
    if include is not None:
        q |= Q(pk=include.pk)
    return Parcel.objects.filter(q).only("id", "code", "location").order_by("code")


def parcels_held(*, user, enterprise) -> QuerySet[Parcel]:
    return parcels_for_user(user=user).filter(holder=enterprise)


def building_get_for_user(*, user, pk: int) -> Building | None:
    return buildings_for_user(user=user).filter(pk=pk).first()


def floor_get_for_user(*, user, pk: int) -> Floor | None:
    return Floor.objects.visible_to(user).select_related("building").filter(pk=pk).first()


def unit_get_for_user(*, user, pk: int) -> Unit | None:
    return Unit.objects.visible_to(user).select_related("floor__building").filter(pk=pk).first()


def lease_get_for_user(*, user, pk: int) -> Lease | None:
    return leases_for_user(user=user).filter(pk=pk).first()


def _active_on(as_of: dt.date) -> Q:
    return Q(start_date__lte=as_of) & (Q(end_date__isnull=True) | Q(end_date__gte=as_of))


def leases_of_enterprise(*, user, enterprise, as_of: dt.date | None = None) -> QuerySet[Lease]:
    """An enterprise's leases the user can see; only those running on `as_of` when given."""
    qs = leases_for_user(user=user).filter(enterprise=enterprise)
    return qs.filter(_active_on(as_of)) if as_of else qs


def buildings_on_parcel(*, user, parcel) -> QuerySet[Building]:
    return buildings_for_user(user=user).filter(parcel=parcel)


def building_list_rows(qs: QuerySet[Building], *, as_of: dt.date) -> QuerySet[Building]:
    """Buildings annotated with total and leased floor area (m²) on `as_of`, for the list page."""
    total = (
        Unit.objects.filter(floor__building=OuterRef("pk")).order_by().values("floor__building")
        .annotate(s=Sum("floor_area_m2")).values("s")
    )
    leased = (
        Lease.objects.filter(_active_on(as_of), unit__floor__building=OuterRef("pk")).order_by()
        .values("unit__floor__building").annotate(s=Sum("area_m2")).values("s")
    )
    return qs.annotate(
        total_m2=Coalesce(Subquery(total), Value(Decimal(0)), output_field=DecimalField()),
        leased_m2=Coalesce(Subquery(leased), Value(Decimal(0)), output_field=DecimalField()),
    )


@dataclass
class UnitRow:
    unit: Unit
    current: list[Lease]
    others: list[Lease]

    @property
    def leased_m2(self) -> Decimal:
        return sum((lease.area_m2 for lease in self.current), Decimal(0))


@dataclass
class FloorRow:
    floor: Floor
    units: list[UnitRow]


@dataclass
class BuildingLayout:
    floors: list[FloorRow]
    total_m2: Decimal
    leased_m2: Decimal

    @property
    def occupancy(self) -> Decimal | None:
        """Leased share of the floor space, 0–1 unrounded; None for a building without units."""
        return self.leased_m2 / self.total_m2 if self.total_m2 else None


def building_layout(*, building: Building, as_of: dt.date) -> BuildingLayout:
    """Floors → units → leases of one building (which the caller has shown the user may see), in 3 queries."""
    floors = building.floors.prefetch_related(
        Prefetch("units", queryset=Unit.objects.order_by("code").prefetch_related(
            Prefetch("leases", queryset=Lease.objects.select_related("enterprise").order_by("start_date", "id"))
        ))
    ).order_by("-number")
    rows, total, leased = [], Decimal(0), Decimal(0)
    for floor in floors:
        unit_rows = []
        for unit in floor.units.all():
            leases = list(unit.leases.all())
            current = [x for x in leases if x.start_date <= as_of and (x.end_date is None or x.end_date >= as_of)]
            row = UnitRow(unit=unit, current=current, others=[x for x in leases if x not in current])
            unit_rows.append(row)
            total += unit.floor_area_m2
            leased += row.leased_m2
        rows.append(FloorRow(floor=floor, units=unit_rows))
    return BuildingLayout(floors=rows, total_m2=total, leased_m2=leased)


# The land area used for evaluation (docs/land-area.md): the ORM feeds land.engine.


@dataclass(frozen=True)
class LandArea:
    own_m2: Decimal = Decimal("0.00")
    apportioned_in_m2: Decimal = Decimal("0.00")
    apportioned_out_m2: Decimal = Decimal("0.00")
    land_m2: Decimal = Decimal("0.00")
    land_mu: Decimal = Decimal("0.00")
    leased_floor_m2: Decimal = Decimal("0.00")


def _m2(value: float) -> Decimal:
    return Decimal(repr(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _land_frames(*, zone, enterprise_ids: list[int] | None):
    parcels = Parcel.objects.filter(zone=zone)
    units = Unit.objects.filter(zone=zone)
    leases = Lease.objects.filter(zone=zone)
    if enterprise_ids is not None:
        # Only what these enterprises' figures depend on: the parcels they hold or lease space on,
        # every unit on those parcels (the denominator) and every lease there (the other tenants).
        leased_on = Lease.objects.filter(zone=zone, enterprise_id__in=enterprise_ids).values(
            "unit__floor__building__parcel_id")
        parcels = parcels.filter(Q(holder_id__in=enterprise_ids) | Q(pk__in=leased_on))
        parcel_ids = list(parcels.values_list("pk", flat=True))
        units = units.filter(Q(floor__building__parcel_id__in=parcel_ids) | Q(leases__enterprise_id__in=enterprise_ids))
        leases = leases.filter(
            Q(unit__floor__building__parcel_id__in=parcel_ids) | Q(enterprise_id__in=enterprise_ids))
    return (
        pl.DataFrame(list(parcels.values_list("pk", "holder_id", "area_m2", "status", "supply_date")),
                     schema=engine.PARCEL_SCHEMA, orient="row"),
        pl.DataFrame(list(units.distinct().values_list("pk", "floor__building__parcel_id", "floor_area_m2")),
                     schema=engine.UNIT_SCHEMA, orient="row"),
        pl.DataFrame(list(leases.distinct().values_list(
            "unit_id", "enterprise_id", "area_m2", "start_date", "end_date")),
                     schema=engine.LEASE_SCHEMA, orient="row"),
    )


def enterprise_land_areas(*, zone, as_of: dt.date, enterprise_ids: list[int] | None = None) -> dict[int, LandArea]:
    """Each enterprise's land area for evaluation on `as_of`, by enterprise id, rounded to 0.01 m² / 0.01 亩.

    Computed over the whole zone, whatever department keeps the records: the figure is the zone's
    one number for the enterprise. With `enterprise_ids`, only the rows those figures depend on are read.
    Enterprises without land or leases are absent: use `LandArea()` for them.
    """
    parcels, units, leases = _land_frames(zone=zone, enterprise_ids=enterprise_ids)
    result = engine.land_areas(parcels, units, leases, as_of=as_of)
    if enterprise_ids is not None:
        result = result.filter(pl.col("enterprise_id").is_in(enterprise_ids))
    return {
        row["enterprise_id"]: LandArea(
            own_m2=_m2(row["own_m2"]),
            apportioned_in_m2=_m2(row["apportioned_in_m2"]),
            apportioned_out_m2=_m2(row["apportioned_out_m2"]),
            land_m2=_m2(row["land_m2"]),
            land_mu=m2_to_mu(repr(row["land_m2"])),
            leased_floor_m2=_m2(row["leased_floor_m2"]),
        )
        for row in result.iter_rows(named=True)
    }


def enterprise_land_area(*, enterprise, as_of: dt.date) -> LandArea:
    return enterprise_land_areas(zone=enterprise.zone_id, as_of=as_of, enterprise_ids=[enterprise.pk]).get(
        enterprise.pk, LandArea())


@dataclass(frozen=True)
class ParcelSplit:
    counted: bool
    leased_out_m2: Decimal = Decimal("0.00")
    retained_m2: Decimal = Decimal("0.00")


def parcel_split(*, parcel: Parcel, as_of: dt.date) -> ParcelSplit:
    """How a parcel's area divides between its holder and the tenants of buildings on it, on `as_of`."""
    parcels = pl.DataFrame([(parcel.pk, parcel.holder_id, parcel.area_m2, parcel.status, parcel.supply_date)],
                           schema=engine.PARCEL_SCHEMA, orient="row")
    units = pl.DataFrame(list(Unit.objects.filter(floor__building__parcel=parcel).values_list(
        "pk", "floor__building__parcel_id", "floor_area_m2")), schema=engine.UNIT_SCHEMA, orient="row")
    leases = pl.DataFrame(list(Lease.objects.filter(unit__floor__building__parcel=parcel).values_list(
        "unit_id", "enterprise_id", "area_m2", "start_date", "end_date")), schema=engine.LEASE_SCHEMA, orient="row")
    split = engine.parcel_apportionment(parcels, units, leases, as_of=as_of)
    if split.is_empty():
        return ParcelSplit(counted=False)
    row = split.row(0, named=True)
    return ParcelSplit(counted=True, leased_out_m2=_m2(row["leased_out_m2"]), retained_m2=_m2(row["retained_m2"]))
