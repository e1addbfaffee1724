"""/api/v1/economy: the catalog and the current figures, read-only, in the pages' scope."""

import pytest

from gaoxin.economy.services.observations import observation_record

from ..api.conftest import Api, make_token
from .indicator_data import D, with_catalog


@pytest.fixture
def w(world):
    w = with_catalog(world)
    staff = w.users["staff_gfj"]
    for value, growth in (("120.5", "12.2"), ("121", "12.4")):  # two revisions of one period
        observation_record(user=staff, indicator=w.ind["fixed_asset_investment"], region="本区", year=2024, month=6,
                           value=D(value), growth_pct=D(growth), source="区统计局", status="")
    observation_record(user=staff, indicator=w.ind["fixed_asset_investment"], region="全市", year=2024, month=6,
                       value=D("3085.9"), growth_pct=D("6.0"), source="市统计局", status="最终")
    observation_record(user=staff, indicator=w.ind["gdp"], region="本区", year=2023, month=12,
                       value=None, growth_pct=D("7.5"), source="", status="最终")
    return w


def api(w, role):
    return Api(make_token(w.users[role]))


def test_catalog_lists_the_zone_indicators_for_staff_of_any_department(w):
    response = api(w, "staff_a").get("/economy/indicators", page_size=100)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 15
    first = body["results"][0]
    assert (first["code"], first["unit"], first["kind"], first["frequency"], first["zone"]["code"]) == (
        "gdp", "亿元", "官方", "季度", "t1")
    assert {r["zone"]["code"] for r in body["results"]} == {"t1"}


def test_current_figures_as_decimal_strings(w):
    response = api(w, "leader").get("/economy/observations", indicator="fixed_asset_investment", year=2024)
    assert response.status_code == 200
    [row] = response.json()["results"]
    assert (row["value"], row["growth_pct"], row["revision"], row["status"], row["period"], row["region"]) == (
        "121", "12.4", 2, "修订", "2024-06", "本区")
    city = api(w, "leader").get("/economy/observations", region="全市").json()["results"]
    assert [(r["value"], r["growth_pct"]) for r in city] == [("3085.9", "6")]
    gdp = api(w, "staff_b").get("/economy/observations", indicator="gdp").json()["results"]
    assert [(r["value"], r["growth_pct"]) for r in gdp] == [(None, "7.5")]


def test_other_zone_sees_nothing_of_this_zone(w):
    response = api(w, "other_staff").get("/economy/observations")
    assert response.status_code == 200 and response.json()["count"] == 0
    catalog = api(w, "other_staff").get("/economy/indicators", page_size=100).json()
    assert {r["zone"]["code"] for r in catalog["results"]} == {"t2"}


def test_city_level_leader_reads_extra_zones(w):
    leader = w.users["leader"]
    leader.extra_zones.add(w.other_zone)
    body = api(w, "leader").get("/economy/indicators", page_size=100).json()
    assert body["count"] == 30
    assert api(w, "leader").get("/economy/indicators", zone="t2", page_size=100).json()["count"] == 15


@pytest.mark.parametrize("role", ["enterprise", "system_admin", "audit_admin"])
def test_enterprise_users_and_administrators_are_refused(w, role):
    for path in ("/economy/indicators", "/economy/observations"):
        response = api(w, role).get(path)
        assert response.status_code == 403, path
        assert response.json()["code"] == "forbidden"


def test_bad_parameters_are_400_and_writes_are_not_offered(w):
    client = api(w, "leader")
    assert client.get("/economy/observations", region="全省").status_code == 400
    assert client.get("/economy/observations", year="1999").status_code == 400
    assert client.post("/economy/observations", {}).status_code == 405
    assert Api().get("/economy/indicators").status_code == 401
