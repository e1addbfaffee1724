"""经济运行总览: headline tiles, cumulative growth lines, target progress, key projects and signings of one
zone and period, and — for a user who reads several zones — the zones ranked per headline indicator.

Reads are few and fixed in number whatever the catalog's size: the zone's catalog, the observations of
the year and the year before (本区 and 全市) in one query, the year's targets, the projects statistics,
the signings by industry, and two queries for the roll-up. Every figure carries the link to what stands
behind it (the indicator's page, or the records of the projects statistics).

Official statistics are the zone's published figures: every leader and department staff member of the
zone reads them (the department on an observation says who keeps it, not who may read it). The platform's
own figures follow the projects statistics' scope: a staff member sees their department's records.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from urllib.parse import urlencode

from django.db.models import Count, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.accounts.models import Zone
from gaoxin.core.permissions import Role
from gaoxin.investment.models import Signing
from gaoxin.projects.engine import KEY_LEVELS, Period, PeriodStatistics
from gaoxin.projects.selectors.statistics import period_statistics_for_user, period_statistics_for_zone

from .. import wording
from ..models import Frequency, Indicator, IndicatorKind, Observation, Region, Target
from .indicators import indicators_for_zone, readable_zone_ids

ZERO = Decimal(0)
MONTHS = range(1, 13)


# --- zones and periods ----------------------------------------------------------------------------------

def readable_zones(user) -> list[Zone]:
    """The zones whose economy the user may read: a leader's own and extra zones (a city-level user), a
    staff member's own zone only (staff scope never leaves their zone); own zone first."""
    ids = readable_zone_ids(user)
    if not ids:
        return []
    zones = list(Zone.objects.filter(pk__in=ids))
    return sorted(zones, key=lambda z: (z.pk != user.zone_id, z.code))


def dashboard_zone(user, code: str = "") -> Zone | None:
    """The zone `?zone=CODE` names (the user's own when blank), or None when it is not readable (→ 404)."""
    code = (code or "").strip()
    for zone in readable_zones(user):
        if (code and zone.code == code) or (not code and zone.pk == user.zone_id):
            return zone
    return None


def latest_period(zone) -> Period | None:
    """The latest month with any current 本区 observation of the zone."""
    row = (Observation.objects.filter(zone=zone, region=Region.ZONE, is_current=True)
           .order_by("-year", "-month").values_list("year", "month").first())
    return Period(*row) if row else None


def default_period(*, zone, today: dt.date | None = None) -> Period:
    """The latest month with official figures, else the last complete month."""
    latest = latest_period(zone)
    if latest is not None:
        return latest
    today = today or timezone.localdate()
    last = today.replace(day=1) - dt.timedelta(days=1)
    return Period(last.year, last.month)


def figure_month(indicator: Indicator, month: int) -> int | None:
    """The month whose figure a period shows: quarterly indicators show the latest quarter end (GDP in
    May is the 一季度 figure); None when the year has no such month yet."""
    if indicator.frequency == Frequency.QUARTERLY:
        return month - month % 3 or None
    return month


def previous_month(indicator: Indicator, month: int) -> int | None:
    """The earlier month of the year a figure is compared with — the bulletin's rule (上半年 vs 一季度,
    1—5月 vs 1—4月), so the dashboard and the bulletin say the same."""
    return wording.comparison_month(month, indicator.frequency)


# --- links -------------------------------------------------------------------------------------------------

def _url(name: str, *args, **params) -> str:
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return reverse(name, args=args) + (f"?{query}" if query else "")


def records_url(period: Period, figure: str) -> str:
    """The records behind a figure of the projects statistics (the same drill-down as its page)."""
    return _url("projects:statistics_records", period=period.label, figure=figure)


def indicator_url(indicator_id: int) -> str:
    return reverse("economy:indicator_detail", args=[indicator_id])


# --- signings by industry (also the bulletin's) -------------------------------------------------------------

