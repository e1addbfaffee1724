"""The item page: events with the 帮办 mark, segments, obligations, the action forms this user may submit; POSTs
of actions and obligation results; bad input never gives a 500."""

import datetime as dt

import pytest
from django.urls import reverse

from gaoxin.approvals.models import ItemEvent, Obligation

from .cases_data import build_cases

D = dt.date


@pytest.fixture
def data(world):
    return build_cases(world)


def actions(response) -> list[str]:
    return [a["action"] for a in response.context["action_forms"]]


def post_action(client, user, item, action, **fields):
    client.force_login(user)
    payload = {"action": action, **{f"{action}-{k}": v for k, v in fields.items()}}
    return client.post(reverse("approvals:item_action", args=[item.pk]), payload)


def test_forms_are_the_allowed_actions_of_this_user(client, data):
    users = data.users
    land = data.item("social", "land_planning")  # 受理, jsj
    client.force_login(users["staff_jsj"])
    assert actions(client.get(land.get_absolute_url())) == [
        "correction_start", "special_start", "extend", "decide", "withdraw"]
    client.force_login(users["staff_zwzx"])  # the window: only the applicant-side withdraw
    assert actions(client.get(land.get_absolute_url())) == ["withdraw"]
    client.force_login(users["leader"])
    assert actions(client.get(land.get_absolute_url())) == []
    client.force_login(users["enterprise"])
    response = client.get(land.get_absolute_url())
    assert response.status_code == 200 and actions(response) == []
    utilities = data.item("social", "utilities")  # 收件 (zwzx); the case's agent is agent_zwzx
    client.force_login(users["agent_zwzx"])
    forms = client.get(utilities.get_absolute_url()).context["action_forms"]
    assert [(f["action"], f["as_agent"]) for f in forms] == [("accept", False), ("withdraw", True)]


def test_item_page_shows_events_agent_mark_segments_obligations(client, data):
    client.force_login(data.users["staff_jsj"])
    html = client.get(data.item("social", "utilities").get_absolute_url()).content.decode()
    assert 'class="tag agent"' in html and "agent_zwzx" in html
    html = client.get(data.item("social", "land_planning").get_absolute_url()).content.decode()
    assert 'id="table-segments"' in html and "补充界址点坐标" in html and "2025-10-13" in html
    response = client.get(data.item("social", "site").get_absolute_url())
    html = response.content.decode()
    assert 'id="certificate-held"' in html and "土地权属证明材料" in html
    assert response.context["obligations"][0]["form"] is not None  # jsj may record the result
    client.force_login(data.users["enterprise"])
    response = client.get(data.item("social", "site").get_absolute_url())
    assert response.context["obligations"][0]["form"] is None


def test_post_an_action(client, data):
    land = data.item("social", "land_planning")
    response = post_action(client, data.users["staff_jsj"], land, "decide", on="2025-10-17", outcome="通过",
                           note="准予许可")
    assert response.status_code == 302 and response.url == land.get_absolute_url()
    land.refresh_from_db()
    assert (land.state, land.decided_on) == ("通过", D(2025, 10, 17))
    assert ItemEvent.objects.filter(item=land, kind="decide", note="准予许可").exists()


def test_post_extend_and_pause(client, data):
    eia = data.item("social", "eia_report")
    staff = data.users["staff_jsj"]
    assert post_action(client, staff, eia, "extend", on="2025-10-15", wd="3", reason="专家评审").status_code == 302
    assert post_action(client, staff, eia, "special_start", on="2025-10-16", reason="中介服务",
                       waiting_on="中介").status_code == 302
    eia.refresh_from_db()
    assert eia.extension_wd == 3 and eia.state == "特别程序"
    assert post_action(client, staff, eia, "special_end", on="2025-10-17").status_code == 302


@pytest.mark.parametrize(("action", "fields", "message"), [
    ("decide", {"on": "2099-01-01", "outcome": "通过"}, "晚于今天"),
    ("decide", {"on": "2025-09-01", "outcome": "通过"}, "上一次办理记录"),
    ("decide", {"on": "2025-10-17", "outcome": "容缺通过"}, "容缺通过"),
    ("decide", {"on": "not a date", "outcome": "通过"}, "日期"),
    ("decide", {"on": "2025-10-17", "outcome": "乱填"}, "选择"),
    ("extend", {"on": "2025-10-17", "wd": "-1", "reason": "x"}, "1"),
    ("extend", {"on": "2025-10-17", "wd": "2"}, "必填"),
    ("special_start", {"on": "2025-10-17", "reason": "补正", "waiting_on": "部门"}, "选择"),
])
def test_bad_action_input_is_a_400_with_the_reason(client, data, action, fields, message):
    land = data.item("social", "land_planning")
    before = ItemEvent.objects.count()
    response = post_action(client, data.users["staff_jsj"], land, action, **fields)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert ItemEvent.objects.count() == before


def test_refused_actions(client, data):
    land = data.item("social", "land_planning")
    assert post_action(client, data.users["staff_b"], land, "decide", on="2025-10-17",
                       outcome="通过").status_code == 404  # 投资促进局 cannot even read the case
    assert post_action(client, data.users["staff_gfj"], land, "decide", on="2025-10-17",
                       outcome="通过").status_code == 403  # reads the case, not its department
    assert post_action(client, data.users["enterprise"], land, "withdraw", on="2025-10-17").status_code == 403
    assert post_action(client, data.users["leader"], land, "decide", on="2025-10-17",
                       outcome="通过").status_code == 403
    response = post_action(client, data.users["staff_jsj"], land, "approve", on="2025-10-17")
    assert response.status_code == 400 and "未知的办理操作" in response.content.decode()
    # not allowed in this state: 收件 on an accepted item
    response = post_action(client, data.users["staff_jsj"], land, "receive", on="2025-10-17")
    assert response.status_code == 400 and "事项当前为“受理”，不能执行“收件”" in response.content.decode()
    client.force_login(data.users["staff_jsj"])
    assert client.get(reverse("approvals:item_action", args=[land.pk])).status_code == 405
    assert client.post(reverse("approvals:item_action", args=[999999]), {"action": "decide"}).status_code == 404


def test_obligation_result_pages(client, data):
    site = data.item("social", "site")
    obligation = Obligation.objects.get(item=site)
    url = reverse("approvals:obligation_resolve", args=[obligation.pk])
    prefix = f"o{obligation.pk}"
    client.force_login(data.users["staff_zwzx"])  # reads, but not the item's department
    assert client.post(url, {f"{prefix}-outcome": "met", f"{prefix}-on": "2025-09-08"}).status_code == 403
    client.force_login(data.users["enterprise"])
    assert client.post(url, {f"{prefix}-outcome": "met", f"{prefix}-on": "2025-09-08"}).status_code == 403
    client.force_login(data.users["staff_jsj"])
    response = client.post(url, {f"{prefix}-outcome": "failed", f"{prefix}-on": "2025-09-08"})
    assert response.status_code == 400  # not a 容缺 outcome
    response = client.post(url, {f"{prefix}-outcome": "met", f"{prefix}-on": "2025-09-10"})
    assert response.status_code == 400 and "应登记为逾期未补" in response.content.decode()
    response = client.post(url, {f"{prefix}-outcome": "met", f"{prefix}-on": "2025-09-08"})
    assert response.status_code == 302
    site.refresh_from_db()
    assert not site.certificate_held
    assert client.post(reverse("approvals:obligation_resolve", args=[999999]), {}).status_code == 404
