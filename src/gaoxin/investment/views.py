"""招商引资 pages: thin adapters over investment.selectors and investment.services.

These pages are for department staff (who write) and zone leaders (who read); enterprise users get 403.
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
from django.views.decorators.http import require_http_methods, require_POST

from gaoxin.core.audit.selectors import object_changes_for_object
from gaoxin.core.pages import (
    Column,
    add_service_errors,
    business_page,
    can_edit,
    delete_page,
    filter_form,
    form_page,
    found,
    paginate,
    percent,
    require_edit,
    sort_and_head,
)
from gaoxin.core.permissions import can_write

from . import selectors, services
from .filters import FundFilterSet, LeadFilterSet, SigningFilterSet
from .forms import (
    DropForm,
    FollowUpForm,
    FundAddForm,
    FundForm,
    LeadForm,
    LeadSignForm,
    ReopenForm,
    SigningAddForm,
    SigningForm,
)
from .models import OPEN_LEAD_STAGES, FundTranche, Lead, LeadStage, Signing

investment_page = business_page(enterprise_users=False)

LEAD_COLUMNS = [
    Column("name", gettext_lazy("项目名称"), "name"),
    Column("investor", gettext_lazy("投资方"), "investor"),
    Column("channel", gettext_lazy("招商方式"), "channel"),
    Column("industry", gettext_lazy("产业方向"), "industry"),
    Column("expected", gettext_lazy("预计投资（万元）"), "expected_investment_wan", num=True),
    Column("stage", gettext_lazy("阶段"), "stage"),
    Column("owner", gettext_lazy("负责人"), "owner__display_name"),
    Column("received_on", gettext_lazy("获取日期"), "received_on"),
    Column("last_follow_up", gettext_lazy("最近跟进"), "last_follow_up"),
]
LEAD_FILTERS = ["q", "stage", "channel", "industry", "owner", "received_after", "received_before"]

SIGNING_COLUMNS = [
    Column("code", gettext_lazy("项目编号"), "project__code"),
    Column("name", gettext_lazy("项目名称"), "project__name"),
    Column("date", gettext_lazy("签约日期"), "date"),
    Column("contract", gettext_lazy("合同投资额（万元）"), "contract_investment_wan", num=True),
    Column("channel", gettext_lazy("招商方式"), "channel"),
    Column("industry", gettext_lazy("产业方向"), "industry"),
    Column("funds", gettext_lazy("到位资金（万元）"), "funds_wan", num=True),
    Column("rate", gettext_lazy("资金到位率")),
    Column("department", gettext_lazy("主管部门"), "department__name"),
]
SIGNING_FILTERS = ["q", "channel", "industry", "size", "date_after", "date_before"]

FUND_COLUMNS = [
    Column("code", gettext_lazy("项目编号"), "project__code"),
    Column("name", gettext_lazy("项目名称"), "project__name"),
    Column("date", gettext_lazy("到位日期"), "date"),
    Column("amount", gettext_lazy("到位金额（万元）"), "amount_wan", num=True),
    Column("note", gettext_lazy("说明")),
    Column("department", gettext_lazy("主管部门"), "department__name"),
]
FUND_FILTERS = ["q", "code", "date_after", "date_before"]


class _Redirect:
    """What form_page needs from a saved row that has no page of its own: where to go next."""

    def __init__(self, url: str):
        self.url = url

    def get_absolute_url(self) -> str:
        return self.url


def _industry_select(form, user) -> None:
    from django import forms

    if "industry" in form.fields:
        options = [(d, d) for d in selectors.industry_choices(zone=user.zone_id)]
        form.fields["industry"].widget = forms.Select(choices=[("", _("全部")), *options],
                                                      attrs={"id": "filter-industry"})


# Leads -------------------------------------------------------------------------------------------------

@investment_page
def lead_list(request):
    user = request.user
    qs = selectors.leads_for_user(user=user, filters=request.GET)
    qs, head = sort_and_head(request, qs, LEAD_COLUMNS, default="-received_on")
    page = paginate(request, qs)
    owners = [(u.pk, u.display_name or u.username) for u in selectors.owner_choices(zone=user.zone_id)]
    form = filter_form(LeadFilterSet(request.GET), fields=LEAD_FILTERS, choices={"owner": owners})
    _industry_select(form, user)
    return render(request, "investment/lead_list.html", {
        "page_obj": page,
        "head": head,
        "filter_form": form,
        "funnel": selectors.lead_funnel(user=user, filters=request.GET),
        "can_add": can_write(user, Lead),
    })


@investment_page
def lead_detail(request, pk: int):
    user = request.user
    lead = found(selectors.lead_get_for_user(user=user, pk=pk))
    return render(request, "investment/lead_detail.html", _lead_context(request, lead))


def _lead_context(request, lead: Lead, *, follow_up_form=None) -> dict:
    user = request.user
    editable = can_edit(user, lead)
    signing = Signing.objects.filter(lead=lead).select_related("project").first()
    return {
        "object": lead,
        "follow_ups": selectors.lead_follow_ups(lead=lead),
        "follow_up_form": follow_up_form or (FollowUpForm(initial={"date": timezone.localdate()}) if editable else None),
        "reopen_form": ReopenForm() if editable and lead.stage == LeadStage.DROPPED else None,
        "is_open": lead.stage in OPEN_LEAD_STAGES,
        "can_edit": editable,
        "signing": signing if signing and Signing.objects.visible_to(user).filter(pk=signing.pk).exists() else None,
        "changes": object_changes_for_object(obj=lead),
    }


@investment_page
@require_http_methods(["GET", "POST"])
def lead_add(request):
    user = request.user
    if not can_write(user, Lead):
        raise PermissionDenied(_("只有部门工作人员可以新增线索。"))
    form = LeadForm(request.POST or None, user=user,
                    initial={"received_on": timezone.localdate(), "owner": user.pk})
    return form_page(
        request, form,
        save=lambda data, message: services.lead_create(user=user, data=data, message=message),
        template="investment/form.html",
        context={"title": _("新增招商线索"), "cancel_url": reverse("investment:lead_list")},
        success_message=_("线索已新增。"),
    )


@investment_page
@require_http_methods(["GET", "POST"])
def lead_edit(request, pk: int):
    user = request.user
    lead = found(selectors.lead_get_for_user(user=user, pk=pk))
    require_edit(user, lead)
    form = LeadForm(request.POST or None, instance=copy.copy(lead), user=user)
    return form_page(
        request, form,
        save=lambda data, message: services.lead_update(user=user, lead=lead, data=data, message=message),
        template="investment/form.html",
        context={"title": _("修改线索：%(name)s") % {"name": lead.name}, "cancel_url": lead.get_absolute_url(),
                 "object": lead},
        success_message=_("线索已保存。"),
    )


@investment_page
@require_POST
def lead_follow_up(request, pk: int):
    """Append a follow-up. Over HTMX the answer is the timeline panel (with the form's errors, if any)."""
    user = request.user
    lead = found(selectors.lead_get_for_user(user=user, pk=pk))
    require_edit(user, lead)
    form = FollowUpForm(request.POST)
    saved = False
    if form.is_valid():
        try:
            services.lead_follow_up_add(user=user, lead=lead, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            saved = True
    if not request.htmx:
        if saved:
            messages.success(request, _("跟进记录已添加。"))
            return redirect(lead.get_absolute_url())
        return render(request, "investment/lead_detail.html", _lead_context(request, lead, follow_up_form=form),
                      status=400)
    context = _lead_context(request, lead, follow_up_form=None if saved else form)
    return render(request, "investment/includes/follow_ups.html", context, status=200)


@investment_page
@require_POST
def lead_advance(request, pk: int):
    user = request.user
    lead = found(selectors.lead_get_for_user(user=user, pk=pk))
    require_edit(user, lead)
    return _stage_action(request, lead, lambda: services.lead_advance(user=user, lead=lead),
                         _("线索已推进到洽谈阶段。"))


@investment_page
@require_POST
def lead_reopen(request, pk: int):
    user = request.user
    lead = found(selectors.lead_get_for_user(user=user, pk=pk))
    require_edit(user, lead)
    form = ReopenForm(request.POST)
    stage = form.cleaned_data["stage"] if form.is_valid() else ""
    return _stage_action(request, lead, lambda: services.lead_reopen(user=user, lead=lead, stage=stage),
                         _("线索已重新激活。"))


def _stage_action(request, lead, action, success: str):
    try:
        action()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, success)
    if request.htmx:
        return HttpResponse(headers={"HX-Redirect": lead.get_absolute_url()})
    return redirect(lead.get_absolute_url())


@investment_page
@require_http_methods(["GET", "POST"])
def lead_drop(request, pk: int):
    user = request.user
    lead = found(selectors.lead_get_for_user(user=user, pk=pk))
    require_edit(user, lead)
    form = DropForm(request.POST or None)
    return form_page(
        request, form,
        save=lambda data, message: services.lead_drop(user=user, lead=lead, reason=data["reason"], message=message),
        template="investment/form.html",
        context={"title": _("终止线索：%(name)s") % {"name": lead.name}, "cancel_url": lead.get_absolute_url(),
                 "intro": _("终止后线索不再跟进，可随时重新激活；终止原因记入变更记录。")},
        success_message=_("线索已终止。"),
    )


@investment_page
@require_http_methods(["GET", "POST"])
def lead_sign(request, pk: int):
    user = request.user
    lead = found(selectors.lead_get_for_user(user=user, pk=pk))
    require_edit(user, lead)
    if not can_write(user, Signing):
        raise PermissionDenied(_("只有部门工作人员可以登记签约。"))
    form = LeadSignForm(request.POST or None, user=user, lead=lead)
    return form_page(
        request, form,
        save=lambda data, message: services.lead_sign(user=user, lead=lead, data=data, message=message),
        template="investment/form.html",
        context={"title": _("签约：%(name)s") % {"name": lead.name}, "cancel_url": lead.get_absolute_url(),
                 "intro": _("签约即入库：保存后新建项目并登记签约，线索进入“已签约”阶段。")},
        success_message=_("已签约，项目已入库。"),
    )


# Signings ----------------------------------------------------------------------------------------------

def _rate(funds, contract):
    return percent(funds, contract)


@investment_page
def signing_list(request):
    user = request.user
    qs = selectors.signings_for_user(user=user, filters=request.GET)
    total = selectors.totals(qs, "contract_investment_wan")
    funds_total = selectors.totals(qs, "funds_wan")["total_wan"] if total["count"] else None
    qs, head = sort_and_head(request, qs, SIGNING_COLUMNS, default="-date")
    page = paginate(request, qs)
    form = filter_form(SigningFilterSet(request.GET), fields=SIGNING_FILTERS)
    _industry_select(form, user)
    return render(request, "investment/signing_list.html", {
        "page_obj": page,
        "rows": [(s, _rate(s.funds_wan, s.contract_investment_wan)) for s in page.object_list],
        "head": head,
        "filter_form": form,
        "total": total,
        "funds_total": funds_total,
        "can_add": can_write(user, Signing),
    })


@investment_page
def signing_detail(request, pk: int):
    user = request.user
    signing = found(selectors.signing_get_for_user(user=user, pk=pk))
    tranches = selectors.funds_of_project(project=signing.project)
    rate = selectors.funds_rate(signing.project)
    return render(request, "investment/signing_detail.html", {
        "object": signing,
        "project": signing.project,
        "tranches": tranches,
        "funds_total": selectors.totals(tranches, "amount_wan")["total_wan"],
        "rate": None if rate is None else percent(rate, 1),
        "can_edit": can_edit(user, signing),
        "can_add_fund": can_write(user, FundTranche),
        "changes": object_changes_for_object(obj=signing),
    })


@investment_page
@require_http_methods(["GET", "POST"])
def signing_add(request):
    user = request.user
    if not can_write(user, Signing):
        raise PermissionDenied(_("只有部门工作人员可以登记签约。"))
    form = SigningAddForm(request.POST or None, user=user)
    return form_page(
        request, form,
        save=lambda data, message: services.signing_create(user=user, data=data, message=message),
        template="investment/form.html",
        context={"title": _("登记签约项目"), "cancel_url": reverse("investment:signing_list")},
        success_message=_("签约已登记。"),
    )


@investment_page
@require_http_methods(["GET", "POST"])
def signing_edit(request, pk: int):
    user = request.user
    signing = found(selectors.signing_get_for_user(user=user, pk=pk))
    require_edit(user, signing)
    form = SigningForm(request.POST or None, instance=copy.copy(signing), user=user)
    return form_page(
        request, form,
        save=lambda data, message: services.signing_update(user=user, signing=signing, data=data, message=message),
        template="investment/form.html",
        context={"title": _("修改签约：%(project)s") % {"project": signing.project}, "object": signing,
                 "cancel_url": signing.get_absolute_url()},
        success_message=_("签约信息已保存。"),
    )


@investment_page
@require_http_methods(["GET", "POST"])
def signing_delete(request, pk: int):
    user = request.user
    signing = found(selectors.signing_get_for_user(user=user, pk=pk))
    require_edit(user, signing)
    return delete_page(
        request, signing,
        delete=lambda message: services.signing_delete(user=user, signing=signing, message=message),
        next_url=reverse("investment:signing_list"),
        context={"title": _("删除签约记录"), "cancel_url": signing.get_absolute_url()},
        success_message=_("签约记录已删除，项目仍保留在项目库中。"),
    )


# Funds in place ----------------------------------------------------------------------------------------

@investment_page
def fund_list(request):
    user = request.user
    qs = selectors.funds_for_user(user=user, filters=request.GET)
    total = selectors.totals(qs, "amount_wan")
    qs, head = sort_and_head(request, qs, FUND_COLUMNS, default="-date")
    page = paginate(request, qs)
    form = filter_form(FundFilterSet(request.GET), fields=FUND_FILTERS)
    editable = set(FundTranche.objects.editable_by(user).filter(pk__in=[t.pk for t in page.object_list])
                   .values_list("pk", flat=True))
    return render(request, "investment/fund_list.html", {
        "page_obj": page,
        "rows": [(t, t.pk in editable) for t in page.object_list],
        "head": head,
        "filter_form": form,
        "total": total,
        "can_add": can_write(user, FundTranche),
    })


@investment_page
@require_http_methods(["GET", "POST"])
def fund_add(request):
    user = request.user
    if not can_write(user, FundTranche):
        raise PermissionDenied(_("只有部门工作人员可以登记到位资金。"))
    initial = {"date": timezone.localdate()}
    project_id = request.GET.get("project", "")
    if project_id.isdigit():
        initial["project"] = int(project_id)
    form = FundAddForm(request.POST or None, user=user, initial=initial)

    def save(data, message):
        tranche = services.fund_create(user=user, data=data, message=message)
        return _Redirect(reverse("investment:fund_list") + f"?code={tranche.project.code}")

    return form_page(
        request, form, save=save, template="investment/form.html",
        context={"title": _("登记到位资金"), "cancel_url": reverse("investment:fund_list")},
        success_message=_("到位资金已登记。"),
    )


@investment_page
@require_http_methods(["GET", "POST"])
def fund_edit(request, pk: int):
    user = request.user
    tranche = found(selectors.fund_get_for_user(user=user, pk=pk))
    require_edit(user, tranche)
    form = FundForm(request.POST or None, instance=copy.copy(tranche))

    def save(data, message):
        services.fund_update(user=user, tranche=tranche, data=data, message=message)
        return _Redirect(reverse("investment:fund_list") + f"?code={tranche.project.code}")

    return form_page(
        request, form, save=save, template="investment/form.html",
        context={"title": _("修改到位资金：%(project)s") % {"project": tranche.project}, "object": tranche,
                 "cancel_url": reverse("investment:fund_list"), "changes": object_changes_for_object(obj=tranche)},
        success_message=_("到位资金已保存。"),
    )


@investment_page
@require_http_methods(["GET", "POST"])
def fund_delete(request, pk: int):
    user = request.user
    tranche = found(selectors.fund_get_for_user(user=user, pk=pk))
    require_edit(user, tranche)
    return delete_page(
        request, tranche,
        delete=lambda message: services.fund_delete(user=user, tranche=tranche, message=message),
        next_url=reverse("investment:fund_list"),
        context={"title": _("删除到位资金"), "cancel_url": reverse("investment:fund_list")},
        success_message=_("到位资金记录已删除。"),
    )
