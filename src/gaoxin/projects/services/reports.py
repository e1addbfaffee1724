"""Writes to a project's figures: annual investment plans, monthly completed investment, and the monthly
reporting periods a department closes (关账) and reopens.

A project's plans and reports belong to the project's department: only its staff write them. A closed
period freezes that department's reports of the month until it is reopened with a reason.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.core.audit.models import ChangeAction
from gaoxin.core.audit.services import change_record_many, snapshot
from gaoxin.core.bulk import insert_instances
from gaoxin.core.services import (
    UpsertResult,
    audited_create,
    audited_delete,
    audited_update,
    require_register_write,
    require_write,
)

from ..models import MAX_YEAR, MIN_YEAR, AnnualPlan, MonthlyInvestment, Project, ReportPeriod

CHUNK = 900


def _check_year(year) -> None:
    if not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError(_("年度“%(year)s”无效：应为 %(min)s 至 %(max)s 之间的年份。") % {
            "year": year, "min": MIN_YEAR, "max": MAX_YEAR})


def _check_month(year, month) -> None:
    _check_year(year)
    if not isinstance(month, int) or not 1 <= month <= 12:
        raise ValidationError(_("月份“%(month)s”无效：应为 1 至 12。") % {"month": month})


def _period_label(year: int, month: int) -> str:
    return _("%(year)s年%(month)s月") % {"year": year, "month": month}


def is_future_month(year: int, month: int, *, today=None) -> bool:
    today = today or timezone.localdate()
    return (year, month) > (today.year, today.month)


def is_period_closed(*, department_id: int, year: int, month: int) -> bool:
    return ReportPeriod.objects.filter(department_id=department_id, year=year, month=month, is_closed=True).exists()


def _require_open_month(project: Project, year: int, month: int) -> None:
    _check_month(year, month)
    if is_future_month(year, month):
        raise ValidationError(_("%(period)s尚未到来，不能填报完成投资。") % {"period": _period_label(year, month)})
    if is_period_closed(department_id=project.department_id, year=year, month=month):
        raise ValidationError(_("%(period)s的月报期间已关账，不能修改；如需修改，请先重新开放该期间。") % {
            "period": _period_label(year, month)})


# --- annual plans ---------------------------------------------------------------------------------

@transaction.atomic
def plan_save(*, user, project: Project, year: int, plan_wan: Decimal, message: str = "") -> AnnualPlan:
    """Create or update the project's plan for `year`."""
    require_write(user=user, model=Project, obj=project)
    _check_year(year)
    plan = AnnualPlan.objects.select_for_update().filter(project=project, year=year).first()
    if plan is None:
        return audited_create(AnnualPlan(zone_id=project.zone_id, project=project, year=year, plan_wan=plan_wan),
                              message=message)
    return audited_update(plan, {"plan_wan": plan_wan}, message=message)


@transaction.atomic
def plan_delete(*, user, plan: AnnualPlan, message: str = "") -> None:
    require_write(user=user, model=Project, obj=plan.project)
    audited_delete(plan, message=message)


# --- monthly reports ------------------------------------------------------------------------------

@transaction.atomic
def report_save(*, user, project: Project, year: int, month: int, completed_wan: Decimal, progress: str = "",
                message: str = "") -> MonthlyInvestment:
    """Create or update the project's report for a month; refused for a closed or future month."""
    require_write(user=user, model=Project, obj=project)
    _require_open_month(project, year, month)
    report = MonthlyInvestment.objects.select_for_update().filter(project=project, year=year, month=month).first()
    data = {"completed_wan": completed_wan, "progress": (progress or "").strip()}
    if report is None:
        return audited_create(MonthlyInvestment(zone_id=project.zone_id, project=project, year=year, month=month,
                                                **data), message=message)
    return audited_update(report, data, message=message)


@transaction.atomic
def report_delete(*, user, report: MonthlyInvestment, message: str = "") -> None:
    require_write(user=user, model=Project, obj=report.project)
    if is_period_closed(department_id=report.project.department_id, year=report.year, month=report.month):
        raise ValidationError(_("%(period)s的月报期间已关账，不能删除该月报；如需修改，请先重新开放该期间。") % {
            "period": _period_label(report.year, report.month)})
    audited_delete(report, message=message)


