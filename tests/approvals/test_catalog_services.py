"""Catalog services: install the default, copy a version deep, activate a draft, edit a draft (items,
routes, bundles), refusals (生效 catalog, cycles, other zones, roles) and the audit trail."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gaoxin.accounts.models import Department
from gaoxin.approvals import seed
from gaoxin.approvals.models import (
    ApprovalCase,
    BundleDef,
    Catalog,
    CatalogStatus,
    ItemDef,
    RouteTemplate,
    StageDef,
)
from gaoxin.approvals.selectors.catalog import active_catalog, catalog_detail, route_item_requires
from gaoxin.approvals.services import catalog as services
from gaoxin.core.audit.models import ObjectChange
from gaoxin.core.permissions import Role
from tests.factories import make_user


@pytest.fixture
def zone_depts(world):
    """The world's zone with the default departments the catalog needs (jxj and tzcj exist already)."""
    for code, name in (("gfj", "改革发展局"), ("jsj", "建设局"), ("zwzx", "政务服务中心")):
        Department.objects.create(zone=world.zone, code=code, name=name)
    return {d.code: d for d in Department.objects.filter(zone=world.zone)}


@pytest.fixture
def catalog(world, zone_depts):
    return services.catalog_install_default(zone=world.zone)


def item(catalog, code) -> ItemDef:
    return ItemDef.objects.get(catalog=catalog, code=code)


def counts():
    return (Catalog.objects.count(), StageDef.objects.count(), ItemDef.objects.count(),
            RouteTemplate.objects.count(), BundleDef.objects.count(), ObjectChange.objects.count())


# --- install ------------------------------------------------------------------------------------------

def test_install_creates_version_1_active_with_the_seed(world, zone_depts, catalog):
    assert (catalog.version, catalog.status) == (1, CatalogStatus.ACTIVE) and catalog.activated_at
    assert active_catalog(world.zone) == catalog and active_catalog(world.other_zone) is None
    assert catalog.stages.count() == len(seed.DEFAULT_STAGES)
    assert catalog.items.count() == len(seed.DEFAULT_ITEMS)
    assert catalog.routes.count() == 4 and catalog.bundles.count() == 1
    permit = item(catalog, "construction_permit")
    assert permit.department == zone_depts["jsj"] and permit.stage.code == 3
    assert set(permit.requires.values_list("code", flat=True)) == {"drawing_review", "eia_report", "energy"}
    assert item(catalog, "drawing_review").pause_mode == "restart"
    site = item(catalog, "site")
    assert site.rongque_allowed and site.deferrable_materials == ["土地权属证明材料"]
    assert StageDef.objects.get(catalog=catalog, code=1).lead_department == zone_depts["gfj"]
    assert StageDef.objects.get(catalog=catalog, code=5).lead_department is None
    social = catalog.routes.get(project_type="社会投资")
    assert social.items.count() == 12 and social.target_wd == 90
    bundle = catalog.bundles.get()
    assert bundle.anchor.code == "name_change"
    assert set(bundle.items.values_list("code", flat=True)) == {"seal_filing", "bank_account_change",
                                                                 "tax_info_change"}
    created = ObjectChange.objects.filter(message="安装默认审批事项目录")
    assert created.count() == 1 + 6 + len(seed.DEFAULT_ITEMS) + 4 + 1
    assert created.filter(object_id=catalog.pk, zone=world.zone).exists()


def test_install_is_idempotent(world, catalog):
    before = counts()
    assert services.catalog_install_default(zone=world.zone) == catalog
    assert counts() == before
    # with a draft next to it, the active version is still what is returned
    services.catalog_copy(user=None, catalog=catalog)
    assert services.catalog_install_default(zone=world.zone) == catalog


def test_install_without_the_departments_names_them_and_writes_nothing(world):
    before = counts()
    with pytest.raises(ValidationError) as exc:
        services.catalog_install_default(zone=world.zone)
    text = " ".join(exc.value.messages)
    assert "gfj" in text and "jsj" in text and "zwzx" in text and "测试高新区" in text
    assert counts() == before


