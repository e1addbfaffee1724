"""Officer award pages per role: the list (filters, totals, masking, bulk), the detail with its forms, the
download; and the policy page's award and publicity blocks. Bad parameters never give a 500."""

import datetime as dt
import io
from urllib.parse import unquote

import openpyxl
import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from gaoxin.policies.models import Award, AwardStatus

from .award_world import make_award, make_clause, make_policy

pytestmark = pytest.mark.django_db

ADMINS = ["system_admin", "security_admin", "audit_admin"]
LIST = reverse("policies:award_list")


@pytest.fixture
def login(client, world):
    def as_role(role):
        client.force_login(world.users[role])
        return client

    return as_role


@pytest.fixture
def clause(world):
    return make_clause(make_policy(world))


@pytest.fixture
def awards(world, clause):
    return {
        "confirmed": make_award(clause, world.enterprises["a1"], status=AwardStatus.CONFIRMED),
        "approved": make_award(clause, world.enterprises["a2"], status=AwardStatus.APPROVED, amount="150.25",
                               raw="300", granted="200"),
        "pending": make_award(clause, world.enterprises["a1"], status=AwardStatus.PENDING, year=2025),
    }


def detail(award):
    return reverse("policies:award_detail", args=[award.pk])


@pytest.mark.parametrize("role,status", [("staff_a", 200), ("leader", 200), ("staff_b", 200), ("enterprise", 403),
                                         *((a, 403) for a in ADMINS)])
def test_list_scope(awards, login, role, status):
    assert login(role).get(LIST).status_code == status


def test_list_shows_totals_masked_accounts_and_bulk_checkboxes(awards, login):
    page = login("staff_a").get(LIST).content.decode()
    assert 'id="award-total"' in page and "合计 3 条" in page and "550.25" in page  # 200 + 150.25 + 200
    assert "•••• 5678" in page and "6216610100012345678" not in page
    assert page.count('name="award"') == 2  # confirmed and approved; the pending one cannot move in bulk
    assert 'id="bulk-form"' in page and "policies_awards.js" in page


def test_list_for_other_department_and_leader(awards, login):
    page = login("staff_b").get(LIST).content.decode()
    assert "没有符合条件的兑现记录" in page and "合计 0 条" in page
    page = login("leader").get(LIST).content.decode()
    assert "合计 3 条" in page and 'id="bulk-form"' not in page and 'name="award"' not in page


def test_list_filters(awards, login, world):
    client = login("staff_a")
    page = client.get(LIST, {"status": "已审核"}).content.decode()
    assert "合计 1 条" in page and world.enterprises["a2"].name in page
    page = client.get(LIST, {"enterprise": "企业1", "year": "2025"}).content.decode()
    assert "合计 1 条" in page


@pytest.mark.parametrize("query", [{"year": "abc"}, {"policy": "x", "clause": "-1"}, {"sort": "zzz"},
                                   {"page": "abc"}, {"page": "9999"}, {"status": "<script>"}, {"year": "99999999999"},
                                   {"policy": "99999999999999999999"}])
def test_list_and_download_never_fail_on_bad_params(awards, login, query):
    client = login("staff_a")
    assert client.get(LIST, query).status_code == 200
    assert client.get(reverse("policies:award_download"), query).status_code == 200


def test_download_full_account_for_staff_masked_for_leader(awards, login):
    def rows(role):
        response = login(role).get(reverse("policies:award_download"), {"status": "已确认"})
        assert response["Content-Disposition"].startswith("attachment")
        ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
        return [[c.value for c in row] for row in ws.iter_rows()]

    staff = rows("staff_a")
    assert staff[0][:3] == ["政策", "条款", "企业"] and len(staff) == 2
    assert staff[1][12] == "6216610100012345678"
    assert rows("leader")[1][12] == "•••• 5678"


@pytest.mark.parametrize("role,status", [("staff_a", 200), ("leader", 200), ("staff_b", 404), ("other_staff", 404),
                                         *((a, 403) for a in ADMINS)])
def test_detail_scope(awards, login, role, status):
    assert login(role).get(detail(awards["confirmed"])).status_code == status


def test_detail_shows_the_trace_and_the_forms_by_status(awards, login):
    client = login("staff_a")
    page = client.get(detail(awards["confirmed"])).content.decode()
    assert 'id="award-trace"' in page and "smart_factory_city_new" in page and "规则所用的事实" in page
    assert 'id="approve"' in page and 'id="reject"' in page and 'id="pay"' not in page
    assert "6216610100012345678" in page
    page = client.get(detail(awards["approved"])).content.decode()
    assert 'id="pay"' in page and 'id="approve"' not in page and "已按上限核减" in page and "已按预算核减" in page
    leader = login("leader").get(detail(awards["confirmed"])).content.decode()
    assert 'id="approve"' not in leader and "•••• 5678" in leader and "6216610100012345678" not in leader


def test_approve_reject_and_pay_from_the_page(awards, login):
    client = login("staff_a")
    response = client.post(reverse("policies:award_approve", args=[awards["confirmed"].pk]), {"note": "同意"})
    assert response.status_code == 302
    awards["confirmed"].refresh_from_db()
    assert awards["confirmed"].status == AwardStatus.APPROVED
    pay = reverse("policies:award_pay", args=[awards["approved"].pk])
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    response = client.post(pay, {"paid_on": future, "voucher": "PZ-1"})
    assert response.status_code == 200 and "晚于今天" in response.content.decode()
    response = client.post(pay, {"paid_on": "not a date", "voucher": ""})
    assert response.status_code == 200 and "日期格式" in response.content.decode()
    response = client.post(pay, {"paid_on": timezone.localdate().isoformat(), "voucher": "PZ-1"})
    assert response.status_code == 302
    awards["approved"].refresh_from_db()
    assert awards["approved"].status == AwardStatus.PAID