# --- reporting periods ----------------------------------------------------------------------------

@transaction.atomic
def period_close(*, user, year: int, month: int, message: str = "") -> ReportPeriod:
    """Close the user's department's period (year, month): its reports are frozen from now on."""
    require_write(user=user, model=ReportPeriod)
    _check_month(year, month)
    if is_future_month(year, month):
        raise ValidationError(_("%(period)s尚未到来，不能关账。") % {"period": _period_label(year, month)})
    period = (ReportPeriod.objects.select_for_update()
              .filter(department_id=user.department_id, year=year, month=month).first())
    data = {"is_closed": True, "closed_at": timezone.now(), "closed_by": user}
    if period is None:
        return audited_create(ReportPeriod(zone_id=user.zone_id, department_id=user.department_id, year=year,
                                           month=month, **data), message=message)
    if period.is_closed:
        raise ValidationError(_("%(period)s已关账。") % {"period": _period_label(year, month)})
    return audited_update(period, data, message=message)


@transaction.atomic
def period_reopen(*, user, year: int, month: int, reason: str) -> ReportPeriod:
    """Reopen a closed period; the reason is required and kept as the audit record's message."""
    require_write(user=user, model=ReportPeriod)
    _check_month(year, month)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("请填写重新开放的原因。"))
    period = (ReportPeriod.objects.select_for_update()
              .filter(department_id=user.department_id, year=year, month=month, is_closed=True).first())
    if period is None:
        raise ValidationError(_("%(period)s未关账，无需重新开放。") % {"period": _period_label(year, month)})
    return audited_update(period, {"is_closed": False, "closed_at": None, "closed_by": None}, message=reason)


# --- bulk upserts (imports, demo) -----------------------------------------------------------------

def _projects_by_code(*, zone, department, codes: list[str]) -> dict[str, Project]:
    """The zone's projects named by `codes`; unknown codes and other departments' projects refuse the batch."""
    found: dict[str, Project] = {}
    wanted = sorted(set(codes))
    qs = Project.objects.filter(zone=zone).only("id", "zone_id", "code", "name", "department_id")
    for start in range(0, len(wanted), CHUNK):
        for project in qs.filter(code__in=wanted[start:start + CHUNK]):
            found[project.code] = project
    unknown = [c for c in wanted if c not in found]
    if unknown:
        raise ValidationError(_("以下项目编号在本园区不存在，请先登记或导入项目：%(codes)s") % {
            "codes": "、".join(unknown[:20])})
    foreign = sorted(c for c, p in found.items() if p.department_id != department.pk)
    if foreign:
        raise ValidationError(_("以下项目由其他部门维护，本部门不能导入其计划或月报：%(codes)s") % {
            "codes": "、".join(foreign[:20])})
    return found


def _check_unique(keys: list[tuple], label) -> None:
    seen, dup = set(), []
    for key in keys:
        if key in seen:
            dup.append("/".join(str(k) for k in key))
        seen.add(key)
    if dup:
        raise ValidationError(_("以下%(label)s重复出现：%(keys)s") % {"label": label, "keys": "、".join(dup[:20])})


def _validate_rows(objs: list, describe) -> None:
    """Field rules (ranges, digits) for rows a trusted caller may hand over unchecked; no query per row."""
    for obj in objs:
        try:
            obj.clean_fields(exclude=["zone", "project"])
        except ValidationError as exc:
            raise ValidationError(_("%(row)s：%(errors)s") % {
                "row": describe(obj), "errors": "；".join(m for ms in exc.message_dict.values() for m in ms)}) from None


