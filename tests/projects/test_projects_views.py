"""Project library pages per role: scope, 403/404, bad parameters, optimistic locking in the edit form."""

from decimal import Decimal

import pytest
from django.urls import reverse

from gaoxin.core.audit.models import ObjectChange
from gaoxin.projects.models import (
    AnnualPlan,
    MonthlyInvestment,
    Project,
    ProjectIssue,
    ProjectParcel,
    TaskForce,
)

ADMINS = ["system_admin", "security_admin", "audit_admin"]


@pytest.fixture
def login(client, project_world):
    def as_role(role):
        client.force_login(project_world.users[role])
        return client

    return as_role


def codes(response) -> set[str]:
    return {p.code for p in response.context["page_obj"]}


@pytest.mark.parametrize(("role", "expected"), [
    ("leader", {"XM-A1", "XM-A2", "XM-B1", "XM-B2"}),
    ("staff_a", {"XM-A1", "XM-A2"}),
    ("staff_b", {"XM-B1", "XM-B2"}),
    ("enterprise", {"XM-A1"}),
    ("other_staff", set()),
])
def test_list_scope_and_total_row(login, role, expected):
    response = login(role).get(reverse("projects:project_list"))
    assert response.status_code == 200
    assert codes(response) == expected
    total = sum((Project.objects.get(code=c).total_investment_wan for c in expected), Decimal("0"))
    assert response.context["total"] == {"count": len(expected), "total_investment_wan": total}
    assert response.content.decode().count('id="project-total"') == 1


@pytest.mark.parametrize("role", ADMINS)
def test_administrators_read_no_projects(login, project_world, role):
    assert login(role).get(reverse("projects:project_list")).status_code == 403
    assert login(role).get(reverse("projects:project_detail", args=[project_world.projects["a1"].pk])).status_code == 403


@pytest.mark.parametrize(("params", "expected"), [
    ({"q": "储能"}, {"XM-B1"}),
    ({"q": "测试企业1"}, {"XM-A1"}),  # by company name
    ({"stage": "投产"}, {"XM-B1"}),
    ({"key_level": "市级"}, {"XM-A1", "XM-B1"}),
    ({"key_level": "市级", "plan_year": "2024"}, {"XM-A1", "XM-B1"}),
    ({"plan_year": "2025"}, {"XM-A1"}),
    ({"project_type": "基础设施"}, {"XM-A2"}),
    ({"industry": "生物医药"}, {"XM-B2"}),
    ({"started_after": "2024-03-15", "started_before": "2024-12-31"}, {"XM-A1"}),
    ({"started_after": "2024-03-16"}, set()),
    ({"completed_after": "2024-01-01", "completed_before": "2024-09-30"}, {"XM-B1"}),
    ({"commissioned_before": "2024-11-30"}, set()),
    ({"key_level": "省级"}, {"XM-A1", "XM-A2", "XM-B1", "XM-B2"}),  # an invalid choice is ignored (and shown)
    ({"started_after": "not-a-date"}, {"XM-A1", "XM-A2", "XM-B1", "XM-B2"}),
    ({"sort": "-nonsense"}, {"XM-A1", "XM-A2", "XM-B1", "XM-B2"}),
])
def test_list_filters(login, params, expected):
    response = login("leader").get(reverse("projects:project_list"), params)
    assert response.status_code == 200
    assert codes(response) == expected


def test_ids_filter_and_its_limits(login, project_world):
    pw = project_world
    client = login("leader")
    ids = f"{pw.projects['a1'].pk},{pw.projects['b2'].pk}"
    assert codes(client.get(reverse("projects:project_list"), {"ids": ids})) == {"XM-A1", "XM-B2"}
    too_many = ",".join(str(i) for i in range(1, 2002))
    response = client.get(reverse("projects:project_list"), {"ids": too_many})
    assert response.status_code == 200 and codes(response) == set()
    assert "2000" in response.content.decode()
    response = client.get(reverse("projects:project_list"), {"ids": "1,x"})
    assert response.status_code == 200 and codes(response) == set()
    # scope still applies to a hand-made ids list
    staff = login("staff_a")
    assert codes(staff.get(reverse("projects:project_list"), {"ids": ids})) == {"XM-A1"}


