"""A department officer logs in, uploads a bad enterprise file, reads the errors, then a good one."""

import csv
import re

import pytest
from playwright.sync_api import expect

from gaoxin.enterprises.models import Enterprise
from tests.factories import PASSWORD, make_uscc, make_zone_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADERS = ["统一社会信用代码*", "企业名称*", "行业代码*", "规模*", "成立日期", "所属片区", "地址", "联系人", "联系电话"]


def write_csv(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(HEADERS)
        writer.writerows(rows)
    return path


def login(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def test_staff_imports_bad_then_good_file(page, live_server, tmp_path):
    world = make_zone_world()
    before = Enterprise.objects.count()
    good_uscc = [make_uscc(500 + i) for i in range(3)]
    bad = write_csv(tmp_path / "bad.csv", [
        [good_uscc[0], "甲科技有限公司", "3971", "规上", "2020-05-01", "一号片区", "", "", ""],
        [good_uscc[1][:-1] + ("0" if good_uscc[1][-1] != "0" else "1"), "乙有限公司", "3971", "规上", "", "", "", "", ""],
        [good_uscc[2], "", "9999", "大型", "2025/13/01", "", "", "", ""],
    ])
    good = write_csv(tmp_path / "good.csv", [
        [good_uscc[0], "甲科技有限公司", "C3971", "规上", "2020-05-01", "一号片区", "", "张三", "13800000000"],
        [good_uscc[1], "乙有限公司", "6513", "规下", "", "二号片区", "", "", ""],
        [good_uscc[2], "丙股份有限公司", "3612", "规上", "2019-01-02", "", "科学大道1号", "", ""],
    ])

    login(page, live_server, world.users["staff_a"].username)
    page.goto(f"{live_server.url}/imports/enterprises/")
    page.set_input_files("input[name=file]", str(bad))
    page.click("button:has-text('导入')")
    errors = page.locator("table.import-errors tbody tr")
    errors.first.wait_for()
    assert errors.count() >= 4  # checksum, missing name, unknown industry code, size, date
    text = page.locator("table.import-errors").inner_text()
    assert "校验位" in text and "企业名称" in text and "9999" in text and "大型" in text
    assert "未写入任何数据" in page.content()
    assert Enterprise.objects.count() == before

    page.set_input_files("input[name=file]", str(good))
    page.click("button:has-text('导入')")
    page.wait_for_url(f"{live_server.url}/enterprises/**")
    assert "导入成功" in page.content()
    assert Enterprise.objects.count() == before + 3
    page.fill("input[name=q]", "丙股份")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*[?&]q=.*"))
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("丙股份有限公司")
