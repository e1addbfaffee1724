"""惠企政策 for the enterprise user: their awards (never 待推送) with the why, confirm and decline, their
applications, the clauses they may apply for, the publicities that name them; scope per role."""

import pytest
from django.urls import reverse

from gaoxin.policies.models import AwardStatus, ClauseMode, PolicyStatus, Publicity

from .award_world import BANK, add_enterprise_user, make_award, make_clause, make_policy

pytestmark = pytest.mark.django_db

MINE = reverse("policies:mine")
ADMINS = ["system_admin", "security_admin", "audit_admin"]


@pytest.fixture
def login(client, world):
    def as_role(role):
        client.force_login(world.users[role])
        return client

    return as_role


@pytest.fixture
def policy(world):
    return make_policy(world)


@pytest.fixture
def clause(policy):
    return make_clause(policy)


@pytest.fixture
def notified(world, clause):
    return make_award(clause, world.enterprises["a1"])


def form_data(award, **changes):
    return {f"confirm-{award.pk}-{k}": v for k, v in {**BANK, **changes}.items()}


@pytest.mark.parametrize("role,status", [("enterprise", 200), ("staff_a", 403), ("leader", 403),
                                         *((a, 403) for a in ADMINS)])
def test_mine_scope(world, login, role, status):
    assert login(role).get(MINE).status_code == status


def test_mine_lists_the_awards_with_why_and_forms(world, login, clause, notified):
    pending = make_award(clause, world.enterprises["a1"], status=AwardStatus.PENDING, year=2025)
    other = make_award(clause, world.enterprises["a2"], status=AwardStatus.NOTIFIED)
    page = login("enterprise").get(MINE).content.decode()
    assert f'id="award-{notified.pk}"' in page
    assert f'id="award-{pending.pk}"' not in page and f'id="award-{other.pk}"' not in page
    assert "2024年 新认定市级智能工厂" in page and "→ 奖励 200.00 万元" in page
    assert 'class="confirm-form"' in page and 'class="decline-form"' in page
    assert f'name="confirm-{notified.pk}-account_number"' in page
    assert world.enterprises["a1"].name in page  # the account name is offered as the registered name


def test_mine_empty(login, world):
    page = login("enterprise").get(MINE).content.decode()
    assert 'id="no-awards"' in page and "暂无申请" in page and "当前没有可申请的条款" in page


def test_confirm_from_the_page(world, login, notified):
    response = login("enterprise").post(reverse("policies:award_confirm", args=[notified.pk]), form_data(notified))
    assert response.status_code == 302 and response["Location"] == MINE
    notified.refresh_from_db()
    assert notified.status == AwardStatus.CONFIRMED and notified.account_number == "6216610100012345678"
    page = login("enterprise").get(MINE).content.decode()
    assert "•••• 5678" in page and 'class="confirm-form"' not in page


def test_confirm_with_a_bad_account_shows_the_form_again(world, login, notified):
    response = login("enterprise").post(reverse("policies:award_confirm", args=[notified.pk]),
                                        form_data(notified, account_number="12ab"))
    page = response.content.decode()
    assert response.status_code == 200 and "银行账号须为 8 至 30 位数字" in page and 'value="12ab"' in page
    notified.refresh_from_db()
    assert notified.status == AwardStatus.NOTIFIED


def test_confirm_get_goes_to_the_award_page(login, notified):
    response = login("enterprise").get(reverse("policies:award_confirm", args=[notified.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("policies:award_detail", args=[notified.pk])
    page = login("enterprise").get(response["Location"]).content.decode()
    assert f'id="award-{notified.pk}"' in page and 'class="confirm-form"' in page


def test_decline_from_the_page(login, notified):
    client = login("enterprise")
    url = reverse("policies:award_decline", args=[notified.pk])
    response = client.post(url, {f"decline-{notified.pk}-reason": ""})
    assert response.status_code == 200 and "请填写放弃原因" in response.content.decode()
    response = client.post(url, {f"decline-{notified.pk}-reason": "已申报同类省级奖励"})
    assert response.status_code == 302
    notified.refresh_from_db()
    assert notified.status == AwardStatus.DECLINED


def test_another_enterprise_or_a_pending_award_is_404(world, login, clause, notified):
    add_enterprise_user(world)
    client = login("ent_a2")
    assert client.post(reverse("policies:award_confirm", args=[notified.pk]), form_data(notified)).status_code == 404
    assert client.post(reverse("policies:award_decline", args=[notified.pk]), {}).status_code == 404
    assert client.get(reverse("policies:award_detail", args=[notified.pk])).status_code == 404
    pending = make_award(clause, world.enterprises["a1"], status=AwardStatus.PENDING, year=2025)
    client = login("enterprise")
    assert client.post(reverse("policies:award_confirm", args=[pending.pk]), form_data(pending)).status_code == 404
    assert client.get(reverse("policies:award_detail", args=[pending.pk])).status_code == 404
    notified.refresh_from_db()
    assert notified.status == AwardStatus.NOTIFIED


def test_officers_cannot_confirm(login, notified):
    assert login("staff_a").post(reverse("policies:award_confirm", args=[notified.pk]),
                                 form_data(notified)).status_code == 403


def test_confirming_twice_is_a_message_not_an_error(login, notified):
    client = login("enterprise")
    client.post(reverse("policies:award_confirm", args=[notified.pk]), form_data(notified))
    response = client.post(reverse("policies:award_confirm", args=[notified.pk]), form_data(notified))
    assert response.status_code == 200 and "不能确认" in response.content.decode()


def test_open_clauses_and_publicities(world, login, policy):
    apply = make_clause(policy, code="first_set", order=2, name="首台套", mode=ClauseMode.APPLICATION, cap="100",
                        evidence="首台套认定文件")
    make_clause(policy, code="off", order=3, name="已停用条款", mode=ClauseMode.APPLICATION, active=False)
    draft = make_policy(world, code="DRAFT", status=PolicyStatus.DRAFT)
    make_clause(draft, code="draft_clause", name="草稿政策条款", mode=ClauseMode.APPLICATION)
    paid = make_award(make_clause(policy, code="rnd", order=4, name="研发机构"), world.enterprises["a1"],
                      status=AwardStatus.PAID)
    other = make_policy(world, code="OTHER")
    theirs = make_award(make_clause(other, code="x"), world.enterprises["a2"], status=AwardStatus.PAID)
    listed = Publicity.objects.create(zone=world.zone, department=world.dept_a, policy=policy, title="本企业所在公示",
                                      start=paid.paid_on, end=paid.paid_on)
    paid.publicity = listed
    paid.save()
    foreign = Publicity.objects.create(zone=world.zone, department=world.dept_a, policy=other, title="别家的公示",
                                       start=paid.paid_on, end=paid.paid_on)
    theirs.publicity = foreign
    theirs.save()
    page = login("enterprise").get(MINE).content.decode()
    assert reverse("policies:application_add", args=[apply.pk]) in page and "首台套认定文件" in page
    assert "已停用条款" not in page and "草稿政策条款" not in page
    assert "本企业所在公示" in page and "别家的公示" not in page
    assert login("enterprise").get(reverse("policies:publicity_detail", args=[listed.pk])).status_code == 200
    assert login("enterprise").get(reverse("policies:publicity_detail", args=[foreign.pk])).status_code == 404
