"""Approval statistics (the 统计 page): how long the zone's approvals take and how often they are on time.

For a window of months (by the decision date of items, by the last decision of a case):

- average working days per stage and per item, over the items decided in the window — `used_wd` of the
  legal clock (clock.item_status: acceptance day not counted, pauses for 补正 / 特别程序 excluded, restart
  after a pause for the items that restart), next to the average limit;
- the on-time rate: 按期办结 / all decided (按期办结 + 逾期办结);
- 容缺 and 告知承诺 acceptances (by acceptance date in the window) and how their obligations ended;
- the whole-process working days of each construction case — plain working days after its earliest
  acceptance up to its last decision (`WorkCalendar.workdays_between`, the same definition as total_wd of
  `gaoxin timeline`) — against its route's target (e.g. ≤ 90), for the cases finished in the window, and
  for the cases still open the working days so far.

Scope: a leader reads every zone they may read, department staff their department's items and the cases
their department received or handles an item of; enterprise users and administrators read nothing here
(the view refuses them). Working days in a year without holiday data are counted Monday–Friday
(provisional) rather than refused: a statistic must not fail on next year's calendar.
"""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Max, Min, Q, QuerySet
from django.utils.translation import gettext as _

from gaoxin.core.calendar import work_calendar
from gaoxin.core.permissions import Role
from gaoxin.core.workcal import WorkCalendar

from .. import clock
from ..models import (
    ApprovalCase,
    CaseKind,
    CaseStatus,
    ClockStatus,
    ItemInstance,
    ItemMode,
    Obligation,
    ObligationKind,
    ObligationStatus,
    SegmentKind,
    StageDef,
)

ONE = Decimal("0.1")
DECIDED = (ClockStatus.ON_TIME, ClockStatus.LATE)
NOTHING = Q(pk__in=[])


class StatisticsPeriodError(ValueError):
    """A window the page cannot read; the message (Chinese) says what is expected."""


@dataclass(frozen=True)
class Window:
    start: dt.date  # first day of the first month
    end: dt.date  # last day of the last month

    @property
    def first_month(self) -> str:
        return f"{self.start:%Y-%m}"

    @property
    def last_month(self) -> str:
        return f"{self.end:%Y-%m}"


_MONTH = re.compile(r"(\d{4})-(\d{1,2})")


def _month(raw: str, name: str) -> tuple[int, int]:
    match = _MONTH.fullmatch(raw.strip())
    if not match or not 1 <= int(match.group(2)) <= 12 or not 2000 <= int(match.group(1)) <= 2100:
        raise StatisticsPeriodError(_("%(name)s“%(raw)s”无法识别，应为 2000–2100 年间的年月，如 2025-06。")
                                    % {"name": name, "raw": raw})
    return int(match.group(1)), int(match.group(2))


def parse_window(first: str | None, last: str | None, *, today: dt.date) -> Window:
    """The months `first`..`last` (YYYY-MM, both included). Defaults: January of this year to this month;
    a missing end is the start's year end (or this month, if sooner)."""
    first, last = (first or "").strip(), (last or "").strip()
    if first:
        y, m = _month(first, _("起始月份"))
    else:
        y, m = today.year, 1
    start = dt.date(y, m, 1)
    if last:
        y2, m2 = _month(last, _("截止月份"))
    elif first:
        y2, m2 = (y, 12) if (y, 12) < (today.year, today.month) else (today.year, today.month)
        if (y2, m2) < (y, m):
            y2, m2 = y, 12
    else:
        y2, m2 = today.year, today.month
    end = dt.date(y2, m2, pycalendar.monthrange(y2, m2)[1])
    if end < start:
        raise StatisticsPeriodError(_("截止月份 %(b)s 早于起始月份 %(a)s。") % {"a": f"{start:%Y-%m}", "b": f"{end:%Y-%m}"})
    return Window(start, end)


# --- scope -----------------------------------------------------------------------------------------------

def items_in_scope(user) -> QuerySet:
    """A leader's readable zones, staff their department's items; the zone's statistics are no enterprise's."""
    if user is None or getattr(user, "role", None) not in (Role.ZONE_LEADER, Role.DEPARTMENT_STAFF):
        return ItemInstance.objects.none()
    return ItemInstance.objects.visible_to(user)


def cases_in_scope(user) -> QuerySet:
    """A leader's readable zones; staff: the cases their department received or handles an item of."""
    if user is None or not user.is_authenticated or not user.is_active:
        return ApprovalCase.objects.none()
    if user.role == Role.ZONE_LEADER:
        return ApprovalCase.objects.visible_to(user)
    if user.role == Role.DEPARTMENT_STAFF and user.department_id:
        ids = ItemInstance.objects.filter(zone_id=user.zone_id, department_id=user.department_id).values("case_id")
        return ApprovalCase.objects.filter(Q(zone_id=user.zone_id) & (Q(department_id=user.department_id)
                                                                      | Q(pk__in=ids)))
    return ApprovalCase.objects.none()


