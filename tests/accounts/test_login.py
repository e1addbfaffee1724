"""Login, logout and lockout (等保2.0 8.1.4.1 b) and their security events (8.1.4.3)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from gaoxin.accounts.backends import register_failure
from gaoxin.accounts.models import SecurityPolicy, User
from gaoxin.core.audit.models import SecurityEvent
from tests.factories import PASSWORD

LOGIN = "/accounts/login/"


def post_login(client, username, password, ip="10.1.2.3"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def events(kind):
    return list(SecurityEvent.objects.filter(kind=kind).order_by("id"))


def test_login_page_is_public_and_has_the_form(db, client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    html = response.content.decode()
    for needle in ('name="username"', 'name="password"', 'type="submit"', "登录"):
        assert needle in html


def test_successful_login_records_one_event(world, client):
    response = post_login(client, "staff_a", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    [event] = events("login")
    assert (event.user, event.user_name, event.ip, event.success) == (world.users["staff_a"], "staff_a", "10.1.2.3", True)
    assert event.zone == world.zone
    assert not events("login_failed")


def test_failed_login_records_username_and_ip(world, client):
    response = post_login(client, "staff_a", "wrong-password", ip="192.0.2.7")
    assert response.status_code == 200
    assert "用户名或密码错误" in response.content.decode()
    [event] = events("login_failed")
    assert (event.user_name, event.ip, event.success) == ("staff_a", "192.0.2.7", False)
    assert event.user == world.users["staff_a"]
    assert event.detail == "密码错误"


def test_failed_login_with_unknown_username_is_recorded(db, client):
    post_login(client, "nobody-here", "whatever", ip="198.51.100.9")
    [event] = events("login_failed")
    assert (event.user, event.user_name, event.ip, event.detail) == (None, "nobody-here", "198.51.100.9", "用户名不存在")


def test_inactive_account_cannot_log_in(world, client):
    User.objects.filter(username="staff_a").update(is_active=False)
    post_login(client, "staff_a", PASSWORD)
    assert "_auth_user_id" not in client.session
    assert events("login_failed")[0].detail == "账户已停用"


def test_lockout_after_five_failures_for_fifteen_minutes(world, client):
    for _i in range(4):
        post_login(client, "staff_a", "wrong")
    user = User.objects.get(username="staff_a")
    assert user.failed_logins == 4 and user.locked_until is None
    response = post_login(client, "staff_a", "wrong")
    user.refresh_from_db()
    assert user.is_locked
    minutes = (user.locked_until - timezone.now()).total_seconds() / 60
    assert 14 < minutes <= 15
    until = timezone.localtime(user.locked_until).strftime("%H:%M")
    assert f"锁定至 {until}" in response.content.decode()
    [locked] = events("locked")
    assert locked.user == user and "连续 5 次" in locked.detail
    assert len(events("login_failed")) == 5

    # While locked even the right password fails, says so, and does not extend the lock.
    locked_until = user.locked_until
    response = post_login(client, "staff_a", PASSWORD)
    assert "_auth_user_id" not in client.session
    assert f"锁定至 {until}" in response.content.decode()
    user.refresh_from_db()
    assert user.locked_until == locked_until
    assert events("login_failed")[-1].detail == "账户已锁定"
    assert len(events("locked")) == 1


def test_lock_runs_out(world, client, monkeypatch):
    for _i in range(5):
        post_login(client, "staff_a", "wrong")
    user = User.objects.get(username="staff_a")
    later = user.locked_until + dt.timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    response = post_login(client, "staff_a", PASSWORD)
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.failed_logins == 0 and user.locked_until is None


def test_success_resets_the_counter(world, client):
    for _i in range(4):
        post_login(client, "staff_a", "wrong")
    post_login(client, "staff_a", PASSWORD)
    assert User.objects.get(username="staff_a").failed_logins == 0
    client.logout()
    for _i in range(4):
        post_login(client, "staff_a", "wrong")
    assert not User.objects.get(username="staff_a").is_locked


def test_policy_threshold_and_duration_apply(world):
    policy = SecurityPolicy.current()
    policy.lockout_threshold, policy.lockout_minutes = 3, 60
    policy.save()
    user = world.users["leader"]
    assert register_failure(user.pk, policy) is None
    assert register_failure(user.pk, policy) is None
    until = register_failure(user.pk, policy)
    assert until is not None
    assert 59 < (until - timezone.now()).total_seconds() / 60 <= 60


def test_logout_is_post_only_and_recorded(world, client):
    client.force_login(world.users["staff_a"])
    assert client.get("/accounts/logout/").status_code == 405
    assert "_auth_user_id" in client.session
    response = client.post("/accounts/logout/", REMOTE_ADDR="10.9.9.9")
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")
    assert "_auth_user_id" not in client.session
    [event] = events("logout")
    assert (event.user, event.ip) == (world.users["staff_a"], "10.9.9.9")


def test_login_required_pages_redirect_to_login(db, client):
    response = client.get("/accounts/tokens/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("path", ["/accounts/login/"])
def test_logged_in_user_visiting_login_goes_home(world, client, path):
    client.force_login(world.users["staff_a"])
    response = client.get(path)
    assert response.status_code == 302 and response["Location"] == reverse("home")
