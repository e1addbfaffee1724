"""Writes to approval cases and their items: opening a case from a route or a 一件事 bundle, every state change
of an item (`item_act`), the clock ledger, 容缺 and 告知承诺 obligations, and the 帮办员.

Rules kept here (approvals.md §1.3–§3, the brief of issue 4):

- Every state change goes through `item_act` (or the internal `_transition` for the case-level fan-outs):
  machine.py says whether the move is allowed, an `ItemEvent` records it (business date, actor, 帮办 flag),
  and the cached fields of the instance follow. Events are never edited or deleted: there is no service for
  it, on purpose.
- Business dates may be in the past (back-entry is common: 体外循环 is exactly what the reform fights, so the
  system records what happened and when it was typed in — `ItemEvent.at`) but never in the future and never
  before the item's previous event.
- Who acts: department actions (受理, 补正开始, 特别程序, 延长, 办结, 撤销, 免办, 终止) need staff of the item's
  department. Applicant-side actions (收件 = submission, 补正结束 = supplement, 撤回) may also be recorded by the
  case's window (its department) or by its 帮办员, whose events are marked `as_agent`. `user=None` is a
  trusted caller (the daily scan, the demo builder).
- The clock: pauses and extensions are `ClockSegment` rows; `item_refresh_clock` turns them into the cached
  due date and status through clock.item_status (the same arithmetic as `gaoxin timeline`).
- 容缺: the deferred materials must be among the item's 可容缺材料; the supplement deadline may not exceed the
  promised limit (民政 procedure, §2.1). 容缺通过 holds the certificate until the obligation is met; missed →
  the item is 终止. 告知承诺: 通过 creates the post-verification; failed → 撤销 and every later item that
  required it (directly or through others) gets a "前置事项已撤销" event.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.core.audit.models import ChangeAction
from gaoxin.core.audit.services import change_record, snapshot
from gaoxin.core.calendar import work_calendar
from gaoxin.core.permissions import Role
from gaoxin.core.services import audited_create, audited_update
from gaoxin.core.workcal import WorkCalendar

from .. import clock, machine
from ..models import (
    ApprovalCase,
    BundleDef,
    CaseKind,
    CaseStatus,
    Catalog,
    CatalogStatus,
    ClockSegment,
    ItemDef,
    ItemEvent,
    ItemInstance,
    ItemMode,
    ItemState,
    Obligation,
    ObligationKind,
    ObligationStatus,
    PauseReason,
    RouteTemplate,
    SegmentKind,
    WaitingOn,
)

__all__ = [
    "ACTION_FIELDS",
    "bundle_open",
    "can_act",
    "case_assign_agent",
    "case_open",
    "case_requires",
    "item_act",
    "item_refresh_clock",
    "obligation_resolve",
    "obligations_expire",
]

# The keyword fields each action takes (besides user, item, action, on).
ACTION_FIELDS: dict[str, frozenset[str]] = {
    machine.RECEIVE: frozenset({"note", "materials"}),
    machine.ACCEPT: frozenset({"note", "mode", "deferred", "deferred_materials", "due", "materials"}),
    machine.CORRECTION_START: frozenset({"note", "reason", "waiting_on"}),
    machine.CORRECTION_END: frozenset({"note"}),
    machine.SPECIAL_START: frozenset({"note", "reason", "waiting_on"}),
    machine.SPECIAL_END: frozenset({"note"}),
    machine.EXTEND: frozenset({"note", "wd", "reason"}),
    machine.DECIDE: frozenset({"note", "outcome"}),
    machine.WITHDRAW: frozenset({"note"}),
    machine.REVOKE: frozenset({"note"}),
    machine.TERMINATE: frozenset({"note"}),
    machine.WAIVE: frozenset({"note"}),
}
COMMON_FIELDS = frozenset({"message"})

SPECIAL_REASONS = (PauseReason.SPECIAL, PauseReason.INTERMEDIARY, PauseReason.PUBLICITY, PauseReason.OTHER)
SPECIAL_WAITING = (WaitingOn.DEPARTMENT, WaitingOn.INTERMEDIARY)
OPEN_STATES = (ItemState.ACCEPTED, ItemState.CORRECTION, ItemState.SPECIAL)


# -- small helpers --------------------------------------------------------------------------------------

def _today() -> dt.date:
    return timezone.localdate()


def _label(action: str) -> str:
    from ..forms import action_label  # the translated labels live with the forms

    return str(action_label(action))


def _is_zone_staff(user, zone_id) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active
                and user.role == Role.DEPARTMENT_STAFF and user.department_id and user.zone_id == zone_id)


def _as_date(value, field: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValidationError({field: _("“%(value)s”不是有效日期，应为 YYYY-MM-DD 格式。") % {"value": value}})


def _calendar(calendar: WorkCalendar | None) -> WorkCalendar:
    return calendar if calendar is not None else work_calendar()


def _add_workdays(calendar: WorkCalendar, day: dt.date, n: int) -> dt.date:
    # provisional: a deadline in a year without holiday data is counted Mon–Fri rather than refused
    return calendar.add_workdays(day, n, provisional=True).value


def _clean_list(values, field: str) -> list[str]:
    if values is None:
        return []
    if isinstance(values, str):
        values = re.split(r"[\n,，;；、]+", values)
    if not isinstance(values, Iterable):
        raise ValidationError({field: _("应为材料名称的列表。")})
    return list(dict.fromkeys(str(v).strip() for v in values if str(v).strip()))


def _where(user, zone, department):
    """The zone and the 受理部门 of a new case: the acting staff's, or given by a trusted caller."""
    if user is None:
        if zone is None or department is None:
            raise ValidationError(_("未指定办件所属园区和受理部门。"))
    else:
        if not (user.is_authenticated and user.is_active and user.role == Role.DEPARTMENT_STAFF
                and user.department_id):
            raise PermissionDenied(_("只有部门工作人员可以开办审批办件。"))
        if zone is not None and zone.pk != user.zone_id:
            raise PermissionDenied(_("只能在本园区开办审批办件。"))
        if department is not None and department.pk != user.department_id:
            raise PermissionDenied(_("只能以本人所在部门作为受理部门。"))
        zone, department = user.zone, user.department
    if department.zone_id != zone.pk:
        raise ValidationError(_("受理部门不属于该园区。"))
    return zone, department