# --- results ---------------------------------------------------------------------------------------------

def _avg(total: int, n: int) -> Decimal | None:
    return (Decimal(total) / n).quantize(ONE, rounding=ROUND_HALF_UP) if n else None


def _rate(part: int, whole: int) -> Decimal | None:
    return (Decimal(part) * 100 / whole).quantize(ONE, rounding=ROUND_HALF_UP) if whole else None


@dataclass
class Group:
    """Decided items of one stage or one item code."""

    key: str
    label: str
    count: int = 0
    used_total: int = 0
    limit_total: int = 0
    on_time: int = 0

    @property
    def avg_wd(self) -> Decimal | None:
        return _avg(self.used_total, self.count)

    @property
    def avg_limit(self) -> Decimal | None:
        return _avg(self.limit_total, self.count)

    @property
    def late(self) -> int:
        return self.count - self.on_time

    @property
    def on_time_rate(self) -> Decimal | None:
        return _rate(self.on_time, self.count)


@dataclass(frozen=True)
class DecidedItem:
    item: ItemInstance
    used_wd: int
    limit_wd: int  # limit + extension
    status: str


@dataclass
class ModeCount:
    """Acceptances in one mode (容缺 / 告知承诺) and how their obligations ended."""

    accepted: int = 0
    met: int = 0
    missed: int = 0  # 容缺: 逾期未补 (the item terminated); 告知承诺: 核查不通过 (the result revoked)
    open: int = 0


@dataclass(frozen=True)
class CaseRow:
    case: ApprovalCase
    route_name: str
    target_wd: int | None
    first_accepted: dt.date | None
    last_decided: dt.date | None
    total_wd: int | None
    done: bool

    @property
    def within_target(self) -> bool | None:
        if self.total_wd is None or self.target_wd is None:
            return None
        return self.total_wd <= self.target_wd


@dataclass
class ApprovalStatistics:
    window: Window
    today: dt.date
    decided: list[DecidedItem] = field(default_factory=list)
    by_stage: list[Group] = field(default_factory=list)
    by_item: list[Group] = field(default_factory=list)
    rongque: ModeCount = field(default_factory=ModeCount)
    commitment: ModeCount = field(default_factory=ModeCount)
    finished_cases: list[CaseRow] = field(default_factory=list)
    open_cases: list[CaseRow] = field(default_factory=list)
    provisional_years: set[int] = field(default_factory=set)

    @property
    def decided_count(self) -> int:
        return len(self.decided)

    @property
    def on_time(self) -> int:
        return sum(1 for d in self.decided if d.status == ClockStatus.ON_TIME)

    @property
    def late(self) -> int:
        return self.decided_count - self.on_time

    @property
    def on_time_rate(self) -> Decimal | None:
        return _rate(self.on_time, self.decided_count)

    @property
    def avg_wd(self) -> Decimal | None:
        return _avg(sum(d.used_wd for d in self.decided), self.decided_count)

    @property
    def avg_case_wd(self) -> Decimal | None:
        rows = [r.total_wd for r in self.finished_cases if r.total_wd is not None]
        return _avg(sum(rows), len(rows))

    @property
    def cases_within_target(self) -> int:
        return sum(1 for r in self.finished_cases if r.within_target)

    @property
    def cases_within_rate(self) -> Decimal | None:
        judged = [r for r in self.finished_cases if r.within_target is not None]
        return _rate(sum(1 for r in judged if r.within_target), len(judged))

    def drill(self, figure: str) -> tuple[str, list[DecidedItem]]:
        """The decided items behind a figure: "all", "on_time", "late", "stage:<n>" or "item:<code>"."""
        if figure in ("", "all"):
            return _("办结事项"), list(self.decided)
        if figure == "on_time":
            return _("按期办结事项"), [d for d in self.decided if d.status == ClockStatus.ON_TIME]
        if figure == "late":
            return _("逾期办结事项"), [d for d in self.decided if d.status == ClockStatus.LATE]
        kind, _sep, key = figure.partition(":")
        if kind == "stage":
            group = next((g for g in self.by_stage if g.key == key), None)
            if group is not None:
                return group.label, [d for d in self.decided if str(d.item.stage_code) == key]
        if kind == "item":
            group = next((g for g in self.by_item if g.key == key), None)
            if group is not None:
                return group.label, [d for d in self.decided if d.item.code == key]
        raise StatisticsPeriodError(_("统计项“%(f)s”不存在或本期没有数据。") % {"f": figure})


# --- computation -----------------------------------------------------------------------------------------

def _between(calendar: WorkCalendar, a: dt.date, b: dt.date, guessed: set[int]) -> int:
    answer = calendar.workdays_between(a, b, provisional=True)
    guessed.update(answer.provisional_years)
    return answer.value


