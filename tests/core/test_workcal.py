"""The working-day calendar: official data, admin-defined years, unknown years, provisional answers."""

import datetime as dt

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gaoxin.core.workcal import (
    PACKAGE_YEARS,
    CalendarAnswer,
    UnknownCalendarYear,
    WorkCalendar,
    YearDefinition,
)

D = dt.date

# An arrangement for 2027 as an administrator would enter it (Spring Festival on 6 February 2027).
Y2027 = YearDefinition(
    2027,
    holidays=frozenset({D(2027, 1, 1), *(D(2027, 2, d) for d in range(5, 14)), D(2027, 10, 1), D(2027, 10, 4)}),
    workdays=frozenset({D(2027, 1, 30), D(2027, 2, 20)}),
    source="国办发明电〔2026〕99号",
)

CAL = WorkCalendar([Y2027])


def days(start: dt.date, end: dt.date):
    return [start + dt.timedelta(i) for i in range((end - start).days + 1)]


def test_package_years_are_2004_to_2026():
    assert PACKAGE_YEARS == range(2004, 2027)


# -- 2025 National Day + Mid-Autumn -----------------------------------------------------------------

def test_2025_national_day_holidays_and_makeup_workdays():
    cal = WorkCalendar()
    assert not any(cal.is_workday(d) for d in days(D(2025, 10, 1), D(2025, 10, 8)))
    assert cal.is_workday(D(2025, 9, 28))  # Sunday, 调休上班
    assert cal.is_workday(D(2025, 10, 11))  # Saturday, 调休上班
    assert not cal.is_workday(D(2025, 10, 12))  # an ordinary Sunday
    assert cal.is_workday(D(2025, 9, 30)) and cal.is_workday(D(2025, 10, 9))


def test_2025_national_day_counts():
    cal = WorkCalendar()
    # (Sep 30, Oct 9]: Oct 1–8 off → only Oct 9 counts.
    assert cal.workdays_between(D(2025, 9, 30), D(2025, 10, 9)) == 1
    assert cal.add_workdays(D(2025, 9, 30), 1) == D(2025, 10, 9)
    # Received Friday 26 Sep: Sun 28 (make-up) is day 1, Mon 29 day 2, Tue 30 day 3, Thu 9 Oct day 4,
    # Fri 10 day 5, Sat 11 (make-up) day 6.
    assert [cal.add_workdays(D(2025, 9, 26), n) for n in range(1, 7)] == [
        D(2025, 9, 28), D(2025, 9, 29), D(2025, 9, 30), D(2025, 10, 9), D(2025, 10, 10), D(2025, 10, 11)]
    assert cal.add_workdays(D(2025, 10, 9), -1) == D(2025, 9, 30)
    assert cal.workdays_between(D(2025, 10, 9), D(2025, 9, 30)) == -1


# -- 2026 Spring Festival ---------------------------------------------------------------------------

def test_2026_spring_festival_as_the_package_says():
    holidays = sorted(d for d in chinese_calendar.holidays if D(2026, 2, 1) <= d <= D(2026, 3, 1))
    workdays = sorted(d for d in chinese_calendar.workdays if D(2026, 2, 1) <= d <= D(2026, 3, 1))
    assert holidays == days(D(2026, 2, 15), D(2026, 2, 23))
    assert workdays == [D(2026, 2, 14), D(2026, 2, 28)]
    cal = WorkCalendar()
    assert not any(cal.is_workday(d) for d in days(D(2026, 2, 15), D(2026, 2, 23)))
    assert cal.is_workday(D(2026, 2, 14)) and cal.is_workday(D(2026, 2, 28))  # both Saturdays
    assert cal.add_workdays(D(2026, 2, 13), 1) == D(2026, 2, 14)
    assert cal.add_workdays(D(2026, 2, 14), 1) == D(2026, 2, 24)
    # (Feb 13, Feb 28]: Feb 14, Feb 24–27, Feb 28 → 6 workdays.
    assert cal.workdays_between(D(2026, 2, 13), D(2026, 2, 28)) == 6


def test_agrees_with_the_package_on_every_day_it_knows():
    cal = WorkCalendar()
    for year in PACKAGE_YEARS:
        for d in days(D(year, 1, 1), D(year, 12, 31)):
            assert cal.is_workday(d) == chinese_calendar.is_workday(d), d


# -- admin-defined years ----------------------------------------------------------------------------

def test_admin_defined_2027():
    assert CAL.source_of(2027) == "admin" and CAL.is_known(2027)
    assert not CAL.is_workday(D(2027, 2, 8))  # Monday in the Spring Festival
    assert CAL.is_workday(D(2027, 2, 20))  # Saturday make-up workday
    assert not CAL.is_workday(D(2027, 2, 21))  # ordinary Sunday
    assert CAL.is_workday(D(2027, 3, 1))  # ordinary Monday
    assert CAL.add_workdays(D(2027, 2, 4), 1) == D(2027, 2, 15)
    # 261 weekdays − 9 holidays on weekdays (Jan 1; Feb 5, 8–12; Oct 1, 4) + 2 make-up Saturdays
    assert CAL.workday_count(2027) == 261 - 9 + 2


