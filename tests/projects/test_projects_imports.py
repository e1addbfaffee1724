"""Imports and exports of projects, annual plans and monthly completed investment (issue 5 headers)."""

import datetime as dt
import io
from decimal import Decimal

import pytest

from gaoxin.core.imports import get_spec
from gaoxin.core.imports.services import file_import, records_export
from gaoxin.projects.models import AnnualPlan, MonthlyInvestment, Project
from gaoxin.projects.services.reports import period_close, period_reopen
from tests.enterprises.test_imports import csv_bytes, xlsx_bytes

PROJECT_HEADERS = ["项目编号*", "项目名称*", "总投资（万元）*", "项目类型", "重点项目级别", "产业方向", "统一社会信用代码",
                   "供地日期", "计划开工日期", "实际开工日期", "计划竣工日期", "实际竣工日期", "计划投产日期", "实际投产日期"]
PLAN_HEADERS = ["项目编号*", "年度*", "年度计划投资（万元）*"]
INVESTMENT_HEADERS = ["项目编号*", "年度*", "月份*", "当月完成投资（万元）*"]


def run(kind, pw, rows, user="staff_a", fmt="xlsx"):
    user = pw.users[user]
    data = xlsx_bytes(rows, sheet=get_spec(kind).sheet_name) if fmt == "xlsx" else csv_bytes(rows)
    return file_import(spec=get_spec(kind), data=data, filename=f"{kind}.{fmt}", zone=user.zone,
                       department=user.department, user=user)


def errors_of(outcome):
    return [(e.row, e.column, e.reason) for e in outcome.errors]


def test_the_headers_are_the_contract():
    assert [c.title for c in get_spec("projects").columns] == PROJECT_HEADERS
    assert [c.title for c in get_spec("plans").columns] == PLAN_HEADERS
    assert [c.title for c in get_spec("investment").columns] == INVESTMENT_HEADERS
    assert get_spec("projects").default_department_code == "tzcj"


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_projects_import_creates_with_company_stage_and_default_type(project_world, fmt):
    pw = project_world
    uscc = pw.enterprises["a2"].uscc
    outcome = run("projects", pw, [
        PROJECT_HEADERS,
        ["XM-N1", "新项目一", "1234.5", "", "市级", "集成电路", uscc, "2024-01-02", "2024-03-01", "2024-03-05",
         "2025-03-01", "", "", ""],
        ["XM-N2", "新项目二", "88", "基础设施", "", "", "", "", "", "", "", "", "", ""],
    ], fmt=fmt)
    assert outcome.ok, errors_of(outcome)
    assert (outcome.counts.created, outcome.counts.updated) == (2, 0)
    n1 = Project.objects.get(zone=pw.zone, code="XM-N1")
    assert (n1.total_investment_wan, n1.project_type, n1.key_level, n1.enterprise, n1.stage, n1.department) == (
        Decimal("1234.50"), "产业项目", "市级", pw.enterprises["a2"], "在建", pw.dept_a)
    assert n1.start_date == dt.date(2024, 3, 5)
    n2 = Project.objects.get(zone=pw.zone, code="XM-N2")
    assert (n2.project_type, n2.key_level, n2.enterprise, n2.stage) == ("基础设施", "", None, "入库")


def test_projects_import_row_errors(project_world):
    pw = project_world
    other_zone_uscc = pw.enterprises["other"].uscc
    outcome = run("projects", pw, [
        PROJECT_HEADERS,
        ["XM-E1", "竣工早于开工", "100", "", "", "", "", "", "", "2024-05-01", "", "2024-04-01", "", ""],
        ["XM-E2", "未知企业", "100", "", "", "", other_zone_uscc, "", "", "", "", "", "", ""],
        ["XM-E3", "类型错误", "100", "工业", "省级", "", "", "", "", "", "", "", "", ""],
        ["XM-E4", "零投资", "0", "", "", "", "", "", "", "", "", "", "", ""],
        ["XM-B1", "他部门项目", "100", "", "", "", "", "", "", "", "", "", "", ""],
        ["", "", "100", "", "", "", "", "", "2024-13-01", "", "", "", "", ""],
        ["XM-E1", "重复", "100", "", "", "", "", "", "", "", "", "", "", ""],
    ])
    assert not outcome.ok
    errors = errors_of(outcome)
    columns = {(row, column) for row, column, _reason in errors}
    assert (2, "实际竣工日期") in columns  # Project.clean() on the right row and column
    assert any(r == 3 and c == "统一社会信用代码" and "本园区没有" in reason for r, c, reason in errors)
    assert {(4, "项目类型"), (4, "重点项目级别"), (5, "总投资（万元）"), (6, "项目编号"), (7, "项目编号"),
            (7, "项目名称"), (7, "计划开工日期"), (8, "项目编号")} <= columns
    assert any("投资促进局" in reason for r, _c, reason in errors if r == 6)
    assert not Project.objects.filter(code__startswith="XM-E").exists()
    assert Project.objects.get(code="XM-B1").name == "新型储能电池基地"


def test_projects_import_missing_required_column(project_world):
    outcome = run("projects", project_world, [PROJECT_HEADERS[:2], ["XM-N9", "缺列"]])
    assert not outcome.ok
    assert any("总投资（万元）" in e.reason for e in outcome.errors)


