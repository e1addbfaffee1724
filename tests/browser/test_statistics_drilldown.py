"""A zone leader opens the statistics, picks a quick period, clicks a figure and reads the records behind it."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import make_zone_world
from tests.projects.conftest import make_project_world
from tests.projects.statistics_data import build_statistics_world

from .test_import_flow import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_leader_drills_down_from_a_figure(page, live_server):
    world = make_zone_world()
    build_statistics_world(make_project_world(world))
    login(page, live_server, world.users["leader"].username)
    page.goto(f"{live_server.url}/projects/statistics/?period=2024")
    expect(page.locator("#tile-signed .value")).to_contain_text("4")
    page.fill("#period-month", "2024-06")
    page.click("#period-form button[type=submit]")
    page.wait_for_url(re.compile(r"period=2024-06"))
    expect(page.locator("#tile-signed .value")).to_contain_text("3")
    expect(page.locator("#tile-contract")).to_have_attribute("title", "1,019,999.99 万元")
    expect(page.locator("[data-chart='channels'] canvas")).to_have_count(1)  # the pie is drawn

    page.click("#table-key a >> nth=0")  # 市级 key projects
    page.wait_for_url(re.compile(r"statistics/records/"))
    expect(page.locator("#total-plan")).to_have_text("42,000.00")
    expect(page.locator("#total-completion")).to_have_text("32.1%")
    page.click("#records tbody a >> nth=0")
    page.wait_for_url(re.compile(r"/projects/\d+/$"))
