"""Award pages (兑现记录), officer side: the list with bulk approve/pay and the download, the detail with the
trace ("why") and the action forms. Thin adapters over selectors.awards and services.awards.

Staff of the policy's department read and act, leaders read; an enterprise user opening an award's page gets
their own view of it (the same trace in plain words, the confirm and decline forms).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from gaoxin.core.imports.workbooks import CONTENT_TYPES
from gaoxin.core.pages import (
    Column,
    add_service_errors,
    business_page,
    can_edit,
    found,
    paginate,
    sort_and_head,
)
from gaoxin.core.permissions import Role, can_write

from ..forms_awards import ApproveForm, AwardFilterForm, BulkForm, PayForm, RejectForm, ReplyForm
from ..models import Award, AwardStatus
from ..selectors import awards as selectors
from ..selectors.awards import int_param
from ..selectors.publicity import today
from ..services import awards as services
from .mine import award_page

officer_page = business_page(enterprise_users=False)

AWARD_COLUMNS = [
    Column("policy", gettext_lazy("政策"), "policy__code"),
    Column("clause", gettext_lazy("条款"), "clause__order"),
    Column("enterprise", gettext_lazy("企业"), "enterprise__name"),
    Column("year", gettext_lazy("年度"), "year"),
    Column("source", gettext_lazy("来源"), "source"),
    Column("raw", gettext_lazy("计算金额（万元）"), "raw_wan", num=True),
    Column("granted", gettext_lazy("核定金额（万元）"), "granted_wan", num=True),
    Column("amount", gettext_lazy("兑现金额（万元）"), "amount_wan", num=True),
    Column("status", gettext_lazy("状态"), "status"),
    Column("account", gettext_lazy("账号")),
    Column("paid_on", gettext_lazy("兑付日期"), "paid_on"),
]
# the rows a bulk action can move: approve from 已确认, pay from 已审核
BULK_STATUSES = (AwardStatus.CONFIRMED, AwardStatus.APPROVED)


def filter_form_for(request, form_class=AwardFilterForm):
    """The list's filter form, bound to the query so that a bad value is shown as ignored."""
    user = request.user
    policy_id = int_param(request.GET.get("policy"))
    form = form_class(request.GET or None, policies=selectors.policy_choices(user=user),
                      clauses=selectors.clause_choices(user=user, policy_id=policy_id))
    if form.is_bound:
        form.is_valid()
    return form


@officer_page
@require_GET
def award_list(request):
    user = request.user
    qs = selectors.awards_for_user(user=user, filters=request.GET)
    totals = selectors.award_totals(qs)
    qs, head = sort_and_head(request, qs, AWARD_COLUMNS, default="policy")
    page = paginate(request, qs)
    writer = can_write(user, Award)
    return render(request, "policies/award_list.html", {
        "page_obj": page,
        "rows": [(a, selectors.mask_account(a.account_number), writer and a.status in BULK_STATUSES)
                 for a in page.object_list],
        "head": head,
        "filter_form": filter_form_for(request),
        "totals": totals,
        "can_bulk": writer,
        "query": request.GET.urlencode(),
    })


def _detail_context(request, award: Award, **forms) -> dict:
    user = request.user
    editable = can_edit(user, award)
    status = award.status
    context = {
        "award": award,
        "trace": selectors.award_trace(award=award),
        "can_edit": editable,
        "account": award.account_number if editable else selectors.mask_account(award.account_number),
        "approve_form": None, "reject_form": None, "pay_form": None, "reply_form": None,
    }
    if editable:
        # a posted form comes back with its errors whatever the status has become meanwhile
        defaults = {
            "reply_form": (status == AwardStatus.NOTIFIED,
                           lambda: ReplyForm(initial={"account_name": award.enterprise.name})),
            "approve_form": (status == AwardStatus.CONFIRMED, ApproveForm),
            "reject_form": (status in (AwardStatus.NOTIFIED, AwardStatus.CONFIRMED), RejectForm),
            "pay_form": (status == AwardStatus.APPROVED, lambda: PayForm(initial={"paid_on": today()})),
        }
        for name, (shown, make) in defaults.items():
            context[name] = forms.get(name) or (make() if shown else None)
    return context


