"""智改数转 → 期间统计: department staff type a period, read the counts, and each count opens the list of exactly
the records it counts; a period that cannot be read is said so on the page, never an error page."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from gaoxin.transformation.models import TransformationProject
from tests.factories import PASSWORD, make_zone_world
from tests.policies.policy_world import institution, project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

d = dt.date


def login(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def register(world):
    """Records on both edges of 2024-01-01 … 2024-06-30 (the period 2024-06), of department jxj unless noted."""
    a1, a2 = world.enterprises["a1"], world.enterprises["a2"]
    project(world, a1, "智能化改造", d(2024, 1, 1), name="焊装线智能化改造")  # first day: counts
    project(world, a2, "智能化改造", d(2024, 6, 30), name="仓储智能化改造")  # last day: counts
    project(world, a1, "智能化改造", d(2024, 7, 1), name="涂装智能化改造")  # a day late
    project(world, a2, "数字化改造", d(2023, 12, 31), name="ERP升级改造")  # a day early
    project(world, a1, "数字化改造", d(2024, 3, 15), name="MES数字化改造")
    # certified kinds count on the day they are recognised, with a level
    project(world, a1, "智能工厂", d(2023, 2, 1), level="市级", certified=d(2024, 6, 30), name="总装智能工厂")
    project(world, a2, "智能工厂", d(2023, 5, 1), level="区级", certified=d(2024, 1, 1), name="机加智能工厂")
    project(world, a2, "数字化车间", d(2024, 2, 1), level="市级", certified=d(2024, 7, 1), name="压铸数字化车间")
    project(world, a1, "数字化生产线", d(2024, 3, 1), name="电池数字化生产线")  # not recognised yet
    institution(world, a1, "市级", d(2024, 6, 30), name="企业技术中心甲")
    institution(world, a1, "区级", d(2024, 2, 1), name="企业技术中心乙")
    institution(world, a2, "市级", d(2024, 7, 1), name="企业技术中心丙")
    # another department's retrofit in the period: not in the counts of jxj's staff, nor in their lists
    TransformationProject.objects.create(zone=world.zone, department=world.dept_b, enterprise=world.enterprises["b1"],
                                         name="投促局登记的改造", kind="智能化改造", started_on=d(2024, 5, 1))


def listed(page, table_id: str) -> list[str]:
    """The second column (the record's name) of every row of the list."""
    rows = page.locator(f"#{table_id} tbody tr")
    return sorted(rows.nth(i).locator("td").nth(1).inner_text().strip() for i in range(rows.count()))


def test_counts_and_their_records(page, live_server):
    world = make_zone_world()
    register(world)
    login(page, live_server, "staff_a")
    page.click("nav.modules a:has-text('智改数转')")
    page.wait_for_url(re.compile(r".*/transformation/$"))
    page.click("nav.subnav a:has-text('期间统计')")
    page.wait_for_url(re.compile(r".*/transformation/counts/$"))

    page.fill("#period-input", "2024-06")
    page.click("#period-form button[type=submit]")
    page.wait_for_url(re.compile(r"period=2024-06"))
    expect(page.locator("h1")).to_contain_text("2024-01-01 至 2024-06-30")
    started = page.locator("#table-started")
    expect(started.locator("tr", has_text="智能化改造").locator("a")).to_have_text("2")
    expect(started.locator("tr", has_text="数字化改造").locator("a")).to_have_text("1")
    expect(started.locator("tr", has_text="绿色化改造").locator("a")).to_have_text("0")
    expect(started.locator("tfoot")).to_contain_text("3")
    certified = page.locator("#table-certified tbody tr")
    expect(certified).to_have_count(2)
    expect(certified.nth(0)).to_contain_text("市级")
    expect(certified.nth(0)).to_contain_text("智能工厂")
    expect(certified.nth(0).locator("a")).to_have_text("1")
    expect(certified.nth(1)).to_contain_text("区级")
    expect(certified.nth(1).locator("a")).to_have_text("1")
    expect(page.locator("#table-certified tfoot tr", has_text="智能工厂").locator("th.num")).to_have_text("2")
    expect(page.locator("#table-certified tbody")).not_to_contain_text("数字化车间")  # recognised in July
    institutions = page.locator("#table-institutions")
    expect(institutions.locator("a")).to_have_text("2")
    expect(institutions.locator("tr", has_text="设立研发机构的企业")).to_contain_text("1")

    # each count opens exactly the records it counts
    started.locator("tr", has_text="智能化改造").locator("a").click()
    page.wait_for_url(re.compile(r".*/transformation/\?.*started_after=2024-01-01"))
    expect(page.locator("#project-table tbody tr")).to_have_count(2)
    assert listed(page, "project-table") == sorted(["焊装线智能化改造", "仓储智能化改造"])
    expect(page.locator("#project-total")).to_contain_text("合计 2 个项目")
    page.go_back()

    page.locator("#table-started tr", has_text="数字化改造").locator("a").click()
    page.wait_for_url(re.compile(r".*/transformation/\?"))
    expect(page.locator("#project-table tbody tr")).to_have_count(1)
    assert listed(page, "project-table") == ["MES数字化改造"]
    page.go_back()

    page.locator("#table-certified tbody tr").nth(0).locator("a").click()
    page.wait_for_url(re.compile(r".*/transformation/\?.*certified_after=2024-01-01"))
    expect(page.locator("#project-table tbody tr")).to_have_count(1)
    assert listed(page, "project-table") == ["总装智能工厂"]
    page.go_back()

    page.locator("#table-institutions a").click()
    page.wait_for_url(re.compile(r".*/transformation/institutions/\?"))
    expect(page.locator("#institution-table tbody tr")).to_have_count(2)
    assert listed(page, "institution-table") == sorted(["企业技术中心甲", "企业技术中心乙"])
    expect(page.locator("#institution-total")).to_contain_text("合计 2 个研发机构，涉及 1 家企业")
    page.go_back()

    # a period that cannot be read: the reason, the default period below it, no error page
    page.fill("#period-input", "2024-13")
    page.click("#period-form button[type=submit]")
    page.wait_for_url(re.compile(r"period=2024-13"))
    expect(page.locator("#period-error")).to_contain_text("期间“2024-13”的月份应为 01–12")
    expect(page.locator("#period-error")).to_contain_text("下面显示默认期间")
    expect(page.locator("#period-input")).to_have_value("2024-13")
    expect(page.locator("#table-started")).to_be_visible()
    response = page.goto(f"{live_server.url}/transformation/counts/?period=上半年")
    assert response.status == 200
    expect(page.locator("#period-error")).to_contain_text("无法识别")

    # and the whole year, typed as 2024H2, takes in the July records
    page.fill("#period-input", "2024H2")
    page.click("#period-form button[type=submit]")
    page.wait_for_url(re.compile(r"period=2024H2"))
    expect(page.locator("#period-error")).to_have_count(0)
    expect(page.locator("#table-started tr", has_text="智能化改造").locator("a")).to_have_text("3")
    expect(page.locator("#table-certified tbody tr", has_text="数字化车间").locator("a")).to_have_text("1")
    expect(page.locator("#table-institutions a")).to_have_text("3")
    expect(page.locator("#table-institutions tr", has_text="设立研发机构的企业")).to_contain_text("2")
