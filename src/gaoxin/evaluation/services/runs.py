"""Runs: compute a year's classes from the evaluation data and a scheme, freeze them, and adjust classes.

A run stores the scheme text it used, every enterprise's inputs and the engine's report (benchmarks, class
counts), so a result can be explained years later whatever happened to the data or the scheme since.
Results are derived rows: the run's own audit record names how many there are; only class overrides
change a result afterwards, each audited with its reason.
"""

import polars as pl
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.core.bulk import insert_instances
from gaoxin.core.services import audited_create, audited_update, require_write

from ..engine import Evaluation, InputError, evaluate
from ..models import EvaluationResult, EvaluationRun, Objection, ObjectionStatus, OverrideKind, RunStatus
from ..scheme import Group, Scheme, SchemeError, parse_scheme
from ..selectors.data import SCHEMA, EvaluationInputs, evaluation_inputs
from ..selectors.schemes import active_scheme

# Frame columns kept with each result as its frozen inputs (the identity columns live on the result itself).
FROZEN_INPUTS = [c for c in SCHEMA if c not in ("uscc", "enterprise_id", "name", "has_data", "exempt_reason")]
OPEN = (RunStatus.COMPUTED, RunStatus.PUBLICITY)


def _acting(*, user, zone, department):
    """(zone, department) the run is made in: the user's own, or those a trusted caller (user=None) names."""
    if user is not None:
        require_write(user=user, model=EvaluationRun)
        if zone is not None and zone.pk != user.zone_id:
            raise PermissionDenied(_("只能在本人所在园区开展评价。"))
        return user.zone, user.department
    if zone is None or department is None or department.zone_id != zone.pk:
        raise PermissionDenied(_("系统调用须指明园区和该园区的部门。"))
    return zone, department


def current_run(*, zone, year: int) -> EvaluationRun | None:
    """The run of the year that counts now: the final one, else the newest open version."""
    runs = EvaluationRun.objects.filter(zone=zone, year=year)
    return runs.filter(status=RunStatus.FINAL).first() or runs.filter(status__in=OPEN).order_by("-version").first()


@transaction.atomic
def evaluation_run_create(*, user, year: int, zone=None, department=None, note: str = "",
                          message: str = "") -> EvaluationRun:
    """Compute the year anew from today's data: a new version that supersedes the open one.

    The scheme is the zone's active scheme for the year, except while a version is in publicity: then the
    published scheme text is kept, so a re-run after corrections changes data, never the rules. The new
    version inherits that publicity window, the class overrides (re-applied to the new computed classes)
    and the pending objections. A year with a final run is locked.
    """
    zone, department = _acting(user=user, zone=zone, department=department)
    EvaluationRun.objects.select_for_update().filter(zone=zone, year=year).exists()  # serialise runs of a year
    runs = EvaluationRun.objects.filter(zone=zone, year=year)
    if runs.filter(status=RunStatus.FINAL).exists():
        raise ValidationError(_("%(year)s 年度的评价结果已定稿，不能重新计算。") % {"year": year})
    previous = runs.filter(status__in=OPEN).order_by("-version").first()
    if previous is not None and previous.status == RunStatus.PUBLICITY:
        scheme_record, text = previous.scheme, previous.scheme_toml
        scheme_name, scheme_version = previous.scheme_name, previous.scheme_version
    else:
        scheme_record = active_scheme(zone=zone, year=year)
        if scheme_record is None:
            raise ValidationError(_("%(year)s 年度没有启用的评价方案：请先在“评价方案”中启用一个方案。") % {"year": year})
        text, scheme_name, scheme_version = scheme_record.toml, scheme_record.name, scheme_record.version
    keeper = previous.department_id if previous is not None else getattr(scheme_record, "department_id", None)
    if keeper is not None and keeper != department.pk:
        # the year's versions form one chain, kept by one department (the one that keeps the scheme)
        raise PermissionDenied(_("%(year)s 年度的评价由其他部门组织，本部门不能开展。") % {"year": year})
    try:
        scheme = parse_scheme(text)
    except SchemeError as exc:
        raise ValidationError(exc.problems) from None
    inputs = evaluation_inputs(zone=zone, year=year)
    evaluated = inputs.evaluated
    if evaluated.is_empty():
        raise ValidationError(_("%(year)s 年度没有参评企业：请先导入评价数据或登记工业企业。") % {"year": year})
    try:
        evaluation = evaluate(scheme, evaluated)
    except InputError as exc:
        raise ValidationError(exc.problems) from None

    version = (runs.aggregate(v=Max("version"))["v"] or 0) + 1
    run = EvaluationRun(
        zone=zone, department=department, year=year, version=version, scheme=scheme_record,
        scheme_name=scheme_name[:200], scheme_version=scheme_version, scheme_toml=text,
        land_as_of=inputs.land_as_of, report=evaluation.report(scheme), note=note[:200], previous=previous,
        status=previous.status if previous is not None else RunStatus.COMPUTED,
        publicity_start=previous.publicity_start if previous is not None else None,
        publicity_end=previous.publicity_end if previous is not None else None,
    )
    summary = _("共 %(n)s 家企业：参评 %(evaluated)s 家，不参评 %(exempt)s 家。") % {
        "n": inputs.frame.height, "evaluated": evaluated.height, "exempt": inputs.exempt.height}
    audited_create(run, message=" ".join(m for m in (message, summary) if m))
    insert_instances(_results(run, scheme, inputs, evaluation))
    if previous is not None:
        _carry_over(previous=previous, run=run, scheme=scheme)
        audited_update(previous, {"status": RunStatus.SUPERSEDED},
                       message=_("被第 %(version)s 版替代。") % {"version": version})
    return run


