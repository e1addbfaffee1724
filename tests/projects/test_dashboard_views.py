"""项目总览 per role: tiles and lists for leaders, to-dos and projects for staff, redirect for enterprises."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from gaoxin.projects.engine import Period
from gaoxin.projects.selectors.dashboard import leader_dashboard, staff_dashboard
from gaoxin.projects.services import issues as issue_services
from tests.projects.issues_data import make_issue, make_task_force

JUNE = Period(2024, 6)
AS_OF = dt.date(2024, 7, 10)


@pytest.fixture
def data(project_world):
    pw = project_world
    overdue = make_issue(pw.projects["a1"], pw.dept_b, dt.date(2024, 7, 12), description="供电增容")
    escalated = make_issue(pw.projects["b1"], pw.dept_a, dt.date(2024, 6, 20), description="排污许可")
    issue_services.issue_escalate(user=None, issue=escalated, note="请领导协调")
    make_issue(pw.projects["b2"], pw.dept_b, dt.date(2024, 9, 1), description="环评审批")
    tf = make_task_force(pw.world, pw.dept_b, name="储能专班", member_departments=[pw.dept_a],
                         projects=[pw.projects["b1"]])
    return {"tf": tf, "overdue": overdue, "escalated": escalated}


def test_leader_dashboard_figures(project_world, data):
    board = leader_dashboard(user=project_world.users["leader"], period=JUNE, as_of=AS_OF)
    tiles = {t.label: t for t in board.tiles}
    assert tiles["重点项目"].value == 3
    assert tiles["红灯项目"].value == 2   # a2 (progress, start), b1 (escalated issue overdue)
    assert tiles["黄灯项目"].value == 1   # a1: its issue is due in 2 days
    assert tiles["逾期未解决问题"].value == 1 and tiles["已提请领导协调"].value == 1
    assert tiles["逾期未解决问题"].url.endswith("?overdue=on")
    assert [w.project.code for w in board.alerts] == ["XM-A2", "XM-B1", "XM-A1"]
    red_ids = {int(i) for i in tiles["红灯项目"].url.split("ids=")[1].split("%2C")}
    assert red_ids == {project_world.projects["a2"].pk, project_world.projects["b1"].pk}
    city = next(f for f in board.figures if f["level"] == "市级")
    # a1 6000 + b1 7501.50 of 42000 → 32.1 %; 时序进度 50.0 %
    assert (city["count"], city["completed_wan"], city["completion"], city["time_progress"]) == \
        (2, Decimal("13501.50"), Decimal("32.1"), Decimal("50.0"))
    assert board.chart["levels"] == ["市级", "区级"]


def test_leader_page(client, project_world, data):
    client.force_login(project_world.users["leader"])
    response = client.get(reverse("projects:dashboard") + "?period=2024-06")
    page = response.content.decode()
    assert response.status_code == 200
    assert "红黄灯重点项目" in page and "排污许可" in page and "问题“供电增容”已超过办理时限" in page
    assert "2024年1–6月投资完成率" in page and 'id="key-project-data"' in page
    assert "projects_dashboard.js" in page


@pytest.mark.parametrize("bad", ["2024-13", "abc", "1999"])
def test_bad_period_shows_message(client, project_world, bad):
    client.force_login(project_world.users["leader"])
    response = client.get(reverse("projects:dashboard"), {"period": bad})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode() and "已按默认期间显示" in response.content.decode()


def test_period_aliases(client, project_world):
    client.force_login(project_world.users["staff_a"])
    page = client.get(reverse("projects:dashboard"), {"period": "2024H1"}).content.decode()
    assert "2024-06" in page


def test_staff_dashboard(project_world, data):
    pw = project_world
    board = staff_dashboard(user=pw.users["staff_a"], period=JUNE, as_of=AS_OF)
    assert [r.issue.description for r in board.todo] == ["排污许可"]
    assert {w.project.code for w in board.projects} == {"XM-A1", "XM-A2"}
    assert [(tf.name, [w.project.code for w in ws]) for tf, ws in board.task_forces] == [("储能专班", ["XM-B1"])]
    board_b = staff_dashboard(user=pw.users["staff_b"], period=JUNE, as_of=AS_OF)
    assert [r.issue.description for r in board_b.todo] == ["供电增容", "环评审批"]
    assert {w.project.code for w in board_b.projects} == {"XM-B1", "XM-B2"}


def test_staff_page(client, project_world, data):
    client.force_login(project_world.users["staff_a"])
    page = client.get(reverse("projects:dashboard")).content.decode()
    assert "本部门待办问题" in page and "排污许可" in page and "储能专班" in page
    assert "环评审批" not in page and "XM-B2" not in page


def test_enterprise_redirected_and_admin_forbidden(client, project_world):
    client.force_login(project_world.users["enterprise"])
    response = client.get(reverse("projects:dashboard"))
    assert response.status_code == 302 and response.url == reverse("projects:project_list")
    client.force_login(project_world.users["audit_admin"])
    assert client.get(reverse("projects:dashboard")).status_code == 403


def test_other_zone_leader_sees_nothing_of_t1(client, project_world, data):
    from tests.factories import make_user

    outsider = make_user("leader2", zone=project_world.other_zone, role="zone_leader")
    board = leader_dashboard(user=outsider, period=JUNE, as_of=timezone.localdate())
    assert board.alerts == [] and board.overdue == [] and board.tiles[0].value == 0
