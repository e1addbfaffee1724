"""A project from lead to production in the browser: the investment officer records a lead and a follow-up,
signs it (签约即入库), fills in the milestones up to 投产 and raises an issue; the zone leader then finds the
overdue issue on the dashboard and opens it."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gaoxin.investment.models import Lead, LeadStage, Signing
from gaoxin.projects.models import Project, ProjectStage
from gaoxin.projects.services.issues import issue_create
from tests.factories import make_zone_world

from .test_import_flow import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_lead_to_production_and_the_leader_dashboard(page, live_server):
    world = make_zone_world()
    today = timezone.localdate()
    base = live_server.url

    # 1. a lead, with a follow-up, moved to 洽谈
    login(page, live_server, "staff_b")
    page.goto(f"{base}/investment/leads/add/")
    page.fill("#id_name", "渝芯功率半导体模组封测项目")
    page.fill("#id_investor", "渝芯科技集团有限公司")
    page.select_option("#id_channel", "专班招商")
    page.select_option("#id_industry", "集成电路")
    page.fill("#id_expected_investment_wan", "120000")
    page.fill("#id_received_on", (today - dt.timedelta(days=60)).isoformat())
    page.click("form.panel button[type=submit]")
    page.wait_for_url(re.compile(r"/investment/leads/\d+/$"))
    lead = Lead.objects.get(name="渝芯功率半导体模组封测项目")

    follow_ups = page.locator("#follow-ups")
    follow_ups.locator("[name=date]").fill((today - dt.timedelta(days=30)).isoformat())
    follow_ups.locator("[name=method]").select_option("实地考察")
    follow_ups.locator("[name=content]").fill("投资方考察西永片区地块，对标准厂房租金和用电条件满意。")
    follow_ups.locator("button[type=submit]").click()
    expect(page.locator("#follow-ups tbody")).to_contain_text("投资方考察西永片区地块")
    page.click("button:has-text('推进到洽谈')")
    expect(page.locator("body")).to_contain_text("洽谈")

    # 2. signing creates the project
    page.get_by_role("link", name="签约", exact=True).click()
    page.wait_for_url(re.compile(r"/sign/$"))
    page.fill("#id_code", "XM-LIFE-1")
    page.fill("#id_date", (today - dt.timedelta(days=20)).isoformat())
    page.fill("#id_contract_investment_wan", "100000")
    page.click("form.panel button[type=submit]")
    page.wait_for_load_state("networkidle")
    lead.refresh_from_db()
    assert lead.stage == LeadStage.SIGNED
    project = Project.objects.get(code="XM-LIFE-1")
    assert Signing.objects.get(project=project).lead == lead
    assert project.stage == ProjectStage.REGISTERED

    # 3. the milestones, up to 投产
    page.goto(f"{base}/projects/{project.pk}/edit/")
    for field, days_ago in (("land_date", 15), ("start_date", 12), ("completion_date", 5), ("commission_date", 2)):
        page.fill(f"#id_{field}", (today - dt.timedelta(days=days_ago)).isoformat())
    page.click("form.panel button[type=submit]")
    page.wait_for_url(re.compile(rf"/projects/{project.pk}/$"))
    expect(page.locator("h1")).to_contain_text("已投产")
    project.refresh_from_db()
    assert project.stage == ProjectStage.PRODUCING and project.version == 2

    # 4. an issue raised ten days ago with a deadline three days ago is overdue: red on the leader's dashboard
    issue = issue_create(user=world.users["staff_b"], project=project, data={
        "description": "10kV 专线接入审批待办", "category": "要素保障", "responsible_department": world.dept_a,
        "deadline": today - dt.timedelta(days=3), "raised_on": today - dt.timedelta(days=10)})
    leader = page.context.browser.new_context(locale="zh-CN").new_page()
    login(leader, live_server, "leader")
    leader.goto(f"{base}/projects/")
    overdue = leader.locator("section:has(h2:has-text('逾期未解决的问题'))")
    expect(overdue).to_contain_text("10kV 专线接入审批待办")
    expect(overdue).to_contain_text("3")
    overdue.locator("a:has-text('10kV 专线接入审批待办')").click()
    leader.wait_for_url(re.compile(rf"/projects/issues/{issue.pk}/$"))
    expect(leader.locator("body")).to_contain_text("XM-LIFE-1")
