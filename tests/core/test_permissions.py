"""Each role sees exactly its scope: the one place where scope is decided."""

import pytest

from gaoxin.enterprises.models import Enterprise
from gaoxin.land.models import Parcel

EXPECTED_ENTERPRISES = {
    "system_admin": set(),
    "security_admin": set(),
    "audit_admin": set(),
    "leader": {"a1", "a2", "b1"},
    "staff_a": {"a1", "a2"},
    "staff_b": {"b1"},
    "enterprise": {"a1"},
    "other_staff": {"other"},
}


@pytest.mark.parametrize("role,expected", EXPECTED_ENTERPRISES.items())
def test_enterprise_scope(world, role, expected):
    visible = set(Enterprise.objects.visible_to(world.users[role]).values_list("pk", flat=True))
    assert visible == {world.enterprises[k].pk for k in expected}


@pytest.mark.parametrize("role,expected", {
    "leader": {"a1", "a2", "b1"}, "staff_a": {"a1", "a2"}, "enterprise": {"a1"}, "audit_admin": set(),
}.items())
def test_parcel_scope(world, role, expected):
    visible = set(Parcel.objects.visible_to(world.users[role]).values_list("pk", flat=True))
    assert visible == {world.parcels[k].pk for k in expected}


def test_city_user_reads_extra_zones(world):
    leader = world.users["leader"]
    leader.extra_zones.add(world.other_zone)
    visible = set(Enterprise.objects.visible_to(leader).values_list("pk", flat=True))
    assert world.enterprises["other"].pk in visible


def test_only_staff_write_within_their_department(world):
    assert set(Enterprise.objects.editable_by(world.users["staff_a"]).values_list("pk", flat=True)) == {
        world.enterprises["a1"].pk, world.enterprises["a2"].pk}
    for role in ("leader", "enterprise", "system_admin", "audit_admin"):
        assert not Enterprise.objects.editable_by(world.users[role]).exists()


def test_inactive_user_sees_nothing(world):
    user = world.users["leader"]
    user.is_active = False
    assert not Enterprise.objects.visible_to(user).exists()
