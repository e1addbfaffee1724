"""Importing and exporting the enterprise register: service level and the import page."""

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from gaoxin.core.audit.models import ChangeAction, ObjectChange, SecurityEvent
from gaoxin.core.imports import get_spec
from gaoxin.core.imports.services import file_import, records_export
from gaoxin.enterprises.models import Enterprise
from tests.factories import PASSWORD, make_uscc

HEADERS = ["统一社会信用代码*", "企业名称*", "行业代码*", "规模*", "成立日期", "所属片区", "地址", "联系人", "联系电话"]
U1, U2, U3 = make_uscc(101), make_uscc(102), make_uscc(103)
GOOD = [
    [U1, "甲科技有限公司", "C3971", "规上", "2020-05-01", "一号片区", "科学大道1号", "张三", "13800000000"],
    [U2, "乙有限公司", "6513", "规下", "", "二号片区", "", "", ""],
    [U3, "丙股份有限公司", "3612", "规上", "2019-01-02", "", "", "", "0512-12345678"],
]


def xlsx_bytes(rows, sheet="企业") -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def csv_bytes(rows, encoding="utf-8-sig") -> bytes:
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    return buf.getvalue().encode(encoding)


@pytest.fixture
def spec():
    return get_spec("enterprises")


def run(spec, world, data, filename, user="staff_a"):
    user = world.users[user]
    return file_import(spec=spec, data=data, filename=filename, zone=user.zone, department=user.department, user=user)


def errors_of(outcome):
    return [(e.row, e.column, e.value, e.reason) for e in outcome.errors]


def enterprise_changes():
    return ObjectChange.objects.filter(content_type=ContentType.objects.get_for_model(Enterprise))


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_good_file_creates_records_with_audit_trail(spec, world, fmt):
    data = xlsx_bytes([HEADERS, *GOOD]) if fmt == "xlsx" else csv_bytes([HEADERS, *GOOD])
    outcome = run(spec, world, data, f"企业.{fmt}")
    assert outcome.ok, errors_of(outcome)
    assert (outcome.counts.created, outcome.counts.updated, outcome.counts.unchanged) == (3, 0, 0)
    a = Enterprise.objects.get(zone=world.zone, uscc=U1)
    assert (a.name, a.industry_code, a.size, a.registration_date, a.area, a.address, a.contact_person,
            a.contact_phone, a.status, a.department, a.zone) == (
        "甲科技有限公司", "3971", "规上", dt.date(2020, 5, 1), "一号片区", "科学大道1号", "张三", "13800000000",
        "在营", world.dept_a, world.zone)
    assert Enterprise.objects.get(uscc=U2).registration_date is None
    changes = enterprise_changes().filter(action=ChangeAction.CREATE)
    assert changes.count() == 3
    assert {c.user_name for c in changes} == {"staff_a"}
    assert changes.get(object_id=a.pk).postchange_data["name"] == "甲科技有限公司"
    event = SecurityEvent.objects.get(kind="import", success=True)
    assert event.detail == f"enterprises: 新增 3, 更新 0, 未变更 0; 文件 企业.{fmt}"
    assert event.user == world.users["staff_a"] and event.zone == world.zone


def test_reimporting_the_same_file_changes_nothing(spec, world):
    data = xlsx_bytes([HEADERS, *GOOD])
    assert run(spec, world, data, "a.xlsx").ok
    before = enterprise_changes().count()
    outcome = run(spec, world, data, "a.xlsx")
    assert (outcome.counts.created, outcome.counts.updated, outcome.counts.unchanged) == (0, 0, 3)
    assert enterprise_changes().count() == before


