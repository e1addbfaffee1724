"""Account pages: who may open which (三权分立), and what the forms do."""

import pytest
from django.urls import reverse

from gaoxin.accounts.models import ApiToken, SecurityPolicy, User
from gaoxin.core.audit.models import SecurityEvent
from gaoxin.core.permissions import Role

ROLES = ["system_admin", "security_admin", "audit_admin", "leader", "staff_a", "enterprise"]


def page_access(world):
    staff = world.users["staff_b"].pk
    dept = world.dept_a.pk
    return {
        reverse("accounts:user_list"): {"system_admin", "security_admin"},
        reverse("accounts:user_add"): {"system_admin"},
        reverse("accounts:user_edit", args=[staff]): {"system_admin"},
        reverse("accounts:department_list"): {"system_admin"},
        reverse("accounts:department_add"): {"system_admin"},
        reverse("accounts:department_edit", args=[dept]): {"system_admin"},
        reverse("accounts:user_reset_password", args=[staff]): {"security_admin"},
        reverse("accounts:security_policy"): {"security_admin"},
        reverse("accounts:login_events"): {"security_admin"},
        reverse("core:audit"): {"audit_admin"},
        reverse("core:security_log"): {"audit_admin"},
        reverse("accounts:tokens"): set(ROLES),
        reverse("accounts:password_change"): set(ROLES),
    }


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reaches_exactly_its_pages(world, client, role):
    client.force_login(world.users[role])
    for url, allowed in page_access(world).items():
        status = client.get(url).status_code
        assert status == (200 if role in allowed else 403), (role, url, status)


def test_denied_access_is_a_security_event(world, client):
    client.force_login(world.users["system_admin"])
    client.get(reverse("core:audit"), REMOTE_ADDR="10.7.7.7")
    event = SecurityEvent.objects.get(kind="permission_denied")
    assert (event.user, event.ip, event.success) == (world.users["system_admin"], "10.7.7.7", False)


def test_system_admin_adds_a_user(world, client):
    client.force_login(world.users["system_admin"])
    response = client.post(reverse("accounts:user_add"), {
        "username": "zhang3", "display_name": "张三", "zone": world.zone.pk, "role": Role.DEPARTMENT_STAFF,
        "department": world.dept_b.pk, "password1": "Zhang#San2026", "password2": "Zhang#San2026",
        "must_change_password": "on",
    })
    assert response.status_code == 302 and response["Location"] == reverse("accounts:user_list")
    user = User.objects.get(username="zhang3")
    assert (user.department, user.password_changed_at) == (world.dept_b, None)


