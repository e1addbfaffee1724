"""The 免申即享 flow end to end — match run → notify → the enterprise sees why and confirms → approve → pay →
publicity → archive — and the 申请 path (apply with evidence → return → resubmit → approve → pay), through the
pages where a person acts, with the budget followed along."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from gaoxin.policies.models import Application, ApplicationStatus, AwardSource, AwardStatus, PublicityStatus
from gaoxin.policies.selectors.budget import budget_for_policy
from gaoxin.policies.selectors.publicity import today
from gaoxin.policies.services import runs as run_services

from .award_world import BANK, upload
from .policy_world import APPLY, RND, SMART_FACTORY, institution, make_policy, project

pytestmark = pytest.mark.django_db
D = Decimal
d = dt.date


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def flow(world, client):
    """2024: a1 a new city smart factory and a new R&D institution; b1 a new R&D institution."""
    a1, b1 = world.enterprises["a1"], world.enterprises["b1"]
    project(world, a1, "智能工厂", d(2023, 1, 1), level="市级", certified=d(2024, 5, 1))
    institution(world, a1, "市级", d(2024, 3, 1))
    institution(world, b1, "区级", d(2024, 4, 1))
    return make_policy(world, SMART_FACTORY, RND, APPLY, budget="20000", entity_cap="500")


def as_user(client, world, role):
    client.logout()
    client.force_login(world.users[role])
    return client


def test_automatic_flow_from_run_to_archive(world, client, flow, monkeypatch):
    policy = flow
    staff = world.users["staff_a"]
    run = run_services.match_run_create(user=staff, policy=policy, year=2024)
    mine = {(a.clause.code, a.amount_wan) for a in run.awards.filter(enterprise=world.enterprises["a1"])}
    assert mine == {("smart_factory", D("200.00")), ("rnd", D("50.00"))}

    # before the notice the enterprise sees nothing
    page = as_user(client, world, "enterprise").get(reverse("policies:mine")).content.decode()
    assert 'id="no-awards"' in page
    run_services.match_run_notify(user=staff, run=run)

    # the enterprise sees what it qualifies for and why, and confirms both with its account
    page = client.get(reverse("policies:mine")).content.decode()
    assert "2024年 新认定市级智能工厂（当年新认定市级智能工厂数：1）→ 奖励 200.00 万元" in page
    awards = list(run.awards.filter(enterprise=world.enterprises["a1"]).order_by("clause__order"))
    for award in awards:
        response = client.post(reverse("policies:award_confirm", args=[award.pk]),
                               {f"confirm-{award.pk}-{k}": v for k, v in BANK.items()})
        assert response.status_code == 302
    # b1 belongs to another department's register but the policy is jxj's: its award waits for its answer
    b1_award = run.awards.get(enterprise=world.enterprises["b1"])
    assert b1_award.status == AwardStatus.NOTIFIED

    # the officer approves both in bulk, then records the payment in bulk
    client = as_user(client, world, "staff_a")
    ids = [a.pk for a in awards]
    client.post(reverse("policies:award_bulk"), {"award": ids, "action": "approve", "note": "材料齐全"})
    client.post(reverse("policies:award_bulk"), {"award": ids, "action": "pay", "paid_on": today().isoformat(),
                                                 "voucher": "GK-2025-031"})
    for award in awards:
        award.refresh_from_db()
        assert award.status == AwardStatus.PAID and award.voucher == "GK-2025-031"
    budget = budget_for_policy(policy=policy)
    assert budget.paid_wan == D("250.00") and budget.committed_wan == D("300.00")  # b1's 50 is still committed

    # publicity of what is paid, then archive once the window is over
    response = client.post(reverse("policies:publicity_add", args=[policy.pk]),
                           {"title": "2024年度兑现结果公示", "days": "7"})
    assert response.status_code == 302
    publicity = policy.publicities.get()
    assert {a.pk for a in publicity.awards.all()} == set(ids)
    page = as_user(client, world, "enterprise").get(reverse("policies:mine")).content.decode()
    assert "2024年度兑现结果公示" in page
    monkeypatch.setattr("gaoxin.policies.selectors.publicity.today", lambda: publicity.end + dt.timedelta(days=1))
    client = as_user(client, world, "staff_a")
    assert client.post(reverse("policies:publicity_archive", args=[publicity.pk])).status_code == 302
    publicity.refresh_from_db()
    assert publicity.status == PublicityStatus.ARCHIVED
    assert set(publicity.awards.values_list("status", flat=True)) == {AwardStatus.ARCHIVED}

    # the history of one award tells the whole story
    page = client.get(reverse("policies:award_detail", args=[ids[0]])).content.decode()
    for step in ("企业确认领取", "审核通过", "已兑付", "列入公示", "公示期满"):
        assert step in page

    # nothing is paid twice: a second run of the same year adds nothing for a1
    second = run_services.match_run_create(user=staff, policy=policy, year=2024)
    assert not second.awards.filter(enterprise=world.enterprises["a1"]).exists()


def test_a_declined_award_frees_the_clause_for_the_next_run(world, client, flow):
    staff = world.users["staff_a"]
    run = run_services.match_run_create(user=staff, policy=flow, year=2024)
    run_services.match_run_notify(user=staff, run=run)
    award = run.awards.get(enterprise=world.enterprises["a1"], clause__code="rnd")
    client = as_user(client, world, "enterprise")
    client.post(reverse("policies:award_decline", args=[award.pk]), {f"decline-{award.pk}-reason": "暂不申领"})
    award.refresh_from_db()
    assert award.status == AwardStatus.DECLINED
    second = run_services.match_run_create(user=staff, policy=flow, year=2024)
    assert list(second.awards.values_list("enterprise__uscc", "clause__code")) == [
        (world.enterprises["a1"].uscc, "rnd")]


def test_application_path(world, client, flow):
    policy = flow
    clause = policy.clauses.get(code="apply")
    client = as_user(client, world, "enterprise")
    page = client.get(reverse("policies:mine")).content.decode()
    add = reverse("policies:application_add", args=[clause.pk])
    assert add in page
    data = {"year": "2024", "requested_wan": "100", "statement": "首台套装备通过市级认定", **BANK}
    response = client.post(add, {**data, "files": [upload("首台套认定文件.pdf")]})
    application = Application.objects.get()
    assert response.status_code == 302

    # the officer returns it for a missing document; the enterprise adds it and resubmits
    client = as_user(client, world, "staff_a")
    review = reverse("policies:application_review", args=[application.pk])
    client.post(review, {"decision": "return", "note": "请补充销售合同"})
    client = as_user(client, world, "enterprise")
    client.post(reverse("policies:application_resubmit", args=[application.pk]),
                {**data, "files": [upload("销售合同.pdf")]})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED and application.evidence.count() == 2

    # approved for less than asked: the award is created 已审核 with the bank data, then paid
    client = as_user(client, world, "staff_a")
    assert client.post(review, {"decision": "approve", "amount_wan": "80", "note": "按合同金额核定"}).status_code == 302
    award = Application.objects.get().award
    assert award.source == AwardSource.APPLICATION and award.status == AwardStatus.APPROVED
    assert award.amount_wan == D("80.00") and award.account_number == "6216610100012345678"
    client.post(reverse("policies:award_pay", args=[award.pk]), {"paid_on": today().isoformat(),
                                                                 "voucher": "GK-1"})
    award.refresh_from_db()
    assert award.status == AwardStatus.PAID
    assert budget_for_policy(policy=policy).paid_wan == D("80.00")

    # the enterprise sees it among what it enjoys, and cannot apply again for the same year
    client = as_user(client, world, "enterprise")
    page = client.get(reverse("policies:mine")).content.decode()
    assert "首台套（依申请，经审核）→ 奖励 80.00 万元" in page
    response = client.post(add, {**data, "files": [upload()]})
    assert response.status_code == 200 and "已享受该条款" in response.content.decode()