def test_admin_definition_overrides_the_package():
    correction = YearDefinition(2025, holidays=frozenset({D(2025, 3, 3)}), workdays=frozenset())
    cal = WorkCalendar([correction])
    assert cal.source_of(2025) == "admin"
    assert not cal.is_workday(D(2025, 3, 3))
    assert cal.is_workday(D(2025, 10, 8))  # the package's holiday is gone: the definition replaces it
    assert WorkCalendar().is_workday(D(2025, 3, 3))


def test_without_package_only_definitions_count():
    cal = WorkCalendar([Y2027], package=False)
    assert cal.source_of(2025) is None
    with pytest.raises(UnknownCalendarYear):
        cal.is_workday(D(2025, 1, 2))


def test_year_definition_rejects_foreign_or_conflicting_dates():
    with pytest.raises(ValueError):
        YearDefinition(2027, holidays=frozenset({D(2028, 1, 1)}), workdays=frozenset())
    with pytest.raises(ValueError):
        YearDefinition(2027, holidays=frozenset({D(2027, 1, 2)}), workdays=frozenset({D(2027, 1, 2)}))


# -- unknown years and provisional answers ----------------------------------------------------------

@pytest.mark.parametrize("call", [
    lambda c: c.is_workday(D(2030, 6, 3)),
    lambda c: c.add_workdays(D(2030, 6, 3), 3),
    lambda c: c.workdays_between(D(2030, 6, 3), D(2030, 6, 10)),
    lambda c: c.workday_count(2030),
])
def test_unknown_year_raises_a_typed_chinese_error(call):
    with pytest.raises(UnknownCalendarYear) as info:
        call(CAL)
    assert info.value.year == 2030
    assert str(info.value).startswith("2030 年的节假日安排尚未录入工作日历")


def test_crossing_into_an_unknown_year_raises():
    with pytest.raises(UnknownCalendarYear) as info:
        CAL.add_workdays(D(2027, 12, 30), 5)
    assert info.value.year == 2028
    with pytest.raises(UnknownCalendarYear):
        CAL.workdays_between(D(2027, 12, 1), D(2029, 1, 1))
    with pytest.raises(UnknownCalendarYear):
        WorkCalendar().add_workdays(D(2004, 1, 5), -10)  # 2003 is before the package


def test_chinese_calendar_never_leaks_its_own_exception():
    with pytest.raises(UnknownCalendarYear):
        WorkCalendar().is_workday(D(2003, 12, 31))
    with pytest.raises(NotImplementedError):  # what the package itself would raise
        chinese_calendar.is_workday(D(2003, 12, 31))


def test_provisional_answers_say_so():
    answer = CAL.is_workday(D(2030, 6, 3), provisional=True)  # a Monday
    assert isinstance(answer, CalendarAnswer)
    assert answer.value is True and answer.provisional and answer.provisional_years == {2030}
    assert "2030" in answer.note and "周一至周五" in answer.note
    assert CAL.is_workday(D(2030, 6, 1), provisional=True).value is False  # a Saturday

    moved = CAL.add_workdays(D(2027, 12, 30), 3, provisional=True)
    assert moved.value == D(2028, 1, 4) and moved.provisional_years == {2028}  # Fri 31, Mon 3, Tue 4

    spanning = CAL.workdays_between(D(2026, 12, 31), D(2029, 1, 1), provisional=True)
    assert spanning.provisional_years == {2028, 2029}
    assert spanning.value == CAL.workday_count(2027) + 260 + 1  # 2028 has 260 weekdays; 1 Jan 2029 a Monday


def test_provisional_answer_is_official_when_every_year_is_known():
    answer = CAL.add_workdays(D(2025, 9, 30), 1, provisional=True)
    assert answer == CalendarAnswer(D(2025, 10, 9), frozenset())
    assert not answer.provisional and answer.note == ""


def test_provisional_queries_do_not_make_the_year_known():
    CAL.is_workday(D(2031, 1, 1), provisional=True)
    with pytest.raises(UnknownCalendarYear):
        CAL.is_workday(D(2031, 1, 1))


# -- semantics at the edges -------------------------------------------------------------------------

def test_half_open_interval_convention():
    cal = WorkCalendar()
    monday, friday = D(2025, 3, 3), D(2025, 3, 7)
    assert cal.workdays_between(monday, monday) == 0
    assert cal.workdays_between(monday, friday) == 4  # Tue–Fri: the start day never counts
    assert cal.workdays_between(friday, monday) == -4
    assert cal.workdays_between(D(2025, 3, 8), D(2025, 3, 9)) == 0  # Sat → Sun


def test_add_zero_workdays_rolls_forward_only_off_workdays():
    cal = WorkCalendar()
    assert cal.add_workdays(D(2025, 3, 3), 0) == D(2025, 3, 3)
    assert cal.add_workdays(D(2025, 3, 8), 0) == D(2025, 3, 10)
    assert cal.add_workdays(D(2025, 10, 1), 0) == D(2025, 10, 9)