def test_task_force_member_and_issue_department_read_but_do_not_write(login, project_world):
    pw = project_world
    b1, b2 = pw.projects["b1"], pw.projects["b2"]
    force = TaskForce.objects.create(zone=pw.zone, name="储能专班", department=pw.dept_b)
    force.member_departments.add(pw.dept_a)
    Project.objects.filter(pk=b1.pk).update(task_force=force)
    ProjectIssue.objects.create(zone=pw.zone, project=b2, description="用地指标", responsible_department=pw.dept_a,
                                deadline="2025-01-31", raised_on="2025-01-01")
    client = login("staff_a")
    assert codes(client.get(reverse("projects:project_list"))) == {"XM-A1", "XM-A2", "XM-B1", "XM-B2"}
    response = client.get(reverse("projects:project_detail", args=[b1.pk]))
    assert response.status_code == 200 and response.context["can_edit"] is False
    assert client.get(reverse("projects:project_edit", args=[b1.pk])).status_code == 403
    assert client.post(reverse("projects:project_report", args=[b2.pk]),
                       {"year": 2024, "month": 5, "completed_wan": "1"}).status_code == 403
    # an inactive task force no longer shares its projects
    TaskForce.objects.filter(pk=force.pk).update(is_active=False)
    assert codes(client.get(reverse("projects:project_list"))) == {"XM-A1", "XM-A2", "XM-B2"}
    assert client.get(reverse("projects:project_detail", args=[b1.pk])).status_code == 404


@pytest.mark.parametrize(("role", "status"), [
    ("leader", 200), ("staff_a", 200), ("enterprise", 200), ("staff_b", 404), ("other_staff", 404)])
def test_detail_scope(login, project_world, role, status):
    response = login(role).get(reverse("projects:project_detail", args=[project_world.projects["a1"].pk]))
    assert response.status_code == status


def test_detail_shows_lifecycle_plans_months_and_locked_months(login, project_world):
    pw = project_world
    from gaoxin.projects.services.reports import period_close

    period_close(user=pw.users["staff_a"], year=2024, month=3)
    response = login("staff_a").get(reverse("projects:project_detail", args=[pw.projects["a1"].pk]),
                                    {"year": "2024"})
    assert response.status_code == 200
    ctx = response.context
    assert ctx["can_edit"] is True and ctx["year"] == 2024
    strip = {m["label"]: m for m in ctx["milestones"]}
    assert strip["开工"]["days"] == 14 and strip["供地"]["days"] == 19
    plan_2024 = next(r for r in ctx["plan_rows"] if r.year == 2024)
    assert plan_2024.completed_wan == Decimal("6000") and plan_2024.completion_pct == 50
    months = ctx["month_rows"]
    assert months[5].cumulative_wan == Decimal("6000") and months[2].closed and not months[3].closed
    assert ctx["chart"]["cumulative_pct"][5] == 50.0
    html = response.content.decode()
    assert "P-A1" in html and "已关账" in html
    assert '<option value="3">' not in html.split('id="report-month"')[1].split("</select>")[0]
    # nonsense year falls back, never 500
    assert login("staff_a").get(reverse("projects:project_detail", args=[pw.projects["a1"].pk]),
                                {"year": "abc"}).status_code == 200
    assert login("staff_a").get(reverse("projects:project_detail", args=[999999])).status_code == 404


def test_enterprise_user_sees_own_project_read_only(login, project_world):
    pw = project_world
    client = login("enterprise")
    response = client.get(reverse("projects:project_detail", args=[pw.projects["a1"].pk]))
    assert response.status_code == 200 and response.context["can_edit"] is False
    assert client.get(reverse("projects:project_detail", args=[pw.projects["b1"].pk])).status_code == 404
    assert client.get(reverse("projects:project_add")).status_code == 403
    assert client.get(reverse("projects:project_edit", args=[pw.projects["a1"].pk])).status_code == 403
    assert client.get(reverse("projects:period_list")).status_code == 403


def project_form(project, **overrides):
    data = {f: getattr(project, f) or "" for f in (
        "code", "name", "project_type", "key_level", "industry", "total_investment_wan", "location", "content",
        "planned_land_date", "land_date", "planned_start_date", "start_date", "planned_completion_date",
        "completion_date", "planned_commission_date", "commission_date")}
    data["enterprise"] = project.enterprise_id or ""
    data["task_force"] = project.task_force_id or ""
    data["version"] = project.version
    data["message"] = ""
    data.update(overrides)
    return data


def test_add_project(login, project_world):
    pw = project_world
    client = login("staff_b")
    assert client.get(reverse("projects:project_add")).status_code == 200
    data = project_form(Project(code="XM-NEW", name="新项目", total_investment_wan=Decimal("500"),
                                project_type="产业项目", industry="集成电路"))
    data["version"] = ""
    response = client.post(reverse("projects:project_add"), data)
    assert response.status_code == 302
    project = Project.objects.get(code="XM-NEW")
    assert project.department == pw.dept_b and project.version == 1
    # duplicate code is a form error, not a 500
    response = client.post(reverse("projects:project_add"), data)
    assert response.status_code == 200 and "项目编号" in response.content.decode()
    assert login("leader").get(reverse("projects:project_add")).status_code == 403


