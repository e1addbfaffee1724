"""Imports of official figures (indicators: 本区, city-indicators: 全市): headers, revisions, every error case,
all-or-nothing, exports that import back unchanged, the command line."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gaoxin.core.imports import get_spec
from gaoxin.core.imports.services import file_import, records_export
from gaoxin.economy.models import Observation
from gaoxin.economy.selectors.indicators import current_observation, observation_history
from tests.enterprises.test_imports import csv_bytes, xlsx_bytes

from .indicator_data import D, with_catalog

HEADERS = ["指标*", "期间*", "累计值", "累计增速（%）", "来源", "状态"]


@pytest.fixture
def w(world):
    return with_catalog(world)


def run(w, rows, *, kind="indicators", user="staff_gfj", fmt="xlsx"):
    user = w.users[user]
    spec = get_spec(kind)
    data = xlsx_bytes(rows, sheet=spec.sheet_name) if fmt == "xlsx" else csv_bytes(rows)
    return file_import(spec=spec, data=data, filename=f"{kind}.{fmt}", zone=user.zone, department=user.department,
                       user=user)


def errors_of(outcome):
    return [(e.row, e.column, e.reason) for e in outcome.errors]


def counts(outcome):
    return (outcome.counts.created, outcome.counts.updated, outcome.counts.unchanged)


FIRST = [HEADERS,
         ["固定资产投资", "2024-06", "120.5", "12.2", "区统计局", "初步"],
         ["industrial_investment", "2024-06", "", "32.9", "", ""],
         ["地区生产总值", "2024-06", "210.3", "8.2", "区统计局", ""]]


def test_the_headers_are_the_contract():
    for kind in ("indicators", "city-indicators"):
        spec = get_spec(kind)
        assert [c.title for c in spec.columns] == HEADERS
        assert spec.default_department_code == "gfj"


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_import_creates_first_figures_by_name_or_code(w, fmt):
    outcome = run(w, FIRST, fmt=fmt)
    assert outcome.ok, errors_of(outcome)
    assert counts(outcome) == (3, 0, 0)
    fai = current_observation(w.ind["fixed_asset_investment"], 2024, 6)
    assert (fai.value, fai.growth_pct, fai.source, fai.status, fai.revision, fai.department) == (
        D("120.5"), D("12.2"), "区统计局", "初步", 1, w.gfj)
    ii = current_observation(w.ind["industrial_investment"], 2024, 6)
    assert ii.value is None and ii.growth_pct == D("32.9") and ii.status == "初步"


def test_two_imports_with_different_figures_keep_both_revisions(w):
    assert run(w, FIRST).ok
    outcome = run(w, [HEADERS, ["固定资产投资", "2024-06", "121.0", "12.4", "", ""],
                      ["地区生产总值", "2024-06", "210.3", "8.2", "区统计局", ""]])
    assert outcome.ok, errors_of(outcome)
    assert counts(outcome) == (0, 1, 1)
    history = observation_history(w.ind["fixed_asset_investment"], 2024, 6, "本区")
    assert [(o.revision, o.is_current, o.value, o.status) for o in history] == [
        (2, True, D("121.0"), "修订"), (1, False, D("120.5"), "初步")]
    assert history[0].source == "区统计局"  # a blank source keeps the one of the revision it replaces
    assert current_observation(w.ind["fixed_asset_investment"], 2024, 6).pk == history[0].pk
    # the same file again: nothing changes
    again = run(w, [HEADERS, ["固定资产投资", "2024-06", "121.0", "12.4", "", ""]])
    assert counts(again) == (0, 0, 1)
    assert Observation.objects.filter(indicator=w.ind["fixed_asset_investment"]).count() == 2


def test_growth_inconsistent_with_levels_is_kept_as_published(w):
    outcome = run(w, [HEADERS, ["规上工业增加值", "2023-06", "100", "5.0", "", ""],
                      ["规上工业增加值", "2024-06", "200", "8.6", "", ""]])
    assert outcome.ok, errors_of(outcome)
    assert current_observation(w.ind["industrial_value_added"], 2024, 6).growth_pct == D("8.6")


def test_city_figures_go_to_the_city_region(w):
    outcome = run(w, [HEADERS, ["固定资产投资", "2024-06", "3085.9", "6.0", "市统计局", "最终"]],
                  kind="city-indicators")
    assert outcome.ok, errors_of(outcome)
    assert current_observation(w.ind["fixed_asset_investment"], 2024, 6) is None
    city = current_observation(w.ind["fixed_asset_investment"], 2024, 6, "全市")
    assert (city.value, city.status) == (D("3085.9"), "最终")


def test_missing_required_header(w):
    outcome = run(w, [["指标*", "累计值"], ["固定资产投资", "1"]])
    assert not outcome.ok
    assert any("期间" in e.reason for e in outcome.errors)


def test_every_row_error_and_nothing_written(w):
    outcome = run(w, [
        HEADERS,
        ["固定资产投资", "2024-06", "1", "1", "", ""],  # 2: fine
        ["不存在的指标", "2024-06", "1", "1", "", ""],  # 3: unknown
        ["签约项目", "2024-06", "47", "", "", ""],  # 4: computed
        ["工业投资", "2024/13", "1", "1", "", ""],  # 5: bad period
        ["地区生产总值", "2024-05", "1", "1", "", ""],  # 6: quarterly at month 5
        ["税收收入", "2024-06", "1", "1", "", "草稿"],  # 7: bad status
        ["进出口总额", "2024-06", "", "", "区统计局", ""],  # 8: both figures blank
        ["固定资产投资", "2024-06", "2", "2", "", ""],  # 9: duplicate key of row 2
        ["fixed_asset_investment", "2024-06", "2", "2", "", ""],  # 10: same indicator by its code
        ["一般公共预算收入", "2024-06", "-5", "200000", "", ""],  # 11: negative level, growth out of range
        ["社会消费品零售总额", "2099-01", "1", "1", "", ""],  # 12: future
    ])
    assert not outcome.ok
    errors = errors_of(outcome)
    by_row = {}
    for row, column, reason in errors:
        by_row.setdefault(row, []).append((column, reason))
    assert 2 not in by_row
    assert by_row[3][0][0] == "指标" and "地区生产总值" in by_row[3][0][1]  # lists valid names
    assert by_row[4][0][0] == "指标" and "计算" in by_row[4][0][1]
    assert by_row[5][0][0] == "期间"
    assert by_row[6][0][0] == "期间" and "季" in by_row[6][0][1]
    assert by_row[7][0][0] == "状态"
    assert by_row[8][0][0] == "累计值" and "至少" in by_row[8][0][1]
    assert by_row[9][0][0] == "指标" and "第 2 行和第 9 行" in by_row[9][0][1]
    assert by_row[10][0][0] == "指标" and "同一指标" in by_row[10][0][1]
    assert {c for c, _r in by_row[11]} == {"累计值", "累计增速（%）"}
    assert by_row[12][0][0] == "期间" and "尚未到来" in by_row[12][0][1]
    assert Observation.objects.count() == 0


def test_another_departments_figure_is_refused_by_row(w):
    assert run(w, FIRST).ok
    outcome = run(w, [HEADERS, ["固定资产投资", "2024-06", "999", "1", "", ""]], user="staff_a")
    assert not outcome.ok
    assert "改革发展局" in outcome.errors[0].reason and outcome.errors[0].row == 2


@pytest.mark.parametrize("kind", ["indicators", "city-indicators"])
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_reimports_unchanged(w, kind, fmt):
    assert run(w, FIRST, kind=kind).ok
    assert run(w, [HEADERS, ["固定资产投资", "2024-06", "121.0", "12.4", "", "修订"]], kind=kind).ok
    staff = w.users["staff_gfj"]
    spec = get_spec(kind)
    out = io.BytesIO()
    n = records_export(spec=spec, objects=spec.queryset_for_user(user=staff, filters=None), fmt=fmt, out=out,
                       user=staff, zone=staff.zone)
    assert n == 3  # current figures only
    outcome = file_import(spec=spec, data=out.getvalue(), filename=f"export.{fmt}", zone=staff.zone,
                          department=staff.department, user=staff)
    assert outcome.ok, errors_of(outcome)
    assert counts(outcome) == (0, 0, 3)
    assert Observation.objects.count() == 4


def test_command_line_import_uses_gfj(w, tmp_path):
    path = tmp_path / "figures.csv"
    path.write_bytes(csv_bytes(FIRST))
    out = io.StringIO()
    call_command("import", "indicators", str(path), "--zone", "t1", stdout=out)
    assert "新增 3" in out.getvalue()
    assert set(Observation.objects.values_list("department__code", flat=True)) == {"gfj"}
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([HEADERS, ["签约项目", "2024-06", "1", "", "", ""]]))
    with pytest.raises(CommandError):
        call_command("import", "indicators", str(bad), "--zone", "t1", stdout=io.StringIO(), stderr=io.StringIO())


def test_upload_page_template_and_index(client, w):
    client.force_login(w.users["staff_gfj"])
    index = client.get("/imports/").content.decode()
    assert "经济指标数据" in index and "全市经济指标数据" in index
    template = client.get("/imports/indicators/template.xlsx")
    assert template.status_code == 200 and template.content[:2] == b"PK"
    upload = io.BytesIO(xlsx_bytes(FIRST, sheet="经济指标数据"))
    upload.name = "figures.xlsx"
    response = client.post("/imports/indicators/", {"file": upload})
    assert response.status_code == 302 and response["Location"] == "/economy/indicators/"
    assert Observation.objects.filter(region="本区").count() == 3
