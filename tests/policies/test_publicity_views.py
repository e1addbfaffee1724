"""Publicity pages: publish from the policy (default title, 7 days), the printable list and its download,
archive after the window; scope per role."""

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse

from gaoxin.policies.models import AwardStatus, Publicity, PublicityStatus
from gaoxin.policies.services import publicity as services

from .award_world import add_enterprise_user, make_award, make_clause, make_policy

pytestmark = pytest.mark.django_db
ADMINS = ["system_admin", "security_admin", "audit_admin"]


@pytest.fixture
def login(client, world):
    def as_role(role):
        client.force_login(world.users[role])
        return client

    return as_role


@pytest.fixture
def policy(world):
    policy = make_policy(world)
    clause = make_clause(policy)
    make_award(clause, world.enterprises["a1"], status=AwardStatus.PAID)
    make_award(clause, world.enterprises["a2"], status=AwardStatus.PAID, amount="120.50")
    return policy


def add_url(policy):
    return reverse("policies:publicity_add", args=[policy.pk])


@pytest.mark.parametrize("role,status", [("staff_a", 200), ("leader", 403), ("staff_b", 404), ("enterprise", 403),
                                         *((a, 403) for a in ADMINS)])
def test_add_page_scope(policy, login, role, status):
    assert login(role).get(add_url(policy)).status_code == status


def test_add_page_defaults_and_publish(policy, login):
    client = login("staff_a")
    page = client.get(add_url(policy)).content.decode()
    assert "《推动制造业高质量发展十条措施》2024年度兑现结果公示" in page and 'value="7"' in page
    assert "320.50" in page  # the awards it will take, with their total
    response = client.post(add_url(policy), {"title": "2024年度兑现结果公示", "start": "", "days": "7"})
    publicity = Publicity.objects.get()
    assert response.status_code == 302 and response["Location"] == publicity.get_absolute_url()
    assert (publicity.end - publicity.start).days == 6


def test_add_errors(policy, login):
    client = login("staff_a")
    response = client.post(add_url(policy), {"title": "公示", "days": "3"})
    assert response.status_code == 200 and "5 至 30 天" in response.content.decode()
    response = client.post(add_url(policy), {"title": "公示", "days": "x", "start": "bad"})
    assert response.status_code == 200 and "日期格式" in response.content.decode()
    client.post(add_url(policy), {"title": "公示", "days": "7"})
    response = client.post(add_url(policy), {"title": "再次公示", "days": "7"})
    assert response.status_code == 200 and "没有待公示的兑现记录" in response.content.decode()
    assert Publicity.objects.count() == 1


@pytest.fixture
def publicity(world, policy):
    return services.publicity_create(user=world.users["staff_a"], policy=policy, title="2024年度兑现结果公示", days=7)


@pytest.mark.parametrize("role,status", [("staff_a", 200), ("leader", 200), ("enterprise", 200), ("staff_b", 404),
                                         ("ent_b1", 404), ("other_staff", 404), *((a, 403) for a in ADMINS)])
def test_detail_scope(world, publicity, login, role, status):
    add_enterprise_user(world, "b1", "ent_b1")
    assert login(role).get(publicity.get_absolute_url()).status_code == status
    download = reverse("policies:publicity_download", args=[publicity.pk])
    assert login(role).get(download).status_code == status


def test_detail_is_the_printable_list(world, publicity, login):
    page = login("leader").get(publicity.get_absolute_url()).content.decode()
    assert 'id="publicity-list"' in page and '<style media="print">' in page
    assert world.enterprises["a1"].uscc in page and 'id="publicity-total">320.50' in page
    assert 'id="archive"' not in page
    page = login("staff_a").get(publicity.get_absolute_url()).content.decode()
    assert 'id="archive"' in page and "截止后才能归档" in page


def test_download(world, publicity, login):
    response = login("enterprise").get(reverse("policies:publicity_download", args=[publicity.pk]))
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert rows[0][0] == "2024年度兑现结果公示" and rows[-1][4] == 320.5


def test_archive_from_the_page(world, publicity, login, monkeypatch):
    client = login("staff_a")
    url = reverse("policies:publicity_archive", args=[publicity.pk])
    response = client.post(url, follow=True)
    assert "不能归档" in response.content.decode()
    assert login("leader").post(url).status_code == 403
    monkeypatch.setattr("gaoxin.policies.selectors.publicity.today", lambda: publicity.end + dt.timedelta(days=1))
    page = login("staff_a").get(publicity.get_absolute_url()).content.decode()
    assert 'data-confirm=' in page
    response = login("staff_a").post(url)
    assert response.status_code == 302
    publicity.refresh_from_db()
    assert publicity.status == PublicityStatus.ARCHIVED
    assert set(publicity.awards.values_list("status", flat=True)) == {AwardStatus.ARCHIVED}
