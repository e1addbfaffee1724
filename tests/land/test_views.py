"""Parcel and carrier pages per role; writes through the services, one audit record each."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from gaoxin.core.audit.models import ChangeAction, ObjectChange
from gaoxin.land import services
from gaoxin.land.models import Building, Floor, Lease, Parcel, Unit
from tests.land.test_services import build_carrier, lease_data

ADMINS = ["system_admin", "security_admin", "audit_admin"]
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def login(client, world):
    def as_role(role):
        client.force_login(world.users[role])
        return client

    return as_role


@pytest.fixture
def carrier(world):
    return build_carrier(world)


def parcel_form(**overrides):
    data = {"code": "P-NEW", "location": "创新路以东", "area_m2": "13333.33", "land_use": "工业用地",
            "supply_method": "出让", "holder": "", "holder_uscc": "", "supply_date": "2024-05-01",
            "status": "已供", "message": ""}
    data.update(overrides)
    return data


def changes(model):
    return ObjectChange.objects.filter(content_type__model=model)


# Parcels ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("role,expected", {
    "leader": {"a1", "a2", "b1"}, "staff_a": {"a1", "a2"}, "staff_b": {"b1"}, "enterprise": {"a1"},
    "other_staff": {"other"},
}.items())
def test_parcel_list_shows_exactly_the_scoped_rows(world, login, role, expected):
    response = login(role).get(reverse("land:parcel_list"))
    assert {p.pk for p in response.context["page_obj"]} == {world.parcels[k].pk for k in expected}


@pytest.mark.parametrize("role", ADMINS)
@pytest.mark.parametrize("name", ["land:parcel_list", "land:building_list", "land:parcel_add"])
def test_administrators_get_403(world, login, role, name):
    assert login(role).get(reverse(name)).status_code == 403


@pytest.mark.parametrize("role,target", [("staff_b", "a1"), ("enterprise", "a2"), ("enterprise", "b1"),
                                         ("leader", "other")])
@pytest.mark.parametrize("page", ["parcel_detail", "parcel_edit", "parcel_delete"])
def test_parcels_out_of_scope_are_404(world, login, role, target, page):
    assert login(role).get(reverse(f"land:{page}", args=[world.parcels[target].pk])).status_code == 404


def test_parcel_detail_shows_area_in_m2_and_mu_and_the_holder(world, login):
    html = login("enterprise").get(reverse("land:parcel_detail", args=[world.parcels["a1"].pk])).content.decode()
    assert "6666.67 平方米（10.00 亩）" in html
    assert world.enterprises["a1"].get_absolute_url() in html
    assert reverse("land:parcel_edit", args=[world.parcels["a1"].pk]) not in html


def test_holder_not_visible_to_the_user_is_named_but_not_linked(world, login):
    parcel = world.parcels["a2"]
    services.parcel_update(user=world.users["staff_a"], parcel=parcel,
                           data={"holder": world.enterprises["b1"], "status": "已供", "supply_method": "出让"})
    html = login("staff_a").get(reverse("land:parcel_detail", args=[parcel.pk])).content.decode()
    assert world.enterprises["b1"].name in html
    assert world.enterprises["b1"].get_absolute_url() not in html


@pytest.mark.parametrize("role", ["leader", "enterprise"])
def test_parcel_readers_get_403_on_writes(world, login, role):
    client = login(role)
    pk = world.parcels["a1"].pk
    assert client.get(reverse("land:parcel_edit", args=[pk])).status_code == 403
    assert client.post(reverse("land:parcel_edit", args=[pk]), parcel_form(code="P-A1")).status_code == 403
    assert client.post(reverse("land:parcel_delete", args=[pk]), {}).status_code == 403
    assert not ObjectChange.objects.exists()


def test_parcel_create_with_holder_by_uscc_of_another_department(world, login):
    b1 = world.enterprises["b1"]
    response = login("staff_a").post(reverse("land:parcel_add"),
                                     parcel_form(holder_uscc=b1.uscc.lower(), message="挂牌出让"))
    parcel = Parcel.objects.get(code="P-NEW")
    assert response.status_code == 302 and response["Location"] == parcel.get_absolute_url()
    assert parcel.holder == b1 and parcel.department == world.dept_a and parcel.area_mu == Decimal("20.00")
    record = changes("parcel").get()
    assert record.action == ChangeAction.CREATE and record.message == "挂牌出让"
    assert record.postchange_data["holder_id"] == b1.pk


def test_parcel_create_with_holder_from_the_select(world, login):
    login("staff_a").post(reverse("land:parcel_add"), parcel_form(holder=world.enterprises["a2"].pk))
    assert Parcel.objects.get(code="P-NEW").holder == world.enterprises["a2"]


def test_parcel_select_offers_only_visible_enterprises(world, login):
    response = login("staff_a").post(reverse("land:parcel_add"), parcel_form(holder=world.enterprises["b1"].pk))
    assert response.status_code == 200 and not Parcel.objects.filter(code="P-NEW").exists()
    assert response.context["form"].errors["holder"]


@pytest.mark.parametrize("holder_uscc,message", [
    ("91500107000000019X", "校验位错误"),
    ("91110000600037341L", "本园区没有统一社会信用代码为"),
])
def test_parcel_holder_uscc_errors_inline(world, login, holder_uscc, message):
    response = login("staff_a").post(reverse("land:parcel_add"), parcel_form(holder_uscc=holder_uscc), **HTMX)
    html = response.content.decode()
    assert "<html" not in html and message in html
    assert not Parcel.objects.filter(code="P-NEW").exists() and not ObjectChange.objects.exists()


def test_reserve_parcel_with_holder_is_refused_by_the_model_rule(world, login):
    response = login("staff_a").post(reverse("land:parcel_add"),
                                     parcel_form(status="储备", holder=world.enterprises["a2"].pk))
    assert "储备地块不应有使用企业" in response.content.decode()
    assert not Parcel.objects.filter(code="P-NEW").exists()


def test_parcel_edit_records_before_and_after(world, login):
    parcel = world.parcels["a1"]
    data = parcel_form(code="P-A1", location="", area_m2="7000", holder=world.enterprises["a1"].pk,
                       supply_date="", message="测绘更正")
    assert login("staff_a").post(reverse("land:parcel_edit", args=[parcel.pk]), data).status_code == 302
    record = changes("parcel").get()
    assert record.action == ChangeAction.UPDATE and record.message == "测绘更正"
    assert dict((k, (b, a)) for k, b, a in record.diff())["area_m2"] == ("6666.67", "7000.00")


def test_parcel_delete_refused_while_a_building_stands_on_it(world, login, carrier):
    response = login("staff_a").post(reverse("land:parcel_delete", args=[world.parcels["a1"].pk]), {"message": ""})
    assert response.status_code == 400 and "该地块上仍有载体楼栋，不能删除" in response.content.decode()
    assert Parcel.objects.filter(pk=world.parcels["a1"].pk).exists()


def test_parcel_delete(world, login):
    pk = world.parcels["a2"].pk
    response = login("staff_a").post(reverse("land:parcel_delete", args=[pk]), {"message": "撤销"})
    assert response.status_code == 302 and not Parcel.objects.filter(pk=pk).exists()
    assert changes("parcel").get().action == ChangeAction.DELETE


def test_parcel_list_filters(world, login):
    client = login("leader")
    response = client.get(reverse("land:parcel_list"), {"status": "储备"})
    assert [p.pk for p in response.context["page_obj"]] == [world.parcels["a2"].pk]
    response = client.get(reverse("land:parcel_list"), {"q": "测试企业3", "sort": "-area"})
    assert [p.pk for p in response.context["page_obj"]] == [world.parcels["b1"].pk]


# Buildings, floors, units, leases -----------------------------------------------------------------------

@pytest.mark.parametrize("role,expected", [("leader", 1), ("staff_a", 1), ("staff_b", 0)])
def test_building_list_scope(world, login, carrier, role, expected):
    response = login(role).get(reverse("land:building_list"))
    assert response.status_code == 200 and len(response.context["page_obj"]) == expected


def test_enterprise_users_do_not_browse_carriers(world, login, carrier):
    client = login("enterprise")
    assert client.get(reverse("land:building_list")).status_code == 403
    assert client.get(reverse("land:building_detail", args=[carrier.building.pk])).status_code == 403


def test_building_of_another_department_is_404(world, login, carrier):
    client = login("staff_b")
    for name in ("building_detail", "building_edit", "building_delete", "floor_add"):
        assert client.get(reverse(f"land:{name}", args=[carrier.building.pk])).status_code == 404
    assert client.get(reverse("land:unit_add", args=[carrier.floor.pk])).status_code == 404
    assert client.get(reverse("land:lease_add", args=[carrier.big.pk])).status_code == 404


def test_building_detail_shows_units_leases_and_occupancy(world, login, carrier):
    services.lease_create(user=world.users["staff_a"], unit=carrier.big,
                          data=lease_data(world, 250, dt.date(2020, 1, 1)))
    response = login("leader").get(reverse("land:building_detail", args=[carrier.building.pk]))
    html = response.content.decode()
    assert response.context["occupancy_pct"] == Decimal("25.0")
    assert "25.0%" in html and world.enterprises["a2"].name in html and "600.00" in html
    assert reverse("land:lease_add", args=[carrier.big.pk]) not in html  # leaders read only
    staff_html = login("staff_a").get(reverse("land:building_detail", args=[carrier.building.pk])).content.decode()
    assert reverse("land:lease_add", args=[carrier.big.pk]) in staff_html


def test_building_create_and_edit_via_the_ui(world, login):
    client = login("staff_a")
    response = client.post(reverse("land:building_add"),
                           {"code": "B7", "name": "孵化器", "parcel": "", "parcel_code": "P-B1", "address": "",
                            "message": "新建"})
    building = Building.objects.get(code="B7")
    assert response.status_code == 302 and building.parcel == world.parcels["b1"]
    response = client.post(reverse("land:building_edit", args=[building.pk]),
                           {"code": "B7", "name": "科技孵化器", "parcel": world.parcels["b1"].pk, "parcel_code": "",
                            "address": "", "message": "更名"})
    assert response.status_code == 302
    assert [c.action for c in changes("building").order_by("id")] == [ChangeAction.CREATE, ChangeAction.UPDATE]
    response = client.post(reverse("land:building_add"),
                           {"code": "B8", "name": "X", "parcel": "", "parcel_code": "P-NONE", "address": ""})
    assert "本园区没有编号为“P-NONE”的地块" in response.content.decode()


def test_floor_unit_and_lease_via_the_ui(world, login, carrier):
    client = login("staff_a")
    assert client.post(reverse("land:floor_add", args=[carrier.building.pk]), {"number": "2"}).status_code == 302
    floor = Floor.objects.get(building=carrier.building, number=2)
    response = client.post(reverse("land:unit_add", args=[floor.pk]), {"code": "201", "floor_area_m2": "800"})
    assert response.status_code == 302 and response["Location"] == carrier.building.get_absolute_url()
    unit = Unit.objects.get(floor=floor, code="201")
    response = client.post(reverse("land:lease_add", args=[unit.pk]),
                           {"enterprise": world.enterprises["a2"].pk, "area_m2": "800", "start_date": "2025-01-01",
                            "end_date": "", "message": "整层出租"})
    assert response.status_code == 302
    lease = Lease.objects.get(unit=unit)
    record = changes("lease").get()
    assert record.object_id == lease.pk and record.message == "整层出租" and record.user == world.users["staff_a"]


def test_over_leasing_via_the_ui_is_shown_inline_and_writes_nothing(world, login, carrier):
    services.lease_create(user=world.users["staff_a"], unit=carrier.small, data=lease_data(world, 300))
    before = ObjectChange.objects.count()
    response = login("staff_a").post(
        reverse("land:lease_add", args=[carrier.small.pk]),
        {"enterprise": world.enterprises["a1"].pk, "area_m2": "101", "start_date": "2025-03-01", "end_date": ""},
        **HTMX)
    html = response.content.decode()
    assert "<html" not in html and "再租 101" in html and "将超出" in html
    assert Lease.objects.count() == 1 and ObjectChange.objects.count() == before


def test_lease_tenant_must_be_visible_to_the_user(world, login, carrier):
    response = login("staff_a").post(
        reverse("land:lease_add", args=[carrier.big.pk]),
        {"enterprise": world.enterprises["b1"].pk, "area_m2": "10", "start_date": "2025-03-01", "end_date": ""})
    assert response.context["form"].errors["enterprise"] and not Lease.objects.exists()


def test_lease_edit_and_delete_via_the_ui(world, login, carrier):
    lease = services.lease_create(user=world.users["staff_a"], unit=carrier.big, data=lease_data(world, 100))
    assert login("leader").get(reverse("land:lease_edit", args=[lease.pk])).status_code == 403
    assert login("staff_b").get(reverse("land:lease_edit", args=[lease.pk])).status_code == 404
    client = login("staff_a")
    response = client.post(reverse("land:lease_edit", args=[lease.pk]),
                           {"enterprise": world.enterprises["a2"].pk, "area_m2": "150", "start_date": "2025-01-01",
                            "end_date": "2027-12-31", "message": "续签"})
    assert response.status_code == 302
    lease.refresh_from_db()
    assert lease.area_m2 == Decimal("150.00") and lease.end_date == dt.date(2027, 12, 31)
    response = client.post(reverse("land:lease_delete", args=[lease.pk]), {"message": "退租"})
    assert response.status_code == 302 and not Lease.objects.exists()
    assert [c.action for c in changes("lease").order_by("id")] == [
        ChangeAction.CREATE, ChangeAction.UPDATE, ChangeAction.DELETE]


def test_building_delete_via_the_ui_removes_floors_and_units(world, login, carrier):
    response = login("staff_a").post(reverse("land:building_delete", args=[carrier.building.pk]), {"message": ""})
    assert response.status_code == 302 and response["Location"] == reverse("land:building_list")
    assert not Building.objects.exists() and not Unit.objects.exists()


def test_unit_edit_refuses_shrinking_below_leases(world, login, carrier):
    services.lease_create(user=world.users["staff_a"], unit=carrier.big, data=lease_data(world, 500))
    response = login("staff_a").post(reverse("land:unit_edit", args=[carrier.big.pk]),
                                     {"code": "101", "floor_area_m2": "450"})
    assert "建筑面积不能小于该值" in response.content.decode()
    carrier.big.refresh_from_db()
    assert carrier.big.floor_area_m2 == Decimal("600.00")


def test_enterprise_sees_its_leases_and_apportioned_land(world, login, carrier):
    services.lease_create(user=world.users["staff_a"], unit=carrier.big,
                          data=lease_data(world, 250, dt.date(2020, 1, 1), tenant="a1"))
    response = login("enterprise").get(reverse("enterprises:detail", args=[world.enterprises["a1"].pk]))
    html = response.content.decode()
    assert carrier.building.name in html and carrier.building.get_absolute_url() not in html
    land = response.context["land"]
    # a1 holds the parcel and leases a quarter of its floor space: what it gives it also receives
    assert land.apportioned_in_m2 == land.apportioned_out_m2 == Decimal("1666.67")
    assert land.land_m2 == Decimal("6666.67") and land.leased_floor_m2 == Decimal("250.00")
