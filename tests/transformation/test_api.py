"""/api/v1/transformation: read-only lists in the user's scope with the pages' filters, measurements with their
changes, and the period counts with the bulletin's sentence."""

import pytest

from tests.api.conftest import Api, make_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_as(tw):
    return lambda role: Api(make_token(tw.users[role]))


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize("role,projects,institutions", [
    ("leader", {"r1", "r2", "r3", "r4", "r5", "c1", "c2", "c3", "c4"}, {"i1", "i2", "i3", "i4"}),
    ("staff_a", {"r1", "r2", "r3", "r4", "c1", "c2", "c3", "c4"}, {"i1", "i2", "i3"}),
    ("staff_b", {"r5"}, {"i4"}),
    ("enterprise", {"r1", "r3", "r4", "c1", "c4"}, {"i1", "i2"}),  # a1's own records
    ("system_admin", set(), set()),
    ("other_staff", {"po"}, set()),
])
def test_lists_follow_scope(tw, api_as, role, projects, institutions):
    api = api_as(role)
    assert ids(api.get("/transformation/projects", page_size=100)) == {getattr(tw, k).pk for k in projects}
    assert ids(api.get("/transformation/institutions")) == {getattr(tw, k).pk for k in institutions}
    expected = {tw.g1.pk} if role in ("leader", "staff_a", "enterprise") else set()
    assert ids(api.get("/transformation/recognitions")) == expected


def test_project_with_measurements_and_filters(tw, api_as):
    api = api_as("leader")
    body = api.get("/transformation/projects", kind="数字化车间", certified_after="2024-01-01",
                   certified_before="2024-06-30").json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["equipment_investment_wan"] == "2380.00" and row["featured"] is True
    assert row["enterprise"] == {"id": tw.enterprises["a1"].pk, "uscc": tw.enterprises["a1"].uscc,
                                 "name": "测试企业1有限公司"}
    efficiency, defect, cost = row["measurements"]
    assert (efficiency["before_value"], efficiency["after_value"]) == ("1000", "1121.4")
    assert (efficiency["change_pct"], efficiency["change_pct_shown"]) == ("12.14", "12.14")
    assert defect["change_pct_shown"] == "-44.54" and defect["change_pct"].startswith("-44.543")
    assert (defect["phrase"], defect["better"], defect["label"]) == ("产品不良率下降44.54%", True, "产品不良率")
    assert cost["label"] == "运营成本" and cost["phrase"] == "运营成本降低18.27%"
    assert ids(api.get("/transformation/projects", started_year=2023, kind="数字化改造")) == {tw.r4.pk}
    assert ids(api.get("/transformation/institutions", year=2024, q="测试企业1")) == {tw.i1.pk, tw.i2.pk}


@pytest.mark.parametrize("path,params", [
    ("/transformation/projects", {"kind": "智能车间"}), ("/transformation/projects", {"started_year": 1900}),
    ("/transformation/projects", {"ordering": "enterprise"}), ("/transformation/institutions", {"level": "x"}),
    ("/transformation/recognitions", {"recognized_after": "2024-13-01"}),
])
def test_bad_filters_are_400(tw, api_as, path, params):
    assert api_as("leader").get(path, **params).status_code == 400


def test_counts(tw, api_as):
    body = api_as("leader").get("/transformation/counts", period="2024-06").json()
    assert body["period"] == "2024-06" and (body["start"], body["end"]) == ("2024-01-01", "2024-06-30")
    assert body["started"] == {"智能化改造": 2, "绿色化改造": 1}
    assert body["certified"] == [{"level": "先进级", "kind": "智能工厂", "count": 1},
                                 {"level": "市级", "kind": "数字化车间", "count": 1},
                                 {"level": "市级", "kind": "数字化生产线", "count": 1}]
    assert (body["institutions"], body["institution_enterprises"]) == (3, 2)
    assert body["bulletin"][1].endswith("运营成本降低18.27%。")
    staff_b = api_as("staff_b").get("/transformation/counts", period="2024H1").json()
    assert staff_b["started"] == {"绿色化改造": 1} and staff_b["certified"] == []
    bad = api_as("leader").get("/transformation/counts", period="2024-13")
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "period"
    assert api_as("enterprise").get("/transformation/counts", period="2024-06").status_code == 403
    assert api_as("system_admin").get("/transformation/counts", period="2024-06").status_code == 403