def test_update_changes_the_right_fields_and_leaves_absent_columns_alone(spec, world):
    assert run(spec, world, xlsx_bytes([HEADERS, *GOOD]), "a.xlsx").ok
    # only required columns plus 状态: 地址, 联系人 … are not in the file and must stay
    rows = [["统一社会信用代码", "企业名称", "行业代码", "规模", "状态"],
            [U1, "甲科技股份有限公司", "3971", "规下", "停产"],
            [U2, "乙有限公司", "6513", "规下", ""]]
    outcome = run(spec, world, csv_bytes(rows), "b.csv")
    assert (outcome.counts.created, outcome.counts.updated, outcome.counts.unchanged) == (0, 1, 1)
    a = Enterprise.objects.get(uscc=U1)
    assert (a.name, a.size, a.status, a.address, a.contact_person, a.registration_date) == (
        "甲科技股份有限公司", "规下", "停产", "科学大道1号", "张三", dt.date(2020, 5, 1))
    change = enterprise_changes().get(action=ChangeAction.UPDATE)
    assert change.object_id == a.pk
    assert {field for field, _before, _after in change.diff()} == {"name", "size", "status"}


def test_bad_rows_write_nothing_and_every_error_is_listed(spec, world):
    bad_checksum = U2[:-1] + ("0" if U2[-1] != "0" else "1")
    rows = [
        HEADERS,
        GOOD[0],
        [bad_checksum, "乙有限公司", "3971", "规上", "", "", "", "", ""],
        [U3, "", "3971", "规上", "", "", "", "", ""],
        [make_uscc(104), "丁有限公司", "9999", "规上", "", "", "", "", ""],
        [make_uscc(105), "戊有限公司", "3971", "大型", "", "", "", "", ""],
        [make_uscc(106), "己有限公司", "3971", "规上", "2025/13/01", "", "", "", ""],
        [U1, "甲科技有限公司（重复）", "3971", "规上", "", "", "", "", ""],
    ]
    count, changes = Enterprise.objects.count(), ObjectChange.objects.count()
    outcome = run(spec, world, csv_bytes(rows), "bad.csv")
    assert not outcome.ok
    assert errors_of(outcome) == [
        (3, "统一社会信用代码", bad_checksum, f"校验位错误：第 18 位应为“{U2[-1]}”，实际为“{bad_checksum[-1]}”。"),
        (4, "企业名称", "", "必填项不能为空。"),
        (5, "行业代码", "9999", "行业代码“9999”不在 GB/T 4754-2017 小类中。"),
        (6, "规模", "大型", "“大型”不是可选值，应为：规上、规下。"),
        (7, "成立日期", "2025/13/01", "日期不存在：月份应在 1–12 之间，实际为 13。"),
        (8, "统一社会信用代码", U1, "第 2 行和第 8 行的统一社会信用代码相同：同一企业在文件中只能出现一次。"),
    ]
    assert Enterprise.objects.count() == count
    assert ObjectChange.objects.count() == changes
    event = SecurityEvent.objects.get(kind="import")
    assert not event.success and "6 处错误" in event.detail


def test_uscc_stored_as_a_number_by_excel_gets_a_specific_error(spec, world):
    outcome = run(spec, world, xlsx_bytes([HEADERS, [9.13501e17, "甲", "3971", "规上"]]), "a.xlsx")
    assert [(e.row, e.column, e.value) for e in outcome.errors] == [(2, "统一社会信用代码", "9.13501E+17")]
    assert "文本" in outcome.errors[0].reason


def test_other_departments_enterprises_are_refused_per_row(spec, world):
    b1 = world.enterprises["b1"]
    outcome = run(spec, world, csv_bytes([HEADERS, GOOD[0], [b1.uscc, "改名", "3971", "规上"]]), "a.csv")
    assert errors_of(outcome) == [(3, "统一社会信用代码", b1.uscc, "该企业由“投资促进局”维护，本部门不能通过导入修改。")]
    b1.refresh_from_db()
    assert b1.name != "改名" and not Enterprise.objects.filter(uscc=U1).exists()


