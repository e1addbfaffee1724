"""Carriers (building → floor → unit) and leases: permissions, validation, over-leasing, audit."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gaoxin.core.audit.models import ChangeAction, ObjectChange
from gaoxin.land import services
from gaoxin.land.models import Building, Floor, Lease, Parcel, Unit
from tests.factories import make_enterprise

D = dt.date
NEW_YEAR_2025 = D(2025, 1, 1)


@dataclass
class Carrier:
    building: Building
    floor: Floor
    big: Unit  # 600 m²
    small: Unit  # 400 m²


def build_carrier(world, *, code="B1", parcel="a1") -> Carrier:
    """Dept A's building on parcel P-A1 (held by a1): one floor, units of 600 and 400 m²."""
    staff = world.users["staff_a"]
    building = services.building_create(user=staff, data={"code": code, "name": f"标准厂房{code}",
                                                          "parcel": world.parcels[parcel]})
    floor = services.floor_create(user=staff, building=building, number=1)
    big = services.unit_create(user=staff, floor=floor, data={"code": "101", "floor_area_m2": Decimal("600")})
    small = services.unit_create(user=staff, floor=floor, data={"code": "102", "floor_area_m2": Decimal("400")})
    return Carrier(building, floor, big, small)


def lease_data(world, area, start=NEW_YEAR_2025, end=None, tenant="a2"):
    return {"enterprise": world.enterprises[tenant], "area_m2": Decimal(area), "start_date": start, "end_date": end}


@pytest.fixture
def carrier(world):
    return build_carrier(world)


def changes(model_name: str):
    return ObjectChange.objects.filter(content_type__model=model_name)


def test_building_create_is_audited_and_belongs_to_the_staff_department(world, carrier):
    assert carrier.building.department == world.dept_a and carrier.building.zone == world.zone
    assert carrier.big.department == world.dept_a and carrier.big.zone == world.zone
    record = changes("building").get()
    assert record.action == ChangeAction.CREATE and record.postchange_data["code"] == "B1"
    assert changes("unit").count() == 2 and changes("floor").count() == 1


@pytest.mark.parametrize("role", ["leader", "enterprise", "system_admin", "audit_admin"])
def test_only_department_staff_create_buildings(world, role):
    with pytest.raises(PermissionDenied):
        services.building_create(user=world.users[role], data={"code": "X", "name": "X"})
    assert not Building.objects.exists()


def test_other_department_cannot_add_to_a_building(world, carrier):
    staff_b = world.users["staff_b"]
    with pytest.raises(PermissionDenied):
        services.floor_create(user=staff_b, building=carrier.building, number=2)
    with pytest.raises(PermissionDenied):
        services.unit_create(user=staff_b, floor=carrier.floor, data={"code": "103", "floor_area_m2": Decimal(1)})
    with pytest.raises(PermissionDenied):
        services.lease_create(user=staff_b, unit=carrier.big, data=lease_data(world, 10, tenant="b1"))
    assert not Lease.objects.exists() and carrier.building.floors.count() == 1


def test_building_parcel_must_be_in_the_zone(world):
    with pytest.raises(ValidationError) as exc:
        services.building_create(user=world.users["staff_a"],
                                 data={"code": "X", "name": "X", "parcel": world.parcels["other"]})
    assert "所在地块不属于该园区" in str(exc.value)
    assert not Building.objects.exists()


def test_duplicate_floor_and_unit_are_refused_in_chinese(world, carrier):
    staff = world.users["staff_a"]
    with pytest.raises(ValidationError, match="该楼栋已有第 1 层"):
        services.floor_create(user=staff, building=carrier.building, number=1)
    with pytest.raises(ValidationError, match="该楼层已有单元"):
        services.unit_create(user=staff, floor=carrier.floor, data={"code": "101", "floor_area_m2": Decimal(5)})


def test_lease_create_is_audited(world, carrier):
    lease = services.lease_create(user=world.users["staff_a"], unit=carrier.big,
                                  data=lease_data(world, 600), message="签约")
    assert lease.department == world.dept_a and lease.zone == world.zone
    record = changes("lease").get()
    assert record.message == "签约" and record.postchange_data["area_m2"] == "600.00"


def test_over_leasing_is_refused_and_nothing_is_written(world, carrier):
    staff = world.users["staff_a"]
    services.lease_create(user=staff, unit=carrier.big, data=lease_data(world, 400, D(2025, 1, 1), D(2025, 12, 31)))
    before = ObjectChange.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.lease_create(user=staff, unit=carrier.big, data=lease_data(world, 201, D(2025, 6, 1), tenant="a1"))
    assert "2025-06-01" in exc.value.message_dict["area_m2"][0]
    assert "600" in exc.value.message_dict["area_m2"][0]
    assert Lease.objects.count() == 1 and ObjectChange.objects.count() == before
    # exactly the free space fits; so does anything after the first lease ends
    services.lease_create(user=staff, unit=carrier.big, data=lease_data(world, 200, D(2025, 6, 1), tenant="a1"))
    services.lease_create(user=staff, unit=carrier.big, data=lease_data(world, 200, D(2026, 1, 1), tenant="a2"))
    assert Lease.objects.count() == 3


