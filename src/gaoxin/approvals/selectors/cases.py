"""Reading approval cases and items with data scope; the case timeline (Gantt rows) and the urgency queue.

Scope of a case (`cases_visible`): the rules of ApprovalCase.scope (leaders their zone(s), staff the cases
their department received, enterprise users their enterprise's cases) PLUS, for staff, the cases having an
item their department handles and the cases they are 帮办员 of. Whoever reads a case reads all its items:
the timeline is one picture. Items are readable exactly when their case is.

Clocks shown on pages are computed live with clock.py for `today` (the cached due_on / clock_status are
what the daily scan last saw; the queue must not depend on whether it ran).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.accounts.models import Department, User
from gaoxin.core.calendar import work_calendar
from gaoxin.core.permissions import Role
from gaoxin.core.workcal import WorkCalendar

from .. import clock, machine
from ..models import (
    ApprovalCase,
    BundleDef,
    CatalogStatus,
    ClockSegment,
    ClockStatus,
    ItemEvent,
    ItemInstance,
    ItemState,
    Obligation,
    ObligationStatus,
    RouteTemplate,
    SegmentKind,
)
from ..services.cases import case_requires

NOTHING = Q(pk__in=[])
OPEN_STATES = (ItemState.ACCEPTED, ItemState.CORRECTION, ItemState.SPECIAL)
QUEUE_STATES = (ItemState.RECEIVED, *OPEN_STATES)


def _active(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def _extra_case_scope(user) -> Q:
    """Cases shared with a staff user beyond their department's own: an item of theirs, or theirs as agent."""
    if not _active(user) or user.role != Role.DEPARTMENT_STAFF:
        return NOTHING
    items = ItemInstance.objects.filter(zone_id=user.zone_id, department_id=user.department_id).values("case_id")
    return Q(zone_id=user.zone_id) & (Q(pk__in=items) | Q(agent_id=user.pk))


def cases_visible(user) -> QuerySet[ApprovalCase]:
    own = ApprovalCase.objects.visible_to(user).values("pk")
    return ApprovalCase.objects.filter(Q(pk__in=own) | _extra_case_scope(user))


def cases_for_user(*, user, filters: dict | None = None) -> QuerySet[ApprovalCase]:
    """Readable cases, narrowed by kind, status, project (id) and q (code, title or enterprise name)."""
    qs = cases_visible(user).select_related("department", "enterprise", "project", "route", "bundle", "agent")
    filters = filters or {}
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("project"):
        qs = qs.filter(project_id=filters["project"])
    if filters.get("q"):
        q = filters["q"].strip()
        qs = qs.filter(Q(code__icontains=q) | Q(title__icontains=q) | Q(enterprise__name__icontains=q))
    return qs.annotate(
        item_count=Count("items", distinct=True),
        done_count=Count("items", filter=Q(items__state__in=machine.TERMINAL_STATES), distinct=True),
    )


def case_get_for_user(*, user, pk: int) -> ApprovalCase | None:
    return (cases_visible(user).select_related("department", "enterprise", "project", "route", "bundle", "agent",
                                               "catalog").filter(pk=pk).first())


def item_get_for_user(*, user, pk: int) -> ItemInstance | None:
    cases = cases_visible(user).values("pk")
    return (ItemInstance.objects.filter(pk=pk, case__in=cases)
            .select_related("case", "case__department", "case__agent", "case__enterprise", "case__catalog",
                            "item_def", "item_def__stage", "department").first())


def project_case_choices(user) -> list[tuple[int, str]]:
    """Projects that appear on the user's readable cases (the list filter)."""
    rows = (cases_visible(user).exclude(project=None).values_list("project_id", "project__code", "project__name")
            .distinct().order_by("project__code"))
    return [(pk, f"{code} {name}") for pk, code, name in rows]


# -- choices for the forms ------------------------------------------------------------------------------

def route_choices(zone_id) -> list[tuple[int, str]]:
    return [(r.pk, f"{r.get_project_type_display()}：{r.name}（{_('目标 %(n)s 个工作日') % {'n': r.target_wd}}）")
            for r in RouteTemplate.objects.filter(catalog__zone_id=zone_id, catalog__status=CatalogStatus.ACTIVE)
            .order_by("project_type")]


def route_for(zone_id, pk) -> RouteTemplate | None:
    return (RouteTemplate.objects.filter(pk=pk, catalog__zone_id=zone_id, catalog__status=CatalogStatus.ACTIVE)
            .select_related("catalog").first())


