"""Period counts of the 智改数转 register (the bulletin's 产业转型 section, the counts page, the API): the
engine's rows gathered with a few `values_list` queries, for a whole zone (the bulletin, trusted callers)
or a user's data scope (the pages: a leader's zone, a staff member's department), and the records behind
each count for the drill-down.

The arithmetic is the engine's (`engine.period_counts`, `engine.period_ids`): this module only decides which
rows are facts, so a count and its drill-down cannot disagree.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from gaoxin.economy.document import Showcase, TransformationFigures
from gaoxin.projects.engine import Period

from .. import engine
from ..models import CERTIFIED_KINDS, RETROFIT_KINDS, Measurement, RndInstitution, TransformationProject
from .projects import METRIC_ORDER


@dataclass(frozen=True)
class Sources:
    """The querysets the facts come from: a zone's rows, or the rows a user may read."""

    projects: QuerySet
    institutions: QuerySet
    measurements: QuerySet


def zone_sources(zone) -> Sources:
    return Sources(TransformationProject.objects.filter(zone=zone), RndInstitution.objects.filter(zone=zone),
                   Measurement.objects.filter(zone=zone))


def user_sources(user) -> Sources:
    return Sources(TransformationProject.objects.visible_to(user), RndInstitution.objects.visible_to(user),
                   Measurement.objects.visible_to(user))


def _rows(sources: Sources, start: dt.date, end: dt.date):
    """(id, ProjectRow) and (id, InstitutionRow) pairs of the rows that may count in [start, end]; the engine
    decides which do (the query only leaves out rows that cannot)."""
    may_count = (Q(kind__in=RETROFIT_KINDS, started_on__range=(start, end))
                 | Q(kind__in=CERTIFIED_KINDS, certified_on__range=(start, end)))
    projects = [(pk, engine.ProjectRow(kind, started_on, level, certified_on)) for pk, kind, started_on, level, certified_on
                in sources.projects.filter(may_count).values_list("id", "kind", "started_on", "level", "certified_on")]
    institutions = [(pk, engine.InstitutionRow(enterprise_id, recognized_on)) for pk, enterprise_id, recognized_on
                    in sources.institutions.filter(recognized_on__range=(start, end))
                    .values_list("id", "enterprise_id", "recognized_on")]
    return projects, institutions


def counts_from(sources: Sources, period: Period) -> engine.PeriodCounts:
    projects, institutions = _rows(sources, period.start, period.end)
    return engine.period_counts([p for _pk, p in projects], [i for _pk, i in institutions],
                                start=period.start, end=period.end)


def record_ids_from(sources: Sources, period: Period) -> dict:
    projects, institutions = _rows(sources, period.start, period.end)
    return engine.period_ids(projects, institutions, start=period.start, end=period.end)


def period_counts_for_zone(*, zone, period: Period) -> engine.PeriodCounts:
    """Cumulative 1 January → end of the period's month: retrofits started, certifications, R&D institutions."""
    return counts_from(zone_sources(zone), period)


def period_counts_for_user(*, user, period: Period) -> engine.PeriodCounts:
    return counts_from(user_sources(user), period)


def period_record_ids(*, zone, period: Period) -> dict:
    """The ids behind each count of `period_counts_for_zone`: ("started", kind), ("certified", level, kind),
    "institutions" and "institution_enterprises" (enterprise ids)."""
    return record_ids_from(zone_sources(zone), period)


def period_record_ids_for_user(*, user, period: Period) -> dict:
    return record_ids_from(user_sources(user), period)


def showcases_from(sources: Sources, period: Period) -> tuple[Showcase, ...]:
    """The 典型案例: featured projects with measurements whose after-period ends in the year up to the period's
    end, each with its improvements worded as the bulletin prints them (效率, 不良率, 运营成本, 单位能耗)."""
    measurements = (sources.measurements.filter(project__featured=True, project__in=sources.projects,
                                                after_to__range=(period.start, period.end))
                    .select_related("project", "project__enterprise").order_by("project_id", "pk"))
    by_project: dict[int, list[Measurement]] = {}
    for measurement in measurements:
        by_project.setdefault(measurement.project_id, []).append(measurement)
    cases = []
    for group in by_project.values():
        project = group[0].project
        group.sort(key=lambda m: METRIC_ORDER.get(m.metric, len(METRIC_ORDER)))
        phrases = [engine.improvement_phrase(m.display_label, m.metric,
                                             engine.improvement_pct(m.before_value, m.after_value)) for m in group]
        phrases = tuple(p for p in phrases if p)
        if phrases:
            cases.append(Showcase(subject=f"{project.enterprise.name}{project.name}", improvements=phrases))
    return tuple(cases)


def figures_from(sources: Sources, period: Period) -> TransformationFigures | None:
    counts = counts_from(sources, period)
    showcases = showcases_from(sources, period)
    if counts.empty and not showcases:
        return None
    return TransformationFigures(
        started=tuple(counts.started.items()),
        certified=tuple((level, kind, count, engine.unit_of(kind)) for (level, kind), count in counts.certified.items()),
        institution_enterprises=counts.institution_enterprises,
        showcases=showcases,
    )


def bulletin_figures(*, zone, year: int, month: int) -> TransformationFigures | None:
    """The bulletin's 产业转型 figures for 1 January → end of `month`; None when the period has no count and no
    showcase (the bulletin then leaves the section out)."""
    return figures_from(zone_sources(zone), Period(year, month))


def figures_for_user(*, user, period: Period) -> TransformationFigures | None:
    return figures_from(user_sources(user), period)