def test_install_by_a_user_needs_staff_of_the_zone(world, zone_depts):
    for key in ("leader", "enterprise", "other_staff", "system_admin"):
        with pytest.raises(PermissionDenied):
            services.catalog_install_default(zone=world.zone, user=world.users[key])
    assert not Catalog.objects.exists()
    catalog = services.catalog_install_default(zone=world.zone, user=world.users["staff_a"])
    assert catalog.status == CatalogStatus.ACTIVE


# --- copy ---------------------------------------------------------------------------------------------

def test_copy_is_deep_and_points_inside_the_new_version(world, catalog):
    draft = services.catalog_copy(user=world.users["staff_b"], catalog=catalog, message="2026 年版")
    assert (draft.version, draft.status, draft.zone_id) == (2, CatalogStatus.DRAFT, catalog.zone_id)
    assert draft.warn_ratio == catalog.warn_ratio and draft.activated_at is None
    for related in ("stages", "items", "routes", "bundles"):
        assert getattr(draft, related).count() == getattr(catalog, related).count(), related
    old_ids = set(catalog.items.values_list("pk", flat=True))
    for new in draft.items.prefetch_related("requires"):
        old = item(catalog, new.code)
        assert new.pk not in old_ids and new.stage.catalog_id == draft.pk and new.stage.code == old.stage.code
        assert sorted(r.code for r in new.requires.all()) == sorted(r.code for r in old.requires.all())
        assert all(r.catalog_id == draft.pk for r in new.requires.all()), new.code
        for field in services.ITEM_FIELDS:
            if field != "stage":
                assert getattr(new, field) == getattr(old, field), (new.code, field)
    for route in draft.routes.all():
        old = catalog.routes.get(project_type=route.project_type)
        assert {i.catalog_id for i in route.items.all()} == {draft.pk}
        assert sorted(route.items.values_list("code", flat=True)) == sorted(old.items.values_list("code", flat=True))
    bundle = draft.bundles.get()
    assert bundle.anchor.catalog_id == draft.pk and {i.catalog_id for i in bundle.items.all()} == {draft.pk}
    # the source is untouched and still the active one
    catalog.refresh_from_db()
    assert catalog.status == CatalogStatus.ACTIVE and active_catalog(world.zone) == catalog
    assert ItemDef.requires.through.objects.filter(from_itemdef__catalog=catalog).count() == \
        ItemDef.requires.through.objects.filter(from_itemdef__catalog=draft).count()
    assert ObjectChange.objects.filter(object_id=draft.pk, message__contains="2026 年版").exists()
    # the next copy takes the next number
    assert services.catalog_copy(user=None, catalog=draft).version == 3


def test_copy_refused_to_others(world, catalog):
    for key in ("leader", "enterprise", "other_staff", "audit_admin"):
        with pytest.raises(PermissionDenied):
            services.catalog_copy(user=world.users[key], catalog=catalog)
    assert Catalog.objects.count() == 1


# --- activate -----------------------------------------------------------------------------------------

def test_activate_swaps_and_cases_keep_their_version(world, zone_depts, catalog):
    route = catalog.routes.get(project_type="社会投资")
    case = ApprovalCase.objects.create(zone=world.zone, department=zone_depts["zwzx"], catalog=catalog,
                                       kind="工程建设", code="C-1", title="老办件", route=route,
                                       start_date=dt.date(2025, 9, 1))
    draft = services.catalog_copy(user=world.users["staff_a"], catalog=catalog)
    services.catalog_activate(user=world.users["staff_a"], catalog=draft, message="新版目录")
    catalog.refresh_from_db()
    draft.refresh_from_db()
    assert catalog.status == CatalogStatus.RETIRED and draft.status == CatalogStatus.ACTIVE
    assert draft.activated_at and active_catalog(world.zone) == draft
    case.refresh_from_db()
    assert case.catalog_id == catalog.pk and case.route_id == route.pk
    assert ObjectChange.objects.filter(object_id=catalog.pk, message="新版目录",
                                       postchange_data__status="停用").exists()
    # a retired or active version cannot be activated again; copy it instead
    for version in (catalog, draft):
        with pytest.raises(ValidationError, match="只有草稿可以生效"):
            services.catalog_activate(user=world.users["staff_a"], catalog=version)
    assert Catalog.objects.filter(zone=world.zone, status=CatalogStatus.ACTIVE).count() == 1


