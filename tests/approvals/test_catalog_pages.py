"""The catalog pages per role: list, detail, copy, activate, install, the item edit form and its read-only
twin; the subnav."""

import pytest
from django.urls import reverse

from gaoxin.accounts.models import Department
from gaoxin.approvals.models import Catalog, CatalogStatus, ItemDef
from gaoxin.approvals.services import catalog as services


@pytest.fixture
def catalog(world):
    for code, name in (("gfj", "改革发展局"), ("jsj", "建设局"), ("zwzx", "政务服务中心")):
        Department.objects.create(zone=world.zone, code=code, name=name)
    return services.catalog_install_default(zone=world.zone)


def as_user(client, world, key):
    client.force_login(world.users[key])
    return client


def text(response) -> str:
    return response.content.decode()


def test_list_and_detail_for_leader_and_staff(client, world, catalog):
    for key in ("leader", "staff_a"):
        c = as_user(client, world, key)
        page = text(c.get(reverse("approvals:catalog_list")))
        assert f'id="catalog-{catalog.pk}"' in page and "生效" in page
        assert (reverse("approvals:catalog_copy", args=[catalog.pk]) in page) == (key == "staff_a")
        detail = c.get(catalog.get_absolute_url())
        assert detail.status_code == 200
        page = text(detail)
        assert 'id="stage-1"' in page and 'id="item-construction_permit"' in page
        assert "施工图设计文件审查（联合审图）" in page and "暂停后重新计算" in page
        assert "土地权属证明材料" in page and "即办" in page
        assert 'id="table-routes"' in page and "社会投资项目（全流程）" in page and "企业变更一件事" in page
        assert 'id="catalog-graph"' in page and "approvals_catalog.js" in page
        assert ('id="catalog-copy"' in page) == (key == "staff_a")
        assert 'id="catalog-activate"' not in page  # an active version has nothing to activate
    # subnav: leaders have no 通知渠道, staff do
    assert "通知渠道" in page
    page = text(as_user(client, world, "leader").get(catalog.get_absolute_url()))
    assert "通知渠道" not in page and "事项目录" in page and "我的待办" in page


@pytest.mark.parametrize("key", ["enterprise", "system_admin", "audit_admin"])
def test_enterprise_users_and_admins_get_403(client, world, catalog, key):
    c = as_user(client, world, key)
    item = catalog.items.first()
    assert c.get(reverse("approvals:catalog_list")).status_code == 403
    assert c.get(catalog.get_absolute_url()).status_code == 403
    assert c.get(reverse("approvals:item_def_edit", args=[item.pk])).status_code == 403
    assert c.post(reverse("approvals:catalog_copy", args=[catalog.pk])).status_code == 403
    assert Catalog.objects.count() == 1


def test_other_zone_gets_404(client, world, catalog):
    c = as_user(client, world, "other_staff")
    assert c.get(catalog.get_absolute_url()).status_code == 404
    assert c.get(reverse("approvals:item_def_edit", args=[catalog.items.first().pk])).status_code == 404
    assert c.post(reverse("approvals:catalog_copy", args=[catalog.pk])).status_code == 404
    assert c.post(reverse("approvals:catalog_activate", args=[catalog.pk])).status_code == 404
    assert f'id="catalog-{catalog.pk}"' not in text(c.get(reverse("approvals:catalog_list")))
    assert c.get(reverse("approvals:catalog_detail", args=[999999])).status_code == 404


