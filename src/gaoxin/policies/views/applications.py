"""Application pages (依申请): the enterprise applies with evidence and resubmits when returned; the officer
reads the list and reviews. Evidence files are served only through this module, never from MEDIA_URL."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gaoxin.core.audit.selectors import object_changes_for_object
from gaoxin.core.pages import (
    Column,
    add_service_errors,
    business_page,
    can_edit,
    found,
    paginate,
    sort_and_head,
)
from gaoxin.core.permissions import Role

from ..forms_awards import ApplicationFilterForm, ApplicationForm, ResubmitForm, ReviewForm
from ..models import ApplicationStatus
from ..selectors import applications as selectors
from ..selectors import awards as award_selectors
from ..selectors.publicity import today
from ..services import applications as services
from .awards import filter_form_for

APPLICATION_COLUMNS = [
    Column("created", gettext_lazy("提交时间"), "created_at"),
    Column("policy", gettext_lazy("政策"), "policy__code"),
    Column("clause", gettext_lazy("条款"), "clause__order"),
    Column("enterprise", gettext_lazy("企业"), "enterprise__name"),
    Column("year", gettext_lazy("年度"), "year"),
    Column("requested", gettext_lazy("申请金额（万元）"), "requested_wan", num=True),
    Column("approved", gettext_lazy("核定金额（万元）"), "approved_wan", num=True),
    Column("status", gettext_lazy("状态"), "status"),
]


def _years(clause) -> list[int]:
    """The years an application may name: within the policy's validity and not after this year, newest first."""
    policy = clause.policy
    last = min(policy.valid_until.year if policy.valid_until else 9999, today().year)
    return list(range(last, policy.valid_from.year - 1, -1))


@business_page()
@require_http_methods(["GET", "POST"])
def application_add(request, pk: int):
    user = request.user
    if user.role != Role.ENTERPRISE:
        raise PermissionDenied(_("只有企业用户可以提交政策申请。"))
    clause = found(award_selectors.open_clause_for_enterprise(user=user, pk=pk))
    years = _years(clause)
    enterprise = user.enterprise
    initial = {"account_name": enterprise.name, "year": years[0] if years else None,
               "contact": " ".join(p for p in (enterprise.contact_person, enterprise.contact_phone) if p)}
    form = ApplicationForm(request.POST or None, request.FILES or None, years=years, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        files = data.pop("files")
        try:
            application = services.application_submit(user=user, clause=clause, year=data.pop("year"), data=data,
                                                      files=files)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("申请已提交，审核结果将在“惠企政策”页面显示。"))
            return redirect(application.get_absolute_url())
    return render(request, "policies/application_form.html", {
        "title": _("申请：%(clause)s") % {"clause": clause.name}, "clause": clause, "policy": clause.policy,
        "form": form, "evidence": [line.strip() for line in clause.evidence.splitlines() if line.strip()],
    })


@business_page()
@require_GET
def application_list(request):
    user = request.user
    qs = selectors.applications_for_user(user=user, filters=request.GET)
    qs, head = sort_and_head(request, qs, APPLICATION_COLUMNS, default="-created")
    return render(request, "policies/application_list.html", {
        "page_obj": paginate(request, qs),
        "head": head,
        "filter_form": filter_form_for(request, ApplicationFilterForm) if user.role != Role.ENTERPRISE else None,
    })


def _detail(request, application, *, review_form=None, status: int = 200):
    user = request.user
    officer = user.role != Role.ENTERPRISE
    reviewable = officer and application.status == ApplicationStatus.SUBMITTED and can_edit(user, application)
    limits = selectors.application_limits(application=application) if reviewable else None
    if reviewable and review_form is None:
        review_form = ReviewForm(initial={"amount_wan": limits.most_wan})
    award = getattr(application, "award", None) if application.status == ApplicationStatus.APPROVED else None
    return render(request, "policies/application_detail.html", {
        "application": application,
        "evidence": list(application.evidence.all()),
        "officer": officer,
        "review_form": review_form if reviewable else None,
        "limits": limits,
        "award": award,
        "can_resubmit": not officer and application.status == ApplicationStatus.RETURNED,
        # the enterprise sees its own account; among officers only those who act on it
        "account": (application.account_number if not officer or can_edit(user, application)
                    else award_selectors.mask_account(application.account_number)),
        "changes": object_changes_for_object(obj=application) if officer else None,
    }, status=status)


@business_page()
@require_GET
def application_detail(request, pk: int):
    application = found(selectors.application_for_user(user=request.user, pk=pk))
    return _detail(request, application)


@business_page(enterprise_users=False)
@require_POST
def application_review(request, pk: int):
    user = request.user
    application = found(selectors.application_for_user(user=user, pk=pk))
    if not can_edit(user, application):
        raise PermissionDenied(_("您可以查看但不能审核该申请。"))
    form = ReviewForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.application_review(user=user, application=application, decision=data["decision"],
                                        amount_wan=data["amount_wan"], note=data["note"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, {
                "approve": _("申请已审核通过，兑现记录已生成（已审核），可登记兑付。"),
                "return": _("申请已退回企业补正。"),
                "reject": _("申请已不予支持。"),
            }[data["decision"]])
            return redirect(application.get_absolute_url())
    return _detail(request, application, review_form=form)


@business_page()
@require_http_methods(["GET", "POST"])
def application_resubmit(request, pk: int):
    user = request.user
    if user.role != Role.ENTERPRISE:
        raise PermissionDenied(_("只有申请企业可以补正申请。"))
    application = found(selectors.application_for_user(user=user, pk=pk))
    if application.status != ApplicationStatus.RETURNED:
        messages.error(request, _("该申请状态为“%(status)s”，只有退回补正的申请可以重新提交。") % {
            "status": application.get_status_display()})
        return redirect(application.get_absolute_url())
    initial = {name: getattr(application, name) for name in
               ("requested_wan", "statement", "account_name", "bank_name", "account_number", "contact")}
    form = ResubmitForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        files = data.pop("files")
        try:
            services.application_resubmit(user=user, application=application, data=data, files=files)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("申请已重新提交。"))
            return redirect(application.get_absolute_url())
    return render(request, "policies/application_form.html", {
        "title": _("补正申请：%(clause)s") % {"clause": application.clause.name}, "clause": application.clause,
        "policy": application.policy, "form": form, "application": application,
        "evidence": [line.strip() for line in application.clause.evidence.splitlines() if line.strip()],
        "existing": list(application.evidence.all()),
    })


@business_page()
@require_GET
def evidence_download(request, pk: int):
    item = found(selectors.evidence_for_user(user=request.user, pk=pk))
    try:
        handle = item.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404(_("该文件已不存在。")) from None
    return FileResponse(handle, as_attachment=True, filename=item.original_name)
