"""Each role sees exactly its data scope through the API, in lists and in details."""

import pytest

from .conftest import Api, make_token

ENTERPRISES = {
    "system_admin": set(),
    "security_admin": set(),
    "audit_admin": set(),
    "leader": {"a1", "a2", "b1"},
    "staff_a": {"a1", "a2"},
    "staff_b": {"b1"},
    "enterprise": {"a1"},
    "other_staff": {"other"},
}
# P-A1 (dept_a, held by a1), P-A2 (dept_a, no holder), P-B1 (dept_b, held by b1), P-O1 (other zone):
# the enterprise user sees only the parcel its enterprise holds.
PARCELS = {**ENTERPRISES, "enterprise": {"a1"}}


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize("role,expected", ENTERPRISES.items())
def test_enterprise_list_scope(world, api_as, role, expected):
    response = api_as(role).get("/enterprises")
    assert ids(response) == {world.enterprises[k].pk for k in expected}
    assert response.json()["count"] == len(expected)


@pytest.mark.parametrize("role,expected", PARCELS.items())
def test_parcel_list_scope(world, api_as, role, expected):
    assert ids(api_as(role).get("/parcels")) == {world.parcels[k].pk for k in expected}


@pytest.mark.parametrize("role", ENTERPRISES)
def test_enterprise_details_follow_the_scope(world, api_as, role):
    api = api_as(role)
    for key, enterprise in world.enterprises.items():
        response = api.get(f"/enterprises/{enterprise.pk}")
        if key in ENTERPRISES[role]:
            assert response.status_code == 200
            assert response.json()["uscc"] == enterprise.uscc
        else:
            assert response.status_code == 404
            assert response.json()["code"] == "not_found"


@pytest.mark.parametrize("role", ["leader", "staff_a", "enterprise", "audit_admin"])
def test_parcel_details_follow_the_scope(world, api_as, role):
    api = api_as(role)
    visible = ids(api.get("/parcels"))
    for parcel in world.parcels.values():
        response = api.get(f"/parcels/{parcel.pk}")
        assert response.status_code == (200 if parcel.pk in visible else 404)


def test_out_of_scope_is_indistinguishable_from_missing(world, api_as):
    api = api_as("staff_a")
    out_of_scope = api.get(f"/enterprises/{world.enterprises['b1'].pk}")
    missing = api.get("/enterprises/987654")
    assert out_of_scope.status_code == missing.status_code == 404
    assert out_of_scope.json() == missing.json()


def test_city_user_reads_extra_zones(world):
    leader = world.users["leader"]
    leader.extra_zones.add(world.other_zone)
    response = Api(make_token(leader)).get("/enterprises")
    assert world.enterprises["other"].pk in ids(response)


def test_enterprise_output_fields(world, api_as):
    enterprise = world.enterprises["a1"]
    body = api_as("staff_a").get(f"/enterprises/{enterprise.pk}").json()
    assert body["industry_code"] == "3971"
    assert body["industry_name"] == "电子真空器件制造"
    assert body["department"] == {"id": world.dept_a.pk, "name": "经信局"}
    assert body["zone_id"] == world.zone.pk
    for field in ("name", "size", "status", "area", "address", "contact_person", "contact_phone",
                  "registration_date", "created_at", "updated_at", "industry_version"):
        assert field in body


def test_parcel_output_fields_and_exact_areas(world, api_as):
    body = api_as("staff_a").get(f"/parcels/{world.parcels['a1'].pk}").json()
    assert body["area_m2"] == "6666.67"  # a string: exact
    assert body["area_mu"] == "10.00"  # 6666.67 m² × 15 / 10000
    assert body["holder"] == {"id": world.enterprises["a1"].pk, "uscc": world.enterprises["a1"].uscc,
                              "name": world.enterprises["a1"].name}
    assert body["department"]["name"] == "经信局"
    assert {"code", "location", "land_use", "supply_method", "supply_date", "status", "created_at",
            "updated_at"} <= body.keys()
