"""Writes to a zone's approval catalog: install the default, copy a version into a draft, activate a draft,
and edit a draft's items, routes and bundles.

The catalog belongs to the zone, not to a department (Catalog has no ScopeRule), so the role and the zone
are checked here, as economy/services/catalog.py does: any department staff of the zone may edit a draft
and activate it. Only a 草稿 is ever edited — a 生效 or 停用 version is what cases were opened on, and a case
keeps its version, so changing it would rewrite history. To change the rules: copy, edit, activate.

Every write is audited with change_record; many-to-many changes (prerequisites, route and bundle items) are
not in a row's snapshot, so they are spelled out in the audit message.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.accounts.models import Department, Zone
from gaoxin.core.audit.models import ChangeAction
from gaoxin.core.audit.services import change_record, change_record_many, snapshot
from gaoxin.core.permissions import Role

from .. import seed
from ..catalog_graph import find_cycle
from ..models import BundleDef, Catalog, CatalogStatus, ItemDef, RouteTemplate, StageDef

ITEM_FIELDS = ("name", "stage", "department", "statutory_limit_wd", "promised_limit_wd", "pause_mode",
               "rongque_allowed", "deferrable_materials", "commitment_allowed", "commitment_verify_wd",
               "commitment_method", "area_assessment_waivable", "materials", "order")
ROUTE_FIELDS = ("name", "target_wd")
BUNDLE_FIELDS = ("name", "anchor", "form_fields", "materials")
CATALOG_FIELDS = ("name", "warn_ratio", "note")


# --- permission and state checks ----------------------------------------------------------------------

def can_edit_catalog(user, zone=None) -> bool:
    """Department staff of the zone (any department): the catalog is the zone's, like its project settings."""
    ok = bool(user is not None and user.is_authenticated and user.is_active
              and user.role == Role.DEPARTMENT_STAFF and user.zone_id and user.department_id)
    if ok and zone is not None:
        ok = user.zone_id == getattr(zone, "pk", zone)
    return ok


def _require_editor(user, zone) -> None:
    """`user=None` is a trusted system caller (`gaoxin zone add`, the demo builder)."""
    if user is not None and not can_edit_catalog(user, zone):
        raise PermissionDenied(_("只有本园区的部门工作人员可以维护审批事项目录。"))


def _require_draft(catalog: Catalog) -> None:
    if catalog.status != CatalogStatus.DRAFT:
        raise ValidationError(_("目录 %(catalog)s 状态为“%(status)s”，不能修改；请先复制为草稿，修改后再生效。")
                              % {"catalog": catalog, "status": catalog.get_status_display()})


def _locked(catalog: Catalog) -> Catalog:
    """Re-read under a row lock, so two edits or an edit and an activation do not interleave."""
    return Catalog.objects.select_for_update().get(pk=catalog.pk)


def _names(items) -> str:
    return "、".join(i.name for i in items) or _("无")


def _m2m_message(message: str, label: str, before, after) -> str:
    """The audit message of a change that moved many-to-many links: the user's note, then what was added
    and removed (a row's snapshot has no many-to-many fields)."""
    before_ids, after_ids = {i.pk for i in before}, {i.pk for i in after}
    parts = []
    added = [i for i in after if i.pk not in before_ids]
    removed = [i for i in before if i.pk not in after_ids]
    if added:
        parts.append(_("增加 %(names)s") % {"names": _names(added)})
    if removed:
        parts.append(_("删除 %(names)s") % {"names": _names(removed)})
    if not parts:
        return message
    change = _("%(label)s：%(changes)s") % {"label": label, "changes": "；".join(parts)}
    return f"{message}；{change}" if message else change


# --- install, copy, activate --------------------------------------------------------------------------

