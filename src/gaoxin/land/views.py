"""Land register and space-carrier pages: thin adapters over land.selectors and land.services."""

import copy

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

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
    percent,
    require_edit,
    sort_and_head,
)
from gaoxin.core.permissions import Role, can_write
from gaoxin.enterprises.selectors import department_choices, enterprise_get_for_user, enterprises_for_user

from . import selectors, services
from .filters import BuildingFilterSet, ParcelFilterSet
from .forms import BuildingForm, FloorForm, LeaseForm, ParcelForm, UnitForm
from .models import Building, Lease, Parcel, Unit

# Parcels -------------------------------------------------------------------------------------------

PARCEL_COLUMNS = [
    Column("code", gettext_lazy("地块编号"), "code"),
    Column("location", gettext_lazy("位置"), "location"),
    Column("area", gettext_lazy("面积（平方米）"), "area_m2", num=True),
    Column("mu", gettext_lazy("面积（亩）"), None, num=True),
    Column("land_use", gettext_lazy("用地性质"), "land_use"),
    Column("supply_method", gettext_lazy("供地方式"), "supply_method"),
    Column("holder", gettext_lazy("使用企业"), "holder__name"),
    Column("supply_date", gettext_lazy("供地日期"), "supply_date"),
    Column("status", gettext_lazy("状态"), "status"),
    Column("department", gettext_lazy("主管部门"), "department__name"),
]
PARCEL_FILTERS = ["q", "status", "land_use", "supply_method", "min_area_m2", "max_area_m2"]


@business_page()
def parcel_list(request):
    user = request.user
    qs = selectors.parcels_for_user(user=user, filters=request.GET)
    qs, head = sort_and_head(request, qs, PARCEL_COLUMNS, default="code")
    fields = [*PARCEL_FILTERS, "department_id"] if user.role == Role.ZONE_LEADER else PARCEL_FILTERS
    departments = [(d.pk, d.name) for d in department_choices(user=user)]
    return render(request, "land/parcel_list.html", {
        "page_obj": paginate(request, qs),
        "head": head,
        "filter_form": filter_form(ParcelFilterSet(request.GET), fields=fields,
                                   choices={"department_id": departments}),
        "can_add": can_write(user, Parcel),
    })


@business_page()
def parcel_detail(request, pk: int):
    user = request.user
    parcel = found(selectors.parcel_get_for_user(user=user, pk=pk))
    holder_visible = bool(parcel.holder_id) and enterprise_get_for_user(user=user, pk=parcel.holder_id) is not None
    return render(request, "land/parcel_detail.html", {
        "object": parcel,
        "holder_visible": holder_visible,
        "buildings": selectors.buildings_on_parcel(user=user, parcel=parcel),
        "split": selectors.parcel_split(parcel=parcel, as_of=timezone.localdate()),
        "today": timezone.localdate(),
        "can_edit": can_edit(user, parcel),
        "changes": object_changes_for_object(obj=parcel),
    })


@business_page()
@require_http_methods(["GET", "POST"])
def parcel_add(request):
    user = request.user
    if not can_write(user, Parcel):
        raise PermissionDenied(_("只有部门工作人员可以新增地块。"))
    form = ParcelForm(request.POST or None, user=user,
                      instance=Parcel(zone_id=user.zone_id, department_id=user.department_id))
    return form_page(
        request, form,
        save=lambda data, message: services.parcel_create(user=user, data=data, message=message),
        template="land/form.html",
        context={"title": _("新增地块"), "cancel_url": reverse("land:parcel_list")},
        success_message=_("地块已新增。"),
    )


@business_page()
@require_http_methods(["GET", "POST"])
def parcel_edit(request, pk: int):
    user = request.user
    parcel = found(selectors.parcel_get_for_user(user=user, pk=pk))
    require_edit(user, parcel)
    form = ParcelForm(request.POST or None, user=user, instance=copy.copy(parcel))
    return form_page(
        request, form,
        save=lambda data, message: services.parcel_update(user=user, parcel=parcel, data=data, message=message),
        template="land/form.html",
        context={"title": _("修改地块：%(code)s") % {"code": parcel.code}, "cancel_url": parcel.get_absolute_url()},
        success_message=_("地块信息已保存。"),
    )


@business_page()
@require_http_methods(["GET", "POST"])
def parcel_delete(request, pk: int):
    user = request.user
    parcel = found(selectors.parcel_get_for_user(user=user, pk=pk))
    require_edit(user, parcel)
    return delete_page(
        request, parcel,
        delete=lambda message: services.parcel_delete(user=user, parcel=parcel, message=message),
        next_url=reverse("land:parcel_list"),
        context={"title": _("删除地块"), "cancel_url": parcel.get_absolute_url()},
        success_message=_("地块已删除。"),
    )


# Buildings (载体): enterprise users lease space but do not browse the zone's carriers. --------------

