"""Period statistics (`gaoxin stats`, the statistics page, the API): the engine's facts gathered from the
database with a handful of `values_list` queries, for a whole zone (trusted CLI) or a user's data scope,
and the drill-down from each figure to the records behind it.

The arithmetic is the engine's (`engine.period_statistics`); this module only decides which rows are
facts. A staff user's figures are their department's records (`visible_to`), a leader's the zone's.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Q, QuerySet, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from gaoxin.investment.models import FundTranche, Signing

from ..engine import (
    KEY_LEVELS,
    SIZE_BUCKETS,
    ZERO,
    Period,
    PeriodStatistics,
    ProjectFact,
    SigningFact,
    TrancheFact,
    period_statistics,
)
from ..models import AnnualPlan, MonthlyInvestment, Project


@dataclass(frozen=True)
class Sources:
    """The querysets the facts come from: a zone's rows, or the rows a user may read."""

    signings: QuerySet
    tranches: QuerySet
    projects: QuerySet


def _zone_sources(zone) -> Sources:
    return Sources(Signing.objects.filter(zone=zone), FundTranche.objects.filter(zone=zone),
                   Project.objects.filter(zone=zone))


def _user_sources(user) -> Sources:
    return Sources(Signing.objects.visible_to(user), FundTranche.objects.visible_to(user),
                   Project.objects.visible_to(user))


def _between(period: Period) -> tuple[dt.date, dt.date]:
    return period.start, period.end


def _statistics(sources: Sources, period: Period) -> PeriodStatistics:
    signings = [
        SigningFact(pk, date, amount, channel)
        for pk, date, amount, channel in sources.signings.filter(date__range=_between(period))
        .values_list("id", "date", "contract_investment_wan", "channel")
    ]
    previous = period.previous_year()
    tranches = [
        TrancheFact(pk, date, amount)
        for pk, date, amount in sources.tranches
        .filter(Q(date__range=_between(period)) | Q(date__range=_between(previous)))
        .values_list("id", "date", "amount_wan")
    ]
    in_period = Q()
    for field in ("start_date", "completion_date", "commission_date"):
        in_period |= Q(**{f"{field}__range": _between(period)})
    rows = list(sources.projects.filter(in_period | Q(key_level__in=KEY_LEVELS))
                .values_list("id", "key_level", "start_date", "completion_date", "commission_date"))
    key_ids = [row[0] for row in rows if row[1]]
    plans: dict[int, dict[int, Decimal]] = defaultdict(dict)
    reports: dict[int, dict[tuple[int, int], Decimal]] = defaultdict(dict)
    if key_ids:
        for project_id, year, plan in AnnualPlan.objects.filter(
                project__in=sources.projects.filter(key_level__in=KEY_LEVELS), year=period.year,
        ).values_list("project_id", "year", "plan_wan"):
            plans[project_id][year] = plan
        for project_id, year, month, amount in MonthlyInvestment.objects.filter(
                project__in=sources.projects.filter(key_level__in=KEY_LEVELS), year=period.year,
                month__lte=period.month,
        ).values_list("project_id", "year", "month", "completed_wan"):
            reports[project_id][(year, month)] = amount
    projects = [
        ProjectFact(pk, level, start, completion, commission, plans=plans.get(pk, {}), reports=reports.get(pk, {}))
        for pk, level, start, completion, commission in rows
    ]
    return period_statistics(period, signings=signings, tranches=tranches, projects=projects)


def period_statistics_for_zone(*, zone, period: Period) -> PeriodStatistics:
    """Every record of the zone (the CLI: a trusted caller without a user)."""
    return _statistics(_zone_sources(zone), period)


def period_statistics_for_user(*, user, period: Period) -> PeriodStatistics:
    """The records in the user's data scope: a leader's zone, a staff member's department."""
    return _statistics(_user_sources(user), period)


# --- drill-down ------------------------------------------------------------------------------------------

SIGNINGS, TRANCHES, PROJECTS, KEY_PROJECTS = "signings", "tranches", "projects", "key_projects"


class UnknownFigure(ValueError):
    """A `figure` parameter that names no figure of the statistics; the message lists what is accepted."""


