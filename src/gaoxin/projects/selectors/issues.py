"""Reads of the issue lists (问题清单) and journals: scope, filters and the issues' warning lights."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from gaoxin.core.audit.selectors import object_changes_for_object
from gaoxin.core.permissions import Role

from .. import engine
from ..models import UNRESOLVED_ISSUE_STATUSES, ProjectIssue, ProjectJournalEntry
from .settings import warning_rules
from .taskforces import readable_projects

LIGHTS = ("red", "yellow", "green")


def issue_scope(user) -> Q:
    """visible_to, plus for department staff the issues their department must handle and the issues of
    projects escorted by an active task force their department belongs to."""
    q = Q(pk__in=ProjectIssue.objects.visible_to(user).values("pk"))
    if user is not None and user.is_authenticated and user.is_active and user.role == Role.DEPARTMENT_STAFF \
            and user.department_id:
        q |= Q(zone=user.zone_id, responsible_department=user.department_id)
        q |= Q(zone=user.zone_id, project__task_force__is_active=True,
               project__task_force__member_departments=user.department_id)
    return q


def light_filter(light: str, *, as_of: dt.date, rules: engine.WarningRules) -> Q:
    """The same cut as engine.issue_signal, as a database filter over unresolved issues."""
    unresolved = Q(status__in=UNRESOLVED_ISSUE_STATUSES)
    soon = as_of + dt.timedelta(days=rules.issue_due_soon_days)
    if light == "red":
        return unresolved & Q(deadline__lt=as_of)
    if light == "yellow":
        return unresolved & Q(deadline__gte=as_of, deadline__lte=soon)
    if light == "green":
        return unresolved & Q(deadline__gt=soon)
    return Q()


def issues_for_user(*, user, filters: dict | None = None, as_of: dt.date | None = None,
                    rules: engine.WarningRules | None = None) -> QuerySet[ProjectIssue]:
    """The issues `user` may read, narrowed by validated filter values:
    status, light, responsible_department, project, overdue, escalated, q, mine (本部门待办)."""
    ids = ProjectIssue.objects.filter(issue_scope(user)).values("pk")
    qs = (ProjectIssue.objects.filter(pk__in=ids)
          .select_related("project", "project__department", "responsible_department", "raised_by"))
    filters = filters or {}
    as_of = as_of or timezone.localdate()
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("light") in LIGHTS:
        qs = qs.filter(light_filter(filters["light"], as_of=as_of, rules=rules or warning_rules(user.zone_id)))
    if filters.get("responsible_department"):
        qs = qs.filter(responsible_department=filters["responsible_department"])
    if filters.get("project"):
        qs = qs.filter(project=filters["project"])
    if filters.get("overdue"):
        qs = qs.filter(status__in=UNRESOLVED_ISSUE_STATUSES, deadline__lt=as_of)
    if filters.get("escalated"):
        qs = qs.filter(status__in=UNRESOLVED_ISSUE_STATUSES, escalated_at__isnull=False)
    if filters.get("mine") and user.department_id:
        qs = qs.filter(responsible_department=user.department_id, status__in=UNRESOLVED_ISSUE_STATUSES)
    q = (filters.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(description__icontains=q) | Q(project__code__icontains=q) | Q(project__name__icontains=q)
                       | Q(resolution__icontains=q))
    return qs


def issue_get_for_user(*, user, pk: int) -> ProjectIssue | None:
    return issues_for_user(user=user).filter(pk=pk).first()


def issue_signal(issue: ProjectIssue, *, as_of: dt.date, rules: engine.WarningRules) -> engine.Signal | None:
    return engine.issue_signal(deadline=issue.deadline, resolved=issue.status not in UNRESOLVED_ISSUE_STATUSES,
                               as_of=as_of, rules=rules)


@dataclass(frozen=True)
class IssueRow:
    issue: ProjectIssue
    signal: engine.Signal | None  # None once resolved

    @property
    def light(self) -> str | None:
        return self.signal.light.value if self.signal else None

    @property
    def days_left(self) -> int | None:
        return self.signal.params["days_left"] if self.signal else None

    @property
    def days_overdue(self) -> int:
        return max(0, -(self.days_left or 0))


def with_lights(issues, *, as_of: dt.date, rules: engine.WarningRules) -> list[IssueRow]:
    return [IssueRow(i, issue_signal(i, as_of=as_of, rules=rules)) for i in issues]


def issues_of_project(*, user, project, as_of: dt.date, rules: engine.WarningRules):
    """A project's issues (the caller has checked the project is readable), unresolved first."""
    qs = (ProjectIssue.objects.filter(project=project).select_related("responsible_department", "raised_by")
          .order_by("closed_on", "resolved_on", "deadline", "pk"))
    return with_lights(qs, as_of=as_of, rules=rules)


def journal_of_projects(project_ids, limit: int | None = None) -> QuerySet[ProjectJournalEntry]:
    qs = (ProjectJournalEntry.objects.filter(project_id__in=list(project_ids))
          .select_related("project", "author").order_by("-date", "-id"))
    return qs[:limit] if limit else qs


def issue_timeline(issue: ProjectIssue):
    """The issue's history from the audit trail, oldest first."""
    return list(object_changes_for_object(obj=issue).order_by("time", "id"))


def readable_project(*, user, pk: int):
    return readable_projects(user).filter(pk=pk).select_related("department", "task_force").first()