@transaction.atomic
def catalog_install_default(*, zone, user=None) -> Catalog:
    """Install seed.py's catalog as version 1 生效 when the zone has no catalog; otherwise change nothing
    and return the zone's active catalog (or its latest version when none is active).

    Departments are looked up by code in the zone. A missing one refuses the whole install with the codes
    named: guessing another department would route approvals to people who do not handle them.
    """
    _require_editor(user, zone)
    # Locking the zone row serialises two concurrent installs (the second then sees the first's catalog).
    zone = Zone.objects.select_for_update().get(pk=getattr(zone, "pk", zone))
    existing = Catalog.objects.filter(zone=zone)
    if existing.exists():
        return existing.filter(status=CatalogStatus.ACTIVE).first() or existing.order_by("-version").first()

    departments = {d.code: d for d in Department.objects.filter(zone=zone, code__in=seed.DEPARTMENT_CODES)}
    missing = [code for code in seed.DEPARTMENT_CODES if code not in departments]
    if missing:
        raise ValidationError(_("园区 %(zone)s 缺少部门：%(codes)s。默认审批事项目录需要这些部门代码，"
                                "请先建立部门后再安装。") % {"zone": zone.name, "codes": "、".join(missing)})

    catalog = Catalog(zone=zone, version=1, name=seed.CATALOG_NAME, status=CatalogStatus.ACTIVE,
                      activated_at=timezone.now(), note=_("系统默认目录"))
    catalog.full_clean()
    catalog.save()
    created: list = [catalog]

    stages = {}
    for s in seed.DEFAULT_STAGES:
        stage = StageDef(catalog=catalog, code=s.code, name=s.name, limit_wd=s.limit_wd,
                         lead_department=departments[s.lead] if s.lead else None)
        stage.full_clean()
        stage.save()
        stages[s.code] = stage
        created.append(stage)

    items = {}
    for position, i in enumerate(seed.DEFAULT_ITEMS, start=1):
        item = ItemDef(
            catalog=catalog, stage=stages[i.stage], code=i.code, name=i.name, department=departments[i.department],
            statutory_limit_wd=i.statutory_wd, promised_limit_wd=i.promised_wd, pause_mode=i.pause_mode,
            rongque_allowed=i.rongque, deferrable_materials=list(i.deferrable), commitment_allowed=i.commitment,
            commitment_verify_wd=i.verify_wd, commitment_method=i.method, area_assessment_waivable=i.area_waivable,
            materials=list(i.materials), order=position * 10,
        )
        item.full_clean()
        item.save()
        items[i.code] = item
        created.append(item)
    for i in seed.DEFAULT_ITEMS:
        if i.requires:
            items[i.code].requires.set([items[code] for code in i.requires])

    for r in seed.DEFAULT_ROUTES:
        route = RouteTemplate(catalog=catalog, project_type=r.project_type, name=r.name, target_wd=r.target_wd)
        route.full_clean()
        route.save()
        route.items.set([items[code] for code in r.items])
        created.append(route)

    for b in seed.DEFAULT_BUNDLES:
        bundle = BundleDef(catalog=catalog, code=b.code, name=b.name, anchor=items[b.anchor],
                           form_fields=[dict(f) for f in b.form_fields], materials=list(b.materials))
        bundle.full_clean()
        bundle.save()
        bundle.items.set([items[code] for code in b.items])
        created.append(bundle)

    change_record_many([(obj, ChangeAction.CREATE, None) for obj in created], message="安装默认审批事项目录")
    return catalog


