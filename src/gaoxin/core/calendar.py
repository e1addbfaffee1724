"""The working-day calendar as the platform uses it: the package's data plus the CalendarYear table.

`work_calendar()` is the one way the rest of gaoxin gets a `WorkCalendar`. The services here are the
only writers of CalendarYear; only the system administrator may call them.
"""

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max, Sum
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _

from .models import CalendarYear
from .permissions import Role
from .services import audited_create, audited_delete, audited_update
from .workcal import PACKAGE_VERSION, PACKAGE_YEARS, WorkCalendar, YearDefinition

__all__ = [
    "CalendarYearRow",
    "calendar_coverage",
    "calendar_year_delete",
    "calendar_year_rows",
    "calendar_year_save",
    "clean_year_definition",
    "format_date_list",
    "parse_date_list",
    "work_calendar",
]

FIRST_YEAR, LAST_YEAR = 2000, 2100

# -- reading ----------------------------------------------------------------------------------------

_cached: tuple[tuple, WorkCalendar] | None = None


def _definition(row: CalendarYear) -> YearDefinition:
    return YearDefinition(
        row.year,
        holidays=frozenset(dt.date.fromisoformat(d) for d in row.holidays),
        workdays=frozenset(dt.date.fromisoformat(d) for d in row.workdays),
        source=row.source,
    )


def work_calendar() -> WorkCalendar:
    """The calendar every working-day computation uses: the package plus all admin-defined years.

    Cached in-process. The key (row count, sum of years, latest update) changes with every save and
    delete, so another process's change is seen on the next call; the check is one aggregate query.
    """
    global _cached
    stats = CalendarYear.objects.aggregate(n=Count("id"), years=Sum("year"), latest=Max("updated_at"))
    key = (stats["n"], stats["years"], stats["latest"])
    cached = _cached
    if cached is not None and cached[0] == key:
        return cached[1]
    calendar = WorkCalendar([_definition(row) for row in CalendarYear.objects.all()])
    _cached = (key, calendar)
    return calendar


@dataclass(frozen=True)
class CalendarYearRow:
    row: CalendarYear
    holiday_count: int
    makeup_count: int
    workday_count: int
    overrides_package: bool


def calendar_year_rows() -> list[CalendarYearRow]:
    """The admin-defined years with their counts, for the calendar list page."""
    calendar = work_calendar()
    return [
        CalendarYearRow(
            row=row,
            holiday_count=len(row.holidays),
            makeup_count=len(row.workdays),
            workday_count=calendar.workday_count(row.year),
            overrides_package=row.year in PACKAGE_YEARS,
        )
        for row in CalendarYear.objects.all()
    ]


def calendar_coverage(today: dt.date) -> dict:
    """What the package covers, and whether this year and next year are known."""
    calendar = work_calendar()
    return {
        "package_first": PACKAGE_YEARS.start,
        "package_last": PACKAGE_YEARS.stop - 1,
        "package_version": PACKAGE_VERSION,
        "years": [(year, calendar.source_of(year)) for year in (today.year, today.year + 1)],
    }


# -- parsing and validation -------------------------------------------------------------------------

_RANGE = re.compile(r"\s*(?:~|至|到)\s*")
_SEPARATORS = re.compile(r"[\s,;、]+")
_DATE = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?")


def _parse_date(text: str) -> dt.date:
    match = _DATE.fullmatch(text)
    if not match:
        raise ValueError(text)
    return dt.date(*(int(g) for g in match.groups()))


def parse_date_list(text: str) -> list[dt.date]:
    """Dates from text: one per line or separated by commas, YYYY-MM-DD, ranges as A~B or A至B.

    Also accepts YYYY/MM/DD, YYYY.MM.DD, 2027年2月5日 and full-width characters. Raises a
    ValidationError naming every item it cannot read.
    """
    text = _RANGE.sub("~", unicodedata.normalize("NFKC", text or ""))
    dates, errors = [], []
    for item in filter(None, _SEPARATORS.split(text)):
        try:
            if "~" in item:
                first, last = (_parse_date(part) for part in item.split("~", 1))
                if last < first:
                    errors.append(_("“%(item)s”的起始日期晚于结束日期。") % {"item": item})
                    continue
                if (last - first).days > 366:
                    errors.append(_("“%(item)s”跨度超过一年。") % {"item": item})
                    continue
                dates.extend(first + dt.timedelta(i) for i in range((last - first).days + 1))
            else:
                dates.append(_parse_date(item))
        except ValueError:
            errors.append(_("“%(item)s”不是有效日期，应为 YYYY-MM-DD 格式，如 2027-02-05。") % {"item": item})
    if errors:
        raise ValidationError(errors)
    return sorted(set(dates))