@business_page()
@require_GET
def award_detail(request, pk: int):
    user = request.user
    award = found(selectors.award_for_user(user=user, pk=pk))
    if user.role == Role.ENTERPRISE:
        return award_page(request, award)
    return render(request, "policies/award_detail.html", _detail_context(request, award))


def _act(request, pk: int, form_class, form_name: str, action, success: str):
    """Run one transition from the detail page: back to the page with a message, or the page with the form's
    errors (status 200, the form again)."""
    user = request.user
    award = found(selectors.award_for_user(user=user, pk=pk))
    if not can_edit(user, award):
        raise PermissionDenied(_("您可以查看但不能处理该兑现记录。"))
    form = form_class(request.POST)
    if form.is_valid():
        try:
            action(user, award, form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect(award.get_absolute_url())
    return render(request, "policies/award_detail.html", _detail_context(request, award, **{form_name: form}))


@officer_page
@require_POST
def award_reply(request, pk: int):
    def record(user, award, data):
        services.award_reply_record(user=user, award=award, accept=data["accept"], note=data["note"],
                                    reason=data["reason"], data=data)

    return _act(request, pk, ReplyForm, "reply_form", record, _("企业回复已登记。"))


@officer_page
@require_POST
def award_approve(request, pk: int):
    return _act(request, pk, ApproveForm, "approve_form",
                lambda user, award, data: services.award_approve(user=user, award=award, note=data["note"]),
                _("已审核通过。"))


@officer_page
@require_POST
def award_reject(request, pk: int):
    return _act(request, pk, RejectForm, "reject_form",
                lambda user, award, data: services.award_reject(user=user, award=award, reason=data["reason"]),
                _("已审核不通过，企业可看到理由。"))


@officer_page
@require_POST
def award_pay(request, pk: int):
    return _act(request, pk, PayForm, "pay_form",
                lambda user, award, data: services.award_pay(user=user, award=award, paid_on=data["paid_on"],
                                                             voucher=data["voucher"]),
                _("兑付已登记。"))


def _back(request) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return reverse("policies:award_list")


@officer_page
@require_POST
def award_bulk(request):
    user = request.user
    if not can_write(user, Award):
        raise PermissionDenied(_("只有部门工作人员可以批量处理兑现记录。"))
    form = BulkForm(request.POST)
    raw_ids = request.POST.getlist("award")
    ids = {int_param(i) for i in raw_ids}
    if not form.is_valid():
        messages.error(request, _("批量操作未执行：") + " ".join(" ".join(e) for e in form.errors.values()))
        return redirect(_back(request))
    if None in ids:
        messages.error(request, _("批量操作未执行：所选记录编号无效。"))
        return redirect(_back(request))
    awards = list(selectors.awards_for_user(user=user).filter(pk__in=ids))
    if len(awards) != len(ids):
        messages.error(request, _("批量操作未执行：所选记录中有 %(n)s 条不存在或不在您的数据范围内。") % {
            "n": len(ids) - len(awards)})
        return redirect(_back(request))
    data = form.cleaned_data
    try:
        moved = services.awards_bulk(user=user, awards=awards, action=data["action"], paid_on=data["paid_on"],
                                     voucher=data["voucher"], note=data["note"])
    except (ValidationError, PermissionDenied) as exc:
        text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        messages.error(request, _("批量操作未执行：") + text)
    else:
        if data["action"] == "approve":
            messages.success(request, _("已审核通过 %(n)s 条兑现记录。") % {"n": moved})
        else:
            messages.success(request, _("已登记兑付 %(n)s 条兑现记录。") % {"n": moved})
    return redirect(_back(request))


@officer_page
@require_GET
def award_download(request):
    user = request.user
    qs = selectors.awards_for_user(user=user, filters=request.GET)
    qs, _head = sort_and_head(request, qs, AWARD_COLUMNS, default="policy")
    content = services.awards_workbook(user=user, awards=qs.iterator(chunk_size=2000))
    response = HttpResponse(content, content_type=CONTENT_TYPES["xlsx"])
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=_("兑现记录.xlsx"))
    return response
