"""Match run pages (系统比对 → 精准推送): start a run, read it (totals, awards, frozen rules), notify, void,
and download its output in the rules contract's columns.

Writers are the staff of the policy's department; leaders and the department's staff read. Enterprise users
and administrators get 403; a run out of scope is 404.
"""

import csv
import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gaoxin.core.audit.selectors import object_changes_for_object
from gaoxin.core.imports.workbooks import CONTENT_TYPES
from gaoxin.core.pages import Column, business_page, can_edit, form_page, found, paginate, require_edit
from gaoxin.core.permissions import can_write

from ..forms import RunCancelForm, RunForm
from ..models import MatchRun, MatchRunStatus
from ..rules import OUTPUT_COLUMNS
from ..selectors import policies as policy_selectors
from ..selectors import runs as selectors
from ..services import runs as services

run_page = business_page(enterprise_users=False)

AWARD_COLUMNS = [
    Column("enterprise", gettext_lazy("企业")),
    Column("clause", gettext_lazy("条款")),
    Column("raw", gettext_lazy("计算金额（万元）"), num=True),
    Column("granted", gettext_lazy("核定金额（万元）"), num=True),
    Column("paid", gettext_lazy("兑现金额（万元）"), num=True),
    Column("note", gettext_lazy("核减说明")),
    Column("status", gettext_lazy("状态")),
]


@run_page
@require_POST
def run_add(request, pk: int):
    """Start a run of the policy for the posted year; refusals come back to the policy page as a message."""
    user = request.user
    policy = found(policy_selectors.policy_for_user(user=user, pk=pk))
    require_edit(user, policy)
    if not can_write(user, MatchRun):
        raise PermissionDenied(_("只有部门工作人员可以比对。"))
    form = RunForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择要比对的事实年度。"))
        return redirect(policy.get_absolute_url())
    try:
        run = services.match_run_create(user=user, policy=policy, year=form.cleaned_data["year"])
    except ValidationError as exc:
        messages.error(request, _("未比对：%(reason)s") % {"reason": " ".join(exc.messages)})
        return redirect(policy.get_absolute_url())
    messages.success(request, _("比对完成：匹配 %(matched)s 条，拟兑现 %(paid)s 万元，生成待推送记录 %(awards)s 条。") % {
        "matched": run.matched, "paid": run.paid_wan, "awards": run.awards.count()})
    return redirect(run.get_absolute_url())


def _clause_param(request) -> int | None:
    raw = request.GET.get("clause", "")
    return int(raw) if raw.isdigit() and len(raw) < 19 else None


@run_page
@require_GET
def run_detail(request, pk: int):
    user = request.user
    run = found(selectors.run_for_user(user=user, pk=pk))
    clause_id = _clause_param(request)
    page = paginate(request, selectors.run_awards(run=run, clause_id=clause_id))
    editable = can_edit(user, run)
    return render(request, "policies/run_detail.html", {
        "object": run,
        "policy": run.policy,
        "summary": selectors.run_summary(run=run),
        "page_obj": page,
        "head": [{"label": c.label, "num": c.num} for c in AWARD_COLUMNS],
        "clauses": selectors.run_clauses(run=run),
        "clause_id": clause_id,
        "can_notify": editable and run.status == MatchRunStatus.MATCHED,
        "can_cancel": editable and run.status == MatchRunStatus.MATCHED,
        "changes": object_changes_for_object(obj=run),
    })


@run_page
@require_http_methods(["GET", "POST"])
def run_notify(request, pk: int):
    """Confirm, then send every 待推送 award of the run to its enterprise."""
    user = request.user
    run = found(selectors.run_for_user(user=user, pk=pk))
    require_edit(user, run)
    error = None
    if request.method == "POST":
        try:
            count = services.match_run_notify(user=user, run=run)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("已向企业推送 %(n)s 条兑现通知。") % {"n": count})
            return redirect(run.get_absolute_url())
    return render(request, "policies/run_confirm.html", {
        "object": run, "action": "notify", "title": _("推送兑现通知：%(run)s") % {"run": run},
        "summary": selectors.run_summary(run=run), "error": error,
    }, status=400 if error else 200)


@run_page
@require_http_methods(["GET", "POST"])
def run_cancel(request, pk: int):
    user = request.user
    run = found(selectors.run_for_user(user=user, pk=pk))
    require_edit(user, run)
    form = RunCancelForm(request.POST or None)
    return form_page(
        request, form,
        save=lambda data, message: services.match_run_cancel(user=user, run=run, reason=data["reason"],
                                                             message=message),
        template="policies/run_confirm.html",
        context={"object": run, "action": "cancel", "title": _("作废比对批次：%(run)s") % {"run": run},
                 "summary": selectors.run_summary(run=run), "cancel_url": run.get_absolute_url()},
        success_message=_("比对批次已作废，其待推送记录已删除。"),
    )


@run_page
@require_GET
def run_download(request, pk: int):
    """The run's awards in the contract's columns (entity, rule, raw_wan, granted_wan, paid_wan, note), as
    the CLI writes them: UTF-8 without BOM, amounts with two decimals."""
    run = found(selectors.run_for_user(user=request.user, pk=pk))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(OUTPUT_COLUMNS)
    for award in selectors.run_awards(run=run):
        writer.writerow([award.enterprise.uscc, award.clause.code, award.raw_wan, award.granted_wan,
                         award.amount_wan, award.note])
    response = HttpResponse(out.getvalue().encode("utf-8"), content_type=CONTENT_TYPES["csv"])
    response["Content-Disposition"] = f'attachment; filename="run-{run.pk}-{run.year}.csv"'
    return response
