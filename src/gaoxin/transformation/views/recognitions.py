"""The enterprise recognitions (高新技术企业, 专精特新 …): list with filters, sorting and paging,
add, edit, delete."""

import copy

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

from ..filters import RecognitionFilterSet
from ..forms import RecognitionForm
from ..models import Recognition
from ..selectors import recognitions as selectors
from ..selectors.projects import area_choices
from ..services import recognitions as services
from .common import Redirect, transformation_page

COLUMNS = [
    Column("enterprise", gettext_lazy("企业"), "enterprise__name"),
    Column("kind", gettext_lazy("认定类型"), "kind"),
    Column("level", gettext_lazy("级别"), "level"),
    Column("recognized_on", gettext_lazy("认定日期"), "recognized_on"),
    Column("valid_until", gettext_lazy("有效期至"), "valid_until"),
    Column("certificate", gettext_lazy("证书编号"), "certificate"),
    Column("department", gettext_lazy("主管部门"), "department__name"),
]
FILTERS = ["q", "kind", "level", "year", "area", "recognized_after", "recognized_before"]


def _list_url() -> str:
    return reverse("transformation:recognition_list")


@transformation_page
@require_GET
def recognition_list(request):
    user = request.user
    qs = selectors.recognitions_for_user(user=user, filters=request.GET)
    qs, head = sort_and_head(request, qs, COLUMNS, default="-recognized_on")
    page = paginate(request, qs)
    filterset = RecognitionFilterSet(request.GET)
    form = filter_form(filterset, fields=FILTERS, choices={"area": [(a, a) for a in area_choices(user=user)]})
    editable = set(Recognition.objects.editable_by(user).filter(pk__in=[i.pk for i in page.object_list])
                   .values_list("pk", flat=True))
    return render(request, "transformation/recognition_list.html", {
        "page_obj": page,
        "rows": [(i, i.pk in editable) for i in page.object_list],
        "head": head,
        "filter_form": form,
        "ids_error": filterset.errors.get("ids"),
        "can_add": can_write(user, Recognition),
    })


@transformation_page
@require_http_methods(["GET", "POST"])
def recognition_add(request):
    user = request.user
    if not can_write(user, Recognition):
        raise PermissionDenied(_("只有部门工作人员可以登记企业认定。"))
    form = RecognitionForm(request.POST or None, user=user)

    def save(data, message):
        services.recognition_create(user=user, data=data, message=message)
        return Redirect(_list_url())

    return form_page(
        request, form, save=save, template="transformation/form.html",
        context={"title": _("登记企业认定"), "cancel_url": _list_url()},
        success_message=_("企业认定已登记。"),
    )


def _editable(request, pk: int) -> Recognition:
    recognition = found(selectors.recognition_get_for_user(user=request.user, pk=pk))
    if not can_edit(request.user, recognition):
        raise PermissionDenied(_("您可以查看但不能修改该企业认定。"))
    return recognition


@transformation_page
@require_http_methods(["GET", "POST"])
def recognition_edit(request, pk: int):
    user = request.user
    recognition = _editable(request, pk)
    form = RecognitionForm(request.POST or None, instance=copy.copy(recognition), user=user)

    def save(data, message):
        services.recognition_update(user=user, recognition=recognition, data=data, message=message)
        return Redirect(_list_url())

    return form_page(
        request, form, save=save, template="transformation/form.html",
        context={"title": _("修改企业认定：%(name)s") % {"name": recognition}, "object": recognition,
                 "cancel_url": _list_url(), "changes": object_changes_for_object(obj=recognition)},
        success_message=_("企业认定已保存。"),
    )


@transformation_page
@require_http_methods(["GET", "POST"])
def recognition_delete(request, pk: int):
    user = request.user
    recognition = _editable(request, pk)
    return delete_page(
        request, recognition,
        delete=lambda message: services.recognition_delete(user=user, recognition=recognition, message=message),
        next_url=_list_url(),
        context={"title": _("删除企业认定"), "cancel_url": _list_url()},
        success_message=_("企业认定已删除。"),
    )
