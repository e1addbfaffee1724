"""Yearly targets: one per indicator and year, kept by a department, validated, audited."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gaoxin.core.audit.models import ObjectChange
from gaoxin.economy.models import Target
from gaoxin.economy.selectors.indicators import target_for, target_rows
from gaoxin.economy.services.observations import observation_record
from gaoxin.economy.services.targets import target_save

from .indicator_data import D, with_catalog


@pytest.fixture
def w(world):
    return with_catalog(world)


def test_create_then_update_in_place_audited(w):
    staff = w.users["staff_gfj"]
    first = target_save(user=staff, indicator=w.ind["gdp"], year=2024, growth_pct=D("7"), value=None)
    again = target_save(user=staff, indicator=w.ind["gdp"], year=2024, growth_pct=D("7.00"), value=None)
    assert again.pk == first.pk
    changed = target_save(user=staff, indicator=w.ind["gdp"], year=2024, growth_pct=D("7.5"), value=D("450"),
                          note="区人代会")
    assert changed.pk == first.pk and target_for(w.ind["gdp"], 2024).value == D("450")
    assert Target.objects.count() == 1
    actions = list(ObjectChange.objects.filter(content_type__model="target").values_list("action", flat=True))
    assert sorted(actions) == ["create", "update"]


def test_computed_indicators_take_targets_too(w):
    target = target_save(user=w.users["staff_b"], indicator=w.ind["signed_projects"], year=2024, growth_pct=None,
                         value=D("80"))
    assert target.department == w.dept_b


@pytest.mark.parametrize(("growth", "value", "field"), [
    (None, None, "growth_pct"), ("-101", None, "growth_pct"), ("10001", None, "growth_pct"), (None, "-1", "value")])
def test_validation(w, growth, value, field):
    with pytest.raises(ValidationError) as exc:
        target_save(user=w.users["staff_gfj"], indicator=w.ind["gdp"], year=2024,
                    growth_pct=None if growth is None else D(growth), value=None if value is None else D(value))
    assert field in exc.value.message_dict
    assert not Target.objects.exists()


def test_permissions_and_ownership(w):
    for role in ("leader", "enterprise"):
        with pytest.raises(PermissionDenied):
            target_save(user=w.users[role], indicator=w.ind["gdp"], year=2024, growth_pct=D("7"), value=None)
    with pytest.raises(PermissionDenied):
        target_save(user=w.users["other_staff"], indicator=w.ind["gdp"], year=2024, growth_pct=D("7"), value=None)
    target_save(user=w.users["staff_gfj"], indicator=w.ind["gdp"], year=2024, growth_pct=D("7"), value=None)
    with pytest.raises(ValidationError, match="改革发展局"):
        target_save(user=w.users["staff_a"], indicator=w.ind["gdp"], year=2024, growth_pct=D("9"), value=None)


def test_target_rows_pair_targets_with_the_latest_figure_of_the_year(w):
    staff = w.users["staff_gfj"]
    fai = w.ind["fixed_asset_investment"]
    target_save(user=staff, indicator=fai, year=2024, growth_pct=D("10"), value=None)
    for month, growth in ((3, "9.0"), (6, "12.2")):
        observation_record(user=staff, indicator=fai, region="本区", year=2024, month=month, value=None,
                           growth_pct=D(growth), source="", status="")
    rows = {r["indicator"].code: r for r in target_rows(w.zone, 2024)}
    assert rows["fixed_asset_investment"]["latest"].month == 6
    assert rows["fixed_asset_investment"]["target"].growth_pct == D("10")
    assert rows["gdp"]["target"] is None and rows["gdp"]["latest"] is None
    codes = [r["indicator"].code for r in target_rows(w.zone, 2024)]
    assert codes.index("foreign_trade") < codes.index("signed_projects")  # official first, then computed