def test_add_user_shows_errors_inline_and_writes_nothing(world, client):
    client.force_login(world.users["system_admin"])
    response = client.post(reverse("accounts:user_add"), {
        "username": "zhang3", "zone": world.zone.pk, "role": Role.DEPARTMENT_STAFF,
        "password1": "zhang3zhang3", "password2": "zhang3zhang3",
    }, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert "部门工作人员必须指定部门" in html
    assert "密码不能包含用户名" in html
    assert not User.objects.filter(username="zhang3").exists()


def test_htmx_success_redirects_with_a_header(world, client):
    client.force_login(world.users["system_admin"])
    response = client.post(reverse("accounts:user_add"), {
        "username": "li4", "zone": world.zone.pk, "role": Role.ZONE_LEADER,
        "password1": "Li#Si2026pass", "password2": "Li#Si2026pass",
    }, HTTP_HX_REQUEST="true")
    assert response.status_code == 204 and response["HX-Redirect"] == reverse("accounts:user_list")


def test_enterprise_user_is_linked_by_uscc(world, client):
    client.force_login(world.users["system_admin"])
    ent = world.enterprises["a2"]
    response = client.post(reverse("accounts:user_add"), {
        "username": "ent2", "zone": world.zone.pk, "role": Role.ENTERPRISE, "enterprise_uscc": ent.uscc.lower(),
        "password1": "Qiye#User2026", "password2": "Qiye#User2026",
    })
    assert response.status_code == 302
    assert User.objects.get(username="ent2").enterprise == ent
    response = client.post(reverse("accounts:user_add"), {
        "username": "ent3", "zone": world.zone.pk, "role": Role.ENTERPRISE,
        "enterprise_uscc": world.enterprises["other"].uscc,  # registered in the other zone only
        "password1": "Qiye#User2026", "password2": "Qiye#User2026",
    })
    assert "没有统一社会信用代码为" in response.content.decode()


def test_edit_own_account_cannot_change_role(world, client):
    admin = world.users["system_admin"]
    client.force_login(admin)
    url = reverse("accounts:user_edit", args=[admin.pk])
    response = client.post(url, {"display_name": "管理员", "zone": world.zone.pk, "role": Role.AUDIT_ADMIN})
    assert response.status_code == 302  # the disabled role field keeps its value
    admin.refresh_from_db()
    assert admin.role == Role.SYSTEM_ADMIN and admin.display_name == "管理员"


def test_security_admin_sees_the_list_read_only(world, client):
    client.force_login(world.users["security_admin"])
    html = client.get(reverse("accounts:user_list")).content.decode()
    assert reverse("accounts:user_add") not in html
    assert reverse("accounts:user_edit", args=[world.users["staff_b"].pk]) not in html
    assert reverse("accounts:user_reset_password", args=[world.users["staff_b"].pk]) in html
    response = client.post(reverse("accounts:user_edit", args=[world.users["staff_b"].pk]), {"role": "audit_admin"})
    assert response.status_code == 403


def test_user_list_search_and_role_filter(world, client):
    client.force_login(world.users["system_admin"])
    html = client.get(reverse("accounts:user_list"), {"role": Role.DEPARTMENT_STAFF}).content.decode()
    assert "staff_a" in html and "staff_b" in html and "auditadmin" not in html
    assert "other_staff" not in html  # another zone
    html = client.get(reverse("accounts:user_list"), {"q": "staff_b"}).content.decode()
    assert "staff_b" in html and "staff_a" not in html


def test_unlock_and_reset_password_pages(world, client):
    target = world.users["staff_b"]
    User.objects.filter(pk=target.pk).update(failed_logins=5, locked_until="2999-01-01T00:00Z")
    client.force_login(world.users["security_admin"])
    assert "解锁" in client.get(reverse("accounts:user_list")).content.decode()
    assert client.get(reverse("accounts:user_unlock", args=[target.pk])).status_code == 405
    client.post(reverse("accounts:user_unlock", args=[target.pk]))
    target.refresh_from_db()
    assert not target.is_locked
    response = client.post(reverse("accounts:user_reset_password", args=[target.pk]))
    temporary = response.context["password"]
    assert temporary in response.content.decode()
    target.refresh_from_db()
    assert target.check_password(temporary)


def test_security_policy_page(world, client):
    client.force_login(world.users["security_admin"])
    response = client.post(reverse("accounts:security_policy"), {
        "password_max_age_days": 60, "lockout_threshold": 5, "lockout_minutes": 30, "session_idle_minutes": 20})
    assert response.status_code == 302
    assert SecurityPolicy.current().session_idle_minutes == 20
    response = client.post(reverse("accounts:security_policy"), {
        "password_max_age_days": 999, "lockout_threshold": 5, "lockout_minutes": 30, "session_idle_minutes": 20})
    assert response.status_code == 200
    assert "365" in response.content.decode()
    assert SecurityPolicy.current().password_max_age_days == 60


def test_tokens_page_shows_the_key_once_and_revokes(world, client):
    user = world.users["enterprise"]
    client.force_login(user)
    response = client.post(reverse("accounts:tokens"), {"name": "ERP 对接", "lifetime": "90"})
    key = response.context["new_key"]
    assert key and key in response.content.decode()
    token = ApiToken.objects.get(user=user)
    assert token.key_hash == ApiToken.hash_key(key) and token.expires_at is not None
    assert key not in client.get(reverse("accounts:tokens")).content.decode()
    assert client.get(reverse("accounts:token_revoke", args=[token.pk])).status_code == 405
    client.post(reverse("accounts:token_revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_nobody_revokes_another_users_token(world, client):
    owner = world.users["staff_a"]
    client.force_login(owner)
    client.post(reverse("accounts:tokens"), {"name": "脚本", "lifetime": "0"})
    token = ApiToken.objects.get(user=owner)
    assert token.expires_at is None
    client.force_login(world.users["security_admin"])
    assert client.post(reverse("accounts:token_revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_password_change_page_errors(world, client):
    from tests.factories import PASSWORD

    client.force_login(world.users["staff_a"])
    response = client.post(reverse("accounts:password_change"), {
        "old_password": "wrong", "new_password1": "Fresh#Start2026", "new_password2": "Fresh#Start2026"})
    assert "原密码不正确" in response.content.decode()
    response = client.post(reverse("accounts:password_change"), {
        "old_password": PASSWORD, "new_password1": PASSWORD, "new_password2": PASSWORD})
    assert "最近 5 次" in response.content.decode()
    response = client.post(reverse("accounts:password_change"), {
        "old_password": PASSWORD, "new_password1": "Fresh#Start2026", "new_password2": "Other#Start2026"})
    assert "不一致" in response.content.decode()
    assert SecurityEvent.objects.filter(kind="password_changed").count() == 0