BUILDING_COLUMNS = [
    Column("code", gettext_lazy("楼栋编号"), "code"),
    Column("name", gettext_lazy("名称"), "name"),
    Column("parcel", gettext_lazy("所在地块"), "parcel__code"),
    Column("address", gettext_lazy("地址"), "address"),
    Column("total", gettext_lazy("建筑面积（平方米）"), "total_m2", num=True),
    Column("leased", gettext_lazy("在租面积（平方米）"), "leased_m2", num=True),
    Column("occupancy", gettext_lazy("出租率"), None, num=True),
]


@business_page(enterprise_users=False)
def building_list(request):
    user = request.user
    qs = selectors.building_list_rows(selectors.buildings_for_user(user=user, filters=request.GET),
                                      as_of=timezone.localdate())
    qs, head = sort_and_head(request, qs, BUILDING_COLUMNS, default="code")
    page = paginate(request, qs)
    for building in page.object_list:
        building.occupancy_pct = percent(building.leased_m2, building.total_m2)
    return render(request, "land/building_list.html", {
        "page_obj": page,
        "head": head,
        "filter_form": filter_form(BuildingFilterSet(request.GET), fields=["q"]),
        "can_add": can_write(user, Building),
    })


@business_page(enterprise_users=False)
def building_detail(request, pk: int):
    user = request.user
    building = found(selectors.building_get_for_user(user=user, pk=pk))
    today = timezone.localdate()
    layout = selectors.building_layout(building=building, as_of=today)
    tenants = {lease.enterprise_id for f in layout.floors for u in f.units for lease in u.current + u.others}
    return render(request, "land/building_detail.html", {
        "object": building,
        "layout": layout,
        "occupancy_pct": percent(layout.leased_m2, layout.total_m2),
        "visible_tenants": set(enterprises_for_user(user=user).filter(pk__in=tenants).values_list("pk", flat=True)),
        "today": today,
        "can_edit": can_edit(user, building),
        "changes": object_changes_for_object(obj=building),
    })


@business_page(enterprise_users=False)
@require_http_methods(["GET", "POST"])
def building_add(request):
    user = request.user
    if not can_write(user, Building):
        raise PermissionDenied(_("只有部门工作人员可以新增载体。"))
    form = BuildingForm(request.POST or None, user=user,
                        instance=Building(zone_id=user.zone_id, department_id=user.department_id))
    return form_page(
        request, form,
        save=lambda data, message: services.building_create(user=user, data=data, message=message),
        template="land/form.html",
        context={"title": _("新增载体楼栋"), "cancel_url": reverse("land:building_list")},
        success_message=_("楼栋已新增，可继续添加楼层和单元。"),
    )


@business_page(enterprise_users=False)
@require_http_methods(["GET", "POST"])
def building_edit(request, pk: int):
    user = request.user
    building = found(selectors.building_get_for_user(user=user, pk=pk))
    require_edit(user, building)
    form = BuildingForm(request.POST or None, user=user, instance=copy.copy(building))
    return form_page(
        request, form,
        save=lambda data, message: services.building_update(user=user, building=building, data=data,
                                                            message=message),
        template="land/form.html",
        context={"title": _("修改楼栋：%(name)s") % {"name": building.name},
                 "cancel_url": building.get_absolute_url()},
        success_message=_("楼栋信息已保存。"),
    )


@business_page(enterprise_users=False)
@require_http_methods(["GET", "POST"])
def building_delete(request, pk: int):
    user = request.user
    building = found(selectors.building_get_for_user(user=user, pk=pk))
    require_edit(user, building)
    return delete_page(
        request, building,
        delete=lambda message: services.building_delete(user=user, building=building, message=message),
        next_url=reverse("land:building_list"),
        context={"title": _("删除楼栋"), "cancel_url": building.get_absolute_url(),
                 "note": _("楼栋的楼层和单元将一并删除。")},
        success_message=_("楼栋已删除。"),
    )


@business_page(enterprise_users=False)
@require_http_methods(["GET", "POST"])
def floor_add(request, pk: int):
    user = request.user
    building = found(selectors.building_get_for_user(user=user, pk=pk))
    require_edit(user, building)
    return form_page(
        request, FloorForm(request.POST or None),
        save=lambda data, message: services.floor_create(
            user=user, building=building, number=data["number"], message=message).building,
        template="land/form.html",
        context={"title": _("%(building)s：添加楼层") % {"building": building.name},
                 "cancel_url": building.get_absolute_url()},
        success_message=_("楼层已添加。"),
    )


