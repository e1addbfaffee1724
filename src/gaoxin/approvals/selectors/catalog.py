"""Reads of the approval catalog: the zone's active version, the versions a user may see, and the shapes
of the catalog pages (stages → items with their prerequisites, routes with their critical chain, bundles).

Scope: a catalog is the zone's rules, not a department's records (no ScopeRule): the zone's leaders (a
city-level leader: every zone they may read) and all its department staff read it. Enterprise users read
no catalog page (they see their own cases), administrators read no business data.
"""

from dataclasses import dataclass, field

from django.db.models import Count, QuerySet

from gaoxin.core.permissions import Role

from ..catalog_graph import longest_chain
from ..machine import effective_requires
from ..models import ApprovalCase, BundleDef, Catalog, CatalogStatus, ItemDef, RouteTemplate, StageDef


def active_catalog(zone) -> Catalog | None:
    """The zone's 生效 catalog, the one new cases are opened on (None before one is installed)."""
    return Catalog.objects.filter(zone_id=getattr(zone, "pk", zone), status=CatalogStatus.ACTIVE).first()


def readable_zone_ids(user) -> list[int]:
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    if user.role == Role.ZONE_LEADER:
        return user.readable_zone_ids()
    if user.role == Role.DEPARTMENT_STAFF and user.zone_id:
        return [user.zone_id]
    return []


def catalogs_for_user(user) -> QuerySet:
    """Every version of every catalog the user may read, newest first within a zone."""
    return (Catalog.objects.filter(zone_id__in=readable_zone_ids(user)).select_related("zone")
            .order_by("zone__code", "-version"))


def catalog_list_rows(user) -> list[Catalog]:
    """The versions with `item_count` and `case_count` set. Counted in two grouped queries rather than a
    join of both tables, which would multiply items by cases."""
    catalogs = list(catalogs_for_user(user))
    ids = [c.pk for c in catalogs]
    items = dict(ItemDef.objects.filter(catalog_id__in=ids).values("catalog_id").annotate(n=Count("pk"))
                 .values_list("catalog_id", "n"))
    cases = dict(ApprovalCase.objects.filter(catalog_id__in=ids).values("catalog_id").annotate(n=Count("pk"))
                 .values_list("catalog_id", "n"))
    for c in catalogs:
        c.item_count, c.case_count = items.get(c.pk, 0), cases.get(c.pk, 0)
    return catalogs


def catalog_for_user(user, pk) -> Catalog | None:
    return Catalog.objects.filter(pk=pk, zone_id__in=readable_zone_ids(user)).select_related("zone").first()


def item_def_for_user(user, pk) -> ItemDef | None:
    return (ItemDef.objects.filter(pk=pk, catalog__zone_id__in=readable_zone_ids(user))
            .select_related("catalog", "catalog__zone", "stage", "department").first())


def route_for_user(user, pk) -> RouteTemplate | None:
    return (RouteTemplate.objects.filter(pk=pk, catalog__zone_id__in=readable_zone_ids(user))
            .select_related("catalog", "catalog__zone").first())


def bundle_for_user(user, pk) -> BundleDef | None:
    return (BundleDef.objects.filter(pk=pk, catalog__zone_id__in=readable_zone_ids(user))
            .select_related("catalog", "catalog__zone", "anchor").first())


def catalog_items(catalog: Catalog) -> QuerySet:
    """The catalog's items in its order (stage, then position), stage loaded: the route and bundle forms'
    choices."""
    return ItemDef.objects.filter(catalog=catalog).select_related("stage").order_by("stage__code", "order", "pk")


def chain_for_items(catalog: Catalog, items) -> tuple[int, list[ItemDef]]:
    """The promised working days along the critical chain of a set of the catalog's items (as a route of
    exactly these items would run), and that chain, first item first. Used by the route form to show what
    a selection amounts to before and after it is saved."""
    items = sorted(items, key=lambda i: (i.stage.code, i.order, i.pk))
    by_code = {i.code: i for i in items}
    codes = list(by_code)
    chain_wd, chain = longest_chain(effective_requires(requires_by_code(catalog), codes),
                                    {i.code: i.promised_limit_wd for i in items})
    return chain_wd, [by_code[c] for c in chain]