def _next_code(zone, day: dt.date) -> str:
    prefix = f"SP{day:%Y%m%d}"
    used = ApprovalCase.objects.filter(zone=zone, code__startswith=prefix).values_list("code", flat=True)
    numbers = [int(c[len(prefix):]) for c in used if c[len(prefix):].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:03d}"


def _check_start(start_date) -> dt.date:
    if start_date in (None, ""):
        raise ValidationError({"start_date": _("请填写启动日期。")})
    start_date = _as_date(start_date, "start_date")
    if start_date > _today():
        raise ValidationError({"start_date": _("启动日期 %(d)s 晚于今天。") % {"d": start_date.isoformat()}})
    return start_date


def _check_catalog(catalog, zone, field: str) -> Catalog:
    catalog = Catalog.objects.get(pk=catalog.pk)  # fresh: it may have been retired since the page was drawn
    if catalog.zone_id != zone.pk:
        raise ValidationError({field: _("所选项不属于本园区的事项目录。")})
    if catalog.status != CatalogStatus.ACTIVE:
        raise ValidationError({field: _("只能按生效的事项目录开办：%(c)s 当前为“%(s)s”。")
                                      % {"c": catalog, "s": catalog.get_status_display()}})
    return catalog


def _instance(case: ApprovalCase, item_def: ItemDef) -> ItemInstance:
    return ItemInstance(
        zone_id=case.zone_id, case=case, item_def=item_def, code=item_def.code, name=item_def.name,
        stage_code=item_def.stage.code, limit_wd=item_def.promised_limit_wd, pause_mode=item_def.pause_mode,
        department_id=item_def.department_id,
    )


def case_requires(case: ApprovalCase) -> dict[str, tuple[str, ...]]:
    """code → the codes of the case's items it requires (a requirement outside the route is bypassed)."""
    codes = list(case.items.values_list("code", flat=True))
    through = ItemDef.requires.through.objects.filter(from_itemdef__catalog_id=case.catalog_id)
    dag: dict[str, list[str]] = {}
    for frm, to in through.values_list("from_itemdef__code", "to_itemdef__code").order_by(
            "from_itemdef__code", "to_itemdef__order", "to_itemdef__id"):
        dag.setdefault(frm, []).append(to)
    return machine.effective_requires(dag, codes)


def _transition(item: ItemInstance, action: str, *, user, on: dt.date, as_agent: bool = False, mode: str | None = None,
                outcome: str | None = None, note: str = "", data: dict | None = None) -> ItemEvent:
    """Check the move with the machine, append its event and set the new state (the caller saves)."""
    try:
        to = machine.next_state(item.state, action, mode or item.mode, outcome)
    except machine.TransitionError as exc:
        raise ValidationError(str(exc)) from None
    event = ItemEvent.objects.create(item=item, kind=action, from_state=item.state, to_state=to, on=on, actor=user,
                                     as_agent=as_agent, note=(note or "").strip()[:500], data=data or {})
    item.state = to
    return event


def _note_event(item: ItemInstance, kind: str, *, user, on: dt.date, note: str, data: dict | None = None,
                as_agent: bool = False) -> ItemEvent:
    """An event that changes no state (an obligation met, a prerequisite revoked)."""
    return ItemEvent.objects.create(item=item, kind=kind, from_state=item.state, to_state=item.state, on=on,
                                    actor=user, as_agent=as_agent, note=note[:500], data=data or {})


def _save(item: ItemInstance, before: dict, message: str) -> ItemInstance:
    item_refresh_clock(item, save=False)
    item.full_clean()
    item.save()
    change_record(obj=item, action=ChangeAction.UPDATE, before=before, message=message[:200])
    return item