@business_page(enterprise_users=False)
@require_http_methods(["GET", "POST"])
def floor_delete(request, pk: int):
    user = request.user
    floor = found(selectors.floor_get_for_user(user=user, pk=pk))
    require_edit(user, floor)
    return delete_page(
        request, floor,
        delete=lambda message: services.floor_delete(user=user, floor=floor, message=message),
        next_url=floor.building.get_absolute_url(),
        context={"title": _("删除楼层"), "cancel_url": floor.building.get_absolute_url(),
                 "note": _("该楼层的单元将一并删除。")},
        success_message=_("楼层已删除。"),
    )


@business_page(enterprise_users=False)
@require_http_methods(["GET", "POST"])
def unit_add(request, pk: int):
    user = request.user
    floor = found(selectors.floor_get_for_user(user=user, pk=pk))
    require_edit(user, floor)
    form = UnitForm(request.POST or None,
                    instance=Unit(zone_id=floor.zone_id, department_id=floor.department_id, floor=floor))
    return form_page(
        request, form,
        save=lambda data, message: services.unit_create(
            user=user, floor=floor, data=data, message=message).floor.building,
        template="land/form.html",
        context={"title": _("%(floor)s：添加单元") % {"floor": floor}, "cancel_url": floor.building.get_absolute_url()},
        success_message=_("单元已添加。"),
    )


@business_page(enterprise_users=False)
@require_http_methods(["GET", "POST"])
def unit_edit(request, pk: int):
    user = request.user
    unit = found(selectors.unit_get_for_user(user=user, pk=pk))
    require_edit(user, unit)
    form = UnitForm(request.POST or None, instance=copy.copy(unit))
    return form_page(
        request, form,
        save=lambda data, message: services.unit_update(user=user, unit=unit, data=data,
                                                        message=message).floor.building,
        template="land/form.html",
        context={"title": _("修改单元：%(unit)s") % {"unit": unit}, "cancel_url": unit.floor.building.get_absolute_url(),
                 "changes": object_changes_for_object(obj=unit)},
        success_message=_("单元信息已保存。"),
    )


@business_page(enterprise_users=False)
@require_http_methods(["GET", "POST"])
def unit_delete(request, pk: int):
    user = request.user
    unit = found(selectors.unit_get_for_user(user=user, pk=pk))
    require_edit(user, unit)
    building = unit.floor.building
    return delete_page(
        request, unit,
        delete=lambda message: services.unit_delete(user=user, unit=unit, message=message),
        next_url=building.get_absolute_url(),
        context={"title": _("删除单元"), "cancel_url": building.get_absolute_url()},
        success_message=_("单元已删除。"),
    )


@business_page(enterprise_users=False)
@require_http_methods(["GET", "POST"])
def lease_add(request, pk: int):
    user = request.user
    unit = found(selectors.unit_get_for_user(user=user, pk=pk))
    require_edit(user, unit)
    if not can_write(user, Lease):
        raise PermissionDenied(_("只有部门工作人员可以登记租赁。"))
    form = LeaseForm(request.POST or None, user=user,
                     instance=Lease(zone_id=unit.zone_id, department_id=unit.department_id, unit=unit))
    return form_page(
        request, form,
        save=lambda data, message: services.lease_create(
            user=user, unit=unit, data=data, message=message).unit.floor.building,
        template="land/form.html",
        context={"title": _("%(unit)s：登记租赁") % {"unit": unit},
                 "intro": _("单元建筑面积 %(area)s 平方米。") % {"area": unit.floor_area_m2},
                 "cancel_url": unit.floor.building.get_absolute_url()},
        success_message=_("租赁已登记。"),
    )


@business_page(enterprise_users=False)
@require_http_methods(["GET", "POST"])
def lease_edit(request, pk: int):
    user = request.user
    lease = found(selectors.lease_get_for_user(user=user, pk=pk))
    require_edit(user, lease)
    form = LeaseForm(request.POST or None, user=user, instance=copy.copy(lease))
    return form_page(
        request, form,
        save=lambda data, message: services.lease_update(
            user=user, lease=lease, data=data, message=message).unit.floor.building,
        template="land/form.html",
        context={"title": _("修改租赁：%(lease)s") % {"lease": lease},
                 "intro": _("单元建筑面积 %(area)s 平方米。") % {"area": lease.unit.floor_area_m2},
                 "cancel_url": lease.unit.floor.building.get_absolute_url(),
                 "changes": object_changes_for_object(obj=lease)},
        success_message=_("租赁信息已保存。"),
    )


@business_page(enterprise_users=False)
@require_http_methods(["GET", "POST"])
def lease_delete(request, pk: int):
    user = request.user
    lease = found(selectors.lease_get_for_user(user=user, pk=pk))
    require_edit(user, lease)
    building = lease.unit.floor.building
    return delete_page(
        request, lease,
        delete=lambda message: services.lease_delete(user=user, lease=lease, message=message),
        next_url=building.get_absolute_url(),
        context={"title": _("删除租赁"), "cancel_url": building.get_absolute_url()},
        success_message=_("租赁已删除。"),
    )