def signings_by_industry(*, user=None, zone=None, period: Period) -> dict[str, dict]:
    """Signings dated in the period grouped by 产业方向: {industry: {"count", "contract_investment_wan"}}, the
    largest groups first (by count, then amount — the bulletin's order); "" groups those without one. With
    `user`, the records in their scope (and in `zone` when given); without, every record of `zone` (a
    trusted caller such as the CLI)."""
    if user is not None:
        qs = Signing.objects.visible_to(user)
        if zone is not None:
            qs = qs.filter(zone=zone)
    elif zone is not None:
        qs = Signing.objects.filter(zone=zone)
    else:
        raise ValueError("signings_by_industry needs a user or a zone")
    merged: dict[str, dict] = {}
    for row in (qs.filter(date__range=(period.start, period.end)).values("industry")
                .annotate(n=Count("id"), total=Sum("contract_investment_wan")).order_by()):
        group = merged.setdefault((row["industry"] or "").strip(), {"count": 0, "contract_investment_wan": ZERO})
        group["count"] += row["n"]
        group["contract_investment_wan"] += row["total"] or ZERO
    return dict(sorted(merged.items(), key=lambda kv: (-kv[1]["count"], -kv[1]["contract_investment_wan"], kv[0])))


# --- the dashboard ----------------------------------------------------------------------------------------

@dataclass
class Tile:
    id: str
    label: str
    value: str
    url: str
    kind: str  # 官方 | 计算
    period_label: str = ""
    growth: str = ""  # 增长8.2%
    change: str = ""  # 增速较1—5月提高0.3个百分点
    city: str = ""  # 全市增长5.0%
    status: str = ""  # 初步 / 修订 / 最终
    note: str = ""


@dataclass
class Row:
    """One line of a table behind a chart; `cells` are formatted text."""

    label: str
    url: str
    cells: list[str]


@dataclass
class TargetRow:
    name: str
    url: str
    target_growth: str
    current_growth: str
    gap: str  # current − target growth, in points
    behind: bool
    target_value: str
    current_value: str
    completion: str  # current level ÷ target level
    time_progress: str


@dataclass
class KeyRow:
    level: str
    count: int
    plan: str
    completed: str
    completion: str
    time_progress: str
    ahead: str
    behind: bool
    url: str


@dataclass
class ShareRow:
    name: str
    count: int
    amount: str
    url: str


@dataclass
class RankRow:
    rank: int | None
    zone: Zone
    value: str
    growth: str
    status: str
    url: str
    selected: bool


@dataclass
class Comparison:
    code: str
    name: str
    period_label: str
    rows: list[RankRow]


@dataclass
class EconomyDashboard:
    zone: Zone
    period: Period
    period_label: str  # 2024年上半年
    has_catalog: bool
    has_figures: bool
    tiles: list[Tile]
    growth_rows: list[Row]
    targets: list[TargetRow]
    key_projects: list[KeyRow]
    channels: list[ShareRow]
    industries: list[ShareRow]
    signed_count: int
    contract_total: str
    comparison: list[Comparison] = field(default_factory=list)
    charts: dict = field(default_factory=dict)


def _d(value) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, Fraction):
        return Decimal(value.numerator) / Decimal(value.denominator)
    return Decimal(str(value))


def _float(value) -> float | None:
    """A percentage for a chart: rounded half-up to one decimal like the text beside it."""
    return None if value is None else float(wording.round1(_d(value)))


def format_level(value, unit: str) -> str:
    """A level in its indicator's unit, as the bulletin writes it (514亿元, 45.6万元, 47个, 118.2%)."""
    return "—" if value is None else wording.format_value(_d(value), unit)


def _pct(value) -> str:
    return "—" if value is None else wording.format_pct(_d(value))


@dataclass(frozen=True)
class Fig:
    value: Decimal | None
    growth_pct: Decimal | None
    status: str
    source: str


