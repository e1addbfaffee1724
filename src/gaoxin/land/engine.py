"""Land arithmetic: the land area each enterprise is evaluated on, and the over-leasing rule.

Pure: Polars frames and plain data in, frames and plain data out; no Django, no I/O. The rule is
documented in docs/land-area.md; keep the two in step.

Input frames (column names and types; extra columns are ignored):

- parcels: parcel_id Int64, holder_id Int64 (null = no holder), area_m2 Float64, status Utf8,
  supply_date Date (null = unknown)
- units:   unit_id Int64, parcel_id Int64 (null = the building stands on no registered parcel),
  floor_area_m2 Float64
- leases:  unit_id Int64, enterprise_id Int64, area_m2 Float64, start_date Date, end_date Date (null = open)

Areas are float64 m²: exact enough for sums of a zone's parcels (15–16 significant digits) and far
simpler than Decimal in Polars; callers round when they show or store a figure.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import polars as pl

# Parcels that are actually in use by an enterprise; 储备 land is the zone's, not anybody's.
COUNTED_STATUSES = ("已供", "在建", "投产", "闲置")
M2_PER_MU = 10000 / 15

PARCEL_SCHEMA = {
    "parcel_id": pl.Int64, "holder_id": pl.Int64, "area_m2": pl.Float64, "status": pl.Utf8, "supply_date": pl.Date,
}
UNIT_SCHEMA = {"unit_id": pl.Int64, "parcel_id": pl.Int64, "floor_area_m2": pl.Float64}
LEASE_SCHEMA = {
    "unit_id": pl.Int64, "enterprise_id": pl.Int64, "area_m2": pl.Float64, "start_date": pl.Date,
    "end_date": pl.Date,
}
RESULT_COLUMNS = (
    "enterprise_id", "own_m2", "apportioned_in_m2", "apportioned_out_m2", "land_m2", "land_mu", "leased_floor_m2",
)


def frame(rows: list[dict], schema: dict) -> pl.DataFrame:
    """A frame with exactly `schema`'s columns from row dicts (e.g. a queryset's values())."""
    return pl.DataFrame(rows, schema=schema, orient="row") if rows else pl.DataFrame(schema=schema)


def _counted_parcels(parcels: pl.DataFrame, as_of: dt.date) -> pl.DataFrame:
    return parcels.filter(
        pl.col("status").is_in(COUNTED_STATUSES)
        & (pl.col("supply_date").is_null() | (pl.col("supply_date") <= as_of))
    ).select("parcel_id", "holder_id", "area_m2")


def _active_leases(units: pl.DataFrame, leases: pl.DataFrame, as_of: dt.date) -> pl.DataFrame:
    """Leases running on `as_of`, with the parcel their unit's building stands on."""
    return leases.filter(
        (pl.col("start_date") <= as_of) & (pl.col("end_date").is_null() | (pl.col("end_date") >= as_of))
    ).join(units.select("unit_id", "parcel_id"), on="unit_id", how="left")


def _shares(parcels: pl.DataFrame, units: pl.DataFrame, leases: pl.DataFrame, as_of: dt.date):
    """(counted parcels, active leases, one row per (parcel, tenant) with the tenant's share in m²)."""
    counted = _counted_parcels(parcels, as_of)
    active = _active_leases(units, leases, as_of)
    floor_total = (
        units.filter(pl.col("parcel_id").is_not_null())
        .group_by("parcel_id")
        .agg(pl.col("floor_area_m2").sum().alias("floor_total_m2"))
    )
    leased = (
        active.filter(pl.col("parcel_id").is_not_null())
        .group_by("parcel_id", "enterprise_id")
        .agg(pl.col("area_m2").sum().alias("leased_m2"))
    )
    shares = (
        leased.join(counted, on="parcel_id", how="inner")
        .join(floor_total, on="parcel_id", how="left")
        .with_columns(pl.col("leased_m2").sum().over("parcel_id").alias("parcel_leased_m2"))
        # Inconsistent data (over-leased units) must not hand out more than the parcel: the
        # denominator is never below what is leased, so the shares of one parcel sum to ≤ its area.
        .with_columns(
            pl.max_horizontal(pl.col("floor_total_m2").fill_null(0.0), pl.col("parcel_leased_m2")).alias("denominator")
        )
        .with_columns((pl.col("area_m2") * pl.col("leased_m2") / pl.col("denominator")).alias("share_m2"))
        .select("parcel_id", "holder_id", "enterprise_id", "leased_m2", "share_m2")
    )
    return counted, active, shares