@transaction.atomic
def catalog_copy(*, user, catalog: Catalog, message: str = "") -> Catalog:
    """A deep copy of `catalog` as the zone's next version, 草稿: stages, items with their prerequisites,
    routes and bundles, every link pointing inside the new version (never back to the source)."""
    _require_editor(user, catalog.zone_id)
    source = Catalog.objects.get(pk=catalog.pk)
    # Lock the zone's versions so two copies cannot both take the same next number (rows, not an
    # aggregate: PostgreSQL refuses FOR UPDATE with aggregates).
    top = max(Catalog.objects.select_for_update().filter(zone_id=source.zone_id).values_list("version", flat=True),
              default=0)
    copy = Catalog(zone_id=source.zone_id, version=top + 1, name=source.name, status=CatalogStatus.DRAFT,
                   warn_ratio=source.warn_ratio,
                   note=_("复制自 v%(version)d") % {"version": source.version})
    copy.full_clean()
    copy.save()
    created: list = [copy]

    stage_map = {}
    for stage in source.stages.order_by("code"):
        new = StageDef(catalog=copy, code=stage.code, name=stage.name, lead_department_id=stage.lead_department_id,
                       limit_wd=stage.limit_wd)
        new.save()
        stage_map[stage.pk] = new
        created.append(new)

    item_map = {}
    old_items = list(source.items.prefetch_related("requires").order_by("pk"))
    for item in old_items:
        new = ItemDef(catalog=copy, stage=stage_map[item.stage_id], code=item.code, name=item.name,
                      **{f: getattr(item, f) for f in ITEM_FIELDS if f not in ("name", "stage", "department")},
                      department_id=item.department_id)
        new.save()
        item_map[item.pk] = new
        created.append(new)
    for item in old_items:
        needs = [item_map[r.pk] for r in item.requires.all()]
        if needs:
            item_map[item.pk].requires.set(needs)

    for route in source.routes.prefetch_related("items"):
        new = RouteTemplate(catalog=copy, project_type=route.project_type, name=route.name,
                            target_wd=route.target_wd)
        new.save()
        new.items.set([item_map[i.pk] for i in route.items.all()])
        created.append(new)

    for bundle in source.bundles.prefetch_related("items"):
        new = BundleDef(catalog=copy, code=bundle.code, name=bundle.name, anchor=item_map[bundle.anchor_id],
                        form_fields=bundle.form_fields, materials=bundle.materials)
        new.save()
        new.items.set([item_map[i.pk] for i in bundle.items.all()])
        created.append(new)

    note = _("复制 %(source)s 为草稿 v%(version)d") % {"source": source, "version": copy.version}
    change_record_many([(obj, ChangeAction.CREATE, None) for obj in created],
                       message=f"{message}；{note}" if message else note)
    return copy


def catalog_problems(catalog: Catalog) -> list[str]:
    """What keeps a draft from taking effect (empty when it may): a prerequisite cycle, an empty route, a
    bundle without items, an item handled by another zone's department."""
    problems = []
    requires = {i.code: [r.code for r in i.requires.all()]
                for i in catalog.items.prefetch_related("requires")}
    cycle = find_cycle(requires)
    if cycle:
        names = dict(catalog.items.values_list("code", "name"))
        problems.append(_("前置事项形成循环：%(path)s。") % {"path": _flow(cycle, names)})
    for route in catalog.routes.all():
        if not route.items.exists():
            problems.append(_("审批路线“%(name)s”没有事项。") % {"name": route.name})
    for bundle in catalog.bundles.all():
        if not bundle.items.exists():
            problems.append(_("一件事“%(name)s”没有联办事项。") % {"name": bundle.name})
    foreign = catalog.items.exclude(department__zone_id=catalog.zone_id)
    for item in foreign:
        problems.append(_("事项“%(name)s”的办理部门不属于本园区。") % {"name": item.name})
    return problems


