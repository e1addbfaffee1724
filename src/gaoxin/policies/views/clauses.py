"""Clause pages: add, edit and delete a policy's clauses, and the live count beside the form.

The live count (clause_preview) answers an HTMX post of the form as it is typed: how many enterprises would
qualify now under the condition and amount, with the first of them, or the engine's reason in red.
"""

import copy

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from gaoxin.core.audit.selectors import object_changes_for_object
from gaoxin.core.pages import business_page, delete_page, form_page, found, require_edit
from gaoxin.core.permissions import can_write

from ..forms import ClauseForm, PreviewForm, year_choices
from ..models import Clause, ClauseMode, Policy
from ..selectors import policies as selectors
from ..selectors.facts import FACT_COLUMNS, default_year
from ..services import clauses as services

clause_page = business_page(enterprise_users=False)


def _context(policy: Policy, *, title: str, cancel_url: str, clause: Clause | None = None) -> dict:
    return {
        "title": title,
        "cancel_url": cancel_url,
        "policy": policy,
        "object": clause,
        "columns": FACT_COLUMNS,
        "preview_years": year_choices(),
        "preview_year": default_year(),
        "changes": object_changes_for_object(obj=clause) if clause is not None else None,
    }


@clause_page
@require_http_methods(["GET", "POST"])
def clause_add(request, pk: int):
    user = request.user
    policy = found(selectors.policy_for_user(user=user, pk=pk))
    require_edit(user, policy)
    if not can_write(user, Clause):
        raise PermissionDenied(_("只有部门工作人员可以新增条款。"))
    form = ClauseForm(request.POST or None, initial={"mode": ClauseMode.AUTOMATIC, "active": True})
    return form_page(
        request, form,
        save=lambda data, message: _Back(services.clause_create(user=user, policy=policy, data=data,
                                                                message=message)),
        template="policies/clause_form.html",
        context=_context(policy, title=_("新增条款：%(policy)s") % {"policy": policy.name},
                         cancel_url=policy.get_absolute_url()),
        success_message=_("条款已新增。"),
    )


@clause_page
@require_http_methods(["GET", "POST"])
def clause_edit(request, pk: int):
    user = request.user
    clause = found(selectors.clause_for_user(user=user, pk=pk))
    require_edit(user, clause)
    policy = clause.policy
    form = ClauseForm(request.POST or None, instance=copy.copy(clause))
    return form_page(
        request, form,
        save=lambda data, message: _Back(services.clause_update(user=user, clause=clause, data=data,
                                                                message=message)),
        template="policies/clause_form.html",
        context=_context(policy, title=_("修改条款：%(name)s") % {"name": clause.name},
                         cancel_url=policy.get_absolute_url(), clause=clause),
        success_message=_("条款已保存。"),
    )


class _Back:
    """After saving a clause the officer goes back to its policy, where the clauses are listed."""

    def __init__(self, clause: Clause):
        self.url = clause.policy.get_absolute_url()

    def get_absolute_url(self) -> str:
        return self.url


@clause_page
@require_http_methods(["GET", "POST"])
def clause_delete(request, pk: int):
    user = request.user
    clause = found(selectors.clause_for_user(user=user, pk=pk))
    require_edit(user, clause)
    return delete_page(
        request, clause,
        delete=lambda message: services.clause_delete(user=user, clause=clause, message=message),
        next_url=clause.policy.get_absolute_url(),
        context={"title": _("删除条款"), "cancel_url": clause.policy.get_absolute_url(),
                 "note": _("已有兑现记录或申请的条款不能删除，可取消“启用”。")},
        success_message=_("条款已删除。"),
    )


@clause_page
@require_POST
def clause_preview(request, pk: int):
    """The live count for the clause being typed (an HTML fragment); never an error status for bad input."""
    policy = found(selectors.policy_for_user(user=request.user, pk=pk))
    form = PreviewForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    year = data.get("preview_year") or default_year()
    context = {"year": year}
    if data.get("mode") == ClauseMode.APPLICATION:
        context["application"] = True
    elif "cap_wan" in form.errors:
        context["error"] = _("单项上限：%(reason)s") % {"reason": " ".join(form.errors["cap_wan"])}
    else:
        context["preview"] = selectors.clause_preview(zone=policy.zone_id, year=year, when=data.get("when", ""),
                                                      amount_wan=data.get("amount_wan", ""),
                                                      cap_wan=data.get("cap_wan"))
    return render(request, "policies/includes/clause_preview.html", context)

