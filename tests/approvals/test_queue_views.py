"""The 我的待办 page per role."""

import pytest
from django.urls import reverse

from .cases_data import build_cases

URL = reverse("approvals:queue")


@pytest.fixture
def data(world):
    return build_cases(world)


def test_staff_queue_page(client, data):
    client.force_login(data.users["staff_jsj"])
    response = client.get(URL)
    assert response.status_code == 200
    rows = response.context["rows"]
    # today is real today: every open jsj item of the 2025 data is overdue, the oldest due date first
    assert [r.item.code for r in rows] == ["low_risk_permit", "land_planning", "eia_report"]
    assert all(r.status == "逾期" for r in rows) and response.context["overview"] is None
    html = response.content.decode()
    assert 'id="table-queue"' in html and "SP-LOWRISK" in html and 'id="table-overview"' not in html


def test_leader_queue_page_has_the_overview(client, data):
    client.force_login(data.users["leader"])
    response = client.get(URL)
    assert response.status_code == 200 and 'id="table-overview"' in response.content.decode()
    assert {r.department.code for r in response.context["overview"]} == {"jsj", "zwzx"}


@pytest.mark.parametrize("params", [{"status": "乱填"}, {"page": "999"}, {"page": "x"}, {"status": "收件"}])
def test_queue_bad_parameters(client, data, params):
    client.force_login(data.users["staff_zwzx"])
    assert client.get(URL, params).status_code == 200


def test_queue_status_filter(client, data):
    client.force_login(data.users["staff_zwzx"])
    rows = client.get(URL, {"status": "收件"}).context["rows"]
    assert [r.item.code for r in rows] == ["utilities"]


def test_queue_refused_to_enterprise_and_admins(client, data):
    client.force_login(data.users["enterprise"])
    assert client.get(URL).status_code == 403
    client.force_login(data.users["audit_admin"])
    assert client.get(URL).status_code == 403
    client.logout()
    assert client.get(URL).status_code == 302