def _observations(zone, indicators: list[Indicator], year: int) -> dict[tuple, Fig]:
    """(indicator id, region, year, month) → the current figure, for the year and the year before."""
    ids = [i.pk for i in indicators if i.kind == IndicatorKind.OFFICIAL]
    if not ids:
        return {}
    rows = (Observation.objects.filter(zone=zone, indicator_id__in=ids, is_current=True, year__in=(year - 1, year))
            .values_list("indicator_id", "region", "year", "month", "value", "growth_pct", "status", "source"))
    return {(i, r, y, m): Fig(v, g, s, src) for i, r, y, m, v, g, s, src in rows}


def _statistics(user, zone, period: Period) -> PeriodStatistics:
    """A leader reads every record of each zone they may read, so the zone's own statistics are exactly
    their scope within it (a city-level user must not see two zones added up on one zone's page); a
    staff member's are their department's records, as on the statistics page."""
    if user.role == Role.ZONE_LEADER:
        return period_statistics_for_zone(zone=zone, period=period)
    return period_statistics_for_user(user=user, period=period)


def _contract_value(data: dict, key: str):
    """A figure of the statistics JSON by its dotted key (ComputedKey), e.g. key_projects.市级.completion_pct."""
    value = data
    for part in key.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


# ComputedKey → the drill-down figure of the projects statistics
COMPUTED_FIGURES = {
    "signed_projects": "signed",
    "contract_investment_wan": "signed",
    "funds_in_place_wan": "funds",
    "projects_started": "started",
    "projects_completed": "completed",
    "projects_commissioned": "commissioned",
}


def computed_figure(key: str) -> str:
    if key.startswith("key_projects."):
        return "key:" + key.split(".")[1]
    return COMPUTED_FIGURES.get(key, "signed")


def _computed_text(indicator: Indicator, value) -> str:
    if value is None:
        return "—"
    key = indicator.computed_key
    if key.endswith("_wan"):
        return wording.format_amount(_d(value), "万元")
    if key.endswith("_pct"):
        return wording.format_pct(_d(value))
    return wording.format_count(int(value))


def _official_tile(indicator: Indicator, figures: dict, period: Period) -> Tile:
    month = figure_month(indicator, period.month)
    fig = figures.get((indicator.pk, Region.ZONE, period.year, month)) if month else None
    tile = Tile(id=f"tile-{indicator.code}", label=indicator.name, value="—", url=indicator_url(indicator.pk),
                kind=IndicatorKind.OFFICIAL,
                period_label=wording.period_name(period.year, month) if month else "")
    if fig is None:
        tile.note = _("本期暂无数据")
        return tile
    tile.value = format_level(fig.value, indicator.unit)
    tile.status = fig.status
    if fig.growth_pct is not None:
        tile.growth = wording.growth_phrase(fig.growth_pct)
        before = previous_month(indicator, month)
        prev = figures.get((indicator.pk, Region.ZONE, period.year, before)) if before else None
        if prev is not None and prev.growth_pct is not None:
            tile.change = wording.change_phrase(fig.growth_pct, prev.growth_pct,
                                                wording.period_name(period.year, before))
        city = figures.get((indicator.pk, Region.CITY, period.year, month))
        if city is not None and city.growth_pct is not None:
            tile.city = wording.city_phrase(fig.growth_pct, city.growth_pct)
    return tile


def _computed_tile(indicator: Indicator, data: dict, period: Period) -> Tile:
    key = indicator.computed_key
    value = _contract_value(data, key)
    tile = Tile(id=f"tile-{indicator.code}", label=indicator.name, value=_computed_text(indicator, value),
                url=records_url(period, computed_figure(key)), kind=IndicatorKind.COMPUTED,
                period_label=wording.period_name(period.year, period.month))
    if key == "funds_in_place_wan" and data.get("funds_in_place_growth_pct") is not None:
        tile.growth = wording.growth_phrase(_d(data["funds_in_place_growth_pct"]))
    if key.startswith("key_projects."):
        level = _contract_value(data, key.rsplit(".", 1)[0]) or {}
        if level.get("ahead_pp") is not None:
            tile.change = wording.ahead_phrase(level["ahead_pp"])
        tile.note = _("%(n)s个项目") % {"n": level.get("count", 0)}
    return tile


