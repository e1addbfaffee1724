"""The statistics arithmetic of the engine: periods, buckets, sums, key projects — over plain data."""

import datetime as dt
import json
import random
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gaoxin.projects.engine import (
    SIZE_BUCKETS,
    Period,
    PeriodError,
    ProjectFact,
    SigningFact,
    TrancheFact,
    parse_period,
    period_statistics,
    size_bucket,
)

D = Decimal


@pytest.mark.parametrize(("text", "year", "month"), [
    ("2025-06", 2025, 6), ("2025-6", 2025, 6), ("2025Q1", 2025, 3), ("2025q1", 2025, 3), ("2025H1", 2025, 6),
    ("2025Q3", 2025, 9), ("2025Q4", 2025, 12), ("2025H2", 2025, 12), ("2025", 2025, 12), (" 2024-12 ", 2024, 12),
])
def test_parse_period_and_aliases(text, year, month):
    assert parse_period(text) == Period(year, month)


@pytest.mark.parametrize("text", ["", "2025-13", "2025-00", "2025Q5", "2025H3", "25-06", "2025/06", "1999-06",
                                  "2101", "2025-06-30", "abc", None])
def test_bad_periods_are_refused_with_a_chinese_message(text):
    with pytest.raises(PeriodError) as exc:
        parse_period(text)
    assert "期间" in str(exc.value)


def test_period_window_and_time_progress():
    p = Period(2024, 2)
    assert (p.start, p.end) == (dt.date(2024, 1, 1), dt.date(2024, 2, 29))  # leap year
    assert Period(2025, 2).end == dt.date(2025, 2, 28)
    assert p.previous_year() == Period(2023, 2)
    assert p.label == "2024-02"
    assert Period(2024, 6).time_progress == 50
    assert p.contains(dt.date(2024, 1, 1)) and p.contains(dt.date(2024, 2, 29))
    assert not p.contains(dt.date(2023, 12, 31)) and not p.contains(dt.date(2024, 3, 1)) and not p.contains(None)


@pytest.mark.parametrize(("amount", "bucket"), [
    ("1000000", "百亿级"), ("999999.99", "50亿级"), ("500000", "50亿级"), ("499999.99", "10亿级"),
    ("100000", "10亿级"), ("99999.99", "亿元级"), ("10000", "亿元级"), ("9999.99", "亿元以下"), ("0.01", "亿元以下"),
])
def test_size_buckets_lower_bounds_are_inclusive(amount, bucket):
    assert size_bucket(D(amount)) == bucket


def _signing(pk, day, amount, channel="专班招商"):
    return SigningFact(pk, day, D(amount), channel)


def test_period_statistics_counts_the_window_inclusively():
    period = Period(2024, 6)
    signings = [
        _signing(1, dt.date(2024, 1, 1), "500000"),  # first day: in, 50亿级
        _signing(2, dt.date(2024, 6, 30), "499999.99", "驻外招商"),  # last day: in, 10亿级
        _signing(3, dt.date(2023, 12, 31), "10"),  # the day before: out
        _signing(4, dt.date(2024, 7, 1), "10"),  # the day after: out
    ]
    tranches = [
        TrancheFact(1, dt.date(2024, 1, 1), D("100")),
        TrancheFact(2, dt.date(2024, 6, 30), D("41.5")),
        TrancheFact(3, dt.date(2023, 1, 1), D("50")),  # previous year's window
        TrancheFact(4, dt.date(2023, 6, 30), D("50")),
        TrancheFact(5, dt.date(2023, 7, 1), D("999")),  # previous year, outside the same months
        TrancheFact(6, dt.date(2024, 7, 1), D("999")),
    ]
    projects = [
        ProjectFact(1, "", start_date=dt.date(2024, 1, 1), completion_date=dt.date(2024, 6, 30)),
        ProjectFact(2, "", start_date=dt.date(2023, 12, 31), commission_date=dt.date(2024, 6, 30)),
        ProjectFact(3, "", start_date=dt.date(2024, 7, 1)),
    ]
    stats = period_statistics(period, signings=signings, tranches=tranches, projects=projects)
    data = stats.as_contract()
    assert data["period"] == "2024-06" and data["from"] == "2024-01-01" and data["to"] == "2024-06-30"
    assert data["signed_projects"] == 2
    assert data["contract_investment_wan"] == 999999.99
    assert data["signed_by_size"] == {"50亿级": 1, "10亿级": 1}
    assert data["signed_by_channel"] == {
        "专班招商": {"count": 1, "contract_investment_wan": 500000},
        "驻外招商": {"count": 1, "contract_investment_wan": 499999.99},
    }
    assert data["funds_in_place_wan"] == 141.5
    assert data["funds_in_place_prev_wan"] == 100
    assert data["funds_in_place_growth_pct"] == pytest.approx(41.5)
    assert (data["projects_started"], data["projects_completed"], data["projects_commissioned"]) == (1, 1, 1)
    assert stats.started_ids == (1,) and stats.commissioned_ids == (2,)
    assert stats.tranche_ids == (1, 2) and stats.prev_tranche_ids == (3, 4)
    json.dumps(data, allow_nan=False)  # JSON-safe throughout


