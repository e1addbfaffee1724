"""The statistics page, its drill-down pages, the .xlsx download and the API endpoint."""

import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from gaoxin.core.audit.models import SecurityEvent, SecurityEventKind
from gaoxin.projects.views.statistics import default_period

from ..api.conftest import Api, make_token
from .statistics_data import build_statistics_world

PAGE = reverse("projects:statistics")
RECORDS = reverse("projects:statistics_records")


@pytest.fixture
def sw(project_world):
    project_world.made = build_statistics_world(project_world)
    return project_world


@pytest.fixture
def login(client, sw):
    def as_role(role):
        client.force_login(sw.users[role])
        return client

    return as_role


def tile(html: str, key: str) -> str:
    match = re.search(rf'id="tile-{key}"[^>]*>\s*<div class="label">[^<]*</div>\s*<div class="value">([^<]*)<', html)
    return match.group(1).strip()


def test_leader_sees_the_zone_figures_with_links(login, sw):
    response = login("leader").get(PAGE, {"period": "2024H1"})
    assert response.status_code == 200
    html = response.content.decode()
    assert tile(html, "signed") == "3" and tile(html, "contract") == "102.0"  # 亿元 to one decimal
    assert 'title="1,019,999.99 万元"' in html  # the exact 万元 beside it
    assert tile(html, "funds") == "0.0" and "同比 +100.0%" in html
    assert tile(html, "started") == "1" and tile(html, "key") == "2"
    for figure in ("signed", "funds", "funds_prev", "started", "completed", "commissioned", "key%3A%E5%B8%82%E7%BA%A7",
                   "size%3A50%E4%BA%BF%E7%BA%A7", "channel%3A%E9%A9%BB%E5%A4%96%E6%8B%9B%E5%95%86"):
        assert f"period=2024-06&amp;figure={figure}" in html, figure
    assert f"{dt_today().year}一季度" in html and f"{dt_today().year - 1}全年" in html


def test_default_period_is_the_last_complete_month():
    import datetime as dt

    assert default_period(dt.date(2026, 1, 15)).label == "2025-12"
    assert default_period(dt.date(2026, 3, 1)).label == "2026-02"


@pytest.mark.parametrize("period", ["2024-13", "abc", "2024Q9"])
def test_bad_period_is_a_400_with_the_reason(login, period):
    for url in (PAGE, RECORDS):
        response = login("leader").get(url, {"period": period, "figure": "signed"})
        assert response.status_code == 400
        assert "期间" in response.content.decode()


@pytest.mark.parametrize("role", ["enterprise", "system_admin", "audit_admin"])
def test_enterprise_users_and_administrators_get_403(login, role):
    assert login(role).get(PAGE).status_code == 403
    assert login(role).get(RECORDS, {"period": "2024-06", "figure": "signed"}).status_code == 403


def test_anonymous_is_sent_to_login(client, sw):
    assert client.get(PAGE).status_code == 302


def test_records_page_reconciles_and_links_each_record(login, sw):
    c = login("leader")
    response = c.get(RECORDS, {"period": "2024-06", "figure": "signed"})
    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'id="total-amount">1,019,999.99<', html)
    for key in ("s1", "s2", "s5"):
        signing = sw.made[key]
        assert signing.project.code in html and signing.get_absolute_url() in html
        assert signing.project.get_absolute_url() in html
    assert sw.made["s3"].project.code not in html and sw.made["s4"].project.code not in html
    funds = c.get(RECORDS, {"period": "2024-06", "figure": "funds_prev"}).content.decode()
    assert re.search(r'id="total-amount">100.00<', funds) and "2023-01-01" in funds
    key = c.get(RECORDS, {"period": "2024-06", "figure": "key:市级"}).content.decode()
    assert re.search(r'id="total-plan">42,000.00<', key) and re.search(r'id="total-completed">13,501.50<', key)
    assert re.search(r'id="total-completion">32.1%<', key)


def test_unknown_figure_is_a_400(login):
    response = login("leader").get(RECORDS, {"period": "2024-06", "figure": "nonsense"})
    assert response.status_code == 400 and "统计项" in response.content.decode()


def test_staff_of_another_department_see_none_of_its_records(login, sw):
    c = login("staff_b")
    html = c.get(RECORDS, {"period": "2024-06", "figure": "signed"}).content.decode()
    assert sw.made["s5"].project.code in html
    assert sw.made["s1"].project.code not in html and sw.made["s2"].project.code not in html
    assert re.search(r'id="total-amount">20,000.00<', html)
    page = c.get(PAGE, {"period": "2024-06"}).content.decode()
    assert tile(page, "signed") == "1"
    started = c.get(RECORDS, {"period": "2024-06", "figure": "started"}).content.decode()
    assert sw.projects["a1"].code not in started


def test_xlsx_download_holds_the_figures_and_is_recorded(login, sw):
    import openpyxl

    response = login("staff_a").get(PAGE, {"period": "2024-06", "export": "xlsx"})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book["统计表"]
    assert "2024-01-01 至 2024-06-30" in sheet["A1"].value and "经信局" in sheet["A2"].value
    rows = {r[0].value.strip("　"): r[1].value for r in sheet.iter_rows(min_row=4) if r[0].value}
    assert rows["签约项目"] == 2
    assert Decimal(str(rows["合同投资额"])) == Decimal("999999.99")
    assert rows["到位资金同比增长"] == pytest.approx(41.5)
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.EXPORT, user=sw.users["staff_a"],
                                        detail__startswith="project_statistics").exists()


# --- API ---------------------------------------------------------------------------------------------------

def test_api_gives_the_cli_json_for_the_users_scope(sw):
    import json

    from django.core.management import call_command

    out = io.StringIO()
    call_command("stats", "--zone", "t1", "--period", "2024-06", stdout=out)
    leader = Api(make_token(sw.users["leader"])).get("/statistics/", period="2024-06")
    assert leader.status_code == 200 and leader.json() == json.loads(out.getvalue())
    staff = Api(make_token(sw.users["staff_b"])).get("/statistics", period="2024H1").json()
    assert staff["signed_projects"] == 1 and staff["funds_in_place_growth_pct"] is None


def test_api_bad_period_is_400_in_the_projects_error_format(sw):
    response = Api(make_token(sw.users["leader"])).get("/statistics/", period="2024-00")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_request" and "期间" in body["message"]
    assert body["errors"][0]["field"] == "period"
    missing = Api(make_token(sw.users["leader"])).get("/statistics/")
    assert missing.status_code == 400 and missing.json()["code"] == "invalid_request"


@pytest.mark.parametrize("role", ["enterprise", "system_admin"])
def test_api_refuses_enterprise_users_and_administrators(sw, role):
    response = Api(make_token(sw.users[role])).get("/statistics/", period="2024-06")
    assert response.status_code == 403 and response.json()["code"] == "forbidden"


def test_api_needs_authentication(sw):
    assert Api().get("/statistics/", period="2024-06").status_code == 401


def dt_today():
    from django.utils import timezone

    return timezone.localdate()
