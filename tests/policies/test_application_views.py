"""Application pages per role: apply with files (multipart), the officer's list, detail and review, the
enterprise's resubmission, evidence downloads (scope-checked, original name)."""

from decimal import Decimal
from urllib.parse import quote

import pytest
from django.urls import reverse

from gaoxin.policies.models import Application, ApplicationStatus, AwardStatus, ClauseMode
from gaoxin.policies.services import applications as services

from .award_world import BANK, YEAR, add_enterprise_user, make_clause, make_policy, upload

pytestmark = pytest.mark.django_db
D = Decimal
ADMINS = ["system_admin", "security_admin", "audit_admin"]
LIST = reverse("policies:application_list")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


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
    return make_clause(policy, code="first_set", order=2, name="首台套", mode=ClauseMode.APPLICATION, cap="100",
                       evidence="首台套认定文件\n销售合同")


@pytest.fixture
def application(world, clause):
    return services.application_submit(user=world.users["enterprise"], clause=clause, year=YEAR, data={
        **BANK, "requested_wan": D("80"), "statement": "首台套认定"}, files=[upload("认定文件.pdf")])


def add_url(clause):
    return reverse("policies:application_add", args=[clause.pk])


def detail(application):
    return reverse("policies:application_detail", args=[application.pk])


def post_data(**changes):
    return {"year": str(YEAR), "requested_wan": "80", "statement": "首台套装备通过市级认定", **BANK, **changes}


# --- apply -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("role,status", [("enterprise", 200), ("staff_a", 403), ("leader", 403),
                                         *((a, 403) for a in ADMINS)])
def test_apply_page_scope(clause, login, role, status):
    assert login(role).get(add_url(clause)).status_code == status


def test_apply_page_shows_the_required_evidence_and_multipart(clause, login):
    page = login("enterprise").get(add_url(clause)).content.decode()
    assert 'enctype="multipart/form-data"' in page and 'id="required-evidence"' in page and "销售合同" in page
    assert 'name="files"' in page and 'name="year"' in page


def test_apply_for_an_automatic_or_foreign_clause_is_404(world, policy, login):
    automatic = make_clause(policy)
    assert login("enterprise").get(add_url(automatic)).status_code == 404
    assert login("enterprise").get(reverse("policies:application_add", args=[999999])).status_code == 404


def test_apply_with_files(clause, login, world):
    response = login("enterprise").post(add_url(clause), {**post_data(), "files": [upload("认定文件.pdf"),
                                                                                  upload("合同.pdf")]})
    application = Application.objects.get()
    assert response.status_code == 302 and response["Location"] == detail(application)
    assert application.evidence.count() == 2 and application.enterprise == world.enterprises["a1"]


def test_apply_errors_show_the_form_again(clause, login):
    client = login("enterprise")
    response = client.post(add_url(clause), post_data(requested_wan="150"))
    page = response.content.decode()
    assert response.status_code == 200 and "请上传申请材料" in page
    response = client.post(add_url(clause), {**post_data(requested_wan="150", account_number="12"),
                                              "files": [upload("a.exe")]})
    page = response.content.decode()
    assert response.status_code == 200
    assert "超过该条款的上限" in page and "银行账号须为" in page and "类型不允许" in page
    response = client.post(add_url(clause), {**post_data(year="1999"), "files": [upload()]})
    assert response.status_code == 200 and "选择一个有效的选项" in response.content.decode()
    assert not Application.objects.exists()


# --- officer ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("role,count", [("staff_a", 1), ("leader", 1), ("staff_b", 0), ("enterprise", 1)])
def test_list_scope(application, login, role, count):
    response = login(role).get(LIST)
    assert response.status_code == 200
    assert response.content.decode().count(detail(application)) == count


@pytest.mark.parametrize("query", [{"year": "x"}, {"status": "?"}, {"sort": "nope"}, {"page": "-1"},
                                   {"policy": "abc", "clause": "1e9"}])
def test_list_bad_params(application, login, query):
    assert login("staff_a").get(LIST, query).status_code == 200


