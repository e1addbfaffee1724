"""Enterprise register pages: thin adapters over enterprises.selectors and enterprises.services."""

import copy
import datetime as dt

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from gaoxin.core import industry
from gaoxin.core.audit.selectors import object_changes_for_object
from gaoxin.core.pages import (
    Column,
    business_page,
    can_edit,
    delete_page,
    filter_form,
    form_page,
    found,
    paginate,
    require_edit,
    sort_and_head,
)
from gaoxin.core.permissions import Role, can_write
from gaoxin.land import selectors as land_selectors

from . import selectors, services
from .filters import EnterpriseFilterSet
from .forms import DatalistInput, EnterpriseForm
from .models import Enterprise

COLUMNS = [
    Column("name", gettext_lazy("企业名称"), "name"),
    Column("uscc", gettext_lazy("统一社会信用代码"), "uscc"),
    Column("industry", gettext_lazy("行业"), "industry_code"),
    Column("size", gettext_lazy("规模"), "size"),
    Column("area", gettext_lazy("所属片区"), "area"),
    Column("status", gettext_lazy("状态"), "status"),
    Column("registration_date", gettext_lazy("成立日期"), "registration_date"),
    Column("department", gettext_lazy("主管部门"), "department__name"),
]
FILTERS = ["q", "industry", "size", "status", "area", "registered_after", "registered_before"]


@business_page()
def enterprise_list(request):
    user = request.user
    qs = selectors.enterprises_for_user(user=user, filters=request.GET)
    qs, head = sort_and_head(request, qs, COLUMNS, default="name")
    page = paginate(request, qs)
    filterset = EnterpriseFilterSet(request.GET)
    departments = [(d.pk, d.name) for d in selectors.department_choices(user=user)]
    # Staff see one department and enterprise users one enterprise: the department filter is for leaders.
    fields = [*FILTERS, "department_id"] if user.role == Role.ZONE_LEADER else FILTERS
    form = filter_form(filterset, fields=fields, choices={"department_id": departments})
    form.fields["area"].widget = DatalistInput(options=_areas(user))
    return render(request, "enterprises/list.html", {
        "page_obj": page,
        "rows": [(e, industry.lookup(e.industry_code)) for e in page.object_list],
        "head": head,
        "filter_form": form,
        "can_add": can_write(user, Enterprise),
    })


def _as_of(request) -> tuple[dt.date, str | None]:
    raw = request.GET.get("as_of", "").strip()
    if not raw:
        return timezone.localdate(), None
    try:
        return dt.date.fromisoformat(raw), None
    except ValueError:
        return timezone.localdate(), _("日期“%(raw)s”格式错误，应为 YYYY-MM-DD；已按今天计算。") % {"raw": raw}


@business_page()
def enterprise_detail(request, pk: int):
    user = request.user
    enterprise = found(selectors.enterprise_get_for_user(user=user, pk=pk))
    as_of, as_of_error = _as_of(request)
    today = timezone.localdate()
    return render(request, "enterprises/detail.html", {
        "object": enterprise,
        "industry_chain": industry.ancestors(enterprise.industry_code),
        "parcels": land_selectors.parcels_held(user=user, enterprise=enterprise),
        "leases": land_selectors.leases_of_enterprise(user=user, enterprise=enterprise, as_of=today),
        "land": land_selectors.enterprise_land_area(enterprise=enterprise, as_of=as_of),
        "link_buildings": user.role != Role.ENTERPRISE,  # enterprise users do not browse carriers
        "as_of": as_of,
        "as_of_error": as_of_error,
        "can_edit": can_edit(user, enterprise),
        "changes": object_changes_for_object(obj=enterprise),
        **_enterprise_file(user, enterprise),
    })


def _enterprise_file(user, enterprise) -> dict:
    """一企一档: the enterprise's 智改数转 records and policy payouts, in the reader's scope."""
    from gaoxin.policies.selectors.awards import awards_for_user
    from gaoxin.transformation.selectors.institutions import institutions_for_user
    from gaoxin.transformation.selectors.projects import projects_for_user
    from gaoxin.transformation.selectors.recognitions import recognitions_for_user

    return {
        "transformation_projects": projects_for_user(user=user).filter(enterprise=enterprise),
        "institutions": institutions_for_user(user=user).filter(enterprise=enterprise),
        "recognitions": recognitions_for_user(user=user).filter(enterprise=enterprise),
        "awards": awards_for_user(user=user).filter(enterprise=enterprise).select_related("policy", "clause"),
        "link_transformation": user.role != Role.ENTERPRISE,  # the register's pages are the zone's, not the firm's
    }


def _areas(user) -> list[str]:
    return selectors.enterprise_areas(zone=user.zone_id)


@business_page()
@require_http_methods(["GET", "POST"])
def enterprise_add(request):
    user = request.user
    if not can_write(user, Enterprise):
        raise PermissionDenied(_("只有部门工作人员可以新增企业。"))
    form = EnterpriseForm(request.POST or None, areas=_areas(user))
    return form_page(
        request, form,
        save=lambda data, message: services.enterprise_create(user=user, data=data, message=message),
        template="enterprises/form.html",
        context={"title": _("新增企业"), "cancel_url": reverse("enterprises:list")},
        success_message=_("企业已新增。"),
    )


@business_page()
@require_http_methods(["GET", "POST"])
def enterprise_edit(request, pk: int):
    user = request.user
    enterprise = found(selectors.enterprise_get_for_user(user=user, pk=pk))
    require_edit(user, enterprise)
    # The form works on a copy: the service must see the row as it was, to record before and after.
    form = EnterpriseForm(request.POST or None, instance=copy.copy(enterprise), areas=_areas(user))
    return form_page(
        request, form,
        save=lambda data, message: services.enterprise_update(
            user=user, enterprise=enterprise, data=data, message=message),
        template="enterprises/form.html",
        context={"title": _("修改企业：%(name)s") % {"name": enterprise.name}, "object": enterprise,
                 "cancel_url": enterprise.get_absolute_url()},
        success_message=_("企业信息已保存。"),
    )


@business_page()
@require_http_methods(["GET", "POST"])
def enterprise_delete(request, pk: int):
    user = request.user
    enterprise = found(selectors.enterprise_get_for_user(user=user, pk=pk))
    require_edit(user, enterprise)
    return delete_page(
        request, enterprise,
        delete=lambda message: services.enterprise_delete(user=user, enterprise=enterprise, message=message),
        next_url=reverse("enterprises:list"),
        context={"title": _("删除企业"), "cancel_url": enterprise.get_absolute_url()},
        success_message=_("企业已删除。"),
    )