def test_same_uscc_in_another_zone_is_a_different_enterprise(spec, world):
    other = world.enterprises["other"]
    outcome = run(spec, world, csv_bytes([HEADERS, [other.uscc, "本园区同码企业", "3971", "规上"]]), "a.csv")
    assert outcome.ok and outcome.counts.created == 1
    assert Enterprise.objects.filter(uscc=other.uscc).count() == 2


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_reimports_unchanged(spec, world, fmt):
    assert run(spec, world, xlsx_bytes([HEADERS, *GOOD]), "a.xlsx").ok
    staff = world.users["staff_a"]
    out = io.BytesIO()
    count = records_export(spec=spec, objects=spec.queryset_for_user(user=staff, filters=None), fmt=fmt, out=out,
                           user=staff, zone=world.zone)
    assert count == 5  # a1, a2 of the world and the three imported
    before = enterprise_changes().count()
    outcome = run(spec, world, out.getvalue(), f"export.{fmt}")
    assert outcome.ok, errors_of(outcome)
    assert (outcome.counts.created, outcome.counts.updated, outcome.counts.unchanged) == (0, 0, 5)
    assert enterprise_changes().count() == before
    assert SecurityEvent.objects.filter(kind="export", detail__startswith=f"enterprises: 导出 5 行, {fmt}").exists()


def test_export_keeps_codes_as_text_and_dates_as_dates(spec, world):
    assert run(spec, world, xlsx_bytes([HEADERS, *GOOD]), "a.xlsx").ok
    out = io.BytesIO()
    records_export(spec=spec, objects=Enterprise.objects.filter(uscc=U1), fmt="xlsx", out=out)
    ws = openpyxl.load_workbook(io.BytesIO(out.getvalue()))["企业"]
    assert [c.value for c in ws[1]] == [*HEADERS, "状态"]
    row = [c.value for c in ws[2]]
    assert row[:4] == [U1, "甲科技有限公司", "3971", "规上"]
    assert row[4] == dt.datetime(2020, 5, 1) and ws.cell(2, 5).number_format == "yyyy-mm-dd"
    assert row[8] == "13800000000" and ws.cell(2, 9).data_type == "s"


# --- the page --------------------------------------------------------------------------------

def login(client, world, key):
    client.force_login(world.users[key])
    return client


