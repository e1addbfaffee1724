"""/api/v1/investment: read-only lists in the user's scope, with the pages' filters; decimals as strings."""

import pytest

from tests.api.conftest import Api, make_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_as(inv):
    return lambda role: Api(make_token(inv.users[role]))


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize("role,leads,signings,funds", [
    ("leader", {"lead_a", "lead_b"}, {"s1", "s2"}, {"t1", "t2", "t3"}),
    ("staff_b", {"lead_b"}, {"s1"}, {"t1", "t2"}),
    ("staff_a", {"lead_a"}, {"s2"}, {"t3"}),
    ("enterprise", set(), set(), set()),
    ("system_admin", set(), set(), set()),
    ("other_staff", set(), {"so"}, set()),
])
def test_lists_follow_scope(inv, api_as, role, leads, signings, funds):
    api = api_as(role)
    assert ids(api.get("/investment/leads")) == {getattr(inv, k).pk for k in leads}
    assert ids(api.get("/investment/signings")) == {getattr(inv, k).pk for k in signings}
    assert ids(api.get("/investment/funds")) == {getattr(inv, k).pk for k in funds}


def test_enterprise_user_sees_signings_of_its_own_projects(inv, api_as):
    inv.p1.enterprise = inv.enterprises["a1"]
    inv.p1.save()
    assert ids(api_as("enterprise").get("/investment/signings")) == {inv.s1.pk}
    assert ids(api_as("enterprise").get("/investment/funds")) == {inv.t1.pk, inv.t2.pk}


def test_filters_and_decimal_strings(inv, api_as):
    api = api_as("leader")
    body = api.get("/investment/signings", size="50亿级", date_after="2025-01-01", date_before="2025-12-31").json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["contract_investment_wan"] == "500000.00" and row["funds_wan"] == "3000.50"
    assert row["project"] == {"id": inv.p1.pk, "code": "P1", "name": "项目P1"}
    body = api.get("/investment/funds", code="P1", ordering="date").json()
    assert [r["amount_wan"] for r in body["results"]] == ["1000.00", "2000.50"]
    body = api.get("/investment/leads", stage="洽谈").json()
    assert [r["id"] for r in body["results"]] == [inv.lead_b.pk]
    assert body["results"][0]["expected_investment_wan"] == "200000.00"


@pytest.mark.parametrize("path,params", [
    ("/investment/signings", {"size": "巨无霸"}),
    ("/investment/signings", {"date_after": "2025-13-01"}),
    ("/investment/funds", {"ordering": "note"}),
    ("/investment/leads", {"channel": "网络招商"}),
    ("/investment/leads", {"page": "0"}),
])
def test_bad_params_are_400(inv, api_as, path, params):
    response = api_as("leader").get(path, **params)
    assert response.status_code == 400
    assert response.json()["code"] in ("invalid_request", "invalid")


def test_no_token_is_401(inv):
    assert Api().get("/investment/leads").status_code == 401
