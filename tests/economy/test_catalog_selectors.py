"""The catalog's reads: computed indicators month by month from the projects statistics (the same figures,
the same scope, with drill-down links), the year × month matrix with revision counts."""

from decimal import Decimal

import pytest

from gaoxin.economy.selectors.indicators import (
    catalog_rows,
    computed_series,
    contract_value,
    observation_matrix,
)
from gaoxin.economy.services.catalog import indicator_catalog_install
from gaoxin.economy.services.observations import observation_record
from gaoxin.projects.engine import Period
from gaoxin.projects.selectors.statistics import period_statistics_for_user
from tests.projects.conftest import project_world  # noqa: F401 - the fixture, used by `sw`
from tests.projects.statistics_data import build_statistics_world

from .indicator_data import D, with_catalog


@pytest.fixture
def sw(project_world):  # noqa: F811
    build_statistics_world(project_world)
    indicator_catalog_install(zone=project_world.zone)
    return project_world


def indicator(zone, code):
    return next(r.indicator for r in catalog_rows(zone) if r.indicator.code == code)


@pytest.mark.parametrize("role", ["leader", "staff_a", "staff_b"])
@pytest.mark.parametrize("code", ["signed_projects", "contract_investment", "funds_in_place", "projects_started",
                                  "projects_commissioned", "city_key_completion"])
def test_computed_series_is_the_statistics_of_the_users_scope(sw, role, code):
    user = sw.users[role]
    ind = indicator(sw.zone, code)
    series = computed_series(user=user, indicator=ind, year=2024)
    assert [f.period.month for f in series] == list(range(1, 13))
    june = series[5]
    expected = contract_value(period_statistics_for_user(user=user, period=Period(2024, 6)).as_contract(),
                              ind.computed_key)
    assert june.value == (None if expected is None else Decimal(str(expected)))
    assert "period=2024-06" in june.url and "/projects/statistics/" in june.url


def test_funds_growth_comes_from_the_statistics(sw):
    june = computed_series(user=sw.users["staff_a"], indicator=indicator(sw.zone, "funds_in_place"), year=2024)[5]
    assert june.value == Decimal("141.5") and june.growth_pct == Decimal("41.5")
    assert "figure=funds" in june.url
    signed = computed_series(user=sw.users["leader"], indicator=indicator(sw.zone, "signed_projects"), year=2024)[5]
    assert signed.value == 3 and "figure=signed" in signed.url


def test_official_indicators_have_no_computed_series(sw):
    assert computed_series(user=sw.users["leader"], indicator=indicator(sw.zone, "gdp"), year=2024) == []


def test_matrix_counts_revisions_and_pairs_city_figures(world):
    w = with_catalog(world)
    staff = w.users["staff_gfj"]
    gdp = w.ind["gdp"]
    for growth in ("8.0", "8.2"):
        observation_record(user=staff, indicator=gdp, region="本区", year=2024, month=6, value=None,
                           growth_pct=D(growth), source="", status="")
    observation_record(user=staff, indicator=gdp, region="全市", year=2024, month=6, value=None,
                       growth_pct=D("6.1"), source="", status="")
    observation_record(user=staff, indicator=gdp, region="本区", year=2023, month=12, value=None,
                       growth_pct=D("7.0"), source="", status="")
    matrix = observation_matrix(gdp)
    assert [row.year for row in matrix] == [2024, 2023]
    assert [c.month for c in matrix[0].cells] == [3, 6, 9, 12]  # quarterly
    june = matrix[0].cells[1]
    assert (june.current.growth_pct, june.revisions, june.city.growth_pct, june.city_revisions) == (
        D("8.2"), 2, D("6.1"), 1)
    assert matrix[0].cells[0].current is None and matrix[1].cells[3].current.growth_pct == D("7.0")
