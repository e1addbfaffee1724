"""The audit trail pages: audit admin only, read-only, filters that never 500."""

import datetime as dt
import uuid

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from gaoxin.core.audit.context import Actor, acting_as
from gaoxin.core.audit.models import ObjectChange, SecurityEvent
from gaoxin.enterprises.models import Enterprise
from gaoxin.enterprises.services import enterprise_update

AUDIT = reverse("core:audit")
SECURITY = reverse("core:security_log")


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def trail(world):
    """One update by staff_a in a known request, plus a failed login."""
    staff = world.users["staff_a"]
    request_id = uuid.uuid4()
    with acting_as(Actor(user=staff, name="staff_a", ip="10.2.3.4", request_id=request_id, via="web")):
        enterprise_update(user=staff, enterprise=world.enterprises["a1"], data={"name": "改名后的企业有限公司"})
    SecurityEvent.objects.create(kind="login_failed", success=False, user_name="intruder", via="web",
                                 ip="203.0.113.5", request_id=uuid.uuid4(), detail="用户名不存在")
    return request_id


@pytest.fixture
def auditor(world, client):
    client.force_login(world.users["audit_admin"])
    return client


def test_audit_log_shows_who_when_where_and_the_diff(trail, auditor):
    html = auditor.get(AUDIT).content.decode()
    for needle in ("staff_a", "10.2.3.4", "改名后的企业有限公司", "测试企业1有限公司", "企业名称", str(trail)[:8]):
        assert needle in html, needle


@pytest.mark.parametrize("params,found", [
    ({"user": "staff"}, True), ({"user": "nobody"}, False),
    ({"action": "update"}, True), ({"action": "delete"}, False),
    ({"q": "改名后"}, True), ({"q": "不存在的企业"}, False),
    ({"date_from": "2000-01-01", "date_to": "2999-12-31"}, True), ({"date_to": "2000-01-01"}, False),
])
def test_audit_log_filters(trail, auditor, params, found):
    assert ("改名后的企业有限公司" in auditor.get(AUDIT, params).content.decode()) is found


def test_audit_log_filters_by_object_type_and_request_id(trail, auditor):
    ct = ContentType.objects.get_for_model(Enterprise)
    assert "改名后" in auditor.get(AUDIT, {"object_type": ct.pk}).content.decode()
    assert "改名后" in auditor.get(AUDIT, {"request_id": str(trail)}).content.decode()
    assert "改名后" not in auditor.get(AUDIT, {"request_id": str(uuid.uuid4())}).content.decode()


@pytest.mark.parametrize("params", [
    {"request_id": "not-a-uuid"}, {"date_from": "2025-13-45"}, {"object_type": "abc"},
    {"date_from": "2026-02-01", "date_to": "2026-01-01"}, {"page": "x"},
])
def test_bad_filters_show_an_error_not_a_500(trail, auditor, params):
    response = auditor.get(AUDIT, params)
    assert response.status_code == 200
    if "page" not in params:
        assert "筛选条件有误" in response.content.decode()


def test_security_log_filters(trail, auditor, world):
    auditor.get(AUDIT)  # nothing recorded by reading
    html = auditor.get(SECURITY, {"kind": "login_failed", "success": "0"}).content.decode()
    assert "intruder" in html and "203.0.113.5" in html
    assert "intruder" not in auditor.get(SECURITY, {"kind": "login"}).content.decode()
    assert "intruder" not in auditor.get(SECURITY, {"success": "1"}).content.decode()
    assert "intruder" in auditor.get(SECURITY, {"user": "intru"}).content.decode()
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    assert "intruder" not in auditor.get(SECURITY, {"date_from": tomorrow}).content.decode()
    assert auditor.get(SECURITY, {"ip": "999.1.1.1"}).status_code == 200


@pytest.mark.parametrize("role", ["system_admin", "security_admin", "leader", "staff_a", "enterprise"])
def test_only_the_audit_admin_reads_the_trail(trail, client, world, role):
    client.force_login(world.users[role])
    for url in (AUDIT, SECURITY):
        response = client.get(url)
        assert response.status_code == 403
        assert "intruder" not in response.content.decode()


def test_anonymous_is_sent_to_login(db, client):
    assert client.get(AUDIT)["Location"].startswith(reverse("accounts:login"))


def test_pages_are_read_only(trail, auditor):
    before = (ObjectChange.objects.count(), SecurityEvent.objects.count())
    for url in (AUDIT, SECURITY):
        for method in (auditor.post, auditor.put, auditor.delete):
            assert method(url).status_code == 405
    assert (ObjectChange.objects.count(), SecurityEvent.objects.count()) == before
    html = auditor.get(AUDIT).content.decode()
    assert "<form method=\"post\"" not in html.replace("'", '"').split("</header>", 1)[1]
