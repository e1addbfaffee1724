"""The clock engine (approvals/clock.py) on hand-computed dates. Pure: no database.

Calendar facts used below (chinesecalendar 1.11, the State Council notices):
- 2025 National Day: 10-01 (Wed) … 10-08 (Wed) off; make-up workdays 09-28 (Sun) and 10-11 (Sat).
  So after Fri 09-26 the workdays run 09-28, 09-29, 09-30, 10-09, 10-10, 10-11, 10-13, 10-14, 10-15, …
- 2025 清明: Fri 04-04 off.
- 2026 Spring Festival: 02-15 (Sun) … 02-23 (Mon) off; make-up workdays 02-14 (Sat) and 02-28 (Sat).
  So after Thu 02-12 the workdays run 02-13, 02-14, 02-24, 02-25, 02-26, 02-27, 02-28, 03-02, …
"""

import datetime as dt
from decimal import Decimal

import pytest

from gaoxin.approvals.clock import (
    LATE,
    NORMAL,
    ON_TIME,
    OVERDUE,
    WARNING,
    ClockItem,
    ItemClock,
    TimelineCalendarError,
    TimelineError,
    compute_timeline,
    item_status,
)
from gaoxin.core.workcal import UnknownCalendarYear, WorkCalendar, YearDefinition

CAL = WorkCalendar()


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def status(accepted, limit, *, decided=None, pauses=(), mode="resume", today=None, ratio=Decimal("0.2"),
           extension=0, calendar=CAL, provisional=False):
    return item_status(d(accepted), d(decided) if decided else None, limit,
                       tuple((d(a), d(b) if b else None) for a, b in pauses), mode,
                       d(today) if today else None, ratio, calendar,
                       extension_wd=extension, provisional=provisional)


# --- due dates across the 2025 National Day ------------------------------------------------------------------

@pytest.mark.parametrize(("accepted", "limit", "due"), [
    # Fri 09-26 not counted; 1 = Sun 09-28 (make-up), 2 = 09-29, 3 = 09-30, then 10-01…10-08 off,
    # 4 = Thu 10-09, 5 = Fri 10-10.
    ("2025-09-26", 1, "2025-09-28"),
    ("2025-09-26", 3, "2025-09-30"),
    ("2025-09-26", 5, "2025-10-10"),
    # 6 = Sat 10-11 (make-up), 7 = Mon 10-13 (Sun 10-12 is a plain weekend day).
    ("2025-09-26", 6, "2025-10-11"),
    ("2025-09-26", 7, "2025-10-13"),
    # accepted on the last workday before the holiday: the first counted day is after it.
    ("2025-09-30", 1, "2025-10-09"),
    # accepted on Saturday 09-27: the Sunday make-up day is day 1.
    ("2025-09-27", 1, "2025-09-28"),
    # accepted inside the holiday (e.g. an online application): counting starts after it.
    ("2025-10-03", 2, "2025-10-10"),
])
def test_due_dates_around_national_day_2025(accepted, limit, due):
    clock = status(accepted, limit)
    assert clock.due == d(due)
    assert clock == ItemClock(d(due), None, None, None)  # neither decided nor today: no usage, no status


def test_due_dates_around_spring_festival_2026():
    # Thu 02-12 accepted: 1 = Fri 02-13, 2 = Sat 02-14 (make-up), 02-15…02-23 off, 3 = Tue 02-24,
    # 4 = 02-25, 5 = 02-26, 6 = 02-27, 7 = Sat 02-28 (make-up), 8 = Mon 03-02.
    assert status("2026-02-12", 2).due == d("2026-02-14")
    assert status("2026-02-12", 3).due == d("2026-02-24")
    assert status("2026-02-12", 5).due == d("2026-02-26")
    assert status("2026-02-12", 7).due == d("2026-02-28")
    assert status("2026-02-12", 8).due == d("2026-03-02")
    # used on Mon 02-23 (last holiday): 02-13, 02-14 → 2 used of 5, 3 left; ceil(0.2 × 5) = 1 → 正常.
    assert status("2026-02-12", 5, today="2026-02-23") == (d("2026-02-26"), 2, 3, NORMAL)


