"""Password expiry and idle timeout, applied by PasswordExpiryMiddleware on every authenticated request."""

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from gaoxin.accounts.models import SecurityPolicy, User

CHANGE = "/accounts/password/"


def age_password(user, days):
    User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - dt.timedelta(days=days))


@pytest.fixture
def staff(world, client):
    user = world.users["staff_a"]
    client.force_login(user)
    return user


def test_fresh_password_is_not_redirected(staff, client):
    assert client.get("/accounts/tokens/").status_code == 200


def test_expired_password_redirects_every_page_to_the_change_page(staff, client):
    age_password(staff, 91)
    response = client.get("/accounts/tokens/?x=1")
    assert response.status_code == 302
    assert response["Location"] == f"{CHANGE}?next=/accounts/tokens/%3Fx%3D1"
    assert client.get(reverse("home")).status_code == 302
    page = client.get(CHANGE)
    assert page.status_code == 200
    assert "已超过 90 天未修改" in page.content.decode()


def test_password_never_set_by_the_user_must_be_changed(staff, client):
    User.objects.filter(pk=staff.pk).update(password_changed_at=None)
    assert client.get("/accounts/tokens/")["Location"].startswith(CHANGE)


def test_exempt_paths_stay_reachable(staff, client):
    age_password(staff, 200)
    assert client.get(CHANGE).status_code == 200
    assert client.get("/jsi18n/").status_code == 200
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302
    response = client.post("/accounts/logout/")
    assert response["Location"] == reverse("accounts:login")


def test_api_gets_json_403(staff, client):
    age_password(staff, 91)
    response = client.get("/api/v1/enterprises")
    assert response.status_code == 403
    body = json.loads(response.content)
    assert body["code"] == "password_expired"
    assert "修改密码" in body["message"]


def test_htmx_requests_are_told_to_redirect(staff, client):
    age_password(staff, 91)
    response = client.get("/accounts/tokens/", HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"].startswith(CHANGE)


def test_policy_max_age_is_used_and_zero_means_never(staff, client):
    age_password(staff, 40)
    assert client.get("/accounts/tokens/").status_code == 200
    SecurityPolicy.objects.filter(pk=1).update(password_max_age_days=30)
    assert client.get("/accounts/tokens/").status_code == 302
    SecurityPolicy.objects.filter(pk=1).update(password_max_age_days=0)
    assert client.get("/accounts/tokens/").status_code == 200


def test_changing_the_password_lifts_the_redirect(staff, client):
    from tests.factories import PASSWORD

    age_password(staff, 91)
    response = client.post(CHANGE, {"old_password": PASSWORD, "new_password1": "Fresh#Start2026",
                                    "new_password2": "Fresh#Start2026", "next": "/accounts/tokens/"})
    assert response.status_code == 302 and response["Location"] == "/accounts/tokens/"
    assert client.get("/accounts/tokens/").status_code == 200  # session kept after the change


def test_idle_timeout_comes_from_the_policy(staff, client):
    client.get("/accounts/tokens/")
    assert client.session.get_expiry_age() == 30 * 60
    SecurityPolicy.objects.filter(pk=1).update(session_idle_minutes=10)
    client.get("/accounts/tokens/")
    assert client.session.get_expiry_age() == 10 * 60


def test_policy_defaults_come_from_settings(db, settings):
    settings.GAOXIN_PASSWORD_MAX_AGE_DAYS = 60
    settings.SESSION_COOKIE_AGE = 20 * 60
    policy = SecurityPolicy.current()
    assert (policy.password_max_age_days, policy.lockout_threshold, policy.lockout_minutes,
            policy.session_idle_minutes) == (60, 5, 15, 20)
