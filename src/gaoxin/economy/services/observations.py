"""Recording official figures (本区 and 全市) with their revisions.

A figure is never updated in place and never deleted through the UI: recording a different figure for
the same indicator, region and period adds revision n+1 (status 修订 unless one is given) and marks the
previous row as no longer current, so the history of every published number stays readable. Recording the
same figure again changes nothing. Growth rates are stored as published and never recomputed from levels
(economy.md §0: the statistics office computes them at comparable prices and on a comparable base).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.core.audit.models import ChangeAction
from gaoxin.core.audit.services import change_record, snapshot
from gaoxin.core.services import UpsertResult, require_register_write, require_write

from ..models import Frequency, Indicator, IndicatorKind, Observation, ObservationStatus, Region

GROWTH_MIN, GROWTH_MAX = Decimal(-100), Decimal(10000)
# Units whose cumulative value is a rate, which may be negative; every other unit is a level (≥ 0).
RATE_UNITS = frozenset({"%", "‰", "个百分点"})
COMPARED = ("value", "growth_pct", "source", "status")


def is_future(year: int, month: int, today=None) -> bool:
    today = today or timezone.localdate()
    return (year, month) > (today.year, today.month)


def observation_problems(*, indicator: Indicator, year: int, month: int, value, growth_pct, today=None,
                         ) -> dict[str, str]:
    """The rules an observation obeys besides its model's clean(): {field: Chinese reason}.

    Shared by the form, the service and the import so that all three refuse the same figures.
    """
    problems: dict[str, str] = {}
    if indicator.kind == IndicatorKind.COMPUTED:
        problems["indicator"] = _("“%(name)s”由平台根据业务记录计算，不能录入或导入数据。") % {"name": indicator.name}
    if not indicator.is_active:
        problems["indicator"] = _("“%(name)s”已停用，不能录入数据。") % {"name": indicator.name}
    if month and not 1 <= month <= 12:
        problems["month"] = _("月份应为 1–12。")
    elif indicator.frequency == Frequency.QUARTERLY and month and month % 3:
        problems["month"] = _("“%(name)s”是季度指标，期间应为季末月份（3、6、9、12 月），不能是 %(month)s 月。") % {
            "name": indicator.name, "month": month}
    if year and month and is_future(year, month, today):
        problems["month"] = _("%(year)s年%(month)s月尚未到来，不能填报。") % {"year": year, "month": month}
    if value is None and growth_pct is None:
        problems["value"] = _("累计值和累计增速至少填写一项。")
    if value is not None and value < 0 and indicator.unit not in RATE_UNITS:
        problems["value"] = _("累计值不能为负数（单位：%(unit)s）。") % {"unit": indicator.unit}
    if growth_pct is not None and not GROWTH_MIN <= growth_pct <= GROWTH_MAX:
        problems["growth_pct"] = _("累计增速应在 -100%% 到 10000%% 之间，实际为 %(value)s%%。") % {"value": growth_pct}
    return problems


def _same(current: Observation, candidate: dict) -> bool:
    """Equal figures whatever their scale (8.2 == 8.20); None only equals None."""
    for field in COMPARED:
        a, b = getattr(current, field), candidate[field]
        if a != b:
            return False
    return True


def _resolve_blank(current: Observation | None, *, source: str, status: str) -> tuple[str, str]:
    """A blank source keeps the current one (a revision usually comes from the same office); a blank status
    is 初步 for a first figure and 修订 for a changed one (decided by the caller once it knows)."""
    source = (source or "").strip()
    if not source and current is not None:
        source = current.source
    return source, (status or "").strip()


@dataclass(frozen=True)
class _Plan:
    """What recording one figure does: nothing, create revision 1, or supersede `current` by a new revision."""

    new: Observation | None
    superseded: Observation | None


def _plan(*, indicator, zone, department, region, year, month, value, growth_pct, source, status, note, user,
          current: Observation | None) -> _Plan:
    source, status = _resolve_blank(current, source=source, status=status)
    if status and status not in ObservationStatus.values:
        raise ValidationError({"status": _("状态“%(value)s”不是可选值，应为：%(choices)s。") % {
            "value": status, "choices": "、".join(ObservationStatus.values)}})
    if current is not None:
        if current.department_id != department.pk:
            raise ValidationError({"indicator": _(
                "%(name)s %(period)s（%(region)s）的数据由“%(department)s”维护，本部门不能修订。") % {
                "name": indicator.name, "period": current.period_label, "region": region,
                "department": current.department}})
        compared = {"value": value, "growth_pct": growth_pct, "source": source,
                    "status": status or current.status}
        if _same(current, compared):
            return _Plan(None, None)
    if not status:
        status = ObservationStatus.REVISED if current is not None else ObservationStatus.PRELIMINARY
    obs = Observation(
        zone=zone, department=department, indicator=indicator, region=region, year=year, month=month,
        value=value, growth_pct=growth_pct, source=source, status=status, note=(note or "").strip(),
        revision=(current.revision + 1) if current is not None else 1, is_current=True,
        recorded_by=user if getattr(user, "pk", None) else None,
    )
    return _Plan(obs, current)


def _check(obs: Observation) -> None:
    problems = observation_problems(indicator=obs.indicator, year=obs.year, month=obs.month, value=obs.value,
                                    growth_pct=obs.growth_pct)
    if problems:
        raise ValidationError(problems)
    # the new revision is unique only once the old one stops being current: validate without that check
    obs.full_clean(validate_constraints=False)


def _revision_message(obs: Observation, superseded: Observation | None, message: str) -> str:
    if superseded is None:
        text = f"录入 {obs.indicator.name} {obs.period_label}（{obs.region}）第 {obs.revision} 版"
    else:
        text = f"{obs.indicator.name} {obs.period_label}（{obs.region}）第 {obs.revision} 版替代第 {superseded.revision} 版"
    return f"{text}；{message}" if message else text


def _write(plans: list[_Plan], *, message: str) -> None:
    """Supersede the old rows first (one current row per period is a database constraint), then insert."""
    changes = []
    for plan in plans:
        if plan.superseded is not None:
            before = snapshot(plan.superseded)
            plan.superseded.is_current = False
            plan.superseded.save(update_fields=["is_current", "updated_at"])
            changes.append((plan.superseded, ChangeAction.UPDATE, before,
                            f"第 {plan.new.revision} 版替代第 {plan.superseded.revision} 版，本版不再现行"))
    for plan in plans:
        plan.new.save()
        changes.append((plan.new, ChangeAction.CREATE, None, _revision_message(plan.new, plan.superseded, message)))
    # one audit row per change, each with its own message (which revision replaced which)
    for obj, action, before, text in changes:
        change_record(obj=obj, action=action, before=before, message=text)


def _check_region(region: str) -> str:
    if region not in Region.values:
        raise ValidationError({"region": _("范围应为：%(choices)s。") % {"choices": "、".join(Region.values)}})
    return region


def _writer(*, user, indicator, zone, department):
    """The zone and department a write goes to: the user's own (staff of the indicator's zone), or the
    trusted caller's."""
    if user is not None:
        require_write(user=user, model=Observation)
        if user.zone_id != indicator.zone_id:
            raise PermissionDenied(_("只能录入本园区的指标数据。"))
        return user.zone, user.department
    if zone is None or department is None:
        raise PermissionDenied(_("未指定园区和部门。"))
    if indicator.zone_id != zone.pk or department.zone_id != zone.pk:
        raise PermissionDenied(_("指标或部门不属于该园区。"))
    return zone, department


