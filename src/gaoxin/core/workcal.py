"""Working days in mainland China (工作日历): the State Council's holiday arrangements, O(1) per query.

Pure Python, no Django import. Where a year's arrangement comes from, in order of precedence:

1. a `YearDefinition` passed in by the caller (in gaoxin: a row of the CalendarYear table, entered by
   the system administrator). It *replaces* the package's data for that year, so an administrator
   can also correct a year the package knows;
2. the `chinesecalendar` package (import name `chinese_calendar`), which knows the years in
   `PACKAGE_YEARS` (2004–2026 in version 1.11);
3. otherwise the year is unknown: every query touching it raises `UnknownCalendarYear` — unless the
   caller passes `provisional=True`, in which case the year counts Monday to Friday as workdays and
   the answer comes back as a `CalendarAnswer` naming the years that were guessed.

Rule for a known year: a day is a workday if it is a make-up workday (调休上班日), or if it is a
Monday–Friday that is not a holiday. A holiday falling on a weekend changes nothing.

Semantics (the legal clock convention: the day after receipt is day 1):

- `workdays_between(a, b)` is the number of workdays in the half-open interval (a, b]: `a` itself
  never counts, `b` counts if it is a workday. It is 0 when a == b and negative when b < a
  (`workdays_between(a, b) == -workdays_between(b, a)`).
- `add_workdays(d, n)` for n > 0 is the n-th workday after d (d itself never counts), so a 5-workday
  time limit starting on receipt date d ends on `add_workdays(d, 5)`. n == 0 returns d if d is a
  workday, otherwise the next workday. n < 0 is the |n|-th workday before d.
  For a workday d, `workdays_between(d, add_workdays(d, n)) == n` for every n.

Each year is precomputed once, on first use: a flag per day, the running count of workdays and the
list of its workdays. `is_workday` and `workdays_between` are then index lookups (plus one addition
per whole year crossed), and `add_workdays` skips whole years by their counts before indexing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Generic, Literal, TypeVar, overload

import chinese_calendar

__all__ = [
    "PACKAGE_YEARS",
    "CalendarAnswer",
    "UnknownCalendarYear",
    "WorkCalendar",
    "YearDefinition",
    "package_definition",
]

PACKAGE_YEARS = range(min(chinese_calendar.holidays).year, max(chinese_calendar.holidays).year + 1)
PACKAGE_VERSION = getattr(chinese_calendar, "__version__", "")

T = TypeVar("T")


class UnknownCalendarYear(LookupError):
    """A query needs a year whose holiday arrangement is known neither to the package nor to an admin."""

    def __init__(self, year: int):
        self.year = year
        super().__init__(
            f"{year} 年的节假日安排尚未录入工作日历，无法按工作日计算。"
            f"请系统管理员在“工作日历”中录入国务院办公厅公布的 {year} 年法定节假日和调休上班日。"
        )


@dataclass(frozen=True)
class YearDefinition:
    """One year's arrangement as published: its holidays and its make-up workdays.

    Plain data; the service that stores it validates it with messages for the user. Here only the
    invariants the arithmetic relies on are enforced.
    """

    year: int
    holidays: frozenset[dt.date]
    workdays: frozenset[dt.date]
    source: str = ""

    def __post_init__(self):
        object.__setattr__(self, "holidays", frozenset(self.holidays))
        object.__setattr__(self, "workdays", frozenset(self.workdays))
        stray = sorted(d for d in self.holidays | self.workdays if d.year != self.year)
        if stray:
            raise ValueError(f"dates outside {self.year}: {stray}")
        if self.holidays & self.workdays:
            raise ValueError(f"dates both holiday and workday: {sorted(self.holidays & self.workdays)}")


@dataclass(frozen=True)
class CalendarAnswer(Generic[T]):
    """The answer to a query asked with provisional=True.

    `provisional_years` lists the years that were counted Monday–Friday because their arrangement
    is unknown; when it is empty the answer is official.
    """

    value: T
    provisional_years: frozenset[int] = frozenset()

    @property
    def provisional(self) -> bool:
        return bool(self.provisional_years)

    @property
    def note(self) -> str:
        """A sentence to show beside a provisional result; empty for an official one."""
        if not self.provisional_years:
            return ""
        years = "、".join(str(y) for y in sorted(self.provisional_years))
        return f"{years} 年的节假日安排尚未录入，暂按周一至周五为工作日计算，结果可能变化。"


@dataclass(frozen=True, slots=True)
class _Year:
    year: int
    first: int  # ordinal of 1 January
    flags: bytes  # 1 for a workday, one entry per day of the year
    before: tuple[int, ...]  # before[i]: workdays among the year's days 0..i-1; len = days + 1
    workdays: tuple[int, ...]  # ordinals of the year's workdays, ascending
    provisional: bool

    @property
    def count(self) -> int:
        return len(self.workdays)


def _build_year(year: int, holidays: Iterable[dt.date], workdays: Iterable[dt.date], *, provisional: bool) -> _Year:
    first = dt.date(year, 1, 1).toordinal()
    days = dt.date(year, 12, 31).toordinal() - first + 1
    off = {d.toordinal() for d in holidays}
    on = {d.toordinal() for d in workdays}
    flags = bytearray(days)
    before = [0] * (days + 1)
    ordinals = []
    for i in range(days):
        o = first + i
        # (o + 6) % 7 is date.weekday() of ordinal o: ordinal 1 (0001-01-01) was a Monday.
        if o in on or ((o + 6) % 7 < 5 and o not in off):
            flags[i] = 1
            ordinals.append(o)
        before[i + 1] = len(ordinals)
    return _Year(year, first, bytes(flags), tuple(before), tuple(ordinals), provisional)


@cache
def _package_years() -> dict[int, tuple[frozenset[dt.date], frozenset[dt.date]]]:
    """The package's holidays and make-up workdays, grouped by year."""
    grouped: dict[int, tuple[set, set]] = {year: (set(), set()) for year in PACKAGE_YEARS}
    for d in chinese_calendar.holidays:
        grouped[d.year][0].add(d)
    for d in chinese_calendar.workdays:
        grouped[d.year][1].add(d)
    return {year: (frozenset(h), frozenset(w)) for year, (h, w) in grouped.items()}


