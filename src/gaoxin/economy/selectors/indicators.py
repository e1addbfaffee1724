"""Reading the indicator catalog, the official figures with their revisions, and the targets.

The zone-level functions (`indicators_for_zone`, `current_observation`, `observations_for_zone`,
`observation_history`, `target_for`) are the contract other parts of the economy app build on (the bulletin
for a zone, the dashboard); they apply no user scope, their callers do. The `…_for_user` functions apply the
pages' and the API's scope: economic figures are the zone's, read by its leaders (and city-level leaders
for the zones they may read) and by all department staff of the zone, whichever department keeps them —
a 经信局 officer needs the GDP the 改革发展局 imported. Enterprise users and administrators read none.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils import timezone

from gaoxin.core.permissions import Role
from gaoxin.projects.engine import Period

from ..models import Indicator, IndicatorKind, Observation, Region, Target

# --- the contract: a zone's catalog and figures -------------------------------------------------------------


def indicators_for_zone(zone, *, active: bool = True) -> list[Indicator]:
    """The zone's catalog in display order; `active=False` gives the whole catalog, deactivated ones too."""
    qs = Indicator.objects.filter(zone=zone)
    if active:
        qs = qs.filter(is_active=True)
    return list(qs.order_by("order", "id"))


def current_observation(indicator, year: int, month: int, region: str = Region.ZONE) -> Observation | None:
    """The current (latest) revision of a figure, or None when nothing was recorded."""
    return (Observation.objects.filter(indicator=indicator, region=region, year=year, month=month, is_current=True)
            .select_related("indicator", "recorded_by", "department").first())


def observations_for_zone(zone, *, year: int | None = None, region: str = Region.ZONE) -> QuerySet:
    """The zone's current figures (one row per indicator and period), optionally of one year."""
    qs = Observation.objects.filter(zone=zone, region=region, is_current=True).select_related("indicator")
    if year is not None:
        qs = qs.filter(year=year)
    return qs.order_by("indicator__order", "indicator_id", "year", "month")


def observation_history(indicator, year: int, month: int, region: str = Region.ZONE) -> list[Observation]:
    """Every revision of a figure, newest first, with who recorded it."""
    return list(Observation.objects.filter(indicator=indicator, region=region, year=year, month=month)
                .select_related("recorded_by", "department").order_by("-revision"))


def target_for(indicator, year: int) -> Target | None:
    return Target.objects.filter(indicator=indicator, year=year).first()


# --- scope ---------------------------------------------------------------------------------------------------


def readable_zone_ids(user) -> list[int]:
    """The zones whose economic figures `user` may read: a leader's readable zones, a staff member's zone."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    if user.role == Role.ZONE_LEADER:
        return user.readable_zone_ids()
    if user.role == Role.DEPARTMENT_STAFF and user.zone_id:
        return [user.zone_id]
    return []


def indicators_visible_to(user) -> QuerySet:
    return Indicator.objects.filter(zone_id__in=readable_zone_ids(user))


def indicator_for_user(user, pk) -> Indicator | None:
    return indicators_visible_to(user).select_related("zone").filter(pk=pk).first()


def observations_visible_to(user) -> QuerySet:
    return Observation.objects.filter(zone_id__in=readable_zone_ids(user))


def targets_visible_to(user) -> QuerySet:
    return Target.objects.filter(zone_id__in=readable_zone_ids(user))


def zone_for_user(user, code: str | None = None):
    """The zone a page shows: the named one when the user may read it, else the user's own zone (None when
    the named zone is not readable: the page answers 404)."""
    from gaoxin.accounts.models import Zone

    ids = readable_zone_ids(user)
    if code:
        return Zone.objects.filter(code=code, pk__in=ids).first()
    return Zone.objects.filter(pk=user.zone_id, pk__in=ids).first() if user.zone_id else None


def readable_zones(user) -> list:
    from gaoxin.accounts.models import Zone

    return list(Zone.objects.filter(pk__in=readable_zone_ids(user)).order_by("code"))


# --- the pages' shapes -----------------------------------------------------------------------------------------


@dataclass
class CatalogRow:
    indicator: Indicator
    latest: Observation | None  # the most recent current 本区 figure (official indicators)


def catalog_rows(zone, *, include_inactive: bool = False) -> list[CatalogRow]:
    """The catalog with the latest current 本区 figure of each official indicator (two queries)."""
    indicators = indicators_for_zone(zone, active=not include_inactive)
    latest: dict[int, Observation] = {}
    for obs in (Observation.objects.filter(zone=zone, region=Region.ZONE, is_current=True,
                                           indicator__in=[i.pk for i in indicators])
                .order_by("indicator_id", "-year", "-month")):
        latest.setdefault(obs.indicator_id, obs)
    return [CatalogRow(i, latest.get(i.pk)) for i in indicators]


@dataclass
class Cell:
    """One period of the year × month table: the current figure, how many revisions it has, and the city's."""

    month: int
    current: Observation | None = None
    revisions: int = 0
    city: Observation | None = None
    city_revisions: int = 0