def test_upload_page_contract(client, world):
    response = login(client, world, "staff_a").get(reverse("imports:upload", args=["enterprises"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<form method="post" enctype="multipart/form-data">' in html
    assert 'type="file" name="file"' in html and 'accept=".xlsx,.csv"' in html
    assert '<button type="submit">导入</button>' in html
    assert reverse("imports:template", args=["enterprises"]) in html


def test_index_lists_kinds_for_staff(client, world):
    response = login(client, world, "staff_a").get(reverse("imports:index"))
    html = response.content.decode()
    assert response.status_code == 200
    for kind in ("enterprises", "parcels"):
        assert reverse("imports:upload", args=[kind]) in html and reverse("imports:template", args=[kind]) in html


@pytest.mark.parametrize("key", ["leader", "enterprise", "system_admin", "audit_admin"])
def test_import_pages_are_for_department_staff_only(client, world, key):
    login(client, world, key)
    assert client.get(reverse("imports:index")).status_code == 403
    assert client.get(reverse("imports:upload", args=["enterprises"])).status_code == 403
    data = io.BytesIO(csv_bytes([HEADERS, GOOD[0]]))
    data.name = "a.csv"
    assert client.post(reverse("imports:upload", args=["enterprises"]), {"file": data}).status_code == 403
    assert not Enterprise.objects.filter(uscc=U1).exists()


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(reverse("imports:upload", args=["enterprises"]))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_unknown_kind_is_404(client, world):
    login(client, world, "staff_a")
    assert client.get(reverse("imports:upload", args=["nothing"])).status_code == 404
    assert client.get(reverse("imports:template", args=["nothing"])).status_code == 404
    assert client.get(reverse("imports:export", args=["nothing"])).status_code == 404


def upload(client, rows, name="企业.csv", raw=None):
    data = io.BytesIO(raw if raw is not None else csv_bytes(rows))
    data.name = name
    return client.post(reverse("imports:upload", args=["enterprises"]), {"file": data})


def test_staff_uploads_bad_file_sees_error_table_and_can_download_it(client, world):
    login(client, world, "staff_a")
    count = Enterprise.objects.count()
    response = upload(client, [HEADERS, GOOD[0], [U2, "", "9999", "大型"]])
    assert response.status_code == 200
    html = response.content.decode()
    assert "导入失败：共 3 处错误，未写入任何数据。" in html
    table = html[html.index('<table class="table import-errors">'):]
    table = table[:table.index("</table>")]
    assert table.count("<tr>") == 4  # the head row and one per error
    for text in ("<th class=\"num\">行号</th>", "<th>列</th>", "<th>值</th>", "<th>原因</th>", "企业名称", "9999",
                 "大型", "必填项不能为空。"):
        assert text in table
    assert Enterprise.objects.count() == count

    download = client.get(reverse("imports:errors", args=["enterprises"]))
    assert download.status_code == 200
    ws = openpyxl.load_workbook(io.BytesIO(download.content)).active
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=4)]
    assert [(r[0], r[1], r[2] or "") for r in rows] == [(3, "企业名称", ""), (3, "行业代码", "9999"), (3, "规模", "大型")]


def test_staff_uploads_good_file_and_is_sent_to_the_list(client, world):
    login(client, world, "staff_a")
    response = upload(client, [HEADERS, *GOOD])
    assert response.status_code == 302 and response["Location"] == reverse("enterprises:list")
    assert Enterprise.objects.filter(uscc__in=[U1, U2, U3], department=world.dept_a).count() == 3
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["导入成功：新增 3 条，更新 0 条，未变更 0 条。"]
    # the error list of an earlier failure is gone once an import succeeds
    assert client.get(reverse("imports:errors", args=["enterprises"])).status_code == 404


@pytest.mark.parametrize("name,raw,message", [
    ("企业.pdf", b"%PDF-1.4", "只能导入 .xlsx 或 .csv 文件"),
    ("企业.xlsx", b"", "文件是空的"),
    ("企业.xlsx", b"not a workbook", "无法读取该 Excel 文件"),
    ("企业.csv", b"\xff\xfe\x00\xd8", "无法识别 CSV 文件的编码"),
])
def test_unusable_uploads_get_a_message_not_a_500(client, world, name, raw, message):
    login(client, world, "staff_a")
    response = upload(client, None, name=name, raw=raw)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_post_without_file_asks_for_one(client, world):
    login(client, world, "staff_a")
    response = client.post(reverse("imports:upload", args=["enterprises"]), {})
    assert response.status_code == 200 and "请选择要导入的" in response.content.decode()


@pytest.mark.parametrize("key", ["leader", "staff_a", "enterprise"])
def test_template_for_everyone_who_sees_the_list(client, world, key):
    response = login(client, world, key).get(reverse("imports:template", args=["enterprises"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    assert [c.value for c in wb["企业"][1]][:4] == HEADERS[:4]


def test_administrators_get_no_template_or_export(client, world):
    login(client, world, "system_admin")
    assert client.get(reverse("imports:template", args=["enterprises"])).status_code == 403
    assert client.get(reverse("imports:export", args=["enterprises"])).status_code == 403


def _export_usccs(response, fmt="xlsx"):
    content = b"".join(response.streaming_content)
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
        assert rows[0][:4] == HEADERS[:4]
        return {r[0] for r in rows[1:]}
    ws = openpyxl.load_workbook(io.BytesIO(content))["企业"]
    return {row[0].value for row in ws.iter_rows(min_row=2)}


@pytest.mark.parametrize("key,expected", [("leader", {"a1", "a2", "b1"}), ("staff_a", {"a1", "a2"}),
                                          ("enterprise", {"a1"})])
def test_export_is_what_the_user_sees(client, world, key, expected):
    response = login(client, world, key).get(reverse("imports:export", args=["enterprises"]))
    assert response.status_code == 200
    assert _export_usccs(response) == {world.enterprises[k].uscc for k in expected}
    assert SecurityEvent.objects.filter(kind="export", user=world.users[key]).count() == 1


def test_export_applies_the_list_filters_and_format(client, world):
    login(client, world, "leader")
    response = client.get(reverse("imports:export", args=["enterprises"]), {"size": "规下", "format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert _export_usccs(response, "csv") == {world.enterprises["a2"].uscc}
    assert client.get(reverse("imports:export", args=["enterprises"]), {"format": "pdf"}).status_code == 400


def test_real_login_then_import(client, world):
    assert client.login(username="staff_a", password=PASSWORD)
    response = upload(client, [HEADERS, GOOD[1]])
    assert response.status_code == 302
    assert Enterprise.objects.filter(uscc=U2).exists()