def test_extension_adds_working_days():
    # 3 + 2 extension = 5 counted days from Fri 09-26 → Fri 10-10 (as the 5-day limit above).
    clock = status("2025-09-26", 3, extension=2, today="2025-10-09")
    # used on 10-09: 09-28, 09-29, 09-30, 10-09 = 4; remaining 5 − 4 = 1 ≤ ceil(0.2 × 5) = 1 → 预警.
    assert clock == (d("2025-10-10"), 4, 1, WARNING)


# --- decisions --------------------------------------------------------------------------------------------

def test_decided_on_the_due_date_is_on_time():
    # due Fri 10-10 (5 days from 09-26); decided that day: used 5, remaining 0.
    assert status("2025-09-26", 5, decided="2025-10-10", today="2025-12-01") == (d("2025-10-10"), 5, 0, ON_TIME)


def test_late_decision():
    # due 10-10; decided Mon 10-13: used 09-28, 09-29, 09-30, 10-09, 10-10, 10-11, 10-13 = 7 → −2, 逾期办结.
    assert status("2025-09-26", 5, decided="2025-10-13") == (d("2025-10-10"), 7, -2, LATE)


def test_decided_on_a_weekend_after_the_due_date_is_late_with_no_extra_used_day():
    # due Fri 10-10; decided Sun 10-12 (not a make-up day): used 6 (10-11 Sat is a make-up day) → −1.
    assert status("2025-09-26", 5, decided="2025-10-12") == (d("2025-10-10"), 6, -1, LATE)


def test_decided_before_accepted_is_an_error():
    with pytest.raises(TimelineError, match="早于受理日期"):
        status("2025-10-10", 5, decided="2025-10-09")


# --- 即办 (limit 0) ---------------------------------------------------------------------------------------

def test_limit_zero_is_due_on_the_acceptance_day_even_a_holiday():
    # 即办 accepted on 10-01 (a holiday): due that very day.
    assert status("2025-10-01", 0).due == d("2025-10-01")
    # still open on the acceptance day: used 0, remaining 0 ≤ ceil(0.2 × 0) = 0 → 预警.
    assert status("2025-10-01", 0, today="2025-10-01") == (d("2025-10-01"), 0, 0, WARNING)
    # still open on Thu 10-09 (the first workday after): 1 used, −1, 逾期.
    assert status("2025-10-01", 0, today="2025-10-09") == (d("2025-10-01"), 1, -1, OVERDUE)
    # decided the same day: 按期办结.
    assert status("2025-10-01", 0, decided="2025-10-01") == (d("2025-10-01"), 0, 0, ON_TIME)


# --- warnings -----------------------------------------------------------------------------------------------

def test_warn_boundary():
    # 10 days from Thu 10-09: 10-10, 10-11 (Sat make-up), 10-13, 10-14, 10-15, 10-16, 10-17, 10-20,
    # 10-21, 10-22 → due Wed 10-22. ceil(0.2 × 10) = 2.
    # On Fri 10-17 7 are used, 3 left → 正常; on Mon 10-20 8 used, 2 left (exactly the threshold) → 预警.
    assert status("2025-10-09", 10, today="2025-10-17") == (d("2025-10-22"), 7, 3, NORMAL)
    assert status("2025-10-09", 10, today="2025-10-20") == (d("2025-10-22"), 8, 2, WARNING)
    # a weekend day between: Sat 10-18 and Sun 10-19 are not workdays, so still 7 used → 正常.
    assert status("2025-10-09", 10, today="2025-10-19") == (d("2025-10-22"), 7, 3, NORMAL)
    # on the due date: 0 left → 预警, not yet 逾期; the day after → 逾期.
    assert status("2025-10-09", 10, today="2025-10-22") == (d("2025-10-22"), 10, 0, WARNING)
    assert status("2025-10-09", 10, today="2025-10-23") == (d("2025-10-22"), 11, -1, OVERDUE)


