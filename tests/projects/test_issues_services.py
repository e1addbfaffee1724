"""Journal and issue services: who may write, the allowed moves, escalation."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from gaoxin.core.audit.models import ObjectChange
from gaoxin.projects.models import IssueStatus, JournalKind, ProjectIssue, ProjectJournalEntry
from gaoxin.projects.services import issues as services
from tests.projects.issues_data import make_issue, make_task_force

TODAY = timezone.localdate


@pytest.fixture
def issue(project_world):
    """An issue on a1 (dept_a's project) that dept_b must handle."""
    pw = project_world
    return services.issue_create(user=pw.users["staff_a"], project=pw.projects["a1"], data={
        "description": "施工用电增容", "category": "要素保障", "responsible_department": pw.dept_b,
        "deadline": TODAY() + dt.timedelta(days=10)})


def test_issue_create_defaults_and_audit(project_world, issue):
    assert issue.status == IssueStatus.OPEN
    assert issue.raised_on == TODAY()
    assert issue.raised_by == project_world.users["staff_a"]
    assert ObjectChange.objects.filter(object_id=issue.pk, action="create").count() == 1


def test_issue_create_validates(project_world):
    pw = project_world
    with pytest.raises(ValidationError) as err:
        services.issue_create(user=pw.users["staff_a"], project=pw.projects["a1"], data={
            "description": "x", "responsible_department": pw.dept_b, "deadline": dt.date(2024, 1, 1),
            "raised_on": dt.date(2024, 2, 1)})
    assert "办理时限不能早于提出日期" in str(err.value)
    assert not ProjectIssue.objects.exists()


@pytest.mark.parametrize("who", ["staff_b", "leader", "enterprise", "other_staff"])
def test_issue_create_refused_for_others(project_world, who):
    pw = project_world
    with pytest.raises(PermissionDenied):
        services.issue_create(user=pw.users[who], project=pw.projects["a1"], data={
            "description": "x", "responsible_department": pw.dept_b, "deadline": TODAY()})


def test_task_force_member_department_may_raise_and_write_journal(project_world):
    pw = project_world
    make_task_force(pw.world, pw.dept_a, member_departments=[pw.dept_b], projects=[pw.projects["a1"]])
    project = pw.projects["a1"]
    project.refresh_from_db()
    services.journal_add(user=pw.users["staff_b"], project=project, date=TODAY(), kind=JournalKind.VISIT,
                         content="现场走访")
    services.issue_create(user=pw.users["staff_b"], project=project, data={
        "description": "x", "responsible_department": pw.dept_a, "deadline": TODAY()})
    assert ProjectJournalEntry.objects.get().author == pw.users["staff_b"]


def test_task_force_person_member_may_write_journal(project_world):
    pw = project_world
    make_task_force(pw.world, pw.dept_a, members=[pw.users["leader"]], projects=[pw.projects["a1"]])
    project = pw.projects["a1"]
    project.refresh_from_db()
    entry = services.journal_add(user=pw.users["leader"], project=project, date=TODAY(),
                                 kind=JournalKind.MEETING, content="调度会")
    assert entry.author == pw.users["leader"]
    # Not the other department's project: the leader is no member there.
    with pytest.raises(PermissionDenied):
        services.journal_add(user=pw.users["leader"], project=pw.projects["b1"], date=TODAY(),
                             kind=JournalKind.MEETING, content="x")


def test_journal_refuses_outsiders_and_future_dates(project_world):
    pw = project_world
    with pytest.raises(PermissionDenied):
        services.journal_add(user=pw.users["staff_b"], project=pw.projects["a1"], date=TODAY(),
                             kind=JournalKind.PROGRESS, content="x")
    with pytest.raises(ValidationError):
        services.journal_add(user=pw.users["staff_a"], project=pw.projects["a1"],
                             date=TODAY() + dt.timedelta(days=1), kind=JournalKind.PROGRESS, content="x")
    with pytest.raises(ValidationError):
        services.journal_add(user=pw.users["staff_a"], project=pw.projects["a1"], date=TODAY(),
                             kind=JournalKind.PROGRESS, content="   ")
    assert not ProjectJournalEntry.objects.exists()


def test_responsible_department_works_the_issue(project_world, issue):
    staff_b = project_world.users["staff_b"]
    assert services.allowed_transitions(staff_b, issue) == [IssueStatus.IN_PROGRESS, IssueStatus.RESOLVED]
    issue = services.issue_transition(user=staff_b, issue=issue, to=IssueStatus.IN_PROGRESS)
    with pytest.raises(ValidationError) as err:
        services.issue_transition(user=staff_b, issue=issue, to=IssueStatus.RESOLVED)
    assert "办理结果" in str(err.value)
    issue = services.issue_transition(user=staff_b, issue=issue, to=IssueStatus.RESOLVED, resolution="已增容")
    assert (issue.status, issue.resolved_on, issue.resolution) == (IssueStatus.RESOLVED, TODAY(), "已增容")
    # The responsible department does not close or reopen: the department that raised it does.
    with pytest.raises(PermissionDenied):
        services.issue_transition(user=staff_b, issue=issue, to=IssueStatus.CLOSED)
    with pytest.raises(PermissionDenied):
        services.issue_transition(user=staff_b, issue=issue, to=IssueStatus.IN_PROGRESS, message="没解决")
    assert ProjectIssue.objects.get(pk=issue.pk).status == IssueStatus.RESOLVED


def test_owner_closes_and_reopens(project_world, issue):
    staff_a = project_world.users["staff_a"]
    issue = services.issue_transition(user=staff_a, issue=issue, to=IssueStatus.RESOLVED, resolution="已办结")
    with pytest.raises(ValidationError) as err:
        services.issue_transition(user=staff_a, issue=issue, to=IssueStatus.IN_PROGRESS)
    assert "原因" in str(err.value)
    reopened = services.issue_transition(user=staff_a, issue=issue, to=IssueStatus.IN_PROGRESS, message="仍未通电")
    assert (reopened.status, reopened.resolved_on) == (IssueStatus.IN_PROGRESS, None)
    assert ObjectChange.objects.filter(object_id=issue.pk, message="仍未通电").exists()
    resolved = services.issue_transition(user=staff_a, issue=reopened, to=IssueStatus.RESOLVED, resolution="通电")
    closed = services.issue_transition(user=staff_a, issue=resolved, to=IssueStatus.CLOSED)
    assert (closed.status, closed.closed_on) == (IssueStatus.CLOSED, TODAY())
    assert services.allowed_transitions(staff_a, closed) == []


@pytest.mark.parametrize(("frm", "to"), [
    (IssueStatus.OPEN, IssueStatus.CLOSED),
    (IssueStatus.IN_PROGRESS, IssueStatus.OPEN),
    (IssueStatus.IN_PROGRESS, IssueStatus.CLOSED),
    (IssueStatus.CLOSED, IssueStatus.IN_PROGRESS),
    (IssueStatus.OPEN, IssueStatus.OPEN),
])
def test_forbidden_moves(project_world, frm, to):
    pw = project_world
    issue = make_issue(pw.projects["a1"], pw.dept_b, TODAY(), status=frm)
    with pytest.raises(ValidationError) as err:
        services.issue_transition(user=pw.users["staff_a"], issue=issue, to=to, resolution="x", message="x")
    assert "不能改为" in str(err.value)


def test_unknown_status_is_a_validation_error(project_world, issue):
    with pytest.raises(ValidationError):
        services.issue_transition(user=project_world.users["staff_a"], issue=issue, to="done")


@pytest.mark.parametrize("who", ["leader", "enterprise", "other_staff"])
def test_others_cannot_move_issues(project_world, issue, who):
    with pytest.raises(PermissionDenied):
        services.issue_transition(user=project_world.users[who], issue=issue, to=IssueStatus.IN_PROGRESS)


def test_escalate(project_world, issue):
    pw = project_world
    with pytest.raises(PermissionDenied):
        services.issue_escalate(user=pw.users["leader"], issue=issue, note="请协调")
    with pytest.raises(ValidationError):
        services.issue_escalate(user=pw.users["staff_b"], issue=issue, note=" ")
    escalated = services.issue_escalate(user=pw.users["staff_b"], issue=issue, note="需管委会协调供电局")
    assert escalated.escalated_at is not None and escalated.escalation_note == "需管委会协调供电局"
    assert ObjectChange.objects.filter(object_id=issue.pk, action="update").count() == 1
    with pytest.raises(ValidationError) as err:
        services.issue_escalate(user=pw.users["staff_a"], issue=escalated, note="again")
    assert "已于" in str(err.value)


def test_resolved_issue_cannot_be_escalated(project_world, issue):
    pw = project_world
    resolved = services.issue_transition(user=pw.users["staff_b"], issue=issue, to=IssueStatus.RESOLVED,
                                         resolution="ok")
    with pytest.raises(ValidationError):
        services.issue_escalate(user=pw.users["staff_a"], issue=resolved, note="x")