@pytest.mark.parametrize("kind", ["projects", "plans", "investment"])
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_reimports_unchanged(project_world, kind, fmt):
    pw = project_world
    staff = pw.users["staff_a"]
    spec = get_spec(kind)
    out = io.BytesIO()
    count = records_export(spec=spec, objects=spec.queryset_for_user(user=staff, filters=None), fmt=fmt, out=out,
                           user=staff, zone=staff.zone)
    assert count == {"projects": 2, "plans": 3, "investment": 6}[kind]
    before = {p.code: p.version for p in Project.objects.all()}
    outcome = file_import(spec=spec, data=out.getvalue(), filename=f"export.{fmt}", zone=staff.zone,
                          department=staff.department, user=staff)
    assert outcome.ok, errors_of(outcome)
    assert (outcome.counts.created, outcome.counts.updated, outcome.counts.unchanged) == (0, 0, count)
    assert {p.code: p.version for p in Project.objects.all()} == before


def test_projects_import_update_bumps_version(project_world):
    pw = project_world
    outcome = run("projects", pw, [PROJECT_HEADERS, ["XM-A1", "改名", "50000", "", "市级", "", "", "", "", "", "",
                                                     "", "", ""]])
    assert outcome.ok, errors_of(outcome)
    a1 = Project.objects.get(code="XM-A1")
    assert (a1.name, a1.enterprise, a1.version) == ("改名", None, 2)


def test_plans_import_creates_updates_and_row_errors(project_world):
    pw = project_world
    outcome = run("plans", pw, [PLAN_HEADERS, ["XM-A1", "2024", "12500"], ["XM-A2", "2025", "4000.456"]])
    assert outcome.ok, errors_of(outcome)
    assert (outcome.counts.created, outcome.counts.updated) == (1, 1)
    assert AnnualPlan.objects.get(project=pw.projects["a2"], year=2025).plan_wan == Decimal("4000.46")

    outcome = run("plans", pw, [
        PLAN_HEADERS,
        ["XM-NONE", "2024", "1"],
        ["XM-B1", "2024", "1"],   # another department's project with a plan
        ["XM-B2", "2024", "1"],   # another department's project without a plan
        ["XM-A1", "1999", "1"],
        ["XM-A1", "2026", "-1"],
        ["XM-A2", "2025", "abc"],
        ["XM-A1", "2027", "1"],
        ["XM-A1", "2027", "2"],
    ])
    assert not outcome.ok
    errors = errors_of(outcome)
    assert (2, "项目编号") in {(r, c) for r, c, _ in errors}
    assert any(r == 2 and "XM-NONE" in reason for r, _c, reason in errors)
    assert any(r == 3 and c == "项目编号" and "投资促进局" in reason for r, c, reason in errors)
    assert any(r == 4 and c == "项目编号" and "投资促进局" in reason for r, c, reason in errors)
    assert {(5, "年度"), (6, "年度计划投资（万元）"), (7, "年度计划投资（万元）"), (9, "项目编号")} <= {
        (r, c) for r, c, _ in errors}
    assert not AnnualPlan.objects.filter(year__in=[2026, 2027]).exists()
    assert AnnualPlan.objects.get(project=pw.projects["b1"], year=2024).plan_wan == Decimal("30000")


def test_investment_import_closed_future_and_unknown(project_world, monkeypatch):
    pw = project_world
    staff = pw.users["staff_a"]
    period_close(user=staff, year=2024, month=2)
    from gaoxin.projects import imports

    monkeypatch.setattr(imports.timezone, "localdate", lambda: dt.date(2025, 5, 15))
    outcome = run("investment", pw, [
        INVESTMENT_HEADERS,
        ["XM-A1", "2024", "2", "1"],       # closed
        ["XM-A1", "2025", "6", "1"],       # future
        ["XM-ZZ", "2024", "1", "1"],       # unknown project
        ["XM-A1", "2024", "13", "1"],      # bad month
        ["XM-A1", "2024", "7", "-5"],      # negative
        ["XM-B1", "2024", "7", "5"],       # another department
        ["XM-A1", "2025", "5", "10"],      # fine on its own
    ])
    assert not outcome.ok
    errors = errors_of(outcome)
    cells = {(r, c) for r, c, _ in errors}
    assert {(2, "月份"), (3, "月份"), (4, "项目编号"), (5, "月份"), (6, "当月完成投资（万元）"), (7, "项目编号")} <= cells
    assert any(r == 2 and "已关账" in reason for r, _c, reason in errors)
    assert any(r == 3 and "尚未到来" in reason for r, _c, reason in errors)
    assert 8 not in {r for r, _c, _ in errors}
    assert not MonthlyInvestment.objects.filter(year=2025).exists()

    period_reopen(user=staff, year=2024, month=2, reason="补报")
    outcome = run("investment", pw, [INVESTMENT_HEADERS, ["XM-A1", "2024", "2", "1"], ["XM-A1", "2025", "5", "10"]])
    assert outcome.ok, errors_of(outcome)
    assert (outcome.counts.created, outcome.counts.updated) == (1, 1)
    feb = MonthlyInvestment.objects.get(project=pw.projects["a1"], year=2024, month=2)
    assert feb.completed_wan == Decimal("1") and feb.progress == "2月主体施工"  # progress kept


def test_projects_import_without_milestone_columns_keeps_the_stage(project_world):
    pw = project_world
    outcome = run("projects", pw, [PROJECT_HEADERS[:3], ["XM-A1", "只改名称", "50000"]])
    assert outcome.ok, errors_of(outcome)
    a1 = Project.objects.get(code="XM-A1")
    assert (a1.name, a1.stage, a1.start_date, a1.enterprise) == (
        "只改名称", "在建", dt.date(2024, 3, 15), pw.enterprises["a1"])


def test_export_through_the_page_applies_list_filters(client, project_world):
    from django.urls import reverse

    client.force_login(project_world.users["leader"])
    response = client.get(reverse("imports:export", args=["projects"]), {"key_level": "市级", "format": "csv"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content if response.streaming else [response.content]).decode("utf-8-sig")
    assert "XM-A1" in text and "XM-B1" in text and "XM-A2" not in text
