"""Reads of runs and results: scope, filters, class distributions, year over year."""

from decimal import Decimal

import pytest

from gaoxin.evaluation.models import EvaluationData, EvaluationRun, OverrideKind, RunStatus
from gaoxin.evaluation.selectors import runs as selectors
from gaoxin.evaluation.services import runs as services
from gaoxin.evaluation.services import schemes as scheme_services

from .runs import SCHEME, YEAR, evaluation_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def ev(world):
    evaluation_world(world)
    return world


@pytest.fixture
def run(ev):
    return services.evaluation_run_create(user=ev.users["staff_a"], year=YEAR)


def firms(ev, results):
    names = {e.pk: key for key, e in ev.enterprises.items()}
    return {names[r.enterprise_id] for r in results}


def previous_year(ev):
    """2024: the same scheme, only c1 reported (tax 100): c1 is A, every other 规上 firm ties at 0 (B)."""
    staff = ev.users["staff_a"]
    text = SCHEME.replace(f"year = {YEAR}", f"year = {YEAR - 1}").replace(f"{YEAR}年度", f"{YEAR - 1}年度")
    scheme = scheme_services.evaluation_scheme_create(user=staff, data={"toml": text})
    scheme_services.evaluation_scheme_activate(user=staff, scheme=scheme)
    EvaluationData.objects.create(zone=ev.zone, department=ev.dept_a, enterprise=ev.enterprises["c1"],
                                  year=YEAR - 1, tax=Decimal("100"))
    return services.evaluation_run_create(user=staff, year=YEAR - 1)


@pytest.mark.parametrize("role,visible", [("leader", True), ("staff_a", True), ("staff_b", False),
                                          ("other_staff", False), ("enterprise", False), ("system_admin", False)])
def test_runs_are_scoped(ev, run, role, visible):
    assert (selectors.run_get_for_user(user=ev.users[role], pk=run.pk) is not None) is visible
    assert selectors.runs_for_user(user=ev.users[role]).exists() is visible


def test_run_list_counts_results_exempt_and_overrides(ev, run):
    a1 = run.results.get(enterprise=ev.enterprises["a1"])
    services.evaluation_result_override(user=ev.users["staff_a"], result=a1, kind=OverrideKind.UP, reason="培育")
    row = selectors.runs_for_user(user=ev.users["leader"], filters={"year": str(YEAR)}).get()
    assert (row.result_count, row.exempt_count, row.override_count) == (9, 1, 1)
    assert not selectors.runs_for_user(user=ev.users["leader"], filters={"year": "1999"}).exists()
    assert not selectors.runs_for_user(user=ev.users["leader"], filters={"status": RunStatus.FINAL}).exists()
    assert selectors.runs_for_user(user=ev.users["leader"], filters={"year": "x", "status": "?"}).count() == 1


@pytest.mark.parametrize("filters,expected", [
    ({}, {"c1", "c2", "c3", "c4", "c5", "a1", "a2", "b1"}),
    ({"group": "below"}, {"c5", "a2"}),
    ({"class": "B"}, {"c2", "a1", "c5"}),
    ({"division": "26"}, {"c2", "c4"}),
    ({"area": "二号片区"}, {"c4", "c5", "a2"}),
    ({"q": "测试企业11"}, {"c1"}),
    ({"group": "above", "class": "C"}, {"c3", "c4"}),
    ({"group": "nope"}, set()),
])
def test_result_filters(ev, run, filters, expected):
    results = selectors.results_for_user(user=ev.users["leader"], run=run, filters={**filters, "exempt": "0"})
    assert firms(ev, results) == expected


def test_exempt_filter_and_search_by_uscc(ev, run):
    leader = ev.users["leader"]
    assert firms(ev, selectors.results_for_user(user=leader, run=run, filters={"exempt": "1"})) == {"new"}
    assert selectors.results_for_user(user=leader, run=run).count() == 9
    uscc = ev.enterprises["c3"].uscc
    assert firms(ev, selectors.results_for_user(user=leader, run=run, filters={"q": uscc[-8:]})) == {"c3"}


def test_results_and_result_pages_are_scoped(ev, run):
    result = run.results.get(enterprise=ev.enterprises["c1"])
    assert selectors.result_get_for_user(user=ev.users["staff_a"], pk=result.pk) == result
    assert selectors.result_get_for_user(user=ev.users["staff_b"], pk=result.pk) is None
    assert not selectors.results_for_user(user=ev.users["staff_b"], run=run).exists()


def test_filter_options_list_what_the_run_holds(ev, run):
    options = selectors.result_filter_options(run=run)
    assert options["groups"] == [("above", "规上企业"), ("below", "规下企业")]
    assert options["classes"] == ["A", "B", "C", "D"]
    assert [code for code, _label in options["divisions"]] == ["26", "39"]
    assert options["divisions"][1][1].startswith("39 ")
    assert options["areas"] == ["一号片区", "二号片区"]