def _results(run: EvaluationRun, scheme: Scheme, inputs: EvaluationInputs,
             evaluation: Evaluation) -> list[EvaluationResult]:
    table = evaluation.table.with_columns(
        pl.Series("division", inputs.evaluated.get_column("division")),
        pl.Series("area", inputs.evaluated.get_column("area")),
    )
    grouped = pl.col("group").is_not_null()
    with_area = grouped & (pl.col("area") != "")
    table = table.with_columns(
        pl.len().over("group").alias("group_size"),
        pl.when(grouped).then(pl.col("score").rank("min", descending=True).over(["group", "division"]))
        .alias("industry_rank"),
        pl.when(grouped).then(pl.len().over(["group", "division"])).alias("industry_size"),
        pl.when(with_area).then(pl.col("score").rank("min", descending=True).over(["group", "area"]))
        .alias("area_rank"),
        pl.when(with_area).then(pl.len().over(["group", "area"])).alias("area_size"),
    )
    groups = {g.code: g for g in scheme.groups}
    now = timezone.now()  # bulk inserts skip auto_now
    stamp = {"zone_id": run.zone_id, "run": run, "created_at": now, "updated_at": now}
    benchmarks = {g.code: g.benchmarks for g in evaluation.groups}
    results = []
    for source, row in zip(inputs.evaluated.iter_rows(named=True), table.iter_rows(named=True), strict=True):
        group = groups.get(row["group"])
        klass = row["class"] or ""
        results.append(EvaluationResult(
            **stamp, enterprise_id=source["enterprise_id"], uscc=source["uscc"],
            name=source["name"], industry_code=source["industry"], area=source["area"],
            exempt_reason="" if group else _("不符合任何评价组的条件"),
            group_code=group.code if group else "", group_label=group.label if group else "",
            score=row["score"], rank=row["rank"], group_size=row["group_size"] if group else None,
            industry_rank=row["industry_rank"], industry_size=row["industry_size"],
            area_rank=row["area_rank"], area_size=row["area_size"],
            computed_class=klass, veto=row["veto"] or "", final_class=klass,
            inputs=_frozen(source),
            indicators=_indicators(group, row, benchmarks.get(row["group"], {})) if group else [],
        ))
    for source in inputs.exempt.iter_rows(named=True):
        results.append(EvaluationResult(
            **stamp, enterprise_id=source["enterprise_id"], uscc=source["uscc"],
            name=source["name"], industry_code=source["industry"], area=source["area"],
            exempt_reason=source["exempt_reason"][:200], inputs=_frozen(source), indicators=[],
        ))
    return results


