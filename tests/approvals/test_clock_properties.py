"""Properties of the clock engine (hypothesis), checked against a day-by-day reference.

The engine answers in O(1) calendar queries per pause; the reference below walks the days one by one
with the same written rules (clock.py's docstring), so the two are independent implementations of one
specification. All dates stay inside 2024–2026, the years the package knows.
"""

import datetime as dt
import itertools
import math
import random
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gaoxin.approvals.clock import (
    LATE,
    NORMAL,
    ON_TIME,
    OVERDUE,
    WARNING,
    ClockItem,
    compute_timeline,
    item_status,
)
from gaoxin.core.workcal import WorkCalendar

CAL = WorkCalendar()
ONE = dt.timedelta(days=1)
FIRST, LAST = dt.date(2024, 1, 1), dt.date(2026, 6, 30)

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

dates = st.dates(min_value=FIRST, max_value=LAST)
limits = st.integers(min_value=0, max_value=40)
ratios = st.sampled_from([Decimal("0"), Decimal("0.1"), Decimal("0.2"), Decimal("0.28"), Decimal("0.5"), Decimal("1")])
modes = st.sampled_from(["resume", "restart"])


@st.composite
def pauses_after(draw, accepted: dt.date, *, allow_open: bool = True):
    """0–3 pauses near the acceptance date: before it, across it, overlapping, open."""
    pauses = []
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        start = accepted + dt.timedelta(days=draw(st.integers(min_value=-5, max_value=40)))
        if allow_open and draw(st.integers(min_value=0, max_value=5)) == 0:
            pauses.append((start, None))
        else:
            pauses.append((start, start + dt.timedelta(days=draw(st.integers(min_value=0, max_value=15)))))
    return tuple(pauses)


# --- the reference: day by day -------------------------------------------------------------------------------

def reference(accepted, decided, n, pauses, mode, today, ratio):
    clock_end = decided or today
    effective = []
    for start, end in pauses:
        end = end if end is not None else clock_end
        if decided is not None and end > decided:
            end = decided
        start = max(start, accepted + ONE)
        if start <= end:
            effective.append((start, end))
    paused = {start + dt.timedelta(days=i) for start, end in effective for i in range((end - start).days + 1)}

    def walk(origin, count):
        day, counted = origin, 0
        while counted < count:
            day += ONE
            if CAL.is_workday(day) and day not in paused:
                counted += 1
        return day

    def counted_in(origin, end):
        days, day = 0, origin
        while day < end:
            day += ONE
            if CAL.is_workday(day) and day not in paused:
                days += 1
        return days

    if mode == "resume" or not effective:
        due = accepted if n == 0 else walk(accepted, n)
        origin_at = lambda end: accepted  # noqa: E731
    else:
        restart = max(end for _, end in effective)
        due = restart if n == 0 else walk(restart, n)

        def origin_at(end):
            begun = [stop for start, stop in effective if start <= end]
            return max(begun) if begun else accepted

    end = decided if decided is not None else today
    if end is None:
        return due, None, None, None
    used = counted_in(origin_at(end), end)
    remaining = n - used
    if decided is not None:
        status = ON_TIME if decided <= due else LATE
    elif today > due:
        status = OVERDUE
    elif remaining <= math.ceil(ratio * n):
        status = WARNING
    else:
        status = NORMAL
    return due, used, remaining, status


@st.composite
def one_item(draw):
    accepted = draw(dates)
    n = draw(limits)
    pauses = draw(pauses_after(accepted))
    decided = draw(st.one_of(st.none(), st.integers(min_value=0, max_value=80).map(lambda k: accepted + dt.timedelta(k))))
    today = draw(st.one_of(st.none(), st.integers(min_value=-10, max_value=90).map(lambda k: accepted + dt.timedelta(k))))
    if decided is None and today is None and any(end is None for _, end in pauses):
        today = accepted + dt.timedelta(days=30)  # an open pause needs today (or decided)
    return accepted, decided, n, pauses, draw(modes), today, draw(ratios)


@SETTINGS
@given(one_item())
def test_item_status_matches_the_day_by_day_reference(case):
    accepted, decided, n, pauses, mode, today, ratio = case
    assert tuple(item_status(accepted, decided, n, pauses, mode, today, ratio, CAL)) == reference(*case)


@SETTINGS
@given(dates, st.integers(min_value=1, max_value=60), st.integers(min_value=0, max_value=10))
def test_due_is_a_working_day_and_uses_exactly_the_limit(accepted, limit, extension):
    due, *_ = item_status(accepted, None, limit, calendar=CAL, extension_wd=extension)
    assert CAL.is_workday(due)
    assert due > accepted
    # decided on the due date: exactly limit + extension used, 0 left, on time; one workday later: late.
    assert item_status(accepted, due, limit, calendar=CAL, extension_wd=extension) == (
        due, limit + extension, 0, ON_TIME)
    later = CAL.add_workdays(due, 1)
    assert item_status(accepted, later, limit, calendar=CAL, extension_wd=extension) == (
        due, limit + extension + 1, -1, LATE)
    # the same with extension folded into the limit
    assert item_status(accepted, None, limit + extension, calendar=CAL).due == due


