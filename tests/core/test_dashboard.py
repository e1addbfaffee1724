"""The home dashboard: figures within each role's scope, each traceable to its list; admin tools for admins."""

import datetime as dt
import json
import re
import uuid
from decimal import Decimal
from html import unescape
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import timezone

from gaoxin.core.audit.models import SecurityEvent, SecurityEventKind
from gaoxin.core.audit.services import security_event_record
from gaoxin.core.dashboard import business_dashboard
from gaoxin.core.units import m2_to_mu
from tests.factories import make_enterprise, make_parcel

ENTERPRISES = reverse("enterprises:list")
PARCELS = reverse("land:parcel_list")


def dashboard_page(client, user):
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response


def chart_data(response) -> dict:
    match = re.search(r'<script id="dashboard-data" type="application/json">(.*?)</script>', response.text, re.S)
    assert match, "the chart data must be passed through json_script"
    return json.loads(match.group(1))


def table_rows(response, table_id: str) -> list[list[str]]:
    """The body rows of one of the tables under the charts, as the cell texts."""
    table = re.search(rf'<table class="table" id="{table_id}">(.*?)</table>', response.text, re.S).group(1)
    body = re.search(r"<tbody>(.*?)</tbody>", table, re.S).group(1)
    return [
        [unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def tiles(response) -> dict[str, tuple[str, str]]:
    """Tile label → (href, value) for the tiles of the dashboard."""
    found = re.findall(
        r'<a class="tile" href="([^"]*)">\s*<div class="label">(.*?)</div>\s*<div class="value">(.*?) <small',
        response.text, re.S,
    )
    return {label: (unescape(href), value) for href, label, value in found}


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "next=/" in response["Location"]


def test_leader_sees_the_whole_zone_and_nothing_of_another(client, world):
    response = dashboard_page(client, world.users["leader"])
    t = tiles(response)
    assert t["企业总数"] == (ENTERPRISES, "3")
    assert t["其中规上企业"] == (f"{ENTERPRISES}?size={quote('规上')}", "2")
    assert t["地块总数"] == (PARCELS, "3")
    # three parcels of 6666.67 m² each (one 储备, two 已供), none 闲置
    assert t["土地总面积"] == (PARCELS, f"{m2_to_mu(Decimal('20000.01')):,}")
    assert t["已供地面积"] == (f"{PARCELS}?status={quote('已供')}", f"{m2_to_mu(Decimal('13333.34')):,}")
    assert t["闲置地面积"] == (f"{PARCELS}?status={quote('闲置')}", "0.00")
    assert "20,000.01 m²" in response.text

    assert table_rows(response, "table-industry") == [["C 制造业", "3"]]
    assert table_rows(response, "table-area") == [["一号片区", "2"], ["二号片区", "1"]]
    land = {row[0]: row[1:] for row in table_rows(response, "table-land")}
    assert land["储备"] == ["1", f"{m2_to_mu(Decimal('6666.67')):,}", "6,666.67"]
    assert land["已供"] == ["2", f"{m2_to_mu(Decimal('13333.34')):,}", "13,333.34"]
    assert land["闲置"] == ["0", "0.00", "0.00"]
    assert list(land) == ["储备", "已供", "在建", "投产", "闲置"]


def test_every_figure_links_to_the_filtered_list(client, world):
    response = dashboard_page(client, world.users["leader"])
    data = chart_data(response)
    assert data["industry"]["items"] == [{"name": "C 制造业", "value": 3, "url": f"{ENTERPRISES}?industry=C"}]
    assert data["area"]["items"] == [
        {"name": "一号片区", "value": 2, "url": f"{ENTERPRISES}?area={quote('一号片区')}"},
        {"name": "二号片区", "value": 1, "url": f"{ENTERPRISES}?area={quote('二号片区')}"},
    ]
    land = {item["name"]: item for item in data["land"]["items"]}
    assert land["已供"] == {"name": "已供", "area_mu": str(m2_to_mu(Decimal("13333.34"))), "count": 2,
                          "url": f"{PARCELS}?status={quote('已供')}"}
    # the tables under the charts carry the same links
    assert f'href="{ENTERPRISES}?industry=C"' in response.text
    assert f'href="{PARCELS}?status={quote("闲置")}"' in response.text


@pytest.mark.parametrize("role,enterprises,above,parcels", [
    ("staff_a", 2, 1, 2),
    ("staff_b", 1, 1, 1),
    ("enterprise", 1, 1, 1),
])
def test_figures_stay_within_the_scope(client, world, role, enterprises, above, parcels):
    t = tiles(dashboard_page(client, world.users[role]))
    assert t["企业总数"][1] == str(enterprises)
    assert t["其中规上企业"][1] == str(above)
    assert t["地块总数"][1] == str(parcels)


def test_the_other_zone_counts_only_for_a_city_user(client, world):
    leader = world.users["leader"]
    leader.extra_zones.add(world.other_zone)
    t = tiles(dashboard_page(client, leader))
    assert t["企业总数"][1] == "4"
    assert t["地块总数"][1] == "4"


def test_records_without_a_filter_are_counted_but_not_linked(client, world):
    make_enterprise(world.zone, world.dept_a, 50, area="", industry_code="6511", size="规下")
    response = dashboard_page(client, world.users["leader"])
    area_items = {item["name"]: item for item in chart_data(response)["area"]["items"]}
    assert area_items["未填写"]["value"] == 1
    assert area_items["未填写"]["url"] is None
    assert ["未填写", "1"] in table_rows(response, "table-area")
    industry = {item["name"]: item for item in chart_data(response)["industry"]["items"]}
    assert industry["I 信息传输、软件和信息技术服务业"]["url"] == f"{ENTERPRISES}?industry=I"
    assert tiles(response)["企业总数"][1] == "4"


def test_land_by_status_sums_area_per_status(client, world):
    make_parcel(world.zone, world.dept_a, "P-IDLE", holder=world.enterprises["a2"], status="闲置",
                area_m2=Decimal("1500.00"))
    response = dashboard_page(client, world.users["staff_a"])
    assert tiles(response)["闲置地面积"] == (f"{PARCELS}?status={quote('闲置')}", "2.25")
    land = {row[0]: row[1:] for row in table_rows(response, "table-land")}
    assert land["闲置"] == ["1", "2.25", "1,500.00"]


def test_charts_are_rendered_by_the_vendored_echarts_without_inline_script(client, world):
    response = dashboard_page(client, world.users["leader"])
    scripts = re.findall(r"<script([^>]*)>", response.text)
    for attrs in scripts:
        assert 'src="' in attrs or 'type="application/json"' in attrs, attrs
    assert 'src="/static/vendor/echarts/echarts.min.js"' in response.text
    assert 'src="/static/gaoxin/dashboard.js"' in response.text
    for key in ("industry", "area", "land"):
        assert f'data-chart="{key}"' in response.text


def test_empty_scope_shows_no_charts_but_the_land_table(client, world):
    world.users["enterprise"].enterprise.parcels.all().delete()
    response = dashboard_page(client, world.users["enterprise"])
    assert 'data-chart="land"' not in response.text
    assert tiles(response)["地块总数"][1] == "0"


@pytest.mark.parametrize("role,queries", [
    # four aggregate queries, whatever the number of records; a zone leader's scope also looks up
    # the zones the leader may read, once per request
    ("staff_a", 4),
    ("enterprise", 4),
    ("leader", 5),
])
def test_dashboard_queries_do_not_grow_with_the_records(world, role, queries, django_assert_num_queries):
    for n in range(100, 140):
        make_enterprise(world.zone, world.dept_a, n, industry_code=("3971", "6511", "7320")[n % 3],
                        area=f"片区{n % 5}")
        make_parcel(world.zone, world.dept_a, f"P-{n}", status=("储备", "闲置")[n % 2],
                    supply_method=("", "出让")[n % 2])
    user = world.users[role]
    with django_assert_num_queries(queries):
        business_dashboard(user=user)


def test_page_queries_are_few(client, world, django_assert_max_num_queries):
    for n in range(100, 140):
        make_enterprise(world.zone, world.dept_a, n, area=f"片区{n % 5}")
    client.force_login(world.users["leader"])
    client.get(reverse("home"))  # first request of the installation creates the security policy row
    # the dashboard's 8 plus what every page costs (session, user, zone in the header, policy, session save)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("home"))
    assert tiles(response)["企业总数"][1] == "43"


@pytest.mark.parametrize("role", ["system_admin", "security_admin", "audit_admin"])
def test_administrators_read_no_business_figures(client, world, role):
    response = dashboard_page(client, world.users[role])
    assert "dashboard-data" not in response.text
    assert "echarts" not in response.text
    assert "企业总数" not in response.text
    assert world.enterprises["a1"].name not in response.text


def test_system_admin_gets_users_departments_and_calendar(client, world):
    response = dashboard_page(client, world.users["system_admin"])
    assert f'href="{reverse("accounts:user_list")}"' in response.text
    assert f'href="{reverse("accounts:department_list")}"' in response.text
    assert f'href="{reverse("core:calendar_list")}"' in response.text
    # the departments of the admin's own zone, with the accounts in each
    departments = table_rows(response, "table-departments")
    assert departments == [["测试高新区", "jxj", "经信局", "1"], ["测试高新区", "tzcj", "投资促进局", "1"]]
    assert f'href="{reverse("core:audit")}"' not in response.text


def tile_value(response, tile_id: str) -> tuple[str, int]:
    """(href, value) of the admin tile with the given id."""
    match = re.search(rf'<a class="tile" href="([^"]*)" id="{tile_id}">.*?<div class="value">(\d+) <small',
                      response.text, re.S)
    assert match, tile_id
    return unescape(match.group(1)), int(match.group(2))


def test_security_admin_sees_failed_logins_of_the_last_day(client, world):
    recent = security_event_record(kind=SecurityEventKind.LOGIN_FAILED, success=False, user_name="leader")
    security_event_record(kind=SecurityEventKind.LOGIN_FAILED, success=False, user=world.users["staff_a"])
    security_event_record(kind=SecurityEventKind.LOGIN, user=world.users["leader"])
    # another zone's accounts are another security admin's
    security_event_record(kind=SecurityEventKind.LOGIN_FAILED, success=False, user=world.users["other_staff"])
    SecurityEvent(kind=SecurityEventKind.LOGIN_FAILED, success=False, user_name="leader", via="web",
                  request_id=recent.request_id, time=timezone.now() - dt.timedelta(hours=25)).save()
    locked = world.users["staff_b"]
    locked.locked_until = timezone.now() + dt.timedelta(minutes=10)
    locked.save(update_fields=["locked_until"])

    response = dashboard_page(client, world.users["security_admin"])
    assert tile_value(response, "failed-logins") == (f"{reverse('accounts:login_events')}?kind=login_failed", 2)
    assert tile_value(response, "locked-users") == (f"{reverse('accounts:user_list')}?state=locked", 1)
    assert f'href="{reverse("accounts:security_policy")}"' in response.text
    assert f'href="{reverse("core:security_log")}"' not in response.text


def test_audit_admin_sees_todays_counts_with_the_log_links(client, world):
    security_event_record(kind=SecurityEventKind.LOGIN_FAILED, success=False, user_name="leader")
    SecurityEvent(kind=SecurityEventKind.LOGIN_FAILED, success=False, user_name="leader", via="web",
                  request_id=uuid.uuid4(), time=timezone.now() - dt.timedelta(days=2)).save()
    response = dashboard_page(client, world.users["audit_admin"])
    midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    # the world's records were made without services, so no data change is on record
    assert tile_value(response, "changes-today") == (reverse("core:audit"), 0)
    href, events = tile_value(response, "events-today")
    assert href == reverse("core:security_log")
    assert events == SecurityEvent.objects.filter(time__gte=midnight).count()
    assert events == SecurityEvent.objects.count() - 1
    assert "其中登录失败 1 次" in response.text
