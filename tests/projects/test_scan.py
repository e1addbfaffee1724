"""`gaoxin projects scan`: overdue unresolved issues are escalated once; reruns change nothing."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from gaoxin.core.audit.models import ObjectChange
from gaoxin.projects.models import IssueStatus, ProjectIssue
from gaoxin.projects.services.issues import AUTO_ESCALATION_NOTE
from tests.projects.issues_data import make_issue


def scan(*args) -> str:
    out = io.StringIO()
    call_command("projects", "scan", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def issues(project_world):
    pw = project_world
    return {
        "overdue": make_issue(pw.projects["a1"], pw.dept_b, dt.date(2024, 6, 30)),
        "in_progress": make_issue(pw.projects["b1"], pw.dept_a, dt.date(2024, 6, 1), status=IssueStatus.IN_PROGRESS),
        "due_today": make_issue(pw.projects["a1"], pw.dept_a, dt.date(2024, 7, 1)),
        "resolved": make_issue(pw.projects["a1"], pw.dept_b, dt.date(2024, 5, 1), status=IssueStatus.RESOLVED,
                               resolution="ok", resolved_on=dt.date(2024, 5, 2)),
    }


def test_scan_escalates_overdue_once(project_world, issues):
    out = scan("--zone", "t1", "--date", "2024-07-01")
    assert "t1" in out and "本次提请领导协调 2 个" in out and "逾期未解决问题 2 个" in out
    escalated = set(ProjectIssue.objects.filter(escalated_at__isnull=False).values_list("pk", flat=True))
    assert escalated == {issues["overdue"].pk, issues["in_progress"].pk}
    assert set(ProjectIssue.objects.filter(pk__in=escalated).values_list("escalation_note", flat=True)) \
        == {AUTO_ESCALATION_NOTE}
    change = ObjectChange.objects.filter(object_id=issues["overdue"].pk).latest("time")
    assert change.via == "cli" and change.message == AUTO_ESCALATION_NOTE
    before = ObjectChange.objects.count()
    again = scan("--zone", "t1", "--date", "2024-07-01")
    assert "本次提请领导协调 0 个" in again
    assert ObjectChange.objects.count() == before


def test_scan_next_day_picks_up_the_newly_overdue(project_world, issues):
    scan("--date", "2024-07-01")
    out = scan("--date", "2024-07-02")
    assert "本次提请领导协调 1 个" in out
    assert ProjectIssue.objects.get(pk=issues["due_today"].pk).escalated_at is not None
    assert ProjectIssue.objects.get(pk=issues["resolved"].pk).escalated_at is None


def test_scan_all_zones_prints_each(project_world, issues):
    out = scan("--date", "2024-07-01")
    assert "t1" in out and "t2" in out


def test_scan_other_zone_leaves_t1_alone(project_world, issues):
    scan("--zone", "t2", "--date", "2024-07-01")
    assert not ProjectIssue.objects.filter(escalated_at__isnull=False).exists()


@pytest.mark.parametrize("args", [("--date", "2024-13-01"), ("--zone", "nope")])
def test_scan_bad_input(project_world, args):
    with pytest.raises(CommandError) as err:
        scan(*args)
    assert err.value.returncode == 1