def _growth_chart(indicators: list[Indicator], figures: dict, year: int) -> tuple[list[Row], dict]:
    """One line per official indicator for the year (solid) and the year before (dashed); quarterly ones
    only at quarter ends. The table behind it lists the same growth rates."""
    official = [i for i in indicators if i.kind == IndicatorKind.OFFICIAL]
    series, rows = [], []
    for indicator in official:
        for y in (year, year - 1):
            values = [figures.get((indicator.pk, Region.ZONE, y, m)) for m in MONTHS]
            growth = [None if f is None else _float(f.growth_pct) for f in values]
            if all(g is None for g in growth):
                continue
            series.append({"name": _("%(name)s（%(year)s年）") % {"name": indicator.name, "year": y},
                           "data": growth, "dashed": y != year, "headline": indicator.is_headline,
                           "url": indicator_url(indicator.pk)})
            rows.append(Row(label=_("%(name)s（%(year)s年）") % {"name": indicator.name, "year": y},
                            url=indicator_url(indicator.pk),
                            cells=["" if f is None or f.growth_pct is None else _pct(f.growth_pct) for f in values]))
    chart = {"categories": [_("%(m)s月") % {"m": m} if m == 1 else _("1—%(m)s月") % {"m": m} for m in MONTHS],
             "series": series, "unit": "%"}
    return rows, chart


def _current_value(indicator: Indicator, figures: dict, data: dict, period: Period):
    """(value, growth) of any indicator for the period: published for official ones, computed otherwise."""
    if indicator.kind == IndicatorKind.OFFICIAL:
        month = figure_month(indicator, period.month)
        fig = figures.get((indicator.pk, Region.ZONE, period.year, month)) if month else None
        return (None, None) if fig is None else (fig.value, fig.growth_pct)
    value = _contract_value(data, indicator.computed_key)
    growth = data.get("funds_in_place_growth_pct") if indicator.computed_key == "funds_in_place_wan" else None
    return _d(value), _d(growth)


def _target_rows(zone, indicators: list[Indicator], figures: dict, data: dict,
                 period: Period) -> tuple[list[TargetRow], dict]:
    by_id = {i.pk: i for i in indicators}
    targets = [t for t in Target.objects.filter(zone=zone, year=period.year, indicator_id__in=by_id)
               .order_by("indicator__order", "indicator_id")]
    rows, chart = [], {"categories": [], "target": [], "current": [], "urls": [],
                       "series": [_("年度目标增速（%）"), _("当前累计增速（%）")]}
    time_progress = _d(period.time_progress)
    for target in targets:
        indicator = by_id[target.indicator_id]
        value, growth = _current_value(indicator, figures, data, period)
        gap = None if growth is None or target.growth_pct is None else growth - target.growth_pct
        completion = None
        if target.value and value is not None and indicator.unit != "%":
            completion = value * 100 / target.value
        show = format_level if indicator.kind == IndicatorKind.OFFICIAL else (
            lambda v, _unit, i=indicator: _computed_text(i, v))
        rows.append(TargetRow(
            name=indicator.name, url=indicator_url(indicator.pk),
            target_growth=_pct(target.growth_pct), current_growth=_pct(growth),
            gap="—" if gap is None else wording.format_signed_pp(gap),
            behind=gap is not None and gap < 0,
            target_value=show(target.value, indicator.unit) if target.value is not None else "—",
            current_value=show(value, indicator.unit) if value is not None else "—",
            completion=_pct(completion), time_progress=_pct(time_progress) if completion is not None else "—",
        ))
        if target.growth_pct is not None:
            chart["categories"].append(indicator.name)
            chart["target"].append(_float(target.growth_pct))
            chart["current"].append(_float(growth))
            chart["urls"].append(indicator_url(indicator.pk))
    return rows, chart