def test_growth_is_null_without_previous_year_funds():
    stats = period_statistics(Period(2024, 3), signings=[], tranches=[TrancheFact(1, dt.date(2024, 2, 1), D(5))],
                              projects=[])
    data = stats.as_contract()
    assert data["funds_in_place_prev_wan"] == 0 and data["funds_in_place_growth_pct"] is None
    assert data["signed_projects"] == 0 and data["signed_by_size"] == {} and data["signed_by_channel"] == {}


def test_key_projects_need_a_positive_plan_for_the_year_and_sum_months_one_to_m():
    period = Period(2024, 6)
    projects = [
        # reports of months 1…6 count, month 7 and the previous year do not
        ProjectFact(1, "市级", plans={2024: D("1000"), 2023: D("5")},
                    reports={(2024, 1): D("100"), (2024, 6): D("500"), (2024, 7): D("999"), (2023, 6): D("999")}),
        ProjectFact(2, "市级", plans={2024: D("200")}),  # no reports: counts, completed 0
        ProjectFact(3, "市级", plans={2024: D("0")}, reports={(2024, 1): D("50")}),  # plan 0: excluded
        ProjectFact(4, "市级", plans={2023: D("300")}),  # no plan this year: excluded
        ProjectFact(5, "区级", plans={2024: D("100")}, reports={(2024, 3): D("60")}),
        ProjectFact(6, "", plans={2024: D("100")}, reports={(2024, 3): D("60")}),  # not a key project
    ]
    data = period_statistics(period, signings=[], tranches=[], projects=projects).as_contract()
    city = data["key_projects"]["市级"]
    assert city["count"] == 2
    assert city["plan_wan"] == 1200 and city["completed_wan"] == 600
    assert city["completion_pct"] == pytest.approx(50.0)
    assert city["time_progress_pct"] == 50.0 and city["ahead_pp"] == pytest.approx(0.0)
    district = data["key_projects"]["区级"]
    assert (district["count"], district["completion_pct"], district["ahead_pp"]) == (1, 60.0, 10.0)


def test_key_level_without_projects_has_null_percentages():
    data = period_statistics(Period(2024, 9), signings=[], tranches=[], projects=[]).as_contract()
    assert data["key_projects"]["市级"] == {"count": 0, "plan_wan": 0, "completed_wan": 0, "completion_pct": None,
                                          "time_progress_pct": 75.0, "ahead_pp": None}


def test_percentages_are_unrounded():
    stats = period_statistics(Period(2024, 1), signings=[], tranches=[],
                              projects=[ProjectFact(1, "市级", plans={2024: D("3")}, reports={(2024, 1): D("1")})])
    figures = stats.key_projects["市级"]
    assert figures.completion == Fraction(100, 3)
    assert stats.as_contract()["key_projects"]["市级"]["completion_pct"] == 100 / 3


