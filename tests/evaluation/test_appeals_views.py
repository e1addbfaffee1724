"""Publicity, objection and "my results" pages per role: scope (404/403), forms with errors, writes via services."""

import datetime as dt
from urllib.parse import quote

import pytest
from django.urls import reverse

from gaoxin.evaluation.models import Objection, ObjectionStatus, RunStatus
from gaoxin.evaluation.selectors.appeals import today
from gaoxin.evaluation.services import appeals

from .appeals import appeal_world, move_window, upload

pytestmark = pytest.mark.django_db

ADMINS = ["system_admin", "security_admin", "audit_admin"]


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
def run(world):
    return appeal_world(world)


@pytest.fixture
def published(world, run):
    return appeals.evaluation_run_publish(user=world.users["staff_a"], run=run)


@pytest.fixture
def objection(world, published):
    result = published.results.get(enterprise=world.enterprises["a1"])
    return appeals.objection_file(user=world.users["enterprise"], result=result, text="税收数据有误。",
                                  files=[upload("完税证明.pdf")])


def publicity_url(run):
    return reverse("evaluation:run_publicity", args=[run.pk])


def objection_url(objection):
    return reverse("evaluation:objection_detail", args=[objection.pk])


def evidence_url(objection, evidence=None):
    evidence = evidence or objection.evidence.get()
    return reverse("evaluation:objection_evidence", args=[objection.pk, evidence.pk])


MY = "/evaluation/my/"


# --- the publicity page ----------------------------------------------------------------------------------

@pytest.mark.parametrize("role,status", [("staff_a", 200), ("leader", 200), ("staff_b", 404), ("other_staff", 404),
                                         ("enterprise", 403), *((a, 403) for a in ADMINS)])
def test_publicity_page_scope(run, login, role, status):
    assert login(role).get(publicity_url(run)).status_code == status


def test_staff_publish_from_the_page(run, login):
    client = login("staff_a")
    page = client.get(publicity_url(run)).content.decode()
    assert 'id="publish-form"' in page and 'name="days"' in page and "尚未公示" in page
    start = today() + dt.timedelta(days=1)
    response = client.post(publicity_url(run), {"start": start.isoformat(), "days": "5", "message": ""})
    assert response.status_code == 302 and response.url == publicity_url(run)
    run.refresh_from_db()
    assert (run.status, run.publicity_start, run.publicity_end) == (RunStatus.PUBLICITY, start,
                                                                    start + dt.timedelta(days=4))
    page = client.get(publicity_url(run)).content.decode()
    assert 'id="publish-form"' not in page and "尚未开始" in page


@pytest.mark.parametrize("data,text", [({"days": "2"}, "须在 3 至 30 天之间"), ({"days": "abc"}, "须为整数"),
                                       ({"days": "7", "start": "2020-01-01"}, "不能早于今天")])
def test_a_bad_window_is_shown_in_the_form(run, login, data, text):
    response = login("staff_a").post(publicity_url(run), {"message": "", **data})
    assert response.status_code == 200 and text in response.content.decode()
    run.refresh_from_db()
    assert run.status == RunStatus.COMPUTED


def test_leaders_read_but_do_not_publish_or_finalize(run, login):
    client = login("leader")
    assert 'id="publish-form"' not in client.get(publicity_url(run)).content.decode()
    assert client.post(publicity_url(run), {"days": "7"}).status_code == 403
    assert client.post(reverse("evaluation:run_finalize", args=[run.pk])).status_code == 403
    run.refresh_from_db()
    assert run.status == RunStatus.COMPUTED


def test_finalize_button_says_why_it_is_disabled(world, objection, published, login):
    client = login("staff_a")
    page = client.get(publicity_url(published)).content.decode()
    assert "截止后才能定稿" in page and "尚有 1 条异议待处理" in page and "disabled" in page
    assert "完税证明" not in page and objection.enterprise.name in page
    finalize = reverse("evaluation:run_finalize", args=[published.pk])
    assert client.get(finalize).status_code == 405
    response = client.post(finalize, follow=True)
    assert "不能定稿" in response.content.decode()
    move_window(published, days_ago=1)
    appeals.objection_reject(user=world.users["staff_a"], objection=objection, reason="不予采纳。")
    assert client.post(finalize).status_code == 302
    published.refresh_from_db()
    assert published.status == RunStatus.FINAL
    page = client.get(publicity_url(published)).content.decode()
    assert "已锁定" in page and "run_finalize" not in page and f'action="{finalize}"' not in page


