"""Match run pages per role: start a run from the policy page, read it, notify and void it with confirmation,
download its output in the contract's columns; bad parameters never give a 500."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from gaoxin.policies.models import Award, AwardStatus, MatchRun
from gaoxin.policies.rules import OUTPUT_COLUMNS
from gaoxin.policies.services import runs as services

from .policy_world import RETROFIT, RND, SMART_FACTORY, institution, make_policy, project

pytestmark = pytest.mark.django_db

ADMINS = ["system_admin", "security_admin", "audit_admin"]


@pytest.fixture
def rv(world):
    a1, a2 = world.enterprises["a1"], world.enterprises["a2"]
    project(world, a1, "智能工厂", dt.date(2023, 1, 1), level="市级", certified=dt.date(2024, 5, 1))
    project(world, a1, "智能化改造", dt.date(2024, 1, 1), completed=dt.date(2024, 9, 1), equipment="6000")
    project(world, a2, "智能化改造", dt.date(2024, 1, 1), completed=dt.date(2024, 9, 1), equipment="1234.56")
    institution(world, a1, "市级", dt.date(2024, 3, 1))
    world.policy = make_policy(world, SMART_FACTORY, RETROFIT, RND)
    return world


@pytest.fixture
def run(rv):
    return services.match_run_create(user=rv.users["staff_a"], policy=rv.policy, year=2024)


@pytest.fixture
def login(client, world):
    def as_role(role):
        client.force_login(world.users[role])
        return client

    return as_role


def urls(run) -> dict[str, str]:
    return {name: reverse(f"policies:run_{name}", args=[run.pk]) for name in ("detail", "notify", "cancel", "download")}


def test_staff_start_a_run_from_the_policy_page(rv, login):
    response = login("staff_a").post(reverse("policies:run_add", args=[rv.policy.pk]), {"year": "2024"})
    run = MatchRun.objects.get()
    assert response.status_code == 302 and response["Location"] == run.get_absolute_url()
    assert run.awards.count() == 3


@pytest.mark.parametrize("data,text", [({"year": "2023"}, "不在政策有效期"), ({"year": "abc"}, "请选择"), ({}, "请选择")])
def test_a_refused_run_comes_back_to_the_policy_with_the_reason(rv, login, data, text):
    client = login("staff_a")
    response = client.post(reverse("policies:run_add", args=[rv.policy.pk]), data, follow=True)
    assert response.status_code == 200 and text in response.content.decode()
    assert not MatchRun.objects.exists()


@pytest.mark.parametrize("role,status", [("leader", 403), ("staff_b", 404), ("enterprise", 403), ("other_staff", 404),
                                         ("system_admin", 403)])
def test_others_cannot_start_a_run(rv, login, role, status):
    assert login(role).post(reverse("policies:run_add", args=[rv.policy.pk]), {"year": "2024"}).status_code == status
    assert not MatchRun.objects.exists()


def test_run_add_is_post_only(rv, login):
    assert login("staff_a").get(reverse("policies:run_add", args=[rv.policy.pk])).status_code == 405


@pytest.mark.parametrize("page", ["detail", "download"])
@pytest.mark.parametrize("role", ["leader", "staff_a"])
def test_leaders_and_owning_staff_read(run, login, role, page):
    assert login(role).get(urls(run)[page]).status_code == 200


@pytest.mark.parametrize("page", ["detail", "notify", "cancel", "download"])
@pytest.mark.parametrize("role", [*ADMINS, "enterprise"])
def test_administrators_and_enterprise_users_get_403(run, login, role, page):
    assert login(role).get(urls(run)[page]).status_code == 403


@pytest.mark.parametrize("page", ["detail", "notify", "cancel", "download"])
@pytest.mark.parametrize("role", ["staff_b", "other_staff"])
def test_another_department_or_zone_gets_404(run, login, role, page):
    assert login(role).get(urls(run)[page]).status_code == 404


@pytest.mark.parametrize("page", ["notify", "cancel"])
def test_leaders_cannot_notify_or_cancel(run, login, page):
    client = login("leader")
    assert client.get(urls(run)[page]).status_code == 403
    assert client.post(urls(run)[page], {"reason": "x"}).status_code == 403


def test_detail_shows_totals_awards_rules_and_buttons(rv, run, login):
    body = login("staff_a").get(urls(run)["detail"]).content.decode()
    for text in ("623.46", "单项上限500万元", "其中 1 条因单户上限或预算核减为 0", "[[rule]]",
                 "推送兑现通知", "作废", rv.enterprises["a2"].name, "123.46"):
        assert text in body, text
    leader = login("leader").get(urls(run)["detail"]).content.decode()
    assert "推送兑现通知" not in leader


def test_detail_filters_by_clause_and_ignores_bad_values(rv, run, login):
    client = login("staff_a")
    retrofit = rv.policy.clauses.get(code="retrofit")
    body = client.get(urls(run)["detail"], {"clause": retrofit.pk}).content.decode()
    assert rv.enterprises["a2"].name in body and "新认定市级智能工厂</td>" not in body
    for value in ("abc", "-1", "9" * 30, ""):
        assert client.get(urls(run)["detail"], {"clause": value, "page": "zz"}).status_code == 200


def test_notify_asks_then_sends(run, login):
    client = login("staff_a")
    page = client.get(urls(run)["notify"]).content.decode()
    assert "确认推送" in page and "3 条兑现通知" in page
    assert Award.objects.filter(status=AwardStatus.PENDING).count() == 3
    response = client.post(urls(run)["notify"])
    assert response.status_code == 302
    assert Award.objects.filter(status=AwardStatus.NOTIFIED).count() == 3
    again = client.post(urls(run)["notify"])
    assert again.status_code == 400 and "不能推送" in again.content.decode()
    assert "推送兑现通知" not in client.get(urls(run)["detail"]).content.decode()


def test_cancel_needs_a_reason_then_voids(run, login):
    client = login("staff_a")
    assert "作废原因" in client.get(urls(run)["cancel"]).content.decode()
    response = client.post(urls(run)["cancel"], {"reason": ""})
    assert response.status_code == 200 and Award.objects.count() == 3
    response = client.post(urls(run)["cancel"], {"reason": "事实有误"})
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == "已作废" and not Award.objects.exists()
    assert "批次已作废" in client.get(urls(run)["detail"]).content.decode()
    response = client.post(urls(run)["cancel"], {"reason": "再来一次"})
    assert response.status_code == 200 and "不能作废" in response.content.decode()


def test_download_is_the_contract_csv(rv, run, login):
    response = login("leader").get(urls(run)["download"])
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert not text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == OUTPUT_COLUMNS
    a1, a2 = rv.enterprises["a1"].uscc, rv.enterprises["a2"].uscc
    assert rows[1:] == [
        [a1, "smart_factory", "200.00", "200.00", "200.00", ""],
        [a1, "retrofit", "600.00", "300.00", "300.00", "单项上限500万元；单户上限500万元（已获200万元）"],
        [a2, "retrofit", "123.46", "123.46", "123.46", ""],
    ]
