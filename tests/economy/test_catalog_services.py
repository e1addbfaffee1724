"""The indicator catalog: default install (idempotent, also by `gaoxin zone add`), edits, reorder, deactivate."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from gaoxin.accounts.models import Zone
from gaoxin.core.audit.models import ObjectChange
from gaoxin.economy.catalog import DEFAULT_INDICATORS
from gaoxin.economy.models import Indicator
from gaoxin.economy.selectors.indicators import indicators_for_zone
from gaoxin.economy.services.catalog import (
    indicator_catalog_install,
    indicator_create,
    indicator_set_active,
    indicator_update,
    indicators_reorder,
)
from gaoxin.economy.services.observations import observation_record

from .indicator_data import D, with_catalog


def test_install_creates_the_defaults_once(world):
    assert indicator_catalog_install(zone=world.zone) == len(DEFAULT_INDICATORS) == 15
    assert indicator_catalog_install(zone=world.zone) == 0
    codes = [i.code for i in indicators_for_zone(world.zone)]
    assert codes == [d.code for d in DEFAULT_INDICATORS]
    gdp = Indicator.objects.get(zone=world.zone, code="gdp")
    assert (gdp.frequency, gdp.kind, gdp.unit, gdp.is_headline) == ("季度", "官方", "亿元", True)
    signed = Indicator.objects.get(zone=world.zone, code="signed_projects")
    assert (signed.kind, signed.computed_key) == ("计算", "signed_projects")
    assert ObjectChange.objects.filter(content_type__model="indicator", action="create").count() == 15
    assert not Indicator.objects.filter(zone=world.other_zone).exists()


def test_install_adds_only_what_is_missing_after_the_zones_own(world):
    indicator_create(user=None, zone=world.zone, data={"code": "own", "name": "自有指标", "unit": "个", "kind": "官方",
                                                         "order": 5})
    indicator_catalog_install(zone=world.zone)
    Indicator.objects.filter(zone=world.zone, code="retail_sales").delete()
    assert indicator_catalog_install(zone=world.zone) == 1
    assert Indicator.objects.filter(zone=world.zone).count() == 16


def test_install_by_a_user_needs_staff_of_that_zone(world):
    with pytest.raises(PermissionDenied):
        indicator_catalog_install(zone=world.zone, user=world.users["leader"])
    with pytest.raises(PermissionDenied):
        indicator_catalog_install(zone=world.zone, user=world.users["other_staff"])
    assert indicator_catalog_install(zone=world.zone, user=world.users["staff_b"]) == 15


def test_zone_add_command_installs_the_catalog(db):
    call_command("zone", "add", "newzone", "新园区", stdout=io.StringIO())
    zone = Zone.objects.get(code="newzone")
    assert Indicator.objects.filter(zone=zone).count() == 15


@pytest.fixture
def w(world):
    return with_catalog(world)


def test_any_department_staff_edits_the_catalog_code_and_kind_fixed(w):
    gdp = w.ind["gdp"]
    indicator_update(user=w.users["staff_b"], indicator=gdp, data={"name": "GDP（地区生产总值）", "is_headline": False})
    gdp.refresh_from_db()
    assert (gdp.name, gdp.is_headline) == ("GDP（地区生产总值）", False)
    with pytest.raises(ValidationError) as exc:
        indicator_update(user=w.users["staff_b"], indicator=gdp, data={"code": "gdp2", "kind": "计算"})
    assert set(exc.value.message_dict) == {"code", "kind"}
    for role in ("leader", "enterprise", "other_staff"):
        with pytest.raises(PermissionDenied):
            indicator_update(user=w.users[role], indicator=gdp, data={"name": "x"})
    change = ObjectChange.objects.filter(object_id=gdp.pk, content_type__model="indicator", action="update").get()
    assert change.postchange_data["name"] == "GDP（地区生产总值）"


def test_create_validates_kind_and_computed_key_and_uniqueness(w):
    staff = w.users["staff_a"]
    with pytest.raises(ValidationError) as exc:
        indicator_create(user=staff, data={"code": "x", "name": "新计算", "unit": "个", "kind": "计算"})
    assert "computed_key" in exc.value.message_dict
    with pytest.raises(ValidationError):
        indicator_create(user=staff, data={"code": "gdp", "name": "另一个", "unit": "亿元", "kind": "官方"})
    with pytest.raises(ValidationError):
        indicator_create(user=staff, data={"code": "gdp_b", "name": "地区生产总值", "unit": "亿元", "kind": "官方"})
    made = indicator_create(user=staff, data={"code": "completed", "name": "竣工项目", "unit": "个", "kind": "计算",
                                              "computed_key": "projects_completed"})
    assert made.zone == w.zone


def test_frequency_cannot_become_quarterly_with_monthly_figures(w):
    ind = w.ind["retail_sales"]
    observation_record(user=w.users["staff_gfj"], indicator=ind, region="本区", year=2024, month=5, value=D("10"),
                       growth_pct=D("3"), source="", status="")
    with pytest.raises(ValidationError) as exc:
        indicator_update(user=w.users["staff_gfj"], indicator=ind, data={"frequency": "季度"})
    assert "frequency" in exc.value.message_dict


def test_deactivate_hides_from_the_active_catalog(w):
    indicator_set_active(user=w.users["staff_a"], indicator=w.ind["foreign_trade"], active=False)
    assert "foreign_trade" not in [i.code for i in indicators_for_zone(w.zone)]
    assert "foreign_trade" in [i.code for i in indicators_for_zone(w.zone, active=False)]


def test_reorder(w):
    ids = [w.ind["gdp"].pk, w.ind["retail_sales"].pk]
    moved = indicators_reorder(user=w.users["staff_a"], ids=list(reversed(ids)))
    assert moved == 2
    assert [i.code for i in indicators_for_zone(w.zone)][:2] == ["retail_sales", "gdp"]
    other = Indicator.objects.get(zone=w.other_zone, code="gdp")
    with pytest.raises(ValidationError):
        indicators_reorder(user=w.users["staff_a"], ids=[other.pk])
