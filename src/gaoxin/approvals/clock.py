"""The legal clock of approval items: due dates, working days used and left, 正常 / 预警 / 逾期 status.

Pure Python, no Django import: the platform (services, the daily scan) and `gaoxin timeline` run the
same code. Working days come only from a `gaoxin.core.workcal.WorkCalendar` (O(1) per query); nothing
here walks day by day, and a pause costs O(1) calendar queries.

Two entry points:

- `item_status(...)` — the fast path for ONE item whose acceptance date is known (the scan, the cases
  service, the benchmark) → `ItemClock(due, used_wd, remaining_wd, status)`;
- `compute_timeline(items, ...)` — a whole case: acceptance dates derived from requirements, finish,
  total working days and the critical path (the contract of `gaoxin timeline`, issue 4).

`parse_case(data)` reads the JSON document of `gaoxin timeline` into the arguments of
`compute_timeline`, and `Timeline.as_contract()` is the JSON that command prints.

Semantics (issue 4, binding; the decisions the contract leaves open are marked DECISION):

- Counting. The day of acceptance is not counted. A *counted* working day is a working day after
  acceptance that is not inside a pause (pauses are inclusive at both ends). The due date is the
  N-th counted working day after acceptance, N = limit_wd + extension_wd; N == 0 (即办) → due on the
  acceptance day itself, even when that day is not a working day.
- pause_mode "restart": the count starts again after the last pause's end — the last pause being
  the one that ends latest. DECISION: the end of that pause then acts as a new acceptance day: days
  before it are not counted, the due date is the N-th working day after it, and with N == 0 the item
  is due on that day. For used_wd up to a day X only the pauses begun by X have restarted the count:
  before a planned pause starts the days since acceptance count; inside the pause (X ≤ its end) the
  clock stands at 0 used, since it restarts after it.
- Acceptance without `accepted`: an item without requirements is accepted on `start`, or on the first
  working day after `start` when `start` is not a working day; an item with requirements on the latest
  end date of its requirements (an item's end date is `decided` if given, else its due date) — that
  day as it is, not moved to a working day. DECISION: `start` is required only when it is needed, i.e.
  when some item has neither `accepted` nor requirements (an item without `accepted` whose acceptance
  follows from its requirements does not need it).
- used_wd: counted working days from acceptance (excluded) to `decided`, else to `today`, inclusive;
  None when neither is given; 0 when that day is before the acceptance (an item not started yet).
  remaining_wd = N − used_wd, negative when overdue.
- status: decided ≤ due → 按期办结; decided > due → 逾期办结; else with today: today > due → 逾期;
  remaining_wd ≤ ceil(warn_ratio × N) → 预警 (exact decimal arithmetic: 0.2 × 15 is 3, not
  3.0000000000000004); else 正常; None without today. So an 即办 item still open on its acceptance day
  is 预警 (remaining 0 ≤ ceil(0)).
- finish: the latest end date of all items. total_wd: plain calendar working days (pauses play no
  part) after the earliest acceptance up to finish, inclusive.
- critical_path: start from the item that ends last (first in input order among ties); at each step
  take the requirement that ends last — DECISION: among ties the first in that item's `requires` list —
  until an item without requirements; listed from that item to the last.

Pauses (DECISIONS):

- A pause's part on or before the acceptance day is ignored: the clock has not started yet (补正
  requested at 收件, before 受理, is common). A pause wholly before acceptance has no effect at all,
  also in restart mode.
- A pause is cut at `decided`: after the decision there is no clock to stop. A pause that starts after
  the decision is ignored.
- Overlapping or touching pauses are merged: a day inside several pauses is left out once. In restart
  mode the count starts after the latest end among them.
- An open pause (`to` null, "still paused") lasts until the clock's end: `decided` if given, else
  `today`; without either it is an error. Its due date is therefore computed as if the pause ended
  today (the earliest the item can now be due); it moves later day by day while the pause lasts.
- A pause whose end is after `today` (a planned end) is taken as given: working days are counted only
  up to today for used_wd, but the due date accounts for the whole pause.
- A pause whose `to` is before its `from` is an error.

Other invalid input (TimelineError, a message in Chinese naming the item): no items, an empty or
duplicate code, an unknown requirement, a cycle (an item requiring itself included), a negative limit
or extension, an unknown pause_mode, `decided` before the (given or derived) acceptance, a missing
`start` when some item has neither `accepted` nor requirements, a warn_ratio outside 0…1 (None means
the default 0.2), a date in a year the calendar does not know (unless provisional), a date outside the
calendar's range (years 1–9999). `parse_case` adds: not a JSON
object, wrong types, unknown keys (DECISION: a misspelt key such as "acepted" would otherwise change
the result silently), impossible dates or dates not written YYYY-MM-DD, bad calendar years.

Calendar and `provisional` (DECISION): with provisional=False a query touching a year known neither to
the package nor to the given definitions raises (TimelineCalendarError). With provisional=True such a
year counts Monday–Friday, and `Timeline.provisional` is True only when a guessed year was actually
used by the computation — it tells the reader that the result may change once the year's arrangement is
published; it is False when every year used was known, provisional allowed or not. Only years the
computation reaches matter (an unused `today` in 2030 is no error when every item is decided).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import NamedTuple

from gaoxin.core.workcal import UnknownCalendarYear, WorkCalendar, YearDefinition

__all__ = [
    "DEFAULT_WARN_RATIO",
    "LATE",
    "NORMAL",
    "ON_TIME",
    "OVERDUE",
    "PAUSE_MODES",
    "WARNING",
    "CaseInput",
    "ClockItem",
    "ItemClock",
    "Timeline",
    "TimelineCalendarError",
    "TimelineError",
    "TimelineItem",
    "compute_timeline",
    "item_status",
    "parse_case",
]

# The values of models.ClockStatus (this module may not import Django).
NORMAL = "正常"
WARNING = "预警"
OVERDUE = "逾期"
ON_TIME = "按期办结"
LATE = "逾期办结"

RESUME = "resume"
RESTART = "restart"
PAUSE_MODES = (RESUME, RESTART)
DEFAULT_WARN_RATIO = Decimal("0.2")

_ONE_DAY = dt.timedelta(days=1)


class TimelineError(ValueError):
    """Invalid input to the clock; the message (Chinese) names the item and the field."""


class TimelineCalendarError(TimelineError):
    """The computation needs a year whose holiday arrangement is unknown (and provisional is off)."""

    def __init__(self, year: int):
        self.year = year
        super().__init__(
            f"计算需要 {year} 年的工作日，但官方日历和输入的 calendar.years 中都没有该年的节假日安排；"
            f"请在 calendar.years 中给出 {year} 年的放假日期和调休上班日，"
            f"或将 calendar.provisional 设为 true（暂按周一至周五计算）。"
        )


# --- data ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ClockItem:
    """One item of a case as the clock sees it. `pauses` are (from, to) inclusive; to None = still paused."""

    code: str
    limit_wd: int
    requires: tuple[str, ...] = ()
    accepted: dt.date | None = None
    decided: dt.date | None = None
    extension_wd: int = 0
    pause_mode: str = RESUME
    pauses: tuple[tuple[dt.date, dt.date | None], ...] = ()


class ItemClock(NamedTuple):
    """The answer of item_status (unpacks as due, used_wd, remaining_wd, status)."""

    due: dt.date
    used_wd: int | None
    remaining_wd: int | None
    status: str | None


@dataclass(frozen=True)
class TimelineItem:
    code: str
    accepted: dt.date
    due: dt.date
    decided: dt.date | None
    used_wd: int | None
    remaining_wd: int | None
    status: str | None


@dataclass(frozen=True)
class Timeline:
    items: tuple[TimelineItem, ...]
    finish: dt.date
    total_wd: int
    critical_path: tuple[str, ...]
    provisional: bool
    provisional_years: frozenset[int] = frozenset()

    def as_contract(self) -> dict:
        """The JSON document `gaoxin timeline` prints (ISO dates, items in input order)."""
        def iso(d):
            return d.isoformat() if d is not None else None

        return {
            "items": [
                {"code": i.code, "accepted": iso(i.accepted), "due": iso(i.due), "decided": iso(i.decided),
                 "used_wd": i.used_wd, "remaining_wd": i.remaining_wd, "status": i.status}
                for i in self.items
            ],
            "finish": iso(self.finish),
            "total_wd": self.total_wd,
            "critical_path": list(self.critical_path),
            "provisional": self.provisional,
        }


# --- working days (through the WorkCalendar only) -------------------------------------------------------

def _between(calendar: WorkCalendar, guessed: set[int] | None, a: dt.date, b: dt.date) -> int:
    """Working days in (a, b]. Unknown years raise unless `guessed` collects them (provisional)."""
    try:
        return calendar.workdays_between(a, b)
    except UnknownCalendarYear:
        if guessed is None:
            raise
        answer = calendar.workdays_between(a, b, provisional=True)
        guessed.update(answer.provisional_years)
        return answer.value


def _add(calendar: WorkCalendar, guessed: set[int] | None, d: dt.date, n: int) -> dt.date:
    """The n-th working day after d (n > 0), or d rolled forward to a working day (n == 0)."""
    try:
        return calendar.add_workdays(d, n)
    except UnknownCalendarYear:
        if guessed is None:
            raise
        answer = calendar.add_workdays(d, n, provisional=True)
        guessed.update(answer.provisional_years)
        return answer.value


# --- one item -------------------------------------------------------------------------------------------

def _as_ratio(value) -> Decimal:
    """warn_ratio as an exact decimal: a float is taken as written (0.2, not 0.2000000000000000111)."""
    if isinstance(value, bool):
        raise TimelineError(f"warn_ratio 应为 0 至 1 之间的数，不能是 {value!r}。")
    try:
        ratio = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise TimelineError(f"warn_ratio 应为 0 至 1 之间的数，不能是 {value!r}。") from None
    if not ratio.is_finite() or not Decimal(0) <= ratio <= Decimal(1):
        raise TimelineError(f"warn_ratio 应在 0 至 1 之间，收到 {value}。")
    return ratio


@lru_cache(maxsize=4096)
def _warn_threshold(warn_ratio, total_wd: int) -> int:
    """ceil(warn_ratio × total_wd), exactly; cached because the scan asks the same few questions."""
    return math.ceil(_as_ratio(warn_ratio) * total_wd)


def _effective_pauses(accepted: dt.date, decided: dt.date | None, today: dt.date | None,
                      pauses: Iterable[tuple[dt.date, dt.date | None]], where: str) -> list[tuple[dt.date, dt.date]]:
    """The pauses as they act on the clock: after acceptance, cut at the decision, merged, sorted."""
    clock_end = decided if decided is not None else today
    first = accepted + _ONE_DAY
    cut: list[tuple[dt.date, dt.date]] = []
    for start, end in pauses:
        if end is None:
            if clock_end is None:
                raise TimelineError(f"{where}：暂停自 {start.isoformat()} 起尚未结束（to 为空），"
                                    f"需要给出 today（或 decided）才能计算。")
            end = clock_end
        elif end < start:
            raise TimelineError(f"{where}：暂停的结束日期 {end.isoformat()} 早于开始日期 {start.isoformat()}。")
        if decided is not None and end > decided:
            end = decided
        if start < first:
            start = first
        if start <= end:
            cut.append((start, end))
    if len(cut) < 2:
        return cut
    cut.sort()
    merged = [cut[0]]
    for start, end in cut[1:]:
        last_start, last_end = merged[-1]
        if start <= last_end + _ONE_DAY:
            if end > last_end:
                merged[-1] = (last_start, end)
        else:
            merged.append((start, end))
    return merged


def _clock(calendar: WorkCalendar, guessed: set[int] | None, accepted: dt.date, decided: dt.date | None,
           total_wd: int, pauses, pause_mode: str, today: dt.date | None, warn_ratio,
           where: str) -> ItemClock:
    if decided is not None and decided < accepted:
        raise TimelineError(f"{where}：办结日期 {decided.isoformat()} 早于受理日期 {accepted.isoformat()}。")
    effective = _effective_pauses(accepted, decided, today, pauses, where) if pauses else ()
    end = decided if decided is not None else today

    if not effective:
        due = accepted if total_wd == 0 else _add(calendar, guessed, accepted, total_wd)
        used = None if end is None else (_between(calendar, guessed, accepted, end) if end > accepted else 0)
    elif pause_mode == RESTART:
        # The end of the last pause acts as a new acceptance day for the due date. Counting up to `end`,
        # only the pauses begun by then have restarted the clock; inside a pause nothing is counted.
        origin = effective[-1][1]
        due = origin if total_wd == 0 else _add(calendar, guessed, origin, total_wd)
        if end is None:
            used = None
        else:
            origin = accepted
            for start, stop in effective:
                if start > end:
                    break
                origin = stop
            used = _between(calendar, guessed, origin, end) if end > origin else 0
    elif pause_mode == RESUME:
        due = _due_resume(calendar, guessed, accepted, total_wd, effective)
        used = None if end is None else _counted_resume(calendar, guessed, accepted, end, effective)
    else:
        raise TimelineError(f"{where}：pause_mode 应为 resume 或 restart，不能是 {pause_mode!r}。")

    if used is None:
        return ItemClock(due, None, None, None)
    remaining = total_wd - used
    if decided is not None:
        status = ON_TIME if decided <= due else LATE
    elif today > due:
        status = OVERDUE
    elif remaining <= _warn_threshold(warn_ratio, total_wd):
        status = WARNING
    else:
        status = NORMAL
    return ItemClock(due, used, remaining, status)


def _due_resume(calendar, guessed, accepted: dt.date, n: int, pauses) -> dt.date:
    """The n-th counted working day after acceptance; each pause costs two calendar queries."""
    if n == 0:
        return accepted
    cursor = accepted
    due = _add(calendar, guessed, cursor, n)
    for start, end in pauses:  # sorted, merged, every start > accepted
        if start > due:
            break
        # Fewer than n working days lie in (cursor, start − 1], or the due date would be before the pause.
        n -= _between(calendar, guessed, cursor, start - _ONE_DAY)
        cursor = end
        due = _add(calendar, guessed, cursor, n)
    return due


def _counted_resume(calendar, guessed, accepted: dt.date, end: dt.date, pauses) -> int:
    """Counted working days in (accepted, end]: calendar working days less those inside the pauses."""
    if end <= accepted:
        return 0
    used = _between(calendar, guessed, accepted, end)
    for start, stop in pauses:
        if start > end:
            break
        used -= _between(calendar, guessed, start - _ONE_DAY, min(stop, end))
    return used


def item_status(accepted: dt.date, decided: dt.date | None, limit_wd: int,
                pauses: Sequence[tuple[dt.date, dt.date | None]] = (), pause_mode: str = RESUME,
                today: dt.date | None = None, warn_ratio=DEFAULT_WARN_RATIO, calendar: WorkCalendar | None = None,
                *, extension_wd: int = 0, provisional: bool | set[int] = False) -> ItemClock:
    """The clock of one accepted item → ItemClock(due, used_wd, remaining_wd, status).

    `limit_wd` is the limit in working days (pass limit + extension, or the two separately through
    `extension_wd`); `pauses` are (from, to) pairs, to None while a pause lasts; warn_ratio None → 0.2.
    `provisional`: False → an unknown year raises gaoxin.core.workcal.UnknownCalendarYear; True → such
    years count Monday–Friday; a set → the same, and the guessed years are added to it. Raises TimelineError for
    a decision before acceptance, a pause ending before it starts, an open pause without today or
    decided, a negative limit or an unknown pause_mode. O(1) calendar queries per pause.
    """
    if calendar is None:
        raise TypeError("item_status() needs a calendar")
    if pause_mode not in PAUSE_MODES:
        raise TimelineError(f"pause_mode 应为 resume 或 restart，不能是 {pause_mode!r}。")
    if warn_ratio is None:
        warn_ratio = DEFAULT_WARN_RATIO
    total = limit_wd + extension_wd
    if total < 0:
        raise TimelineError(f"时限不能为负数：{limit_wd} + {extension_wd}。")
    if provisional is False:
        guessed = None
    elif provisional is True:
        guessed = set()
    else:
        guessed = provisional
    return _clock(calendar, guessed, accepted, decided, total, pauses, pause_mode, today, warn_ratio,
                  f"受理于 {accepted.isoformat()} 的事项")


# --- a case ---------------------------------------------------------------------------------------------

def _check_items(items: Sequence[ClockItem]) -> dict[str, ClockItem]:
    if not items:
        raise TimelineError("items 为空：至少需要一个事项。")
    index: dict[str, ClockItem] = {}
    for position, item in enumerate(items):
        where = f"items[{position}]"
        if not isinstance(item.code, str) or not item.code.strip():
            raise TimelineError(f"{where}：code 不能为空。")
        if item.code in index:
            first = next(i for i, other in enumerate(items) if other.code == item.code)
            raise TimelineError(f"{where}：事项代码 {item.code!r} 与 items[{first}] 重复。")
        index[item.code] = item
        where = f"事项 {item.code}（{where}）"
        for name in ("limit_wd", "extension_wd"):
            value = getattr(item, name)
            if isinstance(value, bool) or not isinstance(value, int):
                raise TimelineError(f"{where}：{name} 应为整数，收到 {value!r}。")
            if value < 0:
                raise TimelineError(f"{where}：{name} 不能为负数，收到 {value}。")
        if item.pause_mode not in PAUSE_MODES:
            raise TimelineError(f"{where}：pause_mode 应为 resume 或 restart，不能是 {item.pause_mode!r}。")
        if item.accepted is not None and item.decided is not None and item.decided < item.accepted:
            raise TimelineError(f"{where}：办结日期 decided {item.decided.isoformat()} "
                                f"早于受理日期 accepted {item.accepted.isoformat()}。")
        for start, end in item.pauses:
            if end is not None and end < start:
                raise TimelineError(f"{where}：暂停的结束日期 {end.isoformat()} 早于开始日期 {start.isoformat()}。")
    for position, item in enumerate(items):
        for required in item.requires:
            if required == item.code:
                raise TimelineError(f"事项 {item.code}（items[{position}]）：前置事项不能是它自己（循环依赖）。")
            if required not in index:
                raise TimelineError(f"事项 {item.code}（items[{position}]）：前置事项 {required!r} 不存在。")
    return index


def _order(items: Sequence[ClockItem], index: Mapping[str, ClockItem]) -> list[str]:
    """Requirements before the items that need them (Kahn); a cycle is an error naming it."""
    waiting = {item.code: len(set(item.requires)) for item in items}
    needed_by: dict[str, list[str]] = {item.code: [] for item in items}
    for item in items:
        for required in set(item.requires):
            needed_by[required].append(item.code)
    ready = [item.code for item in items if waiting[item.code] == 0]
    order: list[str] = []
    while ready:
        code = ready.pop()
        order.append(code)
        for dependant in needed_by[code]:
            waiting[dependant] -= 1
            if waiting[dependant] == 0:
                ready.append(dependant)
    if len(order) < len(items):
        # Every item left over still waits on another left-over item: walking back finds a cycle.
        left = {code for code, n in waiting.items() if n > 0}
        code = next(item.code for item in items if item.code in left)
        seen: list[str] = []
        while code not in seen:
            seen.append(code)
            code = next(r for r in index[code].requires if r in left)
        cycle = [*seen[seen.index(code):], code]
        raise TimelineError(f"前置事项存在循环依赖：{' → '.join(cycle)}。")
    return order


def compute_timeline(items: Iterable[ClockItem], *, start: dt.date | None = None, today: dt.date | None = None,
                     warn_ratio=DEFAULT_WARN_RATIO, calendar: WorkCalendar, provisional: bool = False) -> Timeline:
    """The timeline of a case (the `gaoxin timeline` contract; see the module docstring)."""
    items = tuple(items)
    index = _check_items(items)
    ratio = DEFAULT_WARN_RATIO if warn_ratio is None else _as_ratio(warn_ratio)
    order = _order(items, index)
    if start is None:
        missing = [item.code for item in items if item.accepted is None and not item.requires]
        if missing:
            raise TimelineError(f"事项 {'、'.join(missing)} 没有受理日期 accepted 也没有前置事项，"
                                f"需要给出 start（启动日期）。")
    guessed: set[int] | None = set() if provisional else None

    clocks: dict[str, tuple[dt.date, ItemClock]] = {}
    ends: dict[str, dt.date] = {}
    try:
        for code in order:
            item = index[code]
            where = f"事项 {code}"
            if item.accepted is not None:
                accepted = item.accepted
            elif not item.requires:
                accepted = _add(calendar, guessed, start, 0)
            else:
                accepted = max(ends[r] for r in item.requires)
                if item.decided is not None and item.decided < accepted:
                    raise TimelineError(f"{where}：办结日期 decided {item.decided.isoformat()} 早于由前置事项推得的"
                                        f"受理日期 {accepted.isoformat()}；请给出 accepted 或更正 decided。")
            clock = _clock(calendar, guessed, accepted, item.decided, item.limit_wd + item.extension_wd,
                           item.pauses, item.pause_mode, today, ratio, where)
            clocks[code] = (accepted, clock)
            ends[code] = item.decided if item.decided is not None else clock.due
        finish = max(ends.values())
        earliest = min(accepted for accepted, _ in clocks.values())
        total_wd = _between(calendar, guessed, earliest, finish)
    except UnknownCalendarYear as exc:
        raise TimelineCalendarError(exc.year) from None
    except TimelineError:
        raise
    except (ValueError, OverflowError):
        # the calendar's own range (years 1–9999), e.g. an enormous limit
        raise TimelineError("计算得到的日期超出可计算的范围（公元 1–9999 年），请检查时限和日期。") from None

    # The critical path: from the item that ends last, back through the requirement that ends last.
    last = items[0].code
    for item in items:
        if ends[item.code] > ends[last]:
            last = item.code
    path = [last]
    while index[path[-1]].requires:
        requires = index[path[-1]].requires
        best = requires[0]
        for required in requires:
            if ends[required] > ends[best]:
                best = required
        path.append(best)
    path.reverse()

    rows = []
    for item in items:
        accepted, clock = clocks[item.code]
        rows.append(TimelineItem(item.code, accepted, clock.due, item.decided, clock.used_wd, clock.remaining_wd,
                                 clock.status))
    return Timeline(
        items=tuple(rows),
        finish=finish,
        total_wd=total_wd,
        critical_path=tuple(path),
        provisional=bool(guessed),
        provisional_years=frozenset(guessed or ()),
    )


# --- the JSON document of `gaoxin timeline` ----------------------------------------------------------------

@dataclass(frozen=True)
class CaseInput:
    """The arguments of compute_timeline read from a `gaoxin timeline` document."""

    items: tuple[ClockItem, ...]
    start: dt.date | None
    today: dt.date | None
    warn_ratio: Decimal
    calendar: WorkCalendar
    provisional: bool
    definitions: tuple[YearDefinition, ...] = field(default=())

    def compute(self) -> Timeline:
        return compute_timeline(self.items, start=self.start, today=self.today, warn_ratio=self.warn_ratio,
                                calendar=self.calendar, provisional=self.provisional)


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TOP_KEYS = {"start", "today", "warn_ratio", "calendar", "items"}
_ITEM_KEYS = {"code", "name", "limit_wd", "requires", "accepted", "decided", "extension_wd", "pause_mode", "pauses"}
_PAUSE_KEYS = {"from", "to", "reason"}
_CALENDAR_KEYS = {"years", "provisional"}
_YEAR_KEYS = {"holidays", "workdays"}


def _got(value) -> str:
    """What was found instead, as the JSON reader wrote it: 字符串 "5", 布尔值 true, null, 数字 5.5, 对象, 数组."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"布尔值 {'true' if value else 'false'}"
    if isinstance(value, str):
        return f"字符串 \"{value}\""
    if isinstance(value, int | float | Decimal):
        return f"数字 {value}"
    if isinstance(value, dict):
        return "对象"
    if isinstance(value, list):
        return "数组"
    return type(value).__name__


