"""Publicity and appeals end to end: the officer publishes, the enterprise objects with evidence, the officer
accepts one objection (a new version) and rejects another, and after the window finalizes the locked list."""

import re

import pytest
from playwright.sync_api import expect

from gaoxin.evaluation.models import EvaluationData, EvaluationRun, Objection, ObjectionStatus, RunStatus
from gaoxin.evaluation.services import appeals
from tests.evaluation.appeals import appeal_world, move_window
from tests.factories import PASSWORD, make_zone_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def test_publish_object_decide_and_finalize(browser, page, live_server, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    world = make_zone_world()
    run = appeal_world(world)
    evidence = tmp_path / "完税证明.pdf"
    evidence.write_bytes(b"%PDF-1.4\n% stamped by the company\n")

    # the officer publishes the computed run for the default 7 days
    login(page, live_server, "staff_a")
    page.goto(f"{live_server.url}/evaluation/runs/{run.pk}/publicity/")
    expect(page.locator("#publish-form input[name=days]")).to_have_value("7")
    page.click("#publish-form button[type=submit]")
    expect(page.locator("#run-status")).to_have_text("公示中")
    expect(page.locator("#finalize-blockers")).to_contain_text("截止后才能定稿")

    # the enterprise sees its result and files an objection with an evidence file
    enterprise = browser.new_context(locale="zh-CN").new_page()
    login(enterprise, live_server, "ent_a1")
    enterprise.click("nav.modules a:has-text('亩均评价')")
    enterprise.wait_for_url(re.compile(r".*/evaluation/my/$"))
    section = enterprise.locator(f"#year-{run.year}")
    expect(section.locator(".result-class")).to_contain_text("B")
    expect(section.locator("table.indicators")).to_contain_text("亩均税收")
    section.locator("textarea[name$='-text']").fill("2025 年实缴税收应为 400 万元，见完税证明。")
    section.locator("input[type=file]").set_input_files(str(evidence))
    section.locator("button:has-text('提交异议')").click()
    expect(enterprise.locator(".msg.success")).to_contain_text("异议已提交")
    expect(enterprise.locator("table.objections")).to_contain_text("待处理")
    a1_objection = Objection.objects.get(enterprise=world.enterprises["a1"])
    assert a1_objection.evidence.get().original_name == "完税证明.pdf"
    c1_result = run.results.get(enterprise=world.enterprises["c1"])
    appeals.objection_file(user=world.users["ent_c1"], result=c1_result, text="亩均税收计算有误。")

    # the officer corrects a1's data, then accepts its objection: the year is re-run into version 2
    EvaluationData.objects.filter(enterprise=world.enterprises["a1"]).update(tax=400)
    page.goto(f"{live_server.url}/evaluation/runs/{run.pk}/publicity/")
    page.click(f"#objections a:has-text('{world.enterprises['a1'].name}')")
    expect(page.locator("#evidence")).to_contain_text("完税证明.pdf")
    page.fill("textarea[name=accept-reason]", "经核实，税收数据有误，已按完税证明更正。")
    page.click("#accept button[type=submit]")
    expect(page.locator("#objection-status")).to_have_text("已受理")
    expect(page.locator("#decision")).to_contain_text("第 2 版")
    second = EvaluationRun.objects.get(zone=world.zone, year=run.year, version=2)
    run.refresh_from_db()
    assert second.status == RunStatus.PUBLICITY and second.publicity_end == run.publicity_end

    # …and rejects c1's, which moved along to version 2
    page.goto(f"{live_server.url}/evaluation/runs/{second.pk}/publicity/")
    page.click(f"#objections a:has-text('{world.enterprises['c1'].name}')")
    page.fill("textarea[name=reject-reason]", "数据与税务部门一致，不予采纳。")
    page.click("#reject button[type=submit]")
    expect(page.locator("#objection-status")).to_have_text("已驳回")
    assert not Objection.objects.filter(status=ObjectionStatus.PENDING).exists()

    # the enterprise reads the decision and its new score
    enterprise.reload()
    expect(enterprise.locator("table.objections")).to_contain_text("已受理")
    expect(enterprise.locator(f"#year-{run.year} h2")).to_contain_text("第 2 版")
    enterprise.context.close()

    # once the window is over the officer finalizes, and the list is locked
    move_window(second, days_ago=1)
    page.goto(f"{live_server.url}/evaluation/runs/{second.pk}/publicity/")
    page.click("button:has-text('定稿')")
    expect(page.locator("#run-status")).to_have_text("已定稿")
    expect(page.locator("main")).to_contain_text("已锁定")
    result = second.results.get(enterprise=world.enterprises["a1"])
    page.goto(f"{live_server.url}/evaluation/results/{result.pk}/")
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator("form#override")).to_have_count(0)