def test_warn_threshold_is_exact_decimal_arithmetic():
    # 25 days from Mon 2025-03-03: 03-04…03-07 (4), 03-10…14 (9), 03-17…21 (14), 03-24…28 (19), 03-31 (20),
    # 04-01…04-03 (23), Fri 04-04 清明 off, 04-07 (24), 04-08 (25) → due 04-08.
    # 0.28 × 25 = 7 exactly (in floats 7.000000000000001, whose ceiling would be 8).
    # Thu 03-26 is the 17th day → 8 left → 正常; Fri 03-27 the 18th → 7 left → 预警.
    assert status("2025-03-03", 25, today="2025-03-26", ratio=0.28) == (d("2025-04-08"), 17, 8, NORMAL)
    assert status("2025-03-03", 25, today="2025-03-27", ratio=0.28) == (d("2025-04-08"), 18, 7, WARNING)
    assert status("2025-03-03", 25, today="2025-03-26", ratio=Decimal("0.28")).status == NORMAL


def test_warn_ratio_zero_and_one():
    # ratio 0: warn only when nothing is left; ratio 1: always 预警 until overdue.
    assert status("2025-10-09", 10, today="2025-10-21", ratio=0).status == NORMAL  # 1 left
    assert status("2025-10-09", 10, today="2025-10-22", ratio=0).status == WARNING  # 0 left
    assert status("2025-10-09", 10, today="2025-10-10", ratio=1).status == WARNING
    with pytest.raises(TimelineError, match="warn_ratio"):
        status("2025-10-09", 10, today="2025-10-10", ratio=Decimal("1.01"))


def test_today_before_acceptance_counts_nothing():
    # A planned item: accepted 10-20, looked at on 10-09 → 0 used, all 5 left.
    assert status("2025-10-20", 5, today="2025-10-09") == (d("2025-10-27"), 0, 5, NORMAL)


# --- pauses ---------------------------------------------------------------------------------------------------

def test_pause_resume_the_contract_example():
    # Accepted Fri 09-26, 5 days, paused 10-09…10-13 inclusive (Thu, Fri, Sat make-up, Sun, Mon).
    # Counted: 09-28, 09-29, 09-30 (3), pause swallows 10-09, 10-10, 10-11, 10-13, then 10-14 (4), 10-15 (5).
    # used on Mon 10-20: 3 + 10-14, 10-15, 10-16, 10-17, 10-20 = 8 → −3, 逾期.
    clock = status("2025-09-26", 5, pauses=[("2025-10-09", "2025-10-13")], today="2025-10-20")
    assert clock == (d("2025-10-15"), 8, -3, OVERDUE)


def test_pause_restart():
    # Same pause, restart: the count starts again after Mon 10-13: 10-14, 15, 16, 17, 20 → due Mon 10-20.
    # used on 10-20: 5 → 0 left ≤ ceil(0.2 × 5) = 1 → 预警 (today = due is not yet late).
    clock = status("2025-09-26", 5, pauses=[("2025-10-09", "2025-10-13")], mode="restart", today="2025-10-20")
    assert clock == (d("2025-10-20"), 5, 0, WARNING)
    # Before the pause begins the days since acceptance count (10-08: 09-28, 09-29, 09-30 → 3 used, 2 left);
    # inside it the clock stands at 0 used, because it will restart.
    before = status("2025-09-26", 5, pauses=[("2025-10-09", "2025-10-13")], mode="restart", today="2025-10-08")
    assert before == (d("2025-10-20"), 3, 2, NORMAL)
    inside = status("2025-09-26", 5, pauses=[("2025-10-09", "2025-10-13")], mode="restart", today="2025-10-10")
    assert inside == (d("2025-10-20"), 0, 5, NORMAL)


