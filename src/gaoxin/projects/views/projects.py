"""The project library's pages: list, detail, add, edit (optimistic locking), delete, parcels."""

import copy

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
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
    delete_page,
    filter_form,
    found,
    paginate,
    sort_and_head,
)
from gaoxin.core.permissions import Role, can_write

from ..filters import ProjectFilterSet
from ..forms import ParcelAddForm, PlanForm, ProjectForm, ReportForm
from ..models import MILESTONES, Project, ProjectParcel
from ..selectors import projects as selectors
from ..selectors import reports as report_selectors
from ..services import projects as services
from ..services.projects import EDITABLE_FIELDS, StaleEdit

COLUMNS = [
    Column("code", gettext_lazy("项目编号"), "code"),
    Column("name", gettext_lazy("项目名称"), "name"),
    Column("stage", gettext_lazy("阶段"), "stage"),
    Column("key_level", gettext_lazy("重点级别"), "key_level"),
    Column("project_type", gettext_lazy("项目类型"), "project_type"),
    Column("industry", gettext_lazy("产业方向"), "industry"),
    Column("total", gettext_lazy("总投资（万元）"), "total_investment_wan", num=True),
    Column("enterprise", gettext_lazy("项目公司"), "enterprise__name"),
    Column("start_date", gettext_lazy("实际开工"), "start_date"),
    Column("department", gettext_lazy("主管部门"), "department__name"),
]
FILTERS = ["q", "stage", "key_level", "project_type", "industry", "task_force", "plan_year",
           "started_after", "started_before", "completed_after", "completed_before",
           "commissioned_after", "commissioned_before"]


def _directions(user) -> list[str]:
    from ..selectors.settings import project_settings_for

    return project_settings_for(user.zone).directions


@business_page()
def project_list(request):
    user = request.user
    qs = selectors.projects_for_user(user=user, filters=request.GET)
    total = selectors.projects_total(qs)
    qs, head = sort_and_head(request, qs, COLUMNS, default="code")
    page = paginate(request, qs)
    filterset = ProjectFilterSet(request.GET)
    fields = FILTERS if user.role != Role.ENTERPRISE else ["q", "stage"]
    forces = selectors.task_force_choices(user=user)
    form = filter_form(filterset, fields=fields, choices={"task_force": [(t.pk, t.name) for t in forces]})
    if "industry" in form.fields:
        from django import forms

        form.fields["industry"].widget = forms.Select(choices=[("", _("全部")), *[(d, d) for d in _directions(user)]])
    return render(request, "projects/project_list.html", {
        "page_obj": page,
        "head": head,
        "filter_form": form,
        "total": total,
        "ids_error": filterset.errors.get("ids"),
        "can_add": can_write(user, Project),
    })


def _milestones(project: Project, signing) -> list[dict]:
    """The lifecycle strip: planned vs actual per milestone, and days late (+) or early (−)."""
    today = timezone.localdate()
    strip = [{"label": _("签约"), "planned": None, "actual": signing.date if signing else None,
              "days": None, "overdue": None, "done": signing is not None}]
    for label, planned_field, actual_field in MILESTONES:
        planned, actual = getattr(project, planned_field), getattr(project, actual_field)
        days = (actual - planned).days if planned and actual else None
        overdue = (today - planned).days if planned and not actual and planned < today else None
        strip.append({"label": label, "planned": planned, "actual": actual, "days": days,
                      "abs_days": abs(days) if days is not None else None, "overdue": overdue,
                      "done": actual is not None})
    return strip


@business_page()
def project_detail(request, pk: int):
    user = request.user
    project = found(selectors.project_get_for_user(user=user, pk=pk))
    editable = selectors.project_editable(user, project)
    signing, signing_visible = selectors.project_signing(user=user, project=project)
    years = report_selectors.project_report_years(project=project)
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = years[0]
    if year not in years:
        year = years[0]
    plan_rows = report_selectors.project_plan_rows(project=project)
    plan_of_year = next((r.plan_wan for r in plan_rows if r.year == year), None)
    month_rows = report_selectors.project_month_rows(project=project, year=year)
    context = {
        "object": project,
        "can_edit": editable,
        "signing": signing,
        "signing_visible": signing_visible,
        "milestones": _milestones(project, signing),
        "parcels": selectors.project_parcels(project=project),
        "plan_rows": plan_rows,
        "years": years,
        "year": year,
        "plan_of_year": plan_of_year,
        "month_rows": month_rows,
        "chart": {**report_selectors.month_chart(rows=month_rows, plan_wan=plan_of_year),
                  "labels": {"monthly": _("当月完成投资（万元）"), "unit": _("万元"),
                             "cumulative": _("累计完成率（%）"), "time": _("时序进度（%）")}},
        "link_enterprise": selectors.enterprise_visible(user=user, enterprise=project.enterprise),
        "changes": object_changes_for_object(obj=project),
    }
    if editable:
        context["parcel_form"] = ParcelAddForm(parcel_codes=selectors.parcel_codes(zone=project.zone_id))
        context["plan_form"] = PlanForm(initial={"year": year})
        context["report_form"] = ReportForm(initial={"year": year})
    return render(request, "projects/project_detail.html", context)