@dataclass(frozen=True)
class DrillDown:
    figure: str
    label: str
    kind: str  # signings | tranches | projects | key_projects
    ids: tuple[int, ...]
    window: tuple[dt.date, dt.date]
    list_url: str  # the register's own list, filtered to the same records where its filters can say so


def figure_names(stats: PeriodStatistics) -> list[str]:
    """Every figure the page links, in display order."""
    return (["signed"] + [f"size:{name}" for name, _floor in SIZE_BUCKETS] + [f"channel:{c}" for c in stats.by_channel]
            + ["funds", "funds_prev", "started", "completed", "commissioned"] + [f"key:{lv}" for lv in KEY_LEVELS])


def _url(name: str, **params) -> str:
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return reverse(name) + (f"?{query}" if query else "")


def drill_down(stats: PeriodStatistics, figure: str) -> DrillDown:
    """Which records stand behind `figure` (signed | size:<bucket> | channel:<channel> | funds | funds_prev |
    started | completed | commissioned | key:<level>) and which list page shows them."""
    period = stats.period
    start, end = period.start.isoformat(), period.end.isoformat()
    window = (period.start, period.end)
    kind, _sep, arg = (figure or "").partition(":")
    if figure == "signed":
        return DrillDown(figure, _("签约项目"), SIGNINGS, stats.signing_ids, window,
                         _url("investment:signing_list", date_after=start, date_before=end))
    if kind == "size" and arg in {name for name, _floor in SIZE_BUCKETS}:
        return DrillDown(figure, _("签约项目（%(size)s）") % {"size": arg}, SIGNINGS, stats.by_size.get(arg, ()), window,
                         _url("investment:signing_list", date_after=start, date_before=end, size=arg))
    if kind == "channel" and arg:
        ids = stats.by_channel.get(arg, ((), ZERO))[0]
        return DrillDown(figure, _("签约项目（%(channel)s）") % {"channel": arg}, SIGNINGS, ids, window,
                         _url("investment:signing_list", date_after=start, date_before=end, channel=arg))
    if figure == "funds":
        return DrillDown(figure, _("到位资金"), TRANCHES, stats.tranche_ids, window,
                         _url("investment:fund_list", date_after=start, date_before=end))
    if figure == "funds_prev":
        prev = period.previous_year()
        return DrillDown(figure, _("到位资金（上年同期）"), TRANCHES, stats.prev_tranche_ids, (prev.start, prev.end),
                         _url("investment:fund_list", date_after=prev.start.isoformat(),
                              date_before=prev.end.isoformat()))
    milestones = {"started": (_("开工项目"), stats.started_ids, "started"),
                  "completed": (_("竣工项目"), stats.completed_ids, "completed"),
                  "commissioned": (_("投产项目"), stats.commissioned_ids, "commissioned")}
    if figure in milestones:
        label, ids, prefix = milestones[figure]
        return DrillDown(figure, label, PROJECTS, ids, window,
                         _url("projects:project_list", **{f"{prefix}_after": start, f"{prefix}_before": end}))
    if kind == "key" and arg in stats.key_projects:
        return DrillDown(figure, _("%(level)s重点项目") % {"level": arg}, KEY_PROJECTS,
                         stats.key_projects[arg].project_ids, window,
                         _url("projects:project_list", key_level=arg, plan_year=period.year))
    raise UnknownFigure(_("统计项“%(figure)s”无法识别，应为 signed、size:<规模>、channel:<招商方式>、funds、funds_prev、"
                          "started、completed、commissioned 或 key:<市级|区级>。") % {"figure": figure})


@dataclass(frozen=True)
class RecordRow:
    """One record behind a figure, with the amounts the figure adds up."""

    obj: object
    amount: Decimal | None = None  # contract investment, tranche amount or total investment
    plan_wan: Decimal | None = None
    completed_wan: Decimal | None = None


@dataclass(frozen=True)
class RecordList:
    drill: DrillDown
    rows: list[RecordRow]
    count: int
    amount: Decimal | None
    plan_wan: Decimal | None = None
    completed_wan: Decimal | None = None


