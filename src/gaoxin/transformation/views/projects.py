"""The 智改数转 project pages: list (filters, sorting, paging, investment totals), detail with the
before/after measurements and their improvements, add, edit, delete."""

import copy
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from gaoxin.core.audit.selectors import object_changes_for_object
from gaoxin.core.pages import (
    Column,
    can_edit,
    delete_page,
    filter_form,
    form_page,
    found,
    paginate,
    sort_and_head,
)
from gaoxin.core.permissions import can_write

from ..filters import ProjectFilterSet
from ..forms import ProjectForm
from ..models import CERTIFIED_KINDS, TransformationProject
from ..selectors import projects as selectors
from ..services import projects as services
from .common import transformation_page

COLUMNS = [
    Column("enterprise", gettext_lazy("企业"), "enterprise__name"),
    Column("name", gettext_lazy("项目名称"), "name"),
    Column("kind", gettext_lazy("项目类型"), "kind"),
    Column("started_on", gettext_lazy("开始实施"), "started_on"),
    Column("completed_on", gettext_lazy("完成日期"), "completed_on"),
    Column("level", gettext_lazy("认定级别"), "level"),
    Column("certified_on", gettext_lazy("认定日期"), "certified_on"),
    Column("equipment", gettext_lazy("设备投资（万元）"), "equipment_investment_wan", num=True),
    Column("software", gettext_lazy("软件投资（万元）"), "software_investment_wan", num=True),
    Column("department", gettext_lazy("主管部门"), "department__name"),
]
FILTERS = ["q", "kind", "level", "started_year", "certified_year", "area", "started_after", "started_before",
           "certified_after", "certified_before"]


@transformation_page
@require_GET
def project_list(request):
    user = request.user
    qs = selectors.projects_for_user(user=user, filters=request.GET)
    total = selectors.projects_total(qs)
    qs, head = sort_and_head(request, qs, COLUMNS, default="-started_on")
    page = paginate(request, qs)
    filterset = ProjectFilterSet(request.GET)
    form = filter_form(filterset, fields=FILTERS,
                       choices={"area": [(a, a) for a in selectors.area_choices(user=user)]})
    return render(request, "transformation/project_list.html", {
        "page_obj": page,
        "head": head,
        "filter_form": form,
        "total": total,
        "ids_error": filterset.errors.get("ids"),
        "can_add": can_write(user, TransformationProject),
    })


def plain(value: Decimal) -> str:
    """A measured value as it was entered: 1121.4, not 1121.4000 or 1.1214E+3."""
    return format(value.normalize(), "f")


@transformation_page
@require_GET
def project_detail(request, pk: int):
    user = request.user
    project = found(selectors.project_get_for_user(user=user, pk=pk))
    rows = [{"improvement": i, "before": plain(i.measurement.before_value), "after": plain(i.measurement.after_value)}
            for i in selectors.improvements(project=project)]
    return render(request, "transformation/project_detail.html", {
        "object": project,
        "improvements": rows,
        "is_certified_kind": project.kind in CERTIFIED_KINDS,
        "can_edit": can_edit(user, project),
        "link_enterprise": selectors.enterprise_visible(user=user, enterprise=project.enterprise),
        "changes": object_changes_for_object(obj=project),
    })


@transformation_page
@require_http_methods(["GET", "POST"])
def project_add(request):
    user = request.user
    if not can_write(user, TransformationProject):
        raise PermissionDenied(_("只有部门工作人员可以登记智改数转项目。"))
    form = ProjectForm(request.POST or None, user=user)
    return form_page(
        request, form,
        save=lambda data, message: services.project_create(user=user, data=data, message=message),
        template="transformation/form.html",
        context={"title": _("登记智改数转项目"), "cancel_url": reverse("transformation:project_list")},
        success_message=_("智改数转项目已登记。"),
    )


def _editable(request, pk: int) -> TransformationProject:
    project = found(selectors.project_get_for_user(user=request.user, pk=pk))
    if not can_edit(request.user, project):
        raise PermissionDenied(_("您可以查看但不能修改该项目。"))
    return project


@transformation_page
@require_http_methods(["GET", "POST"])
def project_edit(request, pk: int):
    user = request.user
    project = _editable(request, pk)
    # The form works on a copy: the service must see the row as it was, to record before and after.
    form = ProjectForm(request.POST or None, instance=copy.copy(project), user=user)
    return form_page(
        request, form,
        save=lambda data, message: services.project_update(user=user, project=project, data=data, message=message),
        template="transformation/form.html",
        context={"title": _("修改智改数转项目：%(name)s") % {"name": project.name}, "object": project,
                 "cancel_url": project.get_absolute_url(), "changes": object_changes_for_object(obj=project)},
        success_message=_("智改数转项目已保存。"),
    )


@transformation_page
@require_http_methods(["GET", "POST"])
def project_delete(request, pk: int):
    user = request.user
    project = _editable(request, pk)
    return delete_page(
        request, project,
        delete=lambda message: services.project_delete(user=user, project=project, message=message),
        next_url=reverse("transformation:project_list"),
        context={"title": _("删除智改数转项目"), "cancel_url": project.get_absolute_url(),
                 "note": _("项目的改造前后测量数据将一并删除。")},
        success_message=_("智改数转项目已删除。"),
    )
