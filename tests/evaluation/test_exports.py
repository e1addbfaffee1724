"""The differentiated-policy list: one sheet per class, final classes, policy wording, recorded as an export."""

import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from gaoxin.core.audit.models import SecurityEvent
from gaoxin.evaluation.models import EvaluationData
from gaoxin.evaluation.services import exports
from gaoxin.evaluation.services import runs as services

from .runs import YEAR, evaluation_world

pytestmark = pytest.mark.django_db
HEADERS = ["统一社会信用代码", "企业名称", "行业代码", "所属片区", "评价组", "综合得分", "档次", "调档说明", "政策导向"]


@pytest.fixture
def ev(world):
    evaluation_world(world)
    return world


@pytest.fixture
def run(ev):
    return services.evaluation_run_create(user=ev.users["staff_a"], year=YEAR)


def workbook(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content))


def rows(ws):
    return [[c.value for c in row] for row in ws.iter_rows(min_row=4)]


def download(client, run, **params):
    return client.get(reverse("evaluation:run_export", args=[run.pk]), params)


def test_every_class_has_its_sheet_with_the_final_classes(ev, run, client):
    a1 = run.results.get(enterprise=ev.enterprises["a1"])
    services.evaluation_result_override(user=ev.users["staff_a"], result=a1, kind="提档", reason="成长型科技企业")
    client.force_login(ev.users["leader"])
    response = download(client, run)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    wb = workbook(b"".join(response.streaming_content))
    assert wb.sheetnames == ["A类", "B类", "C类", "D类"]
    a = wb["A类"]
    assert "测试高新区" in a["A1"].value and "2025年度" in a["A1"].value and "第 1 版" in a["A1"].value
    assert "已计算" in a["A1"].value and "优先保障" in a["A2"].value
    assert [c.value for c in a[3]] == HEADERS
    c1, a1_row = rows(a)
    c1_result = run.results.get(enterprise=ev.enterprises["c1"])
    assert c1[:5] == [ev.enterprises["c1"].uscc, "测试企业11有限公司", "3971", "一号片区", "规上企业"]
    assert c1[5] == round(c1_result.score, 2) and a.cell(4, 6).number_format == "0.00"
    assert c1[6:] == ["A", None, "优先保障"]
    assert a1_row[6] == "A" and "提档：B → A，成长型科技企业" in a1_row[7]
    assert a.cell(4, 1).data_type == "s" and a.cell(4, 3).data_type == "s"
    by_sheet = {name: [r[0] for r in rows(wb[name])] for name in wb.sheetnames}
    assert {name: len(v) for name, v in by_sheet.items()} == {"A类": 2, "B类": 2, "C类": 2, "D类": 2}
    assert all(ev.enterprises["new"].uscc not in v for v in by_sheet.values())  # 不参评 firms have no class
    assert {r[8] for r in rows(wb["C类"])} == {"倒逼提升（调控）"} and {r[8] for r in rows(wb["D类"])} == {"严格限制"}
    assert {r[8] for r in rows(wb["B类"])} == {"鼓励提升"}
    event = SecurityEvent.objects.get(kind="export")
    assert event.user == ev.users["leader"] and event.zone == ev.zone and "8 行" in event.detail


def test_one_class_only(ev, run, client):
    client.force_login(ev.users["staff_a"])
    wb = workbook(b"".join(download(client, run, **{"class": "D"}).streaming_content))
    assert wb.sheetnames == ["D类"]
    assert {r[0] for r in rows(wb["D类"])} == {ev.enterprises["b1"].uscc, ev.enterprises["a2"].uscc}
    assert "档次 D" in SecurityEvent.objects.get(kind="export").detail


def test_a_vetoed_firm_says_why(ev, run):
    EvaluationData.objects.filter(enterprise=ev.enterprises["c1"]).update(major_accident=True)
    second = services.evaluation_run_create(user=ev.users["staff_a"], year=YEAR)
    out = io.BytesIO()
    assert exports.evaluation_run_export(user=ev.users["leader"], run=second, class_label="D", out=out) == 3
    notes = {r[0]: r[7] for r in rows(workbook(out.getvalue())["D类"])}
    assert notes[ev.enterprises["c1"].uscc] == "一票否决：重大安全事故"
    assert "已替代" not in workbook(out.getvalue())["D类"]["A1"].value


def test_an_unknown_class_is_400_and_records_nothing(ev, run, client):
    client.force_login(ev.users["leader"])
    response = download(client, run, **{"class": "Z"})
    assert response.status_code == 400 and "Z" in response.content.decode()
    assert not SecurityEvent.objects.filter(kind="export").exists()


def test_scope(ev, run, client):
    client.force_login(ev.users["staff_b"])
    assert download(client, run).status_code == 404
    client.force_login(ev.users["enterprise"])
    assert download(client, run).status_code == 403
    with pytest.raises(PermissionDenied):
        exports.evaluation_run_export(user=ev.users["staff_b"], run=run, out=io.BytesIO())
    with pytest.raises(ValidationError):
        exports.evaluation_run_export(user=ev.users["leader"], run=run, class_label="E", out=io.BytesIO())
    assert not SecurityEvent.objects.filter(kind="export").exists()


def test_policy_mapping_is_blank_for_unknown_labels():
    assert [exports.class_policy(label) for label in ("A", "B", "C", "D", "E", "")] == [
        "优先保障", "鼓励提升", "倒逼提升（调控）", "严格限制", "", ""]