@transaction.atomic
def observation_record(*, user, indicator: Indicator, region: str, year: int, month: int, value, growth_pct,
                       source: str, status: str, note: str = "", zone=None, department=None,
                       message: str = "") -> Observation:
    """Record one figure: revision 1, a new revision superseding a different current figure, or — for the
    same figure — the current row unchanged. `user=None` is a trusted caller naming zone and department."""
    zone, department = _writer(user=user, indicator=indicator, zone=zone, department=department)
    region = _check_region(region)
    current = (Observation.objects.select_for_update()
               .filter(indicator=indicator, region=region, year=year, month=month, is_current=True).first())
    plan = _plan(indicator=indicator, zone=zone, department=department, region=region, year=year, month=month,
                 value=value, growth_pct=growth_pct, source=source, status=status, note=note, user=user,
                 current=current)
    if plan.new is None:
        return current
    _check(plan.new)
    _write([plan], message=message)
    return plan.new


@transaction.atomic
def observations_upsert(*, zone, department, rows: list[dict], region: str, user=None,
                        message: str = "") -> UpsertResult:
    """Record many figures of one region (imports, the demo) with the same revision semantics; all or nothing.

    Rows: {"indicator_id", "year", "month", "value", "growth_pct", "source", "status"} (+ optional "note").
    Counts: created = first figures, updated = new revisions, unchanged = identical to the current figure.
    """
    require_register_write(user=user, model=Observation, zone=zone, department=department)
    region = _check_region(region)
    indicators = {i.pk: i for i in Indicator.objects.filter(zone=zone, pk__in={r["indicator_id"] for r in rows})}
    current = {
        (o.indicator_id, o.year, o.month): o
        for o in Observation.objects.select_for_update().select_related("department").filter(
            zone=zone, region=region, is_current=True, indicator_id__in=list(indicators))
    }
    plans, seen, errors = [], set(), []
    unchanged = 0
    for number, row in enumerate(rows, start=1):
        indicator = indicators.get(row["indicator_id"])
        if indicator is None:
            errors.append(_("第 %(n)s 条：指标不属于该园区。") % {"n": number})
            continue
        key = (indicator.pk, row["year"], row["month"])
        if key in seen:
            errors.append(_("第 %(n)s 条：%(name)s %(year)s-%(month)02d 重复。") % {
                "n": number, "name": indicator.name, "year": row["year"], "month": row["month"]})
            continue
        seen.add(key)
        try:
            plan = _plan(indicator=indicator, zone=zone, department=department, region=region, year=row["year"],
                         month=row["month"], value=row.get("value"), growth_pct=row.get("growth_pct"),
                         source=row.get("source", ""), status=row.get("status", ""), note=row.get("note", ""),
                         user=user, current=current.get(key))
            if plan.new is None:
                unchanged += 1
                continue
            _check(plan.new)
        except ValidationError as exc:
            errors.extend(_("%(name)s %(year)s-%(month)02d：%(reason)s") % {
                "name": indicator.name, "year": row["year"], "month": row["month"], "reason": reason}
                for reason in exc.messages)
            continue
        plans.append(plan)
    if errors:
        raise ValidationError(errors)
    _write(plans, message=message)
    revised = sum(1 for p in plans if p.superseded is not None)
    return UpsertResult(created=len(plans) - revised, updated=revised, unchanged=unchanged)