def test_restart_with_limit_zero_is_due_when_the_pause_ends():
    assert status("2025-09-26", 0, pauses=[("2025-09-29", "2025-10-13")], mode="restart").due == d("2025-10-13")
    assert status("2025-09-26", 0, pauses=[("2025-09-29", "2025-10-13")]).due == d("2025-09-26")  # resume: 即办


def test_two_pauses_resume_and_restart_uses_the_last():
    # Pauses 09-29…09-30 and 10-13…10-14, 5 days from 09-26.
    # resume: 09-28 (1), [09-29, 09-30 paused], 10-09 (2), 10-10 (3), 10-11 (4), [10-13, 10-14], 10-15 (5).
    # restart: after 10-14: 10-15, 16, 17, 20, 21 → 10-21.
    pauses = [("2025-10-13", "2025-10-14"), ("2025-09-29", "2025-09-30")]  # order of input does not matter
    assert status("2025-09-26", 5, pauses=pauses).due == d("2025-10-15")
    assert status("2025-09-26", 5, pauses=pauses, mode="restart").due == d("2025-10-21")


def test_overlapping_pauses_are_merged():
    # 10-09…10-11 and 10-10…10-13 together pause 10-09…10-13: the same as the contract example.
    pauses = [("2025-10-09", "2025-10-11"), ("2025-10-10", "2025-10-13")]
    assert status("2025-09-26", 5, pauses=pauses, today="2025-10-20") == (d("2025-10-15"), 8, -3, OVERDUE)
    # one pause inside another changes nothing either.
    nested = [("2025-10-09", "2025-10-13"), ("2025-10-10", "2025-10-10")]
    assert status("2025-09-26", 5, pauses=nested).due == d("2025-10-15")


def test_pause_before_acceptance_is_ignored_and_one_across_it_is_cut():
    # 补正 requested at 收件 (09-22…09-25), accepted 09-26: no effect, also in restart mode.
    assert status("2025-09-26", 5, pauses=[("2025-09-22", "2025-09-25")]).due == d("2025-10-10")
    assert status("2025-09-26", 5, pauses=[("2025-09-22", "2025-09-25")], mode="restart").due == d("2025-10-10")
    # 09-22…09-29 across acceptance: only 09-28 and 09-29 pause the clock → 09-30 (1), 10-09 … 10-13 (5).
    assert status("2025-09-26", 5, pauses=[("2025-09-22", "2025-09-29")]).due == d("2025-10-13")
    # pause ending on the acceptance day: nothing left of it.
    assert status("2025-09-26", 5, pauses=[("2025-09-20", "2025-09-26")], mode="restart").due == d("2025-10-10")


def test_pause_inside_a_holiday_changes_nothing():
    # 10-02…10-07 holds no workday: due stays 10-10.
    assert status("2025-09-26", 5, pauses=[("2025-10-02", "2025-10-07")]).due == d("2025-10-10")


def test_pause_after_the_due_date_does_not_move_it_back():
    # due 10-10 without pauses; a pause 10-20…10-22 is after it: due unchanged; today 10-21 is 逾期.
    clock = status("2025-09-26", 5, pauses=[("2025-10-20", "2025-10-22")], today="2025-10-21")
    # used on 10-21: workdays 09-28, 09-29, 09-30, 10-09, 10-10, 10-11, 10-13 … 10-17, 10-20, 10-21 = 13,
    # less the paused 10-20 and 10-21 = 11 → 5 − 11 = −6.
    assert clock == (d("2025-10-10"), 11, -6, OVERDUE)


