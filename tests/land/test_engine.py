"""The land-area rule (docs/land-area.md) and the over-leasing rule, hammered with hypothesis."""

import datetime as dt
import math
from collections import defaultdict
from decimal import Decimal

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gaoxin.land import engine

AS_OF = dt.date(2025, 6, 30)
STATUSES = ["储备", "已供", "在建", "投产", "闲置"]


def frames(parcels, units, leases):
    return (engine.frame(parcels, engine.PARCEL_SCHEMA), engine.frame(units, engine.UNIT_SCHEMA),
            engine.frame(leases, engine.LEASE_SCHEMA))


def close(a, b):
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-6)


def as_dict(result: pl.DataFrame) -> dict[int, dict]:
    return {r["enterprise_id"]: r for r in result.iter_rows(named=True)}


def counted(parcel, as_of=AS_OF) -> bool:
    return parcel["status"] in engine.COUNTED_STATUSES and (
        parcel["supply_date"] is None or parcel["supply_date"] <= as_of)


def active(lease, as_of=AS_OF) -> bool:
    return lease["start_date"] <= as_of and (lease["end_date"] is None or lease["end_date"] >= as_of)


def reference(parcels, units, leases, as_of=AS_OF) -> dict[int, float]:
    """The rule as the documentation states it, computed the slow obvious way."""
    land = defaultdict(float)
    parcel_of_unit = {u["unit_id"]: u["parcel_id"] for u in units}
    for p in parcels:
        if not counted(p, as_of):
            continue
        floor_total = sum(u["floor_area_m2"] for u in units if u["parcel_id"] == p["parcel_id"])
        on_parcel = [x for x in leases if active(x, as_of) and parcel_of_unit[x["unit_id"]] == p["parcel_id"]]
        leased_total = sum(x["area_m2"] for x in on_parcel)
        denominator = max(floor_total, leased_total)
        given_away = 0.0
        for x in on_parcel:
            share = p["area_m2"] * x["area_m2"] / denominator
            land[x["enterprise_id"]] += share
            given_away += share
        if p["holder_id"] is not None:
            land[p["holder_id"]] += p["area_m2"] - given_away
    return dict(land)


dates = st.one_of(st.none(), st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2026, 12, 31)))
areas = st.floats(min_value=1, max_value=100_000, allow_nan=False, allow_infinity=False)


@st.composite
def registers(draw, with_leases=True):
    n_parcels = draw(st.integers(0, 6))
    parcels = [
        {"parcel_id": i + 1, "holder_id": draw(st.one_of(st.none(), st.integers(1, 5))), "area_m2": draw(areas),
         "status": draw(st.sampled_from(STATUSES)), "supply_date": draw(dates)}
        for i in range(n_parcels)
    ]
    parcel_ids = [p["parcel_id"] for p in parcels]
    n_units = draw(st.integers(0, 10))
    units = [
        {"unit_id": i + 1, "parcel_id": draw(st.one_of(st.none(), st.sampled_from(parcel_ids)) if parcel_ids
                                             else st.none()),
         "floor_area_m2": draw(st.floats(min_value=10, max_value=5000))}
        for i in range(n_units)
    ]
    leases = []
    if with_leases and units:
        for _ in range(draw(st.integers(0, 12))):
            unit = draw(st.sampled_from(units))
            start = draw(st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2026, 12, 31)))
            end = draw(st.one_of(st.none(), st.dates(min_value=start, max_value=dt.date(2027, 12, 31))))
            leases.append({"unit_id": unit["unit_id"], "enterprise_id": draw(st.integers(1, 8)),
                           "area_m2": draw(st.floats(min_value=1, max_value=unit["floor_area_m2"])),
                           "start_date": start, "end_date": end})
    return parcels, units, leases


@settings(max_examples=300, deadline=None)
@given(registers())
def test_zone_total_is_conserved(data):
    parcels, units, leases = data
    result = engine.land_areas(*frames(parcels, units, leases), as_of=AS_OF)
    split = engine.parcel_apportionment(*frames(parcels, units, leases), as_of=AS_OF)
    unattributed = split.filter(pl.col("holder_id").is_null())["retained_m2"].sum()
    total_counted = sum(p["area_m2"] for p in parcels if counted(p))
    assert close(result["land_m2"].sum() + unattributed, total_counted)