def test_activate_refused_to_others_and_with_problems(world, catalog):
    draft = services.catalog_copy(user=None, catalog=catalog)
    for key in ("leader", "enterprise", "other_staff"):
        with pytest.raises(PermissionDenied):
            services.catalog_activate(user=world.users[key], catalog=draft)
    # a draft broken behind the services' back (empty route, cycle) is not activated
    draft.routes.get(project_type="简易低风险").items.clear()
    a, b = item(draft, "filing"), item(draft, "site")
    a.requires.add(b)
    with pytest.raises(ValidationError) as exc:
        services.catalog_activate(user=world.users["staff_a"], catalog=draft)
    text = " ".join(exc.value.messages)
    assert "社会投资简易低风险项目" in text and "前置事项形成循环" in text
    assert "企业投资项目备案 → 建设项目用地预审与选址意见书 → 企业投资项目备案" in text
    draft.refresh_from_db()
    catalog.refresh_from_db()
    assert draft.status == CatalogStatus.DRAFT and catalog.status == CatalogStatus.ACTIVE


# --- edit a draft -------------------------------------------------------------------------------------

@pytest.fixture
def draft(catalog):
    return services.catalog_copy(user=None, catalog=catalog)


def test_item_update_on_a_draft(world, zone_depts, draft):
    staff = world.users["staff_a"]
    site = item(draft, "site")
    services.item_def_update(user=staff, item=site, message="按本区办事指南", data={
        "promised_limit_wd": 3, "department": zone_depts["zwzx"],
        "materials": ["用地预审与选址申请表", " 土地权属证明材料 ", "", "勘测定界图"],
        "deferrable_materials": ["勘测定界图"],
        "requires": [item(draft, "filing"), item(draft, "approval")],
    })
    site.refresh_from_db()
    assert site.promised_limit_wd == 3 and site.department == zone_depts["zwzx"]
    assert site.materials == ["用地预审与选址申请表", "土地权属证明材料", "勘测定界图"]
    assert set(site.requires.values_list("code", flat=True)) == {"filing", "approval"}
    change = ObjectChange.objects.filter(object_id=site.pk, content_type__model="itemdef").latest("pk")
    assert change.action == "update" and change.prechange_data["promised_limit_wd"] == 5
    assert change.message == "按本区办事指南；前置事项：增加 企业投资项目核准"
    # an unchanged save writes nothing
    n = ObjectChange.objects.count()
    services.item_def_update(user=staff, item=site, data={"promised_limit_wd": 3,
                                                          "requires": list(site.requires.all())})
    assert ObjectChange.objects.count() == n
    # a requirements-only change is audited too
    services.item_def_update(user=staff, item=site, data={"requires": []})
    assert ObjectChange.objects.count() == n + 1
    assert ObjectChange.objects.latest("pk").message == "前置事项：删除 企业投资项目备案、企业投资项目核准"


def test_editing_an_active_or_retired_catalog_is_refused(world, catalog, draft):
    staff = world.users["staff_a"]
    site = item(catalog, "site")
    with pytest.raises(ValidationError, match="请先复制为草稿"):
        services.item_def_update(user=staff, item=site, data={"promised_limit_wd": 1})
    with pytest.raises(ValidationError, match="请先复制为草稿"):
        services.route_update(user=staff, route=catalog.routes.first(), data={"target_wd": 60})
    with pytest.raises(ValidationError, match="请先复制为草稿"):
        services.bundle_update(user=staff, bundle=catalog.bundles.get(), data={"name": "x"})
    with pytest.raises(ValidationError, match="请先复制为草稿"):
        services.catalog_update(user=staff, catalog=catalog, data={"warn_ratio": "0.3"})
    services.catalog_activate(user=staff, catalog=draft)
    with pytest.raises(ValidationError, match="停用"):
        services.item_def_update(user=staff, item=item(catalog, "site"), data={"promised_limit_wd": 1})
    assert item(catalog, "site").promised_limit_wd == 5


