"""Garbage in, a 4xx JSON error out: bad input never reaches the 500 handler."""

import json

import pytest

BIG = "9" * 30
GET_GARBAGE = [
    ("/enterprises", {"page": "-1"}),
    ("/enterprises", {"page": "1e9"}),
    ("/enterprises", {"page": BIG}),
    ("/enterprises", {"page": "1000000000"}),
    ("/enterprises", {"page_size": "-5"}),
    ("/enterprises", {"page_size": "abc"}),
    ("/enterprises", {"page_size": BIG}),
    ("/enterprises", {"ordering": "password"}),
    ("/enterprises", {"ordering": "name; DROP TABLE enterprises_enterprise"}),
    ("/enterprises", {"department_id": BIG}),
    ("/enterprises", {"department_id": "-3"}),
    ("/enterprises", {"registered_after": "yesterday"}),
    ("/enterprises", {"q": "a\x00b"}),
    ("/enterprises", {"q": "x" * 5000}),
    ("/enterprises", {"industry": "C" * 100}),
    ("/parcels", {"min_area_m2": "abc"}),
    ("/parcels", {"max_area_m2": "Infinity"}),
    ("/parcels", {"holder_id": "1.5"}),
    ("/parcels", {"status": "🙂"}),
    ("/enterprises/abc", {}),
    ("/enterprises/-1", {}),
    ("/enterprises/0", {}),
    ("/enterprises/1.5", {}),
    ("/enterprises/" + BIG, {}),
    ("/parcels/" + BIG, {}),
    ("/parcels/%00", {}),
]

BODY_GARBAGE = [
    [],
    "a string",
    12345,
    None,
    {"uscc": 123, "name": ["list"], "industry_code": {"a": 1}, "size": True},
    {"uscc": "\x00" * 18, "name": "x", "industry_code": "3971", "size": "规上"},
    {"uscc": "91350100M000100Y43", "name": "x" * 10000, "industry_code": "3971", "size": "规上"},
    {"uscc": "91350100M000100Y43", "name": "x", "industry_code": "3971", "size": "规上",
     "registration_date": "2024-02-30"},
    {"uscc": "91350100M000100Y43", "name": "x", "industry_code": "99999", "size": "规上",
     "registration_date": 10**20},
    {"code": "P", "area_m2": "1e999", "land_use": "工业用地"},
    {"code": "P", "area_m2": 1e308, "land_use": "工业用地"},
    {"code": "P", "area_m2": "-0.00", "land_use": "月球用地"},
]


def assert_json_4xx(response):
    assert 400 <= response.status_code < 500, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] and body["message"]


@pytest.mark.parametrize("path,params", GET_GARBAGE)
def test_garbage_queries(world, api_as, path, params):
    assert_json_4xx(api_as("leader").get(path, **params))


@pytest.mark.parametrize("body", BODY_GARBAGE, ids=lambda b: json.dumps(b, ensure_ascii=True)[:40])
@pytest.mark.parametrize("method,path", [("post", "/enterprises"), ("post", "/parcels"), ("put", "/enterprises/1"),
                                         ("patch", "/parcels/1")])
def test_garbage_bodies(world, api_as, method, path, body):
    api = api_as("staff_a")
    assert_json_4xx(getattr(api, method)(path, body))


@pytest.mark.parametrize("method", ["post", "put", "patch"])
def test_empty_and_huge_nesting(world, api_as, method):
    api = api_as("staff_a")
    path = "/enterprises" if method == "post" else f"/enterprises/{world.enterprises['a1'].pk}"
    assert_json_4xx(getattr(api, method)(path, raw=""))
    assert_json_4xx(getattr(api, method)(path, raw="[" * 100000 + "]" * 100000))


def test_wrong_method_is_json_405(world, api_as):
    response = api_as("staff_a").request("put", "/enterprises", {})
    assert response.status_code == 405
    assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "POST"}
    assert response.json()["code"] == "method_not_allowed"


@pytest.mark.parametrize("path", ["/", "/nothing-here", "/enterprises/1/extra", "/enterprises/"])
def test_unknown_paths_are_json_404(world, api_as, path):
    response = api_as("staff_a").get(path)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
