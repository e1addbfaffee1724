"""/api/v1/projects: scoped, filtered, paginated list and detail."""

import pytest

from tests.api.conftest import Api, make_token


@pytest.fixture
def api_as(project_world):
    def make(role: str) -> Api:
        return Api(make_token(project_world.users[role]))

    return make


@pytest.mark.parametrize(("role", "expected"), [
    ("leader", ["XM-A1", "XM-A2", "XM-B1", "XM-B2"]),
    ("staff_b", ["XM-B1", "XM-B2"]),
    ("enterprise", ["XM-A1"]),
    ("other_staff", []),
])
def test_list_is_scoped(api_as, role, expected):
    response = api_as(role).get("/projects")
    assert response.status_code == 200
    body = response.json()
    assert [p["code"] for p in body["results"]] == expected and body["count"] == len(expected)


def test_list_filters_total_and_bad_params(api_as, project_world):
    api = api_as("leader")
    body = api.get("/projects", key_level="市级", plan_year=2024, ordering="-total_investment_wan").json()
    assert [p["code"] for p in body["results"]] == ["XM-B1", "XM-A1"]
    assert body["total_investment_wan"] == "170000.00"
    assert body["results"][0]["total_investment_wan"] == "120000.00"
    assert [p["code"] for p in api.get("/projects", started_after="2024-01-01").json()["results"]] == ["XM-A1"]
    pk = project_world.projects["b2"].pk
    assert [p["code"] for p in api.get("/projects", ids=f"{pk}").json()["results"]] == ["XM-B2"]
    assert api.get("/projects", ids="1,x").status_code == 400
    assert api.get("/projects", stage="未知").status_code == 400
    assert api.get("/projects", ordering="password").status_code == 400
    assert api.get("/projects", page=9).status_code == 404


def test_detail_with_milestones_plans_and_reports(api_as, project_world):
    a1 = project_world.projects["a1"]
    response = api_as("enterprise").get(f"/projects/{a1.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["code"] == "XM-A1" and body["start_date"] == "2024-03-15" and body["version"] == 1
    assert body["enterprise"]["uscc"] == project_world.enterprises["a1"].uscc
    assert body["plans"][0] == {"year": 2025, "plan_wan": "10000.00", "completed_wan": "0.00"}
    assert body["plans"][1] == {"year": 2024, "plan_wan": "12000.00", "completed_wan": "6000.00"}
    assert [(m["month"], m["completed_wan"]) for m in body["monthly_reports"]][:2] == [(1, "1000.00"), (2, "1000.00")]
    assert api_as("staff_b").get(f"/projects/{a1.pk}").status_code == 404
    assert api_as("system_admin").get(f"/projects/{a1.pk}").status_code in (403, 404)
    assert api_as("leader").get("/projects/999999").status_code == 404