def test_cycle_is_refused_with_its_path(world, draft):
    staff = world.users["staff_a"]
    filing = item(draft, "filing")
    with pytest.raises(ValidationError) as exc:
        services.item_def_update(user=staff, item=filing, data={"requires": [item(draft, "construction_planning")]})
    message = exc.value.message_dict["requires"][0]
    # read from the edited item back to itself; 设计方案审查 needs both 可研批复 and 用地规划许可, the
    # catalog's order (stage, order) puts 可研批复 first
    assert message == ("前置事项不能形成循环：企业投资项目备案 → 建设项目用地预审与选址意见书 → "
                       "政府投资项目可行性研究报告批复 → 设计方案审查 → 建设工程规划许可证 → 企业投资项目备案。")
    with pytest.raises(ValidationError, match="不能以自身为前置事项"):
        services.item_def_update(user=staff, item=filing, data={"requires": [filing]})
    assert not filing.requires.exists()


def test_item_update_refusals(world, catalog, draft):
    staff = world.users["staff_a"]
    site = item(draft, "site")
    other_dept = Department.objects.get(zone=world.other_zone)
    cases = [
        ({"department": other_dept}, "department", "本园区"),
        ({"requires": [item(catalog, "filing")]}, "requires", "不属于目录"),
        ({"stage": StageDef.objects.get(catalog=catalog, code=2)}, "stage", "阶段不属于该目录"),
        ({"deferrable_materials": ["不存在的材料"]}, "deferrable_materials", "不存在的材料"),
        ({"deferrable_materials": []}, "deferrable_materials", "须列出可容缺的材料"),
        ({"rongque_allowed": False}, "deferrable_materials", "未开启可容缺受理"),
        ({"promised_limit_wd": 25}, "promised_limit_wd", "不能超过法定时限"),
        ({"commitment_allowed": True}, "commitment_verify_wd", "核查时限"),
        ({"commitment_allowed": True, "commitment_verify_wd": 10}, "commitment_method", "核查方式"),
        ({"materials": ["甲", "甲"]}, "materials", "重复"),
        ({"code": "renamed"}, "code", "不能修改"),
        ({"promised_limit_wd": 4000}, "promised_limit_wd", "3650"),
    ]
    before = ObjectChange.objects.count()
    for data, field, text in cases:
        with pytest.raises(ValidationError) as exc:
            services.item_def_update(user=staff, item=site, data=data)
        assert text in " ".join(exc.value.message_dict.get(field, [])), (data, exc.value.message_dict)
    site.refresh_from_db()
    assert site.promised_limit_wd == 5 and site.code == "site" and ObjectChange.objects.count() == before


def test_edits_need_staff_of_the_zone(world, draft):
    site = item(draft, "site")
    for key in ("leader", "enterprise", "other_staff", "security_admin"):
        with pytest.raises(PermissionDenied):
            services.item_def_update(user=world.users[key], item=site, data={"promised_limit_wd": 1})
        with pytest.raises(PermissionDenied):
            services.route_update(user=world.users[key], route=draft.routes.first(), data={"target_wd": 1})
    inactive = make_user("gone", zone=world.zone, role=Role.DEPARTMENT_STAFF, department=world.dept_a)
    inactive.is_active = False
    with pytest.raises(PermissionDenied):
        services.item_def_update(user=inactive, item=site, data={"promised_limit_wd": 1})
    assert item(draft, "site").promised_limit_wd == 5


