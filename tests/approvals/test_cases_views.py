"""Case pages per role: list with filters and scope, detail (the applicant-facing timeline), opening a case,
opening a 一件事, the 帮办员; bad input never gives a 500."""

import datetime as dt
import json

import pytest
from django.urls import reverse

from gaoxin.approvals.models import ApprovalCase, ItemInstance
from gaoxin.approvals.services.cases import case_assign_agent
from gaoxin.projects.models import Project

from .cases_data import build_cases

D = dt.date
LIST = reverse("approvals:case_list")


@pytest.fixture
def data(world):
    return build_cases(world)


def get(client, user, url, **params):
    client.force_login(user)
    return client.get(url, params)


def codes(response) -> set[str]:
    return {c.code for c in response.context["page_obj"]}


# -- list -----------------------------------------------------------------------------------------------

def test_list_scope_per_role(client, data, world):
    users = data.users
    everything = {"SP-SOCIAL", "SP-LOWRISK", "SP-BUNDLE"}
    assert codes(get(client, users["leader"], LIST)) == everything
    assert codes(get(client, users["staff_zwzx"], LIST)) == everything  # the window received them all
    assert codes(get(client, users["staff_jsj"], LIST)) == {"SP-SOCIAL", "SP-LOWRISK"}  # items of theirs
    assert codes(get(client, users["staff_gfj"], LIST)) == {"SP-SOCIAL", "SP-LOWRISK"}
    assert codes(get(client, users["staff_a"], LIST)) == set()
    assert codes(get(client, users["enterprise"], LIST)) == {"SP-SOCIAL"}  # its own enterprise only
    assert codes(get(client, users["other_staff"], LIST)) == set()
    case_assign_agent(user=users["staff_zwzx"], case=data.cases["low_risk"], agent=users["staff_a"])
    assert codes(get(client, users["staff_a"], LIST)) == {"SP-LOWRISK"}  # the agent's cases
    assert get(client, users["system_admin"], LIST).status_code == 403


def test_list_filters_and_bad_input(client, data):
    staff = data.users["staff_zwzx"]
    assert codes(get(client, staff, LIST, kind="一件事")) == {"SP-BUNDLE"}
    assert codes(get(client, staff, LIST, q="研发楼")) == {"SP-LOWRISK"}
    assert codes(get(client, staff, LIST, q="测试企业2")) == {"SP-BUNDLE"}
    response = get(client, staff, LIST, status="乱填", kind="x", project="abc", sort="-nonsense", page="zz")
    assert response.status_code == 200 and codes(response) == {"SP-SOCIAL", "SP-LOWRISK", "SP-BUNDLE"}
    assert "已忽略该条件" in response.content.decode()
    page = get(client, staff, LIST, sort="progress").content.decode()
    assert "3/12" in page and "3/5" in page and "3/4" in page  # progress: ended items / items


# -- detail ---------------------------------------------------------------------------------------------

