"""Writes to a project's journal (项目日志) and issue list (问题清单).

Journal entries are written once and never changed. Issues move 待办 → 办理中 → 已解决 → 已销号: the
responsible department works an issue, the project's department (which raised it) closes or reopens it.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.core.audit.models import ChangeAction
from gaoxin.core.audit.services import change_record, snapshot
from gaoxin.core.permissions import Role
from gaoxin.core.services import audited_create

from ..models import UNRESOLVED_ISSUE_STATUSES, IssueStatus, Project, ProjectIssue, ProjectJournalEntry

ISSUE_FIELDS = ("description", "category", "responsible_department", "deadline", "raised_on")
AUTO_ESCALATION_NOTE = "逾期自动提请领导协调"


def _is_staff(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active
                and user.role == Role.DEPARTMENT_STAFF and user.department_id)


def is_project_department(user, project: Project) -> bool:
    return _is_staff(user) and user.zone_id == project.zone_id and user.department_id == project.department_id


def is_task_force_member(user, project: Project) -> bool:
    """A member of the project's (active) task force: its lead or a member department's staff, its leader,
    or a person named as member."""
    tf = project.task_force
    if tf is None or not tf.is_active or user is None or not user.is_authenticated or not user.is_active \
            or user.zone_id != project.zone_id or user.role not in (Role.DEPARTMENT_STAFF, Role.ZONE_LEADER):
        return False
    if tf.leader_id == user.pk or tf.members.filter(pk=user.pk).exists():
        return True
    return _is_staff(user) and (tf.department_id == user.department_id
                                or tf.member_departments.filter(pk=user.department_id).exists())


def can_contribute(user, project: Project) -> bool:
    """May write the project's journal and raise issues on it."""
    return is_project_department(user, project) or is_task_force_member(user, project)


def is_responsible(user, issue: ProjectIssue) -> bool:
    return _is_staff(user) and user.zone_id == issue.zone_id and user.department_id == issue.responsible_department_id


def _today(on: dt.date | None) -> dt.date:
    return on or timezone.localdate()


@transaction.atomic
def journal_add(*, user, project: Project, date: dt.date, kind: str, content: str,
                message: str = "") -> ProjectJournalEntry:
    """One journal line by the project's department or its task force (`user=None`: a trusted caller)."""
    if user is not None and not can_contribute(user, project):
        raise PermissionDenied(_("只有项目主管部门或其护航专班成员可以记录项目日志。"))
    if date and date > timezone.localdate():
        raise ValidationError({"date": _("日志日期不能晚于今天。")})
    entry = ProjectJournalEntry(zone_id=project.zone_id, project=project, date=date, kind=kind,
                                content=(content or "").strip(), author=user)
    return audited_create(entry, message=message)


@transaction.atomic
def issue_create(*, user, project: Project, data: dict, message: str = "") -> ProjectIssue:
    """Raise an issue on the project. `data`: description, category, responsible_department, deadline,
    raised_on (default today)."""
    if user is not None and not can_contribute(user, project):
        raise PermissionDenied(_("只有项目主管部门或其护航专班成员可以提出项目问题。"))
    values = {k: v for k, v in data.items() if k in ISSUE_FIELDS}
    if not values.get("raised_on"):
        values["raised_on"] = timezone.localdate()
    if isinstance(values.get("description"), str):
        values["description"] = values["description"].strip()
    issue = ProjectIssue(zone_id=project.zone_id, project=project, status=IssueStatus.OPEN, raised_by=user, **values)
    return audited_create(issue, message=message)


# (from, to) → who may make the move: "owner" = the project's department, "responsible" = the issue's.
TRANSITIONS = {
    (IssueStatus.OPEN, IssueStatus.IN_PROGRESS): {"owner", "responsible"},
    (IssueStatus.IN_PROGRESS, IssueStatus.RESOLVED): {"owner", "responsible"},
    (IssueStatus.OPEN, IssueStatus.RESOLVED): {"owner", "responsible"},
    (IssueStatus.RESOLVED, IssueStatus.CLOSED): {"owner"},
    (IssueStatus.RESOLVED, IssueStatus.IN_PROGRESS): {"owner"},
}


