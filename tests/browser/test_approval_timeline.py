"""The applicant-facing timeline of an approval case: staff open the case page and see the Gantt drawn and the
table's states and remaining working days; the enterprise user sees its own case and gets 404 on another's."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gaoxin.approvals import clock
from gaoxin.core.calendar import work_calendar
from tests.approvals.cases_data import build_cases
from tests.factories import make_zone_world

from .test_import_flow import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def expected_clock(item) -> str:
    """"used / remaining" as the page shows it, computed independently with the clock engine."""
    pauses = tuple((s.start, s.end) for s in item.segments.filter(kind="暂停"))
    answer = clock.item_status(item.accepted_on, item.decided_on, item.limit_wd + item.extension_wd, pauses,
                               item.pause_mode, today=timezone.localdate(), calendar=work_calendar(),
                               provisional=True)
    return f"{answer.used_wd} / {answer.remaining_wd}"


def test_staff_and_applicant_read_the_case_timeline(page, live_server):
    data = build_cases(make_zone_world())
    social, low_risk = data.cases["social"], data.cases["low_risk"]

    login(page, live_server, data.users["staff_zwzx"].username)
    page.goto(f"{live_server.url}{social.get_absolute_url()}")
    expect(page.locator("h1")).to_contain_text("智能装备产业园一期")
    expect(page.locator("[data-chart='case-gantt']")).to_be_visible()
    expect(page.locator("[data-chart='case-gantt'] canvas")).to_have_count(1)  # the Gantt is drawn

    table = page.locator("#table-timeline")
    expect(table.locator("#row-filing .state")).to_contain_text("通过")
    expect(table.locator("#row-site .state")).to_contain_text("容缺通过")
    expect(table.locator("#row-site")).to_contain_text("证照暂缓发放")
    expect(table.locator("#row-energy .state")).to_contain_text("免办")
    expect(table.locator("#row-utilities .state")).to_contain_text("收件")
    expect(table.locator("#row-construction_permit .state")).to_contain_text("待启动")
    expect(table.locator("#row-eia_report .state")).to_contain_text("告知承诺")
    for code in ("land_planning", "eia_report"):
        expect(table.locator(f"#row-{code} .remaining")).to_have_text(expected_clock(data.item("social", code)))
    expect(table.locator("#row-filing .remaining")).to_have_text("0 / 0")

    # the enterprise user of the case reads the same timeline, and nobody else's
    page.context.clear_cookies()
    login(page, live_server, data.world.users["enterprise"].username)
    page.goto(f"{live_server.url}{social.get_absolute_url()}")
    expect(page.locator("[data-chart='case-gantt'] canvas")).to_have_count(1)
    expect(page.locator("#table-timeline #row-site .state")).to_contain_text("容缺通过")
    response = page.goto(f"{live_server.url}{low_risk.get_absolute_url()}")
    assert response.status == 404
    response = page.goto(f"{live_server.url}/approvals/statistics/")
    assert response.status == 403
    page.goto(f"{live_server.url}/approvals/cases/")
    expect(page.locator("body")).to_contain_text("SP-SOCIAL")
    expect(page.locator("body")).not_to_contain_text("SP-LOWRISK")
    assert re.search(r"/approvals/cases/", page.url)