def test_pause_is_cut_at_the_decision():
    # decided 10-10 during a pause 10-09…10-13: the pause counts 10-09…10-10 only. Counted up to 10-10:
    # 09-28, 09-29, 09-30 → 3; due: 3 before the pause, then 10-11 (4), 10-13 (5) → 10-13 ≥ 10-10 → 按期办结.
    clock = status("2025-09-26", 5, pauses=[("2025-10-09", "2025-10-13")], decided="2025-10-10")
    assert clock == (d("2025-10-13"), 3, 2, ON_TIME)
    # a pause that starts after the decision is ignored.
    later = status("2025-09-26", 5, pauses=[("2025-10-14", "2025-10-20")], decided="2025-10-13")
    assert later == (d("2025-10-10"), 7, -2, LATE)


def test_open_pause_lasts_until_today():
    # paused since 10-09, still paused on Tue 10-14: computed as if it ended today, so the 2 remaining
    # counted days are 10-15, 10-16 → due 10-16; used 3 (09-28, 09-29, 09-30).
    clock = status("2025-09-26", 5, pauses=[("2025-10-09", None)], today="2025-10-14")
    assert clock == (d("2025-10-16"), 3, 2, NORMAL)
    # restart with an open pause: the count would start again after today → 10-15 … 10-21 (5th).
    clock = status("2025-09-26", 5, pauses=[("2025-10-09", None)], mode="restart", today="2025-10-14")
    assert clock == (d("2025-10-21"), 0, 5, NORMAL)
    # an open pause that begins after today has not begun: no effect.
    assert status("2025-09-26", 5, pauses=[("2025-10-20", None)], today="2025-10-09").due == d("2025-10-10")


def test_open_pause_without_today_is_an_error_and_a_reversed_pause_too():
    with pytest.raises(TimelineError, match="尚未结束"):
        status("2025-09-26", 5, pauses=[("2025-10-09", None)])
    with pytest.raises(TimelineError, match="早于开始日期"):
        status("2025-09-26", 5, pauses=[("2025-10-13", "2025-10-09")])


def test_pause_over_year_end():
    # accepted Tue 2025-12-30, 3 days, paused 12-31…2026-01-05: 2026-01-01/02 off, 01-04 (Sun) make-up.
    # Counted: [12-31, 01-04, 01-05 paused], 01-06 (1), 01-07 (2), 01-08 (3).
    assert status("2025-12-30", 3, pauses=[("2025-12-31", "2026-01-05")]).due == d("2026-01-08")
    # without the pause: 12-31 (1), 01-04 (2, Sunday make-up), 01-05 (3).
    assert status("2025-12-30", 3).due == d("2026-01-05")


# --- calendars ----------------------------------------------------------------------------------------------

def test_unknown_year_raises_or_is_provisional():
    # 2026-12-30 (Wed) + 3: 12-31 (1), 2027 is unknown to the package.
    with pytest.raises(UnknownCalendarYear):
        status("2026-12-30", 3)
    guessed: set[int] = set()
    # Monday–Friday in 2027: Fri 01-01 (2), Mon 01-04 (3).
    assert status("2026-12-30", 3, provisional=guessed).due == d("2027-01-04")
    assert guessed == {2027}
    assert status("2026-12-30", 3, provisional=True).due == d("2027-01-04")


def test_defined_year_replaces_the_package():
    cal = WorkCalendar([YearDefinition(2027, frozenset({d("2027-01-01")}), frozenset())])
    # 12-31 (1), Fri 01-01 off, 01-04 (2), 01-05 (3).
    assert status("2026-12-30", 3, calendar=cal).due == d("2027-01-05")


# --- compute_timeline ---------------------------------------------------------------------------------------

