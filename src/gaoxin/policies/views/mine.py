"""惠企政策 for the enterprise user: what they qualify for and why, the confirm (bank account) and decline forms,
their applications, the clauses they may apply for, and the publicity lists that name them."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gaoxin.core.pages import add_service_errors, business_page, found
from gaoxin.core.permissions import Role

from ..forms_awards import BankAccountForm, DeclineForm
from ..models import AwardStatus
from ..selectors import applications as application_selectors
from ..selectors import awards as selectors
from ..selectors import publicity as publicity_selectors
from ..services import awards as services


def _require_enterprise(user) -> None:
    if user.role != Role.ENTERPRISE:
        raise PermissionDenied(_("该页面供企业用户查看本企业可享受的政策。"))


def _card(award, *, confirm_form=None, decline_form=None) -> dict:
    """One award as the enterprise sees it, with its forms while it waits for the enterprise's answer."""
    waiting = award.status == AwardStatus.NOTIFIED
    enterprise = award.enterprise
    return {
        "award": award,
        "trace": selectors.award_trace(award=award),
        "account": selectors.mask_account(award.account_number),
        "confirm_form": confirm_form or (BankAccountForm(prefix=f"confirm-{award.pk}", initial={
            "account_name": enterprise.name, "contact": " ".join(
                p for p in (enterprise.contact_person, enterprise.contact_phone) if p)}) if waiting else None),
        "decline_form": decline_form or (DeclineForm(prefix=f"decline-{award.pk}") if waiting else None),
    }


@business_page()
@require_GET
def my_policies(request):
    user = request.user
    _require_enterprise(user)
    awards = selectors.awards_for_user(user=user).order_by("-year", "policy__code", "clause__order", "pk")
    return render(request, "policies/mine.html", {
        "cards": [_card(a) for a in awards],
        "applications": application_selectors.applications_for_user(user=user).order_by("-created_at", "-pk"),
        "clauses": selectors.open_clauses_for_enterprise(user=user),
        "publicities": publicity_selectors.publicities_for_user(user=user).order_by("-start", "-pk"),
    })


def award_page(request, award, *, status: int = 200, **forms):
    """The enterprise's page of one award (award_detail sends enterprise users here)."""
    return render(request, "policies/mine_award.html", {"card": _card(award, **forms)}, status=status)


def _own_award(request, pk: int):
    user = request.user
    _require_enterprise(user)
    return found(selectors.award_for_user(user=user, pk=pk))


@business_page()
@require_http_methods(["GET", "POST"])
def award_confirm(request, pk: int):
    award = _own_award(request, pk)
    if request.method == "GET":
        return redirect(award.get_absolute_url())
    form = BankAccountForm(request.POST, prefix=f"confirm-{award.pk}")
    if form.is_valid():
        try:
            services.award_confirm(user=request.user, award=award, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已确认领取，等待主管部门审核。"))
            return redirect(reverse("policies:mine"))
    return award_page(request, award, confirm_form=form)


@business_page()
@require_POST
def award_decline(request, pk: int):
    award = _own_award(request, pk)
    form = DeclineForm(request.POST, prefix=f"decline-{award.pk}")
    if form.is_valid():
        try:
            services.award_decline(user=request.user, award=award, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已放弃该项兑现。"))
            return redirect(reverse("policies:mine"))
    return award_page(request, award, decline_form=form)