def package_definition(year: int) -> YearDefinition | None:
    """The package's arrangement for `year` as a definition (a starting point for a correction)."""
    if year not in PACKAGE_YEARS:
        return None
    holidays, workdays = _package_years()[year]
    return YearDefinition(year, holidays, workdays, source=f"chinesecalendar {PACKAGE_VERSION}")


def _as_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raise TypeError(f"expected a date, got {type(value).__name__}")


class WorkCalendar:
    """Answers working-day questions from the package's data and the given year definitions.

    Immutable once built; build a new one when the definitions change. Safe to share between
    threads: the per-year cache only ever gains equal entries.
    """

    def __init__(self, definitions: Iterable[YearDefinition] = (), *, package: bool = True):
        self._definitions = {d.year: d for d in definitions}
        self._package = package
        self._cache: dict[int, _Year] = {}

    # -- which years are known -------------------------------------------------------------------

    def source_of(self, year: int) -> Literal["admin", "package"] | None:
        """Where the year's arrangement comes from, or None if it is unknown."""
        if year in self._definitions:
            return "admin"
        if self._package and year in PACKAGE_YEARS:
            return "package"
        return None

    def is_known(self, year: int) -> bool:
        return self.source_of(year) is not None

    def workday_count(self, year: int) -> int:
        """The number of workdays in a known year (raises UnknownCalendarYear otherwise)."""
        return self._year(year, None).count

    # -- queries ---------------------------------------------------------------------------------

    @overload
    def is_workday(self, day: dt.date) -> bool: ...
    @overload
    def is_workday(self, day: dt.date, *, provisional: Literal[True]) -> CalendarAnswer[bool]: ...
    def is_workday(self, day, *, provisional=False):
        """Whether `day` is a workday."""
        used = set() if provisional else None
        day = _as_date(day)
        y = self._year(day.year, used)
        return self._answer(y.flags[day.toordinal() - y.first] == 1, used)

    @overload
    def workdays_between(self, start: dt.date, end: dt.date) -> int: ...
    @overload
    def workdays_between(
        self, start: dt.date, end: dt.date, *, provisional: Literal[True]
    ) -> CalendarAnswer[int]: ...
    def workdays_between(self, start, end, *, provisional=False):
        """The number of workdays in (start, end]; negative if end < start."""
        used = set() if provisional else None
        start, end = _as_date(start), _as_date(end)
        if end < start:
            return self._answer(-self._count(end, start, used), used)
        return self._answer(self._count(start, end, used), used)

    @overload
    def add_workdays(self, day: dt.date, n: int) -> dt.date: ...
    @overload
    def add_workdays(self, day: dt.date, n: int, *, provisional: Literal[True]) -> CalendarAnswer[dt.date]: ...
    def add_workdays(self, day, n, *, provisional=False):
        """The n-th workday after `day` (n > 0), before it (n < 0), or `day` rolled forward (n == 0)."""
        used = set() if provisional else None
        day = _as_date(day)
        y = self._year(day.year, used)
        i = day.toordinal() - y.first
        if n == 0:
            if y.flags[i]:
                return self._answer(day, used)
            n = 1
        if n > 0:
            k = y.before[i + 1] + n  # 1-based position of the target among its year's workdays
            while k > y.count:
                k -= y.count
                y = self._year(y.year + 1, used)
        else:
            k = y.before[i] + n + 1
            while k < 1:
                y = self._year(y.year - 1, used)
                k += y.count
        return self._answer(dt.date.fromordinal(y.workdays[k - 1]), used)

    # -- internals -------------------------------------------------------------------------------

    @staticmethod
    def _answer(value, used: set[int] | None):
        return value if used is None else CalendarAnswer(value, frozenset(used))

    def _count(self, start: dt.date, end: dt.date, used: set[int] | None) -> int:
        """Workdays in (start, end] for start <= end."""
        ys, ye = self._year(start.year, used), self._year(end.year, used)
        upto_start = ys.before[start.toordinal() - ys.first + 1]
        upto_end = ye.before[end.toordinal() - ye.first + 1]
        if ys is ye:
            return upto_end - upto_start
        middle = sum(self._year(year, used).count for year in range(start.year + 1, end.year))
        return ys.count - upto_start + middle + upto_end

    def _year(self, year: int, used: set[int] | None) -> _Year:
        """The precomputed year; a provisional one only when the caller collects `used` years."""
        y = self._cache.get(year)
        if y is None:
            if not dt.MINYEAR <= year <= dt.MAXYEAR:
                raise ValueError(f"日期超出可计算的范围（公元 {dt.MINYEAR}–{dt.MAXYEAR} 年）。")
            y = self._cache.setdefault(year, self._load(year))
        if y.provisional:
            if used is None:
                raise UnknownCalendarYear(year)
            used.add(year)
        return y

    def _load(self, year: int) -> _Year:
        source = self.source_of(year)
        if source == "admin":
            d = self._definitions[year]
            return _build_year(year, d.holidays, d.workdays, provisional=False)
        if source == "package":
            d = package_definition(year)
            return _build_year(year, d.holidays, d.workdays, provisional=False)
        return _build_year(year, (), (), provisional=True)