def _frozen(source: dict) -> dict:
    return {c: source[c] for c in FROZEN_INPUTS}


def _indicators(group: Group, row: dict, benchmarks: dict) -> list[dict]:
    return [{
        "code": ind.code, "label": ind.label, "weight": ind.weight, "direction": ind.direction,
        "numerator": ind.numerator, "denominator": ind.denominator,
        "value": row[f"{ind.code}_value"], "benchmark": benchmarks.get(ind.code), "score": row[f"{ind.code}_score"],
    } for ind in group.indicators]


def class_labels(scheme: Scheme, group_code: str) -> list[str]:
    """The group's class labels from best to worst, as the scheme declares them."""
    group = next((g for g in scheme.groups if g.code == group_code), None)
    return [c.label for c in group.classes] if group else []


def overridden_class(*, labels: list[str], computed: str, kind: str, target: str = "") -> str:
    """The class after an override: 定档 sets `target`; 提档/降档 move one class from the computed one."""
    if kind == OverrideKind.FIX:
        if target not in labels:
            raise ValidationError({"target_class": _("定档须选择本组的档次之一：%(labels)s。") % {
                "labels": "、".join(labels)}})
        return target
    if computed not in labels:
        raise ValidationError(_("该企业没有计算档次，只能定档。"))
    index = labels.index(computed) + (-1 if kind == OverrideKind.UP else 1)
    if not 0 <= index < len(labels):
        raise ValidationError(_("已是最高档，不能提档。") if kind == OverrideKind.UP else _("已是最低档，不能降档。"))
    return labels[index]


@transaction.atomic
def evaluation_result_override(*, user, result: EvaluationResult, kind: str, reason: str = "",
                               target_class: str = "") -> EvaluationResult:
    """定档/提档/降档 with a reason; `kind=""` removes the override. Not on final or superseded runs."""
    require_write(user=user, model=EvaluationResult, obj=result)
    run = result.run
    if run.status not in OPEN:
        raise ValidationError(_("该批次状态为“%(status)s”，不能调整档次。") % {"status": run.get_status_display()})
    if not result.evaluated:
        raise ValidationError(_("不参评企业没有档次，不能调档。"))
    if not kind:
        return audited_update(result, {"override_kind": "", "override_reason": "",
                                       "final_class": result.computed_class}, message=_("撤销调档。"))
    if kind not in OverrideKind.values:
        raise ValidationError({"kind": _("调档方式只能是定档、提档或降档。")})
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("调档须说明原因。")})
    labels = class_labels(parse_scheme(run.scheme_toml), result.group_code)
    final = overridden_class(labels=labels, computed=result.computed_class, kind=kind, target=target_class)
    return audited_update(result, {"override_kind": kind, "override_reason": reason[:200], "final_class": final},
                          message=_("%(kind)s：%(before)s → %(after)s。%(reason)s") % {
                              "kind": kind, "before": result.computed_class or "—", "after": final, "reason": reason})


def _carry_over(*, previous: EvaluationRun, run: EvaluationRun, scheme: Scheme) -> None:
    """Re-apply the previous version's overrides and move its pending objections to the new version."""
    new = {r.enterprise_id: r for r in run.results.all()}
    for old in previous.results.exclude(override_kind=""):
        result = new.get(old.enterprise_id)
        if result is None or not result.evaluated:
            continue
        try:
            final = overridden_class(labels=class_labels(scheme, result.group_code), computed=result.computed_class,
                                     kind=old.override_kind, target=old.final_class)
        except ValidationError:
            continue  # e.g. 提档 of a firm that is now in the top class: nothing left to apply
        audited_update(result, {"override_kind": old.override_kind, "override_reason": old.override_reason,
                                "final_class": final},
                       message=_("沿用第 %(version)s 版的调档。") % {"version": previous.version})
    for objection in Objection.objects.filter(run=previous, status=ObjectionStatus.PENDING):
        result = new.get(objection.enterprise_id)
        if result is not None:
            audited_update(objection, {"run": run, "result": result},
                           message=_("随重新计算转入第 %(version)s 版。") % {"version": run.version})
