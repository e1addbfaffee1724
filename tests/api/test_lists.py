"""Pagination, filters and ordering of the list endpoints."""

import datetime as dt
from decimal import Decimal

import pytest

from tests.factories import make_enterprise, make_parcel

from .conftest import error_fields


@pytest.fixture
def many(world):
    """Seven more dept_a enterprises (nine in all for staff_a), with distinct dates and sizes."""
    for n in range(10, 17):
        make_enterprise(world.zone, world.dept_a, n, name=f"批量企业{n:02d}", registration_date=dt.date(2010 + n - 10, 1, 1),
                        size="规下" if n % 2 else "规上", industry_code="6511" if n == 16 else "3971")
    return world


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["name"] for row in response.json()["results"]]


def test_pages(many, api_as):
    api = api_as("staff_a")
    first = api.get("/enterprises", page_size=4)
    assert first.json()["count"] == 9
    assert (first.json()["page"], first.json()["page_size"], len(first.json()["results"])) == (1, 4, 4)
    seen = names(first) + names(api.get("/enterprises", page_size=4, page=2)) + names(
        api.get("/enterprises", page_size=4, page=3))
    assert len(seen) == len(set(seen)) == 9

    beyond = api.get("/enterprises", page_size=4, page=4)
    assert beyond.status_code == 404
    assert "共 9 条" in beyond.json()["message"]


def test_default_and_maximum_page_size(many, api_as):
    api = api_as("staff_a")
    assert api.get("/enterprises").json()["page_size"] == 50
    assert api.get("/enterprises", page_size=500).status_code == 200
    too_big = api.get("/enterprises", page_size=501)
    assert too_big.status_code == 400 and "500" in error_fields(too_big)["page_size"]


def test_empty_list_is_one_empty_page(world, api_as):
    body = api_as("audit_admin").get("/enterprises").json()
    assert body == {"count": 0, "page": 1, "page_size": 50, "results": []}


def test_ordering(many, api_as):
    api = api_as("staff_a")
    ascending = names(api.get("/enterprises", ordering="name"))
    assert ascending == sorted(ascending)
    assert names(api.get("/enterprises", ordering="-name")) == ascending[::-1]
    dates = [r["registration_date"] for r in api.get("/enterprises", ordering="-registration_date").json()["results"]]
    dated = [d for d in dates if d]
    assert dated == sorted(dated, reverse=True)


@pytest.mark.parametrize("ordering", ["password", "zone__name", "name;drop table", "--name", "department"])
def test_ordering_outside_the_whitelist(world, api_as, ordering):
    response = api_as("staff_a").get("/enterprises", ordering=ordering)
    assert response.status_code == 400
    assert "ordering" in error_fields(response)


def test_enterprise_filters(many, api_as):
    api = api_as("staff_a")
    assert names(api.get("/enterprises", q="批量企业12")) == ["批量企业12"]
    assert names(api.get("/enterprises", q=many.enterprises["a1"].uscc.lower())) == [many.enterprises["a1"].name]
    small = api.get("/enterprises", size="规下").json()
    assert small["count"] == 1 + 3  # a2 and numbers 11, 13, 15
    assert names(api.get("/enterprises", area="二号片区")) == [many.enterprises["a2"].name]
    assert names(api.get("/enterprises", industry="65")) == ["批量企业16"]
    assert api.get("/enterprises", industry="C").json()["count"] == 8
    assert api.get("/enterprises", industry="I").json()["count"] == 1
    between = api.get("/enterprises", registered_after="2012-01-01", registered_before="2014-12-31")
    assert sorted(names(between)) == ["批量企业12", "批量企业13", "批量企业14"]
    assert api.get("/enterprises", department_id=many.dept_b.pk).json()["count"] == 0  # filters never widen scope
    assert api.get("/enterprises", status="注销").json()["count"] == 0


def test_filters_never_widen_the_scope(world, api_as):
    response = api_as("staff_b").get("/enterprises", department_id=world.dept_a.pk)
    assert response.json()["count"] == 0


def test_parcel_filters_and_ordering(world, api_as):
    make_parcel(world.zone, world.dept_a, "P-A3", area_m2=Decimal("100.00"))
    api = api_as("leader")

    def codes(**params):
        response = api.get("/parcels", **params)
        assert response.status_code == 200, response.content
        return [row["code"] for row in response.json()["results"]]

    assert codes(status="储备") == ["P-A2", "P-A3"]
    assert codes(holder_uscc=world.enterprises["b1"].uscc) == ["P-B1"]
    assert codes(holder_id=world.enterprises["a1"].pk) == ["P-A1"]
    assert codes(max_area_m2="500") == ["P-A3"]
    assert codes(min_area_m2="500", ordering="-code") == ["P-B1", "P-A2", "P-A1"]
    assert codes(q="P-B") == ["P-B1"]
    assert codes(department_id=world.dept_b.pk) == ["P-B1"]
    assert codes(land_use="工业用地", supply_method="出让") == ["P-A1", "P-B1"]
    assert codes(ordering="area_m2")[0] == "P-A3"


@pytest.mark.parametrize("params,field", [
    ({"size": "大"}, "size"),
    ({"status": "倒闭"}, "status"),
    ({"registered_after": "2024-13-45"}, "registered_after"),
    ({"department_id": "abc"}, "department_id"),
    ({"page": "0"}, "page"),
    ({"page_size": "-5"}, "page_size"),
])
def test_bad_filter_values_are_400_with_the_field(world, api_as, params, field):
    response = api_as("leader").get("/enterprises", **params)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_request"
    assert field in error_fields(response)
