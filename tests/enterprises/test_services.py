"""enterprise_create/update/delete: permission, validation through Enterprise.clean(), audit, refusals."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gaoxin.core.audit.models import ChangeAction, ObjectChange
from gaoxin.enterprises import selectors, services
from gaoxin.enterprises.models import Enterprise
from tests.factories import make_uscc


def data(**overrides):
    values = {"uscc": make_uscc(700), "name": "服务测试有限公司", "industry_code": "6513", "size": "规下",
              "area": "三号片区"}
    values.update(overrides)
    return values


def test_create_sets_zone_and_department_from_the_user_and_is_audited(world):
    created = services.enterprise_create(user=world.users["staff_b"], data=data(uscc=make_uscc(700).lower()),
                                         message="招商入驻")
    assert created.zone == world.zone and created.department == world.dept_b
    assert created.uscc == make_uscc(700)  # normalised by Enterprise.clean()
    record = ObjectChange.objects.get()
    assert record.action == ChangeAction.CREATE and record.message == "招商入驻"
    assert record.postchange_data["department_id"] == world.dept_b.pk


def test_fields_outside_the_editable_set_are_ignored(world):
    created = services.enterprise_create(user=world.users["staff_a"],
                                         data=data(zone_id=world.other_zone.pk, department_id=world.dept_b.pk))
    assert created.zone == world.zone and created.department == world.dept_a


@pytest.mark.parametrize("role", ["leader", "enterprise", "system_admin", "security_admin", "audit_admin"])
def test_only_department_staff_create(world, role):
    with pytest.raises(PermissionDenied):
        services.enterprise_create(user=world.users[role], data=data())
    assert not Enterprise.objects.filter(name="服务测试有限公司").exists()


@pytest.mark.parametrize("role", ["staff_b", "leader", "enterprise", "other_staff"])
def test_only_the_keeping_department_updates(world, role):
    a1 = world.enterprises["a1"]
    with pytest.raises(PermissionDenied):
        services.enterprise_update(user=world.users[role], enterprise=a1, data={"name": "越权"})
    a1.refresh_from_db()
    assert a1.name != "越权" and not ObjectChange.objects.exists()


@pytest.mark.parametrize("field,value,message", [
    ("uscc", "91500107000000019X", "校验位错误"),
    ("uscc", "9150010700000001", "应为 18 位"),
    ("industry_code", "9999", "不在 GB/T 4754-2017 小类中"),
    ("industry_code", "A3971", "门类字母应为“C”"),
])
def test_invalid_codes_are_refused_with_the_rule_in_chinese(world, field, value, message):
    with pytest.raises(ValidationError) as exc:
        services.enterprise_create(user=world.users["staff_a"], data=data(**{field: value}))
    assert message in " ".join(exc.value.message_dict[field])
    assert not ObjectChange.objects.exists()


def test_uscc_is_unique_within_the_zone_only(world):
    with pytest.raises(ValidationError, match="本园区已登记该统一社会信用代码"):
        services.enterprise_create(user=world.users["staff_a"], data=data(uscc=world.enterprises["b1"].uscc))
    # the same code may exist in another zone
    services.enterprise_create(user=world.users["other_staff"], data=data(uscc=world.enterprises["a1"].uscc))


def test_update_records_before_and_after(world):
    a2 = world.enterprises["a2"]
    services.enterprise_update(user=world.users["staff_a"], enterprise=a2, data={"size": "规上"}, message="升规")
    record = ObjectChange.objects.get()
    assert record.action == ChangeAction.UPDATE and record.message == "升规"
    assert record.diff() == [("size", "规下", "规上")]


def test_delete_refused_with_parcels_or_users(world):
    staff = world.users["staff_a"]
    with pytest.raises(ValidationError, match="仍有关联的地块、租赁或用户"):
        services.enterprise_delete(user=staff, enterprise=world.enterprises["a1"])  # holds P-A1, has a user
    assert Enterprise.objects.filter(pk=world.enterprises["a1"].pk).exists()
    assert not ObjectChange.objects.exists()


def test_delete_is_audited(world):
    a2 = world.enterprises["a2"]
    services.enterprise_delete(user=world.users["staff_a"], enterprise=a2, message="注销")
    record = ObjectChange.objects.get()
    assert record.action == ChangeAction.DELETE and record.object_id == a2.pk and record.message == "注销"


def test_lookup_by_uscc_spans_departments_but_not_zones(world):
    b1 = world.enterprises["b1"]
    assert selectors.enterprise_by_uscc(zone=world.zone, code=b1.uscc.lower()) == b1
    assert selectors.enterprise_by_uscc(zone=world.zone, code=world.enterprises["other"].uscc) is None


def test_choices_are_the_visible_enterprises_of_the_users_zone(world):
    chosen = set(selectors.enterprise_choices_for_user(user=world.users["staff_a"]))
    assert chosen == {world.enterprises["a1"], world.enterprises["a2"]}
    leader = world.users["leader"]
    leader.extra_zones.add(world.other_zone)
    assert world.enterprises["other"] not in set(selectors.enterprise_choices_for_user(user=leader))
    with_current = selectors.enterprise_choices_for_user(user=world.users["staff_a"], include=world.enterprises["b1"])
    assert world.enterprises["b1"] in set(with_current)
