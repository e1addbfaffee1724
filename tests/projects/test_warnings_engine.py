"""The warning functions of the projects engine at their thresholds (pure: no database)."""

import datetime as dt
from decimal import Decimal

import pytest

from gaoxin.projects import engine
from gaoxin.projects.engine import Light, Period, WarningRules

RULES = WarningRules()
JUNE = Period(2024, 6)  # 时序进度 50 %


def progress(completed: str, plan: str = "100", period: Period = JUNE, rules: WarningRules = RULES):
    return engine.progress_signal(plan_wan=Decimal(plan), completed_wan=Decimal(completed), period=period,
                                  rules=rules)


@pytest.mark.parametrize(("completed", "light"), [
    ("40.01", Light.GREEN),   # 9.99 points behind
    ("40", Light.YELLOW),     # exactly 10 behind
    ("20", Light.YELLOW),     # exactly 30 behind
    ("19.99", Light.RED),     # 30.01 behind
    ("0", Light.RED),
    ("80", Light.GREEN),      # ahead
])
def test_progress_thresholds(completed, light):
    assert progress(completed).light == light


def test_progress_exact_with_thirds():
    # 时序进度 of April is 33⅓ %: 23⅓ % completion is exactly 10 behind, which float arithmetic would miss.
    april = Period(2024, 4)
    signal = progress("70", plan="300", period=april)
    assert signal.params["behind"] == 10
    assert signal.light == Light.YELLOW


def test_progress_without_plan_gives_no_signal():
    assert progress("10", plan="0") is None
    assert engine.progress_signal(plan_wan=None, completed_wan=Decimal(1), period=JUNE, rules=RULES) is None


def test_progress_uses_zone_thresholds():
    rules = WarningRules(yellow_behind_pp=Decimal("5"), red_behind_pp=Decimal("8"))
    assert progress("45", rules=rules).light == Light.YELLOW
    assert progress("41.99", rules=rules).light == Light.RED


PLANNED = dt.date(2024, 3, 1)


@pytest.mark.parametrize(("as_of", "light"), [
    (dt.date(2024, 2, 29), None),            # before the planned date: nothing to say
    (PLANNED, Light.YELLOW),
    (dt.date(2024, 5, 31), Light.YELLOW),    # the day before planned + 3 months
    (dt.date(2024, 6, 1), Light.RED),        # planned + 3 months
])
def test_start_thresholds(as_of, light):
    signal = engine.start_signal(planned_start=PLANNED, actual_start=None, as_of=as_of, rules=RULES)
    assert (signal.light if signal else None) == light


def test_started_project_has_no_start_signal():
    assert engine.start_signal(planned_start=PLANNED, actual_start=dt.date(2024, 9, 1), as_of=dt.date(2025, 1, 1),
                               rules=RULES) is None
    assert engine.start_signal(planned_start=None, actual_start=None, as_of=dt.date(2025, 1, 1), rules=RULES) is None


def test_start_months_clip_to_month_end():
    assert engine.add_months(dt.date(2023, 11, 30), 3) == dt.date(2024, 2, 29)
    planned = dt.date(2023, 11, 30)
    day_before = engine.start_signal(planned_start=planned, actual_start=None, as_of=dt.date(2024, 2, 28), rules=RULES)
    on_day = engine.start_signal(planned_start=planned, actual_start=None, as_of=dt.date(2024, 2, 29), rules=RULES)
    assert (day_before.light, on_day.light) == (Light.YELLOW, Light.RED)


DEADLINE = dt.date(2024, 6, 30)


@pytest.mark.parametrize(("as_of", "light", "days_left"), [
    (dt.date(2024, 6, 26), Light.GREEN, 4),
    (dt.date(2024, 6, 27), Light.YELLOW, 3),   # due soon: 3 days
    (DEADLINE, Light.YELLOW, 0),               # on its deadline
    (dt.date(2024, 7, 1), Light.RED, -1),      # the day after
])
def test_issue_thresholds(as_of, light, days_left):
    signal = engine.issue_signal(deadline=DEADLINE, resolved=False, as_of=as_of, rules=RULES)
    assert signal.light == light
    assert signal.params["days_left"] == days_left


def test_resolved_issue_has_no_light():
    assert engine.issue_signal(deadline=DEADLINE, resolved=True, as_of=dt.date(2025, 1, 1), rules=RULES) is None


def test_worst():
    green = engine.Signal(Light.GREEN, "progress")
    red = engine.Signal(Light.RED, "issue")
    yellow = engine.Signal(Light.YELLOW, "not_started")
    assert engine.worst([green, None, red, yellow]) == Light.RED
    assert engine.worst([green, yellow]) == Light.YELLOW
    assert engine.worst([None]) is None
