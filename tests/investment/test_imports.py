"""The `signings` and `funds` imports: headers of issue 5, every error case, all or nothing, exports round-trip."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from gaoxin.core.imports import get_spec
from gaoxin.core.imports.services import file_import, records_export
from gaoxin.investment.models import FundTranche, Signing
from gaoxin.projects.models import Project

from .conftest import make_project

pytestmark = pytest.mark.django_db

SIGNING_HEADERS = ["项目编号*", "项目名称*", "签约日期*", "合同投资额（万元）*", "招商方式*", "产业方向"]
FUND_HEADERS = ["项目编号*", "到位日期*", "到位金额（万元）*"]


def csv_bytes(rows) -> bytes:
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    return buf.getvalue().encode("utf-8-sig")


def run(world, kind, rows, user="staff_b"):
    user = world.users[user]
    return file_import(spec=get_spec(kind), data=csv_bytes(rows), filename=f"{kind}.csv", zone=user.zone,
                       department=user.department, user=user)


def errors_of(outcome):
    return [(e.row, e.column, e.value, e.reason) for e in outcome.errors]


def counts(outcome):
    return outcome.counts.created, outcome.counts.updated, outcome.counts.unchanged


def test_headers_are_the_contract():
    assert [c.title for c in get_spec("signings").columns] == SIGNING_HEADERS
    assert [c.title for c in get_spec("funds").columns] == FUND_HEADERS
    assert get_spec("signings").default_department_code == get_spec("funds").default_department_code == "tzcj"


def test_signings_import_creates_projects_and_updates_signings(inv):
    outcome = run(inv, "signings", [
        SIGNING_HEADERS,
        ["N1", "新建储能项目", "2025-03-18", "500000", "专班招商", "新能源及新型储能"],
        ["P1", "核对用名称", "2025-03-01", "600000.004", "专班招商", "集成电路"],
        ["P3", "项目P3", "2025/4/2", "12,000.5", "以商招商", ""],
    ])
    assert outcome.ok, errors_of(outcome)
    assert counts(outcome) == (2, 1, 0)
    n1 = Project.objects.get(zone=inv.zone, code="N1")
    assert (n1.name, n1.total_investment_wan, n1.department, n1.industry) == (
        "新建储能项目", Decimal("500000.00"), inv.dept_b, "新能源及新型储能")
    assert Signing.objects.get(project=n1).date == dt.date(2025, 3, 18)
    inv.p1.refresh_from_db()
    assert inv.p1.name == "项目P1"  # an existing project keeps its name
    assert Signing.objects.get(project=inv.p1).contract_investment_wan == Decimal("600000.00")
    assert Signing.objects.get(project=inv.p3).contract_investment_wan == Decimal("12000.50")


def test_signings_every_error_and_nothing_written(inv):
    outcome = run(inv, "signings", [
        SIGNING_HEADERS,
        ["N1", "甲", "2025-13-01", "100", "专班招商", ""],
        ["N2", "乙", "2025-03-01", "-5", "专班招商", ""],
        ["N3", "丙", "2025-03-01", "0", "专班招商", ""],
        ["N4", "丁", "2025-03-01", "100", "网络招商", ""],
        ["N5", "戊", "2025-03-01", "100", "专班招商", "房地产"],
        ["N6", "己", "2025-03-01", "100", "专班招商", ""],
        ["N6", "己", "2025-03-01", "100", "专班招商", ""],
        ["P2", "项目P2", "2025-03-01", "100", "专班招商", ""],
        ["", "庚", "2025-03-01", "100", "专班招商", ""],
        ["N7", "辛", "2025-03-01", "abc", "专班招商", ""],
    ])
    assert not outcome.ok
    found = {(e.row, e.column): e.reason for e in outcome.errors}
    assert "月份" in found[(2, "签约日期")]
    assert found[(3, "合同投资额（万元）")] == "应大于 0。"
    assert found[(4, "合同投资额（万元）")] == "应大于 0。"
    assert "不是可选值" in found[(5, "招商方式")]
    assert "不是本园区的产业方向" in found[(6, "产业方向")]
    assert "第 7 行和第 8 行的项目编号相同" in found[(8, "项目编号")]
    assert "投资促进局" not in found[(9, "项目编号")] and "经信局" in found[(9, "项目编号")]  # P2 is dept_a's
    assert found[(10, "项目编号")] == "必填项不能为空。"
    assert "应为数字" in found[(11, "合同投资额（万元）")]
    assert len(outcome.errors) == 9
    assert not Project.objects.filter(code__startswith="N").exists()
    assert Signing.objects.filter(zone=inv.zone).count() == 2


@pytest.mark.parametrize("kind,headers", [("signings", SIGNING_HEADERS), ("funds", FUND_HEADERS)])
def test_missing_required_header(inv, kind, headers):
    outcome = run(inv, kind, [headers[:1] + headers[2:], ["P1"] + ["x"] * (len(headers) - 2)])
    assert not outcome.ok
    assert any(f"缺少必填列“{headers[1]}”" in e.reason for e in outcome.errors)


def test_funds_import(inv):
    outcome = run(inv, "funds", [
        FUND_HEADERS,
        ["P1", "2025-04-01", "1500"],
        ["P1", "2025-07-01", "200.255"],
        ["P3", "2025-07-01", "50"],
    ])
    assert outcome.ok, errors_of(outcome)
    assert counts(outcome) == (2, 1, 0)
    inv.t1.refresh_from_db()
    assert inv.t1.amount_wan == Decimal("1500.00")
    assert FundTranche.objects.get(project=inv.p1, date=dt.date(2025, 7, 1)).amount_wan == Decimal("200.26")


def test_funds_every_error_and_nothing_written(inv):
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    outcome = run(inv, "funds", [
        FUND_HEADERS,
        ["NOPE", "2025-04-01", "10"],
        ["P1", "2025-02-30", "10"],
        ["P1", "2025-08-01", "0"],
        ["P1", "2025-08-02", "-1"],
        ["P3", "2025-08-01", "10"],
        ["P3", "2025-08-01", "11"],
        ["P2", "2025-06-01", "10"],  # dept_a's tranche
        ["P3", tomorrow, "10"],
        ["PO", "2025-08-01", "10"],  # another zone's project
    ])
    assert not outcome.ok
    found = {(e.row, e.column): e.reason for e in outcome.errors}
    assert found[(2, "项目编号")] == "本园区没有项目编号为“NOPE”的项目；请先导入项目或签约。"
    assert "没有 30 日" in found[(3, "到位日期")]
    assert found[(4, "到位金额（万元）")] == "应大于 0。"
    assert found[(5, "到位金额（万元）")] == "应大于 0。"
    assert "项目编号和到位日期相同" in found[(7, "项目编号")]
    assert "经信局" in found[(8, "项目编号")]
    assert "不能晚于今天" in found[(9, "到位日期")]
    assert "没有项目编号为“PO”" in found[(10, "项目编号")]
    assert FundTranche.objects.filter(zone=inv.zone).count() == 3


@pytest.mark.parametrize("kind", ["signings", "funds"])
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_reimports_unchanged(inv, kind, fmt):
    spec = get_spec(kind)
    staff = inv.users["staff_b"]
    out = io.BytesIO()
    count = records_export(spec=spec, objects=spec.queryset_for_user(user=staff, filters=None), fmt=fmt, out=out,
                           user=staff, zone=inv.zone)
    assert count == (1 if kind == "signings" else 2)
    outcome = file_import(spec=spec, data=out.getvalue(), filename=f"export.{fmt}", zone=inv.zone,
                          department=inv.dept_b, user=staff)
    assert outcome.ok, errors_of(outcome)
    assert counts(outcome) == (0, 0, count)


def test_cli_import_uses_tzcj_by_default(inv, tmp_path):
    path = tmp_path / "signings.csv"
    path.write_bytes(csv_bytes([SIGNING_HEADERS, ["CLI-1", "命令行项目", "2025-01-02", "1000", "其他", ""]]))
    call_command("import", "signings", str(path), "--zone", "t1")
    signing = Signing.objects.get(project__code="CLI-1")
    assert signing.department == inv.dept_b and signing.project.department == inv.dept_b


def test_funds_for_a_project_signed_by_import(inv):
    make_project(inv, "P9")
    assert run(inv, "signings", [SIGNING_HEADERS, ["P10", "新项目", "2025-01-02", "1000", "其他", ""]]).ok
    outcome = run(inv, "funds", [FUND_HEADERS, ["P10", "2025-02-01", "100"], ["P9", "2025-02-01", "1"]])
    assert outcome.ok, errors_of(outcome)
    assert counts(outcome) == (2, 0, 0)