def test_objection_list_filters_by_status(world, objection, published, login):
    other = appeals.objection_file(user=world.users["ent_c1"], text="x",
                                   result=published.results.get(enterprise=world.enterprises["c1"]))
    appeals.objection_reject(user=world.users["staff_a"], objection=other, reason="不予采纳。")
    client = login("staff_a")
    assert list(client.get(publicity_url(published)).context["objections"]) == [other, objection]
    rejected = client.get(publicity_url(published), {"status": ObjectionStatus.REJECTED})
    assert list(rejected.context["objections"]) == [other]
    assert list(client.get(publicity_url(published), {"status": "nonsense"}).context["objections"]) == [
        other, objection]


# --- an objection ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("role,status", [("staff_a", 200), ("leader", 200), ("enterprise", 200), ("ent_c1", 404),
                                         ("staff_b", 404), ("other_staff", 404), *((a, 403) for a in ADMINS)])
def test_objection_page_scope(objection, login, role, status):
    assert login(role).get(objection_url(objection)).status_code == status


def test_only_the_departments_staff_see_the_decision_forms(objection, login):
    staff = login("staff_a").get(objection_url(objection)).content.decode()
    assert 'name="action" value="accept"' in staff and 'name="action" value="reject"' in staff
    assert "完税证明.pdf" in staff and "先在评价数据中更正" in staff
    for role in ("leader", "enterprise"):
        page = login(role).get(objection_url(objection)).content.decode()
        assert 'name="action"' not in page and "完税证明.pdf" in page


def test_reject_from_the_page(objection, login, world):
    client = login("staff_a")
    response = client.post(objection_url(objection), {"action": "reject", "reject-reason": " ", "reject-message": ""})
    assert response.status_code == 200 and "请填写处理意见" in response.content.decode()
    assert client.post(objection_url(objection), {"action": "nope"}).status_code == 400
    response = client.post(objection_url(objection), {"action": "reject", "reject-reason": "数据无误。",
                                                      "reject-message": ""})
    assert response.status_code == 302
    objection.refresh_from_db()
    assert (objection.status, objection.decision) == (ObjectionStatus.REJECTED, "数据无误。")
    page = login("enterprise").get(MY).content.decode()
    assert "已驳回" in page and "数据无误。" in page


def test_accept_from_the_page_makes_a_new_version(objection, published, login):
    client = login("staff_a")
    response = client.post(objection_url(objection), {"action": "accept", "accept-reason": "已更正税收数据。",
                                                      "accept-message": ""})
    assert response.status_code == 302
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.ACCEPTED and objection.new_run.version == 2
    page = client.get(objection_url(objection)).content.decode()
    assert "第 2 版" in page and 'name="action"' not in page


@pytest.mark.parametrize("role", ["enterprise", "leader", "staff_b"])
def test_others_cannot_decide(objection, login, role):
    response = login(role).post(objection_url(objection), {"action": "reject", "reject-reason": "x"})
    assert response.status_code in (403, 404)
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.PENDING


# --- evidence --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["staff_a", "leader", "enterprise"])
def test_evidence_is_served_as_an_attachment_with_its_chinese_name(objection, login, role):
    response = login(role).get(evidence_url(objection))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert quote("完税证明.pdf") in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")


@pytest.mark.parametrize("role,status", [("ent_c1", 404), ("staff_b", 404), ("other_staff", 404),
                                         *((a, 403) for a in ADMINS)])
def test_evidence_of_objections_out_of_scope_is_not_served(objection, login, role, status):
    assert login(role).get(evidence_url(objection)).status_code == status