def test_timeline_chain_ties_and_critical_path():
    # start Fri 09-26; today Thu 10-09.
    # a: 3 days from 09-26 → 09-28, 09-29, 09-30 → due 09-30; on 10-09 4 used → −1, 逾期.
    # b: 1 day → due 09-28; decided 09-30: used 09-28, 09-29, 09-30 = 3 → 1 − 3 = −2, 逾期办结. Ends 09-30.
    # c requires [b, a]: both end 09-30 → accepted 09-30; 2 days → 10-09, 10-10. On 10-09 1 used, 1 left
    #   ≤ ceil(0.4) = 1 → 预警.
    # e requires [c], 即办: accepted 10-10 = due 10-10; today 10-09 is before it → 0 used, 0 left → 预警.
    # c and e both end 10-10; e is listed first → the path starts from e, goes to c, then to the
    # first-listed of c's tied requirements, b.
    items = [
        ClockItem("e", 0, requires=("c",)),
        ClockItem("a", 3),
        ClockItem("b", 1, decided=d("2025-09-30")),
        ClockItem("c", 2, requires=("b", "a")),
    ]
    t = compute_timeline(items, start=d("2025-09-26"), today=d("2025-10-09"), warn_ratio=0.2, calendar=CAL)
    rows = {i.code: (i.accepted, i.due, i.decided, i.used_wd, i.remaining_wd, i.status) for i in t.items}
    assert [i.code for i in t.items] == ["e", "a", "b", "c"]
    assert rows["a"] == (d("2025-09-26"), d("2025-09-30"), None, 4, -1, OVERDUE)
    assert rows["b"] == (d("2025-09-26"), d("2025-09-28"), d("2025-09-30"), 3, -2, LATE)
    assert rows["c"] == (d("2025-09-30"), d("2025-10-10"), None, 1, 1, WARNING)
    assert rows["e"] == (d("2025-10-10"), d("2025-10-10"), None, 0, 0, WARNING)
    assert t.finish == d("2025-10-10")
    # total: workdays in (09-26, 10-10]: 09-28, 09-29, 09-30, 10-09, 10-10 = 5.
    assert t.total_wd == 5
    assert t.critical_path == ("b", "c", "e")
    assert t.provisional is False

    # c lists a first: then a is the tie's winner.
    items[3] = ClockItem("c", 2, requires=("a", "b"))
    t = compute_timeline(items, start=d("2025-09-26"), today=d("2025-10-09"), calendar=CAL)
    assert t.critical_path == ("a", "c", "e")
    # e listed after c: c is the first of the tied last items → the path ends at c.
    t = compute_timeline([items[1], items[2], items[3], items[0]], start=d("2025-09-26"), calendar=CAL)
    assert t.critical_path == ("a", "c")


def test_timeline_start_on_a_holiday_and_requirement_on_a_weekend():
    # start 10-01 (holiday) → a accepted on the first workday after, Thu 10-09; 1 day → Fri 10-10.
    # a is decided on Sun 10-12 (late: due 10-10) → b, which requires a, is accepted on Sun 10-12 as it is;
    # 1 day → Mon 10-13.
    items = [ClockItem("a", 1, decided=d("2025-10-12")), ClockItem("b", 1, requires=("a",))]
    t = compute_timeline(items, start=d("2025-10-01"), calendar=CAL)
    assert [(i.accepted, i.due) for i in t.items] == [(d("2025-10-09"), d("2025-10-10")),
                                                       (d("2025-10-12"), d("2025-10-13"))]
    assert [i.status for i in t.items] == [LATE, None]  # b: neither decided nor today
    assert t.finish == d("2025-10-13")
    # (10-09, 10-13]: 10-10, 10-11 (make-up), 10-13 = 3.
    assert t.total_wd == 3
    assert t.critical_path == ("a", "b")


def test_timeline_requirement_uses_due_date_when_not_decided_and_given_accepted_wins():
    # a: 5 days from 09-26 → 10-10. b requires a: accepted 10-10, 2 days → 10-11 (Sat make-up), 10-13.
    # c requires a but has its own accepted 09-29 (并联 / pre-review): kept; 1 day → 09-30.
    items = [ClockItem("a", 5, accepted=d("2025-09-26")), ClockItem("b", 2, requires=("a",)),
             ClockItem("c", 1, requires=("a",), accepted=d("2025-09-29"))]
    t = compute_timeline(items, calendar=CAL)  # no start needed: only b lacks accepted, and it has requires
    assert [(i.accepted, i.due) for i in t.items] == [
        (d("2025-09-26"), d("2025-10-10")), (d("2025-10-10"), d("2025-10-13")), (d("2025-09-29"), d("2025-09-30"))]
    assert t.critical_path == ("a", "b")


