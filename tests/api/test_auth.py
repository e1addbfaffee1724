"""Who may call the API: tokens acting as their user, the web session, and every way of being refused."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from gaoxin.accounts.models import ApiToken
from gaoxin.core.audit.models import SecurityEvent, SecurityEventKind

from .conftest import Api, has_chinese, make_token


def assert_unauthorized(response):
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == "unauthorized"
    assert has_chinese(body["message"])
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_valid_token_acts_as_its_user(world):
    response = Api(make_token(world.users["staff_a"])).get("/enterprises")
    assert response.status_code == 200
    assert response.json()["count"] == 2  # staff_a's department, not the zone
    assert response["Cache-Control"] == "no-store"


def test_missing_token(world):
    assert_unauthorized(Api().get("/enterprises"))
    assert_unauthorized(Api().post("/enterprises", {"name": "x"}))  # 401, not a CSRF 403


@pytest.mark.parametrize("header", ["Bearer gx_not-a-real-token", "Bearer ", "Bearer"])
def test_unknown_or_empty_token(world, header):
    response = Client().get("/api/v1/enterprises", headers={"Authorization": header})
    assert_unauthorized(response)


def test_unknown_token_is_a_failed_login_event(world):
    before = SecurityEvent.objects.count()
    assert_unauthorized(Api("gx_wrong").get("/enterprises"))
    events = SecurityEvent.objects.all()[: SecurityEvent.objects.count() - before]
    assert [(e.kind, e.success, e.via) for e in events] == [(SecurityEventKind.LOGIN_FAILED, False, "api")]
    assert events[0].detail.startswith("API token")
    assert "gx_wrong" not in events[0].detail  # a mistyped secret is not written to the log


def test_revoked_token(world):
    key = make_token(world.users["staff_a"], revoked_at=timezone.now())
    response = Api(key).get("/enterprises")
    assert_unauthorized(response)
    assert "撤销" in response.json()["message"]
    event = SecurityEvent.objects.filter(kind=SecurityEventKind.LOGIN_FAILED).first()
    assert event.user == world.users["staff_a"] and event.detail.startswith("API token")


def test_expired_token(world):
    key = make_token(world.users["staff_a"], expires_at=timezone.now() - dt.timedelta(minutes=1))
    response = Api(key).get("/enterprises")
    assert_unauthorized(response)
    assert "过期" in response.json()["message"]


def test_token_not_yet_expired_works(world):
    key = make_token(world.users["staff_a"], expires_at=timezone.now() + dt.timedelta(days=1))
    assert Api(key).get("/enterprises").status_code == 200


def test_inactive_users_token_is_refused(world):
    user = world.users["staff_a"]
    key = make_token(user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert_unauthorized(Api(key).get("/enterprises"))
    assert_unauthorized(Api(key).post("/enterprises", {"name": "x"}))


def test_last_used_is_written_at_most_once_a_minute(world):
    key = make_token(world.users["staff_a"])
    token = ApiToken.objects.get(key_hash=ApiToken.hash_key(key))
    assert token.last_used_at is None
    Api(key).get("/enterprises")
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None

    recent = timezone.now() - dt.timedelta(seconds=30)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=recent)
    Api(key).get("/enterprises")
    token.refresh_from_db()
    assert token.last_used_at == recent

    stale = timezone.now() - dt.timedelta(minutes=2)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=stale)
    Api(key).get("/enterprises")
    token.refresh_from_db()
    assert token.last_used_at > stale


def test_no_security_event_per_successful_call(world):
    key = make_token(world.users["leader"])
    before = SecurityEvent.objects.count()
    for _ in range(3):
        assert Api(key).get("/enterprises").status_code == 200
    assert SecurityEvent.objects.count() == before


def test_session_reads(world):
    client = Client()
    client.force_login(world.users["leader"])
    response = client.get("/api/v1/enterprises")
    assert response.status_code == 200
    assert response.json()["count"] == 3


def test_session_writes_need_csrf(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["staff_a"])
    body = {"uscc": "91350100M000100Y43", "name": "会话企业", "industry_code": "3971", "size": "规上"}
    refused = Api(client=client).post("/enterprises", body)
    assert refused.status_code == 403
    assert refused.json()["code"] == "forbidden" and "CSRF" in refused.json()["message"]

    client.get("/api/v1/docs")  # renders {{ csrf_token }}, which sets the cookie
    token = client.cookies["csrftoken"].value
    accepted = client.post("/api/v1/enterprises", data=body, content_type="application/json",
                           headers={"X-CSRFToken": token})
    assert accepted.status_code == 201, accepted.content


def test_bad_token_does_not_fall_back_to_the_session(world):
    client = Client()
    client.force_login(world.users["leader"])
    assert_unauthorized(Api("gx_wrong", client=client).get("/enterprises"))


def test_token_of_one_user_never_sees_anothers_session_scope(world):
    # a staff token used from a leader's browser acts as the staff member
    client = Client()
    client.force_login(world.users["leader"])
    response = Api(make_token(world.users["staff_b"]), client=client).get("/enterprises")
    assert response.json()["count"] == 1