def drill_down_records(*, user, stats: PeriodStatistics, figure: str) -> RecordList:
    """The records behind a figure, read again through the user's scope, with a total row that reconciles
    with the figure (the same ids, the same amounts)."""
    drill = drill_down(stats, figure)
    ids = list(drill.ids)
    if drill.kind == SIGNINGS:
        qs = (Signing.objects.visible_to(user).filter(pk__in=ids).select_related("project", "department")
              .order_by("date", "id"))
        rows = [RecordRow(s, amount=s.contract_investment_wan) for s in qs]
    elif drill.kind == TRANCHES:
        qs = (FundTranche.objects.visible_to(user).filter(pk__in=ids).select_related("project", "department")
              .order_by("date", "id"))
        rows = [RecordRow(t, amount=t.amount_wan) for t in qs]
    else:
        qs = Project.objects.visible_to(user).filter(pk__in=ids).select_related("department", "enterprise")
        year, month = stats.period.year, stats.period.month
        plans = dict(AnnualPlan.objects.filter(project_id__in=ids, year=year).values_list("project_id", "plan_wan"))
        done = dict(MonthlyInvestment.objects.filter(project_id__in=ids, year=year, month__lte=month)
                    .values("project_id").annotate(total=Sum("completed_wan")).values_list("project_id", "total"))
        if drill.kind == KEY_PROJECTS:
            rows = [RecordRow(p, amount=p.total_investment_wan, plan_wan=plans.get(p.pk, ZERO),
                              completed_wan=done.get(p.pk) or ZERO) for p in qs.order_by("code")]
        else:
            field = {"started": "start_date", "completed": "completion_date", "commissioned": "commission_date"}
            rows = [RecordRow(p, amount=p.total_investment_wan) for p in qs.order_by(field[figure], "code")]
    key = drill.kind == KEY_PROJECTS
    return RecordList(
        drill=drill, rows=rows, count=len(rows), amount=sum((r.amount for r in rows), ZERO),
        plan_wan=sum((r.plan_wan for r in rows), ZERO) if key else None,
        completed_wan=sum((r.completed_wan for r in rows), ZERO) if key else None,
    )


# --- the figures as rows (the CLI's table, the xlsx) ---------------------------------------------------------

COUNT, AMOUNT, PERCENT, POINTS = "count", "amount", "percent", "points"


def figure_rows(data: dict) -> list[tuple[str, int | float | None, str, int]]:
    """(label, value, kind, indent) for every figure of the contract JSON, in reading order; `kind` is
    count | amount (万元) | percent | points (percentage points)."""
    rows = [(_("签约项目"), data["signed_projects"], COUNT, 0),
            (_("合同投资额"), data["contract_investment_wan"], AMOUNT, 0)]
    for size, n in data["signed_by_size"].items():
        rows.append((_("其中%(size)s") % {"size": size}, n, COUNT, 1))
    for channel, figures in data["signed_by_channel"].items():
        rows.append((_("%(channel)s：项目") % {"channel": channel}, figures["count"], COUNT, 1))
        rows.append((_("%(channel)s：合同投资额") % {"channel": channel}, figures["contract_investment_wan"], AMOUNT, 1))
    rows += [
        (_("到位资金"), data["funds_in_place_wan"], AMOUNT, 0),
        (_("上年同期到位资金"), data["funds_in_place_prev_wan"], AMOUNT, 0),
        (_("到位资金同比增长"), data["funds_in_place_growth_pct"], PERCENT, 0),
        (_("开工项目"), data["projects_started"], COUNT, 0),
        (_("竣工项目"), data["projects_completed"], COUNT, 0),
        (_("投产项目"), data["projects_commissioned"], COUNT, 0),
    ]
    for level, figures in data["key_projects"].items():
        rows += [
            (_("%(level)s重点项目") % {"level": level}, figures["count"], COUNT, 0),
            (_("年度计划投资"), figures["plan_wan"], AMOUNT, 1),
            (_("累计完成投资"), figures["completed_wan"], AMOUNT, 1),
            (_("完成率"), figures["completion_pct"], PERCENT, 1),
            (_("时序进度"), figures["time_progress_pct"], PERCENT, 1),
            (_("超（欠）时序进度"), figures["ahead_pp"], POINTS, 1),
        ]
    return rows


def unit_of(kind: str) -> str:
    return {COUNT: _("个"), AMOUNT: _("万元"), PERCENT: "%", POINTS: _("个百分点")}[kind]
