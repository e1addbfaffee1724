"""Policy services: who writes, code uniqueness, budget against commitments, status moves, delete refusals."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gaoxin.core.audit.models import ChangeAction, ObjectChange
from gaoxin.policies.models import Award, Clause, Policy, PolicyStatus
from gaoxin.policies.services import policies as services
from gaoxin.policies.services import runs as run_services

from .policy_world import RETROFIT, SMART_FACTORY, make_policy, project

pytestmark = pytest.mark.django_db

DATA = {"code": "GX-1", "name": "十条措施", "valid_from": dt.date(2024, 1, 1), "valid_until": dt.date(2025, 12, 31),
        "budget_wan": Decimal("1000"), "entity_cap_wan": Decimal("500")}


def changes(obj, action=None):
    qs = ObjectChange.objects.filter(object_id=obj.pk, content_type__model=type(obj)._meta.model_name)
    return qs.filter(action=action) if action else qs


def test_staff_create_a_draft_in_their_department(world):
    policy = services.policy_create(user=world.users["staff_a"], data={**DATA, "code": " GX-1 "})
    assert (policy.code, policy.status, policy.department, policy.zone) == ("GX-1", "草稿", world.dept_a, world.zone)
    assert changes(policy, ChangeAction.CREATE).count() == 1


@pytest.mark.parametrize("role", ["leader", "enterprise", "system_admin", "audit_admin"])
def test_only_department_staff_create(world, role):
    with pytest.raises(PermissionDenied):
        services.policy_create(user=world.users[role], data=DATA)
    assert not Policy.objects.exists()


def test_code_is_unique_in_the_zone_and_reported_on_the_field(world):
    services.policy_create(user=world.users["staff_a"], data=DATA)
    with pytest.raises(ValidationError) as exc:
        services.policy_create(user=world.users["staff_b"], data=DATA)
    assert "code" in exc.value.message_dict
    other = services.policy_create(user=world.users["other_staff"], data=DATA)  # another zone may use it
    assert other.zone == world.other_zone


def test_validity_must_not_end_before_it_starts(world):
    with pytest.raises(ValidationError) as exc:
        services.policy_create(user=world.users["staff_a"], data={**DATA, "valid_until": dt.date(2023, 1, 1)})
    assert "valid_until" in exc.value.message_dict


def test_other_department_cannot_update_and_nothing_changes(world):
    policy = services.policy_create(user=world.users["staff_a"], data=DATA)
    with pytest.raises(PermissionDenied):
        services.policy_update(user=world.users["staff_b"], policy=policy, data={"name": "改名"})
    policy.refresh_from_db()
    assert policy.name == "十条措施"


def test_update_records_before_and_after(world):
    policy = services.policy_create(user=world.users["staff_a"], data=DATA)
    services.policy_update(user=world.users["staff_a"], policy=policy, data={"name": "新名称", "status": "已停止"})
    policy.refresh_from_db()
    assert policy.name == "新名称" and policy.status == "草稿"  # status moves only through policy_set_status
    change = changes(policy, ChangeAction.UPDATE).get()
    assert change.prechange_data["name"] == "十条措施" and change.postchange_data["name"] == "新名称"


def test_budget_cannot_fall_below_what_is_committed(world):
    a1 = world.enterprises["a1"]
    project(world, a1, "智能工厂", dt.date(2024, 1, 1), level="市级", certified=dt.date(2024, 5, 1))
    policy = make_policy(world, SMART_FACTORY, budget="1000")
    run_services.match_run_create(user=world.users["staff_a"], policy=policy, year=2024)
    assert Award.objects.get().amount_wan == Decimal("200.00")
    with pytest.raises(ValidationError) as exc:
        services.policy_update(user=world.users["staff_a"], policy=policy, data={"budget_wan": Decimal("199.99")})
    assert "200.00" in exc.value.message_dict["budget_wan"][0]
    services.policy_update(user=world.users["staff_a"], policy=policy, data={"budget_wan": Decimal("200")})


def test_status_moves(world):
    staff = world.users["staff_a"]
    policy = services.policy_create(user=staff, data=DATA)
    with pytest.raises(ValidationError, match="还没有启用的条款"):
        services.policy_set_status(user=staff, policy=policy, status=PolicyStatus.IN_FORCE)
    Clause.objects.create(zone=world.zone, department=world.dept_a, policy=policy, order=1, code="x", name="x",
                          when="rnd_new >= 1", amount_wan="50")
    with pytest.raises(ValidationError, match="不能从"):
        services.policy_set_status(user=staff, policy=policy, status=PolicyStatus.ENDED)
    policy = services.policy_set_status(user=staff, policy=policy, status=PolicyStatus.IN_FORCE)
    with pytest.raises(ValidationError, match="已经是"):
        services.policy_set_status(user=staff, policy=policy, status=PolicyStatus.IN_FORCE)
    with pytest.raises(ValidationError):
        services.policy_set_status(user=staff, policy=policy, status="作废")
    policy = services.policy_set_status(user=staff, policy=policy, status=PolicyStatus.ENDED)
    policy = services.policy_set_status(user=staff, policy=policy, status=PolicyStatus.IN_FORCE)
    assert policy.status == "实施中"
    assert [c.postchange_data["status"] for c in changes(policy, ChangeAction.UPDATE).order_by("time", "id")] == [
        "实施中", "已停止", "实施中"]
    with pytest.raises(PermissionDenied):
        services.policy_set_status(user=world.users["staff_b"], policy=policy, status=PolicyStatus.ENDED)


def test_back_to_draft_only_before_anything_ran(world):
    project(world, world.enterprises["a1"], "智能工厂", dt.date(2024, 1, 1), level="市级", certified=dt.date(2024, 5, 1))
    policy = make_policy(world, SMART_FACTORY)
    run_services.match_run_create(user=world.users["staff_a"], policy=policy, year=2024)
    with pytest.raises(ValidationError, match="不能退回草稿"):
        services.policy_set_status(user=world.users["staff_a"], policy=policy, status=PolicyStatus.DRAFT)


def test_delete_takes_the_clauses_along_and_audits_each(world):
    policy = make_policy(world, SMART_FACTORY, RETROFIT, status=PolicyStatus.DRAFT)
    clause_ids = list(policy.clauses.values_list("pk", flat=True))
    services.policy_delete(user=world.users["staff_a"], policy=policy, message="录错了")
    assert not Policy.objects.exists() and not Clause.objects.exists()
    assert changes(policy, ChangeAction.DELETE).get().message == "录错了"
    assert ObjectChange.objects.filter(action=ChangeAction.DELETE, content_type__model="clause",
                                       object_id__in=clause_ids).count() == 2


def test_delete_is_refused_once_a_run_exists(world):
    project(world, world.enterprises["a1"], "智能工厂", dt.date(2024, 1, 1), level="市级", certified=dt.date(2024, 5, 1))
    policy = make_policy(world, SMART_FACTORY)
    run = run_services.match_run_create(user=world.users["staff_a"], policy=policy, year=2024)
    run_services.match_run_cancel(user=world.users["staff_a"], run=run, reason="试算")
    with pytest.raises(ValidationError, match="不能删除"):
        services.policy_delete(user=world.users["staff_a"], policy=policy)
    assert Policy.objects.filter(pk=policy.pk).exists()
