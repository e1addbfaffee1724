"""The four 智改数转 imports: headers, a good file, a bad file with row/column errors and nothing written, the
template, and exports that import again unchanged."""

import csv
import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from gaoxin.core.imports import get_spec
from gaoxin.core.imports.services import file_import, records_export
from gaoxin.transformation.models import Measurement, Recognition, RndInstitution, TransformationProject

pytestmark = pytest.mark.django_db

PROJECT_HEADERS = ["统一社会信用代码*", "企业名称", "项目名称*", "项目类型*", "开始实施日期*", "完成日期", "设备投资（万元）",
                   "软件投资（万元）", "认定级别", "认定日期", "认定文件", "建设内容", "典型案例"]
MEASUREMENT_HEADERS = ["统一社会信用代码*", "企业名称", "项目名称*", "指标*", "指标名称", "计量单位*", "改造前数值*",
                       "改造前测量起*", "改造前测量止*", "改造后数值*", "改造后测量起*", "改造后测量止*", "数据来源"]
INSTITUTION_HEADERS = ["统一社会信用代码*", "企业名称", "机构名称*", "机构类型*", "级别*", "认定日期*", "认定文件"]
RECOGNITION_HEADERS = ["统一社会信用代码*", "企业名称", "认定类型*", "级别", "认定日期*", "有效期至", "证书编号"]
KINDS = {"transformation-projects": PROJECT_HEADERS, "transformation-measurements": MEASUREMENT_HEADERS,
         "rnd-institutions": INSTITUTION_HEADERS, "recognitions": RECOGNITION_HEADERS}


def csv_bytes(rows) -> bytes:
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    return buf.getvalue().encode("utf-8-sig")


def run(world, kind, rows, user="staff_a"):
    user = world.users[user]
    return file_import(spec=get_spec(kind), data=csv_bytes(rows), filename=f"{kind}.csv", zone=user.zone,
                       department=user.department, user=user)


def errors_of(outcome):
    return [(e.row, e.column, e.value, e.reason) for e in outcome.errors]


def counts(outcome):
    return outcome.counts.created, outcome.counts.updated, outcome.counts.unchanged


def uscc(tw, key):
    return tw.enterprises[key].uscc


@pytest.mark.parametrize("kind,headers", KINDS.items())
def test_headers_and_default_department(kind, headers):
    spec = get_spec(kind)
    assert [c.title for c in spec.columns] == headers
    assert spec.default_department_code == "jxj"


@pytest.mark.parametrize("kind,headers", KINDS.items())
def test_template(client, tw, kind, headers):
    client.force_login(tw.users["staff_a"])
    response = client.get(reverse("imports:template", args=[kind]))
    assert response.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    assert [c.value for c in wb[get_spec(kind).sheet_name][1]] == headers


def test_projects_good_file(tw):
    outcome = run(tw, "transformation-projects", [
        PROJECT_HEADERS,
        [uscc(tw, "a1"), "核对用", "焊装线智能化改造", "智能化改造", "2024-01-01", "2024-09-30", "150", "", "", "", "", "",
         ""],
        [uscc(tw, "a2"), "", "精密结构件数字化车间", "数字化车间", "2024/10/8", "", "2,380", "420", "市级", "2025-09-18",
         "示范高新经信发〔2025〕61号", "建设内容", "是"],
        [uscc(tw, "b1"), "", "屋顶分布式光伏", "绿色化改造", "2024-04-01", "", "", "", "", "", "", "", ""],
    ])
    assert outcome.ok, errors_of(outcome)
    assert counts(outcome) == (2, 1, 0)
    tw.r1.refresh_from_db()
    assert (tw.r1.completed_on, tw.r1.equipment_investment_wan, tw.r1.software_investment_wan) == (
        dt.date(2024, 9, 30), Decimal("150.00"), Decimal("10.00"))  # a blank amount keeps the stored one
    new = TransformationProject.objects.get(name="精密结构件数字化车间")
    assert (new.enterprise, new.department, new.level, new.featured, new.equipment_investment_wan) == (
        tw.enterprises["a2"], tw.dept_a, "市级", True, Decimal("2380.00"))
    solar = TransformationProject.objects.get(name="屋顶分布式光伏")  # b1 is dept_b's enterprise: any may be named
    assert (solar.department, solar.equipment_investment_wan, solar.featured) == (tw.dept_a, Decimal("0.00"), False)


