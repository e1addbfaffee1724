"""The item page: its events, clock segments, obligations, and the action forms this user may submit."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gaoxin.core.pages import add_service_errors, business_page, found

from .. import machine
from ..forms import ObligationResolveForm, action_form, action_label, event_label
from ..models import Obligation, ObligationStatus
from ..selectors import cases as selectors
from ..services import cases as services

# Offered on the page. 终止 comes from a missed 容缺 obligation (its form below), not as a bare button.
PAGE_ACTIONS = [a for a in machine.ACTIONS if a != machine.TERMINATE]


def _actions_for(user, item) -> list[str]:
    """machine.allowed_actions ∩ what this user may do on this item."""
    actions = [a for a in machine.allowed_actions(item.state, item.mode) if a in PAGE_ACTIONS]
    if machine.WAIVE in actions and not item.item_def.area_assessment_waivable:
        actions.remove(machine.WAIVE)
    return [a for a in actions if services.can_act(user, item, a)]


def _can_resolve(user, item) -> bool:
    return bool(user.role == "department_staff" and user.zone_id == item.zone_id
                and user.department_id == item.department_id)


def _context(request, item, *, failed_action=None, failed_form=None, failed_obligation=None, obligation_form=None):
    user = request.user
    page = selectors.item_page(item)
    forms = []
    for action in _actions_for(user, page.item):
        if action == failed_action:
            form = failed_form
        else:
            form = action_form(action, item=page.item, prefix=action)
        forms.append({"action": action, "label": action_label(action), "form": form,
                      "as_agent": action in machine.APPLICANT_ACTIONS and page.item.case.agent_id == user.pk})
    obligations = []
    for o in page.obligations:
        form = None
        if o.status == ObligationStatus.OPEN and _can_resolve(user, page.item):
            form = obligation_form if failed_obligation == o.pk else ObligationResolveForm(
                obligation=o, prefix=f"o{o.pk}")
        obligations.append({"obligation": o, "form": form})
    return {
        "object": page.item,
        "page": page,
        "events": [{"event": e, "label": event_label(e.kind)} for e in page.events],
        "action_forms": forms,
        "obligations": obligations,
        "is_terminal": page.item.state in machine.TERMINAL_STATES,
    }


@business_page()
def item_detail(request, pk: int):
    item = found(selectors.item_get_for_user(user=request.user, pk=pk))
    return render(request, "approvals/item_detail.html", _context(request, item))


@business_page(enterprise_users=False)
@require_POST
def item_action(request, pk: int):
    user = request.user
    item = found(selectors.item_get_for_user(user=user, pk=pk))
    action = request.POST.get("action", "")
    if action not in PAGE_ACTIONS:
        messages.error(request, _("未知的办理操作。"))
        return render(request, "approvals/item_detail.html", _context(request, item), status=400)
    if not services.can_act(user, item, action):
        raise PermissionDenied(_("您不能对该事项执行“%(a)s”。") % {"a": action_label(action)})
    form = action_form(action, request.POST, item=item, prefix=action)
    if form.is_valid():
        try:
            services.item_act(user=user, item=item, action=action, on=form.cleaned_data["on"],
                              **form.service_fields())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已登记“%(a)s”。") % {"a": action_label(action)})
            return redirect(item.get_absolute_url())
    item.refresh_from_db()
    if action not in _actions_for(user, item):
        # the state moved on meanwhile (another window): show the page as it is now, with the reason
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors)
                       or _("该操作当前不可执行。"))
        return render(request, "approvals/item_detail.html", _context(request, item), status=400)
    return render(request, "approvals/item_detail.html",
                  _context(request, item, failed_action=action, failed_form=form), status=400)


@business_page(enterprise_users=False)
@require_POST
def obligation_resolve(request, pk: int):
    user = request.user
    obligation = Obligation.objects.filter(pk=pk).select_related("item").first()
    item = found(selectors.item_get_for_user(user=user, pk=obligation.item_id) if obligation else None)
    if not _can_resolve(user, item):
        raise PermissionDenied(_("只有办理部门（%(d)s）的工作人员可以登记容缺补正或承诺核查结果。") % {"d": item.department})
    form = ObligationResolveForm(request.POST, obligation=obligation, prefix=f"o{obligation.pk}")
    if form.is_valid():
        try:
            services.obligation_resolve(user=user, obligation=obligation, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已登记结果。"))
            return redirect(item.get_absolute_url())
    return render(request, "approvals/item_detail.html",
                  _context(request, item, failed_obligation=obligation.pk, obligation_form=form), status=400)