def _date(value, where: str, *, required: bool = False) -> dt.date | None:
    if value is None:
        if required:
            raise TimelineError(f"{where}：缺少日期。")
        return None
    if not isinstance(value, str):
        raise TimelineError(f"{where}：日期应为 YYYY-MM-DD 格式的字符串，收到 {_got(value)}。")
    if not _ISO_DATE.fullmatch(value):
        raise TimelineError(f"{where}：“{value}” 不是 YYYY-MM-DD 格式的日期。")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise TimelineError(f"{where}：“{value}” 不是有效日期。") from None


def _int(value, where: str, *, default: int | None = None) -> int:
    if value is None and default is not None:
        return default
    if isinstance(value, bool) or not isinstance(value, int):
        raise TimelineError(f"{where}：应为非负整数（工作日），收到 {_got(value)}。")
    if value < 0:
        raise TimelineError(f"{where}：不能为负数，收到 {value}。")
    return value


def _object(value, where: str, keys: set[str]) -> dict:
    if not isinstance(value, dict):
        raise TimelineError(f"{where}：应为 JSON 对象，收到 {_got(value)}。")
    unknown = sorted(set(value) - keys)
    if unknown:
        raise TimelineError(f"{where}：未知字段 {'、'.join(unknown)}（可用字段：{'、'.join(sorted(keys))}）。")
    return value


