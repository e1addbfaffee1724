"""Annual plans and monthly reports of a project (posted from its detail page), and the reporting periods."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gaoxin.core.pages import business_page, found

from ..forms import PeriodForm, PlanForm, ReopenForm, ReportForm
from ..models import MAX_YEAR, MIN_YEAR, AnnualPlan
from ..selectors import projects as selectors
from ..selectors import reports as report_selectors
from ..services import reports as services


def _editable_project(request, pk: int):
    project = found(selectors.project_get_for_user(user=request.user, pk=pk))
    if not selectors.project_editable(request.user, project):
        raise PermissionDenied(_("您可以查看但不能修改该项目。"))
    return project


def _form_errors(form) -> str:
    return "；".join(f"{form[name].label if name in form.fields else ''}：{e}".lstrip("：")
                    for name, errors in form.errors.items() for e in errors)


@business_page(enterprise_users=False)
@require_POST
def project_plan(request, pk: int):
    """Save (or, with delete=1, remove) the project's plan for a year."""
    user = request.user
    project = _editable_project(request, pk)
    form = PlanForm(request.POST)
    if request.POST.get("delete"):
        year = request.POST.get("year", "")
        plan = found(AnnualPlan.objects.filter(project=project, year=int(year) if year.isdigit() else 0).first())
        services.plan_delete(user=user, plan=plan, message=request.POST.get("message", ""))
        messages.success(request, _("%(year)s年度计划已删除。") % {"year": plan.year})
    elif form.is_valid():
        data = form.cleaned_data
        try:
            services.plan_save(user=user, project=project, year=data["year"], plan_wan=data["plan_wan"],
                               message=data["message"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("%(year)s年度计划已保存。") % {"year": data["year"]})
    else:
        messages.error(request, _("年度计划未保存：%(errors)s") % {"errors": _form_errors(form)})
    return redirect(reverse("projects:project_detail", args=[project.pk]) + "#plans")


@business_page(enterprise_users=False)
@require_POST
def project_report(request, pk: int):
    """Save one month's completed investment; a closed or future month is refused with the reason."""
    user = request.user
    project = _editable_project(request, pk)
    form = ReportForm(request.POST)
    year = request.POST.get("year", "")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.report_save(user=user, project=project, year=data["year"], month=data["month"],
                                 completed_wan=data["completed_wan"], progress=data["progress"],
                                 message=data["message"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("%(year)s年%(month)s月完成投资已保存。") % {
                "year": data["year"], "month": data["month"]})
    else:
        messages.error(request, _("月报未保存：%(errors)s") % {"errors": _form_errors(form)})
    url = reverse("projects:project_detail", args=[project.pk])
    return redirect(f"{url}?year={year}#reports" if year.isdigit() else f"{url}#reports")


def _year(request) -> tuple[int, str | None]:
    raw = request.GET.get("year", "").strip()
    today = timezone.localdate()
    if not raw:
        return today.year, None
    if raw.isdigit() and MIN_YEAR <= int(raw) <= MAX_YEAR:
        return int(raw), None
    return today.year, _("年度“%(raw)s”无效，已显示今年。") % {"raw": raw}


@business_page(enterprise_users=False)
def period_list(request):
    user = request.user
    year, year_error = _year(request)
    department = report_selectors.period_department_for_user(user=user, department_id=request.GET.get("department")
                                                             if str(request.GET.get("department", "")).isdigit()
                                                             else None)
    if department is None:
        raise Http404(_("没有可查看的部门。"))
    departments = report_selectors.period_departments(user=user)
    return render(request, "projects/period_list.html", {
        "year": year,
        "year_error": year_error,
        "years": list(range(timezone.localdate().year, timezone.localdate().year - 6, -1)),
        "department": department,
        "departments": departments,
        "rows": report_selectors.period_rows(department=department, year=year),
        "history": report_selectors.period_history(department=department)[:100],
        "can_close": user.role == "department_staff" and user.department_id == department.pk,
    })


def _back(year) -> str:
    return f"{reverse('projects:period_list')}?year={year}"


@business_page(enterprise_users=False)
@require_POST
def period_close(request):
    form = PeriodForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("年度或月份无效。"))
        return redirect("projects:period_list")
    year, month = form.cleaned_data["year"], form.cleaned_data["month"]
    try:
        services.period_close(user=request.user, year=year, month=month)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(year)s年%(month)s月已关账。") % {"year": year, "month": month})
    return redirect(_back(year))


@business_page(enterprise_users=False)
@require_POST
def period_reopen(request):
    form = ReopenForm(request.POST)
    if not form.is_valid():
        year = request.POST.get("year", "")
        if "reason" in form.errors:
            messages.error(request, _("重新开放须填写原因。"))
        else:
            messages.error(request, _("年度或月份无效。"))
        return redirect(_back(year) if year.isdigit() else reverse("projects:period_list"))
    year, month = form.cleaned_data["year"], form.cleaned_data["month"]
    try:
        services.period_reopen(user=request.user, year=year, month=month, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(year)s年%(month)s月已重新开放。") % {"year": year, "month": month})
    return redirect(_back(year))