def _key_rows(data: dict, period: Period) -> tuple[list[KeyRow], dict]:
    rows = []
    for level in KEY_LEVELS:
        f = data["key_projects"].get(level)
        if f is None:
            continue
        ahead = f["ahead_pp"]
        rows.append(KeyRow(
            level=level, count=f["count"], plan=format_level(f["plan_wan"], "万元"),
            completed=format_level(f["completed_wan"], "万元"), completion=_pct(f["completion_pct"]),
            time_progress=_pct(f["time_progress_pct"]),
            ahead="—" if ahead is None else wording.format_signed_pp(ahead),
            behind=ahead is not None and ahead < 0, url=records_url(period, f"key:{level}"),
        ))
    chart = {"levels": [r.level for r in rows],
             "completion": [_float(data["key_projects"][r.level]["completion_pct"]) for r in rows],
             "time_progress": [_float(data["key_projects"][r.level]["time_progress_pct"]) for r in rows],
             "urls": [r.url for r in rows], "series": [_("投资完成率（%）"), _("时序进度（%）")]}
    return rows, chart


def _yi(wan) -> float:
    """万元 → 亿元 for a chart axis, one decimal."""
    return float(wording.round1(_d(wan) / 10000))


def _channel_rows(data: dict, period: Period) -> list[ShareRow]:
    return [ShareRow(name=name, count=f["count"], amount=format_level(f["contract_investment_wan"], "万元"),
                     url=records_url(period, f"channel:{name}"))
            for name, f in sorted(data["signed_by_channel"].items(),
                                  key=lambda kv: (-kv[1]["contract_investment_wan"], kv[0]))]


def _industry_rows(industries: dict, period: Period) -> list[ShareRow]:
    return [ShareRow(name=name or _("未注明产业"), count=f["count"],
                     amount=format_level(f["contract_investment_wan"], "万元"),
                     url=_url("investment:signing_list", industry=name, date_after=period.start.isoformat(),
                              date_before=period.end.isoformat()) if name else "")
            for name, f in industries.items()]


def economy_dashboard(*, user, zone, period: Period) -> EconomyDashboard:
    """Everything the dashboard shows for one zone the user may read (`dashboard_zone`) and one period."""
    zones = readable_zones(user)
    if zone.pk not in {z.pk for z in zones}:
        raise PermissionError("zone outside the user's scope")  # callers resolve zones via dashboard_zone
    indicators = indicators_for_zone(zone)
    figures = _observations(zone, indicators, period.year)
    stats = _statistics(user, zone, period)
    data = stats.as_contract()

    tiles = []
    for indicator in indicators:
        if not indicator.is_headline:
            continue
        if indicator.kind == IndicatorKind.OFFICIAL:
            tiles.append(_official_tile(indicator, figures, period))
        else:
            tiles.append(_computed_tile(indicator, data, period))
    growth_rows, growth_chart = _growth_chart(indicators, figures, period.year)
    targets, target_chart = _target_rows(zone, indicators, figures, data, period)
    keys, key_chart = _key_rows(data, period)
    channels = _channel_rows(data, period)
    by_industry = signings_by_industry(user=user, zone=zone, period=period)
    industries = _industry_rows(by_industry, period)
    board = EconomyDashboard(
        zone=zone, period=period, period_label=_("%(year)s年%(period)s") % {
            "year": period.year, "period": wording.period_name(period.year, period.month)},
        has_catalog=bool(indicators),
        has_figures=any(k[1] == Region.ZONE and k[2] == period.year for k in figures),
        tiles=tiles, growth_rows=growth_rows, targets=targets, key_projects=keys, channels=channels,
        industries=industries, signed_count=data["signed_projects"],
        contract_total=format_level(data["contract_investment_wan"], "万元"),
    )
    board.charts = {
        "growth": growth_chart,
        "targets": target_chart,
        "key_projects": key_chart,
        "channels": {"names": [r.name for r in channels], "urls": [r.url for r in channels],
                     "values": [_yi(data["signed_by_channel"][r.name]["contract_investment_wan"]) for r in channels],
                     "counts": [r.count for r in channels], "unit": _("亿元")},
        "industries": {"names": [r.name for r in industries], "urls": [r.url for r in industries],
                       "values": [_yi(f["contract_investment_wan"]) for f in by_industry.values()],
                       "counts": [r.count for r in industries],
                       "unit": _("亿元")},
    }
    if len(zones) > 1:
        board.comparison = zone_comparison(user=user, period=period, zone=zone, zones=zones, indicators=indicators)
    return board