def bundles_of(zone_id) -> QuerySet[BundleDef]:
    return (BundleDef.objects.filter(catalog__zone_id=zone_id, catalog__status=CatalogStatus.ACTIVE)
            .select_related("catalog", "anchor").order_by("code"))


def project_choices(zone_id) -> list[tuple[int, str]]:
    """The zone's project library: the 政务服务中心 window opens cases for any project of the zone."""
    from gaoxin.projects.models import Project

    return [(p.pk, f"{p.code} {p.name}") for p in Project.objects.filter(zone_id=zone_id).order_by("code")]


def project_in_zone(zone_id, pk):
    from gaoxin.projects.models import Project

    return Project.objects.filter(zone_id=zone_id, pk=pk).select_related("enterprise").first() if pk else None


def enterprise_choices(zone_id) -> list[tuple[int, str]]:
    from gaoxin.enterprises.models import Enterprise

    return [(e.pk, f"{e.name}（{e.uscc}）") for e in Enterprise.objects.filter(zone_id=zone_id).order_by("name")]


def enterprise_in_zone(zone_id, pk):
    from gaoxin.enterprises.models import Enterprise

    return Enterprise.objects.filter(zone_id=zone_id, pk=pk).first() if pk else None


def agent_choices(zone_id) -> list[tuple[int, str]]:
    users = (User.objects.filter(zone_id=zone_id, role=Role.DEPARTMENT_STAFF, is_active=True)
             .exclude(department=None).select_related("department").order_by("department__code", "username"))
    return [(u.pk, f"{u}（{u.department}）") for u in users]


def agent_in_zone(zone_id, pk):
    return User.objects.filter(zone_id=zone_id, pk=pk).first() if pk else None


# -- live clocks ----------------------------------------------------------------------------------------

@dataclass
class ItemClockRow:
    """One item with its clock as of `today` (live)."""

    item: ItemInstance
    due: dt.date | None = None
    used_wd: int | None = None
    remaining_wd: int | None = None
    status: str = ""
    elapsed_days: int | None = None  # calendar days from acceptance to decision / today
    paused: ClockSegment | None = None
    obligations: list[Obligation] = field(default_factory=list)

    @property
    def days_overdue(self) -> int:
        if self.status == ClockStatus.OVERDUE and self.due:
            return (self._today - self.due).days
        return 0

    _today: dt.date = dt.date.min

    @property
    def light(self) -> str:
        return STATUS_LIGHT.get(self.status, "")


STATUS_LIGHT = {
    ClockStatus.OVERDUE: "red", ClockStatus.LATE: "red",
    ClockStatus.WARNING: "yellow",
    ClockStatus.NORMAL: "green", ClockStatus.ON_TIME: "green",
}


def _pauses(item: ItemInstance) -> tuple:
    return tuple((s.start, s.end) for s in item.segments.all() if s.kind == SegmentKind.PAUSE)


def item_clock(item: ItemInstance, *, today: dt.date, calendar: WorkCalendar, warn_ratio) -> ItemClockRow:
    """The live clock of one item (segments prefetched). States without a running clock get no status."""
    row = ItemClockRow(item=item, _today=today)
    row.paused = next((s for s in item.segments.all() if s.kind == SegmentKind.PAUSE and s.end is None), None)
    if item.accepted_on is None:
        return row
    try:
        answer = clock.item_status(accepted=item.accepted_on, decided=item.decided_on,
                                   limit_wd=item.limit_wd + item.extension_wd, pauses=_pauses(item),
                                   pause_mode=item.pause_mode, today=today, warn_ratio=warn_ratio,
                                   calendar=calendar, provisional=True)
    except clock.TimelineError:
        return row
    row.due = answer.due
    # Withdrawn or terminated before a decision: the clock stopped; no used/remaining/status to show.
    if item.decided_on is not None or item.state in OPEN_STATES:
        row.used_wd, row.remaining_wd, row.status = answer.used_wd, answer.remaining_wd, answer.status or ""
        end = item.decided_on or today
        row.elapsed_days = max((end - item.accepted_on).days, 0)
    return row


