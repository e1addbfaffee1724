"""Account services: 三权分立, validation, and the audit trail each write leaves."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError

from gaoxin.accounts import services
from gaoxin.accounts.models import ApiToken, Department, SecurityPolicy, User, Zone
from gaoxin.core.audit.context import Actor, acting_as
from gaoxin.core.audit.models import ObjectChange, SecurityEvent
from gaoxin.core.permissions import Role

NEW_PASSWORD = "Welcome#2026abc"


def as_web(user):
    """Run as if inside a web request of `user` (the CLI/system shortcut must not apply)."""
    return acting_as(Actor(user=user, name=user.username, ip="10.0.0.1", via="web"))


def kinds():
    return list(SecurityEvent.objects.order_by("id").values_list("kind", flat=True))


def staff_data(world, **extra):
    data = {"username": "new_staff", "zone": world.zone, "role": Role.DEPARTMENT_STAFF,
            "department": world.dept_a, "display_name": "新员工"}
    data.update(extra)
    return data


def test_system_admin_creates_an_account(world):
    admin = world.users["system_admin"]
    with as_web(admin):
        user = services.user_create(user=admin, data=staff_data(world), password=NEW_PASSWORD)
    assert user.check_password(NEW_PASSWORD)
    assert user.password_changed_at is not None
    assert user.password_history.count() == 1
    event = SecurityEvent.objects.get(kind="user_created")
    assert (event.user, event.ip) == (admin, "10.0.0.1")
    assert "new_staff" in event.detail
    change = ObjectChange.objects.get(content_type=ContentType.objects.get_for_model(User), object_id=user.pk)
    assert change.action == "create" and "password" not in change.postchange_data


def test_must_change_password_leaves_the_change_time_empty(world):
    admin = world.users["system_admin"]
    with as_web(admin):
        user = services.user_create(user=admin, data=staff_data(world), password=NEW_PASSWORD,
                                    must_change_password=True)
    assert user.password_changed_at is None


def test_user_create_reports_every_error_and_writes_nothing(world):
    admin = world.users["system_admin"]
    before = User.objects.count()
    with as_web(admin), pytest.raises(ValidationError) as exc:
        services.user_create(user=admin, data=staff_data(world, username="staff_a", department=None),
                             password="short")
    errors = exc.value.message_dict
    assert set(errors) >= {"username", "department", "password"}
    assert User.objects.count() == before
    assert not SecurityEvent.objects.filter(kind="user_created").exists()


def test_department_must_belong_to_the_zone(world):
    admin = world.users["system_admin"]
    other_dept = Department.objects.get(zone=world.other_zone)
    with as_web(admin), pytest.raises((ValidationError, PermissionDenied)):
        services.user_create(user=admin, data=staff_data(world, department=other_dept), password=NEW_PASSWORD)


def test_zone_bound_admin_cannot_create_accounts_in_another_zone(world):
    admin = world.users["system_admin"]
    with as_web(admin), pytest.raises(ValidationError) as exc:
        services.user_create(user=admin, data={"username": "x", "zone": world.other_zone,
                                               "role": Role.ZONE_LEADER}, password=NEW_PASSWORD)
    assert "zone" in exc.value.message_dict


@pytest.mark.parametrize("role", ["security_admin", "audit_admin", "leader", "staff_a", "enterprise"])
def test_only_the_system_admin_manages_accounts(world, role):
    actor = world.users[role]
    target = world.users["staff_b"]
    with as_web(actor):
        with pytest.raises(PermissionDenied):
            services.user_create(user=actor, data=staff_data(world), password=NEW_PASSWORD)
        with pytest.raises(PermissionDenied):
            services.user_update(user=actor, target=target, data={"display_name": "x"})
        with pytest.raises(PermissionDenied):
            services.user_deactivate(user=actor, target=target)
        with pytest.raises(PermissionDenied):
            services.department_create(user=actor, zone=world.zone, code="new", name="新部门")


@pytest.mark.parametrize("role", ["system_admin", "audit_admin", "leader", "staff_a"])
def test_only_the_security_admin_unlocks_resets_and_sets_policy(world, role):
    actor = world.users[role]
    target = world.users["staff_b"]
    with as_web(actor):
        with pytest.raises(PermissionDenied):
            services.user_unlock(user=actor, target=target)
        with pytest.raises(PermissionDenied):
            services.user_reset_password(user=actor, target=target)
        with pytest.raises(PermissionDenied):
            services.security_policy_update(user=actor, data={"lockout_threshold": 3})


def test_role_change_records_both_events_and_the_diff(world):
    admin = world.users["system_admin"]
    target = world.users["leader"]
    with as_web(admin):
        services.user_update(user=admin, target=target, data={"role": Role.SECURITY_ADMIN, "display_name": "王"})
    target.refresh_from_db()
    assert target.role == Role.SECURITY_ADMIN
    assert kinds() == ["role_changed", "user_changed"]
    role_event = SecurityEvent.objects.get(kind="role_changed")
    assert "园区领导 → 安全管理员" in role_event.detail
    change = ObjectChange.objects.get(action="update")
    assert dict((f, (b, a)) for f, b, a in change.diff()) == {
        "role": ("zone_leader", "security_admin"), "display_name": ("leader", "王")}


def test_no_op_update_writes_nothing(world):
    admin = world.users["system_admin"]
    target = world.users["leader"]
    with as_web(admin):
        services.user_update(user=admin, target=target, data={"display_name": target.display_name})
    assert not SecurityEvent.objects.exists() and not ObjectChange.objects.exists()


def test_nobody_changes_their_own_role_or_deactivates_themselves(world):
    admin = world.users["system_admin"]
    with as_web(admin):
        with pytest.raises(ValidationError) as exc:
            services.user_update(user=admin, target=admin, data={"role": Role.AUDIT_ADMIN})
        assert "role" in exc.value.message_dict
        with pytest.raises(ValidationError):
            services.user_deactivate(user=admin, target=admin)
    admin.refresh_from_db()
    assert admin.role == Role.SYSTEM_ADMIN and admin.is_active


def test_deactivate(world):
    admin = world.users["system_admin"]
    target = world.users["staff_b"]
    with as_web(admin):
        services.user_deactivate(user=admin, target=target)
    target.refresh_from_db()
    assert not target.is_active
    assert "已停用" in SecurityEvent.objects.get(kind="user_changed").detail


def test_security_admin_unlocks_and_resets(world):
    sec = world.users["security_admin"]
    target = world.users["staff_b"]
    User.objects.filter(pk=target.pk).update(failed_logins=3, locked_until="2999-01-01T00:00Z")
    target.refresh_from_db()
    with as_web(sec):
        services.user_unlock(user=sec, target=target)
        temporary = services.user_reset_password(user=sec, target=target)
    target.refresh_from_db()
    assert target.failed_logins == 0 and target.locked_until is None
    assert target.check_password(temporary)
    assert target.password_changed_at is None  # must change at next login
    assert kinds() == ["unlocked", "password_reset"]
    assert all(e.user == sec for e in SecurityEvent.objects.all())
    assert "staff_b" in SecurityEvent.objects.get(kind="password_reset").detail


def test_security_policy_update_validates_and_records(world):
    sec = world.users["security_admin"]
    with as_web(sec):
        with pytest.raises(ValidationError) as exc:
            services.security_policy_update(user=sec, data={"lockout_threshold": 0, "session_idle_minutes": 9999})
        assert set(exc.value.message_dict) == {"lockout_threshold", "session_idle_minutes"}
        services.security_policy_update(user=sec, data={"password_max_age_days": 60, "lockout_minutes": 30})
    policy = SecurityPolicy.current()
    assert (policy.password_max_age_days, policy.lockout_minutes) == (60, 30)
    event = SecurityEvent.objects.get(kind="policy_changed")
    assert "90 → 60" in event.detail and "15 → 30" in event.detail


def test_zone_and_department_writes_leave_object_changes(world):
    admin = world.users["system_admin"]
    with as_web(admin):
        dept = services.department_create(user=admin, zone=world.zone, code="kjj", name="科技局")
        services.department_update(user=admin, department=dept, data={"name": "科技创新局"})
        with pytest.raises(ValidationError):
            services.department_create(user=admin, zone=world.zone, code="jxj", name="重复")
        with pytest.raises(PermissionDenied):
            services.department_create(user=admin, zone=world.other_zone, code="kjj", name="科技局")
    ct = ContentType.objects.get_for_model(Department)
    assert list(ObjectChange.objects.filter(content_type=ct).order_by("id").values_list("action", flat=True)) == [
        "create", "update"]


def test_zone_create_needs_an_admin_without_a_zone(world):
    admin = world.users["system_admin"]
    with as_web(admin), pytest.raises(PermissionDenied):
        services.zone_create(user=admin, code="t3", name="第三园区")
    global_admin = User.objects.create(username="root_admin", role=Role.SYSTEM_ADMIN)
    with as_web(global_admin):
        zone = services.zone_create(user=global_admin, code="t3", name="第三园区")
    assert sorted(zone.departments.values_list("code", flat=True)) == ["gfj", "jsj", "jxj", "tzcj", "zwzx"]
    assert ObjectChange.objects.filter(action="create").count() == 6


def test_cli_context_may_act_without_a_user_but_web_may_not(world):
    with acting_as(Actor(name="cli:ops", via="cli")):
        zone = services.zone_create(user=None, code="t3", name="第三园区")
    assert ObjectChange.objects.filter(object_id=zone.pk, user_name="cli:ops", via="cli").exists()
    with acting_as(Actor(name="", via="web")), pytest.raises(PermissionDenied):
        services.zone_create(user=None, code="t4", name="第四园区")
    assert not Zone.objects.filter(code="t4").exists()


def test_api_token_stores_only_the_hash(world):
    user = world.users["staff_a"]
    with as_web(user):
        token, key = services.api_token_create(user=user, name="大屏对接")
    stored = ApiToken.objects.get(pk=token.pk)
    assert key.startswith("gx_") and len(key) > 40
    assert stored.key_hash == ApiToken.hash_key(key) != key
    assert key not in str(ApiToken.objects.filter(pk=token.pk).values().get())
    assert stored.prefix == key[:8]
    assert "gx_" in SecurityEvent.objects.get(kind="token_created").detail
    assert key not in SecurityEvent.objects.get(kind="token_created").detail


def test_api_token_revoke_by_owner_only(world):
    owner, other = world.users["staff_a"], world.users["staff_b"]
    with as_web(owner):
        token, _key = services.api_token_create(user=owner, name="脚本")
    with as_web(other), pytest.raises(PermissionDenied):
        services.api_token_revoke(user=other, token=token)
    with as_web(owner):
        services.api_token_revoke(user=owner, token=token)
        services.api_token_revoke(user=owner, token=token)  # twice: one event
    token.refresh_from_db()
    assert token.revoked_at is not None and not token.is_valid
    assert SecurityEvent.objects.filter(kind="token_revoked").count() == 1


def test_api_token_needs_a_name(world):
    user = world.users["staff_a"]
    with as_web(user), pytest.raises(ValidationError) as exc:
        services.api_token_create(user=user, name="  ")
    assert "name" in exc.value.message_dict
    assert not ApiToken.objects.exists()


def test_generated_passwords_meet_the_policy(world):
    from django.contrib.auth import password_validation

    for _i in range(20):
        password = services.generate_password(username="staff_a")
        password_validation.validate_password(password, User(username="staff_a"))