def test_negative_from_an_off_day_counts_the_workdays_before_it():
    cal = WorkCalendar()
    assert cal.add_workdays(D(2025, 3, 8), -1) == D(2025, 3, 7)  # Saturday → Friday
    assert cal.add_workdays(D(2025, 10, 5), -1) == D(2025, 9, 30)


def test_crossing_year_boundaries():
    cal = WorkCalendar()
    # 31 Dec 2025 is a Wednesday; 1–3 Jan 2026 off; Sunday 4 Jan 2026 a make-up workday.
    assert cal.add_workdays(D(2025, 12, 31), 1) == D(2026, 1, 4)
    assert cal.workdays_between(D(2025, 12, 31), D(2026, 1, 5)) == 2
    assert cal.add_workdays(D(2026, 1, 4), -1) == D(2025, 12, 31)
    assert cal.workdays_between(D(2024, 12, 31), D(2025, 12, 31)) == cal.workday_count(2025)
    assert cal.add_workdays(D(2023, 12, 31), cal.workday_count(2024) + cal.workday_count(2025)) == D(2025, 12, 31)
    assert CAL.add_workdays(D(2026, 12, 31), 1) == D(2027, 1, 4)  # into the admin-defined year


def test_accepts_datetimes_as_their_date():
    assert WorkCalendar().is_workday(dt.datetime(2025, 10, 1, 9, 30)) is False
    with pytest.raises(TypeError):
        WorkCalendar().is_workday("2025-10-01")


# -- properties -------------------------------------------------------------------------------------

known_days = st.dates(min_value=D(2004, 1, 2), max_value=D(2027, 12, 31))


@settings(max_examples=300, deadline=None)
@given(known_days, st.integers(min_value=-1500, max_value=1500))
def test_add_then_count_round_trips_from_a_workday(d, n):
    try:
        start = CAL.add_workdays(d, 0)
        end = CAL.add_workdays(start, n)
    except UnknownCalendarYear:
        return  # stepped outside 2004–2027
    assert CAL.workdays_between(start, end) == n
    assert CAL.is_workday(end)


@settings(max_examples=300, deadline=None)
@given(known_days, st.integers(min_value=1, max_value=1500))
def test_positive_steps_from_any_day(d, n):
    try:
        end = CAL.add_workdays(d, n)
    except UnknownCalendarYear:
        return
    assert CAL.workdays_between(d, end) == n
    # No earlier day reaches n: the day before `end` falls one short.
    assert CAL.workdays_between(d, end - dt.timedelta(1)) == n - 1


@settings(max_examples=300, deadline=None)
@given(known_days, known_days, known_days)
def test_counting_is_monotone_and_additive(a, b, c):
    a, b, c = sorted((a, b, c))
    ab, bc = CAL.workdays_between(a, b), CAL.workdays_between(b, c)
    assert 0 <= ab <= (b - a).days and 0 <= bc
    assert CAL.workdays_between(a, c) == ab + bc
    assert CAL.workdays_between(c, a) == -(ab + bc)


@settings(max_examples=200, deadline=None)
@given(known_days, st.integers(min_value=0, max_value=400), st.integers(min_value=0, max_value=400))
def test_add_workdays_is_monotone_in_n(d, m, n):
    try:
        x, y = CAL.add_workdays(d, min(m, n)), CAL.add_workdays(d, max(m, n))
    except UnknownCalendarYear:
        return
    assert x <= y
    if m != n and (min(m, n) > 0 or CAL.is_workday(d)):
        assert x < y


@settings(max_examples=300, deadline=None)
@given(known_days)
def test_is_workday_agrees_with_the_running_count(d):
    assert CAL.is_workday(d) == (CAL.workdays_between(d - dt.timedelta(1), d) == 1)
    if d.year in PACKAGE_YEARS:
        assert CAL.is_workday(d) == chinese_calendar.is_workday(d)
    else:
        expected = d in Y2027.workdays or (d.weekday() < 5 and d not in Y2027.holidays)
        assert CAL.is_workday(d) == expected


@pytest.mark.parametrize("year", [2004, 2024, 2025, 2026, 2027])
def test_precomputed_arrays_are_consistent(year):
    y = CAL._year(year, None)
    assert len(y.flags) == (D(year + 1, 1, 1) - D(year, 1, 1)).days == len(y.before) - 1
    assert y.before[0] == 0
    assert all(y.before[i + 1] - y.before[i] == y.flags[i] for i in range(len(y.flags)))
    assert list(y.workdays) == [y.first + i for i, flag in enumerate(y.flags) if flag]
    for i, flag in enumerate(y.flags):
        assert CAL.is_workday(D.fromordinal(y.first + i)) == bool(flag)


def test_package_definition_is_a_starting_point_for_corrections():
    from gaoxin.core.workcal import package_definition

    d = package_definition(2026)
    assert D(2026, 2, 15) in d.holidays and d.workdays >= {D(2026, 2, 14), D(2026, 2, 28)}
    assert WorkCalendar([d], package=False).workday_count(2026) == WorkCalendar().workday_count(2026)
    assert package_definition(2027) is None
