"""Importing and exporting the land register: holders by USCC, status rules, round trip, page."""

import csv
import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from gaoxin.core.audit.models import ObjectChange, SecurityEvent
from gaoxin.core.imports import get_spec
from gaoxin.core.imports.services import file_import, records_export
from gaoxin.land.models import Parcel
from tests.factories import make_enterprise

HEADERS = ["地块编号*", "面积（平方米）*", "用地性质*", "供地方式", "使用企业统一社会信用代码", "供地日期", "状态"]


def csv_bytes(rows) -> bytes:
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    return buf.getvalue().encode("utf-8")


def xlsx_bytes(rows) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "地块"
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.fixture
def spec():
    return get_spec("parcels")


def run(spec, world, data, filename="地块.csv", user="staff_a"):
    user = world.users[user]
    return file_import(spec=spec, data=data, filename=filename, zone=user.zone, department=user.department, user=user)


def errors_of(outcome):
    return [(e.row, e.column, e.value, e.reason) for e in outcome.errors]


def test_good_parcels_with_holders_and_derived_status(spec, world):
    a1, b1 = world.enterprises["a1"], world.enterprises["b1"]
    rows = [
        HEADERS,
        ["GX-001", "6666.67", "工业用地", "出让", a1.uscc, "2024-03-05", "在建"],
        ["GX-002", "1,000.5", "仓储用地", "", "", "", ""],  # no holder, no status → 储备
        ["ＧＸ－００３", "2000", "工业用地", "租赁", b1.uscc, "", ""],  # holder of another department, status → 已供
    ]
    outcome = run(spec, world, xlsx_bytes(rows), "地块.xlsx")
    assert outcome.ok, errors_of(outcome)
    assert outcome.counts.created == 3
    p1, p2, p3 = (Parcel.objects.get(zone=world.zone, code=c) for c in ("GX-001", "GX-002", "GX-003"))
    assert (p1.area_m2, p1.land_use, p1.supply_method, p1.holder, p1.supply_date, p1.status, p1.department) == (
        Decimal("6666.67"), "工业用地", "出让", a1, dt.date(2024, 3, 5), "在建", world.dept_a)
    assert (p2.area_m2, p2.holder, p2.status, p2.supply_method) == (Decimal("1000.50"), None, "储备", "")
    assert (p3.holder, p3.status) == (b1, "已供")
    assert ObjectChange.objects.filter(object_repr__startswith="GX-", action="create").count() == 3
    assert SecurityEvent.objects.get(kind="import").detail == "parcels: 新增 3, 更新 0, 未变更 0; 文件 地块.xlsx"


def test_parcel_errors_are_listed_and_nothing_written(spec, world):
    a1, other = world.enterprises["a1"], world.enterprises["other"]
    unknown = "91350100M000100Y43"
    rows = [
        HEADERS,
        ["GX-101", "100", "工业用地", "出让", unknown, "", ""],
        ["GX-102", "100", "工业用地", "出让", other.uscc, "", ""],
        ["GX-103", "100", "工业用地", "出让", a1.uscc, "", "储备"],
        ["GX-104", "100", "工业用地", "", "", "", "闲置"],
        ["GX-105", "0", "耕地", "拍卖", "", "2024-02-30", "在建"],
        ["GX-101", "100", "工业用地", "", "", "", ""],
    ]
    count = Parcel.objects.count()
    outcome = run(spec, world, csv_bytes(rows))
    assert errors_of(outcome) == [
        (2, "使用企业统一社会信用代码", unknown, f"本园区没有统一社会信用代码为“{unknown}”的企业，请先登记或导入该企业。"),
        (3, "使用企业统一社会信用代码", other.uscc,
         f"本园区没有统一社会信用代码为“{other.uscc}”的企业，请先登记或导入该企业。"),
        (4, "使用企业统一社会信用代码", a1.uscc, "储备地块不应有使用企业；供地后请将状态改为已供。"),
        (5, "供地方式", "", "已供地块必须填写供地方式。"),
        (6, "面积（平方米）", "0", "应大于 0。"),
        (6, "用地性质", "耕地", "“耕地”不是可选值，应为：工业用地、仓储用地、科研用地、商服用地、住宅用地、"
                               "公共管理与公共服务用地、交通运输用地、其他用地。"),
        (6, "供地方式", "拍卖", "“拍卖”不是可选值，应为：出让、划拨、租赁。"),
        (6, "供地日期", "2024-02-30", "日期不存在：2024 年 2 月没有 30 日。"),
        (7, "地块编号", "GX-101", "第 2 行和第 7 行的地块编号相同：同一地块在文件中只能出现一次。"),
    ]
    assert Parcel.objects.count() == count