def test_lease_larger_than_the_unit_and_reversed_dates_are_refused(world, carrier):
    staff = world.users["staff_a"]
    with pytest.raises(ValidationError) as exc:
        services.lease_create(user=staff, unit=carrier.small, data=lease_data(world, 401))
    assert "租赁面积不能超过单元建筑面积" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        services.lease_create(user=staff, unit=carrier.small, data=lease_data(world, 10, D(2025, 5, 1), D(2025, 4, 1)))
    assert "到期日期不能早于起租日期" in str(exc.value)
    assert not Lease.objects.exists()


def test_lease_to_an_enterprise_of_another_zone_is_refused(world, carrier):
    with pytest.raises(ValidationError, match="承租企业不属于该园区"):
        services.lease_create(user=world.users["staff_a"], unit=carrier.big, data=lease_data(world, 10, tenant="other"))


def test_lease_update_checks_over_leasing_without_counting_itself(world, carrier):
    staff = world.users["staff_a"]
    first = services.lease_create(user=staff, unit=carrier.big, data=lease_data(world, 300))
    services.lease_create(user=staff, unit=carrier.big, data=lease_data(world, 200, tenant="a1"))
    updated = services.lease_update(user=staff, lease=first, data={"area_m2": Decimal(400)}, message="扩租")
    assert updated.area_m2 == Decimal(400)
    record = changes("lease").filter(action=ChangeAction.UPDATE).get()
    assert record.prechange_data["area_m2"] == "300.00" and record.postchange_data["area_m2"] == "400.00"
    with pytest.raises(ValidationError):
        services.lease_update(user=staff, lease=first, data={"area_m2": Decimal(401)})
    first.refresh_from_db()
    assert first.area_m2 == Decimal(400)


def test_unit_area_cannot_shrink_below_its_leases(world, carrier):
    staff = world.users["staff_a"]
    services.lease_create(user=staff, unit=carrier.big, data=lease_data(world, 500))
    with pytest.raises(ValidationError, match="已租出 500"):
        services.unit_update(user=staff, unit=carrier.big, data={"floor_area_m2": Decimal(499)})
    services.unit_update(user=staff, unit=carrier.big, data={"floor_area_m2": Decimal(500)})
    carrier.big.refresh_from_db()
    assert carrier.big.floor_area_m2 == Decimal(500)


def test_building_with_leases_cannot_be_deleted(world, carrier):
    staff = world.users["staff_a"]
    services.lease_create(user=staff, unit=carrier.small, data=lease_data(world, 10))
    with pytest.raises(ValidationError, match="仍有租赁记录"):
        services.building_delete(user=staff, building=carrier.building)
    with pytest.raises(ValidationError, match="仍有租赁记录"):
        services.unit_delete(user=staff, unit=carrier.small)
    assert Building.objects.exists() and Unit.objects.count() == 2


def test_building_delete_records_its_floors_and_units(world, carrier):
    staff = world.users["staff_a"]
    services.building_delete(user=staff, building=carrier.building, message="拆除")
    assert not Building.objects.exists() and not Floor.objects.exists() and not Unit.objects.exists()
    deleted = ObjectChange.objects.filter(action=ChangeAction.DELETE)
    assert sorted(deleted.values_list("content_type__model", flat=True)) == ["building", "floor", "unit", "unit"]
    assert set(deleted.values_list("message", flat=True)) == {"拆除"}
    assert deleted.get(content_type__model="unit", object_id=carrier.big.pk).prechange_data["floor_area_m2"] == "600.00"


def test_parcel_with_a_building_cannot_be_deleted(world, carrier):
    with pytest.raises(ValidationError, match="仍有载体楼栋"):
        services.parcel_delete(user=world.users["staff_a"], parcel=world.parcels["a1"])
    assert Parcel.objects.filter(pk=world.parcels["a1"].pk).exists()


def test_lease_delete_is_audited(world, carrier):
    staff = world.users["staff_a"]
    lease = services.lease_create(user=staff, unit=carrier.small, data=lease_data(world, 10))
    services.lease_delete(user=staff, lease=lease, message="退租")
    record = changes("lease").get(action=ChangeAction.DELETE)
    assert record.message == "退租" and record.prechange_data["area_m2"] == "10.00" and record.postchange_data is None


def test_enterprise_with_a_lease_cannot_be_deleted(world, carrier):
    from gaoxin.enterprises.services import enterprise_delete

    tenant = make_enterprise(world.zone, world.dept_a, 50)
    services.lease_create(user=world.users["staff_a"], unit=carrier.small,
                          data={**lease_data(world, 10), "enterprise": tenant})
    with pytest.raises(ValidationError, match="仍有关联的地块、租赁或用户"):
        enterprise_delete(user=world.users["staff_a"], enterprise=tenant)
