"""Warning lights per project through the selector: thresholds, wording, scope, queries, default period."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from gaoxin.projects.engine import Light, Period
from gaoxin.projects.models import IssueStatus, KeyLevel, ProjectSettings
from gaoxin.projects.selectors import warnings as selectors
from tests.projects.conftest import add_plan, add_report, make_project
from tests.projects.issues_data import make_issue

JUNE = Period(2024, 6)
AS_OF = dt.date(2024, 7, 10)


def lights(pw, user="leader", period=JUNE, as_of=AS_OF, **kw):
    found = selectors.project_warnings(user=pw.users[user], period=period, as_of=as_of, **kw)
    return {w.project.code: w for w in found}


def key_project(pw, code, completed: str, plan: str = "100"):
    project = make_project(pw.world, pw.dept_a, code, key_level=KeyLevel.DISTRICT)
    add_plan(project, 2024, plan)
    add_report(project, 2024, 2, completed)  # months 1…M are summed; one month is enough
    return project


@pytest.mark.parametrize(("completed", "light"), [
    ("40.01", Light.GREEN), ("40", Light.YELLOW), ("20", Light.YELLOW), ("19.99", Light.RED)])
def test_progress_thresholds(project_world, completed, light):
    key_project(project_world, "K", completed)
    assert lights(project_world)["K"].light == light


def test_reports_after_the_period_month_do_not_count(project_world):
    project = key_project(project_world, "K", "20")
    add_report(project, 2024, 7, "50")
    add_report(project, 2023, 3, "50")
    warning = lights(project_world)["K"]
    assert warning.completed_wan == Decimal("20")
    assert warning.light == Light.YELLOW


def test_non_key_projects_get_no_progress_light(project_world):
    pw = project_world
    project = make_project(pw.world, pw.dept_a, "N")
    add_plan(project, 2024, "100")
    warning = lights(pw)["N"]
    assert warning.progress is None and warning.light == Light.GREEN


def test_fixture_projects(project_world):
    found = lights(project_world)
    assert found["XM-A1"].light == Light.GREEN          # 6000 of 12000 in June: on time
    assert found["XM-B1"].light == Light.YELLOW         # 7501.5 of 30000: 25.005 behind
    assert found["XM-A2"].light == Light.RED            # nothing done, not started
    assert found["XM-B2"].light == Light.GREEN
    assert [w.project.code for w in selectors.project_warnings(
        user=project_world.users["leader"], period=JUNE, as_of=AS_OF)][:2] == ["XM-A2", "XM-B1"]


def test_start_thresholds(project_world):
    pw = project_world
    pw.projects["a2"].key_level = ""  # start light only
    pw.projects["a2"].save()
    assert lights(pw, as_of=dt.date(2024, 5, 31))["XM-A2"].light == Light.YELLOW
    assert lights(pw, as_of=dt.date(2024, 6, 1))["XM-A2"].light == Light.RED
    assert lights(pw, as_of=dt.date(2024, 2, 29))["XM-A2"].signals == []


def test_issue_thresholds(project_world):
    pw = project_world
    deadline = dt.date(2024, 7, 10)
    make_issue(pw.projects["b2"], pw.dept_a, deadline)
    make_issue(pw.projects["b2"], pw.dept_a, dt.date(2024, 1, 5), status=IssueStatus.RESOLVED,
               resolution="ok", resolved_on=dt.date(2024, 1, 6))  # resolved: no light
    assert lights(pw, as_of=dt.date(2024, 7, 6))["XM-B2"].light == Light.GREEN
    assert lights(pw, as_of=deadline)["XM-B2"].light == Light.YELLOW
    after = lights(pw, as_of=dt.date(2024, 7, 11))["XM-B2"]
    assert after.light == Light.RED
    assert after.reasons == ["问题“用地指标未落实”已超过办理时限 1 天"]


def test_worst_issue_speaks(project_world):
    pw = project_world
    make_issue(pw.projects["b2"], pw.dept_a, dt.date(2024, 8, 30), description="较晚")
    make_issue(pw.projects["b2"], pw.dept_a, dt.date(2024, 7, 1), description="已逾期")
    reasons = lights(pw)["XM-B2"].reasons
    assert reasons == ["问题“已逾期”已超过办理时限 9 天（共 2 个未解决问题）"]


def test_signal_wording(project_world):
    key_project(project_world, "K", "35")
    warning = lights(project_world)["K"]
    assert warning.reasons == ["2024年1–6月投资完成率 35.0%，时序进度 50.0%，落后 15.0 个百分点"]
    a2 = lights(project_world, as_of=dt.date(2024, 6, 1))["XM-A2"]
    assert "计划 2024-03-01 开工，超过 3 个月仍未开工" in a2.reasons
    early = lights(project_world, as_of=dt.date(2024, 3, 6))["XM-A2"]
    assert "计划 2024-03-01 开工，已逾期 5 天未开工" in early.reasons


def test_percentages_round_half_up():
    assert selectors.one_decimal(Decimal("12.25")) == Decimal("12.3")
    from fractions import Fraction

    assert selectors.one_decimal(Fraction(1, 3) * 100) == Decimal("33.3")
    assert selectors.one_decimal(Fraction(-1, 20)) == Decimal("-0.1")


def test_zone_settings_apply(project_world):
    pw = project_world
    key_project(pw, "K", "45")  # 5 behind
    assert lights(pw)["K"].light == Light.GREEN
    ProjectSettings.objects.create(zone=pw.zone, yellow_behind_pp=Decimal("5"), red_behind_pp=Decimal("8"))
    assert lights(pw)["K"].light == Light.YELLOW


@pytest.mark.parametrize(("user", "codes"), [
    ("leader", {"XM-A1", "XM-A2", "XM-B1", "XM-B2"}),
    ("staff_a", {"XM-A1", "XM-A2"}),
    ("staff_b", {"XM-B1", "XM-B2"}),
    ("enterprise", {"XM-A1"}),
    ("other_staff", set()),
    ("system_admin", set()),
])
def test_scope(project_world, user, codes):
    assert set(lights(project_world, user=user)) == codes


def test_issue_responsible_department_reads_the_project(project_world):
    pw = project_world
    make_issue(pw.projects["a1"], pw.dept_b, dt.date(2024, 9, 1))
    assert "XM-A1" in lights(pw, user="staff_b")


def test_query_count_does_not_grow_with_projects(project_world, django_assert_max_num_queries):
    pw = project_world
    for n in range(20):
        p = key_project(pw, f"K{n}", "30")
        make_issue(p, pw.dept_b, dt.date(2024, 7, 1))
    with django_assert_max_num_queries(8):
        found = selectors.project_warnings(user=pw.users["leader"], period=JUNE, as_of=AS_OF)
        texts = {w.project.code: w.reasons for w in found}
    assert len(found) == 24
    assert all(len(texts[f"K{n}"]) == 2 for n in range(20))


def test_default_period(project_world):
    pw = project_world
    today = timezone.localdate()
    last = Period(today.year, today.month - 1) if today.month > 1 else Period(today.year - 1, 12)
    assert selectors.default_period(user=pw.users["leader"], today=today) == last
    add_report(pw.projects["b1"], today.year, 1, "1")
    assert selectors.default_period(user=pw.users["leader"], today=today) == Period(today.year, 1)
    # staff_a does not see b1's report
    assert selectors.default_period(user=pw.users["staff_a"], today=today) == last
    assert selectors.default_period(user=pw.users["leader"], today=dt.date(2025, 1, 15)) == Period(2024, 12)
