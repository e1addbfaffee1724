"""Evaluation run and result pages, the policy-list export and the year-over-year page.

Leaders read the zone's runs, department staff their department's and may run and adjust classes;
enterprise users and administrators get 403 (enterprises have their own pages); a run or result outside
the user's scope is a 404.
"""

import tempfile

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from gaoxin.core.audit.selectors import object_changes_for_object
from gaoxin.core.imports.workbooks import CONTENT_TYPES
from gaoxin.core.pages import (
    Column,
    business_page,
    can_edit,
    form_page,
    found,
    paginate,
    percent,
    sort_and_head,
)
from gaoxin.core.permissions import can_write

from ..forms import ResultOverrideForm, RunCreateForm
from ..models import EvaluationRun, EvaluationScheme, RunStatus
from ..scheme import SchemeError, parse_scheme
from ..selectors import runs as selectors
from ..services import exports
from ..services import runs as services

RUN_COLUMNS = [
    Column("year", gettext_lazy("评价年度"), "year", num=True),
    Column("version", gettext_lazy("版本"), "version", num=True),
    Column("status", gettext_lazy("状态"), "status"),
    Column("scheme", gettext_lazy("评价方案"), "scheme_name"),
    Column("results", gettext_lazy("企业数"), "result_count", num=True),
    Column("exempt", gettext_lazy("不参评"), "exempt_count", num=True),
    Column("overrides", gettext_lazy("调档"), "override_count", num=True),
    Column("department", gettext_lazy("主管部门"), "department__name"),
    Column("created_at", gettext_lazy("计算时间"), "created_at"),
]
RESULT_COLUMNS = [
    Column("uscc", gettext_lazy("统一社会信用代码"), "uscc"),
    Column("name", gettext_lazy("企业名称"), "name"),
    Column("division", gettext_lazy("行业大类"), "industry_code"),
    Column("area", gettext_lazy("片区"), "area"),
    Column("group", gettext_lazy("评价组"), "group_code"),
    Column("score", gettext_lazy("综合得分"), "score", num=True),
    Column("rank", gettext_lazy("名次"), "rank", num=True),
    Column("computed_class", gettext_lazy("计算档次"), "computed_class"),
    Column("final_class", gettext_lazy("最终档次"), "final_class"),
    Column("veto", gettext_lazy("否决项"), None),
]
EXEMPT_COLUMNS = [
    Column("uscc", gettext_lazy("统一社会信用代码"), "uscc"),
    Column("name", gettext_lazy("企业名称"), "name"),
    Column("division", gettext_lazy("行业大类"), "industry_code"),
    Column("area", gettext_lazy("片区"), "area"),
    Column("exempt_reason", gettext_lazy("不参评原因"), "exempt_reason"),
]
RESULT_FILTERS = ("group", "class", "division", "area", "q")

runs_page = business_page(enterprise_users=False)


@runs_page
@require_http_methods(["GET", "POST"])
def run_list(request):
    """The runs by year; staff who may write start a run here (a new version when the year has one)."""
    user = request.user
    may_run = can_write(user, EvaluationRun)
    if request.method == "POST" and not may_run:
        raise PermissionDenied(_("只有部门工作人员可以开展评价。"))
    qs = selectors.runs_for_user(user=user, filters=request.GET)
    qs, head = sort_and_head(request, qs, RUN_COLUMNS, default="-year")
    context = {
        "page_obj": paginate(request, qs),
        "head": head,
        "years": selectors.run_years(user=user),
        "statuses": RunStatus.choices,
        "year": request.GET.get("year", ""),
        "status": request.GET.get("status", ""),
        "may_run": may_run,
    }
    if not may_run:
        return render(request, "evaluation/run_list.html", context)
    form = RunCreateForm(request.POST or None)
    return form_page(
        request, form,
        save=lambda data, message: services.evaluation_run_create(user=user, year=data["year"], note=data["note"]),
        template="evaluation/run_list.html", context=context,
        success_message=_("评价已完成：以下是本次计算的结果。"),
    )


def _scheme_visible(user, run: EvaluationRun) -> bool:
    return run.scheme_id is not None and EvaluationScheme.objects.visible_to(user).filter(pk=run.scheme_id).exists()


