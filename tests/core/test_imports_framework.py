"""The import framework itself: cell parsers, file reading, header matching, template, registry."""

import csv
import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest

from gaoxin.core.imports import CellError, all_specs, get_spec
from gaoxin.core.imports.parsers import USCC, Choice, Code, Date, DecimalNumber, IndustryCode, Phone, display
from gaoxin.core.imports.reader import ImportFileError, header_key, read_table
from gaoxin.core.imports.services import DepartmentNotFound, file_import, read, resolve_department
from gaoxin.core.imports.validation import column_letter, validate
from gaoxin.core.imports.workbooks import template_workbook
from gaoxin.enterprises.models import Enterprise
from tests.factories import make_uscc

ENTERPRISE_HEADERS = ["统一社会信用代码*", "企业名称*", "行业代码*", "规模*", "成立日期", "所属片区", "地址", "联系人",
                      "联系电话", "状态"]


def xlsx_bytes(rows, sheet="企业", extra_sheets=()) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    for name, sheet_rows in extra_sheets:
        other = wb.create_sheet(name)
        for row in sheet_rows:
            other.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def csv_bytes(rows, encoding="utf-8") -> bytes:
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    return buf.getvalue().encode(encoding)


def errors_of(outcome):
    return [(e.row, e.column, e.value, e.reason) for e in outcome.errors]


# --- parsers ---------------------------------------------------------------------------------

@pytest.mark.parametrize("value,expected", [
    (3971.0, "3971"), (9.13501e17, "9.13501E+17"), (6666.67, "6666.67"), (dt.date(2024, 3, 5), "2024-03-05"),
    (dt.datetime(2024, 3, 5), "2024-03-05"), (dt.datetime(2024, 3, 5, 9, 30), "2024-03-05 09:30:00"),
    ("  甲  ", "甲"), (True, "TRUE"), (None, ""),
])
def test_display_shows_values_as_excel_does(value, expected):
    assert display(value) == expected


def test_code_turns_excel_numbers_back_into_text():
    assert Code(20).parse(3971.0) == "3971"
    assert Code(20).parse("ＧＸ－００１ ") == "GX-001"
    with pytest.raises(CellError, match="文本格式"):
        Code(20).parse(1.5)
    with pytest.raises(CellError, match="15 位"):
        Code(30).parse(9.13501e17)
    with pytest.raises(CellError, match="不能超过 3 个字符"):
        Code(3).parse("ABCD")


def test_uscc_that_excel_turned_into_a_number_gets_its_own_error():
    for mangled in (9.13501e17, "9.13501E+17", "9.13501e+17"):
        with pytest.raises(CellError) as exc:
            USCC().parse(mangled)
        assert "存成了数字" in exc.value.reason and "文本" in exc.value.reason
    assert USCC().parse(" ９１３５０１００Ｍ０００１００Ｙ４３ ") == "91350100M000100Y43"
    with pytest.raises(CellError, match="校验位错误"):
        USCC().parse("91350100M000100Y44")


def test_industry_code_accepts_float_letter_and_fullwidth():
    assert IndustryCode().parse(3971.0) == "3971"
    assert IndustryCode().parse("c3971") == "3971"
    assert IndustryCode().parse("Ｃ３９７１") == "3971"
    with pytest.raises(CellError, match="不在 GB/T 4754-2017 小类中"):
        IndustryCode().parse("9999")


@pytest.mark.parametrize("value,expected", [
    (dt.date(2024, 3, 5), dt.date(2024, 3, 5)),
    (dt.datetime(2024, 3, 5, 10, 0), dt.date(2024, 3, 5)),
    (45292.0, dt.date(2024, 1, 1)),  # an Excel serial day number
    ("2024-03-05", dt.date(2024, 3, 5)),
    ("2024/3/5", dt.date(2024, 3, 5)),
    ("2024年3月5日", dt.date(2024, 3, 5)),
    ("２０２４－０３－０５", dt.date(2024, 3, 5)),
    ("2024-03-05 00:00:00", dt.date(2024, 3, 5)),
])
def test_dates_in_every_shape_excel_delivers(value, expected):
    assert Date().parse(value) == expected


@pytest.mark.parametrize("value,reason", [
    ("2025/13/01", "日期不存在：月份应在 1–12 之间，实际为 13。"),
    ("2025-02-30", "日期不存在：2025 年 2 月没有 30 日。"),
    ("05.03.2024", "日期格式应为 YYYY-MM-DD，如 2024-03-05。"),
    ("明天", "日期格式应为 YYYY-MM-DD，如 2024-03-05。"),
    (-3.0, "不是有效日期，应为 YYYY-MM-DD，如 2024-03-05。"),
])
def test_bad_dates_say_why(value, reason):
    with pytest.raises(CellError) as exc:
        Date().parse(value)
    assert exc.value.reason == reason