def test_projects_bad_file_every_error_and_nothing_written(tw):
    before = TransformationProject.objects.count()
    outcome = run(tw, "transformation-projects", [
        PROJECT_HEADERS,
        ["91350100M000100Y44", "", "甲", "智能化改造", "2024-01-01", "", "", "", "", "", "", "", ""],
        [uscc(tw, "a1"), "", "乙", "智能车间", "2024-01-01", "", "", "", "", "", "", "", ""],
        [uscc(tw, "a1"), "", "丙", "数字化车间", "2024-01-01", "", "", "", "市级", "", "", "", ""],
        [uscc(tw, "a1"), "", "丁", "智能化改造", "2024-01-01", "2023-12-01", "-5", "", "", "", "", "", ""],
        [uscc(tw, "a1"), "", "戊", "智能化改造", "2024-01-01", "", "", "", "", "", "", "", "也许"],
        [uscc(tw, "a1"), "", "戊", "智能化改造", "2024-01-01", "", "", "", "", "", "", "", ""],
        [uscc(tw, "b1"), "", "余热回收节能改造", "绿色化改造", "2024-03-01", "", "", "", "", "", "", "", ""],
        [uscc(tw, "other"), "", "己", "智能化改造", "2024-01-01", "", "", "", "", "", "", "", ""],
        [uscc(tw, "a1"), "", "", "智能化改造", "2024-02-30", "", "", "", "", "", "", "", ""],
    ])
    assert not outcome.ok
    found = {(e.row, e.column): e.reason for e in outcome.errors}
    assert "校验位错误" in found[(2, "统一社会信用代码")]
    assert "不是可选值" in found[(3, "项目类型")]
    assert "认定级别和认定日期须同时填写" in found[(4, "认定日期")]
    assert found[(5, "设备投资（万元）")] == "应不小于 0。"
    assert "无法识别" in found[(6, "典型案例")]
    assert "第 6 行和第 7 行的统一社会信用代码和项目名称相同" in found[(7, "项目名称")]
    assert "投资促进局" in found[(8, "项目名称")]  # dept_b keeps that project
    assert "本园区没有统一社会信用代码为" in found[(9, "统一社会信用代码")]  # another zone's enterprise
    assert found[(10, "项目名称")] == "必填项不能为空。" and "没有 30 日" in found[(10, "开始实施日期")]
    assert TransformationProject.objects.count() == before


def test_completed_before_start_is_a_model_error_on_its_column(tw):
    outcome = run(tw, "transformation-projects", [
        PROJECT_HEADERS, [uscc(tw, "a1"), "", "丁", "智能化改造", "2024-01-01", "2023-12-01", "", "", "", "", "", "", ""]])
    assert errors_of(outcome) == [(2, "完成日期", "2023-12-01", "完成日期不能早于开始实施日期。")]


def test_measurements_good_and_bad(tw):
    row = [uscc(tw, "a1"), "", "可靠性检测数字化车间", "单位能耗", "单位产品能耗", "千克标准煤/件", "2", "2023-01-01",
           "2023-06-30", "1.5", "2024-01-01", "2024-05-31", "能源管理系统"]
    update = [uscc(tw, "a1"), "", "可靠性检测数字化车间", "效率", "检测效率", "批次/小时", "1000", "2023-01-01",
              "2023-06-30", "1121.4", "2024-01-01", "2024-05-31", "MES"]
    outcome = run(tw, "transformation-measurements", [MEASUREMENT_HEADERS, row, update])
    assert outcome.ok, errors_of(outcome)
    assert counts(outcome) == (1, 1, 0)
    energy = Measurement.objects.get(project=tw.c1, metric="单位能耗")
    assert (energy.before_value, energy.after_value, energy.department) == (Decimal("2"), Decimal("1.5"), tw.dept_a)

    before = Measurement.objects.count()
    bad = run(tw, "transformation-measurements", [
        MEASUREMENT_HEADERS,
        [*row[:2], "没有这个项目", *row[3:]],
        [*row[:3], "不良率", "", "%", "0", *row[7:]],
        [*row[:3], "运营成本", "", "元", "10", "2023-01-01", "2023-06-30", "9", "2023-06-01", "2023-12-31", ""],
        [*row[:3], "效率", "", "件", "10", "2023-01-01", "2023-06-30", "-1", "2024-01-01", "2024-02-01", ""],
        row, row,
    ])
    assert not bad.ok
    found = {(e.row, e.column): e.reason for e in bad.errors}
    assert "没有名为“没有这个项目”的智改数转项目" in found[(2, "项目名称")]
    assert "改造前的数值须大于0" in found[(3, "改造前数值")]
    assert "改造后的测量期须在改造前的测量期之后" in found[(4, "改造后测量起")]
    assert found[(5, "改造后数值")] == "应不小于 0。"
    assert "第 6 行和第 7 行的统一社会信用代码、项目名称和指标相同" in found[(7, "指标")]
    assert Measurement.objects.count() == before