def test_anonymous_is_sent_to_login(client, catalog):
    response = client.get(reverse("approvals:catalog_list"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_leader_cannot_write(client, world, catalog):
    c = as_user(client, world, "leader")
    assert c.post(reverse("approvals:catalog_copy", args=[catalog.pk])).status_code == 403
    draft = services.catalog_copy(user=None, catalog=catalog)
    assert c.post(reverse("approvals:catalog_activate", args=[draft.pk])).status_code == 403
    item = ItemDef.objects.get(catalog=draft, code="site")
    page = c.get(reverse("approvals:item_def_edit", args=[item.pk]))
    assert page.status_code == 200 and 'id="item-readonly"' in text(page)
    assert 'id="item-def-form"' not in text(page) and 'name="csrfmiddlewaretoken"' not in text(page).split("<main>")[1]
    assert c.post(reverse("approvals:item_def_edit", args=[item.pk]), {"promised_limit_wd": 1}).status_code == 403
    assert c.post(draft.get_absolute_url(), {"name": "x", "warn_ratio": "0.2"}).status_code == 403
    draft.refresh_from_db()
    assert draft.status == CatalogStatus.DRAFT and draft.name != "x"


def test_copy_edit_activate_through_the_pages(client, world, catalog):
    c = as_user(client, world, "staff_b")
    response = c.post(reverse("approvals:catalog_copy", args=[catalog.pk]))
    draft = Catalog.objects.get(zone=world.zone, version=2)
    assert response.status_code == 302 and response["Location"] == draft.get_absolute_url()
    page = text(c.get(draft.get_absolute_url()))
    assert 'id="catalog-draft"' in page and 'id="catalog-activate"' in page and 'id="catalog-settings"' in page

    item = ItemDef.objects.get(catalog=draft, code="construction_planning")
    url = reverse("approvals:item_def_edit", args=[item.pk])
    form = c.get(url)
    assert form.status_code == 200 and 'id="item-def-form"' in text(form)
    assert "建设工程规划放线测量报告" in text(form)
    data = {
        "name": item.name, "stage": item.stage_id, "department": item.department_id, "order": 70,
        "statutory_limit_wd": 20, "promised_limit_wd": 2, "pause_mode": "resume",
        "requires": [ItemDef.objects.get(catalog=draft, code="design_scheme").pk],
        "materials": "建设工程规划许可申请表\r\n设计方案审查意见\r\n建设工程规划放线测量报告\r\n",
        "rongque_allowed": "on", "deferrable_materials": "建设工程规划放线测量报告",
        "commitment_allowed": "on", "commitment_verify_wd": 15, "commitment_method": "实地调查",
        "message": "固镇承诺 2 个工作日",
    }
    response = c.post(url, data)
    assert response.status_code == 302 and response["Location"].endswith("#item-construction_planning")
    item.refresh_from_db()
    assert (item.promised_limit_wd, item.commitment_verify_wd) == (2, 15)
    assert item.materials == ["建设工程规划许可申请表", "设计方案审查意见", "建设工程规划放线测量报告"]

    # a cycle is shown on the form, nothing saved
    filing = ItemDef.objects.get(catalog=draft, code="filing")
    bad = c.post(reverse("approvals:item_def_edit", args=[filing.pk]), {
        "name": filing.name, "stage": filing.stage_id, "department": filing.department_id, "order": 10,
        "promised_limit_wd": 0, "pause_mode": "resume", "requires": [item.pk],
        "materials": "\n".join(filing.materials)})
    assert bad.status_code == 200 and "前置事项不能形成循环" in text(bad)
    assert not filing.requires.exists()

    # draft settings
    response = c.post(draft.get_absolute_url(), {"name": "2026 版目录", "warn_ratio": "0.25", "note": ""})
    assert response.status_code == 302
    bad = c.post(draft.get_absolute_url(), {"name": "2026 版目录", "warn_ratio": "2", "note": ""})
    assert bad.status_code == 400 and "预警比例：确保该值小于或等于1" in text(bad)

    response = c.post(reverse("approvals:catalog_activate", args=[draft.pk]))
    assert response.status_code == 302
    draft.refresh_from_db()
    catalog.refresh_from_db()
    assert (draft.status, catalog.status) == (CatalogStatus.ACTIVE, CatalogStatus.RETIRED)
    assert str(draft.warn_ratio) == "0.25" and draft.name == "2026 版目录"

    # now active: the item page is read-only and a POST changes nothing
    page = c.get(url)
    assert 'id="item-readonly"' in text(page) and 'id="item-def-form"' not in text(page)
    response = c.post(url, {**data, "promised_limit_wd": 1}, follow=True)
    assert "请先复制为草稿" in text(response)
    item.refresh_from_db()
    assert item.promised_limit_wd == 2
    # activating an active version again is refused with a message, not an error page
    response = c.post(reverse("approvals:catalog_activate", args=[draft.pk]), follow=True)
    assert response.status_code == 200 and "只有草稿可以生效" in text(response)


def test_activation_blocked_by_problems_shows_them(client, world, catalog):
    draft = services.catalog_copy(user=None, catalog=catalog)
    draft.bundles.get().items.clear()
    c = as_user(client, world, "staff_a")
    page = text(c.get(draft.get_absolute_url()))
    assert 'id="catalog-problems"' in page and "没有联办事项" in page
    response = c.post(reverse("approvals:catalog_activate", args=[draft.pk]), follow=True)
    assert "没有联办事项" in text(response)
    draft.refresh_from_db()
    assert draft.status == CatalogStatus.DRAFT


def test_install_from_the_list(client, world):
    c = as_user(client, world, "staff_a")
    page = text(c.get(reverse("approvals:catalog_list")))
    assert 'id="catalog-install"' in page
    # the world's zone lacks gfj, jsj and zwzx: refused with the codes, nothing written
    response = c.post(reverse("approvals:catalog_list"), {"action": "install"}, follow=True)
    assert "gfj" in text(response) and not Catalog.objects.exists()
    for code, name in (("gfj", "改革发展局"), ("jsj", "建设局"), ("zwzx", "政务服务中心")):
        Department.objects.create(zone=world.zone, code=code, name=name)
    response = c.post(reverse("approvals:catalog_list"), {"action": "install"})
    catalog = Catalog.objects.get(zone=world.zone)
    assert response["Location"] == catalog.get_absolute_url()
    assert 'id="catalog-install"' not in text(c.get(reverse("approvals:catalog_list")))
    assert as_user(client, world, "leader").post(reverse("approvals:catalog_list"),
                                                 {"action": "install"}).status_code == 403


def test_copy_and_activate_are_post_only(client, world, catalog):
    c = as_user(client, world, "staff_a")
    assert c.get(reverse("approvals:catalog_copy", args=[catalog.pk])).status_code == 405
    assert c.get(reverse("approvals:catalog_activate", args=[catalog.pk])).status_code == 405
    assert Catalog.objects.count() == 1


def test_enterprise_subnav_shows_only_cases(rf, world):
    from django.template.loader import render_to_string

    request = rf.get("/approvals/cases/")
    request.user = world.users["enterprise"]
    request.resolver_match = type("M", (), {"url_name": "case_list"})()
    html = render_to_string("approvals/includes/subnav.html", request=request)
    assert "办件" in html and 'class="active"' in html
    for hidden in ("我的待办", "统计", "事项目录", "预警通知", "通知渠道"):
        assert hidden not in html