def test_detail_is_the_applicant_facing_timeline(client, data):
    case = data.cases["social"]
    url = case.get_absolute_url()
    response = get(client, data.users["enterprise"], url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="approvals-timeline-data"' in html and "approvals_timeline.js" in html and "echarts.min.js" in html
    assert "建设项目用地预审与选址意见书" in html and "证照暂缓发放" in html
    chart = response.context["chart"]
    items = [r for r in chart["rows"] if r["kind"] == "item"]
    assert next(r["label"] for r in chart["rows"] if r["kind"] == "stage") == "1 立项用地规划许可"
    land = next(r for r in items if r["code"] == "land_planning")
    assert land["pauses"] == [["2025-09-25", "2025-10-13"]] and land["start"] == "2025-09-24"
    json.dumps(chart)  # serialisable
    assert response.context["agent_form"] is None  # the applicant cannot assign
    # not its case → 404
    assert get(client, data.users["enterprise"], data.cases["low_risk"].get_absolute_url()).status_code == 404
    assert get(client, data.users["other_staff"], url).status_code == 404
    assert get(client, data.users["staff_a"], url).status_code == 404
    assert get(client, data.users["leader"], url).status_code == 200
    assert get(client, data.users["staff_jsj"], url).status_code == 200
    assert get(client, data.users["leader"], reverse("approvals:case_detail", args=[999999])).status_code == 404


def test_detail_rows_carry_the_clock_columns(client, data):
    response = get(client, data.users["staff_jsj"], data.cases["low_risk"].get_absolute_url())
    rows = {r.item.code: r for r in response.context["timeline"].rows}
    permit = rows["low_risk_permit"]
    assert permit.start == D(2025, 9, 26) and permit.due == D(2025, 9, 30)
    assert permit.clock.status == "逾期" and permit.clock.elapsed_days == (dt.date.today() - D(2025, 9, 26)).days
    assert rows["low_risk_acceptance"].planned and rows["low_risk_acceptance"].start >= permit.due
    assert rows["utilities"].start is None  # withdrawn before acceptance: no bar
    html = response.content.decode()
    assert 'id="row-low_risk_permit"' in html and "逾期" in html


# -- case add -------------------------------------------------------------------------------------------

def test_case_add_per_role(client, data):
    url = reverse("approvals:case_add")
    assert get(client, data.users["staff_jsj"], url).status_code == 200
    assert get(client, data.users["leader"], url).status_code == 403
    assert get(client, data.users["enterprise"], url).status_code == 403


def test_case_add_opens_a_case(client, data, world):
    project = Project.objects.create(zone=world.zone, department=world.dept_b, code="XM-1", name="新能源电池项目",
                                     project_type="产业项目", total_investment_wan=50000,
                                     enterprise=world.enterprises["a1"])
    client.force_login(data.users["staff_zwzx"])
    route = data.route("带方案出让")
    response = client.post(reverse("approvals:case_add"), {
        "route": route.pk, "project": project.pk, "title": "", "start_date": "2025-10-20",
        "area_assessment": "on", "code": ""})
    case = ApprovalCase.objects.get(project=project)
    assert response.status_code == 302 and response.url == case.get_absolute_url()
    assert (case.title, case.enterprise, case.route, case.area_assessment, case.code) == (
        "新能源电池项目", world.enterprises["a1"], route, True, "SP20251020001")
    assert case.items.get(code="energy").state == "免办"


@pytest.mark.parametrize("post", [
    {},
    {"route": "abc", "start_date": "2025-10-20", "title": "x"},
    {"route": "999999", "start_date": "2025-10-20", "title": "x"},
    {"route": "ROUTE", "start_date": "2099-01-01", "title": "x"},
    {"route": "ROUTE", "start_date": "2025-02-30", "title": "x"},
    {"route": "ROUTE", "start_date": "2025-10-20", "title": ""},
    {"route": "ROUTE", "start_date": "2025-10-20", "project": "999999"},
    {"route": "ROUTE", "start_date": "2025-10-20", "title": "x", "code": "SP-SOCIAL"},
])
def test_case_add_bad_input_is_a_form_error(client, data, post):
    post = {k: (str(data.route("社会投资").pk) if v == "ROUTE" else v) for k, v in post.items()}
    client.force_login(data.users["staff_zwzx"])
    before = ApprovalCase.objects.count()
    response = client.post(reverse("approvals:case_add"), post)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert ApprovalCase.objects.count() == before


def test_case_add_route_of_another_zone_is_refused(client, data, world):
    from gaoxin.approvals.models import Catalog, RouteTemplate

    other_catalog = Catalog.objects.create(zone=world.other_zone, version=1, name="别的", status="生效")
    other_route = RouteTemplate.objects.create(catalog=other_catalog, project_type="社会投资", name="r", target_wd=9)
    client.force_login(data.users["staff_zwzx"])
    response = client.post(reverse("approvals:case_add"), {"route": other_route.pk, "start_date": "2025-10-20",
                                                          "title": "x"})
    assert response.status_code == 200 and response.context["form"].errors
    assert not ApprovalCase.objects.filter(route=other_route).exists()


# -- bundle add -----------------------------------------------------------------------------------------

def test_bundle_add(client, data, world):
    url = reverse("approvals:bundle_add")
    bundle = data.bundle()
    client.force_login(data.users["staff_zwzx"])
    page = client.get(url)
    assert page.status_code == 200 and "统一社会信用代码" in page.content.decode()
    a1 = world.enterprises["a1"]
    response = client.post(url, {"bundle": bundle.pk, "enterprise": a1.pk, "start_date": "2025-10-20",
                                 "uscc": a1.uscc, "old_name": a1.name, "new_name": "新名", "legal_representative": "王五",
                                 "phone": "123"})
    case = ApprovalCase.objects.get(kind="一件事", enterprise=a1)
    assert response.status_code == 302 and response.url == case.get_absolute_url()
    assert case.items.filter(state="受理").count() == 4 and case.form_data["new_name"] == "新名"
    # missing a required field: the form says which; nothing written
    response = client.post(url, {"bundle": bundle.pk, "enterprise": a1.pk, "start_date": "2025-10-20",
                                 "uscc": a1.uscc, "old_name": a1.name})
    assert response.status_code == 200 and "new_name" in response.context["form"].errors
    # an enterprise of another zone
    response = client.post(url, {"bundle": bundle.pk, "enterprise": world.enterprises["other"].pk,
                                 "start_date": "2025-10-20", "uscc": "x", "old_name": "x", "new_name": "x",
                                 "legal_representative": "x", "phone": "x"})
    assert response.status_code == 200 and response.context["form"].errors
    assert ApprovalCase.objects.filter(kind="一件事").count() == 2  # the shared data's + the one above
    assert client.get(url, {"bundle": "999999"}).status_code == 400
    assert client.get(url, {"bundle": "abc"}).status_code == 400
    assert get(client, data.users["enterprise"], url).status_code == 403
    assert get(client, data.users["leader"], url).status_code == 403


# -- agent ----------------------------------------------------------------------------------------------

def test_agent_assignment_page(client, data):
    case = data.cases["low_risk"]
    url = reverse("approvals:case_agent", args=[case.pk])
    client.force_login(data.users["staff_zwzx"])
    assert client.get(case.get_absolute_url()).context["agent_form"] is not None
    response = client.post(url, {"agent": data.users["staff_a"].pk})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.agent == data.users["staff_a"]
    response = client.post(url, {"agent": "abc"}, follow=True)
    assert "请从列表中选择帮办员" in response.content.decode()
    client.post(url, {"agent": ""})
    case.refresh_from_db()
    assert case.agent is None
    client.force_login(data.users["staff_jsj"])  # can read the case, cannot assign
    assert client.post(url, {"agent": data.users["staff_a"].pk}).status_code == 403
    assert client.get(url).status_code in (403, 405)
    client.force_login(data.users["enterprise"])
    assert client.post(url, {"agent": data.users["staff_a"].pk}).status_code == 403


def test_items_of_a_case_are_readable_with_it(client, data):
    item = ItemInstance.objects.get(case=data.cases["bundle"], code="name_change")
    assert get(client, data.users["staff_zwzx"], item.get_absolute_url()).status_code == 200
    assert get(client, data.users["staff_jsj"], item.get_absolute_url()).status_code == 404
    assert get(client, data.users["enterprise"], item.get_absolute_url()).status_code == 404
