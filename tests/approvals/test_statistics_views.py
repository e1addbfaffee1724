"""The approval statistics page per role, its drill-down, and bad windows (400, never 500)."""

import json
import re

import pytest
from django.urls import reverse

from .statistics_data import build_statistics

URL = reverse("approvals:statistics")
WINDOW = {"from": "2025-08", "to": "2025-11"}


@pytest.fixture
def built(world):
    cases, users, _depts = build_statistics(world)
    return world, cases, users


def get(client, user, params=None):
    client.force_login(user)
    return client.get(URL, params or {})


def test_leader_reads_the_zone(client, built):
    world, cases, _users = built
    response = get(client, world.users["leader"], WINDOW)
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'id="tile-decided".*?9 <small', html, re.S)
    assert re.search(r'id="tile-on-time".*?88\.9', html, re.S)
    assert "达到目标 1/2（50.0%）" in html
    assert cases["A"].get_absolute_url() in html and cases["B"].get_absolute_url() in html
    assert "超出目标" in html and 'id="table-open-cases"' in html
    chart = json.loads(re.search(r'<script id="approvals-statistics-chart" type="application/json">(.*?)</script>',
                                 html, re.S).group(1))
    assert [r["name"] for r in chart["stages"]["rows"]] == ["立项用地规划许可", "施工许可", "竣工验收", "并行推进"]
    assert chart["stages"]["rows"][1]["used"] == 8.5 and chart["stages"]["rows"][1]["limit"] == 3.0
    assert [(r["name"], r["used"], r["target"]) for r in chart["cases"]["rows"]] == [("SP-A", 9, 15),
                                                                                     ("SP-B", 25, 15)]
    assert "approvals_statistics.js" in html and "echarts.min.js" in html


def test_default_window_is_this_year(client, built):
    world, _cases, _users = built
    response = get(client, world.users["leader"])
    assert response.status_code == 200  # 2026: nothing decided in the test data
    assert "本期没有办结的审批事项。" in response.content.decode()


def test_staff_read_their_department_and_drill_down(client, built):
    _world, _cases, users = built
    response = get(client, users["staff_jsj"], {**WINDOW, "figure": "stage:3"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "施工许可" in html and 'id="records"' in html
    assert re.search(r'id="total-used">17<', html)  # 2 + 15
    assert "SP-A" in html and "SP-B" in html
    response = get(client, users["staff_gfj"], {**WINDOW, "figure": "late"})
    assert response.status_code == 200 and "SP-B" not in response.content.decode()  # 审批 of jsj, not gfj


@pytest.mark.parametrize("params, fragment", [
    ({"from": "2025-13"}, "起始月份“2025-13”无法识别"),
    ({"from": "2025-06", "to": "2025-01"}, "早于起始月份"),
    ({**WINDOW, "figure": "stage:9"}, "统计项“stage:9”不存在"),
    ({"from": "<script>"}, "无法识别"),
])
def test_bad_input_is_a_400_with_the_reason(client, built, params, fragment):
    world, _cases, _users = built
    response = get(client, world.users["leader"], params)
    assert response.status_code == 400
    assert fragment in response.content.decode() and "<script>\"" not in response.content.decode()


@pytest.mark.parametrize("role", ["enterprise", "system_admin", "audit_admin"])
def test_enterprise_users_and_administrators_get_403(client, world, role):
    assert get(client, world.users[role]).status_code == 403


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and "login" in response["Location"]