def test_update_keeps_status_unless_a_reserve_parcel_gets_a_holder(spec, world):
    a2 = world.enterprises["a2"]
    rows = [["地块编号", "面积（平方米）", "用地性质", "供地方式", "使用企业统一社会信用代码"],
            ["P-A1", "7000", "工业用地", "出让", world.enterprises["a1"].uscc],  # 已供 stays 已供
            ["P-A2", "6666.67", "工业用地", "划拨", a2.uscc]]  # 储备 + holder → 已供
    outcome = run(spec, world, csv_bytes(rows))
    assert outcome.ok, errors_of(outcome)
    assert (outcome.counts.created, outcome.counts.updated) == (0, 2)
    p1, p2 = Parcel.objects.get(code="P-A1", zone=world.zone), Parcel.objects.get(code="P-A2", zone=world.zone)
    assert (p1.area_m2, p1.status) == (Decimal("7000.00"), "已供")
    assert (p2.holder, p2.status, p2.supply_method) == (a2, "已供", "划拨")


def test_other_departments_parcel_is_refused(spec, world):
    rows = [HEADERS, ["P-B1", "100", "工业用地", "", "", "", ""]]
    assert errors_of(run(spec, world, csv_bytes(rows))) == [
        (2, "地块编号", "P-B1", "该地块由“投资促进局”维护，本部门不能通过导入修改。")]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_reimports_unchanged(spec, world, fmt):
    make_enterprise(world.zone, world.dept_a, 77)
    assert run(spec, world, csv_bytes([HEADERS, ["GX-9", "123.45", "科研用地", "租赁", world.enterprises["a2"].uscc,
                                                 "2023-12-31", "投产"]])).ok
    staff = world.users["staff_a"]
    out = io.BytesIO()
    count = records_export(spec=spec, objects=spec.queryset_for_user(user=staff, filters=None), fmt=fmt, out=out,
                           user=staff, zone=world.zone)
    assert count == 3  # P-A1, P-A2, GX-9
    outcome = run(spec, world, out.getvalue(), f"export.{fmt}")
    assert outcome.ok, errors_of(outcome)
    assert (outcome.counts.created, outcome.counts.updated, outcome.counts.unchanged) == (0, 0, 3)


def test_staff_uploads_parcels_and_is_sent_to_the_parcel_list(client, world):
    client.force_login(world.users["staff_a"])
    data = io.BytesIO(csv_bytes([HEADERS, ["GX-201", "500", "工业用地", "", "", "", ""]]))
    data.name = "地块.csv"
    response = client.post(reverse("imports:upload", args=["parcels"]), {"file": data})
    assert response.status_code == 302 and response["Location"] == reverse("land:parcel_list")
    assert Parcel.objects.filter(code="GX-201", department=world.dept_a, status="储备").exists()


def test_parcel_export_view_applies_filters(client, world):
    client.force_login(world.users["leader"])
    response = client.get(reverse("imports:export", args=["parcels"]), {"status": "储备", "format": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == HEADERS
    assert [r[0] for r in rows[1:]] == ["P-A2"]