@transaction.atomic
def catalog_activate(*, user, catalog: Catalog, message: str = "") -> Catalog:
    """The draft becomes 生效 and the zone's previous 生效 version 停用. Cases keep the version they were
    opened on; new cases use the new one."""
    _require_editor(user, catalog.zone_id)
    versions = list(Catalog.objects.select_for_update().filter(zone_id=catalog.zone_id))
    catalog = next(c for c in versions if c.pk == catalog.pk)
    if catalog.status != CatalogStatus.DRAFT:
        raise ValidationError(_("只有草稿可以生效；目录 %(catalog)s 状态为“%(status)s”。")
                              % {"catalog": catalog, "status": catalog.get_status_display()})
    problems = catalog_problems(catalog)
    if problems:
        raise ValidationError([_("目录 %(catalog)s 不能生效：") % {"catalog": catalog}, *problems])
    changes = []
    # Retire first: the one-生效-per-zone constraint is checked statement by statement.
    for previous in versions:
        if previous.status == CatalogStatus.ACTIVE:
            before = snapshot(previous)
            previous.status = CatalogStatus.RETIRED
            previous.save(update_fields=["status", "updated_at"])
            changes.append((previous, ChangeAction.UPDATE, before))
    before = snapshot(catalog)
    catalog.status = CatalogStatus.ACTIVE
    catalog.activated_at = timezone.now()
    catalog.save(update_fields=["status", "activated_at", "updated_at"])
    changes.append((catalog, ChangeAction.UPDATE, before))
    for obj, action, before in changes:
        change_record(obj=obj, action=action, before=before, message=message or _("目录生效"))
    return catalog


@transaction.atomic
def catalog_update(*, user, catalog: Catalog, data: dict, message: str = "") -> Catalog:
    """Name, warning ratio and note of a draft."""
    _require_editor(user, catalog.zone_id)
    catalog = _locked(catalog)
    _require_draft(catalog)
    before = snapshot(catalog)
    for field in CATALOG_FIELDS:
        if field in data:
            value = data[field]
            setattr(catalog, field, value.strip() if isinstance(value, str) else value)
    catalog.full_clean()
    if snapshot(catalog) != before:
        catalog.save()
        change_record(obj=catalog, action=ChangeAction.UPDATE, before=before, message=message)
    return catalog


# --- items, routes, bundles of a draft ----------------------------------------------------------------

def _clean_texts(value, *, field: str, label: str) -> list[str]:
    """A list of material names: stripped, blanks dropped, duplicates refused (they would be asked twice)."""
    if value is None:
        return []
    if isinstance(value, str):
        value = value.splitlines()
    if not isinstance(value, (list, tuple)):
        raise ValidationError({field: _("%(label)s须为文本列表。") % {"label": label}})
    out = []
    for entry in value:
        if not isinstance(entry, str):
            raise ValidationError({field: _("%(label)s须为文本列表。") % {"label": label}})
        entry = entry.strip()
        if not entry:
            continue
        if len(entry) > 100:
            raise ValidationError({field: _("%(label)s“%(text)s…”超过 100 字。") % {"label": label, "text": entry[:20]}})
        if entry in out:
            raise ValidationError({field: _("%(label)s重复：%(text)s。") % {"label": label, "text": entry}})
        out.append(entry)
    return out


def _check_same_catalog(catalog: Catalog, items, *, field: str) -> list[ItemDef]:
    items = list(items)
    foreign = [i for i in items if i.catalog_id != catalog.pk]
    if foreign:
        raise ValidationError({field: _("事项“%(names)s”不属于目录 %(catalog)s。")
                               % {"names": _names(foreign), "catalog": catalog}})
    return items


def _flow(cycle: list[str], names: dict) -> str:
    """A cycle in the order things would happen (prerequisite → the item needing it), as the graph draws it."""
    return " → ".join(names.get(code, code) for code in reversed(cycle))


def _check_acyclic(item: ItemDef, requires: list[ItemDef]) -> None:
    """Refuse prerequisites that would close a cycle, naming the path through the edited item."""
    # The search starts at the edited item: the graph was acyclic before, so any cycle passes through it,
    # and the message then reads from the item being edited back to itself.
    graph = {item.code: [r.code for r in requires]}
    for code, needs in _requires_by_code(item.catalog_id).items():
        graph.setdefault(code, needs)
    cycle = find_cycle(graph)
    if cycle:
        names = dict(ItemDef.objects.filter(catalog_id=item.catalog_id).values_list("code", "name"))
        raise ValidationError({"requires": _("前置事项不能形成循环：%(path)s。") % {"path": _flow(cycle, names)}})