@dataclass
class YearRow:
    year: int
    cells: list[Cell] = field(default_factory=list)
    target: Target | None = None


def observation_matrix(indicator: Indicator, *, years: list[int] | None = None) -> list[YearRow]:
    """Years (newest first) × months of an official indicator: current 本区 and 全市 figures with revision
    counts; months without a figure are empty cells. Quarterly indicators list only quarter ends."""
    qs = Observation.objects.filter(indicator=indicator)
    if years:
        qs = qs.filter(year__in=years)
    counts = {(r["region"], r["year"], r["month"]): r["n"]
              for r in qs.values("region", "year", "month").annotate(n=Count("id"))}
    current = {(o.region, o.year, o.month): o for o in qs.filter(is_current=True)}
    present = sorted({y for _r, y, _m in counts} | set(years or []), reverse=True)
    months = (3, 6, 9, 12) if indicator.frequency == "季度" else tuple(range(1, 13))
    targets = {t.year: t for t in Target.objects.filter(indicator=indicator, year__in=present)}
    rows = []
    for year in present:
        row = YearRow(year, target=targets.get(year))
        for month in months:
            row.cells.append(Cell(
                month, current.get((Region.ZONE, year, month)), counts.get((Region.ZONE, year, month), 0),
                current.get((Region.CITY, year, month)), counts.get((Region.CITY, year, month), 0)))
        rows.append(row)
    return rows


def latest_current(indicator: Indicator, *, year: int | None = None, region: str = Region.ZONE,
                   ) -> Observation | None:
    qs = Observation.objects.filter(indicator=indicator, region=region, is_current=True)
    if year is not None:
        qs = qs.filter(year=year)
    return qs.order_by("-year", "-month").first()


# --- computed indicators: the projects issue's statistics, month by month ------------------------------------

# computed_key → the drill-down figure of projects:statistics_records
DRILL_FIGURE = {
    "signed_projects": "signed",
    "contract_investment_wan": "signed",
    "funds_in_place_wan": "funds",
    "projects_started": "started",
    "projects_completed": "completed",
    "projects_commissioned": "commissioned",
    "key_projects.市级.completion_pct": "key:市级",
    "key_projects.区级.completion_pct": "key:区级",
}
# computed_key → the contract key of its growth, where the statistics have one
GROWTH_KEY = {"funds_in_place_wan": "funds_in_place_growth_pct"}


def contract_value(contract: dict, key: str):
    """A dotted path into PeriodStatistics.as_contract() ("key_projects.市级.completion_pct")."""
    value = contract
    for part in key.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def drill_url(computed_key: str, period: Period) -> str | None:
    figure = DRILL_FIGURE.get(computed_key)
    if figure is None:
        return None
    return reverse("projects:statistics_records") + "?" + urlencode({"period": period.label, "figure": figure})


@dataclass(frozen=True)
class ComputedFigure:
    period: Period
    value: Decimal | None
    growth_pct: Decimal | None
    url: str | None


def _decimal(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def computed_series(*, user, indicator: Indicator, year: int) -> list[ComputedFigure]:
    """The figure of a computed indicator for each month of `year` up to the current month, as the
    statistics page computes it for this user (gaoxin.projects: never recomputed differently here)."""
    from gaoxin.projects.selectors.statistics import period_statistics_for_user

    if indicator.kind != IndicatorKind.COMPUTED or not indicator.computed_key:
        return []
    today = timezone.localdate()
    last = 12 if year < today.year else (today.month if year == today.year else 0)
    figures = []
    for month in range(1, last + 1):
        if indicator.frequency == "季度" and month % 3:
            continue
        period = Period(year, month)
        contract = period_statistics_for_user(user=user, period=period).as_contract()
        growth_key = GROWTH_KEY.get(indicator.computed_key)
        figures.append(ComputedFigure(
            period, _decimal(contract_value(contract, indicator.computed_key)),
            _decimal(contract.get(growth_key)) if growth_key else None,
            drill_url(indicator.computed_key, period)))
    return figures


def years_with_data(indicator: Indicator) -> list[int]:
    return sorted(set(Observation.objects.filter(indicator=indicator).values_list("year", flat=True)), reverse=True)


def target_rows(zone, year: int) -> list[dict]:
    """Every active indicator of the zone with its target for `year` and, where data exists, the latest
    current 本区 figure of that year (official) — the targets page's progress column."""
    indicators = indicators_for_zone(zone)
    targets = {t.indicator_id: t for t in Target.objects.filter(zone=zone, year=year).select_related("department")}
    latest: dict[int, Observation] = {}
    for obs in observations_for_zone(zone, year=year).order_by("indicator_id", "-month"):
        latest.setdefault(obs.indicator_id, obs)
    grouped = defaultdict(list)
    for indicator in indicators:
        grouped[indicator.kind].append({"indicator": indicator, "target": targets.get(indicator.pk),
                                        "latest": latest.get(indicator.pk)})
    return grouped[IndicatorKind.OFFICIAL] + grouped[IndicatorKind.COMPUTED]