def _rank(row: ItemClockRow):
    """逾期 first (most days overdue first), then 预警 (fewest working days left), then 正常 (earliest due),
    then received items waiting for acceptance (oldest first)."""
    item = row.item
    if row.status == ClockStatus.OVERDUE:
        return (0, -row.days_overdue, row.remaining_wd or 0, item.pk)
    if row.status == ClockStatus.WARNING:
        return (1, row.remaining_wd or 0, row.due or dt.date.max, item.pk)
    if row.status == ClockStatus.NORMAL:
        return (2, 0, row.due or dt.date.max, item.pk)
    return (3, 0, item.received_on or dt.date.max, item.pk)


def _queue_items(qs: QuerySet[ItemInstance]) -> QuerySet[ItemInstance]:
    return (qs.filter(state__in=QUEUE_STATES)
            .select_related("case", "case__catalog", "case__enterprise", "department")
            .prefetch_related(Prefetch("segments", queryset=ClockSegment.objects.order_by("start", "id"))))


def _live(items, today: dt.date) -> list[ItemClockRow]:
    calendar = work_calendar()
    return [item_clock(i, today=today, calendar=calendar, warn_ratio=i.case.catalog.warn_ratio) for i in items]


def queue_for_user(*, user, today: dt.date | None = None, status: str = "") -> list[ItemClockRow]:
    """The open items of the user's department (leaders: of their zone) sorted by urgency.

    Open = received and waiting for acceptance, or accepted and not yet decided (补正 and 特别程序 too).
    `status` narrows to one clock status, or "收件" for the items waiting for acceptance.
    """
    today = today or timezone.localdate()
    if not _active(user):
        return []
    if user.role == Role.DEPARTMENT_STAFF and user.department_id:
        qs = ItemInstance.objects.filter(zone_id=user.zone_id, department_id=user.department_id)
    elif user.role == Role.ZONE_LEADER:
        qs = ItemInstance.objects.filter(zone_id__in=user.readable_zone_ids())
    else:
        return []
    rows = _live(_queue_items(qs), today)
    if status == ItemState.RECEIVED:
        rows = [r for r in rows if r.item.state == ItemState.RECEIVED]
    elif status:
        rows = [r for r in rows if r.status == status]
    return sorted(rows, key=_rank)


@dataclass
class OverviewRow:
    department: Department
    counts: dict[str, int]
    received: int
    paused: int
    total: int

    @property
    def overdue(self) -> int:
        return self.counts[ClockStatus.OVERDUE]

    @property
    def warning(self) -> int:
        return self.counts[ClockStatus.WARNING]

    @property
    def normal(self) -> int:
        return self.counts[ClockStatus.NORMAL]


def zone_overview(*, user, today: dt.date | None = None) -> list[OverviewRow]:
    """Leaders: per department, the open items by clock status (live), those waiting for acceptance and
    those paused."""
    today = today or timezone.localdate()
    if not _active(user) or user.role != Role.ZONE_LEADER:
        return []
    rows = _live(_queue_items(ItemInstance.objects.filter(zone_id__in=user.readable_zone_ids())), today)
    by_dept: dict[int, OverviewRow] = {}
    for r in rows:
        dept = r.item.department
        entry = by_dept.get(dept.pk)
        if entry is None:
            entry = by_dept[dept.pk] = OverviewRow(dept, {s: 0 for s in (ClockStatus.OVERDUE, ClockStatus.WARNING,
                                                                       ClockStatus.NORMAL)}, 0, 0, 0)
        entry.total += 1
        if r.item.state == ItemState.RECEIVED:
            entry.received += 1
        elif r.status in entry.counts:
            entry.counts[r.status] += 1
        if r.paused is not None:
            entry.paused += 1
    return sorted(by_dept.values(), key=lambda e: (-e.counts[ClockStatus.OVERDUE], -e.counts[ClockStatus.WARNING],
                                                   e.department.code))


# -- the case timeline ----------------------------------------------------------------------------------

@dataclass
class TimelineRow:
    item: ItemInstance
    stage_name: str
    requires: tuple[str, ...]
    start: dt.date | None  # accepted, or the projected acceptance
    due: dt.date | None
    end: dt.date | None  # decided, or due
    planned: bool  # not accepted yet: start and due are a projection from the prerequisites
    clock: ItemClockRow
    pauses: list[tuple[dt.date, dt.date | None]]
    obligations: list[Obligation]
    revoked_prerequisites: list[str]
    on_critical_path: bool = False


