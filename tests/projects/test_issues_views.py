"""Issue and journal pages: list filters and default view, detail buttons, transitions, the project page."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from gaoxin.projects.models import IssueStatus, ProjectIssue, ProjectJournalEntry
from tests.projects.issues_data import make_issue, make_task_force

TODAY = timezone.localdate


@pytest.fixture
def issues(project_world):
    pw = project_world
    today = TODAY()
    return {
        "a_for_b": make_issue(pw.projects["a1"], pw.dept_b, today - dt.timedelta(days=5), description="供电增容逾期",
                              raised_on=today - dt.timedelta(days=30)),
        "a_for_a": make_issue(pw.projects["a2"], pw.dept_a, today + dt.timedelta(days=2), description="拆迁临期",
                              raised_on=today - dt.timedelta(days=30)),
        "b_for_b": make_issue(pw.projects["b2"], pw.dept_b, today + dt.timedelta(days=20), description="环评手续",
                              raised_on=today - dt.timedelta(days=30)),
    }


def login(client, pw, who):
    client.force_login(pw.users[who])
    return client


def listed(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_staff_default_view_is_department_todo(client, project_world, issues):
    page = listed(login(client, project_world, "staff_b").get(reverse("projects:issue_list")))
    assert "本部门待办" in page and "供电增容逾期" in page and "环评手续" in page and "拆迁临期" not in page


def test_staff_all_view_and_scope(client, project_world, issues):
    page = listed(login(client, project_world, "staff_a").get(reverse("projects:issue_list") + "?status="))
    assert "供电增容逾期" in page and "拆迁临期" in page and "环评手续" not in page


def test_leader_filters(client, project_world, issues):
    c = login(client, project_world, "leader")
    url = reverse("projects:issue_list")
    page = listed(c.get(url))
    assert all(d in page for d in ("供电增容逾期", "拆迁临期", "环评手续"))
    red = listed(c.get(url + "?light=red"))
    assert "供电增容逾期" in red and "拆迁临期" not in red and "逾期 5 天" in red
    yellow = listed(c.get(url + "?light=yellow"))
    assert "拆迁临期" in yellow and "供电增容逾期" not in yellow and "剩 2 天" in yellow
    overdue = listed(c.get(url + "?overdue=on"))
    assert "供电增容逾期" in overdue and "环评手续" not in overdue
    dept = listed(c.get(url + f"?responsible_department={project_world.dept_a.pk}"))
    assert "拆迁临期" in dept and "环评手续" not in dept
    search = listed(c.get(url + "?q=XM-B2"))
    assert "环评手续" in search and "拆迁临期" not in search


@pytest.mark.parametrize("query", ["?light=purple", "?responsible_department=999999", "?status=x&sort=zzz",
                                   "?page=abc", "?project=-1"])
def test_bad_filters_are_ignored(client, project_world, issues, query):
    page = listed(login(client, project_world, "leader").get(reverse("projects:issue_list") + query))
    assert "供电增容逾期" in page


@pytest.mark.parametrize("who", ["enterprise", "system_admin"])
def test_list_forbidden(client, project_world, who):
    assert login(client, project_world, who).get(reverse("projects:issue_list")).status_code == 403


def test_detail_scope_and_buttons(client, project_world, issues):
    pw = project_world
    issue = issues["a_for_b"]
    url = reverse("projects:issue_detail", args=[issue.pk])
    page = listed(login(client, pw, "staff_b").get(url))
    assert "开始办理" in page and "提请领导协调</button>" in page and ">销号</button>" not in page
    page = listed(login(client, pw, "leader").get(url))
    assert "开始办理" not in page
    assert login(client, pw, "staff_a").get(reverse("projects:issue_detail", args=[issues["b_for_b"].pk])) \
        .status_code == 404
    assert login(client, pw, "other_staff").get(url).status_code == 404
    assert login(client, pw, "leader").get(reverse("projects:issue_detail", args=[999999])).status_code == 404


def test_transition_flow_through_pages(client, project_world, issues):
    pw = project_world
    issue = issues["a_for_b"]
    move = reverse("projects:issue_transition", args=[issue.pk])
    c = login(client, pw, "staff_b")
    assert c.post(move, {"to": "办理中"}).status_code == 302
    response = c.post(move, {"to": "已解决"}, follow=True)
    assert "请填写办理结果" in response.content.decode()
    c.post(move, {"to": "已解决", "resolution": "已协调供电局增容"})
    assert ProjectIssue.objects.get(pk=issue.pk).status == IssueStatus.RESOLVED
    assert c.post(move, {"to": "已销号"}).status_code == 403
    assert c.post(move, {"to": "nonsense"}).status_code == 302
    c = login(client, pw, "staff_a")
    c.post(move, {"to": "已销号"})
    closed = ProjectIssue.objects.get(pk=issue.pk)
    assert closed.status == IssueStatus.CLOSED
    page = listed(c.get(reverse("projects:issue_detail", args=[issue.pk])))
    assert "已协调供电局增容" in page and "问题已销号" in page
    assert c.get(move).status_code == 405


def test_escalate_page(client, project_world, issues):
    pw = project_world
    issue = issues["a_for_a"]
    url = reverse("projects:issue_escalate", args=[issue.pk])
    assert login(client, pw, "leader").post(url, {"note": "x"}).status_code == 403
    c = login(client, pw, "staff_a")
    response = c.post(url, {"note": ""}, follow=True)
    assert "请填写提请协调的说明" in response.content.decode()
    c.post(url, {"note": "拆迁需领导协调"})
    assert ProjectIssue.objects.get(pk=issue.pk).escalation_note == "拆迁需领导协调"
    leader_view = listed(login(client, pw, "leader").get(reverse("projects:issue_list") + "?escalated=on"))
    assert "拆迁临期" in leader_view and "供电增容逾期" not in leader_view


def test_issue_add_page(client, project_world):
    pw = project_world
    url = reverse("projects:issue_add", args=[pw.projects["a1"].pk])
    assert login(client, pw, "leader").get(url).status_code == 403  # reads the project, raises nothing
    assert login(client, pw, "staff_b").get(url).status_code == 404  # not in their scope
    assert login(client, pw, "staff_a").get(reverse("projects:issue_add", args=[999999])).status_code == 404
    c = login(client, pw, "staff_a")
    assert c.get(url).status_code == 200
    response = c.post(url, {"description": "用地报批", "category": "审批手续",
                            "responsible_department": pw.dept_b.pk, "deadline": "2020-01-01"})
    assert response.status_code == 200 and "办理时限不能早于提出日期" in response.content.decode()
    deadline = (TODAY() + dt.timedelta(days=9)).isoformat()
    response = c.post(url, {"description": "用地报批", "category": "审批手续",
                            "responsible_department": pw.dept_b.pk, "deadline": deadline})
    issue = ProjectIssue.objects.get()
    assert response.status_code == 302 and response.url == issue.get_absolute_url()
    assert issue.raised_on == TODAY()


def test_project_page_shows_task_force_issues_and_journal(client, project_world, issues):
    pw = project_world
    tf = make_task_force(pw.world, pw.dept_a, name="终端护航专班", projects=[pw.projects["a1"]])
    url = reverse("projects:project_detail", args=[pw.projects["a1"].pk])
    page = listed(login(client, pw, "staff_a").get(url))
    assert tf.name in page and "供电增容逾期" in page and "提出问题" in page and "记录" in page
    page = listed(login(client, pw, "leader").get(url))
    assert tf.name in page and "提出问题" not in page
    page = listed(login(client, pw, "enterprise").get(url))
    assert "供电增容逾期" not in page


def test_journal_add(client, project_world):
    pw = project_world
    project = pw.projects["a1"]
    url = reverse("projects:journal_add", args=[project.pk])
    assert login(client, pw, "leader").post(url, {"date": TODAY().isoformat(), "kind": "进展",
                                                  "content": "x"}).status_code == 403
    assert login(client, pw, "other_staff").post(url, {}).status_code == 404
    c = login(client, pw, "staff_a")
    assert c.get(url).status_code == 405
    response = c.post(url, {"date": TODAY().isoformat(), "kind": "调度会", "content": "召开调度会"},
                      headers={"HX-Request": "true"})
    assert response.status_code == 200 and "召开调度会" in response.content.decode()
    bad = c.post(url, {"date": "", "kind": "调度会", "content": ""}, headers={"HX-Request": "true"})
    assert bad.status_code == 200 and 'class="error"' in bad.content.decode()
    response = c.post(url, {"date": TODAY().isoformat(), "kind": "进展", "content": "主体封顶"})
    assert response.status_code == 302 and response.url.endswith("#journal")
    assert set(ProjectJournalEntry.objects.values_list("content", flat=True)) == {"召开调度会", "主体封顶"}


def test_default_todo_view_survives_paging_and_sorting(client, project_world, issues):
    page = listed(login(client, project_world, "staff_a").get(reverse("projects:issue_list") + "?sort=-deadline&page=1"))
    assert "拆迁临期" in page and "供电增容逾期" not in page
