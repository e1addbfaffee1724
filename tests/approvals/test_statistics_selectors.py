"""Approval statistics on hand-made cases (tests/approvals/statistics_data.py has the arithmetic)."""

import datetime as dt
from decimal import Decimal

import pytest

from gaoxin.approvals.selectors.statistics import (
    StatisticsPeriodError,
    Window,
    approval_statistics,
    parse_window,
)

from .statistics_data import AS_OF, build_statistics

D = dt.date
AUG_NOV = Window(D(2025, 8, 1), D(2025, 11, 30))


@pytest.fixture
def built(world):
    cases, users, _depts = build_statistics(world)
    return world, cases, users


def groups(rows):
    return {g.label if not g.key.isdigit() else int(g.key): (g.count, g.avg_wd, g.avg_limit, g.on_time_rate)
            for g in rows}


def test_leader_figures_over_four_months(built):
    world, _cases, _users = built
    stats = approval_statistics(user=world.users["leader"], window=AUG_NOV, today=AS_OF)
    assert (stats.decided_count, stats.on_time, stats.late) == (9, 8, 1)
    assert stats.on_time_rate == Decimal("88.9") and stats.avg_wd == Decimal("3.4")
    used = {(d.item.case.code, d.item.code): (d.used_wd, d.limit_wd, d.status) for d in stats.decided}
    assert used[("SP-B", "low_risk_permit")] == (15, 3, "逾期办结")  # pause 08-05…08-08 not counted
    assert used[("SP-A", "utilities")] == (5, 5, "按期办结")
    assert used[("SP-A", "low_risk_permit")] == (2, 3, "按期办结")
    assert groups(stats.by_stage) == {
        1: (3, Decimal("0.0"), Decimal("0.0"), Decimal("100.0")),
        3: (2, Decimal("8.5"), Decimal("3.0"), Decimal("50.0")),
        4: (2, Decimal("4.5"), Decimal("5.0"), Decimal("100.0")),
        5: (2, Decimal("2.5"), Decimal("2.5"), Decimal("100.0")),
    }
    assert [g.label for g in stats.by_stage] == ["立项用地规划许可", "施工许可", "竣工验收", "并行推进"]
    items = {g.key: (g.count, g.avg_wd, g.late) for g in stats.by_item}
    assert items == {"filing": (3, Decimal("0.0"), 0), "low_risk_permit": (2, Decimal("8.5"), 1),
                     "eia_registration": (1, Decimal("0.0"), 0), "utilities": (1, Decimal("5.0"), 0),
                     "low_risk_acceptance": (2, Decimal("4.5"), 0)}
    assert vars(stats.rongque) == {"accepted": 2, "met": 1, "missed": 0, "open": 1}
    assert vars(stats.commitment) == {"accepted": 1, "met": 1, "missed": 0, "open": 0}
    finished = [(r.case.code, r.first_accepted, r.last_decided, r.total_wd, r.target_wd, r.within_target)
                for r in stats.finished_cases]
    assert finished == [("SP-A", D(2025, 11, 3), D(2025, 11, 14), 9, 15, True),
                        ("SP-B", D(2025, 8, 1), D(2025, 9, 5), 25, 15, False)]
    assert stats.avg_case_wd == Decimal("17.0") and stats.cases_within_target == 1
    assert stats.cases_within_rate == Decimal("50.0")
    [open_case] = stats.open_cases
    assert (open_case.case.code, open_case.total_wd, open_case.target_wd, open_case.within_target) == \
        ("SP-C", 37, 90, True)
    assert stats.provisional_years == set()


def test_the_window_is_by_decision_date(built):
    world, _cases, _users = built
    stats = approval_statistics(user=world.users["leader"], window=Window(D(2025, 8, 1), D(2025, 9, 30)),
                                today=AS_OF)
    assert sorted((d.item.case.code, d.item.code) for d in stats.decided) == [
        ("SP-B", "filing"), ("SP-B", "low_risk_acceptance"), ("SP-B", "low_risk_permit")]
    assert [r.case.code for r in stats.finished_cases] == ["SP-B"]
    # SP-A ended in November: not finished in this window, and not open either
    assert [r.case.code for r in stats.open_cases] == ["SP-C"]
    assert vars(stats.rongque)["accepted"] == 0  # the 容缺 acceptances were in October and November
    empty = approval_statistics(user=world.users["leader"], window=Window(D(2024, 1, 1), D(2024, 12, 31)),
                                today=AS_OF)
    assert empty.decided_count == 0 and empty.on_time_rate is None and empty.avg_wd is None
    assert empty.avg_case_wd is None and empty.cases_within_rate is None and empty.by_stage == []