def approval_statistics(*, user, window: Window, today: dt.date,
                        calendar: WorkCalendar | None = None) -> ApprovalStatistics:
    calendar = calendar or work_calendar()
    stats = ApprovalStatistics(window=window, today=today)
    items = items_in_scope(user)
    _decided_items(stats, items, calendar)
    _modes(stats, items)
    _cases(stats, cases_in_scope(user), calendar)
    return stats


def _decided_items(stats: ApprovalStatistics, items: QuerySet, calendar: WorkCalendar) -> None:
    window = stats.window
    rows = list(items.filter(decided_on__range=(window.start, window.end), accepted_on__isnull=False,
                             clock_status__in=DECIDED)
                .select_related("case", "department").prefetch_related("segments")
                .order_by("stage_code", "code", "decided_on", "id"))
    stage_names = _stage_names({r.case.catalog_id for r in rows})
    stages: dict[str, Group] = {}
    by_item: dict[str, Group] = {}
    guessed: set[int] = set()
    for item in rows:
        pauses = tuple((s.start, s.end) for s in item.segments.all() if s.kind == SegmentKind.PAUSE)
        total = item.limit_wd + item.extension_wd
        answer = clock.item_status(item.accepted_on, item.decided_on, total, pauses, item.pause_mode,
                                   today=stats.today, calendar=calendar, provisional=guessed)
        decided = DecidedItem(item=item, used_wd=answer.used_wd, limit_wd=total, status=answer.status)
        stats.decided.append(decided)
        stage_key = str(item.stage_code)
        label = stage_names.get((item.case.catalog_id, item.stage_code)) or _("第 %(n)s 阶段") % {"n": item.stage_code}
        for groups, key, name in ((stages, stage_key, label), (by_item, item.code, item.name)):
            group = groups.get(key)
            if group is None:
                group = groups[key] = Group(key=key, label=name)
            group.count += 1
            group.used_total += decided.used_wd
            group.limit_total += total
            group.on_time += decided.status == ClockStatus.ON_TIME
    stats.by_stage = sorted(stages.values(), key=lambda g: int(g.key))
    stats.by_item = list(by_item.values())
    stats.provisional_years |= guessed


def _stage_names(catalog_ids: set[int]) -> dict[tuple[int, int], str]:
    return {(c, code): name for c, code, name in
            StageDef.objects.filter(catalog_id__in=catalog_ids).values_list("catalog_id", "code", "name")}


def _modes(stats: ApprovalStatistics, items: QuerySet) -> None:
    window = stats.window
    accepted = items.filter(accepted_on__range=(window.start, window.end),
                            mode__in=(ItemMode.RONGQUE, ItemMode.COMMITMENT))
    for mode, n in accepted.order_by().values_list("mode").annotate(n=Count("id")):
        target = stats.rongque if mode == ItemMode.RONGQUE else stats.commitment
        target.accepted = n
    obligations = (Obligation.objects.filter(item__in=accepted).order_by()
                   .values_list("kind", "status").annotate(n=Count("id")))
    for kind, status, n in obligations:
        target = stats.rongque if kind == ObligationKind.RONGQUE else stats.commitment
        if status == ObligationStatus.MET:
            target.met += n
        elif status in (ObligationStatus.MISSED, ObligationStatus.FAILED):
            target.missed += n
        else:
            target.open += n


def _cases(stats: ApprovalStatistics, cases: QuerySet, calendar: WorkCalendar) -> None:
    window, today = stats.window, stats.today
    rows = (cases.filter(kind=CaseKind.CONSTRUCTION)
            .annotate(first_accepted_on=Min("items__accepted_on"), last_decided_on=Max("items__decided_on"))
            .select_related("route", "project", "enterprise", "zone")
            .order_by("-start_date", "-id"))
    guessed: set[int] = set()
    for case in rows:
        route = case.route
        done = case.status != CaseStatus.OPEN
        if done:
            # A case closed without any decision (all withdrawn) has no process time to report.
            if case.last_decided_on is None or not window.start <= case.last_decided_on <= window.end:
                continue
            total = _between(calendar, case.first_accepted_on, case.last_decided_on, guessed) if case.first_accepted_on else None
            target = stats.finished_cases
        else:
            if case.first_accepted_on is None:
                continue  # nothing accepted yet: no clock has started
            total = _between(calendar, case.first_accepted_on, today, guessed) if today > case.first_accepted_on else 0
            target = stats.open_cases
        target.append(CaseRow(case=case, route_name=route.name if route else "",
                              target_wd=route.target_wd if route else None, first_accepted=case.first_accepted_on,
                              last_decided=case.last_decided_on, total_wd=total, done=done))
    stats.finished_cases.sort(key=lambda r: (r.last_decided, r.case.pk), reverse=True)
    stats.open_cases.sort(key=lambda r: (-(r.total_wd or 0), r.case.pk))
    stats.provisional_years |= guessed