@SETTINGS
@given(dates, limits, st.data())
def test_pauses_never_bring_the_due_date_forward_and_restart_is_never_earlier(accepted, n, data):
    pauses = data.draw(pauses_after(accepted, allow_open=False))
    plain = item_status(accepted, None, n, calendar=CAL).due
    resume = item_status(accepted, None, n, pauses, "resume", calendar=CAL).due
    restart = item_status(accepted, None, n, pauses, "restart", calendar=CAL).due
    assert plain <= resume <= restart
    # the order in which pauses are listed does not matter
    shuffled = list(pauses)
    random.Random(n).shuffle(shuffled)
    assert item_status(accepted, None, n, tuple(shuffled), "resume", calendar=CAL).due == resume
    assert item_status(accepted, None, n, tuple(shuffled), "restart", calendar=CAL).due == restart
    if n > 0:
        assert CAL.is_workday(resume) and not any(start <= resume <= end for start, end in pauses)


@SETTINGS
@given(dates, st.integers(min_value=0, max_value=39), st.data())
def test_one_more_day_moves_the_due_date_to_the_next_counted_day(accepted, n, data):
    pauses = data.draw(pauses_after(accepted, allow_open=False))
    for mode in ("resume", "restart"):
        due = item_status(accepted, None, n, pauses, mode, calendar=CAL).due
        after = item_status(accepted, None, n + 1, pauses, mode, calendar=CAL).due
        assert after > due
        # nothing counted strictly between them: decided on `after` uses exactly one more day than on `due`
        used_due = item_status(accepted, due, n + 1, pauses, mode, calendar=CAL).used_wd
        used_after = item_status(accepted, after, n + 1, pauses, mode, calendar=CAL).used_wd
        assert used_due == n and used_after == n + 1


@SETTINGS
@given(one_item())
def test_remaining_and_status_are_consistent(case):
    accepted, decided, n, pauses, mode, today, ratio = case
    due, used, remaining, status = item_status(accepted, decided, n, pauses, mode, today, ratio, CAL)
    if used is None:
        assert (remaining, status) == (None, None)
        return
    assert remaining == n - used
    assert 0 <= used <= max(0, CAL.workdays_between(accepted, decided or today))
    if decided is not None:
        assert status == (ON_TIME if decided <= due else LATE)
    else:
        assert (status == OVERDUE) == (today > due)
        if status == NORMAL:
            assert remaining > math.ceil(ratio * n)


# --- whole cases ---------------------------------------------------------------------------------------------

@st.composite
def dags(draw):
    """1–8 items; item i may require any earlier items (so no cycles), some accepted/decided.

    Starts by 2025-09 with limits up to 20 (+3): even a chain of 8 ends inside 2026.
    """
    start = draw(st.dates(min_value=FIRST, max_value=dt.date(2025, 9, 30)))
    items = []
    for i in range(draw(st.integers(min_value=1, max_value=8))):
        requires = tuple(f"i{j}" for j in range(i) if draw(st.booleans()))
        accepted = decided = None
        if not requires and draw(st.booleans()):
            accepted = start + dt.timedelta(days=draw(st.integers(min_value=0, max_value=20)))
            if draw(st.booleans()):
                decided = accepted + dt.timedelta(days=draw(st.integers(min_value=0, max_value=40)))
        pauses = draw(pauses_after(accepted or start, allow_open=False))
        items.append(ClockItem(f"i{i}", draw(st.integers(min_value=0, max_value=20)), requires=requires, accepted=accepted, decided=decided,
                               extension_wd=draw(st.integers(min_value=0, max_value=3)), pause_mode=draw(modes),
                               pauses=pauses))
    today = start + dt.timedelta(days=draw(st.integers(min_value=0, max_value=120)))
    return items, start, today


@SETTINGS
@given(dags(), st.randoms(use_true_random=False))
def test_order_of_items_does_not_change_the_results(case, rng):
    items, start, today = case
    first = compute_timeline(items, start=start, today=today, calendar=CAL)
    shuffled = list(items)
    rng.shuffle(shuffled)
    second = compute_timeline(shuffled, start=start, today=today, calendar=CAL)
    assert [i.code for i in second.items] == [i.code for i in shuffled]  # input order kept
    assert {i.code: i for i in first.items} == {i.code: i for i in second.items}
    assert (first.finish, first.total_wd) == (second.finish, second.total_wd)


@SETTINGS
@given(dags())
def test_timeline_structure(case):
    items, start, today = case
    t = compute_timeline(items, start=start, today=today, calendar=CAL)
    by_code = {i.code: i for i in t.items}
    spec = {i.code: i for i in items}

    def end(code):
        row = by_code[code]
        return row.decided or row.due

    assert t.finish == max(end(code) for code in by_code)
    earliest = min(row.accepted for row in t.items)
    assert t.total_wd == CAL.workdays_between(earliest, t.finish)
    for item in items:
        row = by_code[item.code]
        if item.accepted is None and item.requires:
            assert row.accepted == max(end(r) for r in item.requires)
        elif item.accepted is None:
            assert row.accepted == CAL.add_workdays(start, 0)
    # the critical path: ends at finish, walks requirements back to an item without any
    path = t.critical_path
    assert end(path[-1]) == t.finish
    assert not spec[path[0]].requires
    for earlier, later in itertools.pairwise(path):
        assert earlier in spec[later].requires
        assert end(earlier) == max(end(r) for r in spec[later].requires)
