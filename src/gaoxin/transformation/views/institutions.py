"""The R&D institutions (研发机构) pages: list with filters, sorting, paging and totals (institutions and the
enterprises that set them up, as the bulletin counts them), add, edit, delete."""

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

from ..filters import InstitutionFilterSet
from ..forms import InstitutionForm
from ..models import RndInstitution
from ..selectors import institutions as selectors
from ..selectors.projects import area_choices
from ..services import institutions as services
from .common import Redirect, transformation_page

COLUMNS = [
    Column("enterprise", gettext_lazy("企业"), "enterprise__name"),
    Column("name", gettext_lazy("机构名称"), "name"),
    Column("kind", gettext_lazy("机构类型"), "kind"),
    Column("level", gettext_lazy("级别"), "level"),
    Column("recognized_on", gettext_lazy("认定日期"), "recognized_on"),
    Column("certificate", gettext_lazy("认定文件")),
    Column("department", gettext_lazy("主管部门"), "department__name"),
]
FILTERS = ["q", "kind", "level", "year", "area", "recognized_after", "recognized_before"]


def _list_url() -> str:
    return reverse("transformation:institution_list")


@transformation_page
@require_GET
def institution_list(request):
    user = request.user
    qs = selectors.institutions_for_user(user=user, filters=request.GET)
    total = selectors.institutions_total(qs)
    qs, head = sort_and_head(request, qs, COLUMNS, default="-recognized_on")
    page = paginate(request, qs)
    filterset = InstitutionFilterSet(request.GET)
    form = filter_form(filterset, fields=FILTERS, choices={"area": [(a, a) for a in area_choices(user=user)]})
    editable = set(RndInstitution.objects.editable_by(user).filter(pk__in=[i.pk for i in page.object_list])
                   .values_list("pk", flat=True))
    return render(request, "transformation/institution_list.html", {
        "page_obj": page,
        "rows": [(i, i.pk in editable) for i in page.object_list],
        "head": head,
        "filter_form": form,
        "total": total,
        "ids_error": filterset.errors.get("ids"),
        "can_add": can_write(user, RndInstitution),
    })


@transformation_page
@require_http_methods(["GET", "POST"])
def institution_add(request):
    user = request.user
    if not can_write(user, RndInstitution):
        raise PermissionDenied(_("只有部门工作人员可以登记研发机构。"))
    form = InstitutionForm(request.POST or None, user=user)

    def save(data, message):
        services.institution_create(user=user, data=data, message=message)
        return Redirect(_list_url())

    return form_page(
        request, form, save=save, template="transformation/form.html",
        context={"title": _("登记研发机构"), "cancel_url": _list_url()},
        success_message=_("研发机构已登记。"),
    )


def _editable(request, pk: int) -> RndInstitution:
    institution = found(selectors.institution_get_for_user(user=request.user, pk=pk))
    if not can_edit(request.user, institution):
        raise PermissionDenied(_("您可以查看但不能修改该研发机构。"))
    return institution


@transformation_page
@require_http_methods(["GET", "POST"])
def institution_edit(request, pk: int):
    user = request.user
    institution = _editable(request, pk)
    form = InstitutionForm(request.POST or None, instance=copy.copy(institution), user=user)

    def save(data, message):
        services.institution_update(user=user, institution=institution, data=data, message=message)
        return Redirect(_list_url())

    return form_page(
        request, form, save=save, template="transformation/form.html",
        context={"title": _("修改研发机构：%(name)s") % {"name": institution.name}, "object": institution,
                 "cancel_url": _list_url(), "changes": object_changes_for_object(obj=institution)},
        success_message=_("研发机构已保存。"),
    )


@transformation_page
@require_http_methods(["GET", "POST"])
def institution_delete(request, pk: int):
    user = request.user
    institution = _editable(request, pk)
    return delete_page(
        request, institution,
        delete=lambda message: services.institution_delete(user=user, institution=institution, message=message),
        next_url=_list_url(),
        context={"title": _("删除研发机构"), "cancel_url": _list_url()},
        success_message=_("研发机构已删除。"),
    )