def _requires_by_code(catalog_id) -> dict[str, list[str]]:
    """{code: prerequisite codes} of a catalog, in the catalog's order (so a cycle is named the same way
    every time)."""
    graph: dict[str, list[str]] = {}
    links = (ItemDef.requires.through.objects.filter(from_itemdef__catalog_id=catalog_id)
             .order_by("to_itemdef__stage__code", "to_itemdef__order", "to_itemdef_id")
             .values_list("from_itemdef__code", "to_itemdef__code"))
    for code, need in links:
        graph.setdefault(code, []).append(need)
    return graph


@transaction.atomic
def item_def_update(*, user, item: ItemDef, data: dict, message: str = "") -> ItemDef:
    """Change an item of a draft: name, stage, department, limits, pause mode, 容缺 / 告知承诺 / 区域评估
    rules, materials, order and prerequisites (`requires`, a list of ItemDef of the same draft).

    The code is fixed: cases, statistics and the demo refer to it across versions. Refused: a 生效 or 停用
    catalog, a department of another zone, a stage or prerequisite of another version, a prerequisite cycle
    (the path is named), deferrable materials that are not among the materials, 容缺 without any.
    """
    catalog = _locked(item.catalog)
    _require_editor(user, catalog.zone_id)
    _require_draft(catalog)
    item = ItemDef.objects.select_related("stage", "catalog").get(pk=item.pk)
    if "code" in data and data["code"] != item.code:
        raise ValidationError({"code": _("事项代码创建后不能修改。")})
    before = snapshot(item)
    before_requires = list(item.requires.order_by("order", "pk"))
    for field in ITEM_FIELDS:
        if field not in data:
            continue
        value = data[field]
        if field in ("materials", "deferrable_materials"):
            value = _clean_texts(value, field=field, label=ItemDef._meta.get_field(field).verbose_name)
        elif isinstance(value, str):
            value = value.strip()
        setattr(item, field, value)
    errors: dict[str, list] = {}
    if item.department.zone_id != catalog.zone_id:
        errors["department"] = [_("办理部门须为本园区的部门。")]
    missing = [m for m in item.deferrable_materials if m not in item.materials]
    if missing:
        errors["deferrable_materials"] = [_("可容缺材料须在申报材料中：%(names)s 不在申报材料清单里。") % {
            "names": "、".join(missing)}]
    elif item.rongque_allowed and not item.deferrable_materials:
        errors["deferrable_materials"] = [_("可容缺受理的事项须列出可容缺的材料。")]
    elif not item.rongque_allowed and item.deferrable_materials:
        errors["deferrable_materials"] = [_("未开启可容缺受理时不能设置可容缺材料。")]
    if item.commitment_allowed and not item.commitment_method:
        errors["commitment_method"] = [_("可告知承诺的事项须填写核查方式。")]
    try:
        item.full_clean()  # the model's own rules: limits, 承诺 verify days, the stage of this catalog
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)

    requires = before_requires
    if "requires" in data:
        requires = _check_same_catalog(catalog, data["requires"] or [], field="requires")
        if any(r.pk == item.pk for r in requires):
            raise ValidationError({"requires": _("事项不能以自身为前置事项。")})
        _check_acyclic(item, requires)
    changed_fields = snapshot(item) != before
    if changed_fields:
        item.save()
    if "requires" in data:
        item.requires.set(requires)
    note = _m2m_message(message, _("前置事项"), before_requires, requires)
    if changed_fields or note != message:
        change_record(obj=item, action=ChangeAction.UPDATE, before=before, message=note)
    return item