def test_summary_per_group_with_benchmarks_and_overrides(ev, run):
    c4 = run.results.get(enterprise=ev.enterprises["c4"])
    services.evaluation_result_override(user=ev.users["staff_a"], result=c4, kind=OverrideKind.FIX, target_class="A",
                                        reason="省级专精特新")
    summary = selectors.run_summary(run=run)
    above, below = summary.groups
    assert (above.code, above.n, below.n) == ("above", 6, 2)
    assert above.classes == [("A", 2), ("B", 2), ("C", 1), ("D", 1)]
    assert below.classes == [("A", 0), ("B", 1), ("C", 0), ("D", 1)]
    assert (above.overridden, below.overridden, summary.overridden) == (1, 0, 1)
    assert (summary.evaluated, summary.exempt) == (8, 1)
    assert summary.classes == [("A", 2), ("B", 3), ("C", 1), ("D", 2)]
    tax, va = above.indicators
    assert (tax["label"], tax["benchmark"], tax["rows_with_value"], tax["weight"]) == ("亩均税收", 17.0, 5, 60)
    assert va["benchmark"] == 68.0 and "汇总" in tax["rule"] and tax["formula"] == "tax ÷ land_mu"
    assert above.chart == {"code": "above", "label": "规上企业", "classes": ["A", "B", "C", "D"], "counts": [2, 2, 1, 1]}


def test_a_result_is_explained_from_its_frozen_figures(ev, run):
    c1 = run.results.get(enterprise=ev.enterprises["c1"])
    tax, va = selectors.result_indicators(result=c1)
    assert (tax["figures"], tax["value_shown"], tax["benchmark_shown"]) == ("300 ÷ 10", "30", "17")
    assert tax["score_shown"] == Decimal("105.88")  # 60 × 30 / 17 = 105.882…
    assert va["score_shown"] == Decimal("70.59")  # 40 × 120 / 68 = 70.588…
    inputs = {i["column"]: i for i in selectors.frozen_inputs(result=c1)}
    assert inputs["land_mu"]["value"] == "10" and inputs["land_source"]["value"] == "土地台账"
    assert inputs["tax"]["label"] == "实缴税收（万元）" and inputs["emission_t"]["value"] == "—"


def test_rounded_score_is_half_up():
    assert selectors.rounded_score(2.675) == Decimal("2.68")  # the float is 2.67499999…, its repr is 2.675
    assert selectors.rounded_score(0.005) == Decimal("0.01")
    assert selectors.rounded_score(None) is None


def test_zone_history_counts_each_years_counting_run(ev, run):
    previous_year(ev)
    a1 = run.results.get(enterprise=ev.enterprises["a1"])
    services.evaluation_result_override(user=ev.users["staff_a"], result=a1, kind=OverrideKind.UP, reason="培育")
    second = services.evaluation_run_create(user=ev.users["staff_a"], year=YEAR)  # v2 supersedes v1
    history = selectors.zone_history(user=ev.users["leader"])
    assert [y.year for y in history.years] == [YEAR - 1, YEAR]
    assert history.years[1].run == second
    assert history.labels == ["A", "B", "C", "D"]
    old, new = history.years
    assert (old.counts, old.evaluated, old.exempt, old.overridden) == ({"A": 1, "B": 7}, 8, 1, 0)
    assert (new.counts, new.evaluated, new.exempt, new.overridden) == ({"A": 2, "B": 2, "C": 2, "D": 2}, 8, 1, 1)
    assert history.chart == {"years": ["2024", "2025"], "series": [
        {"name": "A", "data": [1, 2]}, {"name": "B", "data": [7, 2]}, {"name": "C", "data": [0, 2]},
        {"name": "D", "data": [0, 2]}]}
    assert selectors.zone_history(user=ev.users["staff_b"]).years == []


def test_history_prefers_the_final_run(ev, run):
    second = services.evaluation_run_create(user=ev.users["staff_a"], year=YEAR)
    EvaluationRun.objects.filter(pk=run.pk).update(status=RunStatus.FINAL)  # an odd state, but the rule holds
    assert [y.run.pk for y in selectors.zone_history(user=ev.users["leader"]).years] == [run.pk]
    assert second.pk != run.pk


def test_enterprise_history_across_years(ev, run):
    previous_year(ev)
    services.evaluation_run_create(user=ev.users["staff_a"], year=YEAR)
    history = selectors.enterprise_history(user=ev.users["leader"], enterprise_id=ev.enterprises["c1"].pk)
    assert [(r.run.year, r.run.version, r.final_class) for r in history] == [(YEAR - 1, 1, "A"), (YEAR, 2, "A")]
    chart = selectors.enterprise_history_chart(history)
    assert chart["years"] == ["2024", "2025"] and chart["classes"] == ["A", "A"]
    assert chart["scores"][1] == float(selectors.rounded_score(history[1].score))
    new = selectors.enterprise_history(user=ev.users["leader"], enterprise_id=ev.enterprises["new"].pk)
    assert selectors.enterprise_history_chart(new)["classes"] == ["不参评", "不参评"]
    assert selectors.enterprise_history(user=ev.users["staff_b"], enterprise_id=ev.enterprises["c1"].pk) == []