def _case_progress(case: ApprovalCase, on: dt.date) -> None:
    """Close the case when every item reached a terminal state; a bundle's result is delivered once."""
    case = ApprovalCase.objects.select_for_update().get(pk=case.pk)
    if case.status != CaseStatus.OPEN:
        return
    states = list(case.items.values_list("state", flat=True))
    if not states or any(s not in machine.TERMINAL_STATES for s in states):
        return
    decided = any(s in machine.DECIDED_STATES or s == ItemState.REVOKED for s in states)
    data = {"status": CaseStatus.DONE if decided else CaseStatus.CLOSED}
    if case.kind == CaseKind.BUNDLE and decided and case.result_delivered_on is None:
        data["result_delivered_on"] = on
    audited_update(case, data, message=_("全部事项已办结") if decided else _("全部事项已撤回或终止"))


# -- the clock ----------------------------------------------------------------------------------------

def _pauses(item: ItemInstance) -> tuple[tuple[dt.date, dt.date | None], ...]:
    return tuple((s.start, s.end) for s in item.segments.all() if s.kind == SegmentKind.PAUSE)


def item_refresh_clock(item: ItemInstance, *, today: dt.date | None = None, calendar: WorkCalendar | None = None,
                       save: bool = True) -> ItemInstance:
    """Recompute the cached due_on / clock_status of `item` from its acceptance, decision, limit, extension
    and pause segments (clock.item_status). Saves only the two fields, and only when they changed.

    Not accepted (待启动, 收件, 免办) or ended without a decision (撤回, 终止 before a decision): no status.
    A decided item (also when later revoked or terminated) keeps 按期办结 / 逾期办结.
    """
    today = today or _today()
    due, status = None, ""
    if item.accepted_on is not None:
        answer = clock.item_status(
            accepted=item.accepted_on, decided=item.decided_on, limit_wd=item.limit_wd + item.extension_wd,
            pauses=_pauses(item), pause_mode=item.pause_mode, today=today,
            warn_ratio=_warn_ratio(item), calendar=_calendar(calendar), provisional=True,
        )
        due = answer[0]
        live = item.decided_on is not None or item.state in OPEN_STATES
        status = (answer[3] or "") if live else ""
    changed = (item.due_on, item.clock_status) != (due, status)
    item.due_on, item.clock_status = due, status
    if save and changed and item.pk:
        ItemInstance.objects.filter(pk=item.pk).update(due_on=due, clock_status=status)
    return item


def _warn_ratio(item: ItemInstance):
    cache = getattr(item, "_warn_ratio", None)
    if cache is None:
        cache = Catalog.objects.filter(pk=item.case.catalog_id).values_list("warn_ratio", flat=True).first()
        item._warn_ratio = cache
    return cache


# -- opening cases --------------------------------------------------------------------------------------

@transaction.atomic
def case_open(*, user, route: RouteTemplate, title: str, start_date, project=None, enterprise=None,
              area_assessment: bool = False, code: str | None = None, zone=None, department=None,
              message: str = "") -> ApprovalCase:
    """Open a construction case on `route`: one item per route item, all 待启动 (免办 when the zone's 区域评估
    covers them and `area_assessment` is on). `user=None`: a trusted caller passing zone and department."""
    zone, department = _where(user, zone, department)
    catalog = _check_catalog(route.catalog, zone, "route")
    start_date = _check_start(start_date)
    errors = {}
    if project is not None and project.zone_id != zone.pk:
        errors["project"] = _("项目不属于本园区。")
    if enterprise is None and project is not None:
        enterprise = project.enterprise
    if enterprise is not None and enterprise.zone_id != zone.pk:
        errors["enterprise"] = _("企业不属于本园区。")
    title = (title or "").strip() or (project.name if project is not None else "")
    if not title:
        errors["title"] = _("请填写办件名称。")
    defs = list(route.items.select_related("stage").order_by("stage__code", "order", "id"))
    if not defs:
        errors["route"] = _("审批路线“%(r)s”没有事项。") % {"r": route}
    if errors:
        raise ValidationError(errors)
    case = ApprovalCase(zone=zone, catalog=catalog, kind=CaseKind.CONSTRUCTION,
                        code=(code or "").strip() or _next_code(zone, start_date), title=title, project=project,
                        enterprise=enterprise, route=route, area_assessment=bool(area_assessment),
                        start_date=start_date, department=department)
    audited_create(case, message=message or _("开办审批办件（%(r)s）") % {"r": route.name})
    for item_def in defs:
        item = audited_create(_instance(case, item_def))
        if case.area_assessment and item_def.area_assessment_waivable:
            before = snapshot(item)
            _transition(item, machine.WAIVE, user=user, on=start_date,
                        note=_("园区区域评估成果覆盖，免予单独办理"))
            _save(item, before, _("区域评估免办"))
    return case