def test_measurements_of_another_departments_project_are_refused(tw):
    outcome = run(tw, "transformation-measurements", [
        MEASUREMENT_HEADERS,
        [uscc(tw, "b1"), "", "余热回收节能改造", "单位能耗", "", "千克标准煤/件", "2", "2023-01-01", "2023-06-30", "1.5",
         "2024-01-01", "2024-05-31", ""],
    ])
    assert not outcome.ok and "由其他部门维护" in outcome.errors[0].reason
    assert not Measurement.objects.filter(project=tw.r5).exists()


def test_institutions_and_recognitions(tw):
    outcome = run(tw, "rnd-institutions", [
        INSTITUTION_HEADERS,
        [uscc(tw, "a1"), "", "企业技术中心", "企业技术中心", "省级", "2024-03-01", "示范高新科发〔2024〕12号"],
        [uscc(tw, "a2"), "", "新型研发机构", "新型研发机构", "区级", "2024-05-01", ""],
    ])
    assert outcome.ok, errors_of(outcome)
    assert counts(outcome) == (1, 1, 0)
    assert RndInstitution.objects.get(pk=tw.i1.pk).certificate == "示范高新科发〔2024〕12号"
    bad = run(tw, "rnd-institutions", [
        INSTITUTION_HEADERS,
        [uscc(tw, "a1"), "", "甲中心", "技术中心", "省级", "2024-03-01", ""],
        [uscc(tw, "a1"), "", "乙中心", "企业技术中心", "", "2024-03-01", ""],
    ])
    assert {(e.row, e.column) for e in bad.errors} == {(2, "机构类型"), (3, "级别")}
    assert not RndInstitution.objects.filter(name__in=["甲中心", "乙中心"]).exists()

    outcome = run(tw, "recognitions", [
        RECOGNITION_HEADERS,
        [uscc(tw, "a1"), "", "高新技术企业", "国家级", "2024-11-20", "2027-11-19", "GR202450009999"],
        [uscc(tw, "a2"), "", "专精特新小巨人", "国家级", "2024-07-01", "", ""],
    ])
    assert outcome.ok, errors_of(outcome)
    assert counts(outcome) == (1, 1, 0)
    bad = run(tw, "recognitions", [
        RECOGNITION_HEADERS, [uscc(tw, "a2"), "", "专精特新中小企业", "市级", "2024-07-01", "2024-06-30", ""]])
    assert errors_of(bad) == [(2, "有效期至", "2024-06-30", "有效期不能早于认定日期。")]
    assert Recognition.objects.filter(zone=tw.zone).count() == 2


@pytest.mark.parametrize("kind,expected", [("transformation-projects", 8), ("transformation-measurements", 3),
                                           ("rnd-institutions", 3), ("recognitions", 1)])
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_reimports_unchanged(tw, kind, expected, fmt):
    spec = get_spec(kind)
    staff = tw.users["staff_a"]
    out = io.BytesIO()
    count = records_export(spec=spec, objects=spec.queryset_for_user(user=staff, filters=None), fmt=fmt, out=out,
                           user=staff, zone=tw.zone)
    assert count == expected
    outcome = file_import(spec=spec, data=out.getvalue(), filename=f"export.{fmt}", zone=tw.zone,
                          department=tw.dept_a, user=staff)
    assert outcome.ok, errors_of(outcome)
    assert counts(outcome) == (0, 0, count)


def test_export_follows_the_list_filters(client, tw):
    client.force_login(tw.users["leader"])
    response = client.get(reverse("imports:export", args=["transformation-projects"]),
                          {"kind": "智能化改造", "started_after": "2024-01-01", "started_before": "2024-06-30"})
    content = b"".join(response.streaming_content)
    ws = openpyxl.load_workbook(io.BytesIO(content))["智改数转项目"]
    assert sorted(row[2].value for row in ws.iter_rows(min_row=2)) == sorted([tw.r1.name, tw.r2.name])


def test_cli_import_uses_jxj_by_default(tw, tmp_path):
    path = tmp_path / "institutions.csv"
    path.write_bytes(csv_bytes([INSTITUTION_HEADERS, [uscc(tw, "a2"), "", "命令行中心", "企业研发中心", "区级",
                                                      "2024-02-02", ""]]))
    call_command("import", "rnd-institutions", str(path), "--zone", "t1")
    assert RndInstitution.objects.get(name="命令行中心").department == tw.dept_a