def _upsert(*, model, zone, rows: list[dict], keys: tuple[str, ...], values: tuple[str, ...], projects,
            existing: dict, describe, message: str) -> UpsertResult:
    now = timezone.now()
    to_create, to_update, changes = [], [], []
    for row in rows:
        project = projects[row["code"]]
        key = (project.pk, *(row[k] for k in keys))
        data = {v: row[v] for v in values if v in row}
        current = existing.get(key)
        if current is None:
            obj = model(zone=zone, project=project, created_at=now, updated_at=now,
                        **{k: row[k] for k in keys}, **data)
            to_create.append(obj)
            continue
        before = snapshot(current)
        for k, v in data.items():
            setattr(current, k, v)
        if snapshot(current) != before:
            current.updated_at = now
            to_update.append(current)
            changes.append((current, ChangeAction.UPDATE, before))
    _validate_rows(to_create + to_update, describe)
    insert_instances(to_create)
    if to_update:
        model.objects.bulk_update(to_update, fields=[*values, "updated_at"], batch_size=1000)
    if to_create:
        ids = {}
        project_ids = sorted({o.project_id for o in to_create})
        for start in range(0, len(project_ids), CHUNK):
            qs = model.objects.filter(project_id__in=project_ids[start:start + CHUNK]).values_list(
                "id", "project_id", *keys)
            for pk, project_id, *rest in qs:
                ids[(project_id, *rest)] = pk
        for obj in to_create:
            obj.pk = ids[(obj.project_id, *(getattr(obj, k) for k in keys))]
    change_record_many([(o, ChangeAction.CREATE, None) for o in to_create] + changes, message=message)
    return UpsertResult(created=len(to_create), updated=len(to_update),
                        unchanged=len(rows) - len(to_create) - len(to_update))


def _existing(model, projects: dict[str, Project], keys: tuple[str, ...]) -> dict:
    found = {}
    ids = sorted(p.pk for p in projects.values())
    for start in range(0, len(ids), CHUNK):
        for obj in model.objects.filter(project_id__in=ids[start:start + CHUNK]):
            found[(obj.project_id, *(getattr(obj, k) for k in keys))] = obj
    return found


def plans_upsert(*, zone, department, rows: list[dict], user=None, message: str = "") -> UpsertResult:
    """Annual plans by (项目编号, 年度) for `department`'s projects: rows {"code", "year", "plan_wan"}; all or nothing."""
    require_register_write(user=user, model=AnnualPlan, zone=zone, department=department)
    _check_unique([(r["code"], r["year"]) for r in rows], _("项目编号和年度"))
    with transaction.atomic():
        projects = _projects_by_code(zone=zone, department=department, codes=[r["code"] for r in rows])
        by_id = {p.pk: p for p in projects.values()}
        return _upsert(model=AnnualPlan, zone=zone, rows=rows, keys=("year",), values=("plan_wan",),
                       projects=projects, existing=_existing(AnnualPlan, projects, ("year",)),
                       describe=lambda o: f"{by_id[o.project_id].code} {o.year}", message=message)


def investment_upsert(*, zone, department, rows: list[dict], user=None, message: str = "") -> UpsertResult:
    """Monthly completed investment by (项目编号, 年度, 月份): rows {"code", "year", "month", "completed_wan"
    [, "progress"]}; rows in a closed period of the department refuse the batch; all or nothing."""
    require_register_write(user=user, model=MonthlyInvestment, zone=zone, department=department)
    _check_unique([(r["code"], r["year"], r["month"]) for r in rows], _("项目编号、年度和月份"))
    for row in rows:
        _check_month(row["year"], row["month"])
    with transaction.atomic():
        projects = _projects_by_code(zone=zone, department=department, codes=[r["code"] for r in rows])
        months = {(r["year"], r["month"]) for r in rows}
        closed = {(p.year, p.month) for p in ReportPeriod.objects.filter(
            department=department, is_closed=True, year__in={y for y, _m in months})} & months
        if closed:
            refused = [f"{r['code']} {r['year']}-{r['month']:02d}" for r in rows if (r["year"], r["month"]) in closed]
            raise ValidationError(_("%(periods)s的月报期间已关账，不能导入以下月报（请先重新开放该期间）：%(rows)s") % {
                "periods": "、".join(_period_label(y, m) for y, m in sorted(closed)),
                "rows": "、".join(refused[:20])})
        by_id = {p.pk: p for p in projects.values()}
        return _upsert(model=MonthlyInvestment, zone=zone, rows=rows, keys=("year", "month"),
                       values=("completed_wan", "progress"), projects=projects,
                       existing=_existing(MonthlyInvestment, projects, ("year", "month")),
                       describe=lambda o: f"{by_id[o.project_id].code} {o.year}-{o.month:02d}", message=message)