def _clean_form(bundle: BundleDef, form_data) -> dict:
    if not isinstance(form_data, dict):
        raise ValidationError(_("统一表单的内容无法识别。"))
    data, errors = {}, {}
    for spec in bundle.form_fields or []:
        name = spec.get("name")
        if not name:
            continue
        value = form_data.get(name)
        value = "" if value is None else str(value).strip()
        if len(value) > 500:
            errors[name] = _("“%(label)s”不能超过 500 个字符。") % {"label": spec.get("label", name)}
        elif not value and spec.get("required"):
            errors[name] = _("请填写“%(label)s”。") % {"label": spec.get("label", name)}
        data[name] = value
    if errors:
        raise ValidationError(errors)
    return data


@transaction.atomic
def bundle_open(*, user, bundle: BundleDef, enterprise, form_data: dict, start_date, code: str | None = None,
                title: str | None = None, zone=None, department=None, message: str = "") -> ApprovalCase:
    """Open a 一件事: one unified form and one set of materials, fanned out to the anchor and the linked items,
    all received and accepted on `start_date` (一次分办). The result is delivered once, when the last item is
    decided (see _case_progress)."""
    zone, department = _where(user, zone, department)
    catalog = _check_catalog(bundle.catalog, zone, "bundle")
    start_date = _check_start(start_date)
    if enterprise is None:
        raise ValidationError({"enterprise": _("请选择申请企业。")})
    if enterprise.zone_id != zone.pk:
        raise ValidationError({"enterprise": _("企业不属于本园区。")})
    data = _clean_form(bundle, form_data)
    defs = [bundle.anchor, *bundle.items.exclude(pk=bundle.anchor_id).order_by("stage__code", "order", "id")]
    case = ApprovalCase(zone=zone, catalog=catalog, kind=CaseKind.BUNDLE,
                        code=(code or "").strip() or _next_code(zone, start_date),
                        title=(title or "").strip() or f"{bundle.name}（{enterprise.name}）",
                        enterprise=enterprise, bundle=bundle, form_data=data, start_date=start_date,
                        department=department)
    audited_create(case, message=message or _("开办一件事（%(b)s）") % {"b": bundle.name})
    shared = {"bundle": bundle.code, "form_data": data, "materials": list(bundle.materials or [])}
    for item_def in defs:
        item = audited_create(_instance(case, ItemDef.objects.select_related("stage").get(pk=item_def.pk)))
        before = snapshot(item)
        _transition(item, machine.RECEIVE, user=user, on=start_date, note=_("一件事统一收件"), data=shared)
        item.received_on = start_date
        _transition(item, machine.ACCEPT, user=user, on=start_date, mode=ItemMode.NORMAL,
                    note=_("一件事一次分办"), data=shared)
        item.accepted_on = start_date
        _save(item, before, _("一件事统一收件并分办"))
    return case


# -- the agent ------------------------------------------------------------------------------------------

@transaction.atomic
def case_assign_agent(*, user, case: ApprovalCase, agent, message: str = "") -> ApprovalCase:
    """Name (or, with agent=None, remove) the case's 帮办员: a staff user of the zone. By the case's window."""
    case = ApprovalCase.objects.select_for_update().get(pk=case.pk)
    if user is not None and not (_is_zone_staff(user, case.zone_id) and user.department_id == case.department_id):
        raise PermissionDenied(_("只有受理部门（%(d)s）的工作人员可以指定帮办员。") % {"d": case.department})
    if agent is not None and not (_is_zone_staff(agent, case.zone_id)):
        raise ValidationError({"agent": _("帮办员须为本园区在职的部门工作人员。")})
    if agent is None:
        text = _("取消帮办员")
    else:
        text = _("指定帮办员：%(a)s") % {"a": agent}
    return audited_update(case, {"agent": agent}, message=message or text)


# -- item actions ---------------------------------------------------------------------------------------

def can_act(user, item: ItemInstance, action: str) -> bool:
    """Whether `user` may perform `action` on `item` at all (state aside)."""
    try:
        _authorize(user, item, action)
    except PermissionDenied:
        return False
    return True


def _authorize(user, item: ItemInstance, action: str) -> bool:
    """PermissionDenied unless `user` may do `action` on `item`; returns whether it is done as 帮办员."""
    if user is None:
        return False
    if not _is_zone_staff(user, item.zone_id):
        raise PermissionDenied(_("只有本园区的部门工作人员可以办理审批事项。"))
    own = user.department_id == item.department_id
    if action in machine.APPLICANT_ACTIONS:
        if item.case.agent_id == user.pk:
            return True
        if own or user.department_id == item.case.department_id:
            return False
        raise PermissionDenied(_("只有办理部门（%(d)s）、受理窗口（%(w)s）或本办件的帮办员可以执行“%(a)s”。")
                               % {"d": item.department, "w": item.case.department, "a": _label(action)})
    if not own:
        raise PermissionDenied(_("只有办理部门（%(d)s）的工作人员可以执行“%(a)s”。")
                               % {"d": item.department, "a": _label(action)})
    return False


