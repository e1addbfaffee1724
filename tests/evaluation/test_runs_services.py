"""Runs: computing a year from the data and the active scheme, freezing it, versions, overrides."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gaoxin.core.audit.models import ObjectChange
from gaoxin.evaluation.models import EvaluationData, EvaluationRun, OverrideKind, RunStatus
from gaoxin.evaluation.services import runs

from .runs import YEAR, evaluation_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def ev(world):
    evaluation_world(world)
    return world


def run_now(ev, **kw):
    return runs.evaluation_run_create(user=ev.users["staff_a"], year=YEAR, **kw)


def by_firm(run):
    return {r.enterprise_id: r for r in run.results.all()}


def test_a_run_scores_ranks_and_classes_every_enterprise_of_the_year(ev):
    run = run_now(ev)
    assert (run.version, run.status, run.scheme_version) == (1, RunStatus.COMPUTED, 1)
    results = by_firm(run)
    e = ev.enterprises
    c1, c2, a1, c3, c4, b1 = (results[e[k].pk] for k in ("c1", "c2", "a1", "c3", "c4", "b1"))
    # aggregate benchmarks over the 规上 firms with values: tax 850/50 = 17, value added 3400/50 = 68
    assert c1.score == pytest.approx(60 * 30 / 17 + 40 * 120 / 68, abs=1e-12)
    assert a1.score == pytest.approx(60 * 15 / 17 + 40 * 60 / 68, abs=1e-12)
    assert b1.score == 0  # no figures reported: missing = zero
    assert [r.rank for r in (c1, c2, a1, c3, c4, b1)] == [1, 2, 3, 4, 4, 6]
    assert [r.final_class for r in (c1, c2, a1, c3, c4, b1)] == ["A", "B", "B", "C", "C", "D"]
    assert {r.group_size for r in (c1, b1)} == {6}
    tax = c1.indicators[0]
    assert (tax["code"], tax["benchmark"], tax["value"]) == ("tax_per_mu", 17.0, 30.0)
    assert c1.inputs["land_mu"] == 10.0 and c1.inputs["tax"] == 300.0
    # ranks within 大类 (39: c1, a1, c3, b1) and 片区 (一号片区 holds all the 规上 firms but c4)
    assert (c1.industry_rank, a1.industry_rank, c3.industry_rank, b1.industry_rank) == (1, 2, 3, 4)
    assert (c2.industry_rank, c4.industry_rank, c4.industry_size) == (1, 2, 2)
    assert (a1.area_rank, a1.area_size, c4.area_rank, c4.area_size) == (3, 5, 1, 1)
    # 规下: a2 has no land (missing → 0), c5 is exactly at the benchmark
    c5, a2 = results[e["c5"].pk], results[e["a2"].pk]
    assert (c5.score, c5.final_class, a2.score, a2.final_class) == (100.0, "B", 0.0, "D")
    assert run.report["groups"]["above"]["benchmarks"] == {"tax_per_mu": 17.0, "va_per_mu": 68.0}


def test_new_firms_are_listed_as_not_evaluated_with_the_reason(ev):
    run = run_now(ev)
    new = run.results.get(enterprise=ev.enterprises["new"])
    assert new.score is None and not new.evaluated
    assert "成立未满 3 年" in new.exempt_reason
    assert run.results.count() == 9  # the whole population, exempt included


def test_veto_and_land_override_come_from_the_data(ev):
    data = EvaluationData.objects.get(enterprise=ev.enterprises["c1"])
    data.major_accident = True
    data.land_mu_override, data.land_mu_reason = 20, "含租用厂房"
    data.save()
    c1 = run_now(ev).results.get(enterprise=ev.enterprises["c1"])
    assert (c1.computed_class, c1.veto) == ("D", "重大安全事故")
    assert c1.inputs["land_mu"] == 20.0 and c1.inputs["land_mu_register"] == 10.0
    assert "含租用厂房" in c1.inputs["land_source"]


def test_a_rerun_is_a_new_version_that_supersedes_and_keeps_overrides(ev):
    first = run_now(ev)
    a1 = first.results.get(enterprise=ev.enterprises["a1"])
    runs.evaluation_result_override(user=ev.users["staff_a"], result=a1, kind=OverrideKind.UP, reason="成长型科技企业")
    a1.refresh_from_db()
    assert (a1.computed_class, a1.final_class) == ("B", "A")
    EvaluationData.objects.filter(enterprise=ev.enterprises["c3"]).update(tax=500)
    second = run_now(ev)
    first.refresh_from_db()
    assert (second.version, first.status, second.previous_id) == (2, RunStatus.SUPERSEDED, first.pk)
    a1_again = second.results.get(enterprise=ev.enterprises["a1"])
    assert a1_again.override_kind == OverrideKind.UP and a1_again.override_reason == "成长型科技企业"
    assert a1_again.final_class == runs.overridden_class(labels=["A", "B", "C", "D"],
                                                         computed=a1_again.computed_class, kind="提档")


@pytest.mark.parametrize("kind,target,expected", [("定档", "A", "A"), ("提档", "", "A"), ("降档", "", "C")])
def test_overrides_move_the_class_and_are_audited(ev, kind, target, expected):
    run = run_now(ev)
    a1 = run.results.get(enterprise=ev.enterprises["a1"])
    runs.evaluation_result_override(user=ev.users["staff_a"], result=a1, kind=kind, target_class=target,
                                    reason="县500强企业")
    a1.refresh_from_db()
    assert (a1.final_class, a1.computed_class) == (expected, "B")
    change = ObjectChange.objects.filter(content_type__model="evaluationresult", object_id=a1.pk).get()
    assert "县500强企业" in change.message and change.postchange_data["final_class"] == expected


def test_override_rules(ev):
    run = run_now(ev)
    staff = ev.users["staff_a"]
    c1 = run.results.get(enterprise=ev.enterprises["c1"])
    with pytest.raises(ValidationError, match="原因"):
        runs.evaluation_result_override(user=staff, result=c1, kind="降档", reason=" ")
    with pytest.raises(ValidationError, match="最高档"):
        runs.evaluation_result_override(user=staff, result=c1, kind="提档", reason="x")
    with pytest.raises(ValidationError):
        runs.evaluation_result_override(user=staff, result=c1, kind="定档", target_class="E", reason="x")
    new = run.results.get(enterprise=ev.enterprises["new"])
    with pytest.raises(ValidationError, match="不参评"):
        runs.evaluation_result_override(user=staff, result=new, kind="定档", target_class="A", reason="x")
    with pytest.raises(PermissionDenied):
        runs.evaluation_result_override(user=ev.users["staff_b"], result=c1, kind="降档", reason="x")
    runs.evaluation_result_override(user=staff, result=c1, kind="降档", reason="规上企业下降为规下")
    runs.evaluation_result_override(user=staff, result=c1, kind="", reason="")
    c1.refresh_from_db()
    assert (c1.final_class, c1.override_kind) == ("A", "")


def test_a_final_year_is_locked_and_runs_need_an_active_scheme(ev):
    run = run_now(ev)
    EvaluationRun.objects.filter(pk=run.pk).update(status=RunStatus.FINAL)
    with pytest.raises(ValidationError, match="已定稿"):
        run_now(ev)
    with pytest.raises(ValidationError, match="没有启用的评价方案"):
        runs.evaluation_run_create(user=ev.users["staff_a"], year=YEAR + 1)


def test_bad_data_for_the_scheme_is_a_validation_error_and_writes_nothing(ev):
    from gaoxin.evaluation.models import EvaluationScheme

    scheme = EvaluationScheme.objects.get()
    EvaluationScheme.objects.filter(pk=scheme.pk).update(toml=scheme.toml.replace('"tax"', '"no_such_column"'))
    with pytest.raises(ValidationError, match="no_such_column"):
        run_now(ev)
    assert not EvaluationRun.objects.exists()


def test_only_department_staff_run(ev):
    for name in ("leader", "enterprise", "system_admin"):
        with pytest.raises(PermissionDenied):
            runs.evaluation_run_create(user=ev.users[name], year=YEAR)


def test_the_year_is_run_by_the_department_that_keeps_its_scheme(ev):
    from gaoxin.evaluation.models import EvaluationScheme

    with pytest.raises(PermissionDenied, match="其他部门"):
        runs.evaluation_run_create(user=ev.users["staff_b"], year=YEAR)
    assert EvaluationScheme.objects.get().department == ev.dept_a