def test_reject_without_reason_shows_the_form_again(awards, login):
    response = login("staff_a").post(reverse("policies:award_reject", args=[awards["confirmed"].pk]), {"reason": ""})
    assert response.status_code == 200 and "请填写不通过的理由" in response.content.decode()
    awards["confirmed"].refresh_from_db()
    assert awards["confirmed"].status == AwardStatus.CONFIRMED


def test_a_refused_transition_is_shown_not_raised(awards, login):
    response = login("staff_a").post(reverse("policies:award_approve", args=[awards["approved"].pk]), {"note": ""})
    assert response.status_code == 200 and "不能审核通过" in response.content.decode()


@pytest.mark.parametrize("role,status", [("leader", 403), ("staff_b", 404), ("enterprise", 403)])
def test_actions_refused_to_readers_and_strangers(awards, login, role, status):
    response = login(role).post(reverse("policies:award_approve", args=[awards["confirmed"].pk]), {"note": ""})
    assert response.status_code == status
    awards["confirmed"].refresh_from_db()
    assert awards["confirmed"].status == AwardStatus.CONFIRMED


def test_get_on_an_action_is_not_allowed(awards, login):
    assert login("staff_a").get(reverse("policies:award_approve", args=[awards["confirmed"].pk])).status_code == 405


# --- bulk ------------------------------------------------------------------------------------------------------

def test_bulk_approve_from_the_list(world, clause, login):
    a = make_award(clause, world.enterprises["a1"], status=AwardStatus.CONFIRMED)
    b = make_award(clause, world.enterprises["a2"], status=AwardStatus.CONFIRMED)
    response = login("staff_a").post(reverse("policies:award_bulk"), {
        "award": [a.pk, b.pk], "action": "approve", "note": "", "next": LIST + "?status=已确认"}, follow=True)
    assert unquote(response.redirect_chain[-1][0]) == LIST + "?status=已确认"
    assert "已审核通过 2 条兑现记录" in response.content.decode()
    assert set(Award.objects.values_list("status", flat=True)) == {AwardStatus.APPROVED}


def test_bulk_all_or_nothing_message(awards, login, world):
    response = login("staff_a").post(reverse("policies:award_bulk"), {
        "award": [awards["confirmed"].pk, awards["approved"].pk], "action": "approve"}, follow=True)
    page = response.content.decode()
    assert "批量操作未执行" in page and world.enterprises["a2"].name in page
    awards["confirmed"].refresh_from_db()
    assert awards["confirmed"].status == AwardStatus.CONFIRMED


def test_bulk_pay_needs_date_and_voucher(awards, login):
    client = login("staff_a")
    page = client.post(reverse("policies:award_bulk"), {"award": [awards["approved"].pk], "action": "pay",
                                                        "paid_on": "", "voucher": ""}, follow=True).content.decode()
    assert "批量操作未执行" in page and "请填写兑付日期" in page
    client.post(reverse("policies:award_bulk"), {"award": [awards["approved"].pk], "action": "pay",
                                                 "paid_on": timezone.localdate().isoformat(), "voucher": "PZ-9"})
    awards["approved"].refresh_from_db()
    assert awards["approved"].status == AwardStatus.PAID and awards["approved"].voucher == "PZ-9"


@pytest.mark.parametrize("data", [{"award": ["x"], "action": "approve"}, {"action": "approve"},
                                  {"award": ["1"], "action": "explode"}, {"award": ["999999"], "action": "approve"},
                                  {"award": ["1"], "action": "pay", "paid_on": "2024-13-45"},
                                  {"award": ["1"], "action": "approve", "next": "https://evil.example/"}])
def test_bulk_bad_input_is_a_message(awards, login, data):
    response = login("staff_a").post(reverse("policies:award_bulk"), data)
    assert response.status_code == 302 and response["Location"] == LIST


def test_bulk_refused_to_leaders_and_other_departments(awards, login):
    assert login("leader").post(reverse("policies:award_bulk"), {
        "award": [awards["confirmed"].pk], "action": "approve"}).status_code == 403
    response = login("staff_b").post(reverse("policies:award_bulk"), {
        "award": [awards["confirmed"].pk], "action": "approve"}, follow=True)
    assert "不存在或不在您的数据范围内" in response.content.decode()
    awards["confirmed"].refresh_from_db()
    assert awards["confirmed"].status == AwardStatus.CONFIRMED


# --- the policy page's blocks ----------------------------------------------------------------------------------

def test_policy_includes_summarise_awards_and_publicities(awards, world, clause):
    make_award(clause, world.enterprises["b1"], status=AwardStatus.PAID, amount="80")
    request = RequestFactory().get("/")
    request.user = world.users["staff_a"]
    html = render_to_string("policies/includes/policy_awards.html", {"policy": clause.policy}, request=request)
    assert "企业已确认" in html and "已兑付" in html and "630.25" in html  # 200 + 150.25 + 200 + 80
    assert f"?policy={clause.policy_id}&amp;status=%E5%B7%B2%E5%85%91%E4%BB%98" in html
    html = render_to_string("policies/includes/policy_publicities.html", {"policy": clause.policy}, request=request)
    assert 'id="publicity-add"' in html and "1 条待公示" in html
    request.user = world.users["leader"]
    html = render_to_string("policies/includes/policy_publicities.html", {"policy": clause.policy}, request=request)
    assert 'id="publicity-add"' not in html and "尚未发布兑现公示" in html