def _list(value, where: str) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise TimelineError(f"{where}：应为数组，收到 {_got(value)}。")
    return value


def _definitions(years, where: str) -> list[YearDefinition]:
    if years is None:
        return []
    if not isinstance(years, dict):
        raise TimelineError(f"{where}：应为以年份为键的 JSON 对象，收到 {_got(years)}。")
    definitions = []
    for key, body in years.items():
        here = f"{where}.{key}"
        if not re.fullmatch(r"\d{4}", key) or not 1 <= int(key) <= 9999:
            raise TimelineError(f"{here}：年份应为 4 位数字，如 2027。")
        year = int(key)
        body = _object(body, here, _YEAR_KEYS)
        lists = {}
        for name in ("holidays", "workdays"):
            raw_dates = _list(body.get(name), f"{here}.{name}")
            dates = [_date(v, f"{here}.{name}[{i}]", required=True) for i, v in enumerate(raw_dates)]
            stray = [d.isoformat() for d in dates if d.year != year]
            if stray:
                raise TimelineError(f"{here}.{name}：以下日期不属于 {year} 年：{'、'.join(stray)}。")
            lists[name] = frozenset(dates)
        both = sorted(lists["holidays"] & lists["workdays"])
        if both:
            listed = "、".join(d.isoformat() for d in both)
            raise TimelineError(f"{here}：以下日期同时列在 holidays 和 workdays 中：{listed}。")
        definitions.append(YearDefinition(year, lists["holidays"], lists["workdays"], source="calendar.years"))
    return definitions