def _roles(user, issue: ProjectIssue) -> set[str]:
    roles = set()
    if is_project_department(user, issue.project):
        roles.add("owner")
    if is_responsible(user, issue):
        roles.add("responsible")
    return roles


def allowed_transitions(user, issue: ProjectIssue) -> list[str]:
    """The statuses `user` may move the issue to now (for the buttons of the issue page)."""
    roles = _roles(user, issue)
    return [to for (frm, to), who in TRANSITIONS.items() if frm == issue.status and roles & who]


@transaction.atomic
def issue_transition(*, user, issue: ProjectIssue, to: str, resolution: str = "", message: str = "",
                     on: dt.date | None = None) -> ProjectIssue:
    """Move the issue to `to`. Resolving needs a resolution; reopening needs a reason (`message`).

    `on` is the day of the move (default today; the demo builder back-dates).
    """
    current = ProjectIssue.objects.select_for_update().select_related("project").get(pk=issue.pk)
    try:
        to = IssueStatus(to)
    except ValueError:
        raise ValidationError(_("未知的问题状态“%(to)s”。") % {"to": to}) from None
    who = TRANSITIONS.get((current.status, to))
    if who is None:
        raise ValidationError(_("问题当前为“%(frm)s”，不能改为“%(to)s”。") % {"frm": current.status, "to": to.label})
    if user is not None and not _roles(user, current) & who:
        if who == {"owner"}:
            raise PermissionDenied(_("只有提出问题的项目主管部门可以将问题改为“%(to)s”。") % {"to": to.label})
        raise PermissionDenied(_("只有项目主管部门或责任单位可以办理该问题。"))
    resolution = (resolution or "").strip()
    message = (message or "").strip()
    day = _today(on)
    before = snapshot(current)
    if to == IssueStatus.RESOLVED:
        if not resolution:
            raise ValidationError({"resolution": _("请填写办理结果。")})
        current.resolution = resolution
        current.resolved_on = max(day, current.raised_on)
    elif to == IssueStatus.CLOSED:
        current.closed_on = max(day, current.resolved_on or current.raised_on)
    elif current.status == IssueStatus.RESOLVED:  # reopened: the earlier result did not hold
        if not message:
            raise ValidationError({"message": _("重新办理须说明原因。")})
        current.resolved_on = None
    current.status = to
    current.full_clean()
    current.save()
    change_record(obj=current, action=ChangeAction.UPDATE, before=before, message=message)
    return current


@transaction.atomic
def issue_escalate(*, user, issue: ProjectIssue, note: str, message: str = "",
                   at: dt.datetime | None = None) -> ProjectIssue:
    """提请领导协调: by the project's or the responsible department (`user=None`: the scan command)."""
    current = ProjectIssue.objects.select_for_update().select_related("project").get(pk=issue.pk)
    if user is not None and not _roles(user, current):
        raise PermissionDenied(_("只有项目主管部门或责任单位可以提请领导协调。"))
    if current.status not in UNRESOLVED_ISSUE_STATUSES:
        raise ValidationError(_("问题已解决，无需提请领导协调。"))
    if current.escalated_at is not None:
        raise ValidationError(_("该问题已于 %(at)s 提请领导协调。")
                              % {"at": timezone.localtime(current.escalated_at).strftime("%Y-%m-%d %H:%M")})
    note = (note or "").strip()
    if not note:
        raise ValidationError({"escalation_note": _("请填写提请协调的说明。")})
    before = snapshot(current)
    current.escalated_at = at or timezone.now()
    current.escalation_note = note[:500]
    current.full_clean()
    current.save()
    change_record(obj=current, action=ChangeAction.UPDATE, before=before, message=message or note[:200])
    return current


def issues_escalate_overdue(*, zone, as_of: dt.date) -> list[ProjectIssue]:
    """Escalate every unresolved issue of the zone past its deadline and not yet escalated (the scan).

    Idempotent: an escalated issue is skipped, so running it twice escalates nothing new.
    """
    due = (ProjectIssue.objects.filter(zone=zone, status__in=UNRESOLVED_ISSUE_STATUSES, deadline__lt=as_of,
                                       escalated_at__isnull=True).select_related("project").order_by("deadline", "pk"))
    done = []
    with transaction.atomic():
        for issue in due:
            done.append(issue_escalate(user=None, issue=issue, note=AUTO_ESCALATION_NOTE))
    return done
