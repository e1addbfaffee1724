"""Warning lights (红黄绿灯) per project: investment progress against 时序进度 (key projects), start
overdue (every project), and the worst light of its unresolved issues. Few queries: plans, reports and
issues are prefetched for all projects at once."""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.db.models import Max, Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import engine
from ..models import (
    UNRESOLVED_ISSUE_STATUSES,
    AnnualPlan,
    MonthlyInvestment,
    Project,
    ProjectIssue,
    ProjectSettings,
)
from .settings import rules_of
from .taskforces import readable_projects

Light = engine.Light


@dataclass
class ProjectWarning:
    project: Project
    light: engine.Light
    signals: list[engine.Signal]
    plan_wan: Decimal | None = None
    completed_wan: Decimal = Decimal(0)

    @property
    def progress(self) -> engine.Signal | None:
        return next((s for s in self.signals if s.kind == "progress"), None)

    @property
    def behind(self) -> Fraction:
        """How far behind 时序进度, in points (0 without a progress light); sorts the red/yellow list."""
        signal = self.progress
        return signal.params["behind"] if signal else Fraction(0)

    @property
    def completion(self) -> Fraction | None:
        signal = self.progress
        return signal.params["completion"] if signal else None

    @property
    def completion_pct(self) -> Decimal | None:
        return None if self.completion is None else one_decimal(self.completion)

    @property
    def reasons(self) -> list[str]:
        """The wording of every signal that is not green, worst first."""
        bad = sorted((s for s in self.signals if s.light != Light.GREEN), key=lambda s: -s.light.severity)
        return [signal_text(s) for s in bad]

    @property
    def all_texts(self) -> list[tuple[str, str]]:
        return [(s.light.value, signal_text(s)) for s in self.signals]


def one_decimal(value: Fraction | Decimal | int) -> Decimal:
    """A percentage as shown: one decimal, 四舍五入 (the engine hands out exact fractions)."""
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _months(year: int, month: int) -> str:
    if month == 1:
        return _("%(year)s年1月") % {"year": year}
    return _("%(year)s年1–%(month)s月") % {"year": year, "month": month}


def signal_text(signal: engine.Signal) -> str:
    """One engine signal in words."""
    p = signal.params
    if signal.kind == "progress":
        behind = p["behind"]
        head = _("%(months)s投资完成率 %(completion)s%%，时序进度 %(time)s%%") % {
            "months": _months(p["year"], p["month"]), "completion": one_decimal(p["completion"]),
            "time": one_decimal(p["time_progress"])}
        if behind > 0:
            return head + _("，落后 %(pp)s 个百分点") % {"pp": one_decimal(behind)}
        if behind < 0:
            return head + _("，超前 %(pp)s 个百分点") % {"pp": one_decimal(-behind)}
        return head + _("，与时序进度持平")
    if signal.kind == "not_started":
        planned = p["planned_start"].isoformat()
        if signal.light == Light.RED:
            return _("计划 %(date)s 开工，超过 %(months)s 个月仍未开工") % {"date": planned, "months": p["months"]}
        return _("计划 %(date)s 开工，已逾期 %(days)s 天未开工") % {"date": planned, "days": p["days_late"]}
    if signal.kind == "issue":
        days = p["days_left"]
        if days < 0:
            text = _("已超过办理时限 %(days)s 天") % {"days": -days}
        elif days == 0:
            text = _("今天到达办理时限")
        else:
            text = _("距办理时限还有 %(days)s 天") % {"days": days}
        if p.get("description"):
            text = _("问题“%(issue)s”%(text)s") % {"issue": p["description"], "text": text}
            if p.get("count", 1) > 1:
                text += _("（共 %(n)s 个未解决问题）") % {"n": p["count"]}
        return text
    return signal.kind


def default_period(*, user, today: dt.date | None = None) -> engine.Period:
    """The latest month of this year with any monthly report among the user's projects, else last month."""
    today = today or timezone.localdate()
    latest = (MonthlyInvestment.objects.filter(project__in=readable_projects(user).values("pk"), year=today.year)
              .aggregate(m=Max("month"))["m"])
    if latest:
        return engine.Period(today.year, latest)
    if today.month == 1:
        return engine.Period(today.year - 1, 12)
    return engine.Period(today.year, today.month - 1)


