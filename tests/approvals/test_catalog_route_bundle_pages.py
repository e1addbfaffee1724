"""The route and 一件事 edit pages of a catalog: per role, draft vs active, validation (a bad form-field
line, an item of another catalog), the audit row, bad pks."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from gaoxin.accounts.models import Department
from gaoxin.approvals.forms_catalog import parse_form_fields
from gaoxin.approvals.models import BundleDef, ItemDef, ProjectType, RouteTemplate
from gaoxin.approvals.services import catalog as services
from gaoxin.core.audit.models import ChangeAction, ObjectChange


@pytest.fixture
def active(world):
    for code, name in (("gfj", "改革发展局"), ("jsj", "建设局"), ("zwzx", "政务服务中心")):
        Department.objects.create(zone=world.zone, code=code, name=name)
    return services.catalog_install_default(zone=world.zone)


@pytest.fixture
def draft(active):
    return services.catalog_copy(user=None, catalog=active)


def as_user(client, world, key):
    client.force_login(world.users[key])
    return client


def text(response) -> str:
    return response.content.decode()


def route_of(catalog, project_type=ProjectType.LOW_RISK):
    return RouteTemplate.objects.get(catalog=catalog, project_type=project_type)


def route_url(route):
    return reverse("approvals:route_edit", args=[route.pk])


def bundle_url(bundle):
    return reverse("approvals:bundle_edit", args=[bundle.pk])


def items(catalog, *codes):
    return [ItemDef.objects.get(catalog=catalog, code=c) for c in codes]


def changes(obj):
    """The update rows of `obj` (install and copy wrote its creation row)."""
    return ObjectChange.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk,
                                       action=ChangeAction.UPDATE)


def route_data(route, **over):
    data = {"name": route.name, "target_wd": route.target_wd, "items": [i.pk for i in route.items.all()],
            "message": ""}
    return {**data, **over}


def bundle_data(bundle, **over):
    data = {"name": bundle.name, "anchor": bundle.anchor_id, "items": [i.pk for i in bundle.items.all()],
            "form_fields": "uscc|统一社会信用代码|必填\nnew_name|新名称|必填\nphone|联系电话",
            "materials": "变更登记申请书\n营业执照正副本", "message": ""}
    return {**data, **over}


# --- the route page -----------------------------------------------------------------------------------

def test_route_edit_on_a_draft_saves_and_audits(client, world, draft):
    c = as_user(client, world, "staff_b")
    route = route_of(draft)
    page = c.get(route_url(route))
    assert page.status_code == 200
    html = text(page)
    assert 'id="route-form"' in html and 'id="route-chain-wd"' in html
    assert "阶段 1" in html and "（即办）" in html and "承诺" in html  # grouped by stage, limits shown
    assert 'id="route-over-target"' not in html  # the default low-risk chain (8 WD) is under 15

    new_items = items(draft, "filing", "low_risk_permit", "utilities", "low_risk_acceptance")
    response = c.post(route_url(route), route_data(route, name="简易低风险（2026）", target_wd=12,
                                                   items=[i.pk for i in new_items], message="取消环评登记"))
    assert response.status_code == 302 and response["Location"] == f"{draft.get_absolute_url()}#route-{route.pk}"
    route.refresh_from_db()
    assert (route.name, route.target_wd) == ("简易低风险（2026）", 12)
    assert {i.code for i in route.items.all()} == {i.code for i in new_items}
    row = changes(route).get()
    assert row.user == world.users["staff_b"]
    eia = ItemDef.objects.get(catalog=draft, code="eia_registration")
    assert row.message.startswith("取消环评登记") and f"删除 {eia.name}" in row.message
    # the catalog page links to the route's form with 修改 on a draft
    detail = text(c.get(draft.get_absolute_url()))
    assert f'href="{route_url(route)}"' in detail and f'id="route-edit-{route.pk}">修改<' in detail


def test_route_over_target_is_warned(client, world, draft):
    c = as_user(client, world, "staff_a")
    route = route_of(draft, ProjectType.SOCIAL)
    response = c.post(route_url(route), route_data(route, target_wd=10), follow=True)
    assert response.status_code == 200 and "超过全流程目标 10 个工作日" in text(response)
    route.refresh_from_db()
    assert route.target_wd == 10
    page = text(c.get(route_url(route)))
    assert 'id="route-over-target"' in page and "超过全流程目标" in page


def test_route_validation_errors_save_nothing(client, world, draft, active):
    c = as_user(client, world, "staff_a")
    route = route_of(draft)
    before = sorted(i.pk for i in route.items.all())
    # no item, empty name, a target over the model's limit
    bad = c.post(route_url(route), route_data(route, name="", items=[], target_wd=100000))
    assert bad.status_code == 200 and 'id="route-form"' in text(bad)
    assert "请至少选择一个事项" in text(bad)
    # an item of another catalog (the active version's 备案) is not a choice
    foreign = ItemDef.objects.get(catalog=active, code="filing")
    bad = c.post(route_url(route), route_data(route, items=[foreign.pk]))
    assert bad.status_code == 200 and f"事项 {foreign.pk} 不属于本目录" in text(bad)
    bad = c.post(route_url(route), route_data(route, items=["abc"]))
    assert bad.status_code == 200 and "不是有效的事项编号" in text(bad)
    bad = c.post(route_url(route), route_data(route, target_wd="x"))
    assert bad.status_code == 200
    route.refresh_from_db()
    assert sorted(i.pk for i in route.items.all()) == before and route.name == "社会投资简易低风险项目"
    assert not changes(route).exists()


def test_route_on_an_active_catalog_is_read_only(client, world, active):
    c = as_user(client, world, "staff_a")
    route = route_of(active)
    page = text(c.get(route_url(route)))
    assert 'id="route-readonly"' in page and 'id="route-form"' not in page and 'id="route-chain-wd"' in page
    assert f'id="route-edit-{route.pk}">查看<' in text(c.get(active.get_absolute_url()))
    response = c.post(route_url(route), route_data(route, name="x"), follow=True)
    assert response.status_code == 200 and "请先复制为草稿" in text(response)
    route.refresh_from_db()
    assert route.name != "x" and not changes(route).exists()


# --- the bundle page ----------------------------------------------------------------------------------

def test_bundle_edit_on_a_draft_saves_and_audits(client, world, draft):
    c = as_user(client, world, "staff_a")
    bundle = BundleDef.objects.get(catalog=draft)
    page = c.get(bundle_url(bundle))
    assert page.status_code == 200
    html = text(page)
    assert 'id="bundle-def-form"' in html and "uscc|统一社会信用代码|必填" in html and "营业执照正副本" in html
    seal, bank = items(draft, "seal_filing", "bank_account_change")
    response = c.post(bundle_url(bundle), bundle_data(bundle, name="企业变更一件事（新）",
                                                      items=[seal.pk, bank.pk], message="税务另行办理"))
    assert response.status_code == 302 and response["Location"].endswith(f"#bundle-{bundle.code}")
    bundle.refresh_from_db()
    assert bundle.name == "企业变更一件事（新）"
    assert bundle.form_fields == [
        {"name": "uscc", "label": "统一社会信用代码", "required": True},
        {"name": "new_name", "label": "新名称", "required": True},
        {"name": "phone", "label": "联系电话", "required": False}]
    assert bundle.materials == ["变更登记申请书", "营业执照正副本"]
    assert set(bundle.items.all()) == {seal, bank}
    row = changes(bundle).get()
    assert "税务另行办理" in row.message and "联办事项" in row.message
    detail = text(c.get(draft.get_absolute_url()))
    assert f'id="bundle-edit-{bundle.pk}">修改<' in detail


@pytest.mark.parametrize("form_fields, expected", [
    ("uscc|统一社会信用代码|必填\n统一代码|名称|必填", "第 2 行“统一代码|名称|必填”：字段名“统一代码”只能使用英文字母"),
    ("uscc|统一社会信用代码\nuscc|代码", "第 2 行“uscc|代码”：字段名“uscc”与第 1 行重复"),
    ("uscc", "第 1 行“uscc”：格式应为“字段名|标签|必填”"),
    ("uscc|代码|也许", "第 1 行“uscc|代码|也许”：第三段“也许”应为“必填”或“选填”"),
    ("\n\nphone|", "第 3 行“phone|”：缺少中文标签"),
])
def test_bundle_bad_form_field_line_is_named(client, world, draft, form_fields, expected):
    c = as_user(client, world, "staff_a")
    bundle = BundleDef.objects.get(catalog=draft)
    before = list(bundle.form_fields)
    bad = c.post(bundle_url(bundle), bundle_data(bundle, form_fields=form_fields))
    assert bad.status_code == 200 and expected in text(bad)
    bundle.refresh_from_db()
    assert bundle.form_fields == before and not changes(bundle).exists()


def test_parse_form_fields_formats():
    assert parse_form_fields(" a | 甲 | 必填 \n\nb|乙|选填\nc｜丙\nd|丁|required") == [
        {"name": "a", "label": "甲", "required": True}, {"name": "b", "label": "乙", "required": False},
        {"name": "c", "label": "丙", "required": False}, {"name": "d", "label": "丁", "required": True}]
    assert parse_form_fields("") == []


def test_bundle_validation_errors_save_nothing(client, world, draft, active):
    c = as_user(client, world, "staff_a")
    bundle = BundleDef.objects.get(catalog=draft)
    before = sorted(i.pk for i in bundle.items.all())
    foreign = ItemDef.objects.get(catalog=active, code="seal_filing")
    bad = c.post(bundle_url(bundle), bundle_data(bundle, items=[foreign.pk]))
    assert bad.status_code == 200 and f"事项 {foreign.pk} 不属于本目录" in text(bad)
    bad = c.post(bundle_url(bundle), bundle_data(bundle, anchor=foreign.pk))
    assert bad.status_code == 200 and "所选主办事项不属于本目录" in text(bad)
    bad = c.post(bundle_url(bundle), bundle_data(bundle, items=[bundle.anchor_id, *before]))
    assert bad.status_code == 200 and "不必再列为联办事项" in text(bad)
    bad = c.post(bundle_url(bundle), bundle_data(bundle, items=[]))
    assert bad.status_code == 200 and "请至少选择一个事项" in text(bad)
    bad = c.post(bundle_url(bundle), bundle_data(bundle, materials="营业执照\n营业执照"))
    assert bad.status_code == 200 and "重复：营业执照" in text(bad)
    bundle.refresh_from_db()
    assert sorted(i.pk for i in bundle.items.all()) == before and not changes(bundle).exists()


def test_bundle_on_an_active_catalog_is_read_only(client, world, active):
    c = as_user(client, world, "staff_a")
    bundle = BundleDef.objects.get(catalog=active)
    page = text(c.get(bundle_url(bundle)))
    assert 'id="bundle-readonly"' in page and 'id="bundle-def-form"' not in page and "统一社会信用代码" in page
    response = c.post(bundle_url(bundle), bundle_data(bundle, name="x"), follow=True)
    assert "请先复制为草稿" in text(response)
    bundle.refresh_from_db()
    assert bundle.name == "企业变更一件事" and not changes(bundle).exists()


# --- roles and bad pks --------------------------------------------------------------------------------

def test_leader_reads_but_cannot_write(client, world, draft):
    c = as_user(client, world, "leader")
    route, bundle = route_of(draft), BundleDef.objects.get(catalog=draft)
    page = text(c.get(route_url(route)))
    assert 'id="route-readonly"' in page and 'id="route-form"' not in page
    page = text(c.get(bundle_url(bundle)))
    assert 'id="bundle-readonly"' in page and 'id="bundle-def-form"' not in page
    assert f'id="route-edit-{route.pk}">查看<' in text(c.get(draft.get_absolute_url()))
    assert c.post(route_url(route), route_data(route, name="x")).status_code == 403
    assert c.post(bundle_url(bundle), bundle_data(bundle, name="x")).status_code == 403
    route.refresh_from_db()
    bundle.refresh_from_db()
    assert route.name != "x" and bundle.name != "x"


@pytest.mark.parametrize("key", ["enterprise", "system_admin", "audit_admin"])
def test_enterprise_users_and_admins_get_403(client, world, draft, key):
    c = as_user(client, world, key)
    route, bundle = route_of(draft), BundleDef.objects.get(catalog=draft)
    for url in (route_url(route), bundle_url(bundle)):
        assert c.get(url).status_code == 403
        assert c.post(url, {"name": "x"}).status_code == 403


def test_other_zone_and_bad_pk_get_404(client, world, draft):
    c = as_user(client, world, "other_staff")
    route, bundle = route_of(draft), BundleDef.objects.get(catalog=draft)
    for url in (route_url(route), bundle_url(bundle)):
        assert c.get(url).status_code == 404
        assert c.post(url, {"name": "x"}).status_code == 404
    c = as_user(client, world, "staff_a")
    assert c.get(reverse("approvals:route_edit", args=[999999])).status_code == 404
    assert c.get(reverse("approvals:bundle_edit", args=[999999])).status_code == 404
    assert c.post(reverse("approvals:bundle_edit", args=[999999]), {}).status_code == 404


def test_garbage_posts_never_500(client, world, draft):
    c = as_user(client, world, "staff_a")
    route, bundle = route_of(draft), BundleDef.objects.get(catalog=draft)
    for url in (route_url(route), bundle_url(bundle)):
        for data in ({}, {"items": ["", "0", "-1"], "anchor": "x", "target_wd": "-3"},
                     {"form_fields": "|||\n|", "materials": "a" * 300, "name": "x" * 500}):
            assert c.post(url, data).status_code == 200
    assert c.put(route_url(route)).status_code == 405