def parse_case(data) -> CaseInput:
    """Read a `gaoxin timeline` document (already decoded from JSON) strictly; TimelineError if invalid.

    Numbers may be int, float or Decimal (decode with parse_float=Decimal to keep warn_ratio exact).
    The calendar is the official one (the package's data) with `calendar.years` replacing whole years.
    """
    data = _object(data, "输入", _TOP_KEYS)
    if "items" not in data:
        raise TimelineError("输入：缺少 items（事项数组）。")
    start = _date(data.get("start"), "start")
    today = _date(data.get("today"), "today")
    warn_ratio = DEFAULT_WARN_RATIO if data.get("warn_ratio") is None else _as_ratio(data["warn_ratio"])

    calendar_data = data.get("calendar")
    calendar_data = {} if calendar_data is None else _object(calendar_data, "calendar", _CALENDAR_KEYS)
    provisional = calendar_data.get("provisional", False)
    if provisional is None:
        provisional = False
    if not isinstance(provisional, bool):
        raise TimelineError(f"calendar.provisional：应为 true 或 false，收到 {_got(provisional)}。")
    definitions = _definitions(calendar_data.get("years"), "calendar.years")

    raw_items = data["items"]
    if not isinstance(raw_items, list):
        raise TimelineError(f"items：应为数组，收到 {_got(raw_items)}。")
    items = []
    for position, raw in enumerate(raw_items):
        raw = _object(raw, f"items[{position}]", _ITEM_KEYS)
        code = raw.get("code")
        if not isinstance(code, str) or not code.strip():
            raise TimelineError(f"items[{position}].code：应为非空字符串，收到 {_got(code)}。")

        def at(path: str, position=position, code=code) -> str:
            return f"items[{position}]{path}（事项 {code}）"

        if "limit_wd" not in raw:
            raise TimelineError(f"{at('')}：缺少 limit_wd（时限，工作日）。")
        name = raw.get("name")
        if name is not None and not isinstance(name, str):
            raise TimelineError(f"{at('.name')}：应为字符串，收到 {_got(name)}。")
        requires = _list(raw.get("requires"), at(".requires"))
        for i, required in enumerate(requires):
            if not isinstance(required, str):
                raise TimelineError(f"{at(f'.requires[{i}]')}：应为事项代码（字符串），"
                                    f"收到 {_got(required)}。")
        pause_mode = raw.get("pause_mode")
        if pause_mode is None:
            pause_mode = RESUME
        if pause_mode not in PAUSE_MODES:
            raise TimelineError(f"{at('.pause_mode')}：应为 \"resume\" 或 \"restart\"，收到 {pause_mode!r}。")
        pauses = []
        for i, pause in enumerate(_list(raw.get("pauses"), at(".pauses"))):
            pause = _object(pause, at(f".pauses[{i}]"), _PAUSE_KEYS)
            reason = pause.get("reason")
            if reason is not None and not isinstance(reason, str):
                raise TimelineError(f"{at(f'.pauses[{i}].reason')}：应为字符串，收到 {_got(reason)}。")
            begin = _date(pause.get("from"), at(f".pauses[{i}].from"), required=True)
            end = _date(pause.get("to"), at(f".pauses[{i}].to"))
            if end is not None and end < begin:
                raise TimelineError(f"{at(f'.pauses[{i}]')}：结束日期 {end.isoformat()} "
                                    f"早于开始日期 {begin.isoformat()}。")
            pauses.append((begin, end))
        items.append(ClockItem(
            code=code,
            limit_wd=_int(raw["limit_wd"], at(".limit_wd")),
            requires=tuple(requires),
            accepted=_date(raw.get("accepted"), at(".accepted")),
            decided=_date(raw.get("decided"), at(".decided")),
            extension_wd=_int(raw.get("extension_wd"), at(".extension_wd"), default=0),
            pause_mode=pause_mode,
            pauses=tuple(pauses),
        ))
    return CaseInput(items=tuple(items), start=start, today=today, warn_ratio=warn_ratio,
                     calendar=WorkCalendar(definitions), provisional=provisional, definitions=tuple(definitions))