@runs_page
@require_GET
def run_detail(request, pk: int):
    user = request.user
    run = found(selectors.run_get_for_user(user=user, pk=pk))
    exempt_tab = request.GET.get("view") == "exempt"
    # 不参评 rows have no group or class, so those two filters do not apply on their tab
    filters = {key: "" if exempt_tab and key in ("group", "class") else request.GET.get(key, "")
               for key in RESULT_FILTERS}
    results = selectors.results_for_user(user=user, run=run, filters={**filters, "exempt": "1" if exempt_tab else "0"})
    columns = EXEMPT_COLUMNS if exempt_tab else RESULT_COLUMNS
    results, head = sort_and_head(request, results, columns, default="rank" if not exempt_tab else "uscc")
    if "sort" not in request.GET and not exempt_tab:
        results = results.order_by("group_code", "rank", "uscc")  # best first within each group
    summary = selectors.run_summary(run=run)
    return render(request, "evaluation/run_detail.html", {
        "object": run,
        "summary": summary,
        "charts": [g.chart for g in summary.groups if g.n],
        "page_obj": paginate(request, results),
        "head": head,
        "exempt_tab": exempt_tab,
        "filters": filters,
        "filtered": any(filters.values()),
        "options": selectors.result_filter_options(run=run),
        "successor": selectors.run_successor(user=user, run=run) if run.status == RunStatus.SUPERSEDED else None,
        "scheme_visible": _scheme_visible(user, run),
        "export_classes": [(label, exports.class_policy(label)) for label, _n in summary.classes],
        "changes": object_changes_for_object(obj=run),
    })


@runs_page
@require_http_methods(["GET", "POST"])
def result_detail(request, pk: int):
    """One result explained; staff of the run's department adjust its class here while the run is open."""
    user = request.user
    result = found(selectors.result_get_for_user(user=user, pk=pk))
    run = result.run
    may_override = result.evaluated and selectors.run_is_open(run) and can_edit(user, result)
    if request.method == "POST" and not may_override:
        raise PermissionDenied(_("您不能调整该企业的档次：只有评价批次所属部门的工作人员可以在定稿前调档。"))
    history = selectors.enterprise_history(user=user, enterprise_id=result.enterprise_id)
    context = {
        "object": result,
        "run": run,
        "indicators": selectors.result_indicators(result=result),
        "total_weight": sum(i.get("weight") or 0 for i in result.indicators),
        "score": selectors.rounded_score(result.score),
        "division": selectors.division_label(result.industry_code),
        "inputs": selectors.frozen_inputs(result=result),
        "history": history,
        "history_chart": selectors.enterprise_history_chart(history),
        "objections": result.objections.select_related("filed_by").order_by("-created_at"),
        "may_override": may_override,
        "changes": object_changes_for_object(obj=result),
    }
    if not may_override:
        return render(request, "evaluation/result_detail.html", context)
    form = ResultOverrideForm(request.POST or None, class_labels=_class_labels(run, result.group_code),
                              initial={"target_class": result.final_class})
    return form_page(
        request, form,
        save=lambda data, message: services.evaluation_result_override(user=user, result=result,
                                                                       **form.service_kwargs()),
        template="evaluation/result_detail.html", context=context,
        success_message=_("档次已调整，并记入变更记录。"),
    )


def _class_labels(run: EvaluationRun, group_code: str) -> list[str]:
    try:
        return services.class_labels(parse_scheme(run.scheme_toml), group_code)
    except SchemeError:  # a text frozen under older rules: 定档 offers nothing, the service still decides
        return []


@runs_page
@require_GET
def run_export(request, pk: int):
    """The differentiated-policy list as .xlsx: every class, or only `?class=`."""
    user = request.user
    run = found(selectors.run_get_for_user(user=user, pk=pk))
    label = request.GET.get("class", "").strip()
    out = tempfile.TemporaryFile()
    try:
        exports.evaluation_run_export(user=user, run=run, class_label=label, out=out)
    except ValidationError as exc:
        out.close()
        return HttpResponseBadRequest(" ".join(exc.messages), content_type="text/plain; charset=utf-8")
    out.seek(0)
    filename = _("%(year)s年度亩均评价差别化政策名单_第%(version)s版%(class)s.xlsx") % {
        "year": run.year, "version": run.version, "class": f"_{label}" if label else ""}
    return FileResponse(out, as_attachment=True, filename=filename, content_type=CONTENT_TYPES["xlsx"])


@runs_page
@require_GET
def history(request):
    """The zone's class distribution across years, each year from the run that counts."""
    data = selectors.zone_history(user=request.user)
    rows = [{
        "year": y,
        "cells": [(y.counts.get(label, 0), percent(y.counts.get(label, 0), y.evaluated)) for label in data.labels],
    } for y in data.years]
    return render(request, "evaluation/history.html", {"history": data, "rows": rows, "chart": data.chart})
