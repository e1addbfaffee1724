"""The default catalog data (seed.py) is internally consistent, and the graph helpers behind the editor."""

import itertools

import pytest

from gaoxin.accounts.services import DEFAULT_DEPARTMENTS
from gaoxin.approvals import seed
from gaoxin.approvals.catalog_graph import find_cycle, longest_chain
from gaoxin.approvals.machine import effective_requires
from gaoxin.approvals.models import PauseMode, ProjectType

ITEMS = {i.code: i for i in seed.DEFAULT_ITEMS}
REQUIRES = {i.code: i.requires for i in seed.DEFAULT_ITEMS}
PROMISED = {i.code: i.promised_wd for i in seed.DEFAULT_ITEMS}


def test_codes_are_unique_slugs_and_references_resolve():
    assert len(ITEMS) == len(seed.DEFAULT_ITEMS)
    for item in seed.DEFAULT_ITEMS:
        assert item.code.replace("_", "").isalnum() and item.code.isascii() and item.code.islower()
        assert len(item.code) <= 40 and len(item.name) <= 100
        assert set(item.requires) <= set(ITEMS), item.code
        assert item.stage in {s.code for s in seed.DEFAULT_STAGES}
    for route in seed.DEFAULT_ROUTES:
        assert set(route.items) <= set(ITEMS) and len(set(route.items)) == len(route.items)
    for bundle in seed.DEFAULT_BUNDLES:
        assert bundle.anchor in ITEMS and set(bundle.items) <= set(ITEMS)
        assert bundle.anchor not in bundle.items  # the anchor is not one of its own 联办事项


def test_default_dag_is_acyclic_and_follows_the_national_chain():
    assert find_cycle(REQUIRES) is None
    chain = ["filing", "site", "land_planning", "design_scheme", "construction_planning", "drawing_review",
             "construction_permit", "joint_acceptance", "completion_filing"]
    for before, after in itertools.pairwise(chain):
        assert before in REQUIRES[after], (before, after)
    # the parallel lane is gated by the latest need, not by the start
    for code in ("eia_report", "energy", "utilities"):
        assert ITEMS[code].stage == 5 and REQUIRES[code] == ()
    assert {"eia_report", "energy"} <= set(REQUIRES["construction_permit"])
    assert "utilities" in REQUIRES["joint_acceptance"]


def test_limits_and_rules():
    for item in seed.DEFAULT_ITEMS:
        assert item.promised_wd >= 0
        if item.statutory_wd is not None:
            assert item.promised_wd <= item.statutory_wd, item.code
        if item.commitment:
            assert item.verify_wd and item.method, item.code
        assert item.rongque == bool(item.deferrable), item.code
        assert set(item.deferrable) <= set(item.materials), item.code
        assert item.pause_mode in PauseMode.values
    assert ITEMS["filing"].promised_wd == 0 and ITEMS["filing"].statutory_wd is None  # 即办
    assert (ITEMS["site"].statutory_wd, ITEMS["site"].promised_wd) == (20, 5)
    assert (ITEMS["drawing_review"].statutory_wd, ITEMS["drawing_review"].promised_wd) == (15, 10)
    assert ITEMS["drawing_review"].pause_mode == "restart"
    assert (ITEMS["construction_permit"].statutory_wd, ITEMS["construction_permit"].promised_wd) == (7, 5)
    assert ITEMS["energy"].area_waivable and ITEMS["energy"].promised_wd == 0
    assert ITEMS["eia_report"].commitment and ITEMS["eia_report"].promised_wd == 7
    assert ITEMS["joint_acceptance"].statutory_wd is None and ITEMS["joint_acceptance"].promised_wd == 7
    for code in ("name_change", "seal_filing", "bank_account_change", "tax_info_change"):
        assert ITEMS[code].promised_wd <= 1 and ITEMS[code].department == "zwzx"


def test_departments_are_zone_defaults():
    defaults = {d.code for d in DEFAULT_DEPARTMENTS}
    assert set(seed.DEPARTMENT_CODES) <= defaults
    assert set(seed.DEPARTMENT_CODES) == {"gfj", "jsj", "zwzx"}
    assert [s.lead for s in seed.DEFAULT_STAGES[:5]] == ["gfj", "jsj", "jsj", "jsj", None]


def test_one_route_per_project_type_and_chains_within_targets():
    assert sorted(r.project_type for r in seed.DEFAULT_ROUTES) == sorted(ProjectType.values)
    chains = {}
    for route in seed.DEFAULT_ROUTES:
        total, chain = longest_chain(effective_requires(REQUIRES, route.items), PROMISED)
        assert total <= route.target_wd, route.project_type
        chains[route.project_type] = (total, chain)
    assert chains["社会投资"] == (49, ["filing", "site", "land_planning", "design_scheme", "construction_planning",
                                    "drawing_review", "construction_permit", "joint_acceptance",
                                    "completion_filing"])
    # 带方案出让: no 设计方案审查, so 工程规划许可 waits for 用地规划许可 directly
    total, chain = chains["带方案出让"]
    assert "design_scheme" not in chain and chain[:3] == ["filing", "land_planning", "construction_planning"]
    assert total == 37
    assert chains["简易低风险"] == (8, ["filing", "low_risk_permit", "low_risk_acceptance"])
    assert {r.project_type: r.target_wd for r in seed.DEFAULT_ROUTES} == {
        "政府投资": 90, "社会投资": 90, "简易低风险": 15, "带方案出让": 40}


def test_bundle_has_the_unified_form():
    (bundle,) = seed.DEFAULT_BUNDLES
    assert bundle.anchor == "name_change"
    assert [f["label"] for f in bundle.form_fields] == ["统一社会信用代码", "原名称", "新名称", "法定代表人", "联系电话"]
    assert len({f["name"] for f in bundle.form_fields}) == 5 and bundle.materials


@pytest.mark.parametrize(("graph", "cycle"), [
    ({"a": ("b",), "b": ("c",), "c": ("a",)}, ["a", "b", "c", "a"]),
    ({"a": ("a",)}, ["a", "a"]),
    ({"x": (), "a": ("x", "b"), "b": ("x", "c"), "c": ("b",)}, ["b", "c", "b"]),
    ({"a": ("b",), "b": (), "c": ("a", "b")}, None),
    ({}, None),
    ({"a": ("ghost",)}, None),  # a code only referenced counts as an item without prerequisites
])
def test_find_cycle(graph, cycle):
    assert find_cycle(graph) == cycle


def test_find_cycle_is_not_limited_by_recursion_depth():
    chain = {f"n{i}": (f"n{i + 1}",) for i in range(5000)}
    assert find_cycle(chain) is None
    chain["n5000"] = ("n0",)
    assert len(find_cycle(chain)) == 5002


def test_longest_chain_prefers_the_heaviest_path_and_the_first_listed_on_ties():
    graph = {"a": (), "b": ("a",), "c": ("a",), "d": ("b", "c")}
    assert longest_chain(graph, {"a": 1, "b": 5, "c": 7, "d": 2}) == (10, ["a", "c", "d"])
    assert longest_chain(graph, {"a": 1, "b": 5, "c": 5, "d": 2}) == (8, ["a", "b", "d"])
    assert longest_chain({}, {}) == (0, [])
    # zero weights (即办) still give a chain
    assert longest_chain({"a": (), "b": ("a",)}, {}) == (0, ["a", "b"])
