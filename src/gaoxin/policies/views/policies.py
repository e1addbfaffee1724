"""Policy pages (惠企政策): list, detail with budget, clauses and runs, add/edit/delete, status, the rules file.

Leaders read every policy of their zone, department staff their department's and change them; enterprise
users have their own pages (views.mine) and get 403 here, as do administrators. A policy out of scope is 404.
"""

import copy

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from gaoxin.core.audit.selectors import object_changes_for_object
from gaoxin.core.pages import (
    Column,
    business_page,
    can_edit,
    delete_page,
    form_page,
    found,
    paginate,
    percent,
    require_edit,
    sort_and_head,
)
from gaoxin.core.permissions import can_write

from ..forms import PolicyFilterForm, PolicyForm, PolicyStatusForm, RunForm
from ..models import ClauseMode, MatchRun, Policy, PolicyStatus
from ..selectors import policies as selectors
from ..selectors import runs as run_selectors
from ..selectors.budget import budget_for_policy, budgets_for_policies
from ..services import policies as services

policy_page = business_page(enterprise_users=False)

POLICY_COLUMNS = [
    Column("code", gettext_lazy("政策编号"), "code"),
    Column("name", gettext_lazy("政策名称"), "name"),
    Column("document_number", gettext_lazy("文号"), "document_number"),
    Column("valid_from", gettext_lazy("有效期"), "valid_from"),
    Column("status", gettext_lazy("状态"), "status"),
    Column("clauses", gettext_lazy("条款数"), "clause_count", num=True),
    Column("budget", gettext_lazy("预算执行（已承诺/预算，万元）"), "budget_wan", num=True),
    Column("department", gettext_lazy("主管部门"), "department__name"),
]


@policy_page
@require_GET
def policy_list(request):
    user = request.user
    filter_form = PolicyFilterForm(request.GET or None)
    filters = filter_form.valid_filters()
    qs = selectors.policies_for_user(user=user, filters=filters)
    qs, head = sort_and_head(request, qs, POLICY_COLUMNS, default="-valid_from")
    page = paginate(request, qs)
    budgets = budgets_for_policies(policies=page.object_list)
    rows = [(p, budgets[p.pk], _used(budgets[p.pk])) for p in page.object_list]
    return render(request, "policies/policy_list.html", {
        "page_obj": page, "rows": rows, "head": head, "filter_form": filter_form,
        "can_add": can_write(user, Policy),
    })


def _used(budget):
    """Committed as a share of the budget, rounded for display; and capped at 100 for the bar."""
    pct = percent(budget.committed_wan, budget.budget_wan) if budget.budget_wan else None
    return None if pct is None else {"pct": pct, "bar": min(pct, 100)}


def _detail_context(request, policy: Policy, *, status_form=None) -> dict:
    user = request.user
    editable = can_edit(user, policy)
    budget = budget_for_policy(policy=policy)
    clauses = list(selectors.clauses_of_policy(policy=policy))
    automatic = [c for c in clauses if c.active and c.mode == ClauseMode.AUTOMATIC]
    return {
        "object": policy,
        "policy": policy,
        "budget": budget,
        "used": _used(budget),
        "clauses": clauses,
        "has_rules": bool(automatic),
        "runs": run_selectors.runs_of_policy(policy=policy),
        "can_edit": editable,
        "can_run": editable and can_write(user, MatchRun) and policy.status == PolicyStatus.IN_FORCE and automatic,
        "status_form": status_form or (PolicyStatusForm(policy=policy) if editable else None),
        "run_form": RunForm(),
        "changes": object_changes_for_object(obj=policy),
    }


@policy_page
@require_http_methods(["GET", "POST"])
def policy_detail(request, pk: int):
    """The policy; its writers change its status here (POST `status`)."""
    user = request.user
    policy = found(selectors.policy_for_user(user=user, pk=pk))
    if request.method == "GET":
        return render(request, "policies/policy_detail.html", _detail_context(request, policy))
    require_edit(user, policy)
    form = PolicyStatusForm(request.POST, policy=policy)
    if form.is_valid():
        try:
            services.policy_set_status(user=user, policy=policy, status=form.cleaned_data["status"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("政策状态已改为“%(status)s”。") % {
                "status": PolicyStatus(form.cleaned_data["status"]).label})
    else:
        choices = "、".join(str(label) for _value, label in form.fields["status"].choices)
        messages.error(request, _("不能改为该状态；当前可改为：%(choices)s。") % {"choices": choices or _("无")})
    return redirect(policy.get_absolute_url())


@policy_page
@require_http_methods(["GET", "POST"])
def policy_add(request):
    user = request.user
    if not can_write(user, Policy):
        raise PermissionDenied(_("只有部门工作人员可以新增政策。"))
    form = PolicyForm(request.POST or None, initial={"valid_from": timezone.localdate().replace(month=1, day=1)})
    return form_page(
        request, form,
        save=lambda data, message: services.policy_create(user=user, data=data, message=message),
        template="policies/policy_form.html",
        context={"title": _("新增惠企政策"), "cancel_url": reverse("policies:policy_list"),
                 "intro": _("新增的政策为草稿；添加条款后即可改为“实施中”。")},
        success_message=_("政策已新增，请添加条款。"),
    )


@policy_page
@require_http_methods(["GET", "POST"])
def policy_edit(request, pk: int):
    user = request.user
    policy = found(selectors.policy_for_user(user=user, pk=pk))
    require_edit(user, policy)
    form = PolicyForm(request.POST or None, instance=copy.copy(policy))
    return form_page(
        request, form,
        save=lambda data, message: services.policy_update(user=user, policy=policy, data=data, message=message),
        template="policies/policy_form.html",
        context={"title": _("修改政策：%(name)s") % {"name": policy.name}, "cancel_url": policy.get_absolute_url(),
                 "object": policy, "changes": object_changes_for_object(obj=policy)},
        success_message=_("政策已保存。"),
    )


@policy_page
@require_http_methods(["GET", "POST"])
def policy_delete(request, pk: int):
    user = request.user
    policy = found(selectors.policy_for_user(user=user, pk=pk))
    require_edit(user, policy)
    return delete_page(
        request, policy,
        delete=lambda message: services.policy_delete(user=user, policy=policy, message=message),
        next_url=reverse("policies:policy_list"),
        context={"title": _("删除政策"), "cancel_url": policy.get_absolute_url(),
                 "note": _("政策的条款一并删除。已有比对批次、兑现记录或申请的政策不能删除。")},
        success_message=_("政策已删除。"),
    )


@policy_page
@require_GET
def policy_rules_download(request, pk: int):
    """The active 免申即享 clauses as the rules file that `gaoxin policies match --rules` reads."""
    policy = found(selectors.policy_for_user(user=request.user, pk=pk))
    clauses = selectors.automatic_clauses(policy=policy)
    if not clauses:
        messages.error(request, _("政策没有启用的免申即享条款，没有可下载的规则。"))
        return redirect(policy.get_absolute_url())
    comments = [policy.name]
    if policy.document_number:
        comments.append(policy.document_number)
    comments.append(_("导出时间：%(time)s；用法：gaoxin policies match --rules 本文件 --facts 事实表 --output 结果") % {
        "time": timezone.localtime().strftime("%Y-%m-%d %H:%M")})
    text = selectors.policy_rules_toml(policy=policy, clauses=clauses, comments=comments)
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_safe_name(policy.code)}.toml"'
    return response


def _safe_name(code: str) -> str:
    """A file name from a policy code: only characters every browser and shell accept."""
    cleaned = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_.") else "_" for ch in code)
    return cleaned.strip("._") or "rules"