def test_staff_see_their_department(built, world):
    _world, _cases, users = built
    jsj = approval_statistics(user=users["staff_jsj"], window=AUG_NOV, today=AS_OF)
    assert sorted((d.item.case.code, d.item.code) for d in jsj.decided) == [
        ("SP-A", "eia_registration"), ("SP-A", "low_risk_acceptance"), ("SP-A", "low_risk_permit"),
        ("SP-B", "low_risk_acceptance"), ("SP-B", "low_risk_permit")]
    assert {r.case.code for r in jsj.finished_cases + jsj.open_cases} == {"SP-A", "SP-B", "SP-C"}
    gfj = approval_statistics(user=users["staff_gfj"], window=AUG_NOV, today=AS_OF)
    assert gfj.decided_count == 3 and {d.item.code for d in gfj.decided} == {"filing"}
    other = approval_statistics(user=world.users["staff_a"], window=AUG_NOV, today=AS_OF)  # 经信局: no items
    assert other.decided_count == 0 and other.finished_cases == [] and other.open_cases == []
    for role in ("enterprise", "system_admin"):
        nothing = approval_statistics(user=world.users[role], window=AUG_NOV, today=AS_OF)
        assert nothing.decided_count == 0 and nothing.finished_cases == []


def test_drill_down_lists_the_items_behind_a_figure(built):
    world, _cases, _users = built
    stats = approval_statistics(user=world.users["leader"], window=AUG_NOV, today=AS_OF)
    label, rows = stats.drill("stage:3")
    assert label == "施工许可" and sorted(r.item.case.code for r in rows) == ["SP-A", "SP-B"]
    label, rows = stats.drill("late")
    assert [(r.item.case.code, r.item.code) for r in rows] == [("SP-B", "low_risk_permit")]
    assert len(stats.drill("on_time")[1]) == 8 and len(stats.drill("all")[1]) == 9
    assert stats.drill("item:utilities")[0] == "市政公用服务联合报装（水电气网）"
    for bad in ("stage:9", "item:nope", "whatever"):
        with pytest.raises(StatisticsPeriodError):
            stats.drill(bad)


def test_a_case_in_a_year_without_holiday_data_counts_provisionally():
    from gaoxin.approvals.selectors.statistics import _between
    from gaoxin.core.workcal import WorkCalendar

    guessed = set()
    assert _between(WorkCalendar(), D(2026, 12, 30), D(2027, 1, 4), guessed) == 3  # 12-31, 01-01 (guessed), 01-04
    assert guessed == {2027}


@pytest.mark.parametrize("first, last, expected", [
    ("", "", (D(2025, 1, 1), D(2025, 6, 30))),
    ("2024-03", "2024-05", (D(2024, 3, 1), D(2024, 5, 31))),
    ("2024-02", "2024-02", (D(2024, 2, 1), D(2024, 2, 29))),
    ("2024-07", "", (D(2024, 7, 1), D(2024, 12, 31))),
    ("2025-03", "", (D(2025, 3, 1), D(2025, 6, 30))),
    ("2025-09", "", (D(2025, 9, 1), D(2025, 12, 31))),
    ("2023-1", "2023-12", (D(2023, 1, 1), D(2023, 12, 31))),
])
def test_parse_window(first, last, expected):
    window = parse_window(first, last, today=D(2025, 6, 15))
    assert (window.start, window.end) == expected


@pytest.mark.parametrize("first, last, fragment", [
    ("2025-13", "", "起始月份“2025-13”无法识别"),
    ("abc", "", "无法识别"),
    ("1999-12", "", "2000–2100"),
    ("2025-06", "2025-13", "截止月份"),
    ("2025-06", "2025-05", "早于起始月份"),
])
def test_parse_window_refuses_with_a_reason(first, last, fragment):
    with pytest.raises(StatisticsPeriodError, match=fragment):
        parse_window(first, last, today=D(2025, 6, 15))