def _form(user, data=None, *, instance=None):
    return ProjectForm(data, instance=instance, directions=_directions(user),
                       enterprises=selectors.project_company_choices(user=user),
                       task_forces=selectors.task_force_choices(user=user))


@business_page()
@require_http_methods(["GET", "POST"])
def project_add(request):
    user = request.user
    if not can_write(user, Project):
        raise PermissionDenied(_("只有部门工作人员可以新增项目。"))
    form = _form(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        message = data.pop("message", "")
        data.pop("version", None)
        try:
            project = services.project_create(user=user, data=data, message=message)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("项目已新增。"))
            return redirect(project.get_absolute_url())
    return render(request, "projects/project_form.html", {
        "title": _("新增项目"), "form": form, "cancel_url": reverse("projects:project_list")})


def _display(project: Project, field: str, value) -> str:
    """A field's value as a person reads it (choice labels, related names, dates)."""
    if value in (None, ""):
        return "—"
    model_field = Project._meta.get_field(field)
    if isinstance(value, Model):
        return str(value)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    return str(value)


def _differences(form: ProjectForm, current: Project) -> list[dict]:
    """The fields whose current value differs from what the user submitted."""
    rows = []
    for field in EDITABLE_FIELDS:
        if field not in form.cleaned_data:
            continue
        mine = form.cleaned_data[field]
        theirs = getattr(current, field)
        same = (getattr(mine, "pk", mine) or None) == (getattr(theirs, "pk", theirs) or None)
        if not same:
            rows.append({"label": Project._meta.get_field(field).verbose_name,
                         "mine": _display(current, field, mine), "current": _display(current, field, theirs)})
    return rows


@business_page()
@require_http_methods(["GET", "POST"])
def project_edit(request, pk: int):
    user = request.user
    project = found(selectors.project_get_for_user(user=user, pk=pk))
    if not selectors.project_editable(user, project):
        raise PermissionDenied(_("您可以查看但不能修改该项目。"))
    # The form works on a copy: the service must see the row as it was, to record before and after.
    form = _form(user, request.POST or None, instance=copy.copy(project))
    status, stale = 200, None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        message = data.pop("message", "")
        version = data.pop("version", None)
        try:
            saved = services.project_update(user=user, project=project, data=data, message=message,
                                            expected_version=version or project.version)
        except StaleEdit as exc:
            current = exc.current
            stale = {"message": exc.messages[0], "differences": _differences(form, current), "current": current}
            # The user's values stay in the form, now at the current version: saving again is a conscious choice.
            post = request.POST.copy()
            post["version"] = str(current.version)
            form = _form(user, post, instance=copy.copy(current))
            form.is_valid()
            status = 409
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("项目已保存。"))
            return redirect(saved.get_absolute_url())
    return render(request, "projects/project_form.html", {
        "title": _("修改项目：%(name)s") % {"name": project.name}, "form": form, "object": project,
        "stale": stale, "cancel_url": project.get_absolute_url(), "changes": object_changes_for_object(obj=project),
    }, status=status)


@business_page()
@require_http_methods(["GET", "POST"])
def project_delete(request, pk: int):
    user = request.user
    project = found(selectors.project_get_for_user(user=user, pk=pk))
    if not selectors.project_editable(user, project):
        raise PermissionDenied(_("您可以查看但不能修改该项目。"))
    return delete_page(
        request, project,
        delete=lambda message: services.project_delete(user=user, project=project, message=message),
        next_url=reverse("projects:project_list"),
        context={"title": _("删除项目"), "cancel_url": project.get_absolute_url(),
                 "note": _("项目的年度计划、月度完成投资、用地、日志和问题清单将一并删除。")},
        success_message=_("项目已删除。"),
    )


def _editable_project(request, pk: int) -> Project:
    project = found(selectors.project_get_for_user(user=request.user, pk=pk))
    if not selectors.project_editable(request.user, project):
        raise PermissionDenied(_("您可以查看但不能修改该项目。"))
    return project


@business_page(enterprise_users=False)
@require_POST
def project_parcel_add(request, pk: int):
    user = request.user
    project = _editable_project(request, pk)
    form = ParcelAddForm(request.POST)
    if form.is_valid():
        code = form.cleaned_data["parcel_code"].strip()
        parcel = selectors.parcel_in_zone(zone=project.zone_id, code=code)
        if parcel is None:
            messages.error(request, _("本园区没有编号为“%(code)s”的地块。") % {"code": code})
        else:
            try:
                services.project_parcel_add(user=user, project=project, parcel=parcel,
                                            message=form.cleaned_data["message"])
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("已关联地块 %(code)s。") % {"code": parcel.code})
    else:
        messages.error(request, _("请填写地块编号。"))
    return redirect(reverse("projects:project_detail", args=[project.pk]) + "#parcels")


@business_page(enterprise_users=False)
@require_POST
def project_parcel_remove(request, pk: int, link_pk: int):
    user = request.user
    project = _editable_project(request, pk)
    link = found(ProjectParcel.objects.filter(project=project, pk=link_pk).select_related("parcel").first())
    services.project_parcel_remove(user=user, link=link)
    messages.success(request, _("已取消关联地块 %(code)s。") % {"code": link.parcel.code})
    return redirect(reverse("projects:project_detail", args=[project.pk]) + "#parcels")