def test_decimal_normalises_and_rounds_half_up():
    area = DecimalNumber(max_digits=14, places=2, minimum=Decimal("0.01"))
    assert area.parse(6666.67) == Decimal("6666.67")
    assert area.parse("6,666.675") == Decimal("6666.68")
    assert area.parse("１２３.４") == Decimal("123.40")
    assert area.parse(100) == Decimal("100.00")
    for bad, reason in (("abc", "应为数字，如 6666.67。"), ("0", "应大于 0。"), ("-5", "应大于 0。"),
                        ("1e13", "数值过大：整数部分最多 12 位。"), (True, "应为数字。")):
        with pytest.raises(CellError) as exc:
            area.parse(bad)
        assert exc.value.reason == reason


def test_choice_and_phone():
    size = Choice(["规上", "规下"])
    assert size.parse(" 规上 ") == "规上"
    with pytest.raises(CellError) as exc:
        size.parse("大型")
    assert exc.value.reason == "“大型”不是可选值，应为：规上、规下。"
    assert Phone(30).parse(13800000000.0) == "13800000000"
    assert Phone(30).parse("０５１２－１２３４５６７８转８０１") == "0512-12345678转801"
    with pytest.raises(CellError, match="电话号码只能包含"):
        Phone(30).parse("请致电张三")