def test_route_update(world, catalog, draft):
    staff = world.users["staff_a"]
    route = draft.routes.get(project_type="带方案出让")
    items = [*route.items.all(), item(draft, "design_scheme")]
    services.route_update(user=staff, route=route, data={"target_wd": 30, "items": items, "name": " 拿地即开工 "})
    route.refresh_from_db()
    assert (route.target_wd, route.name) == (30, "拿地即开工") and route.items.count() == 11
    assert ObjectChange.objects.latest("pk").message == "路线事项：增加 设计方案审查"
    # with 设计方案审查 back in the route, 工程规划许可 waits for it again
    assert route_item_requires(route)["construction_planning"] == ("design_scheme",)
    for data, text in [({"items": []}, "至少须包含一个事项"), ({"items": [item(catalog, "filing")]}, "不属于目录"),
                       ({"project_type": "社会投资"}, "不能修改"), ({"target_wd": -1}, "0")]:
        with pytest.raises(ValidationError, match=text):
            services.route_update(user=staff, route=route, data=data)
    assert route.items.count() == 11


def test_bundle_update(world, catalog, draft):
    staff = world.users["staff_a"]
    bundle = draft.bundles.get()
    fields = [{"name": "uscc", "label": "统一社会信用代码", "required": True}, {"name": "email", "label": "邮箱"}]
    services.bundle_update(user=staff, bundle=bundle, data={
        "form_fields": fields, "items": [item(draft, "seal_filing")], "materials": "申请书\n\n决议\n"})
    bundle.refresh_from_db()
    assert bundle.form_fields[1] == {"name": "email", "label": "邮箱", "required": False}
    assert bundle.materials == ["申请书", "决议"] and list(bundle.items.values_list("code", flat=True)) == ["seal_filing"]
    assert ObjectChange.objects.latest("pk").message == "联办事项：删除 银行账户信息变更、税务登记信息变更"
    for data, text in [
        ({"form_fields": [{"name": "uscc", "label": "a"}, {"name": "uscc", "label": "b"}]}, "重复"),
        ({"form_fields": [{"name": "统一代码", "label": "a"}]}, "英文字段名"),
        ({"form_fields": "uscc"}, "须为列表"),
        ({"items": [item(draft, "name_change")]}, "不必再列为联办事项"),
        ({"items": []}, "至少须包含一个联办事项"),
        ({"anchor": item(catalog, "name_change")}, "不属于目录"),
        ({"code": "other"}, "不能修改"),
    ]:
        with pytest.raises(ValidationError, match=text):
            services.bundle_update(user=staff, bundle=bundle, data=data)
    bundle.refresh_from_db()
    assert bundle.anchor.catalog_id == draft.pk and bundle.items.count() == 1


def test_catalog_update(world, draft):
    services.catalog_update(user=world.users["staff_a"], catalog=draft,
                            data={"warn_ratio": "0.30", "name": " 2026 版 "})
    draft.refresh_from_db()
    assert str(draft.warn_ratio) == "0.30" and draft.name == "2026 版"
    with pytest.raises(ValidationError):
        services.catalog_update(user=world.users["staff_a"], catalog=draft, data={"warn_ratio": "1.5"})
    with pytest.raises(ValidationError):
        services.catalog_update(user=world.users["staff_a"], catalog=draft, data={"warn_ratio": "abc"})


def test_detail_shape(catalog):
    detail = catalog_detail(catalog)
    assert [b.stage.code for b in detail.stages] == [1, 2, 3, 4, 5, 6]
    rows = {r.item.code: r for b in detail.stages for r in b.rows}
    assert [r.code for r in rows["construction_permit"].requires] == ["drawing_review", "eia_report", "energy"]
    assert set(rows["design_scheme"].in_routes) == {"政府投资", "社会投资"}
    routes = {r.route.project_type: r for r in detail.routes}
    assert routes["社会投资"].item_count == 12 and routes["社会投资"].chain_wd == 49
    assert not routes["社会投资"].over_target
    # 政府投资: 可研批复 replaces 备案 and needs the 选址 opinion
    assert [i.code for i in routes["政府投资"].chain][:3] == ["site", "feasibility", "design_scheme"]
    assert routes["政府投资"].chain_wd == 64
    assert len(detail.graph["nodes"]) == len(seed.DEFAULT_ITEMS)
    assert ["drawing_review", "construction_permit"] in detail.graph["edges"]