@dataclass
class CaseTimeline:
    case: ApprovalCase
    today: dt.date
    rows: list[TimelineRow]
    finish: dt.date | None = None
    total_wd: int | None = None
    target_wd: int | None = None
    critical_path: tuple[str, ...] = ()
    provisional: bool = False
    error: str = ""
    critical_names: list[str] = field(default_factory=list)

    @property
    def chart_height(self) -> int:
        """Pixels for the Gantt: one band per item and per stage header, plus the axes."""
        stages = len({r.stage_name for r in self.rows})
        return 90 + 30 * (len(self.rows) + stages)

    def chart(self) -> dict:
        """The data of approvals_timeline.js (json_script): one row per item, stage headers, today."""
        def iso(d):
            return d.isoformat() if d else None

        rows = []
        stage = None
        for r in self.rows:
            if r.stage_name != stage:
                stage = r.stage_name
                rows.append({"kind": "stage", "label": f"{r.item.stage_code} {stage}"})
            rows.append({
                "kind": "item", "label": r.item.name, "code": r.item.code, "url": r.item.get_absolute_url(),
                "department": str(r.item.department), "state": r.item.state,
                "state_label": str(r.item.get_state_display()), "status": r.clock.status,
                "start": iso(r.start), "due": iso(r.due), "decided": iso(r.item.decided_on),
                "planned": r.planned, "critical": r.on_critical_path,
                "pauses": [[iso(a), iso(b or self.today)] for a, b in r.pauses],
                "remaining_wd": r.clock.remaining_wd, "used_wd": r.clock.used_wd,
            })
        return {
            "today": iso(self.today),
            "rows": rows,
            "labels": {
                "planned": _("预计（按前置事项推算）"), "paused": _("暂停计时"), "today": _("今天"),
                "due": _("到期"), "decided": _("办结"), "accepted": _("受理"), "remaining": _("剩余工作日"),
                "used": _("已用工作日"), "overdue": _("逾期"),
            },
        }


def _end_of_clock(item: ItemInstance, events: list[ItemEvent]) -> dt.date | None:
    """When an item ended without a decision (撤回, 终止): the date of that event."""
    for e in reversed(events):
        if e.to_state == item.state and e.from_state != item.state:
            return e.on
    return None


def case_timeline(case: ApprovalCase, *, today: dt.date | None = None,
                  calendar: WorkCalendar | None = None) -> CaseTimeline:
    """Rows for the Gantt chart and the table, computed with clock.compute_timeline over the case's items so
    that the items not yet accepted get projected dates from their prerequisites.

    The projection is "as of today", so that a late case never shows plans in the past:
    - an item that needs no clock (免办) ends on the start date, one that ended without a decision (撤回,
      终止) on that day: they never hold later items back;
    - an open item already past its due date is taken to end today at the earliest;
    - an item not yet accepted whose prerequisites have all ended is accepted today at the earliest (the
      next working day when today is not one); the others follow from their prerequisites as the contract
      of `gaoxin timeline` says.
    The rows' own clocks (used / remaining / status) are the live ones of item_clock.
    """
    today = today or timezone.localdate()
    calendar = calendar or work_calendar()
    items = list(case.items.select_related("department", "item_def__stage")
                 .prefetch_related(Prefetch("segments", queryset=ClockSegment.objects.order_by("start", "id")),
                                   Prefetch("events", queryset=ItemEvent.objects.order_by("on", "at", "id")),
                                   Prefetch("obligations", queryset=Obligation.objects.order_by("due_on", "id")))
                 .order_by("stage_code", "item_def__order", "id"))
    requires = case_requires(case)
    by_code = {i.code: i for i in items}
    warn_ratio = case.catalog.warn_ratio
    live = {i.code: item_clock(i, today=today, calendar=calendar, warn_ratio=warn_ratio) for i in items}
    earliest = calendar.add_workdays(max(today, case.start_date), 0, provisional=True).value

    ended: dict[str, dt.date] = {}  # items whose end is a fact
    for i in items:
        if i.state == ItemState.WAIVED:
            ended[i.code] = case.start_date
        elif i.decided_on is not None:
            ended[i.code] = i.decided_on
        elif i.state in (ItemState.WITHDRAWN, ItemState.TERMINATED):
            ended[i.code] = max(_end_of_clock(i, list(i.events.all())) or today, i.accepted_on or dt.date.min)

    clock_items = []
    for i in items:
        accepted, decided, limit = i.accepted_on, i.decided_on, i.limit_wd + i.extension_wd
        reqs = requires.get(i.code, ())
        if i.state == ItemState.WAIVED:
            accepted, decided, limit = case.start_date, case.start_date, 0
        elif i.code in ended:
            accepted = accepted or ended[i.code]
            decided = ended[i.code]
        elif accepted is not None:
            due = live[i.code].due
            if due is not None and due < today:
                decided = today  # overdue and still open: it ends today at the earliest
        elif all(r in ended for r in reqs):
            accepted = max([earliest, *(ended[r] for r in reqs)])
        clock_items.append(clock.ClockItem(
            code=i.code, limit_wd=limit, requires=reqs, accepted=accepted, decided=decided, extension_wd=0,
            pause_mode=i.pause_mode, pauses=_pauses(i) if i.state != ItemState.WAIVED else ()))
    result = CaseTimeline(case=case, today=today, rows=[],
                          target_wd=case.route.target_wd if case.route_id else None)
    projected = {}
    if clock_items:
        try:
            timeline = clock.compute_timeline(clock_items, start=case.start_date, today=today,
                                              warn_ratio=warn_ratio, calendar=calendar, provisional=True)
        except clock.TimelineError as exc:
            result.error = str(exc)
        else:
            projected = {t.code: t for t in timeline.items}
            result.finish, result.total_wd = timeline.finish, timeline.total_wd
            result.critical_path, result.provisional = timeline.critical_path, timeline.provisional
    revoked = {i.code for i in items if i.state == ItemState.REVOKED}
    for i in items:
        row_clock = live[i.code]
        p = projected.get(i.code)
        planned = i.accepted_on is None and i.state in (ItemState.WAITING, ItemState.RECEIVED)
        if i.state == ItemState.WAIVED or (i.accepted_on is None and not planned):
            start = due = end = None
        else:
            start = i.accepted_on or (p.accepted if p else None)
            due = row_clock.due or (p.due if p else None)
            end = i.decided_on or due
        result.rows.append(TimelineRow(
            item=i, stage_name=i.item_def.stage.name, requires=requires.get(i.code, ()), start=start, due=due,
            end=end, planned=planned, clock=row_clock,
            pauses=[(s.start, s.end) for s in i.segments.all() if s.kind == SegmentKind.PAUSE],
            obligations=list(i.obligations.all()),
            revoked_prerequisites=[by_code[c].name for c in _all_requires(i.code, requires) if c in revoked],
            on_critical_path=i.code in result.critical_path,
        ))
    result.critical_names = [by_code[c].name for c in result.critical_path if c in by_code]
    return result