def test_column_letters():
    assert [column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == ["A", "Z", "AA", "AB", "ZZ", "AAA"]


# --- reading ---------------------------------------------------------------------------------

def test_header_key_tolerates_brackets_spaces_and_mark():
    assert header_key(" 面积(平方米) * ") == header_key("面积（平方米）") == "面积(平方米)"
    assert header_key("＊统一社会信用代码") == "统一社会信用代码"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_utf8_with_or_without_bom_and_in_gbk(encoding):
    data = csv_bytes([["统一社会信用代码*", "企业名称*"], ["91350100M000100Y43", "甲科技有限公司"]], encoding)
    table = read_table(data, filename="企业.csv", known_headers=frozenset({"统一社会信用代码", "企业名称"}))
    assert table.headers == ["统一社会信用代码*", "企业名称*"]
    assert table.rows == [(2, ["91350100M000100Y43", "甲科技有限公司"])]


def test_csv_row_numbers_skip_empty_rows_but_keep_numbering():
    data = csv_bytes([["企业名称*"], ["甲"], [""], [" ", ""], ["乙"]])
    table = read_table(data, filename="a.csv", known_headers=frozenset({"企业名称"}))
    assert table.rows == [(2, ["甲"]), (5, ["乙"])]


def test_csv_with_semicolons_and_protected_formula_cells():
    data = "企业名称*;联系电话\n甲;'+86 13800000000\n".encode()
    table = read_table(data, filename="a.csv", known_headers=frozenset({"企业名称"}))
    assert table.rows == [(2, ["甲", "+86 13800000000"])]


@pytest.mark.parametrize("data,filename,message", [
    (b"\xff\xfe\xfa\x00\x81", "a.csv", "无法识别 CSV 文件的编码"),
    (b"PK\x03\x04rest", "a.csv", "这是一个 Excel 文件而不是 CSV"),
    (b"hello", "a.xlsx", "无法读取该 Excel 文件"),
    (b"", "a.xlsx", "文件是空的"),
    (b"abc", "a.xls", "只能导入 .xlsx 或 .csv 文件"),
    (b"abc", "a.txt", "只能导入 .xlsx 或 .csv 文件"),
    ("企业名称*\n".encode(), "a.csv", "文件中只有表头，没有数据行"),
    (b"\n\n", "a.csv", "文件中没有任何内容"),
])
def test_unusable_files_get_a_clear_message(data, filename, message):
    with pytest.raises(ImportFileError) as exc:
        read_table(data, filename=filename, known_headers=frozenset({"企业名称"}))
    assert message in exc.value.message


def test_xlsx_keeps_excel_row_numbers_types_and_finds_header_below_a_title():
    data = xlsx_bytes([
        ["企业导入（2025 年）"],
        [],
        ["统一社会信用代码*", "企业名称*", "成立日期", "面积"],
        ["91350100M000100Y43", "甲", dt.date(2020, 5, 1), 6666.67],
        [],
        ["91350100M000100Y43", "乙", None, 3971],
    ])
    table = read_table(data, filename="a.xlsx", known_headers=frozenset({"统一社会信用代码", "企业名称"}))
    assert table.header_row == 3
    assert table.rows[0][0] == 4 and table.rows[1][0] == 6
    assert table.rows[0][1][2] in (dt.date(2020, 5, 1), dt.datetime(2020, 5, 1))
    assert table.rows[0][1][3] == 6666.67


def test_xlsx_prefers_the_templates_data_sheet_and_skips_instructions():
    rows = [["企业名称*"], ["甲"]]
    data = xlsx_bytes([["说明"]], sheet="填表说明", extra_sheets=[("其他", [["x"], ["y"]]), ("企业", rows)])
    assert read_table(data, filename="a.xlsx", sheet_name="企业", known_headers=frozenset({"企业名称"})).sheet == "企业"
    data = xlsx_bytes([["说明"]], sheet="填表说明", extra_sheets=[("Sheet1", rows)])
    assert read_table(data, filename="a.xlsx", sheet_name="企业", known_headers=frozenset({"企业名称"})).sheet == "Sheet1"


# --- headers ---------------------------------------------------------------------------------

@pytest.fixture
def ent_spec():
    return get_spec("enterprises")


def _validate(spec, rows, world, filename="a.csv"):
    table = read(spec, data=csv_bytes(rows), filename=filename)
    return validate(spec, table, zone=world.zone, department=world.dept_a)


def test_missing_required_column_is_one_clear_error(ent_spec, world):
    result = _validate(ent_spec, [["统一社会信用代码*", "企业名称*", "规模*"], [make_uscc(900), "甲", "规上"]], world)
    assert [(e.row, e.column, e.reason) for e in result.errors] == [(1, "行业代码", "缺少必填列“行业代码*”。")]
    assert result.rows == []


def test_unknown_and_duplicate_columns_are_named(ent_spec, world):
    result = _validate(ent_spec, [
        ["统一社会信用代码", "企业名称", "行业代码", "规模", "注册资本"], [make_uscc(900), "甲", "3971", "规上", "100"],
    ], world)
    assert len(result.errors) == 1
    error = result.errors[0]
    assert (error.row, error.column) == (1, "注册资本")
    assert "未知的列（第 E 列）" in error.reason and "企业名称*" in error.reason

    result = _validate(ent_spec, [
        ["统一社会信用代码*", "企业名称*", "行业代码*", "规模*", "企业名称"], [make_uscc(900), "甲", "3971", "规上", "乙"],
    ], world)
    assert [(e.row, e.column, e.reason) for e in result.errors] == [
        (1, "企业名称", "列“企业名称”出现了两次（第 B 列和第 E 列），请只保留一列。")]


def test_headers_match_without_mark_with_spaces_and_fullwidth(ent_spec, world):
    result = _validate(ent_spec, [
        [" 统一社会信用代码 ", "企业名称＊", "行业代码", "规 模"], [make_uscc(900), "甲", "3971", "规上"],
    ], world)
    assert result.ok, result.errors
    assert result.rows[0]["uscc"] == make_uscc(900)


def test_data_in_a_column_without_header_is_an_error(ent_spec, world):
    result = _validate(ent_spec, [
        ["统一社会信用代码*", "企业名称*", "行业代码*", "规模*", ""], [make_uscc(900), "甲", "3971", "规上", "多余"],
    ], world)
    assert [(e.row, e.column, e.value) for e in result.errors] == [(2, "第 E 列", "多余")]


def test_every_error_of_every_row_is_collected_in_row_and_column_order(ent_spec, world):
    result = _validate(ent_spec, [
        ENTERPRISE_HEADERS[:4],
        ["123", "", "9999", "大型"],
        [make_uscc(901), "乙", "3971", "规上"],
        ["", "丙", "", "规下"],
    ], world)
    assert [(e.row, e.column) for e in result.errors] == [
        (2, "统一社会信用代码"), (2, "企业名称"), (2, "行业代码"), (2, "规模"), (4, "统一社会信用代码"), (4, "行业代码"),
    ]


# --- the whole run ---------------------------------------------------------------------------

def test_file_errors_and_failures_write_nothing(ent_spec, world):
    before = Enterprise.objects.count()
    outcome = file_import(spec=ent_spec, data=b"x", filename="a.pdf", zone=world.zone, department=world.dept_a,
                          user=world.users["staff_a"])
    assert not outcome.ok and "只能导入" in outcome.file_error
    assert Enterprise.objects.count() == before


def test_only_the_departments_own_staff_may_import(ent_spec, world):
    from django.core.exceptions import PermissionDenied

    data = csv_bytes([ENTERPRISE_HEADERS[:4], [make_uscc(902), "甲", "3971", "规上"]])
    for user, department in ((world.users["leader"], world.dept_a), (world.users["staff_b"], world.dept_a)):
        with pytest.raises(PermissionDenied):
            file_import(spec=ent_spec, data=data, filename="a.csv", zone=world.zone, department=department, user=user)
    assert not Enterprise.objects.filter(uscc=make_uscc(902)).exists()


# --- registry, department resolution, template ------------------------------------------------

def test_registry_knows_the_kinds():
    assert [s.kind for s in all_specs()][:2] == ["enterprises", "parcels"]
    assert get_spec("nothing") is None
    assert [c.title for c in get_spec("enterprises").columns] == ENTERPRISE_HEADERS
    assert [c.title for c in get_spec("parcels").columns] == [
        "地块编号*", "面积（平方米）*", "用地性质*", "供地方式", "使用企业统一社会信用代码", "供地日期", "状态"]


def test_resolve_department_defaults_and_explicit(world):
    assert resolve_department(zone=world.zone, spec=get_spec("enterprises")) == world.dept_a
    assert resolve_department(zone=world.zone, spec=get_spec("parcels"), code="tzcj") == world.dept_b
    with pytest.raises(DepartmentNotFound, match="--dept"):
        resolve_department(zone=world.zone, spec=get_spec("parcels"))
    with pytest.raises(DepartmentNotFound, match="没有代码为“nope”的部门"):
        resolve_department(zone=world.zone, spec=get_spec("enterprises"), code="nope")


def test_template_has_marked_headers_comments_formats_dropdowns_and_instructions(world):
    data = template_workbook(get_spec("enterprises"), zone=world.zone)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["企业", "填表说明", "选项"]
    assert wb["选项"].sheet_state == "hidden"
    ws = wb["企业"]
    headers = [c.value for c in ws[1]]
    assert headers == ENTERPRISE_HEADERS
    assert ws.max_row == 1  # no example row on the data sheet: nothing to import by accident
    red = {c.value for c in ws[1] if c.font.color is not None and c.font.color.rgb == "FFC00000"}
    assert red == {h for h in headers if h.endswith("*")}
    assert all(c.comment is not None and c.comment.text for c in ws[1])
    assert ws.column_dimensions["A"].number_format == "@"  # USCC as text
    assert ws.column_dimensions["C"].number_format == "@"  # industry code as text
    assert ws.column_dimensions["E"].number_format == "yyyy-mm-dd"
    validations = {str(dv.sqref).split(":")[0]: dv for dv in ws.data_validations.dataValidation}
    assert validations["D2"].type == "list" and validations["D2"].errorStyle in (None, "stop")
    assert validations["F2"].errorStyle == "warning"  # 所属片区: the zone's names, new ones allowed
    options = wb["选项"]
    assert [options.cell(r, 1).value for r in (1, 2, 3)] == ["规模", "规上", "规下"]
    area_col = next(c for c in range(1, 6) if options.cell(1, c).value == "所属片区")
    assert {options.cell(r, area_col).value for r in (2, 3)} == {"一号片区", "二号片区"}
    text = "\n".join(str(c.value) for row in wb["填表说明"].iter_rows() for c in row if c.value)
    assert "全部成功" in text and "统一社会信用代码*" in text and "YYYY-MM-DD" in text


def test_template_round_trip_imports_a_filled_row(world):
    spec = get_spec("enterprises")
    wb = openpyxl.load_workbook(io.BytesIO(template_workbook(spec, zone=world.zone)))
    ws = wb["企业"]
    ws.append([make_uscc(950), "模板科技有限公司", "C3971", "规下", dt.date(2021, 7, 1), "三号片区", "", "李四",
               "13900000000", ""])
    buf = io.BytesIO()
    wb.save(buf)
    outcome = file_import(spec=spec, data=buf.getvalue(), filename="模板.xlsx", zone=world.zone,
                          department=world.dept_a, user=world.users["staff_a"])
    assert outcome.ok, errors_of(outcome)
    e = Enterprise.objects.get(zone=world.zone, uscc=make_uscc(950))
    assert (e.name, e.industry_code, e.size, e.registration_date, e.area, e.contact_phone, e.status) == (
        "模板科技有限公司", "3971", "规下", dt.date(2021, 7, 1), "三号片区", "13900000000", "在营")
