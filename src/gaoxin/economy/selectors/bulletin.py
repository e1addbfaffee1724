"""What a zone's 经济运行简报 is made of: `bulletin_input(zone=…, period=…)` gathers the figures as plain data
(document.BulletinInput) for the pure composer (economy/bulletin.py).

Official figures are the current revisions of the zone's official indicators (本区), with the comparison
period's growth, the city's (全市) growth and the year's targets; the platform's own figures are the projects
issue's period statistics, exactly as `gaoxin stats` gives them, plus the same period's signings grouped by
industry, and the 智改数转 register's period counts (transformation.selectors.counts.bulletin_figures).
The whole zone is read: callers (the CLI, the bulletin page) apply the user's scope first.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.projects.engine import Period
from gaoxin.projects.selectors.statistics import period_statistics_for_zone
from gaoxin.transformation.selectors.counts import bulletin_figures

from .. import wording
from ..document import BulletinInput, IndicatorFigure
from ..models import IndicatorKind, Region, Target
from .dashboard import signings_by_industry
from .indicators import indicators_for_zone, observations_for_zone

UNSPECIFIED_INDUSTRY = "未注明产业"


class NoBulletinData(LookupError):
    """The period has no official figure and no signing or project figure: there is nothing to write about."""


def issuer_for(zone) -> str:
    """The issuing body printed under the title: the zone's management committee."""
    name = zone.name
    return name if name.endswith("管委会") else f"{name}管委会"


def bulletin_input(*, zone, period: Period) -> BulletinInput:
    indicators = _official_figures(zone, period)
    projects = period_statistics_for_zone(zone=zone, period=period).as_contract()
    if not _has_project_figures(projects):
        projects = None
    by_industry = signed_by_industry(zone, period)
    transformation = bulletin_figures(zone=zone, year=period.year, month=period.month)
    if not indicators and projects is None and not by_industry and transformation is None:
        raise NoBulletinData(_("%(zone)s%(year)d年%(period)s（%(label)s）没有官方统计数据，也没有签约、到位资金或项目"
                               "建设数据，无法生成简报。") % {
            "zone": zone.name, "year": period.year, "period": wording.period_name(period.year, period.month),
            "label": period.label})
    return BulletinInput(
        zone_name=zone.name,
        year=period.year,
        month=period.month,
        issued_on=timezone.localdate(),
        issuer=issuer_for(zone),
        indicators=tuple(indicators),
        projects=projects,
        signed_by_industry=by_industry,
        transformation=transformation,
    )


def _official_figures(zone, period: Period) -> list[IndicatorFigure]:
    year, month = period.year, period.month
    official = [i for i in indicators_for_zone(zone) if i.kind == IndicatorKind.OFFICIAL]
    # Two queries for the whole year (本区, 全市) instead of one per indicator and month.
    own = {(o.indicator_id, o.month): o for o in observations_for_zone(zone, year=year, region=Region.ZONE)}
    city = {(o.indicator_id, o.month): o for o in observations_for_zone(zone, year=year, region=Region.CITY)}
    targets = {t.indicator_id: t for t in Target.objects.filter(zone=zone, year=year)}
    figures = []
    for indicator in official:
        current = own.get((indicator.pk, month))
        if current is None or (current.value is None and current.growth_pct is None):
            continue
        earlier = wording.comparison_month(month, indicator.frequency)
        previous = own.get((indicator.pk, earlier)) if earlier else None
        city_figure = city.get((indicator.pk, month))
        target = targets.get(indicator.pk)
        months = range(3, month + 1, 3) if indicator.frequency == "季度" else range(1, month + 1)
        history = tuple((wording.period_name(year, m), own[(indicator.pk, m)].growth_pct) for m in months
                        if (indicator.pk, m) in own and own[(indicator.pk, m)].growth_pct is not None)
        figures.append(IndicatorFigure(
            code=indicator.code,
            name=indicator.name,
            unit=indicator.unit,
            value=current.value,
            growth_pct=current.growth_pct,
            previous_growth_pct=None if previous is None else previous.growth_pct,
            previous_label=wording.period_name(year, earlier) if previous is not None else "",
            city_growth_pct=None if city_figure is None else city_figure.growth_pct,
            target_growth_pct=None if target is None else target.growth_pct,
            target_value=None if target is None else target.value,
            source=current.source,
            status=current.status,
            frequency=indicator.frequency,
            history=history,
        ))
    return figures


def _has_project_figures(contract: dict) -> bool:
    counts = ("signed_projects", "projects_started", "projects_completed", "projects_commissioned")
    if any(contract.get(key) for key in counts) or contract.get("funds_in_place_wan"):
        return True
    return any(level.get("count") for level in (contract.get("key_projects") or {}).values())


def signed_by_industry(zone, period: Period) -> dict[str, dict]:
    """{industry: {count, contract_investment_wan}} of the signings dated in the period (the same signings
    the statistics count), the largest groups first; signings without an industry are grouped together.
    The dashboard's grouping, named for the text: the bulletin and the dashboard never disagree."""
    groups = signings_by_industry(zone=zone, period=period)
    return {name or UNSPECIFIED_INDUSTRY: group for name, group in groups.items()}
