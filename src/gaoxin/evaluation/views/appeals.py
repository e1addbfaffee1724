"""Publicity and objection pages: thin adapters over evaluation.selectors.appeals and services.appeals.

Officers (staff of the run's department write, leaders read) work on the publicity page of a run and on each
objection; enterprise users see their own published results on "my results", file objections there and
read their own objections. Evidence files are served only through this module, never from MEDIA_URL.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gaoxin.core.audit.models import ChangeAction
from gaoxin.core.audit.selectors import object_changes_for_object
from gaoxin.core.pages import add_service_errors, business_page, can_edit, found, require_edit
from gaoxin.core.permissions import Role

from ..forms import ObjectionDecisionForm, ObjectionForm, PublishForm
from ..models import ObjectionStatus, RunStatus
from ..selectors import appeals as selectors
from ..services import appeals as services

officer_page = business_page(enterprise_users=False)


def _publicity_url(run) -> str:
    return reverse("evaluation:run_publicity", args=[run.pk])


@officer_page
@require_http_methods(["GET", "POST"])
def run_publicity(request, pk: int):
    user = request.user
    run = found(selectors.run_for_officer(user=user, pk=pk))
    editable = can_edit(user, run)
    form = PublishForm(request.POST or None)
    if request.method == "POST":
        require_edit(user, run)
        if form.is_valid():
            data = form.cleaned_data
            try:
                published = services.evaluation_run_publish(user=user, run=run, start=data["start"],
                                                            days=data["days"], message=data["message"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("已发布公示：%(start)s 至 %(end)s。") % {
                    "start": published.publicity_start.isoformat(), "end": published.publicity_end.isoformat()})
                return redirect(_publicity_url(run))
    status = request.GET.get("status", "")
    return render(request, "evaluation/run_publicity.html", {
        "run": run,
        "publicity": selectors.publicity(run=run),
        "form": form,
        "can_edit": editable,
        "objections": selectors.run_objections(user=user, run=run, status=status),
        "status": status,
        "statuses": ObjectionStatus.choices,
        # the run's status changes (published, superseded, final); its creation, with the frozen scheme,
        # is on the run page
        "changes": object_changes_for_object(obj=run).filter(action=ChangeAction.UPDATE),
    })


@officer_page
@require_POST
def run_finalize(request, pk: int):
    user = request.user
    run = found(selectors.run_for_officer(user=user, pk=pk))
    require_edit(user, run)
    try:
        services.evaluation_run_finalize(user=user, run=run, message=request.POST.get("message", "")[:200])
    except ValidationError as exc:
        messages.error(request, _("不能定稿：") + " ".join(exc.messages))
    else:
        messages.success(request, _("已定稿：%(year)s 年度评价结果已锁定。") % {"year": run.year})
    return redirect(_publicity_url(run))


DECISIONS = {"accept": services.objection_accept, "reject": services.objection_reject}


@business_page()
@require_http_methods(["GET", "POST"])
def objection_detail(request, pk: int):
    user = request.user
    objection = found(selectors.objection_get_for_user(user=user, pk=pk))
    officer = user.role != Role.ENTERPRISE
    decidable = officer and objection.status == ObjectionStatus.PENDING and can_edit(user, objection)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    forms = {name: ObjectionDecisionForm(request.POST if action == name else None, prefix=name)
             for name in DECISIONS}
    if request.method == "POST":
        require_edit(user, objection)
        if action not in DECISIONS:
            return HttpResponseBadRequest(_("未知的处理方式。"))
        form = forms[action]
        if form.is_valid():
            try:
                decided = DECISIONS[action](user=user, objection=objection, reason=form.cleaned_data["reason"],
                                            message=form.cleaned_data["message"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                if action == "accept":
                    messages.success(request, _("异议已受理，已重新计算为第 %(version)s 版（公示期不变）。") % {
                        "version": decided.new_run.version})
                else:
                    messages.success(request, _("异议已驳回。"))
                return redirect(decided.get_absolute_url())
    result = objection.result
    return render(request, "evaluation/objection_detail.html", {
        "objection": objection,
        "result": result,
        "new_result": (objection.new_run.results.filter(enterprise_id=objection.enterprise_id).first()
                       if objection.new_run_id else None),
        "evidence": list(objection.evidence.all()),
        "officer": officer,
        "decidable": decidable,
        "accept_form": forms["accept"],
        "reject_form": forms["reject"],
        "changes": object_changes_for_object(obj=objection) if officer else None,
    })


@business_page()
@require_GET
def objection_evidence(request, pk: int, evidence_pk: int):
    item = found(selectors.evidence_get_for_user(user=request.user, objection_pk=pk, evidence_pk=evidence_pk))
    try:
        handle = item.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404(_("该文件已不存在。")) from None
    return FileResponse(handle, as_attachment=True, filename=item.original_name)


@business_page()
@require_http_methods(["GET", "POST"])
def my_results(request):
    user = request.user
    if user.role != Role.ENTERPRISE:
        raise PermissionDenied(_("该页面供企业用户查看本企业的评价结果。"))
    results = list(selectors.published_results_for_enterprise(user=user))
    posted = None
    if request.method == "POST":
        posted = next((r for r in results if str(r.pk) == request.POST.get("result", "")), None)
        if posted is None:
            raise Http404(_("记录不存在，或不在您的数据范围内。"))
        form = ObjectionForm(request.POST, request.FILES, prefix=f"r{posted.pk}")
        if form.is_valid():
            try:
                services.objection_file(user=user, result=posted, text=form.cleaned_data["text"],
                                        files=form.cleaned_data["files"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("异议已提交，处理结果将在本页显示。"))
                return redirect(reverse("evaluation:my_results"))
    objections = list(selectors.objections_for_user(user=user))
    years = []
    for result in results:
        open_now = selectors.objection_open_for(result=result)
        if posted is not None and result.pk == posted.pk:
            result_form = form
        else:
            result_form = ObjectionForm(prefix=f"r{result.pk}") if open_now else None
        years.append({
            "result": result,
            "run": result.run,
            "final": result.run.status == RunStatus.FINAL,
            "form": result_form,
            "objections": [o for o in objections if o.run.year == result.run.year],
        })
    return render(request, "evaluation/my_results.html", {"years": years, "today": selectors.today()})