# --- properties --------------------------------------------------------------------------------------------

amounts = st.decimals(min_value=D("0.01"), max_value=D("3000000"), places=2, allow_nan=False, allow_infinity=False)
days = st.dates(min_value=dt.date(2022, 1, 1), max_value=dt.date(2025, 12, 31))
channels = st.sampled_from(["专班招商", "驻外招商", "基金招商", "以商招商", "平台招商", "其他"])
periods = st.builds(Period, st.integers(2022, 2025), st.integers(1, 12))


@st.composite
def facts(draw):
    signings = [SigningFact(i, draw(days), draw(amounts), draw(channels)) for i in range(draw(st.integers(0, 30)))]
    tranches = [TrancheFact(i, draw(days), draw(amounts)) for i in range(draw(st.integers(0, 30)))]
    projects = []
    for i in range(draw(st.integers(0, 15))):
        reports = {(draw(st.integers(2022, 2025)), draw(st.integers(1, 12))): draw(amounts)
                   for _ in range(draw(st.integers(0, 6)))}
        projects.append(ProjectFact(
            i, draw(st.sampled_from(["", "市级", "区级"])), start_date=draw(st.none() | days),
            completion_date=draw(st.none() | days), commission_date=draw(st.none() | days),
            plans={y: draw(st.sampled_from([D(0), D("100"), D("2500.5")])) for y in range(2022, 2026)},
            reports=reports))
    return signings, tranches, projects


@settings(max_examples=60, deadline=None)
@given(periods, facts(), st.randoms(use_true_random=False))
def test_buckets_and_channels_reconcile_and_order_does_not_matter(period, data, rnd):
    signings, tranches, projects = data
    stats = period_statistics(period, signings=signings, tranches=tranches, projects=projects)
    result = stats.as_contract()
    assert sum(result["signed_by_size"].values()) == result["signed_projects"]
    assert list(result["signed_by_size"]) == [n for n, _f in SIZE_BUCKETS if n in result["signed_by_size"]]
    assert sum(c["count"] for c in stats_channels(result)) == result["signed_projects"]
    assert sum((total for _ids, total in stats.by_channel.values()), D(0)) == stats.contract_investment_wan
    assert stats.contract_investment_wan == sum((s.contract_wan for s in signings if period.contains(s.date)), D(0))
    assert set(stats.tranche_ids).isdisjoint(stats.prev_tranche_ids)
    for items in (signings, tranches, projects):
        rnd.shuffle(items)
    again = period_statistics(period, signings=signings, tranches=tranches, projects=projects)
    assert again.as_contract() == result


def stats_channels(result):
    return result["signed_by_channel"].values()


@settings(max_examples=40, deadline=None)
@given(periods, facts())
def test_key_project_sums_equal_the_per_project_sums(period, data):
    _s, _t, projects = data
    stats = period_statistics(period, signings=[], tranches=[], projects=projects)
    for level, figures in stats.key_projects.items():
        chosen = [p for p in projects if p.key_level == level and p.plans.get(period.year, D(0)) > 0]
        assert figures.count == len(chosen)
        assert figures.plan_wan == sum((p.plans[period.year] for p in chosen), D(0))
        expected = sum((v for p in chosen for (y, m), v in p.reports.items() if y == period.year and m <= period.month),
                       D(0))
        assert figures.completed_wan == expected


def test_shuffled_input_gives_identical_ids():
    rng = random.Random(5)
    signings = [_signing(i, dt.date(2024, rng.randint(1, 12), rng.randint(1, 28)), str(rng.randint(1, 900000)))
                for i in range(200)]
    a = period_statistics(Period(2024, 9), signings=signings, tranches=[], projects=[])
    rng.shuffle(signings)
    b = period_statistics(Period(2024, 9), signings=signings, tranches=[], projects=[])
    assert a == b
