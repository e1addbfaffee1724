"""The five agency imports of the evaluation data: keyed by (USCC, year), merged per source, all or nothing."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from gaoxin.core.audit.models import ObjectChange, SecurityEvent
from gaoxin.core.imports import get_spec
from gaoxin.core.imports.services import file_import
from gaoxin.evaluation.models import EvaluationData, EvaluationRun, RunStatus
from gaoxin.evaluation.services.data import NATURAL_RESOURCES_REASON, evaluation_data_save
from tests.factories import make_uscc

TAX = ["统一社会信用代码*", "企业名称", "评价年度*", "实缴税收（万元）"]
STATS = ["统一社会信用代码", "企业名称", "评价年度", "营业收入（万元）", "工业增加值（万元）", "工业总产值（万元）",
         "研发经费支出（万元）", "年平均职工人数（人）", "综合能耗（吨标准煤）"]
POWER = ["统一社会信用代码", "评价年度", "用电量(万千瓦时)"]  # half-width brackets, no 企业名称: both fine
ENV = ["统一社会信用代码", "评价年度", "主要污染物排放量（吨）", "重大环境违法"]
LAND = ["统一社会信用代码", "评价年度", "核定用地面积（亩）", "违法用地"]


def csv_bytes(rows) -> bytes:
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    return buf.getvalue().encode("utf-8")


def run(world, kind, rows, filename="数据.csv", user="staff_a"):
    user = world.users[user]
    return file_import(spec=get_spec(kind), data=csv_bytes(rows), filename=filename, zone=user.zone,
                       department=user.department, user=user)


def errors_of(outcome):
    return [(e.row, e.column, e.value, e.reason) for e in outcome.errors]


def record(world, key, year=2025):
    return EvaluationData.objects.get(zone=world.zone, enterprise=world.enterprises[key], year=year)


@pytest.fixture
def usccs(world):
    return {k: e.uscc for k, e in world.enterprises.items()}


def test_five_kinds_are_registered_with_their_columns():
    for slug in ("tax", "statistics", "power", "environment", "land"):
        spec = get_spec(f"evaluation-{slug}")
        assert spec.list_url == "evaluation:data_list" and spec.default_department_code == "jxj"
        assert [c.title for c in spec.columns][:3] == ["统一社会信用代码*", "企业名称", "评价年度*"]
    assert str(get_spec("evaluation-tax").label) == "亩均评价数据（税务）"


def test_tax_file_creates_year_rows_with_their_source(world, usccs):
    rows = [TAX,
            [usccs["a1"], "测试企业1有限公司", "2025", "600"],
            [usccs["b1"], "名称不核对", 2025, "1,234.567"],  # another department's enterprise: registered in the zone
            [usccs["a1"], "", "2024", ""]]  # another year; blank = not reported
    outcome = run(world, "evaluation-tax", rows, filename="税务2025.csv")
    assert outcome.ok, errors_of(outcome)
    assert (outcome.counts.created, outcome.counts.updated, outcome.counts.unchanged) == (3, 0, 0)
    a1 = record(world, "a1")
    assert (a1.tax, a1.department, a1.revenue) == (Decimal("600.00"), world.dept_a, None)
    assert a1.sources["税务"]["file"] == "税务2025.csv" and a1.sources["税务"]["at"].startswith("20")
    assert record(world, "b1").tax == Decimal("1234.57")
    assert record(world, "a1", 2024).tax is None and "税务" in record(world, "a1", 2024).sources
    assert ObjectChange.objects.filter(action="create", message="Excel 导入：税务2025.csv").count() == 3
    assert SecurityEvent.objects.get(kind="import").detail == "evaluation-tax: 新增 3, 更新 0, 未变更 0; 文件 税务2025.csv"


def test_bad_rows_are_all_listed_and_nothing_is_written(world, usccs):
    unknown = make_uscc(777)
    rows = [STATS,
            [unknown, "", "2025", "1", "", "", "", "", ""],
            [usccs["other"], "", "2025", "1", "", "", "", "", ""],
            [usccs["a1"], "", "20x5", "1", "", "", "", "", ""],
            [usccs["a2"], "", "1999", "1", "", "", "", "", ""],
            [usccs["a1"], "", "2025", "十万", "", "", "", "12.5", "-1"],
            [usccs["b1"], "", "2025", "1", "", "", "", "", ""],
            [usccs["b1"], "", "2025", "2", "", "", "", "", ""]]
    outcome = run(world, "evaluation-statistics", rows)
    missing = "本园区没有统一社会信用代码为“{}”的企业，请先登记或导入该企业。"
    assert errors_of(outcome) == [
        (2, "统一社会信用代码", unknown, missing.format(unknown)),
        (3, "统一社会信用代码", usccs["other"], missing.format(usccs["other"])),
        (4, "评价年度", "20x5", "应为整数。"),
        (5, "评价年度", "1999", "应为 2000 到 2100 之间的整数。"),
        (6, "营业收入（万元）", "十万", "应为数字，如 6666.67。"),
        (6, "年平均职工人数（人）", "12.5", "应为整数。"),
        (6, "综合能耗（吨标准煤）", "-1", "应不小于 0。"),
        (8, "统一社会信用代码", usccs["b1"],
         "第 7 行和第 8 行的统一社会信用代码和评价年度相同：同一亩均评价数据（统计）在文件中只能出现一次。"),
    ]
    assert not EvaluationData.objects.exists()
    assert SecurityEvent.objects.get(kind="import").success is False


def test_sources_merge_and_blank_means_not_reported(world, usccs):
    a1 = usccs["a1"]
    assert run(world, "evaluation-tax", [TAX, [a1, "", "2025", "600"]]).ok
    outcome = run(world, "evaluation-statistics",
                  [STATS, [a1, "", "2025", "10000", "2000", "9800", "", "100", "800.1234"]], filename="统计.csv")
    assert outcome.ok, errors_of(outcome)
    assert outcome.counts.updated == 1
    assert run(world, "evaluation-power", [POWER, [a1, "2025", "2500.5"]]).ok
    assert run(world, "evaluation-environment", [ENV, [a1, "2025", "", "否"]]).ok
    row = record(world, "a1")
    assert (row.tax, row.revenue, row.value_added, row.rd, row.staff, row.energy_tce) == (
        Decimal("600.00"), Decimal("10000.00"), Decimal("2000.00"), None, 100, Decimal("800.123"))
    assert (row.electricity, row.emission_t, row.env_violation) == (Decimal("2500.500"), None, False)
    assert set(row.sources) == {"税务", "统计", "电力", "生态环境"}
    assert row.sources["统计"]["file"] == "统计.csv"

    # a file without a column leaves that field alone; a blank cell clears it (not reported)
    outcome = run(world, "evaluation-statistics", [["统一社会信用代码", "评价年度", "研发经费支出（万元）", "营业收入（万元）"],
                                                   [a1, "2025", "300", ""]])
    assert outcome.ok, errors_of(outcome)
    row = record(world, "a1")
    assert (row.rd, row.revenue, row.value_added, row.tax) == (Decimal("300.00"), None, Decimal("2000.00"),
                                                               Decimal("600.00"))


def test_the_same_figures_again_are_unchanged_and_keep_their_delivery(world, usccs):
    rows = [ENV, [usccs["a1"], "2025", "0.5", "是"]]
    assert run(world, "evaluation-environment", rows, filename="first.csv").ok
    again = run(world, "evaluation-environment", [ENV, [usccs["a1"], "2025", "0.500", "TRUE"]], filename="again.csv")
    assert (again.counts.created, again.counts.updated, again.counts.unchanged) == (0, 0, 1)
    row = record(world, "a1")
    assert (row.env_violation, row.sources["生态环境"]["file"]) == (True, "first.csv")
    assert ObjectChange.objects.filter(content_type__model="evaluationdata").count() == 1


def test_boolean_cells(world, usccs):
    rows = [LAND, [usccs["a1"], "2025", "", "是"], [usccs["a2"], "2025", "", "N"], [usccs["b1"], "2025", "", ""]]
    assert run(world, "evaluation-land", rows).ok
    assert [record(world, k).illegal_land for k in ("a1", "a2", "b1")] == [True, False, None]
    outcome = run(world, "evaluation-land", [LAND, [usccs["a1"], "2025", "", "也许"]])
    assert errors_of(outcome) == [(2, "违法用地", "也许", "“也许”无法识别，应填“是”或“否”。")]


def test_verified_land_becomes_the_evaluation_area_unless_an_officer_set_one(world, usccs):
    staff = world.users["staff_a"]
    evaluation_data_save(user=staff, enterprise=world.enterprises["a2"], year=2025,
                         data={"land_mu_override": Decimal("8"), "land_mu_reason": "厂区部分闲置，按实际使用面积"})
    rows = [LAND, [usccs["a1"], "2025", "20", "否"], [usccs["a2"], "2025", "12.5", ""]]
    assert run(world, "evaluation-land", rows).ok
    a1, a2 = record(world, "a1"), record(world, "a2")
    assert (a1.land_mu_verified, a1.land_mu_override, a1.land_mu_reason) == (
        Decimal("20.00"), Decimal("20.00"), NATURAL_RESOURCES_REASON)
    assert (a2.land_mu_verified, a2.land_mu_override, a2.land_mu_reason) == (
        Decimal("12.50"), Decimal("8.00"), "厂区部分闲置，按实际使用面积")

    # a later file that no longer verifies an area withdraws the override the file set, not the officer's
    assert run(world, "evaluation-land", [LAND, [usccs["a1"], "2025", "", "否"], [usccs["a2"], "2025", "", ""]]).ok
    a1, a2 = record(world, "a1"), record(world, "a2")
    assert (a1.land_mu_verified, a1.land_mu_override, a1.land_mu_reason) == (None, None, "")
    assert (a2.land_mu_override, a2.land_mu_reason) == (Decimal("8.00"), "厂区部分闲置，按实际使用面积")


def test_rows_kept_by_another_department_are_refused(world, usccs):
    assert run(world, "evaluation-tax", [TAX, [usccs["b1"], "", "2025", "5"]], user="staff_b").ok
    outcome = run(world, "evaluation-tax", [TAX, [usccs["b1"], "", "2025", "6"], [usccs["a1"], "", "2025", "7"]])
    assert errors_of(outcome) == [
        (2, "统一社会信用代码", usccs["b1"], "该亩均评价数据（税务）由“投资促进局”维护，本部门不能通过导入修改。")]
    assert record(world, "b1").tax == Decimal("5.00")
    assert not EvaluationData.objects.filter(enterprise=world.enterprises["a1"]).exists()


def test_a_final_year_is_locked(world, usccs):
    EvaluationRun.objects.create(zone=world.zone, department=world.dept_a, year=2025, version=1, scheme_name="x",
                                 scheme_version=1, scheme_toml="", land_as_of="2025-12-31", status=RunStatus.FINAL)
    outcome = run(world, "evaluation-tax", [TAX, [usccs["a1"], "", "2025", "600"], [usccs["a1"], "", "2024", "1"]])
    assert errors_of(outcome) == [(None, "", "", "2025 年度的评价结果已定稿，评价数据已锁定，不能再修改。")]
    assert not EvaluationData.objects.exists()


def test_cli_import_into_the_default_department(world, usccs, tmp_path, capsys):
    path = tmp_path / "电力.csv"
    path.write_bytes(csv_bytes([POWER, [usccs["a1"], "2025", "2500"], [usccs["b1"], "2025", "10"]]))
    call_command("import", "evaluation-power", str(path), "--zone", "t1")
    assert "新增 2" in capsys.readouterr().out
    row = record(world, "b1")
    assert (row.electricity, row.department, row.sources["电力"]["file"]) == (Decimal("10.000"), world.dept_a, "电力.csv")
    assert ObjectChange.objects.filter(content_type__model="evaluationdata", via="cli").count() == 2


def test_page_upload_template_and_export(client, world, usccs):
    client.force_login(world.users["staff_a"])
    response = client.get(reverse("imports:template", args=["evaluation-statistics"]))
    assert response.status_code == 200
    ws = openpyxl.load_workbook(io.BytesIO(response.content))["统计数据"]
    assert [c.value for c in ws[1]] == ["统一社会信用代码*", "企业名称", "评价年度*", *STATS[3:]]
    assert ws.column_dimensions["I"].width  # the columns are laid out

    upload = io.BytesIO(csv_bytes([TAX, [usccs["a1"], "", "2025", "600"], [usccs["a2"], "", "2025", "1.5"]]))
    upload.name = "税务.csv"
    response = client.post(reverse("imports:upload", args=["evaluation-tax"]), {"file": upload})
    assert response.status_code == 302 and response.url == reverse("evaluation:data_list")
    assert EvaluationData.objects.filter(zone=world.zone, year=2025).count() == 2

    response = client.get(reverse("imports:export", args=["evaluation-tax"]), {"format": "csv", "year": "2025"})
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0] == "统一社会信用代码*,企业名称,评价年度*,实缴税收（万元）"
    assert sorted(lines[1:]) == sorted([f"{usccs['a1']},测试企业1有限公司,2025,600.00",
                                        f"{usccs['a2']},测试企业2有限公司,2025,1.50"])
    # the statistics export holds only what that agency delivered: nothing yet
    response = client.get(reverse("imports:export", args=["evaluation-statistics"]), {"format": "csv"})
    assert len(b"".join(response.streaming_content).decode("utf-8-sig").splitlines()) == 1


def test_export_round_trips(world, usccs):
    rows = [ENV, [usccs["a1"], "2025", "0.5", "是"], [usccs["a2"], "2025", "", "否"]]
    assert run(world, "evaluation-environment", rows).ok
    spec = get_spec("evaluation-environment")
    exported = [spec.export_row(r) for r in spec.queryset_for_zone(zone=world.zone)]
    assert exported == [[usccs["a1"], "测试企业1有限公司", 2025, Decimal("0.500"), "是"],
                        [usccs["a2"], "测试企业2有限公司", 2025, None, "否"]]
    again = run(world, "evaluation-environment", [[c.title for c in spec.columns], *exported])
    assert again.ok and again.counts.unchanged == 2


def test_export_scope(client, world, usccs):
    assert run(world, "evaluation-tax", [TAX, [usccs["a1"], "", "2025", "600"]]).ok
    assert run(world, "evaluation-tax", [TAX, [usccs["b1"], "", "2025", "7"]], user="staff_b").ok
    spec = get_spec("evaluation-tax")
    seen = {role: {r.enterprise.uscc for r in spec.queryset_for_user(user=world.users[role], filters=None)}
            for role in ("leader", "staff_a", "staff_b", "enterprise", "other_staff")}
    assert seen == {"leader": {usccs["a1"], usccs["b1"]}, "staff_a": {usccs["a1"]}, "staff_b": {usccs["b1"]},
                    "enterprise": set(), "other_staff": set()}