def parcel_apportionment(
    parcels: pl.DataFrame, units: pl.DataFrame, leases: pl.DataFrame, *, as_of: dt.date
) -> pl.DataFrame:
    """Per counted parcel: area_m2, leased_out_m2 (the tenants' shares) and retained_m2 (area − shares).

    retained_m2 is the holder's part; for a parcel without a holder it is attributed to nobody.
    """
    counted, _active, shares = _shares(parcels, units, leases, as_of)
    out = shares.group_by("parcel_id").agg(pl.col("share_m2").sum().alias("leased_out_m2"))
    return (
        counted.join(out, on="parcel_id", how="left")
        .with_columns(pl.col("leased_out_m2").fill_null(0.0))
        .with_columns((pl.col("area_m2") - pl.col("leased_out_m2")).alias("retained_m2"))
        .sort("parcel_id")
    )


def land_areas(parcels: pl.DataFrame, units: pl.DataFrame, leases: pl.DataFrame, *, as_of: dt.date) -> pl.DataFrame:
    """The land area for evaluation of every enterprise that holds counted land or leases space on `as_of`.

    One row per enterprise with RESULT_COLUMNS:
    land_m2 = own_m2 − apportioned_out_m2 + apportioned_in_m2, land_mu = land_m2 / (10000/15), and
    leased_floor_m2 = the floor space the enterprise leases on `as_of` (wherever the building stands).
    """
    counted, active, shares = _shares(parcels, units, leases, as_of)
    own = (
        counted.filter(pl.col("holder_id").is_not_null())
        .group_by("holder_id")
        .agg(pl.col("area_m2").sum().alias("own_m2"))
        .rename({"holder_id": "enterprise_id"})
    )
    apportioned_in = shares.group_by("enterprise_id").agg(pl.col("share_m2").sum().alias("apportioned_in_m2"))
    apportioned_out = (
        shares.filter(pl.col("holder_id").is_not_null())
        .group_by("holder_id")
        .agg(pl.col("share_m2").sum().alias("apportioned_out_m2"))
        .rename({"holder_id": "enterprise_id"})
    )
    leased_floor = active.group_by("enterprise_id").agg(pl.col("area_m2").sum().alias("leased_floor_m2"))
    ids = pl.concat([
        own.select("enterprise_id"), apportioned_in.select("enterprise_id"),
        apportioned_out.select("enterprise_id"), leased_floor.select("enterprise_id"),
    ]).unique()
    return (
        ids.join(own, on="enterprise_id", how="left")
        .join(apportioned_in, on="enterprise_id", how="left")
        .join(apportioned_out, on="enterprise_id", how="left")
        .join(leased_floor, on="enterprise_id", how="left")
        .with_columns(
            pl.col("own_m2", "apportioned_in_m2", "apportioned_out_m2", "leased_floor_m2").fill_null(0.0)
        )
        .with_columns(
            (pl.col("own_m2") - pl.col("apportioned_out_m2") + pl.col("apportioned_in_m2")).alias("land_m2")
        )
        .with_columns((pl.col("land_m2") / M2_PER_MU).alias("land_mu"))
        .select(RESULT_COLUMNS)
        .sort("enterprise_id")
    )


# Over-leasing: a unit's leases may overlap in time, but on no day may they add up to more than the
# unit's floor area. A unit carries a handful of leases, so this is plain Python over a short list.


@dataclass(frozen=True)
class Span:
    start: dt.date
    end: dt.date | None  # None: open-ended
    area_m2: Decimal

    def covers(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)

    def overlaps(self, start: dt.date, end: dt.date | None) -> bool:
        return (end is None or self.start <= end) and (self.end is None or start <= self.end)


@dataclass(frozen=True)
class Peak:
    day: dt.date
    area_m2: Decimal


def peak_load(spans: list[Span], *, start: dt.date, end: dt.date | None) -> Peak:
    """The largest total area of `spans` in force on one day within [start, end] (end None: open).

    The load only rises on a span's first day, so the peak is on `start` or on some span's start.
    """
    candidates = {start} | {s.start for s in spans if s.overlaps(start, end) and s.start > start}
    best = Peak(start, Decimal(0))
    for day in sorted(candidates):
        load = sum((s.area_m2 for s in spans if s.covers(day)), Decimal(0))
        if load > best.area_m2:
            best = Peak(day, load)
    return best


def overbooking(existing: list[Span], new: Span, *, unit_area_m2: Decimal) -> Peak | None:
    """None if `new` fits beside `existing` in a unit of `unit_area_m2`; else the worst day and its total."""
    peak = peak_load([*existing, new], start=new.start, end=new.end)
    return peak if peak.area_m2 > unit_area_m2 else None


def capacity_shortfall(spans: list[Span], *, unit_area_m2: Decimal) -> Peak | None:
    """For a unit whose area changes: the worst day on which its leases exceed `unit_area_m2`, if any."""
    if not spans:
        return None
    peak = peak_load(spans, start=min(s.start for s in spans), end=None)
    return peak if peak.area_m2 > unit_area_m2 else None
