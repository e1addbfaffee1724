"""Task force pages: list counts, detail (lights, issues, journal, assign), add/edit permissions."""

import datetime as dt

import pytest
from django.urls import reverse

from gaoxin.projects.models import Project, TaskForce
from gaoxin.projects.services import issues as issue_services
from tests.projects.issues_data import make_issue, make_task_force


@pytest.fixture
def tf(project_world):
    pw = project_world
    tf = make_task_force(pw.world, pw.dept_a, name="终端护航专班", leader=pw.users["leader"],
                         member_departments=[pw.dept_b], projects=[pw.projects["a1"], pw.projects["a2"]])
    make_issue(pw.projects["a2"], pw.dept_b, dt.date(2024, 6, 1), description="道路拆迁逾期")
    pw.projects["a1"].refresh_from_db()
    issue_services.journal_add(user=pw.users["staff_a"], project=pw.projects["a1"], date=dt.date(2024, 5, 1),
                               kind="调度会", content="专班第一次调度会")
    return tf


def get(client, pw, who, url):
    client.force_login(pw.users[who])
    return client.get(url)


def test_list(client, project_world, tf):
    response = get(client, project_world, "leader", reverse("projects:task_force_list"))
    page = response.content.decode()
    assert response.status_code == 200 and "终端护航专班" in page
    # 2 projects, 1 open issue, 1 red (a2: not started, overdue issue)
    assert '<td class="num"><span class="light red">1</span></td>' in page
    assert f"?task_force={tf.pk}" in page


def test_list_scope(client, project_world, tf):
    pw = project_world
    make_task_force(pw.world, pw.dept_b, name="医药专班")
    assert "医药专班" not in get(client, pw, "staff_a", reverse("projects:task_force_list")).content.decode()
    assert "终端护航专班" in get(client, pw, "staff_b", reverse("projects:task_force_list")).content.decode()
    assert get(client, pw, "enterprise", reverse("projects:task_force_list")).status_code == 403


def test_detail_for_member_department(client, project_world, tf):
    response = get(client, project_world, "staff_b", reverse("projects:task_force_detail", args=[tf.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "XM-A1" in page and "XM-A2" in page and "道路拆迁逾期" in page and "专班第一次调度会" in page
    assert "超过 3 个月仍未开工" in page
    assert "解除护航" not in page  # staff_b does not own the projects


def test_detail_404_outside_scope(client, project_world, tf):
    pw = project_world
    other = make_task_force(pw.world, pw.dept_b, name="医药专班")
    assert get(client, pw, "staff_a", reverse("projects:task_force_detail", args=[other.pk])).status_code == 404
    assert get(client, pw, "other_staff", reverse("projects:task_force_detail", args=[tf.pk])).status_code == 404


def test_assign_and_unassign(client, project_world, tf):
    pw = project_world
    other = make_task_force(pw.world, pw.dept_b, name="医药专班")
    url = reverse("projects:task_force_detail", args=[other.pk])
    client.force_login(pw.users["staff_b"])
    page = client.get(url).content.decode()
    assert "XM-B1" in page and "XM-A1" not in page.split("指派项目")[1].split("</form>")[0]
    assert client.post(url, {"action": "assign", "project": pw.projects["b1"].pk}).status_code == 302
    assert Project.objects.get(pk=pw.projects["b1"].pk).task_force == other
    # Another department's project is not offered; posting it anyway is refused without a write.
    bad = client.post(url, {"action": "assign", "project": pw.projects["a1"].pk})
    assert bad.status_code == 400 and Project.objects.get(pk=pw.projects["a1"].pk).task_force == tf
    assert client.post(url, {"action": "unassign", "project": pw.projects["b1"].pk}).status_code == 302
    assert Project.objects.get(pk=pw.projects["b1"].pk).task_force is None
    assert client.post(url, {"action": "unassign", "project": "x"}).status_code == 403
    assert client.post(url, {"action": "explode"}).status_code == 302


def test_add_and_edit(client, project_world):
    pw = project_world
    client.force_login(pw.users["staff_a"])
    response = client.post(reverse("projects:task_force_add"), {
        "name": "新专班", "leader": pw.users["leader"].pk, "leader_title": "副主任",
        "member_departments": [pw.dept_b.pk], "members": [pw.users["staff_b"].pk], "is_active": "on"})
    tf = TaskForce.objects.get(name="新专班")
    assert response.status_code == 302 and response.url == tf.get_absolute_url()
    edit = reverse("projects:task_force_edit", args=[tf.pk])
    assert client.get(edit).status_code == 200
    client.force_login(pw.users["staff_b"])  # a member department reads, the lead department edits
    assert client.get(edit).status_code == 403
    client.force_login(pw.users["staff_a"])
    response = client.post(edit, {"name": "新专班", "leader": pw.users["enterprise"].pk})
    assert response.status_code == 200 and "选择一个有效的选项" in response.content.decode()
    client.post(edit, {"name": "新专班（调整）", "member_departments": [], "members": []})
    tf.refresh_from_db()
    assert tf.name == "新专班（调整）" and not tf.member_departments.exists() and not tf.is_active
    client.force_login(pw.users["staff_b"])
    assert client.get(edit).status_code == 404  # no longer a member: out of scope
    client.force_login(pw.users["leader"])
    assert client.get(reverse("projects:task_force_add")).status_code == 403