# --- the roll-up across zones ---------------------------------------------------------------------------

def zone_comparison(*, user, period: Period, zone=None, zones: list[Zone] | None = None,
                    indicators: list[Indicator] | None = None) -> list[Comparison]:
    """各园区对比: for each headline official indicator of `zone`'s catalog (matched by code in the other
    zones), every zone the user may read ranked by cumulative growth for the period (equal growth, equal
    rank; zones without a figure last, unranked), with the level and a link to that zone's indicator."""
    zones = readable_zones(user) if zones is None else zones
    allowed = {z.pk for z in readable_zones(user)}
    zones = [z for z in zones if z.pk in allowed]  # never beyond the user's scope, whatever the caller passes
    if not zones:
        return []
    zone = zone or zones[0]
    if indicators is None:
        indicators = indicators_for_zone(zone)
    headline = [i for i in indicators if i.is_headline and i.kind == IndicatorKind.OFFICIAL]
    if not headline:
        return []
    codes = [i.code for i in headline]
    catalog = {(z, code): (pk, unit, freq) for z, code, pk, unit, freq in Indicator.objects.filter(
        zone__in=[z.pk for z in zones], code__in=codes, kind=IndicatorKind.OFFICIAL, is_active=True,
    ).values_list("zone_id", "code", "pk", "unit", "frequency")}
    months = {figure_month(i, period.month) for i in headline} - {None}
    found = {(ind, m): Fig(v, g, s, src) for ind, m, v, g, s, src in Observation.objects.filter(
        indicator_id__in=[pk for pk, _unit, _freq in catalog.values()], region=Region.ZONE, is_current=True,
        year=period.year, month__in=months,
    ).values_list("indicator_id", "month", "value", "growth_pct", "status", "source")}
    panels = []
    for indicator in headline:
        month = figure_month(indicator, period.month)
        entries = []
        for z in zones:
            pk, unit, _freq = catalog.get((z.pk, indicator.code), (None, indicator.unit, None))
            fig = found.get((pk, month)) if pk and month else None
            entries.append((z, pk, unit, fig))
        ranked = sorted((e for e in entries if e[3] is not None and e[3].growth_pct is not None),
                        key=lambda e: (-e[3].growth_pct, e[0].code))
        rows, rank, last = [], 0, None
        for position, (z, pk, unit, fig) in enumerate(ranked, start=1):
            if fig.growth_pct != last:
                rank, last = position, fig.growth_pct
            rows.append(RankRow(rank=rank, zone=z, value=format_level(fig.value, unit), growth=_pct(fig.growth_pct),
                                status=fig.status, url=indicator_url(pk), selected=z.pk == zone.pk))
        for z, pk, unit, fig in entries:
            if fig is None or fig.growth_pct is None:
                rows.append(RankRow(rank=None, zone=z, value=format_level(fig.value if fig else None, unit),
                                    growth="—", status=fig.status if fig else "", url=indicator_url(pk) if pk else "",
                                    selected=z.pk == zone.pk))
        panels.append(Comparison(code=indicator.code, name=indicator.name,
                                 period_label=wording.period_name(period.year, month) if month else "", rows=rows))
    return panels
