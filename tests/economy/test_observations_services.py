"""Recording official figures: revisions kept, growth stored as published, the validation rules, permissions."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gaoxin.core.audit.models import ObjectChange
from gaoxin.economy.models import Observation
from gaoxin.economy.selectors.indicators import (
    current_observation,
    observation_history,
    observations_for_zone,
)
from gaoxin.economy.services.observations import observation_record, observations_upsert

from .indicator_data import D, with_catalog


@pytest.fixture
def w(world):
    return with_catalog(world)


def record(w, code="fixed_asset_investment", *, user="staff_gfj", region="本区", year=2024, month=6,
           value="120.5", growth="12.2", source="区统计局", status="初步", **extra):
    return observation_record(user=w.users[user] if user else None, indicator=w.ind[code], region=region,
                              year=year, month=month, value=None if value is None else D(value),
                              growth_pct=None if growth is None else D(growth), source=source, status=status,
                              **extra)


def test_first_figure_is_revision_one_current_and_audited(w):
    obs = record(w)
    assert (obs.revision, obs.is_current, obs.status) == (1, True, "初步")
    assert obs.department == w.gfj and obs.zone == w.zone and obs.recorded_by == w.users["staff_gfj"]
    change = ObjectChange.objects.get(object_id=obs.pk, content_type__model="observation")
    assert "第 1 版" in change.message


def test_a_different_figure_adds_a_revision_and_keeps_the_old_one(w):
    first = record(w)
    second = record(w, value="121.0", growth="12.4", status="")
    first.refresh_from_db()
    assert second.pk != first.pk
    assert (second.revision, second.is_current, second.status) == (2, True, "修订")
    assert first.is_current is False and first.value == D("120.5") and first.growth_pct == D("12.2")
    history = observation_history(w.ind["fixed_asset_investment"], 2024, 6, "本区")
    assert [o.revision for o in history] == [2, 1]
    assert current_observation(w.ind["fixed_asset_investment"], 2024, 6).pk == second.pk
    replaced = ObjectChange.objects.filter(object_id=second.pk, content_type__model="observation").get()
    assert "第 2 版替代第 1 版" in replaced.message
    superseded = ObjectChange.objects.filter(object_id=first.pk, action="update").get()
    assert superseded.prechange_data["is_current"] is True and superseded.postchange_data["is_current"] is False


def test_the_same_figure_again_changes_nothing(w):
    first = record(w)
    again = record(w, value="120.50", growth="12.20", source="", status="")
    assert again.pk == first.pk
    assert Observation.objects.count() == 1


def test_a_new_status_alone_is_a_revision(w):
    record(w)
    final = record(w, status="最终")
    assert (final.revision, final.status) == (2, "最终")


def test_growth_is_stored_as_published_never_recomputed(w):
    # levels 100 → 150 would be +50 %; the published comparable-price growth is 3.1 %: it stays 3.1
    record(w, year=2023, value="100", growth="1.0", month=6)
    obs = record(w, year=2024, value="150", growth="3.1", month=6)
    obs.refresh_from_db()
    assert obs.growth_pct == D("3.1") and obs.value == D("150")


def test_city_figures_are_separate_from_the_zones(w):
    zone = record(w)
    city = record(w, region="全市", value="3085.9", growth="6.0")
    assert zone.is_current and city.is_current and city.revision == 1
    assert list(observations_for_zone(w.zone, year=2024, region="全市")) == [city]


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"code": "gdp", "month": 5}, "month"),  # quarterly only at quarter ends
    ({"code": "signed_projects"}, "indicator"),  # computed
    ({"growth": "-100.01"}, "growth_pct"),
    ({"growth": "10000.01"}, "growth_pct"),
    ({"value": "-1"}, "value"),
    ({"value": None, "growth": None}, "value"),
    ({"year": dt.date.today().year + 1, "month": 1}, "month"),  # future
    ({"region": "全省"}, "region"),
    ({"status": "草稿"}, "status"),
])
def test_bad_figures_are_refused_with_the_field_named(w, kwargs, field):
    with pytest.raises(ValidationError) as exc:
        record(w, **kwargs)
    assert field in exc.value.message_dict
    assert Observation.objects.count() == 0


def test_growth_boundaries_and_quarter_end_are_accepted(w):
    assert record(w, growth="-100").growth_pct == D("-100")
    assert record(w, code="gdp", month=6, growth="10000").growth_pct == D("10000")
    assert record(w, code="industrial_output", value=None, growth="8.6").value is None


def test_inactive_indicator_refuses_figures(w):
    ind = w.ind["retail_sales"]
    ind.is_active = False
    ind.save()
    with pytest.raises(ValidationError):
        record(w, code="retail_sales")


def test_permissions(w):
    with pytest.raises(PermissionDenied):
        record(w, user="leader")
    with pytest.raises(PermissionDenied):
        record(w, user="enterprise")
    with pytest.raises(PermissionDenied):
        record(w, user="other_staff")  # staff of another zone
    with pytest.raises(PermissionDenied):
        record(w, user=None)  # trusted caller must name zone and department
    obs = record(w, user=None, zone=w.zone, department=w.gfj)
    assert obs.recorded_by is None


def test_another_departments_figure_cannot_be_revised(w):
    record(w)
    with pytest.raises(ValidationError, match="改革发展局"):
        record(w, user="staff_a", value="999")
    assert Observation.objects.count() == 1


def rows(w, *items):
    return [{"indicator_id": w.ind[code].pk, "year": 2024, "month": month, "value": D(value), "growth_pct": D(growth),
             "source": "区统计局", "status": ""} for code, month, value, growth in items]


def test_upsert_counts_created_revised_unchanged(w):
    first = observations_upsert(zone=w.zone, department=w.gfj, region="本区",
                                rows=rows(w, ("gdp", 3, "100", "8.0"), ("gdp", 6, "210", "8.2")))
    assert (first.created, first.updated, first.unchanged) == (2, 0, 0)
    second = observations_upsert(zone=w.zone, department=w.gfj, region="本区",
                                 rows=rows(w, ("gdp", 3, "100", "8.0"), ("gdp", 6, "211", "8.2")))
    assert (second.created, second.updated, second.unchanged) == (0, 1, 1)
    assert Observation.objects.filter(year=2024, month=6).count() == 2
    assert current_observation(w.ind["gdp"], 2024, 6).status == "修订"


def test_upsert_is_all_or_nothing(w):
    with pytest.raises(ValidationError) as exc:
        observations_upsert(zone=w.zone, department=w.gfj, region="本区",
                            rows=rows(w, ("gdp", 3, "100", "8.0"), ("gdp", 5, "210", "8.2")))
    assert "季末" in " ".join(exc.value.messages)
    assert Observation.objects.count() == 0


def test_upsert_checks_the_importer(w):
    with pytest.raises(PermissionDenied):
        observations_upsert(zone=w.zone, department=w.gfj, region="本区", user=w.users["staff_a"],
                            rows=rows(w, ("gdp", 3, "100", "8.0")))
    other = w.ind["gdp"].__class__.objects.get(zone=w.other_zone, code="gdp")
    with pytest.raises(ValidationError):
        observations_upsert(zone=w.zone, department=w.gfj, region="本区",
                            rows=[{**rows(w, ("gdp", 3, "1", "1"))[0], "indicator_id": other.pk}])