def _check_on(item: ItemInstance, on) -> dt.date:
    on = _today() if on in (None, "") else _as_date(on, "on")
    if on > _today():
        raise ValidationError({"on": _("业务日期 %(d)s 晚于今天，不能预先登记。") % {"d": on.isoformat()}})
    if on < item.case.start_date:
        raise ValidationError({"on": _("业务日期不能早于办件启动日期（%(d)s）。")
                                     % {"d": item.case.start_date.isoformat()}})
    last = item.events.aggregate(last=Max("on"))["last"]
    if last is not None and on < last:
        raise ValidationError({"on": _("业务日期不能早于该事项上一次办理记录的日期（%(d)s）。") % {"d": last.isoformat()}})
    return on


def _open_pause(item: ItemInstance) -> ClockSegment | None:
    return item.segments.filter(kind=SegmentKind.PAUSE, end__isnull=True).order_by("-start", "-id").first()


def _close_pause(item: ItemInstance, on: dt.date) -> None:
    pause = _open_pause(item)
    if pause is not None:
        pause.end = on
        pause.full_clean()
        pause.save(update_fields=["end"])


@transaction.atomic
def item_act(*, user, item: ItemInstance, action: str, on=None, **fields) -> ItemInstance:
    """Perform `action` on `item` on business date `on` (default today). One entry point for every change:

    - receive (materials)                     - accept (mode 一般/容缺/告知承诺; 容缺: deferred, due)
    - correction_start / correction_end       - special_start (reason, waiting_on 部门/中介) / special_end
    - extend (wd, reason)                     - decide (outcome 通过 / 容缺通过 / 不予许可)
    - withdraw                                - revoke (note = the reason)
    - waive (区域评估)                          - terminate (a missed 容缺; normally via obligation_resolve)

    Every action takes `note`, and `message` for the audit trail.
    """
    if action not in ACTION_FIELDS:
        raise ValidationError({"action": _("未知的办理操作“%(a)s”。") % {"a": action}})
    unknown = set(fields) - ACTION_FIELDS[action] - COMMON_FIELDS
    if unknown:
        raise ValidationError(_("“%(a)s”不接受以下内容：%(f)s。") % {"a": _label(action), "f": "、".join(sorted(unknown))})
    item = (ItemInstance.objects.select_for_update().select_related("case", "item_def", "department",
                                                                     "case__department").get(pk=item.pk))
    as_agent = _authorize(user, item, action)
    on = _check_on(item, on)
    note = str(fields.get("note") or "").strip()
    message = str(fields.get("message") or "").strip()
    before = snapshot(item)
    summary = _HANDLERS[action](item, user=user, on=on, as_agent=as_agent, note=note, fields=fields)
    label = _label(action)
    _save(item, before, message or (f"{label}：{summary}" if summary else label))
    if item.state in machine.TERMINAL_STATES:
        _case_progress(item.case, on)
    return item


def _receive(item, *, user, on, as_agent, note, fields):
    materials = _clean_list(fields.get("materials"), "materials")
    _transition(item, machine.RECEIVE, user=user, on=on, as_agent=as_agent, note=note,
                data={"materials": materials} if materials else {})
    item.received_on = on
    return ""