def test_list_admins_are_refused(login):
    for admin in ADMINS:
        assert login(admin).get(LIST).status_code == 403


@pytest.mark.parametrize("role,status", [("staff_a", 200), ("leader", 200), ("enterprise", 200), ("staff_b", 404),
                                         ("other_staff", 404), ("ent_a2", 404)])
def test_detail_scope(world, application, login, role, status):
    add_enterprise_user(world)
    assert login(role).get(detail(application)).status_code == status


def test_detail_shows_the_limits_and_review_form_to_the_writer(application, login):
    page = login("staff_a").get(detail(application)).content.decode()
    assert 'id="limits"' in page and 'id="review"' in page and "80.00" in page
    assert "6216610100012345678" in page
    leader = login("leader").get(detail(application)).content.decode()
    assert 'id="review"' not in leader and "•••• 5678" in leader
    own = login("enterprise").get(detail(application)).content.decode()
    assert 'id="review"' not in own and "变更记录" not in own and "6216610100012345678" in own


def test_review_approve_from_the_page(application, login):
    response = login("staff_a").post(reverse("policies:application_review", args=[application.pk]),
                                     {"decision": "approve", "amount_wan": "60", "note": ""})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    assert application.award.status == AwardStatus.APPROVED and application.award.amount_wan == D("60")
    page = login("staff_a").get(detail(application)).content.decode()
    assert application.award.get_absolute_url() in page


def test_review_errors_come_back_on_the_form(application, login):
    client = login("staff_a")
    url = reverse("policies:application_review", args=[application.pk])
    response = client.post(url, {"decision": "approve", "amount_wan": "90"})
    assert response.status_code == 200 and "超过申请金额" in response.content.decode()
    response = client.post(url, {"decision": "return", "note": ""})
    assert response.status_code == 200 and "请填写审核意见" in response.content.decode()
    response = client.post(url, {"decision": "", "amount_wan": "abc"})
    assert response.status_code == 200 and "请选择审核结论" in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


@pytest.mark.parametrize("role,status", [("leader", 403), ("staff_b", 404), ("enterprise", 403)])
def test_review_refused(application, login, role, status):
    response = login(role).post(reverse("policies:application_review", args=[application.pk]),
                                {"decision": "reject", "note": "x"})
    assert response.status_code == status
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


# --- resubmit --------------------------------------------------------------------------------------------------

def test_resubmit_after_return(world, application, login):
    url = reverse("policies:application_resubmit", args=[application.pk])
    response = login("enterprise").get(url)
    assert response.status_code == 302  # not returned: back to the application with a message
    services.application_review(user=world.users["staff_a"], application=application, decision="return",
                                note="请补充销售合同")
    page = login("enterprise").get(detail(application)).content.decode()
    assert 'id="resubmit"' in page and "请补充销售合同" in page
    page = login("enterprise").get(url).content.decode()
    assert "认定文件.pdf" in page and 'value="80.00"' in page
    assert login("staff_a").get(url).status_code == 403
    response = login("enterprise").post(url, {**post_data(requested_wan="500"), "files": [upload("合同.pdf")]})
    assert response.status_code == 200 and "超过该条款的上限" in response.content.decode()
    response = login("enterprise").post(url, {**post_data(), "files": [upload("合同.pdf")]})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED and application.evidence.count() == 2


# --- evidence --------------------------------------------------------------------------------------------------

def test_evidence_download_is_scope_checked_and_keeps_the_name(world, application, login):
    evidence = application.evidence.get()
    url = reverse("policies:evidence_download", args=[evidence.pk])
    for role in ("staff_a", "leader", "enterprise"):
        response = login(role).get(url)
        assert response.status_code == 200
        assert quote("认定文件.pdf") in response["Content-Disposition"]
        assert b"".join(response.streaming_content).startswith(b"%PDF")
    add_enterprise_user(world)
    for role in ("staff_b", "other_staff", "ent_a2"):
        assert login(role).get(url).status_code == 404
    assert login("system_admin").get(url).status_code == 403
    evidence.file.delete(save=False)
    assert login("staff_a").get(url).status_code == 404