@settings(max_examples=300, deadline=None)
@given(registers())
def test_matches_the_documented_rule_and_never_goes_negative(data):
    parcels, units, leases = data
    result = as_dict(engine.land_areas(*frames(parcels, units, leases), as_of=AS_OF))
    expected = reference(parcels, units, leases)
    for enterprise_id, row in result.items():
        assert row["land_m2"] >= -1e-6
        assert row["apportioned_out_m2"] <= row["own_m2"] + 1e-6
        assert close(row["land_m2"], row["own_m2"] - row["apportioned_out_m2"] + row["apportioned_in_m2"])
        assert close(row["land_mu"], row["land_m2"] * 15 / 10000)
        assert close(row["land_m2"], expected.get(enterprise_id, 0.0))
    for enterprise_id, value in expected.items():
        if value > 1e-6:
            assert enterprise_id in result


@settings(max_examples=200, deadline=None)
@given(registers(with_leases=False))
def test_without_leases_land_is_own_land(data):
    parcels, units, _ = data
    result = as_dict(engine.land_areas(*frames(parcels, units, []), as_of=AS_OF))
    own = defaultdict(float)
    for p in parcels:
        if counted(p) and p["holder_id"] is not None:
            own[p["holder_id"]] += p["area_m2"]
    assert set(result) == set(own)
    for enterprise_id, row in result.items():
        assert row["land_m2"] == row["own_m2"]
        assert close(row["own_m2"], own[enterprise_id])
        assert row["apportioned_in_m2"] == row["apportioned_out_m2"] == row["leased_floor_m2"] == 0


@settings(max_examples=200, deadline=None)
@given(area=areas, unit_areas=st.lists(st.floats(min_value=10, max_value=5000), min_size=1, max_size=6))
def test_leasing_all_floor_space_transfers_the_whole_parcel(area, unit_areas):
    parcels = [{"parcel_id": 1, "holder_id": 1, "area_m2": area, "status": "投产", "supply_date": None}]
    units = [{"unit_id": i, "parcel_id": 1, "floor_area_m2": a} for i, a in enumerate(unit_areas)]
    leases = [{"unit_id": i, "enterprise_id": 2, "area_m2": a, "start_date": dt.date(2025, 1, 1), "end_date": None}
              for i, a in enumerate(unit_areas)]
    result = as_dict(engine.land_areas(*frames(parcels, units, leases), as_of=AS_OF))
    assert close(result[2]["land_m2"], area)
    assert close(result[1]["land_m2"], 0.0)
    assert close(result[2]["leased_floor_m2"], sum(unit_areas))


def test_worked_example():
    """A 10-亩 parcel with 4,000 m² of floor space; a tenant leasing 1,000 m² gets a quarter of it."""
    parcels = [
        {"parcel_id": 1, "holder_id": 1, "area_m2": 6666.67, "status": "投产", "supply_date": dt.date(2020, 5, 1)},
        {"parcel_id": 2, "holder_id": 1, "area_m2": 1000.0, "status": "储备", "supply_date": None},
        {"parcel_id": 3, "holder_id": 3, "area_m2": 2000.0, "status": "已供", "supply_date": dt.date(2025, 7, 1)},
    ]
    units = [{"unit_id": 1, "parcel_id": 1, "floor_area_m2": 3000.0},
             {"unit_id": 2, "parcel_id": 1, "floor_area_m2": 1000.0},
             {"unit_id": 3, "parcel_id": None, "floor_area_m2": 500.0}]
    leases = [
        {"unit_id": 2, "enterprise_id": 2, "area_m2": 1000.0, "start_date": dt.date(2025, 1, 1), "end_date": None},
        {"unit_id": 3, "enterprise_id": 2, "area_m2": 200.0, "start_date": dt.date(2025, 1, 1),
         "end_date": dt.date(2025, 12, 31)},
        # ended before the as-of date, and starting after it: neither counts
        {"unit_id": 1, "enterprise_id": 4, "area_m2": 3000.0, "start_date": dt.date(2024, 1, 1),
         "end_date": dt.date(2025, 6, 29)},
        {"unit_id": 1, "enterprise_id": 5, "area_m2": 3000.0, "start_date": dt.date(2025, 7, 1), "end_date": None},
    ]
    result = as_dict(engine.land_areas(*frames(parcels, units, leases), as_of=AS_OF))
    assert set(result) == {1, 2}  # parcel 3 is supplied only after the as-of date; 4 and 5 lease nothing now
    assert close(result[1]["own_m2"], 6666.67)
    assert close(result[1]["apportioned_out_m2"], 6666.67 / 4)
    assert close(result[1]["land_m2"], 6666.67 * 3 / 4)
    assert close(result[2]["apportioned_in_m2"], 6666.67 / 4)
    assert close(result[2]["leased_floor_m2"], 1200.0)  # floor space counts even off a parcel
    assert result[2]["land_mu"] == pytest.approx(2.5, abs=1e-5)  # 6666.67 m² is 10 亩 to the cent