def rules_by_zone(zone_ids) -> dict[int, engine.WarningRules]:
    zone_ids = set(zone_ids)
    saved = {s.zone_id: rules_of(s) for s in ProjectSettings.objects.filter(zone_id__in=zone_ids)}
    return {z: saved.get(z) or engine.WarningRules() for z in zone_ids}


def _short(text: str, n: int = 30) -> str:
    return text if len(text) <= n else text[:n] + "…"


def warnings_for_projects(projects, *, period: engine.Period, as_of: dt.date) -> list[ProjectWarning]:
    """Lights for the given projects (a queryset the caller has scoped)."""
    qs = (projects.select_related("department", "task_force", "enterprise").prefetch_related(
        Prefetch("annual_plans", queryset=AnnualPlan.objects.filter(year=period.year), to_attr="_w_plans"),
        Prefetch("monthly_reports", queryset=MonthlyInvestment.objects.filter(
            year=period.year, month__lte=period.month), to_attr="_w_reports"),
        Prefetch("issues", queryset=ProjectIssue.objects.filter(status__in=UNRESOLVED_ISSUE_STATUSES)
                 .order_by("deadline", "pk"), to_attr="_w_issues"),
    ))
    rows = list(qs)
    rules = rules_by_zone(p.zone_id for p in rows) if rows else {}
    return [_warning(p, period=period, as_of=as_of, rules=rules[p.zone_id]) for p in rows]


def _warning(project: Project, *, period: engine.Period, as_of: dt.date, rules: engine.WarningRules) -> ProjectWarning:
    signals = []
    plan = project._w_plans[0].plan_wan if project._w_plans else None
    completed = sum((r.completed_wan for r in project._w_reports), Decimal(0))
    if project.key_level:
        progress = engine.progress_signal(plan_wan=plan, completed_wan=completed, period=period, rules=rules)
        if progress:
            signals.append(progress)
    start = engine.start_signal(planned_start=project.planned_start_date, actual_start=project.start_date,
                                as_of=as_of, rules=rules)
    if start:
        signals.append(start)
    issue_signals = [(i, engine.issue_signal(deadline=i.deadline, resolved=False, as_of=as_of, rules=rules))
                     for i in project._w_issues]
    if issue_signals:
        # The worst issue speaks for all: the most severe light, then the earliest deadline.
        issue, signal = max(issue_signals, key=lambda pair: (pair[1].light.severity, -pair[0].deadline.toordinal()))
        signals.append(engine.Signal(signal.light, "issue", {
            **signal.params, "issue_id": issue.pk, "description": _short(issue.description),
            "count": len(issue_signals)}))
    light = engine.worst(signals) or Light.GREEN
    return ProjectWarning(project=project, light=light, signals=signals, plan_wan=plan, completed_wan=completed)


def project_warnings(*, user, period: engine.Period | None = None, as_of: dt.date | None = None,
                     projects: QuerySet[Project] | None = None, key_only: bool = False) -> list[ProjectWarning]:
    """Lights for the projects `user` may read (optionally within `projects`), worst first."""
    as_of = as_of or timezone.localdate()
    period = period or default_period(user=user, today=as_of)
    qs = readable_projects(user)
    if projects is not None:
        qs = qs.filter(pk__in=projects.values("pk"))
    if key_only:
        qs = qs.exclude(key_level="")
    found = warnings_for_projects(qs, period=period, as_of=as_of)
    return sort_worst_first(found)


def sort_worst_first(found: list[ProjectWarning]) -> list[ProjectWarning]:
    return sorted(found, key=lambda w: (-w.light.severity, -w.behind, w.project.code))


def project_warning(*, user, project: Project, period: engine.Period | None = None,
                    as_of: dt.date | None = None) -> ProjectWarning | None:
    found = project_warnings(user=user, period=period, as_of=as_of,
                             projects=Project.objects.filter(pk=project.pk))
    return found[0] if found else None


def key_project_figures(warnings: list[ProjectWarning], period: engine.Period) -> list[engine.KeyProjectFigures]:
    """Completion vs 时序进度 per key level, from the warnings' prefetched plans and reports."""
    facts = [engine.ProjectFact(id=w.project.pk, key_level=w.project.key_level,
                                plans={period.year: w.plan_wan} if w.plan_wan is not None else {},
                                reports={(r.year, r.month): r.completed_wan for r in w.project._w_reports})
             for w in warnings]
    return [engine.key_project_figures(period, level, facts) for level in engine.KEY_LEVELS]