@transaction.atomic
def route_update(*, user, route: RouteTemplate, data: dict, message: str = "") -> RouteTemplate:
    """Name, whole-process target and items (`items`, ItemDefs of the same draft; at least one) of a route.
    The project type is fixed: it is what a case picks the route by."""
    catalog = _locked(route.catalog)
    _require_editor(user, catalog.zone_id)
    _require_draft(catalog)
    route = RouteTemplate.objects.get(pk=route.pk)
    if "project_type" in data and data["project_type"] != route.project_type:
        raise ValidationError({"project_type": _("审批路线的项目类型不能修改。")})
    before = snapshot(route)
    before_items = list(route.items.order_by("stage__code", "order", "pk"))
    for field in ROUTE_FIELDS:
        if field in data:
            setattr(route, field, data[field].strip() if isinstance(data[field], str) else data[field])
    route.full_clean()
    items = before_items
    if "items" in data:
        items = _check_same_catalog(catalog, data["items"] or [], field="items")
        if not items:
            raise ValidationError({"items": _("审批路线至少须包含一个事项。")})
    changed_fields = snapshot(route) != before
    if changed_fields:
        route.save()
    if "items" in data:
        route.items.set(items)
    note = _m2m_message(message, _("路线事项"), before_items, items)
    if changed_fields or note != message:
        change_record(obj=route, action=ChangeAction.UPDATE, before=before, message=note)
    return route


def _clean_form_fields(value) -> list[dict]:
    """[{"name", "label", "required"}]: names are identifiers (they key the case's form data), unique."""
    if not isinstance(value, (list, tuple)):
        raise ValidationError({"form_fields": _("统一表单字段须为列表。")})
    out, seen = [], set()
    for position, entry in enumerate(value, start=1):
        name = str(entry.get("name", "")).strip() if isinstance(entry, dict) else ""
        label = str(entry.get("label", "")).strip() if isinstance(entry, dict) else ""
        if not name.isidentifier() or not name.isascii() or not label:
            raise ValidationError({"form_fields": _("统一表单第 %(n)d 个字段须有英文字段名（字母、数字、下划线）和中文标签。")
                                   % {"n": position}})
        if name in seen:
            raise ValidationError({"form_fields": _("统一表单字段名重复：%(name)s。") % {"name": name}})
        seen.add(name)
        out.append({"name": name, "label": label, "required": bool(entry.get("required", False))})
    return out


@transaction.atomic
def bundle_update(*, user, bundle: BundleDef, data: dict, message: str = "") -> BundleDef:
    """Name, anchor item, joint items (`items`, without the anchor), unified form fields and materials of
    a draft's 一件事. The code is fixed."""
    catalog = _locked(bundle.catalog)
    _require_editor(user, catalog.zone_id)
    _require_draft(catalog)
    bundle = BundleDef.objects.select_related("anchor").get(pk=bundle.pk)
    if "code" in data and data["code"] != bundle.code:
        raise ValidationError({"code": _("一件事代码创建后不能修改。")})
    before = snapshot(bundle)
    before_items = list(bundle.items.order_by("stage__code", "order", "pk"))
    for field in BUNDLE_FIELDS:
        if field not in data:
            continue
        value = data[field]
        if field == "form_fields":
            value = _clean_form_fields(value)
        elif field == "materials":
            value = _clean_texts(value, field=field, label=BundleDef._meta.get_field(field).verbose_name)
        elif isinstance(value, str):
            value = value.strip()
        setattr(bundle, field, value)
    _check_same_catalog(catalog, [bundle.anchor], field="anchor")
    bundle.full_clean()
    items = before_items
    if "items" in data:
        items = _check_same_catalog(catalog, data["items"] or [], field="items")
        if not items:
            raise ValidationError({"items": _("一件事至少须包含一个联办事项。")})
    if any(i.pk == bundle.anchor_id for i in items):
        raise ValidationError({"items": _("主办事项“%(name)s”不必再列为联办事项。") % {"name": bundle.anchor.name}})
    changed_fields = snapshot(bundle) != before
    if changed_fields:
        bundle.save()
    if "items" in data:
        bundle.items.set(items)
    note = _m2m_message(message, _("联办事项"), before_items, items)
    if changed_fields or note != message:
        change_record(obj=bundle, action=ChangeAction.UPDATE, before=before, message=note)
    return bundle