def _accept(item, *, user, on, as_agent, note, fields):
    mode = fields.get("mode") or ItemMode.NORMAL
    if mode not in ItemMode.values:
        raise ValidationError({"mode": _("办理方式应为：%(m)s。") % {"m": "、".join(ItemMode.values)}})
    item_def = item.item_def
    if item.case.kind == CaseKind.CONSTRUCTION:
        requires = case_requires(item.case).get(item.code, ())
        others = {i.code: i for i in item.case.items.filter(code__in=requires)}
        try:
            machine.check_prerequisites(requires, {c: i.state for c, i in others.items()},
                                        {c: i.name for c, i in others.items()})
        except machine.TransitionError as exc:
            raise ValidationError(str(exc)) from None
        late = [i for i in others.values() if i.decided_on and i.decided_on > on]
        if late:
            raise ValidationError({"on": _("受理日期不能早于前置事项的办结日期：%(l)s。") % {"l": "、".join(
                f"“{i.name}”（{i.decided_on.isoformat()}）" for i in late)}})
    data: dict = {}
    materials = _clean_list(fields.get("materials"), "materials")
    if materials:
        data["materials"] = materials
    obligation = None
    if mode == ItemMode.RONGQUE:
        if not item_def.rongque_allowed:
            raise ValidationError({"mode": _("事项“%(n)s”不适用容缺受理。") % {"n": item.name}})
        deferred = _clean_list(fields.get("deferred", fields.get("deferred_materials")), "deferred")
        if not deferred:
            raise ValidationError({"deferred": _("容缺受理须列明容缺的材料。")})
        allowed = list(item_def.deferrable_materials or [])
        outside = [m for m in deferred if m not in allowed]
        if outside:
            raise ValidationError({"deferred": _("以下材料不在该事项的可容缺材料清单中：%(o)s（可容缺：%(a)s）。")
                                   % {"o": "、".join(outside), "a": "、".join(allowed) or _("无")}})
        latest = _add_workdays(_calendar(None), on, item.limit_wd)
        due = fields.get("due")
        due = latest if due in (None, "") else _as_date(due, "due")
        if due < on:
            raise ValidationError({"due": _("补正期限不能早于受理日期（%(d)s）。") % {"d": on.isoformat()}})
        if due > latest:
            raise ValidationError({"due": _("补正期限不能超过事项的承诺时限：受理后 %(n)s 个工作日，即 %(d)s。")
                                   % {"n": item.limit_wd, "d": latest.isoformat()}})
        data.update(deferred=deferred, due=due.isoformat())
        obligation = Obligation(item=item, kind=ObligationKind.RONGQUE, subject="、".join(deferred)[:200],
                                due_on=due)
    elif fields.get("deferred") or fields.get("deferred_materials") or fields.get("due"):
        raise ValidationError({"deferred": _("只有容缺受理才能登记容缺材料和补正期限。")})
    if mode == ItemMode.COMMITMENT and not item_def.commitment_allowed:
        raise ValidationError({"mode": _("事项“%(n)s”不适用告知承诺制。") % {"n": item.name}})
    _transition(item, machine.ACCEPT, user=user, on=on, as_agent=as_agent, mode=mode, note=note, data=data)
    item.mode = mode
    item.accepted_on = on
    if obligation is not None:
        obligation.full_clean()
        obligation.save()
        change_record(obj=obligation, action=ChangeAction.CREATE,
                      message=_("容缺受理：%(s)s，%(d)s 前补正") % {"s": obligation.subject, "d": due.isoformat()})
        return _("%(m)s受理，容缺材料：%(s)s，补正期限 %(d)s") % {"m": mode, "s": obligation.subject,
                                                         "d": due.isoformat()}
    return _("%(m)s受理") % {"m": mode}


def _pause(item, *, user, on, as_agent, note, action, reason, waiting_on):
    event = _transition(item, action, user=user, on=on, as_agent=as_agent, note=note,
                        data={"reason": reason, "waiting_on": waiting_on})
    segment = ClockSegment(item=item, kind=SegmentKind.PAUSE, start=on, reason=reason, waiting_on=waiting_on,
                           note=note[:500], event=event)
    segment.full_clean()
    segment.save()


def _correction_start(item, *, user, on, as_agent, note, fields):
    _pause(item, user=user, on=on, as_agent=as_agent, note=note, action=machine.CORRECTION_START,
           reason=PauseReason.CORRECTION, waiting_on=WaitingOn.APPLICANT)
    return _("暂停计时，等待申请人补正")


def _special_start(item, *, user, on, as_agent, note, fields):
    reason = fields.get("reason") or PauseReason.SPECIAL
    if reason not in SPECIAL_REASONS:
        raise ValidationError({"reason": _("特别程序的原因应为：%(r)s。") % {"r": "、".join(SPECIAL_REASONS)}})
    default = WaitingOn.INTERMEDIARY if reason == PauseReason.INTERMEDIARY else WaitingOn.DEPARTMENT
    waiting_on = fields.get("waiting_on") or default
    if waiting_on not in SPECIAL_WAITING:
        raise ValidationError({"waiting_on": _("特别程序的等待对象应为：%(w)s。") % {"w": "、".join(SPECIAL_WAITING)}})
    _pause(item, user=user, on=on, as_agent=as_agent, note=note, action=machine.SPECIAL_START, reason=reason,
           waiting_on=waiting_on)
    return _("暂停计时（%(r)s），等待%(w)s") % {"r": reason, "w": waiting_on}


def _resume(action):
    def handler(item, *, user, on, as_agent, note, fields):
        _transition(item, action, user=user, on=on, as_agent=as_agent, note=note)
        _close_pause(item, on)
        return _("恢复计时")
    return handler


