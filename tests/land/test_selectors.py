"""The ORM side of the land-area rule, and the carrier read models."""

import datetime as dt
from decimal import Decimal

import pytest

from gaoxin.land import selectors, services
from gaoxin.land.selectors import LandArea
from tests.land.test_services import build_carrier, lease_data

D = dt.date


@pytest.fixture
def leased(world):
    """a2 leases 250 of the 1,000 m² on a1's parcel P-A1 (6,666.67 m²) from 2025-01-01."""
    carrier = build_carrier(world)
    services.lease_create(user=world.users["staff_a"], unit=carrier.big, data=lease_data(world, 250, D(2025, 1, 1)))
    return carrier


def test_tenant_gets_its_share_and_the_holder_gives_it_up(world, leased):
    areas = selectors.enterprise_land_areas(zone=world.zone, as_of=D(2025, 6, 30))
    a1, a2 = world.enterprises["a1"].pk, world.enterprises["a2"].pk
    assert areas[a2] == LandArea(
        own_m2=Decimal("0.00"), apportioned_in_m2=Decimal("1666.67"), apportioned_out_m2=Decimal("0.00"),
        land_m2=Decimal("1666.67"), land_mu=Decimal("2.50"), leased_floor_m2=Decimal("250.00"))
    assert areas[a1].own_m2 == Decimal("6666.67")
    assert areas[a1].apportioned_out_m2 == Decimal("1666.67")
    assert areas[a1].land_m2 == Decimal("5000.00")
    assert areas[world.enterprises["b1"].pk].land_m2 == Decimal("6666.67")
    assert world.enterprises["other"].pk not in areas  # another zone


def test_one_enterprise_reads_the_same_as_the_whole_zone(world, leased):
    whole = selectors.enterprise_land_areas(zone=world.zone, as_of=D(2025, 6, 30))
    for key in ("a1", "a2", "b1"):
        enterprise = world.enterprises[key]
        assert selectors.enterprise_land_area(enterprise=enterprise, as_of=D(2025, 6, 30)) == whole[enterprise.pk]


def test_before_the_lease_starts_the_holder_keeps_everything(world, leased):
    a1, a2 = world.enterprises["a1"], world.enterprises["a2"]
    assert selectors.enterprise_land_area(enterprise=a2, as_of=D(2024, 12, 31)) == LandArea()
    assert selectors.enterprise_land_area(enterprise=a1, as_of=D(2024, 12, 31)).land_m2 == Decimal("6666.67")


def test_space_in_a_building_without_parcel_counts_as_floor_space_only(world):
    carrier = build_carrier(world, code="B9")
    services.building_update(user=world.users["staff_a"], building=carrier.building, data={"parcel": None})
    services.lease_create(user=world.users["staff_a"], unit=carrier.small, data=lease_data(world, 100))
    area = selectors.enterprise_land_area(enterprise=world.enterprises["a2"], as_of=D(2025, 6, 30))
    assert area.land_m2 == Decimal("0.00") and area.leased_floor_m2 == Decimal("100.00")


def test_parcel_split(world, leased):
    split = selectors.parcel_split(parcel=world.parcels["a1"], as_of=D(2025, 6, 30))
    assert split.counted and split.leased_out_m2 == Decimal("1666.67") and split.retained_m2 == Decimal("5000.00")
    assert not selectors.parcel_split(parcel=world.parcels["a2"], as_of=D(2025, 6, 30)).counted  # 储备


def test_building_layout_and_list_rows(world, leased):
    services.lease_create(user=world.users["staff_a"], unit=leased.small,
                          data=lease_data(world, 400, D(2024, 1, 1), D(2024, 12, 31), tenant="a1"))
    layout = selectors.building_layout(building=leased.building, as_of=D(2025, 6, 30))
    assert layout.total_m2 == Decimal("1000.00") and layout.leased_m2 == Decimal("250.00")
    assert layout.occupancy == Decimal("0.25")
    (floor,) = layout.floors
    big, small = floor.units
    assert [x.area_m2 for x in big.current] == [Decimal("250.00")] and small.current == []
    assert [x.end_date for x in small.others] == [D(2024, 12, 31)]
    row = selectors.building_list_rows(selectors.buildings_for_user(user=world.users["leader"]),
                                       as_of=D(2025, 6, 30)).get()
    assert row.total_m2 == Decimal("1000.00") and row.leased_m2 == Decimal("250.00")


def test_the_worked_example_in_docs_land_area(world):
    """docs/land-area.md: B leases 250 m² and C 300 m² of the 1,000 m² on A's 6,666.67 m² parcel."""
    carrier = build_carrier(world)
    staff = world.users["staff_a"]
    services.lease_create(user=staff, unit=carrier.big, data=lease_data(world, 250, D(2025, 1, 1), tenant="a2"))
    services.lease_create(user=staff, unit=carrier.small, data=lease_data(world, 300, D(2025, 1, 1), tenant="b1"))
    areas = selectors.enterprise_land_areas(zone=world.zone, as_of=D(2025, 6, 30))
    a, b, c = (areas[world.enterprises[k].pk] for k in ("a1", "a2", "b1"))
    assert (b.land_m2, b.land_mu) == (Decimal("1666.67"), Decimal("2.50"))
    assert (c.apportioned_in_m2, c.leased_floor_m2) == (Decimal("2000.00"), Decimal("300.00"))
    assert (a.land_m2, a.land_mu) == (Decimal("3000.00"), Decimal("4.50"))
