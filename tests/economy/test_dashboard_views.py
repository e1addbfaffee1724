"""The 经济运行总览 page per role and scope: who may open it, which zone's figures it shows, the period
selector (default, bad value), the tiles' numbers and links, the roll-up for a city-level user."""

import json
import re

import pytest
from django.urls import reverse

from gaoxin.economy.models import Indicator
from tests.factories import PASSWORD

from .test_dashboard_selectors import build_economy_world, city_user

URL = reverse("economy:dashboard")


@pytest.fixture
def economy(world):
    world.economy = build_economy_world(world)
    return world


def _client(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _tile(html: str, tile_id: str) -> str:
    match = re.search(rf'<a class="tile" id="{tile_id}"(.*?)</a>', html, re.S)
    assert match, tile_id
    return match.group(0)


@pytest.mark.parametrize("role", ["enterprise", "system_admin", "security_admin", "audit_admin"])
def test_enterprise_users_and_administrators_get_403(economy, client, role):
    assert _client(client, economy.users[role]).get(URL).status_code == 403


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and "login" in response["Location"]


def test_leader_sees_the_tiles_with_numbers_and_links(economy, client):
    response = _client(client, economy.users["leader"]).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["period"].label == "2024-06"  # the latest month with figures
    gdp = _tile(html, "tile-gdp")
    gdp_pk = Indicator.objects.get(zone=economy.zone, code="gdp").pk
    assert f'href="{reverse("economy:indicator_detail", args=[gdp_pk])}"' in gdp
    for text in ("320.5亿元", "增长8.2%", "增速较一季度提高0.3个百分点", "高于全市2.9个百分点", "初步", "上半年"):
        assert text in gdp
    signed = _tile(html, "tile-signed_projects")
    assert "3个" in signed and 'href="/projects/statistics/records/?period=2024-06&amp;figure=signed"' in signed
    assert "测试高新区经济运行总览" in html
    # charts' data for the static script, and every chart's table
    data = json.loads(re.search(r'id="economy-dashboard-data" type="application/json">(.*?)</script>', html,
                                re.S).group(1))
    assert {"growth", "targets", "key_projects", "channels", "industries"} <= set(data)
    for table in ("table-growth", "table-targets", "table-key", "table-channels", "table-industries"):
        assert f'id="{table}"' in html
    assert 'id="rollup"' not in html and 'id="zone-select"' not in html
    assert "<script>" not in html  # CSP: no inline script


def test_other_zone_figures_never_shown(economy, client):
    html = _client(client, economy.users["leader"]).get(URL + "?period=2024-06").content.decode()
    assert "88亿元" not in html and "9.0%" not in html  # the other zone's GDP
    assert client.get(URL + "?zone=t2").status_code == 404
    other = _client(client, economy.users["other_staff"]).get(URL + "?period=2024-06").content.decode()
    assert "88亿元" in other and "320.5亿元" not in other
    assert client.get(URL + "?zone=t1").status_code == 404


def test_staff_see_their_zone(economy, client):
    html = _client(client, economy.users["staff_b"]).get(URL).content.decode()
    assert "320.5亿元" in _tile(html, "tile-gdp")  # kept by dept_a, read by the whole zone's staff
    assert "1个" in _tile(html, "tile-signed_projects")  # computed: dept_b's own records


def test_bad_period_shows_a_message_and_the_default(economy, client):
    response = _client(client, economy.users["leader"]).get(URL + "?period=2024-13")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="period-error"' in html and "01–12" in html
    assert response.context["period"].label == "2024-06"
    assert client.get(URL + "?period=<script>").status_code == 200


def test_period_aliases_and_quick_periods(economy, client):
    response = _client(client, economy.users["leader"]).get(URL + "?period=2024Q1")
    assert response.context["period"].label == "2024-03"
    assert "150.2亿元" in _tile(response.content.decode(), "tile-gdp")


def test_zone_without_catalog_says_so(world, client):
    response = _client(client, world.users["leader"]).get(URL)
    assert response.status_code == 200
    assert 'id="no-catalog"' in response.content.decode()


def test_city_user_switches_zones_and_sees_the_ranking(economy, client):
    city = city_user(economy)
    response = _client(client, city).get(URL + "?period=2024-06")
    html = response.content.decode()
    assert 'id="zone-select"' in html and 'id="rollup"' in html
    table = re.search(r'<table class="table rollup" id="rollup-gdp">.*?</table>', html, re.S).group(0)
    assert table.index("另一园区") < table.index("测试高新区")  # 9.0 % ranks before 8.2 %
    other_gdp = Indicator.objects.get(zone=economy.other_zone, code="gdp").pk
    assert reverse("economy:indicator_detail", args=[other_gdp]) in table
    switched = client.get(URL + "?zone=t2&period=2024-06").content.decode()
    assert "另一园区经济运行总览" in switched and "88亿元" in _tile(switched, "tile-gdp")
    assert "zone=t2" in switched  # the quick periods keep the zone
    assert 'id="to-bulletin"' not in switched  # the bulletin page is of the user's own zone