def test_timeline_provisional_flag_only_when_a_guessed_year_is_used():
    items = [ClockItem("a", 3, accepted=d("2026-12-30"))]
    with pytest.raises(TimelineCalendarError, match="2027"):
        compute_timeline(items, calendar=CAL)
    t = compute_timeline(items, calendar=CAL, provisional=True)
    assert (t.items[0].due, t.provisional, t.provisional_years) == (d("2027-01-04"), True, frozenset({2027}))
    # provisional allowed but every year known → not provisional.
    t = compute_timeline([ClockItem("a", 3, accepted=d("2025-09-26"))], calendar=CAL, provisional=True)
    assert t.provisional is False


@pytest.mark.parametrize(("items", "kwargs", "message"), [
    ([], {}, "items 为空"),
    ([ClockItem("a", 1), ClockItem("a", 2)], {"start": d("2025-01-02")}, "重复"),
    ([ClockItem("a", 1, requires=("x",))], {"start": d("2025-01-02")}, "不存在"),
    ([ClockItem("a", 1, requires=("a",))], {"start": d("2025-01-02")}, "它自己"),
    ([ClockItem("a", 1, requires=("b",)), ClockItem("b", 1, requires=("c",)), ClockItem("c", 1, requires=("a",))],
     {"start": d("2025-01-02")}, "a → b → c → a"),
    ([ClockItem("a", -1)], {"start": d("2025-01-02")}, "不能为负数"),
    ([ClockItem("a", 1, extension_wd=-1)], {"start": d("2025-01-02")}, "不能为负数"),
    ([ClockItem("a", 1, pause_mode="pause")], {"start": d("2025-01-02")}, "pause_mode"),
    ([ClockItem("a", 1)], {}, "start"),
    ([ClockItem("a", 1, accepted=d("2025-01-03"), decided=d("2025-01-02"))], {}, "早于受理日期"),
    # derived acceptance (a's due 01-03) after b's decision 01-02
    ([ClockItem("a", 1, accepted=d("2025-01-02")), ClockItem("b", 1, requires=("a",), decided=d("2025-01-02"))],
     {}, "由前置事项推得"),
    ([ClockItem("a", 1, accepted=d("2025-01-02"))], {"warn_ratio": -0.1}, "warn_ratio"),
    ([ClockItem("a", 10**9, accepted=d("2025-01-02"))], {"provisional": True}, "超出可计算的范围"),
])
def test_timeline_invalid(items, kwargs, message):
    with pytest.raises(TimelineError, match=message):
        compute_timeline(items, calendar=CAL, **kwargs)


def test_keyword_call_as_the_services_make_it_and_default_ratio():
    # The cases service calls with keywords and limit + extension folded; a catalog without a ratio → 0.2.
    answer = item_status(accepted=d("2025-10-09"), decided=None, limit_wd=10, pauses=(), pause_mode="restart",
                         today=d("2025-10-20"), warn_ratio=None, calendar=CAL, provisional=True)
    assert answer == (d("2025-10-22"), 8, 2, WARNING)  # as in test_warn_boundary
    assert (answer.due, answer.used_wd, answer.remaining_wd, answer.status) == tuple(answer)
    with pytest.raises(TypeError):
        item_status(d("2025-10-09"), None, 10)  # no calendar
    with pytest.raises(TimelineError, match="pause_mode"):
        item_status(d("2025-10-09"), None, 10, (), "pause", calendar=CAL)