def test_evidence_must_belong_to_the_objection_in_the_url(world, objection, published, login):
    other = appeals.objection_file(user=world.users["ent_c1"], text="x", files=[upload("b.pdf")],
                                   result=published.results.get(enterprise=world.enterprises["c1"]))
    client = login("staff_a")
    mixed = reverse("evaluation:objection_evidence", args=[other.pk, objection.evidence.get().pk])
    assert client.get(mixed).status_code == 404
    objection.evidence.get().file.delete(save=False)  # gone from disk: a 404, not a 500
    assert client.get(evidence_url(objection)).status_code == 404


# --- my results ------------------------------------------------------------------------------------------

def test_an_enterprise_sees_nothing_of_an_unpublished_run(run, login, world):
    page = login("enterprise").get(MY)
    assert page.status_code == 200 and page.context["years"] == []
    assert "暂无已公示的评价结果" in page.content.decode()
    result = run.results.get(enterprise=world.enterprises["a1"])
    assert f"{result.score:.4f}" not in page.content.decode()


@pytest.mark.parametrize("role", ["staff_a", "leader", *ADMINS])
def test_my_results_is_for_enterprise_users(login, role):
    assert login(role).get(MY).status_code == 403


def test_my_results_shows_the_result_indicators_and_the_form(world, published, login):
    result = published.results.get(enterprise=world.enterprises["a1"])
    page = login("enterprise").get(MY).content.decode()
    for text in (f"{result.score:.4f}", f"{result.rank} / {result.group_size}", result.final_class, "亩均税收",
                 "亩均增加值", "17.0000", "公示中", 'enctype="multipart/form-data"', "提交异议",
                 published.publicity_end.isoformat()):
        assert text in page, text
    c1 = published.results.get(enterprise=world.enterprises["c1"])
    assert f"{c1.score:.4f}" not in page


def test_the_enterprise_files_from_its_page(world, published, login):
    result = published.results.get(enterprise=world.enterprises["a1"])
    client = login("enterprise")
    prefix = f"r{result.pk}"
    bad = client.post(MY, {"result": result.pk, f"{prefix}-text": "税收有误",
                           f"{prefix}-files": [upload("说明.pdf"), upload("脚本.exe")]})
    assert bad.status_code == 200 and "脚本.exe" in bad.content.decode() and "类型不允许" in bad.content.decode()
    assert not Objection.objects.exists()
    empty = client.post(MY, {"result": result.pk, f"{prefix}-text": ""})
    assert empty.status_code == 200 and "请填写异议内容" in empty.content.decode() and not Objection.objects.exists()
    good = client.post(MY, {"result": result.pk, f"{prefix}-text": "税收有误",
                            f"{prefix}-files": [upload("说明.pdf"), upload("证明.png")]})
    assert good.status_code == 302
    objection = Objection.objects.get()
    assert sorted(objection.evidence.values_list("original_name", flat=True)) == sorted(["说明.pdf", "证明.png"])
    page = client.get(MY).content.decode()
    assert "待处理" in page and "提交异议" not in page  # one pending objection at a time


def test_filing_for_another_enterprises_result_is_404(world, published, login):
    c1 = published.results.get(enterprise=world.enterprises["c1"])
    response = login("enterprise").post(MY, {"result": c1.pk, f"r{c1.pk}-text": "x"})
    assert response.status_code == 404 and not Objection.objects.exists()


def test_after_the_window_the_form_is_gone_and_a_late_post_is_an_error(world, published, login):
    result = published.results.get(enterprise=world.enterprises["a1"])
    move_window(published, days_ago=1)
    client = login("enterprise")
    assert "提交异议" not in client.get(MY).content.decode()
    late = client.post(MY, {"result": result.pk, f"r{result.pk}-text": "x"})
    assert late.status_code == 200 and "已于" in late.content.decode() and not Objection.objects.exists()


def test_enterprise_nav_points_to_my_results(login):
    nav = login("enterprise").get(reverse("home")).context["nav"]
    assert any(item["url"] == MY and item["label"] == "亩均评价" for item in nav)
    assert not any(item["url"] == MY for item in login("staff_a").get(reverse("home")).context["nav"])