def requires_by_code(catalog: Catalog) -> dict[str, tuple[str, ...]]:
    """{item code: codes of its prerequisites} for the whole catalog, every item a key (one query)."""
    graph: dict[str, list[str]] = {code: [] for code in catalog.items.values_list("code", flat=True)}
    links = (ItemDef.requires.through.objects.filter(from_itemdef__catalog=catalog)
             .order_by("to_itemdef__stage__code", "to_itemdef__order", "to_itemdef_id")
             .values_list("from_itemdef__code", "to_itemdef__code"))
    for code, need in links:
        graph[code].append(need)
    return {code: tuple(needs) for code, needs in graph.items()}


def route_item_requires(route: RouteTemplate) -> dict[str, tuple[str, ...]]:
    """The prerequisites among a route's own items, prerequisites outside the route being bypassed (their
    own prerequisites apply): the DAG a case opened on this route runs (带方案出让 has no 设计方案审查, so
    建设工程规划许可 waits for 建设用地规划许可)."""
    codes = list(route.items.order_by("stage__code", "order", "pk").values_list("code", flat=True))
    return effective_requires(requires_by_code(route.catalog), codes)


# --- the detail page ----------------------------------------------------------------------------------

@dataclass
class ItemRow:
    item: ItemDef
    requires: list[ItemDef]
    in_routes: list[str]  # project types whose route contains the item


@dataclass
class StageBlock:
    stage: StageDef
    rows: list[ItemRow] = field(default_factory=list)


@dataclass
class RouteRow:
    route: RouteTemplate
    item_count: int
    chain_wd: int  # promised working days along the critical chain
    chain: list[ItemDef]  # that chain, first item first
    over_target: bool


@dataclass
class BundleRow:
    bundle: BundleDef
    items: list[ItemDef]


@dataclass
class CatalogDetail:
    catalog: Catalog
    stages: list[StageBlock]
    routes: list[RouteRow]
    bundles: list[BundleRow]
    graph: dict  # nodes and edges for the DAG chart


def catalog_detail(catalog: Catalog) -> CatalogDetail:
    """Stages → items (with prerequisites by name and the routes using them), routes with item counts and
    the promised working days along their critical chain, bundles. A fixed number of queries."""
    items = list(ItemDef.objects.filter(catalog=catalog).select_related("department", "stage")
                 .prefetch_related("requires").order_by("stage__code", "order", "pk"))
    by_code = {i.code: i for i in items}
    routes = list(RouteTemplate.objects.filter(catalog=catalog).prefetch_related("items"))
    route_types: dict[int, list[str]] = {}
    for route in routes:
        for i in route.items.all():
            route_types.setdefault(i.pk, []).append(route.get_project_type_display())
    stages = {s.pk: StageBlock(s) for s in StageDef.objects.filter(catalog=catalog)
              .select_related("lead_department").order_by("code")}
    for i in items:
        # prerequisites are items of the same catalog: take them from `by_code`, which has their stage
        needs = [by_code[r.code] for r in i.requires.all()]
        stages[i.stage_id].rows.append(ItemRow(i, needs, route_types.get(i.pk, [])))

    graph = {code: tuple(r.code for r in i.requires.all()) for code, i in by_code.items()}
    weights = {i.code: i.promised_limit_wd for i in items}
    route_rows = []
    for route in routes:
        codes = [i.code for i in route.items.all()]  # prefetched in the model's order: stage, order
        chain_wd, chain = longest_chain(effective_requires(graph, codes), weights)
        route_rows.append(RouteRow(route, len(codes), chain_wd, [by_code[c] for c in chain],
                                   chain_wd > route.target_wd))

    bundles = [BundleRow(b, list(b.items.all())) for b in
               BundleDef.objects.filter(catalog=catalog).select_related("anchor").prefetch_related("items")]
    chart = {
        "nodes": [{"code": i.code, "name": i.name, "stage": i.stage.code, "stage_name": i.stage.name,
                   "promised": i.promised_limit_wd} for i in items],
        "edges": [[need, code] for code, needs in graph.items() for need in needs],
    }
    return CatalogDetail(catalog, list(stages.values()), route_rows, bundles, chart)
