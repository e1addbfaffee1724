"""The project dashboard (项目总览) per role: leaders see the zone's key projects and escalations,
department staff their to-do issues, projects and task forces. Every figure carries the link to its records."""

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from .. import engine
from ..models import UNRESOLVED_ISSUE_STATUSES, Project
from . import issues as issue_selectors
from . import warnings as warning_selectors
from .settings import warning_rules
from .taskforces import task_forces_of_member

Light = engine.Light


def _url(name: str, **params) -> str:
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return reverse(name) + (f"?{query}" if query else "")


def projects_url(ids) -> str:
    """The project list narrowed to exactly these projects (the drill-down of a figure)."""
    ids = list(ids)
    return _url("projects:project_list", ids=",".join(str(i) for i in ids) if ids else "0")


@dataclass
class Tile:
    label: str
    value: object
    url: str
    unit: str = ""
    sub: str = ""


@dataclass
class LeaderDashboard:
    period: engine.Period
    as_of: dt.date
    tiles: list[Tile]
    alerts: list  # ProjectWarning of key projects with a red or yellow light, worst first
    escalated: list  # IssueRow
    overdue: list  # IssueRow
    figures: list[dict]
    chart: dict = field(default_factory=dict)


def _pct(value):
    return None if value is None else warning_selectors.one_decimal(value)


def leader_dashboard(*, user, period: engine.Period, as_of: dt.date) -> LeaderDashboard:
    key = warning_selectors.project_warnings(user=user, period=period, as_of=as_of, key_only=True)
    red = [w for w in key if w.light == Light.RED]
    yellow = [w for w in key if w.light == Light.YELLOW]
    rules = warning_rules(user.zone_id)
    issues = issue_selectors.issues_for_user(user=user, as_of=as_of, rules=rules)
    overdue_qs = issues.filter(status__in=UNRESOLVED_ISSUE_STATUSES, deadline__lt=as_of).order_by("deadline", "pk")
    escalated_qs = (issues.filter(status__in=UNRESOLVED_ISSUE_STATUSES, escalated_at__isnull=False)
                    .order_by("deadline", "pk"))
    overdue = issue_selectors.with_lights(overdue_qs, as_of=as_of, rules=rules)
    escalated = issue_selectors.with_lights(escalated_qs, as_of=as_of, rules=rules)
    figures = []
    for f in warning_selectors.key_project_figures(key, period):
        figures.append({
            "level": f.level, "count": f.count, "plan_wan": f.plan_wan, "completed_wan": f.completed_wan,
            "completion": _pct(f.completion), "time_progress": _pct(f.time_progress), "ahead": _pct(f.ahead),
            "url": projects_url(f.project_ids),
        })
    tiles = [
        Tile(_("重点项目"), len(key), projects_url(w.project.pk for w in key), _("个"),
             _("%(period)s 累计") % {"period": period.label}),
        Tile(_("红灯项目"), len(red), projects_url(w.project.pk for w in red), _("个")),
        Tile(_("黄灯项目"), len(yellow), projects_url(w.project.pk for w in yellow), _("个")),
        Tile(_("逾期未解决问题"), len(overdue), _url("projects:issue_list", overdue="on"), _("个")),
        Tile(_("已提请领导协调"), len(escalated), _url("projects:issue_list", escalated="on"), _("个")),
    ]
    chart = {
        "levels": [f["level"] for f in figures],
        "completion": [float(f["completion"]) if f["completion"] is not None else None for f in figures],
        "time_progress": [float(f["time_progress"]) for f in figures],
        "urls": [f["url"] for f in figures],
        "series": [_("投资完成率（%）"), _("时序进度（%）")],
    }
    return LeaderDashboard(period=period, as_of=as_of, tiles=tiles, alerts=red + yellow, escalated=escalated,
                           overdue=overdue, figures=figures, chart=chart)


@dataclass
class StaffDashboard:
    period: engine.Period
    as_of: dt.date
    todo: list  # IssueRow of the department's open issues, by deadline
    projects: list  # ProjectWarning of the department's projects, worst first
    task_forces: list  # (TaskForce, [ProjectWarning])
    todo_url: str = ""
    projects_url: str = ""


def staff_dashboard(*, user, period: engine.Period, as_of: dt.date) -> StaffDashboard:
    rules = warning_rules(user.zone_id)
    todo_qs = issue_selectors.issues_for_user(user=user, filters={"mine": True}, as_of=as_of, rules=rules)
    todo = issue_selectors.with_lights(todo_qs.order_by("deadline", "pk"), as_of=as_of, rules=rules)
    forces = list(task_forces_of_member(user=user).order_by("name"))
    own = Project.objects.filter(zone=user.zone_id, department=user.department_id)
    escorted = Project.objects.filter(task_force__in=[tf.pk for tf in forces])
    found = warning_selectors.project_warnings(user=user, period=period, as_of=as_of, projects=own | escorted)
    mine = [w for w in found if w.project.department_id == user.department_id]
    by_force = [(tf, [w for w in found if w.project.task_force_id == tf.pk]) for tf in forces]
    return StaffDashboard(period=period, as_of=as_of, todo=todo, projects=mine, task_forces=by_force,
                          todo_url=_url("projects:issue_list", mine="on"),
                          projects_url=_url("projects:project_list", department_id=user.department_id))
