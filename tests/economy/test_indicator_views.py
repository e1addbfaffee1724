"""The catalog, indicator, record/revise and targets pages: what each role sees and may do."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from gaoxin.economy.models import Indicator, Observation, Target
from gaoxin.economy.services.observations import observation_record
from gaoxin.economy.services.targets import target_save

from .indicator_data import D, with_catalog

LIST = reverse("economy:indicator_list")
TARGETS = reverse("economy:target_list")


@pytest.fixture
def w(world):
    w = with_catalog(world)
    staff = w.users["staff_gfj"]
    fai = w.ind["fixed_asset_investment"]
    for value, growth in (("120.5", "12.2"), ("121", "12.4")):
        observation_record(user=staff, indicator=fai, region="本区", year=2024, month=6, value=D(value),
                           growth_pct=D(growth), source="区统计局", status="")
    observation_record(user=staff, indicator=fai, region="全市", year=2024, month=6, value=D("3085.9"),
                       growth_pct=D("6.0"), source="市统计局", status="最终")
    return w


@pytest.fixture
def login(client, w):
    def as_role(role):
        client.force_login(w.users[role])
        return client

    return as_role


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.mark.parametrize("role", ["leader", "staff_a", "staff_gfj"])
def test_catalog_page_lists_kinds_units_and_latest_figures(login, w, role):
    response = login(role).get(LIST)
    assert response.status_code == 200
    html = text(response)
    row = re.search(r'<tr id="indicator-fixed_asset_investment">(.*?)</tr>', html).group(1)
    assert "2024-06" in row and "121" in row and "12.4" in row and "第 2 版" in row and "亿元" in row
    assert 'id="indicator-signed_projects"' in html and "由业务记录计算" in html
    assert ("新增指标" in html) == (role != "leader")
    assert reverse("economy:dashboard") in html and reverse("economy:bulletin") in html  # the subnav
    assert (f'href="{reverse("imports:index")}"' in html) == role.startswith("staff")


@pytest.mark.parametrize(("role", "status"), [("enterprise", 403), ("system_admin", 403), ("audit_admin", 403)])
def test_enterprise_users_and_admins_are_refused(login, w, role, status):
    client = login(role)
    assert client.get(LIST).status_code == status
    assert client.get(w.ind["gdp"].get_absolute_url()).status_code == status
    assert client.get(TARGETS).status_code == status


def test_other_zones_indicator_is_404(login, w):
    other = Indicator.objects.get(zone=w.other_zone, code="gdp")
    client = login("staff_a")
    assert client.get(other.get_absolute_url()).status_code == 404
    assert client.get(reverse("economy:observation_record", args=[other.pk])).status_code == 404
    assert client.get(reverse("economy:indicator_edit", args=[other.pk])).status_code == 404
    assert client.get(LIST, {"zone": "t2"}).status_code == 404


def test_city_level_leader_switches_zone(login, w):
    w.users["leader"].extra_zones.add(w.other_zone)
    response = login("leader").get(LIST, {"zone": "t2"})
    assert response.status_code == 200 and "另一园区" in text(response)


def test_detail_shows_matrix_city_and_history_of_a_period(login, w):
    fai = w.ind["fixed_asset_investment"]
    html = text(login("leader").get(fai.get_absolute_url()))
    cell = re.search(r'id="cell-2024-6">(.*?)</td>', html).group(1)
    assert "121 / 12.4" in cell and "2版" in cell and "全市 6.0" in cell
    assert "录入或修订数据" not in html  # leaders read only
    history = text(login("leader").get(fai.get_absolute_url(), {"year": 2024, "month": 6, "region": "本区"}))
    table = re.search(r'id="table-history">(.*?)</table>', history).group(1)
    assert table.index("121") < table.index("120.5")  # newest first
    assert "现行" in table and "修订" in table and "初步" in table and "staff_gfj" in table and "区统计局" in table


def test_computed_indicator_shows_the_statistics_with_drill_down(login, w):
    signed = w.ind["signed_projects"]
    html = text(login("leader").get(signed.get_absolute_url(), {"year": 2024}))
    assert 'id="table-computed"' in html
    assert "2024-12" in html and "figure=signed" in html and "period=2024-06" in html
    assert "录入或修订数据" not in login("staff_gfj").get(signed.get_absolute_url()).content.decode()
    assert login("staff_gfj").get(reverse("economy:observation_record", args=[signed.pk])).status_code == 403


def test_record_form_creates_a_revision(login, w):
    fai = w.ind["fixed_asset_investment"]
    url = reverse("economy:observation_record", args=[fai.pk])
    client = login("staff_gfj")
    page = text(client.get(url, {"period": "2024-06", "region": "本区"}))
    assert 'value="121"' in page or 'value="121.0000"' in page  # pre-filled with the current figure
    response = client.post(url, {"region": "本区", "period": "2024-06", "value": "122", "growth_pct": "12.6",
                                 "source": "", "status": "最终", "note": "年报修订"})
    assert response.status_code == 302
    assert "year=2024" in response["Location"] and "#history" in response["Location"]
    current = Observation.objects.get(indicator=fai, region="本区", year=2024, month=6, is_current=True)
    assert (current.revision, current.value, current.status, current.source, current.note) == (
        3, D("122"), "最终", "区统计局", "年报修订")


@pytest.mark.parametrize(("data", "message"), [
    ({"period": "2024-13"}, "YYYY-MM"),
    ({"value": "", "growth_pct": ""}, "至少填写一项"),
    ({"growth_pct": "-200"}, "-100%"),
    ({"period": f"{dt.date.today().year + 1}-01"}, "尚未到来"),
])
def test_record_form_errors_are_shown_and_nothing_written(login, w, data, message):
    fai = w.ind["fixed_asset_investment"]
    before = Observation.objects.count()
    post = {"region": "本区", "period": "2024-03", "value": "50", "growth_pct": "10", "source": "", "status": ""}
    post.update(data)
    response = login("staff_gfj").post(reverse("economy:observation_record", args=[fai.pk]), post)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Observation.objects.count() == before


def test_quarterly_indicator_refuses_month_five_in_the_form(login, w):
    response = login("staff_gfj").post(reverse("economy:observation_record", args=[w.ind["gdp"].pk]), {
        "region": "本区", "period": "2024-05", "value": "50", "growth_pct": "8.2"})
    assert "季末" in response.content.decode()
    assert not Observation.objects.filter(indicator=w.ind["gdp"]).exists()


def test_leader_cannot_record_or_edit(login, w):
    client = login("leader")
    fai = w.ind["fixed_asset_investment"]
    assert client.get(reverse("economy:observation_record", args=[fai.pk])).status_code == 403
    assert client.post(reverse("economy:observation_record", args=[fai.pk]), {}).status_code == 403
    assert client.get(reverse("economy:indicator_edit", args=[fai.pk])).status_code == 403
    assert client.get(reverse("economy:indicator_add")).status_code == 403
    assert client.post(LIST, {"action": "install"}).status_code == 403
    assert client.post(TARGETS, {}).status_code == 403


def test_indicator_add_and_edit_keep_code_and_kind(login, w):
    client = login("staff_a")
    response = client.post(reverse("economy:indicator_add"), {
        "code": "hightech_output", "name": "高新技术产业产值", "unit": "亿元", "kind": "官方", "frequency": "月度",
        "computed_key": "", "aggregation": "", "order": "200", "is_active": "on"})
    assert response.status_code == 302
    new = Indicator.objects.get(zone=w.zone, code="hightech_output")
    response = client.post(reverse("economy:indicator_edit", args=[new.pk]), {
        "code": "changed", "name": "高技术产业产值", "unit": "亿元", "kind": "计算", "frequency": "月度",
        "computed_key": "", "aggregation": "", "order": "200", "is_active": "on"})
    assert response.status_code == 302
    new.refresh_from_db()
    assert (new.code, new.kind, new.name) == ("hightech_output", "官方", "高技术产业产值")
    duplicate = client.post(reverse("economy:indicator_add"), {
        "code": "gdp", "name": "重复", "unit": "亿元", "kind": "官方", "frequency": "月度", "order": "1"})
    assert duplicate.status_code == 200 and "已有该指标代码" in duplicate.content.decode()


def test_install_button_when_the_catalog_is_empty(login, w):
    Observation.objects.all().delete()
    Indicator.objects.filter(zone=w.zone).delete()
    client = login("staff_b")
    html = text(client.get(LIST))
    assert 'id="catalog-install"' in html and "还没有指标目录" in html
    assert client.post(LIST, {"action": "install"}).status_code == 302
    assert Indicator.objects.filter(zone=w.zone).count() == 15
    assert 'id="catalog-install"' not in text(client.get(LIST))


def test_targets_page_saves_edits_and_shows_progress(login, w):
    fai, gdp = w.ind["fixed_asset_investment"], w.ind["gdp"]
    client = login("staff_gfj")
    response = client.post(TARGETS + "?year=2024", {f"g_{fai.pk}": "10", f"v_{fai.pk}": "", f"n_{fai.pk}": "",
                                                    f"g_{gdp.pk}": "7", f"v_{gdp.pk}": "450",
                                                    f"n_{gdp.pk}": "人代会", "message": ""})
    assert response.status_code == 302
    assert Target.objects.get(indicator=gdp, year=2024).value == D("450")
    html = text(login("leader").get(TARGETS, {"year": 2024}))
    row = re.search(r'<tr id="target-fixed_asset_investment">(.*?)</tr>', html).group(1)
    assert "10.0" in row and "12.4%" in row and "高于目标 2.4 个百分点" in row
    assert "<input" not in html.split('id="table-targets"')[1].split("</table>")[0]  # leader: read only


def test_targets_page_is_all_or_nothing(login, w):
    fai, gdp = w.ind["fixed_asset_investment"], w.ind["gdp"]
    target_save(user=w.users["staff_a"], indicator=gdp, year=2024, growth_pct=D("7"), value=None)
    response = login("staff_gfj").post(TARGETS + "?year=2024", {
        f"g_{fai.pk}": "10", f"g_{gdp.pk}": "8", "message": ""})  # gdp's target belongs to 经信局
    assert response.status_code == 400
    assert "经信局" in response.content.decode()
    assert not Target.objects.filter(indicator=fai).exists()
    assert Target.objects.get(indicator=gdp).growth_pct == D("7")