def _all_requires(code: str, requires: dict[str, tuple[str, ...]]) -> list[str]:
    seen: list[str] = []
    stack = list(requires.get(code, ()))
    while stack:
        c = stack.pop(0)
        if c not in seen:
            seen.append(c)
            stack.extend(requires.get(c, ()))
    return seen


# -- the item page --------------------------------------------------------------------------------------

@dataclass
class ItemPage:
    item: ItemInstance
    clock: ItemClockRow
    events: list[ItemEvent]
    segments: list[ClockSegment]
    obligations: list[Obligation]
    prerequisites: list[ItemInstance]
    dependants: list[ItemInstance]
    revoked_prerequisites: list[str]


def item_page(item: ItemInstance, *, today: dt.date | None = None) -> ItemPage:
    today = today or timezone.localdate()
    item = (ItemInstance.objects.filter(pk=item.pk)
            .select_related("case", "case__catalog", "department", "item_def")
            .prefetch_related(Prefetch("segments", queryset=ClockSegment.objects.order_by("start", "id")))
            .get())
    requires = case_requires(item.case)
    siblings = {i.code: i for i in item.case.items.select_related("department")}
    prerequisites = [siblings[c] for c in requires.get(item.code, ()) if c in siblings]
    dependants = [siblings[c] for c, reqs in requires.items() if item.code in reqs and c in siblings]
    revoked = [siblings[c].name for c in _all_requires(item.code, requires)
               if c in siblings and siblings[c].state == ItemState.REVOKED]
    return ItemPage(
        item=item,
        clock=item_clock(item, today=today, calendar=work_calendar(), warn_ratio=item.case.catalog.warn_ratio),
        events=list(item.events.select_related("actor").order_by("on", "at", "id")),
        segments=list(item.segments.all()),
        obligations=list(item.obligations.order_by("due_on", "id")),
        prerequisites=prerequisites,
        dependants=dependants,
        revoked_prerequisites=revoked,
    )


def open_obligations(item: ItemInstance) -> list[Obligation]:
    return list(item.obligations.filter(status=ObligationStatus.OPEN).order_by("due_on", "id"))
