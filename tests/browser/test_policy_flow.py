"""免申即享 end to end, as people click it: the officer writes a clause while the live count says who qualifies,
runs the match and notifies; the enterprise reads why it qualifies and confirms with its bank account; the
officer approves, records the payment, publishes, and archives once the window is over; the enterprise sees
the archived award and the publicity that names it."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from gaoxin.policies.models import (
    Award,
    AwardStatus,
    Clause,
    MatchRun,
    MatchRunStatus,
    Publicity,
    PublicityStatus,
)
from gaoxin.policies.selectors.publicity import today
from tests.factories import PASSWORD, make_zone_world
from tests.policies.award_world import make_policy
from tests.policies.policy_world import project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CONDITION = "smart_factory_city_new >= 1"
WHY = "2024年 新认定市级智能工厂（当年新认定市级智能工厂数：1）→ 奖励 200.00 万元"


def login(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def type_condition(page, text):
    """Type as a person does: the live count listens to key strokes, not to a filled-in value."""
    field = page.locator("#clause-form textarea[name=when]")
    field.fill("")
    field.press_sequentially(text)


def test_clause_match_confirm_pay_publish_archive(browser, page, live_server):
    world = make_zone_world()
    a1 = world.enterprises["a1"]
    # a1 has a 市级 smart factory certified in 2024; a2 one certified at 区级, which the clause does not reward
    project(world, a1, "智能工厂", dt.date(2023, 3, 1), level="市级", certified=dt.date(2024, 5, 1), name="总装智能工厂")
    project(world, world.enterprises["a2"], "智能工厂", dt.date(2023, 3, 1), level="区级",
            certified=dt.date(2024, 6, 1), name="区级工厂")
    policy = make_policy(world)  # 实施中, department jxj, no clause yet
    page.on("dialog", lambda dialog: dialog.accept())  # the data-confirm prompts

    # 1. the officer adds a 免申即享 clause, watching the live count while typing the condition
    login(page, live_server, "staff_a")
    page.click("nav.modules a:has-text('惠企政策')")
    page.click(f"a:has-text('{policy.name}')")
    page.wait_for_url(re.compile(rf".*/policies/{policy.pk}/$"))
    expect(page.locator("#clauses")).to_contain_text("尚无条款")
    page.click("#clauses a:has-text('新增条款')")
    page.wait_for_url(re.compile(r".*/clauses/add/$"))
    page.fill("#clause-form input[name=code]", "smart_factory")
    page.fill("#clause-form input[name=name]", "新认定市级智能工厂")
    page.fill("#clause-form textarea[name=amount_wan]", "200")
    page.fill("#clause-form input[name=cap_wan]", "200")
    page.select_option("#preview-year", "2024")
    type_condition(page, CONDITION)
    expect(page.locator("#preview-count")).to_contain_text("按 2024 年事实表，现有 1 家企业符合，核定金额合计 200.00 万元")
    expect(page.locator("#clause-preview table")).to_contain_text(a1.name)
    expect(page.locator("#clause-preview table")).not_to_contain_text(world.enterprises["a2"].name)

    type_condition(page, "smart_factory_town_new >= 1")
    expect(page.locator("#preview-error")).to_contain_text("smart_factory_town_new")
    expect(page.locator("#preview-count")).to_have_count(0)

    type_condition(page, CONDITION)
    expect(page.locator("#preview-count")).to_contain_text("现有 1 家企业符合")
    page.click("#clause-form button[type=submit]")
    page.wait_for_url(re.compile(rf".*/policies/{policy.pk}/$"))
    expect(page.locator(".msg.success")).to_contain_text("条款已新增")
    clauses = page.locator("#clauses tbody")
    expect(clauses).to_contain_text("smart_factory")
    expect(clauses).to_contain_text(CONDITION)
    expect(clauses).to_contain_text("免申即享")

    # 2. a match run of 2024 from the policy page, then the notice
    page.select_option("#run-form select[name=year]", "2024")
    page.click("#run-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/policies/runs/\d+/$"))
    expect(page.locator("#run-status")).to_have_text("已比对")
    expect(page.locator("#run-matched")).to_have_text("1")
    awards = page.locator("#run-awards tbody tr")
    expect(awards).to_have_count(1)
    expect(awards.first).to_contain_text(a1.name)
    expect(awards.first).to_contain_text("200.00")
    expect(awards.first).to_contain_text("待推送")
    page.click("a:has-text('推送兑现通知')")
    expect(page.locator("main")).to_contain_text("将向企业推送本批次 1 条兑现通知（合计 200.00 万元）")
    page.click("button:has-text('确认推送')")
    page.wait_for_url(re.compile(r".*/policies/runs/\d+/$"))
    expect(page.locator(".msg.success")).to_contain_text("已向企业推送 1 条兑现通知")
    expect(page.locator("#run-status")).to_have_text("已推送")
    expect(awards.first).to_contain_text("已推送")

    # 3. the enterprise sees what it qualifies for and why, and confirms with its account
    enterprise = browser.new_context(locale="zh-CN").new_page()
    login(enterprise, live_server, "ent_a1")
    enterprise.click("nav.modules a:has-text('惠企政策')")
    enterprise.wait_for_url(re.compile(r".*/policies/mine/$"))
    card = enterprise.locator(".award-card")
    expect(card).to_have_count(1)
    expect(card.locator("h3")).to_contain_text("新认定市级智能工厂")
    expect(card.locator("h3 .tag")).to_have_text("已推送")
    expect(card.locator(".why")).to_have_text(WHY)
    expect(card).to_contain_text("免申即享：系统根据已掌握的数据比对，无需申请")
    confirm = card.locator("form.confirm-form")
    expect(confirm.locator("input[name$='-account_name']")).to_have_value(a1.name)
    confirm.locator("input[name$='-bank_name']").fill("中国银行重庆高新支行")
    confirm.locator("input[name$='-account_number']").fill("6216-61")
    confirm.locator("input[name$='-contact']").fill("张三 13800000000")
    confirm.locator("button[type=submit]").click()
    expect(enterprise.locator(".award-card form.confirm-form")).to_contain_text("银行账号须为 8 至 30 位数字")
    assert Award.objects.get().status == AwardStatus.NOTIFIED
    confirm = enterprise.locator(".award-card form.confirm-form")
    # what the enterprise typed comes back with the error, so only the number is typed again
    expect(confirm.locator("input[name$='-bank_name']")).to_have_value("中国银行重庆高新支行")
    confirm.locator("input[name$='-account_number']").fill("6216 6101 0001 2345 678")
    confirm.locator("button[type=submit]").click()
    enterprise.wait_for_url(re.compile(r".*/policies/mine/$"))
    expect(enterprise.locator(".msg.success")).to_contain_text("已确认领取，等待主管部门审核")
    expect(card.locator("h3 .tag")).to_have_text("企业已确认")
    expect(card).to_contain_text("中国银行重庆高新支行")
    expect(card).not_to_contain_text("6216610100012345678")  # the account is shown masked
    expect(card.locator("form.confirm-form")).to_have_count(0)

    # 4. the officer approves in bulk, records the payment on the award page, publishes and archives
    page.click("nav.subnav a:has-text('兑现记录')")
    page.wait_for_url(re.compile(r".*/policies/awards/$"))
    row = page.locator("#award-table tbody tr", has_text=a1.name)
    expect(row.locator(".tag")).to_have_text("企业已确认")
    row.locator("input[name=award]").check()
    page.fill("#bulk-note", "材料齐全")
    page.click("#bulk-actions button[value=approve]")
    expect(page.locator(".msg.success")).to_contain_text("已审核通过 1 条兑现记录")
    expect(row.locator(".tag")).to_have_text("已审核")
    row.locator(f"a:has-text('{a1.name}')").click()
    page.wait_for_url(re.compile(r".*/policies/awards/\d+/$"))
    expect(page.locator("#award-status")).to_have_text("已审核")
    expect(page.locator("#award-account")).to_have_text("6216610100012345678")  # staff see it in full
    expect(page.locator("#pay input[name=paid_on]")).to_have_value(today().isoformat())
    page.fill("#pay input[name=voucher]", "GK-2026-031")
    page.click("#pay button[type=submit]")
    expect(page.locator(".msg.success")).to_contain_text("兑付已登记")
    expect(page.locator("#award-status")).to_have_text("已兑付")

    page.click("a:has-text('政策详情')")
    expect(page.locator("#budget")).to_contain_text("200.00")
    page.click("#publicity-add")
    expect(page.locator("#awaiting")).to_contain_text(a1.name)
    expect(page.locator("form input[name=days]")).to_have_value("7")
    page.fill("form input[name=title]", "2024年度新认定市级智能工厂奖励兑现结果公示")
    page.click("form button[type=submit]:has-text('保存')")
    page.wait_for_url(re.compile(r".*/policies/publicity/\d+/$"))
    expect(page.locator("#publicity-status")).to_contain_text("公示中")
    expect(page.locator("#archive")).to_contain_text("截止后才能归档")
    expect(page.locator("#archive button")).to_have_count(0)

    # a week passes
    publicity = Publicity.objects.get()
    end = today() - dt.timedelta(days=1)
    Publicity.objects.filter(pk=publicity.pk).update(start=end - dt.timedelta(days=6), end=end)
    page.reload()
    expect(page.locator("#publicity-status")).to_contain_text("公示期已满")
    page.click("#archive button:has-text('归档')")
    expect(page.locator(".msg.success")).to_contain_text("公示已归档")
    expect(page.locator("#publicity-status")).to_have_text("已归档")
    listed = page.locator("#publicity-list tbody tr")
    expect(listed).to_have_count(1)
    expect(listed.first).to_contain_text(a1.name)
    expect(listed.first).to_contain_text(a1.uscc)
    expect(listed.first).to_contain_text("200.00")
    expect(page.locator("#publicity-total")).to_have_text("200.00")
    page.click("nav.subnav a:has-text('兑现记录')")
    page.click(f"#award-table a:has-text('{a1.name}')")
    expect(page.locator("#award-status")).to_have_text("已归档")

    # 5. the enterprise sees the archived award and the publicity that names it
    enterprise.reload()
    expect(card.locator("h3 .tag")).to_have_text("已归档")
    expect(card).to_contain_text(f"兑付日期{today().isoformat()}")
    expect(enterprise.locator("#my-publicities")).to_contain_text("2024年度新认定市级智能工厂奖励兑现结果公示")
    expect(enterprise.locator("#my-publicities")).to_contain_text("已归档")
    enterprise.click("#my-publicities a")
    enterprise.wait_for_url(re.compile(r".*/policies/publicity/\d+/$"))
    mine = enterprise.locator("#publicity-list tr.mine")
    expect(mine).to_have_count(1)
    expect(mine).to_contain_text("200.00")
    expect(enterprise.locator("#archive")).to_have_count(0)
    enterprise.context.close()

    # and the database agrees with what was seen
    clause = Clause.objects.get(policy=policy)
    assert (clause.code, clause.when, clause.amount_wan, clause.cap_wan, clause.version) == (
        "smart_factory", CONDITION, "200", Decimal("200.00"), 1)
    run = MatchRun.objects.get(policy=policy)
    assert (run.year, run.status, run.matched, run.paid_wan) == (2024, MatchRunStatus.NOTIFIED, 1, Decimal("200.00"))
    award = Award.objects.get()
    assert (award.enterprise, award.run, award.status, award.amount_wan) == (
        a1, run, AwardStatus.ARCHIVED, Decimal("200.00"))
    assert award.account_number == "6216610100012345678" and award.bank_name == "中国银行重庆高新支行"
    assert award.review_note == "材料齐全" and award.voucher == "GK-2026-031" and award.paid_on == today()
    assert award.facts["smart_factory_city_new"] == 1
    publicity.refresh_from_db()
    assert publicity.status == PublicityStatus.ARCHIVED and publicity.archived_at is not None
    assert award.publicity == publicity
