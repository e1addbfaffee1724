"""A zone leader opens 经济运行, reads the tiles and charts, follows a tile to the records behind it, then
opens the period's bulletin, reads the preview and downloads the Word file."""

import io
import re

import pytest
from docx import Document
from playwright.sync_api import expect

from tests.economy.test_dashboard_selectors import build_economy_world
from tests.factories import make_zone_world

from .test_import_flow import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "测试高新区2024年上半年经济运行简报"


def test_leader_reads_the_dashboard_and_downloads_the_bulletin(page, live_server):
    world = make_zone_world()
    build_economy_world(world)
    login(page, live_server, world.users["leader"].username)

    page.click("nav.modules >> text=经济运行")
    page.wait_for_url(re.compile(r"/economy/$"))
    # the default period is the latest month with figures: 2024-06
    expect(page.locator("h1")).to_contain_text("2024年上半年")
    gdp = page.locator("#tile-gdp")
    expect(gdp.locator(".value")).to_have_text("320.5亿元")
    expect(gdp).to_contain_text("增长8.2%")
    expect(gdp).to_contain_text("增速较一季度提高0.3个百分点")
    expect(gdp).to_contain_text("高于全市2.9个百分点")
    expect(page.locator("#tile-signed_projects .value")).to_have_text("3个")
    expect(page.locator("[data-chart='growth'] canvas")).to_have_count(1)  # the lines are drawn
    expect(page.locator("[data-chart='targets'] canvas")).to_have_count(1)
    expect(page.locator("#table-targets")).to_contain_text("7.0%")

    # a computed tile opens the records behind it
    page.click("#tile-signed_projects")
    page.wait_for_url(re.compile(r"/projects/statistics/records/\?period=2024-06&figure=signed"))
    expect(page.locator("#records tbody tr")).to_have_count(3)
    page.go_back()
    # an official tile opens its indicator
    page.click("#tile-gdp")
    page.wait_for_url(re.compile(r"/economy/indicators/\d+/$"))
    expect(page.locator("h1")).to_contain_text("地区生产总值")
    page.go_back()

    page.click("#to-bulletin")
    page.wait_for_url(re.compile(r"/economy/bulletin/\?period=2024-06"))
    preview = page.locator("#bulletin-preview")
    expect(preview.locator(".bulletin-title")).to_have_text(TITLE)
    expect(preview).to_contain_text("地区生产总值")
    expect(preview).to_contain_text("增长8.2%")
    expect(preview).to_contain_text("320.5亿元")

    with page.expect_download() as info:
        page.click("#download-docx")
    download = info.value
    assert download.suggested_filename == f"{TITLE}.docx"
    with open(download.path(), "rb") as fh:
        document = Document(io.BytesIO(fh.read()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert TITLE in text and "增长8.2%" in text