def test_over_leased_parcel_never_hands_out_more_than_its_area():
    parcels = [{"parcel_id": 1, "holder_id": 1, "area_m2": 1000.0, "status": "投产", "supply_date": None}]
    units = [{"unit_id": 1, "parcel_id": 1, "floor_area_m2": 100.0}]
    leases = [{"unit_id": 1, "enterprise_id": e, "area_m2": 100.0, "start_date": dt.date(2025, 1, 1),
               "end_date": None} for e in (2, 3)]
    result = as_dict(engine.land_areas(*frames(parcels, units, leases), as_of=AS_OF))
    assert close(result[2]["land_m2"], 500.0) and close(result[3]["land_m2"], 500.0)
    assert close(result[1]["land_m2"], 0.0)


# Over-leasing ---------------------------------------------------------------------------------------

D = dt.date


def span(start, end, area):
    return engine.Span(start, end, Decimal(area))


def test_overlapping_leases_may_not_exceed_the_unit():
    existing = [span(D(2025, 1, 1), D(2025, 1, 10), 60)]
    peak = engine.overbooking(existing, span(D(2025, 1, 5), D(2025, 1, 20), 50), unit_area_m2=Decimal(100))
    assert peak == engine.Peak(D(2025, 1, 5), Decimal(110))


def test_leases_one_after_another_each_may_use_the_whole_unit():
    existing = [span(D(2025, 1, 1), D(2025, 1, 10), 100), span(D(2025, 2, 1), None, 100)]
    assert engine.overbooking(existing, span(D(2025, 1, 11), D(2025, 1, 31), 100), unit_area_m2=Decimal(100)) is None
    assert engine.overbooking(existing, span(D(2025, 1, 11), D(2025, 2, 1), 1), unit_area_m2=Decimal(100)) == \
        engine.Peak(D(2025, 2, 1), Decimal(101))


def test_capacity_shortfall_finds_the_worst_day():
    spans = [span(D(2025, 1, 1), None, 40), span(D(2025, 3, 1), D(2025, 3, 31), 50)]
    assert engine.capacity_shortfall(spans, unit_area_m2=Decimal(90)) is None
    assert engine.capacity_shortfall(spans, unit_area_m2=Decimal(80)) == engine.Peak(D(2025, 3, 1), Decimal(90))
    assert engine.capacity_shortfall([], unit_area_m2=Decimal(1)) is None


small_dates = st.dates(min_value=D(2025, 1, 1), max_value=D(2025, 2, 28))


@st.composite
def spans(draw):
    start = draw(small_dates)
    end = draw(st.one_of(st.none(), st.dates(min_value=start, max_value=D(2025, 3, 31))))
    return span(start, end, draw(st.integers(1, 60)))


@settings(max_examples=300, deadline=None)
@given(existing=st.lists(spans(), max_size=6), new=spans(), capacity=st.integers(1, 150))
def test_overbooking_agrees_with_a_day_by_day_count(existing, new, capacity):
    last = D(2025, 4, 30)  # after every span's start: open ends are constant from here on
    day, worst = new.start, Decimal(0)
    while day <= (new.end or last):
        worst = max(worst, sum((s.area_m2 for s in [*existing, new] if s.covers(day)), Decimal(0)))
        day += dt.timedelta(days=1)
    peak = engine.overbooking(existing, new, unit_area_m2=Decimal(capacity))
    if worst > capacity:
        assert peak is not None and peak.area_m2 == worst
    else:
        assert peak is None


@pytest.mark.parametrize("rows", [[], [{"parcel_id": 1}]])
def test_frame_has_exactly_the_schema(rows):
    frame = engine.frame([{**engine.PARCEL_SCHEMA.fromkeys(engine.PARCEL_SCHEMA), **r} for r in rows],
                         engine.PARCEL_SCHEMA)
    assert frame.schema == pl.Schema(engine.PARCEL_SCHEMA)
