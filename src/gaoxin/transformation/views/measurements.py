"""Adding, changing and deleting a project's before/after measurements; whoever may change the project may
change its measurements. Each page leads back to the project's measurements table."""

import copy

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from gaoxin.core.audit.selectors import object_changes_for_object
from gaoxin.core.pages import can_edit, delete_page, form_page, found

from ..forms import MeasurementForm
from ..selectors import projects as selectors
from ..services import measurements as services
from .common import Redirect, transformation_page

FORMULA_NOTE = gettext_lazy("变化幅度 =（改造后 − 改造前）÷ 改造前 × 100%，由系统计算，保留两位小数。")


def _table_url(project) -> str:
    return project.get_absolute_url() + "#measurements"


def _require_project_edit(user, project) -> None:
    if not can_edit(user, project):
        raise PermissionDenied(_("您可以查看但不能修改该项目的测量数据。"))


@transformation_page
@require_http_methods(["GET", "POST"])
def measurement_add(request, pk: int):
    user = request.user
    project = found(selectors.project_get_for_user(user=user, pk=pk))
    _require_project_edit(user, project)
    form = MeasurementForm(request.POST or None)

    def save(data, message):
        services.measurement_create(user=user, project=project, data=data, message=message)
        return Redirect(_table_url(project))

    return form_page(
        request, form, save=save, template="transformation/form.html",
        context={"title": _("添加改造前后测量：%(name)s") % {"name": project.name}, "cancel_url": _table_url(project),
                 "intro": FORMULA_NOTE},
        success_message=_("测量数据已添加。"),
    )


@transformation_page
@require_http_methods(["GET", "POST"])
def measurement_edit(request, pk: int):
    user = request.user
    measurement = found(selectors.measurement_get_for_user(user=user, pk=pk))
    project = measurement.project
    _require_project_edit(user, project)
    form = MeasurementForm(request.POST or None, instance=copy.copy(measurement))

    def save(data, message):
        services.measurement_update(user=user, measurement=measurement, data=data, message=message)
        return Redirect(_table_url(project))

    return form_page(
        request, form, save=save, template="transformation/form.html",
        context={"title": _("修改测量数据：%(name)s") % {"name": measurement}, "object": measurement,
                 "cancel_url": _table_url(project), "intro": FORMULA_NOTE,
                 "changes": object_changes_for_object(obj=measurement)},
        success_message=_("测量数据已保存。"),
    )


@transformation_page
@require_http_methods(["GET", "POST"])
def measurement_delete(request, pk: int):
    user = request.user
    measurement = found(selectors.measurement_get_for_user(user=user, pk=pk))
    project = measurement.project
    _require_project_edit(user, project)
    return delete_page(
        request, measurement,
        delete=lambda message: services.measurement_delete(user=user, measurement=measurement, message=message),
        next_url=_table_url(project),
        context={"title": _("删除测量数据"), "cancel_url": _table_url(project)},
        success_message=_("测量数据已删除。"),
    )