def format_date_list(dates: Iterable[dt.date | str]) -> str:
    """One line per date, runs of consecutive dates as A~B: the inverse of parse_date_list."""
    days = sorted({d if isinstance(d, dt.date) else dt.date.fromisoformat(d) for d in dates})
    lines, i = [], 0
    while i < len(days):
        j = i
        while j + 1 < len(days) and days[j + 1] - days[j] == dt.timedelta(1):
            j += 1
        lines.append(days[i].isoformat() if i == j else f"{days[i].isoformat()}~{days[j].isoformat()}")
        i = j + 1
    return "\n".join(lines)


def _as_dates(values, field: str, errors: dict) -> list[dt.date]:
    if isinstance(values, str):
        try:
            return parse_date_list(values)
        except ValidationError as e:
            errors.setdefault(field, []).extend(e.messages)
            return []
    dates = []
    for value in values or ():
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            dates.append(value)
            continue
        try:
            dates.append(_parse_date(str(value).strip()))
        except ValueError:
            errors.setdefault(field, []).append(
                _("“%(item)s”不是有效日期，应为 YYYY-MM-DD 格式。") % {"item": value})
    return sorted(set(dates))


def _label(d: dt.date) -> str:
    return f"{d.isoformat()}（{WEEKDAYS[d.weekday()]}）"


def clean_year_definition(*, year, holidays, workdays) -> tuple[int, list[dt.date], list[dt.date]]:
    """Validate one year's arrangement; return (year, holidays, workdays) sorted and de-duplicated.

    `holidays` and `workdays` are lists of dates or 'YYYY-MM-DD' strings, or text as parse_date_list
    reads it. Raises a ValidationError keyed by field ("year", "holidays", "workdays").
    """
    errors: dict[str, list[str]] = {}
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ValidationError({"year": _("年份应为 4 位数字，如 2027。")}) from None
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError({"year": _("年份应在 %(a)s 至 %(b)s 之间。") % {"a": FIRST_YEAR, "b": LAST_YEAR}})
    off = _as_dates(holidays, "holidays", errors)
    on = _as_dates(workdays, "workdays", errors)

    for field, dates in (("holidays", off), ("workdays", on)):
        stray = [d for d in dates if d.year != year]
        if stray:
            errors.setdefault(field, []).append(
                _("以下日期不属于 %(year)s 年：%(dates)s") % {"year": year, "dates": "、".join(map(str, stray))})
    if not off and "holidays" not in errors:
        errors["holidays"] = [_("请填写该年的放假日期（至少包括元旦、春节等法定节假日）。")]
    elif off and all(d.weekday() >= 5 for d in off):
        errors.setdefault("holidays", []).append(
            _("所填放假日期都是周六或周日，不会减少任何工作日；请填写通知中的全部放假日期，包括落在工作日的。"))
    weekday_makeups = [d for d in on if d.weekday() < 5]
    if weekday_makeups:
        errors.setdefault("workdays", []).append(
            _("调休上班日只能是周六或周日，以下日期不是：%(dates)s") % {"dates": "、".join(map(_label, weekday_makeups))})
    both = sorted(set(off) & set(on))
    if both:
        errors.setdefault("workdays", []).append(
            _("以下日期同时填在放假日期和调休上班日中：%(dates)s") % {"dates": "、".join(map(str, both))})
    if errors:
        raise ValidationError(errors)
    return year, off, on


# -- writing ----------------------------------------------------------------------------------------

def _require_system_admin(user) -> None:
    if not (user is not None and user.is_authenticated and user.is_active and user.role == Role.SYSTEM_ADMIN):
        raise PermissionDenied(_("只有系统管理员可以维护工作日历。"))


@transaction.atomic
def calendar_year_save(*, user, year, holidays, workdays, source: str = "", message: str = "") -> CalendarYear:
    """Create or replace the arrangement of `year`; an existing definition is overwritten as a whole."""
    _require_system_admin(user)
    year, off, on = clean_year_definition(year=year, holidays=holidays, workdays=workdays)
    data = {
        "holidays": [d.isoformat() for d in off],
        "workdays": [d.isoformat() for d in on],
        "source": (source or "").strip(),
    }
    row = CalendarYear.objects.select_for_update().filter(year=year).first()
    if row is None:
        return audited_create(CalendarYear(year=year, **data), message=message)
    return audited_update(row, data, message=message)


@transaction.atomic
def calendar_year_delete(*, user, year: int, message: str = "") -> None:
    """Remove an admin definition; the year falls back to the package's data, or becomes unknown."""
    _require_system_admin(user)
    row = CalendarYear.objects.select_for_update().filter(year=year).first()
    if row is None:
        raise ValidationError(_("%(year)s 年没有录入的工作日历。") % {"year": year})
    audited_delete(row, message=message)