def test_edit_form_errors_stay_on_the_field(login, project_world):
    a1 = project_world.projects["a1"]
    response = login("staff_a").post(reverse("projects:project_edit", args=[a1.pk]),
                                     project_form(a1, completion_date="2024-01-01"))
    assert response.status_code == 200
    assert "completion_date" in response.context["form"].errors
    assert Project.objects.get(pk=a1.pk).version == 1


def test_optimistic_locking_first_save_wins_second_gets_409(client, login, project_world):
    pw = project_world
    a1 = pw.projects["a1"]
    url = reverse("projects:project_edit", args=[a1.pk])
    staff = login("staff_a")
    # two people opened the form at version 1
    first = project_form(a1, name="甲改的名称")
    second = project_form(a1, total_investment_wan="60000", location="乙填写的地点")
    assert staff.get(url).context["form"]["version"].value() == 1
    assert staff.post(url, first).status_code == 302
    assert Project.objects.get(pk=a1.pk).version == 2

    response = staff.post(url, second)
    assert response.status_code == 409
    html = response.content.decode()
    assert "已被他人修改" in html and "当前内容" in html
    differences = {d["label"]: d for d in response.context["stale"]["differences"]}
    assert differences["项目名称"]["current"] == "甲改的名称"
    assert differences["项目名称"]["mine"] == "智能终端产业园项目"
    assert "总投资（万元）" in differences and "建设地点" in differences
    assert response.context["form"]["version"].value() == "2"
    current = Project.objects.get(pk=a1.pk)
    assert (current.name, current.total_investment_wan, current.location, current.version) == (
        "甲改的名称", Decimal("50000.00"), "", 2)

    # a conscious re-save at the current version goes through
    resave = dict(second, version=2)
    assert staff.post(url, resave).status_code == 302
    current.refresh_from_db()
    assert (current.name, current.location, current.version) == ("智能终端产业园项目", "乙填写的地点", 3)


def test_import_makes_an_open_form_stale(login, project_world):
    from gaoxin.projects.services.projects import projects_upsert

    pw = project_world
    a1 = pw.projects["a1"]
    form = project_form(a1, name="表单里的名称")
    projects_upsert(zone=pw.zone, department=pw.dept_a, rows=[{
        "code": "XM-A1", "name": "导入的名称", "project_type": "产业项目", "key_level": "市级", "industry": "",
        "total_investment_wan": Decimal("50000"), "enterprise_id": None, "land_date": None,
        "planned_start_date": None, "start_date": None, "planned_completion_date": None, "completion_date": None,
        "planned_commission_date": None, "commission_date": None}])
    response = login("staff_a").post(reverse("projects:project_edit", args=[a1.pk]), form)
    assert response.status_code == 409
    assert Project.objects.get(pk=a1.pk).name == "导入的名称"


def test_edit_and_delete_permissions(login, project_world):
    pw = project_world
    b1 = pw.projects["b1"]
    for role in ("staff_a", "leader"):
        assert login(role).get(reverse("projects:project_edit", args=[b1.pk])).status_code in (403, 404)
        assert login(role).post(reverse("projects:project_delete", args=[b1.pk])).status_code in (403, 404)
    assert Project.objects.filter(pk=b1.pk).exists()


def test_delete_project_and_refusal_when_signed(login, project_world):
    pw = project_world
    client = login("staff_b")
    b2 = pw.projects["b2"]
    assert client.get(reverse("projects:project_delete", args=[b2.pk])).status_code == 200
    assert client.post(reverse("projects:project_delete", args=[b2.pk]), {"message": "重复登记"}).status_code == 302
    assert not Project.objects.filter(pk=b2.pk).exists()
    from gaoxin.investment.models import Signing

    b1 = pw.projects["b1"]
    Signing.objects.create(zone=pw.zone, project=b1, date="2023-01-10", contract_investment_wan=Decimal("120000"),
                           channel="专班招商", department=pw.dept_b)
    response = client.post(reverse("projects:project_delete", args=[b1.pk]), {"message": ""})
    assert response.status_code == 400 and "不能删除" in response.content.decode()
    assert Project.objects.filter(pk=b1.pk).exists()