def _extend(item, *, user, on, as_agent, note, fields):
    wd = fields.get("wd")
    try:
        wd = int(wd)
    except (TypeError, ValueError):
        raise ValidationError({"wd": _("请填写延长的工作日数（正整数）。")}) from None
    if wd < 1 or item.extension_wd + wd > 3650:
        raise ValidationError({"wd": _("延长的工作日数应为 1 至 %(n)s 之间的整数。") % {"n": 3650 - item.extension_wd}})
    reason = str(fields.get("reason") or note or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写延长时限的理由。")})
    event = _transition(item, machine.EXTEND, user=user, on=on, as_agent=as_agent, note=reason,
                        data={"wd": wd})
    segment = ClockSegment(item=item, kind=SegmentKind.EXTENSION, start=on, extension_wd=wd, note=reason[:500],
                           event=event)
    segment.full_clean()
    segment.save()
    item.extension_wd += wd
    return _("延长 %(n)s 个工作日（%(r)s）") % {"n": wd, "r": reason}


def _decide(item, *, user, on, as_agent, note, fields):
    outcome = fields.get("outcome")
    open_rongque = item.obligations.filter(kind=ObligationKind.RONGQUE, status=ObligationStatus.OPEN).exists()
    if item.mode == ItemMode.RONGQUE:
        if outcome == ItemState.APPROVED and open_rongque:
            raise ValidationError({"outcome": _("容缺材料尚未补齐，只能以“容缺通过”办结（证照暂缓发放），或不予许可。")})
        if outcome == ItemState.APPROVED_DEFICIENT and not open_rongque:
            raise ValidationError({"outcome": _("容缺材料已补齐，请以“通过”办结。")})
    _transition(item, machine.DECIDE, user=user, on=on, as_agent=as_agent, outcome=outcome, note=note)
    item.decided_on = on
    item.certificate_held = outcome == ItemState.APPROVED_DEFICIENT
    if outcome == ItemState.APPROVED and item.mode == ItemMode.COMMITMENT:
        item_def = item.item_def
        due = _add_workdays(_calendar(None), on, item_def.commitment_verify_wd or 0)
        obligation = Obligation(item=item, kind=ObligationKind.VERIFICATION,
                                subject=_("“%(n)s”告知承诺事项核查") % {"n": item.name},
                                method=item_def.commitment_method[:100], due_on=due)
        obligation.full_clean()
        obligation.save()
        change_record(obj=obligation, action=ChangeAction.CREATE,
                      message=_("告知承诺核查，%(d)s 前完成") % {"d": due.isoformat()})
        return _("%(o)s；告知承诺核查期限 %(d)s") % {"o": outcome, "d": due.isoformat()}
    if item.certificate_held:
        return _("%(o)s；证照暂缓发放，待容缺材料补齐") % {"o": outcome}
    return str(outcome)


def _withdraw(item, *, user, on, as_agent, note, fields):
    _transition(item, machine.WITHDRAW, user=user, on=on, as_agent=as_agent, note=note)
    _close_pause(item, on)
    return note


def _flag_dependants(item: ItemInstance, *, user, on: dt.date, why: str) -> list[ItemInstance]:
    """Mark every later item of the case that required `item` (directly or through others)."""
    requires = case_requires(item.case)
    dependants: list[str] = []
    frontier = [item.code]
    while frontier:
        code = frontier.pop(0)
        for other, reqs in requires.items():
            if code in reqs and other not in dependants and other != item.code:
                dependants.append(other)
                frontier.append(other)
    flagged = list(item.case.items.filter(code__in=dependants).order_by("stage_code", "id"))
    for other in flagged:
        _note_event(other, "prereq_revoked", user=user, on=max(on, other.events.aggregate(m=Max("on"))["m"] or on),
                    note=_("前置事项“%(n)s”已撤销（%(w)s）") % {"n": item.name, "w": why},
                    data={"prerequisite": item.code})
    return flagged


def _revoke(item, *, user, on, as_agent, note, fields, why: str | None = None):
    if not note:
        raise ValidationError({"note": _("请填写撤销的理由。")})
    _transition(item, machine.REVOKE, user=user, on=on, as_agent=as_agent, note=note)
    item.certificate_held = False
    flagged = _flag_dependants(item, user=user, on=on, why=why or note)
    if flagged:
        return _("%(r)s；受影响的后续事项：%(l)s") % {"r": note, "l": "、".join(i.name for i in flagged)}
    return note


def _terminate(item, *, user, on, as_agent, note, fields):
    _transition(item, machine.TERMINATE, user=user, on=on, as_agent=as_agent,
                note=note or _("容缺材料逾期未补正，终止办理"))
    _close_pause(item, on)
    item.certificate_held = False
    return note or _("容缺材料逾期未补正")


def _waive(item, *, user, on, as_agent, note, fields):
    if not item.item_def.area_assessment_waivable:
        raise ValidationError(_("事项“%(n)s”不在区域评估可免的范围内。") % {"n": item.name})
    _transition(item, machine.WAIVE, user=user, on=on, as_agent=as_agent,
                note=note or _("园区区域评估成果覆盖，免予单独办理"))
    return _("区域评估免办")


_HANDLERS = {
    machine.RECEIVE: _receive,
    machine.ACCEPT: _accept,
    machine.CORRECTION_START: _correction_start,
    machine.CORRECTION_END: _resume(machine.CORRECTION_END),
    machine.SPECIAL_START: _special_start,
    machine.SPECIAL_END: _resume(machine.SPECIAL_END),
    machine.EXTEND: _extend,
    machine.DECIDE: _decide,
    machine.WITHDRAW: _withdraw,
    machine.REVOKE: _revoke,
    machine.TERMINATE: _terminate,
    machine.WAIVE: _waive,
}


# -- obligations ----------------------------------------------------------------------------------------

OUTCOMES = {
    ObligationKind.RONGQUE: {"met": ObligationStatus.MET, "missed": ObligationStatus.MISSED},
    ObligationKind.VERIFICATION: {"met": ObligationStatus.MET, "failed": ObligationStatus.FAILED},
}


@transaction.atomic
def obligation_resolve(*, user, obligation: Obligation, outcome: str, on=None, note: str = "",
                       message: str = "") -> Obligation:
    """Record how a 容缺 supplement (met / missed) or a 告知承诺 verification (met / failed) ended.

    容缺 met → the held certificate is released; missed (only after the deadline) → the item is 终止.
    Verification failed → the item is 撤销 and the later items that required it are flagged.
    """
    obligation = Obligation.objects.select_for_update().get(pk=obligation.pk)
    item = (ItemInstance.objects.select_for_update().select_related("case", "item_def", "department")
            .get(pk=obligation.item_id))
    if user is not None and not (_is_zone_staff(user, item.zone_id) and user.department_id == item.department_id):
        raise PermissionDenied(_("只有办理部门（%(d)s）的工作人员可以登记容缺补正或承诺核查结果。") % {"d": item.department})
    choices = OUTCOMES[obligation.kind]
    status = choices.get(outcome) or (outcome if outcome in choices.values() else None)
    if status is None:
        raise ValidationError({"outcome": _("“%(k)s”的结果应为：%(c)s。") % {
            "k": obligation.get_kind_display(),
            "c": "、".join(str(ObligationStatus(s).label) for s in choices.values())}})
    if obligation.status != ObligationStatus.OPEN:
        raise ValidationError(_("该事项已于 %(d)s 登记为“%(s)s”，不能重复登记。") % {
            "d": obligation.resolved_on.isoformat() if obligation.resolved_on else "—",
            "s": obligation.get_status_display()})
    on = _check_on(item, on)
    note = (note or "").strip()
    if status == ObligationStatus.MISSED and on <= obligation.due_on:
        raise ValidationError({"on": _("补正期限 %(d)s 尚未届满，不能认定逾期未补。") % {"d": obligation.due_on.isoformat()}})
    if obligation.kind == ObligationKind.RONGQUE and status == ObligationStatus.MET and on > obligation.due_on:
        raise ValidationError({"on": _("已超过补正期限（%(d)s），应登记为逾期未补。") % {"d": obligation.due_on.isoformat()}})
    before_obligation = snapshot(obligation)
    obligation.status = status
    obligation.resolved_on = on
    obligation.note = note[:500]
    obligation.full_clean()
    obligation.save()
    change_record(obj=obligation, action=ChangeAction.UPDATE, before=before_obligation,
                  message=message or str(obligation.get_status_display()))

    before = snapshot(item)
    data = {"obligation": obligation.pk, "kind": obligation.kind, "outcome": status}
    if status == ObligationStatus.MET:
        _note_event(item, "obligation_met", user=user, on=on, data=data,
                    note=note or (_("容缺材料已补齐：%(s)s") % {"s": obligation.subject}
                                  if obligation.kind == ObligationKind.RONGQUE else _("告知承诺核查通过")))
        still_open = item.obligations.filter(kind=ObligationKind.RONGQUE, status=ObligationStatus.OPEN).exists()
        if item.certificate_held and not still_open:
            item.certificate_held = False
        text = _("%(k)s：已履行") % {"k": obligation.get_kind_display()}
    elif status == ObligationStatus.MISSED:
        text = _("容缺材料逾期未补正（期限 %(d)s）") % {"d": obligation.due_on.isoformat()}
        if machine.TERMINATE in machine.allowed_actions(item.state, item.mode):
            _terminate(item, user=user, on=on, as_agent=False, note=note or text, fields={})
        else:  # already refused or withdrawn: nothing left to terminate
            _note_event(item, "obligation_missed", user=user, on=on, data=data, note=note or text)
    else:
        why = _("告知承诺核查不通过")
        text = why
        if machine.REVOKE in machine.allowed_actions(item.state, item.mode):
            _revoke(item, user=user, on=on, as_agent=False, note=note or why, fields={}, why=why)
        else:
            _note_event(item, "obligation_failed", user=user, on=on, data=data, note=note or why)
    _save(item, before, message or text)
    if item.state in machine.TERMINAL_STATES:
        _case_progress(item.case, on)
    return obligation


def obligations_expire(*, zone=None, today: dt.date | None = None) -> list[Obligation]:
    """Mark every open 容缺 obligation past its deadline as missed (the daily scan); idempotent."""
    today = today or _today()
    qs = Obligation.objects.filter(kind=ObligationKind.RONGQUE, status=ObligationStatus.OPEN, due_on__lt=today)
    if zone is not None:
        qs = qs.filter(item__zone=zone)
    done = []
    for obligation in qs.order_by("due_on", "pk"):
        done.append(obligation_resolve(user=None, obligation=obligation, outcome="missed", on=today))
    return done
