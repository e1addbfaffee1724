"""Enterprise pages per role: scope, 403/404, writes through the services with one audit record each."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gaoxin.core.audit.models import ChangeAction, ObjectChange
from gaoxin.enterprises.models import Enterprise
from tests.factories import make_enterprise, make_uscc

ADMINS = ["system_admin", "security_admin", "audit_admin"]
LIST_SCOPE = {
    "leader": {"a1", "a2", "b1"},
    "staff_a": {"a1", "a2"},
    "staff_b": {"b1"},
    "enterprise": {"a1"},
    "other_staff": {"other"},
}
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def login(client, world):
    def as_role(role):
        client.force_login(world.users[role])
        return client

    return as_role


def form_data(**overrides):
    data = {"uscc": make_uscc(900), "name": "新登记科技有限公司", "industry_code": "C3971", "size": "规上",
            "registration_date": "2024-03-01", "area": "一号片区", "address": "科学大道 1 号",
            "contact_person": "张三", "contact_phone": "023-12345678", "status": "在营", "message": ""}
    data.update(overrides)
    return data


def edit_data(enterprise, **overrides):
    data = form_data(uscc=enterprise.uscc, name=enterprise.name, industry_code=enterprise.industry_code,
                     size=enterprise.size, area=enterprise.area, registration_date="", address="",
                     contact_person="", contact_phone="", status=enterprise.status)
    data.update(overrides)
    return data


def enterprise_changes():
    return ObjectChange.objects.filter(content_type__model="enterprise")


# Scope ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("role,expected", LIST_SCOPE.items())
def test_list_shows_exactly_the_scoped_rows(world, login, role, expected):
    response = login(role).get(reverse("enterprises:list"))
    assert response.status_code == 200
    shown = {e.pk for e, _category in response.context["rows"]}
    assert shown == {world.enterprises[k].pk for k in expected}
    assert response.context["page_obj"].paginator.count == len(expected)


@pytest.mark.parametrize("role", ADMINS)
@pytest.mark.parametrize("page", ["list", "detail", "add", "edit", "delete"])
def test_administrators_get_403_on_business_pages(world, login, role, page):
    args = [] if page in ("list", "add") else [world.enterprises["a1"].pk]
    assert login(role).get(reverse(f"enterprises:{page}", args=args)).status_code == 403


def test_anonymous_is_sent_to_login(world, client):
    response = client.get(reverse("enterprises:list"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("role,target", [
    ("staff_b", "a1"), ("enterprise", "a2"), ("enterprise", "b1"), ("other_staff", "a1"), ("leader", "other"),
])
@pytest.mark.parametrize("page", ["detail", "edit", "delete"])
def test_rows_out_of_scope_are_404(world, login, role, target, page):
    response = login(role).get(reverse(f"enterprises:{page}", args=[world.enterprises[target].pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("role", ["leader", "enterprise"])
def test_readers_see_no_edit_buttons_and_get_403_on_writes(world, login, role):
    client = login(role)
    a1 = world.enterprises["a1"]
    detail = client.get(reverse("enterprises:detail", args=[a1.pk]))
    assert detail.status_code == 200
    html = detail.content.decode()
    assert reverse("enterprises:edit", args=[a1.pk]) not in html
    assert reverse("enterprises:delete", args=[a1.pk]) not in html
    assert client.get(reverse("enterprises:edit", args=[a1.pk])).status_code == 403
    response = client.post(reverse("enterprises:edit", args=[a1.pk]), edit_data(a1, name="改名"))
    assert response.status_code == 403
    assert client.post(reverse("enterprises:delete", args=[a1.pk]), {"message": ""}).status_code == 403
    assert client.get(reverse("enterprises:add")).status_code == 403
    a1.refresh_from_db()
    assert a1.name != "改名" and not enterprise_changes().exists()


def test_import_links_only_for_department_staff(world, login):
    upload = f"href=\"{reverse('imports:upload', args=['enterprises'])}\""
    assert upload in login("staff_a").get(reverse("enterprises:list")).content.decode()
    leader_page = login("leader").get(reverse("enterprises:list")).content.decode()
    assert upload not in leader_page
    assert reverse("imports:export", args=["enterprises"]) in leader_page


# Filters, sorting, paging ----------------------------------------------------------------------------

@pytest.mark.parametrize("query,expected", [
    ({"size": "规下"}, {"a2"}),
    ({"area": "二号片区"}, {"a2"}),
    ({"industry": "C"}, {"a1", "a2", "b1"}),
    ({"industry": "A"}, set()),
    ({"industry": "397"}, {"a1", "a2", "b1"}),
    ({"q": "测试企业3"}, {"b1"}),
    ({"status": "注销"}, set()),
])
def test_list_filters(world, login, query, expected):
    response = login("leader").get(reverse("enterprises:list"), query)
    assert {e.pk for e, _c in response.context["rows"]} == {world.enterprises[k].pk for k in expected}


def test_search_by_uscc_and_department_filter(world, login):
    client = login("leader")
    a2 = world.enterprises["a2"]
    response = client.get(reverse("enterprises:list"), {"q": a2.uscc[-8:].lower()})
    assert [e.pk for e, _c in response.context["rows"]] == [a2.pk]
    response = client.get(reverse("enterprises:list"), {"department_id": world.dept_b.pk})
    assert [e.pk for e, _c in response.context["rows"]] == [world.enterprises["b1"].pk]


def test_sorting_and_bad_parameters_never_fail(world, login):
    client = login("leader")
    names = [e.name for e, _c in client.get(reverse("enterprises:list"), {"sort": "-name"}).context["rows"]]
    assert names == sorted(names, reverse=True)
    for query in ({"sort": "password"}, {"page": "abc"}, {"page": "999"}, {"department_id": "x"},
                  {"size": "巨型"}, {"registered_after": "2024-13-45"}):
        assert client.get(reverse("enterprises:list"), query).status_code == 200


def test_list_pages_by_50(world, login):
    for n in range(100, 160):
        make_enterprise(world.zone, world.dept_a, n)
    client = login("staff_a")
    first = client.get(reverse("enterprises:list"))
    assert len(first.context["rows"]) == 50 and first.context["page_obj"].paginator.count == 62
    assert len(client.get(reverse("enterprises:list"), {"page": 2}).context["rows"]) == 12


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        client.get(reverse("enterprises:list"))
    return len(ctx.captured_queries)


def test_list_query_count_does_not_grow_with_rows(world, login, django_assert_max_num_queries):
    client = login("leader")
    client.get(reverse("enterprises:list"))  # first request of a session creates the security policy row
    few = _list_queries(client)
    for n in range(100, 160):
        make_enterprise(world.zone, world.dept_a if n % 2 else world.dept_b, n)
    # session, user, security policy, zones read, count, departments, 片区 names, the page's rows
    # (department joined), the zone in the page header, session save: no query per row.
    with django_assert_max_num_queries(14):
        response = client.get(reverse("enterprises:list"))
    assert len(response.context["rows"]) == 50
    assert _list_queries(client) == few


# Detail -----------------------------------------------------------------------------------------------

def test_detail_shows_industry_chain_department_parcels_and_land(world, login):
    a1 = world.enterprises["a1"]
    response = login("staff_a").get(reverse("enterprises:detail", args=[a1.pk]))
    html = response.content.decode()
    for text in ("C 制造业", "39 计算机、通信和其他电子设备制造业", "397 电子器件制造", "3971 电子真空器件制造",
                 "经信局", "P-A1", "6666.67", "10.00"):
        assert text in html
    land = response.context["land"]
    assert str(land.land_m2) == "6666.67" and str(land.land_mu) == "10.00"


def test_detail_bad_as_of_date_explains_and_uses_today(world, login):
    response = login("leader").get(reverse("enterprises:detail", args=[world.enterprises["a1"].pk]),
                                   {"as_of": "2025-02-30"})
    assert response.status_code == 200
    assert "格式错误" in response.content.decode()


# Writes -----------------------------------------------------------------------------------------------

def test_create_writes_one_audit_record_with_the_message(world, login):
    client = login("staff_a")
    response = client.post(reverse("enterprises:add"), form_data(message="新招引企业"))
    created = Enterprise.objects.get(name="新登记科技有限公司")
    assert response.status_code == 302 and response["Location"] == created.get_absolute_url()
    assert created.department == world.dept_a and created.zone == world.zone
    assert created.industry_code == "3971"  # the 门类 letter is accepted and dropped
    record = enterprise_changes().get()
    assert record.action == ChangeAction.CREATE and record.object_id == created.pk
    assert record.prechange_data is None and record.postchange_data["uscc"] == created.uscc
    assert record.message == "新招引企业" and record.user == world.users["staff_a"] and record.via == "web"


def test_edit_writes_one_audit_record_with_before_and_after(world, login):
    a1 = world.enterprises["a1"]
    old_name = a1.name
    response = login("staff_a").post(reverse("enterprises:edit", args=[a1.pk]),
                                     edit_data(a1, name="更名后有限公司", message="工商变更"))
    assert response.status_code == 302
    a1.refresh_from_db()
    assert a1.name == "更名后有限公司"
    record = enterprise_changes().get()
    assert record.action == ChangeAction.UPDATE and record.message == "工商变更"
    assert record.prechange_data["name"] == old_name and record.postchange_data["name"] == "更名后有限公司"
    assert [d[0] for d in record.diff()] == ["name"]


def test_saving_unchanged_form_writes_nothing(world, login):
    a1 = world.enterprises["a1"]
    login("staff_a").post(reverse("enterprises:edit", args=[a1.pk]), edit_data(a1))
    assert not enterprise_changes().exists()


def test_delete_writes_one_audit_record(world, login):
    a2 = world.enterprises["a2"]
    client = login("staff_a")
    assert client.get(reverse("enterprises:delete", args=[a2.pk])).status_code == 200
    response = client.post(reverse("enterprises:delete", args=[a2.pk]), {"message": "重复登记"})
    assert response.status_code == 302 and response["Location"] == reverse("enterprises:list")
    assert not Enterprise.objects.filter(pk=a2.pk).exists()
    record = enterprise_changes().get()
    assert record.action == ChangeAction.DELETE and record.message == "重复登记"
    assert record.prechange_data["uscc"] == a2.uscc and record.postchange_data is None


def test_delete_refused_while_the_enterprise_holds_parcels(world, login):
    a1 = world.enterprises["a1"]
    response = login("staff_a").post(reverse("enterprises:delete", args=[a1.pk]), {"message": ""})
    assert response.status_code == 400
    assert "该企业仍有关联的地块、租赁或用户，不能删除" in response.content.decode()
    assert Enterprise.objects.filter(pk=a1.pk).exists() and not enterprise_changes().exists()


def test_invalid_uscc_is_shown_inline_over_htmx_and_nothing_is_written(world, login):
    bad = make_uscc(900)[:-1] + ("0" if make_uscc(900)[-1] != "0" else "1")
    response = login("staff_a").post(reverse("enterprises:add"), form_data(uscc=bad), **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and html.lstrip().startswith("<form")  # just the form fragment
    assert "校验位错误" in html
    assert "统一社会信用代码为空" not in html  # no message about a value the user did not enter
    assert not Enterprise.objects.filter(name="新登记科技有限公司").exists()
    assert not ObjectChange.objects.exists()


def test_invalid_industry_code_without_htmx_rerenders_the_page(world, login):
    response = login("staff_a").post(reverse("enterprises:add"), form_data(industry_code="397"))
    html = response.content.decode()
    assert response.status_code == 200 and "<html" in html
    assert "是中类代码" in html and "请填写 4 位小类代码" in html
    assert not ObjectChange.objects.exists()


def test_duplicate_uscc_in_the_zone_is_refused(world, login):
    response = login("staff_a").post(reverse("enterprises:add"), form_data(uscc=world.enterprises["b1"].uscc))
    assert "本园区已登记该统一社会信用代码" in response.content.decode()
    assert Enterprise.objects.filter(uscc=world.enterprises["b1"].uscc).count() == 1


def test_validate_only_request_never_saves(world, login):
    response = login("staff_a").post(reverse("enterprises:add") + "?validate=1", form_data(), **HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and '-id_uscc-errors"' in html and "<input" not in html
    assert not Enterprise.objects.filter(name="新登记科技有限公司").exists()


def test_inline_validation_reports_what_was_entered_not_what_is_still_empty(world, login):
    partial = {"uscc": "91500107000000019X", "name": "", "industry_code": "", "size": "", "status": ""}
    response = login("staff_a").post(reverse("enterprises:add") + "?validate=1", partial, **HTMX)
    html = response.content.decode()
    uscc_box = html.split('-id_uscc-errors"')[1].split("</div>\n")[0]
    name_box = html.split('-id_name-errors"')[1].split("</div>\n")[0]
    assert "校验位错误" in uscc_box and "hx-swap-oob" in html
    assert "必填" not in name_box and "<div>" not in name_box
    assert not ObjectChange.objects.exists()


def test_valid_htmx_submit_redirects_the_browser(world, login):
    response = login("staff_a").post(reverse("enterprises:add"), form_data(), **HTMX)
    created = Enterprise.objects.get(name="新登记科技有限公司")
    assert response["HX-Redirect"] == created.get_absolute_url()


def test_form_offers_the_zone_areas(world, login):
    html = login("staff_a").get(reverse("enterprises:add")).content.decode()
    assert '<datalist id="id_area-options"><option value="一号片区"></option><option value="二号片区"></option>' in html


def test_history_is_shown_on_the_detail_page(world, login):
    a1 = world.enterprises["a1"]
    client = login("staff_a")
    client.post(reverse("enterprises:edit", args=[a1.pk]), edit_data(a1, address="新地址 8 号", message="搬迁"))
    html = client.get(reverse("enterprises:detail", args=[a1.pk])).content.decode()
    assert "变更记录" in html and "新地址 8 号" in html and "搬迁" in html