def test_parcel_add_and_remove(login, project_world):
    pw = project_world
    a2 = pw.projects["a2"]
    client = login("staff_a")
    url = reverse("projects:project_parcel_add", args=[a2.pk])
    assert client.post(url, {"parcel_code": "P-B1"}).status_code == 302  # any parcel of the zone
    link = ProjectParcel.objects.get(project=a2, parcel=pw.parcels["b1"])
    client.post(url, {"parcel_code": "P-B1"})  # twice: refused with a message, no duplicate
    client.post(url, {"parcel_code": "P-O1"})  # another zone's parcel is unknown here
    assert ProjectParcel.objects.filter(project=a2).count() == 1
    assert login("staff_b").post(url, {"parcel_code": "P-A2"}).status_code == 404
    remove = reverse("projects:project_parcel_remove", args=[a2.pk, link.pk])
    client = login("staff_a")
    assert client.post(remove).status_code == 302
    assert not ProjectParcel.objects.filter(pk=link.pk).exists()
    assert client.post(remove).status_code == 404


def test_plan_and_report_posts(login, project_world):
    pw = project_world
    a1 = pw.projects["a1"]
    client = login("staff_a")
    assert client.post(reverse("projects:project_plan", args=[a1.pk]),
                       {"year": "2026", "plan_wan": "800", "message": "年初下达"}).status_code == 302
    assert AnnualPlan.objects.get(project=a1, year=2026).plan_wan == Decimal("800")
    assert client.post(reverse("projects:project_plan", args=[a1.pk]), {"year": "abc", "plan_wan": "x"}).status_code == 302
    assert client.post(reverse("projects:project_plan", args=[a1.pk]), {"year": "2026", "delete": "1"}).status_code == 302
    assert not AnnualPlan.objects.filter(project=a1, year=2026).exists()

    response = client.post(reverse("projects:project_report", args=[a1.pk]),
                           {"year": "2024", "month": "7", "completed_wan": "700", "progress": "装修"}, follow=True)
    assert response.status_code == 200
    assert MonthlyInvestment.objects.get(project=a1, year=2024, month=7).completed_wan == Decimal("700")
    assert client.post(reverse("projects:project_report", args=[a1.pk]),
                       {"year": "2024", "month": "13", "completed_wan": "1"}).status_code == 302
    assert not MonthlyInvestment.objects.filter(project=a1, month=13).exists()
    from gaoxin.projects.services.reports import period_close

    period_close(user=pw.users["staff_a"], year=2024, month=7)
    response = client.post(reverse("projects:project_report", args=[a1.pk]),
                           {"year": "2024", "month": "7", "completed_wan": "1"}, follow=True)
    assert "已关账" in response.content.decode()
    assert MonthlyInvestment.objects.get(project=a1, year=2024, month=7).completed_wan == Decimal("700")
    assert login("leader").post(reverse("projects:project_plan", args=[a1.pk]),
                                {"year": "2026", "plan_wan": "1"}).status_code == 403
    assert login("enterprise").post(reverse("projects:project_report", args=[a1.pk]),
                                    {"year": "2024", "month": "8", "completed_wan": "1"}).status_code == 403


def test_period_page_close_and_reopen(login, project_world):
    pw = project_world
    client = login("staff_a")
    response = client.get(reverse("projects:period_list"), {"year": "2024"})
    assert response.status_code == 200 and response.context["can_close"]
    assert client.post(reverse("projects:period_close"), {"year": "2024", "month": "4"}).status_code == 302
    response = client.get(reverse("projects:period_list"), {"year": "2024"})
    assert response.context["rows"][3]["closed"]
    # reopen without a reason is refused and nothing changes
    client.post(reverse("projects:period_reopen"), {"year": "2024", "month": "4", "reason": "  "})
    assert client.get(reverse("projects:period_list"), {"year": "2024"}).context["rows"][3]["closed"]
    client.post(reverse("projects:period_reopen"), {"year": "2024", "month": "4", "reason": "更正统计数"})
    response = client.get(reverse("projects:period_list"), {"year": "2024"})
    assert not response.context["rows"][3]["closed"]
    assert [c.message for c in response.context["history"]][:2] == ["更正统计数", ""]
    assert "更正统计数" in response.content.decode()
    # the leader reads any department's periods but cannot close them
    leader = login("leader")
    response = leader.get(reverse("projects:period_list"), {"year": "2024", "department": pw.dept_a.pk})
    assert response.status_code == 200 and not response.context["can_close"]
    assert leader.post(reverse("projects:period_close"), {"year": "2024", "month": "5"}).status_code == 403
    assert leader.get(reverse("projects:period_list"), {"year": "abc"}).status_code == 200
    assert ObjectChange.objects.filter(message="更正统计数").count() == 1
