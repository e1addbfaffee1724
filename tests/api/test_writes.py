"""Writes through the API: services decide, the audit trail names the token's user, errors are JSON."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError

from gaoxin.core.audit.context import current_actor
from gaoxin.core.audit.models import ObjectChange, SecurityEvent, SecurityEventKind
from gaoxin.enterprises.models import Enterprise
from gaoxin.land.models import Parcel
from tests.factories import make_uscc

from .conftest import error_fields, has_chinese

NEW_ENTERPRISE = {"uscc": make_uscc(101), "name": "接口新增企业有限公司", "industry_code": "3971", "size": "规上",
                  "registration_date": "2020-05-01", "area": "三号片区"}


def changes_of(model, pk):
    ct = ContentType.objects.get_for_model(model)
    return list(ObjectChange.objects.filter(content_type=ct, object_id=pk).order_by("id"))


def test_staff_create_update_delete_enterprise_each_audited_via_api(world, api_as):
    staff = world.users["staff_a"]
    api = api_as("staff_a")

    created = api.post("/enterprises", NEW_ENTERPRISE)
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["department"]["id"] == world.dept_a.pk and body["registration_date"] == "2020-05-01"
    pk = body["id"]

    patched = api.patch(f"/enterprises/{pk}", {"name": "接口修改企业有限公司"})
    assert patched.status_code == 200 and patched.json()["name"] == "接口修改企业有限公司"
    assert patched.json()["area"] == "三号片区"  # PATCH leaves other fields alone

    deleted = api.delete(f"/enterprises/{pk}")
    assert deleted.status_code == 204 and deleted.content == b""
    assert not Enterprise.objects.filter(pk=pk).exists()

    changes = changes_of(Enterprise, pk)
    assert [c.action for c in changes] == ["create", "update", "delete"]
    for change in changes:
        assert (change.user, change.user_name, change.via) == (staff, "staff_a", "api")
    assert changes[1].diff() == [("name", "接口新增企业有限公司", "接口修改企业有限公司")]
    assert len({c.request_id for c in changes}) == 3  # one request each
    assert current_actor().user is None  # nothing leaks out of the request


def test_put_replaces_the_whole_record(world, api_as):
    enterprise = world.enterprises["a1"]
    body = {"uscc": enterprise.uscc, "name": "整体替换", "industry_code": "3971", "size": "规下"}
    response = api_as("staff_a").put(f"/enterprises/{enterprise.pk}", body)
    assert response.status_code == 200, response.content
    assert response.json()["area"] == ""  # not sent → blank
    enterprise.refresh_from_db()
    assert (enterprise.name, enterprise.size, enterprise.area) == ("整体替换", "规下", "")
    assert changes_of(Enterprise, enterprise.pk)[-1].via == "api"


def test_patch_without_changes_writes_no_audit_row(world, api_as):
    enterprise = world.enterprises["a1"]
    response = api_as("staff_a").patch(f"/enterprises/{enterprise.pk}", {"name": enterprise.name})
    assert response.status_code == 200
    assert changes_of(Enterprise, enterprise.pk) == []


@pytest.mark.parametrize("role", ["leader", "enterprise", "system_admin", "security_admin", "audit_admin"])
def test_roles_that_cannot_write_get_403_on_create(world, api_as, role):
    before = Enterprise.objects.count()
    response = api_as(role).post("/enterprises", NEW_ENTERPRISE)
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden" and has_chinese(response.json()["message"])
    assert Enterprise.objects.count() == before
    event = SecurityEvent.objects.get(kind=SecurityEventKind.PERMISSION_DENIED)
    assert event.user == world.users[role] and event.via == "api" and not event.success


def test_leader_cannot_change_what_it_reads(world, api_as):
    api = api_as("leader")
    target = world.enterprises["a1"]
    assert api.patch(f"/enterprises/{target.pk}", {"name": "领导改名"}).status_code == 403
    assert api.delete(f"/enterprises/{target.pk}").status_code == 403
    assert api.patch(f"/parcels/{world.parcels['a1'].pk}", {"location": "x"}).status_code == 403
    target.refresh_from_db()
    assert target.name != "领导改名"
    assert changes_of(Enterprise, target.pk) == []


def test_enterprise_user_cannot_edit_its_own_record(world, api_as):
    response = api_as("enterprise").patch(f"/enterprises/{world.enterprises['a1'].pk}", {"name": "自改"})
    assert response.status_code == 403


def test_writes_outside_the_scope_are_404(world, api_as):
    api = api_as("staff_b")
    target = world.enterprises["a1"]
    assert api.patch(f"/enterprises/{target.pk}", {"name": "越权"}).status_code == 404
    assert api.delete(f"/enterprises/{target.pk}").status_code == 404
    assert api_as("audit_admin").delete(f"/parcels/{world.parcels['a1'].pk}").status_code == 404
    assert Enterprise.objects.filter(pk=target.pk, name=target.name).exists()


def test_invalid_uscc_is_a_field_error_in_chinese(world, api_as):
    bad = NEW_ENTERPRISE | {"uscc": NEW_ENTERPRISE["uscc"][:17] + ("0" if NEW_ENTERPRISE["uscc"][17] != "0" else "1")}
    response = api_as("staff_a").post("/enterprises", bad)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    errors = error_fields(response)
    assert "校验位" in errors["uscc"]
    assert not Enterprise.objects.filter(name=NEW_ENTERPRISE["name"]).exists()


def test_duplicate_uscc_is_refused(world, api_as):
    response = api_as("staff_a").post("/enterprises", NEW_ENTERPRISE | {"uscc": world.enterprises["a2"].uscc})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and "统一社会信用代码" in (body["message"] + str(body.get("errors")))


def test_missing_and_unknown_fields_are_named(world, api_as):
    response = api_as("staff_a").post("/enterprises", {"name": "x", "zone_id": 2, "department": 3})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_request"
    errors = error_fields(response)
    assert {"uscc", "industry_code", "size", "zone_id", "department"} <= errors.keys()
    assert all(has_chinese(m) for m in errors.values())


@pytest.mark.parametrize("raw", ["{bad json", "{\"name\": ", "\xff\xfe", "uscc=1&name=2"])
def test_malformed_json_is_400(world, api_as, raw):
    response = api_as("staff_a").post("/enterprises", raw=raw)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_json"
    assert has_chinese(response.json()["message"])


def test_delete_refused_while_records_depend_on_it(world, api_as):
    response = api_as("staff_a").delete(f"/enterprises/{world.enterprises['a1'].pk}")  # holds P-A1
    assert response.status_code == 400
    assert response.json()["code"] == "invalid" and "注销" in response.json()["message"]
    assert Enterprise.objects.filter(pk=world.enterprises["a1"].pk).exists()


def test_database_conflict_is_409(world, api_as, monkeypatch):
    from gaoxin.enterprises import services

    def racing_create(**kwargs):
        raise IntegrityError("UNIQUE constraint failed: enterprises_enterprise.zone_id, enterprises_enterprise.uscc")

    monkeypatch.setattr(services, "enterprise_create", racing_create)
    response = api_as("staff_a").post("/enterprises", NEW_ENTERPRISE)
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"
    assert "UNIQUE" not in response.json()["message"]  # no database internals


def test_unforeseen_failure_is_json_500_without_internals(world, api_as, monkeypatch):
    from gaoxin.enterprises import selectors

    def broken(**kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(selectors, "enterprises_for_user", broken)
    response = api_as("staff_a").get("/enterprises")
    assert response.status_code == 500
    body = response.json()
    assert body["code"] == "server_error" and "secret" not in body["message"]
    assert str(response["X-Request-ID"]) in body["message"]


# ---- parcels ---------------------------------------------------------------------------------------------

NEW_PARCEL = {"code": "P-NEW", "area_m2": "1000.50", "land_use": "工业用地", "supply_method": "出让",
              "status": "已供", "supply_date": "2024-03-01"}


def test_staff_parcel_lifecycle_with_holder_by_uscc(world, api_as):
    staff = world.users["staff_a"]
    api = api_as("staff_a")
    holder = world.enterprises["b1"]  # land is allotted to enterprises of any department in the zone

    created = api.post("/parcels", NEW_PARCEL | {"holder_uscc": holder.uscc.lower()})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["holder"]["id"] == holder.pk
    assert (body["area_m2"], body["area_mu"]) == ("1000.50", "1.50")
    pk = body["id"]

    patched = api.patch(f"/parcels/{pk}", {"area_m2": "2000", "holder_uscc": world.enterprises["a2"].uscc})
    assert patched.status_code == 200, patched.content
    assert patched.json()["area_m2"] == "2000.00"
    assert patched.json()["holder"]["id"] == world.enterprises["a2"].pk

    cleared = api.patch(f"/parcels/{pk}", {"holder_uscc": None, "status": "储备", "supply_method": ""})
    assert cleared.status_code == 200, cleared.content
    assert cleared.json()["holder"] is None

    assert api.delete(f"/parcels/{pk}").status_code == 204
    assert not Parcel.objects.filter(pk=pk).exists()

    changes = changes_of(Parcel, pk)
    assert [c.action for c in changes] == ["create", "update", "update", "delete"]
    assert all((c.user, c.via) == (staff, "api") for c in changes)


def test_parcel_holder_uscc_unknown_in_zone(world, api_as):
    other_zone_uscc = world.enterprises["other"].uscc
    response = api_as("staff_a").post("/parcels", NEW_PARCEL | {"holder_uscc": other_zone_uscc})
    assert response.status_code == 400
    assert "本园区没有" in error_fields(response)["holder_uscc"]


def test_parcel_holder_uscc_invalid_says_which_rule(world, api_as):
    response = api_as("staff_a").post("/parcels", NEW_PARCEL | {"holder_uscc": "12345"})
    assert response.status_code == 400
    assert "18 位" in error_fields(response)["holder_uscc"]


def test_parcel_model_errors_use_api_field_names(world, api_as):
    reserve_with_holder = NEW_PARCEL | {"status": "储备", "supply_method": "", "holder_uscc": world.enterprises["a1"].uscc}
    response = api_as("staff_a").post("/parcels", reserve_with_holder)
    assert response.status_code == 400
    assert "储备" in error_fields(response)["holder_uscc"]


def test_holder_cannot_be_probed_without_write_rights(world, api_as):
    # the enterprise user can read its parcel but not write: refused before any USCC is looked up
    response = api_as("enterprise").patch(f"/parcels/{world.parcels['a1'].pk}", {"holder_uscc": "91350100M000100Y43"})
    assert response.status_code == 403
    assert api_as("leader").post("/parcels", NEW_PARCEL | {"holder_uscc": "x"}).status_code == 403


@pytest.mark.parametrize("area,fragment", [("0", "大于"), ("-5", "大于"), ("1.234", "小数"), ("abc", "数字"),
                                           ("NaN", "数字"), ("123456789012345", "位")])
def test_parcel_area_validation(world, api_as, area, fragment):
    response = api_as("staff_a").post("/parcels", NEW_PARCEL | {"area_m2": area})
    assert response.status_code == 400
    assert fragment in error_fields(response)["area_m2"]


def test_parcel_area_accepts_a_json_number(world, api_as):
    response = api_as("staff_a").post("/parcels", NEW_PARCEL | {"area_m2": 0.1})
    assert response.status_code == 201
    assert response.json()["area_m2"] == "0.10"
