"""Match runs: hand-computed amounts (rule caps, the entity cap across clauses and runs, budget scaling of what
is left), exclusions of what is already awarded, refusals, audit rows, atomicity; notify and cancel."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gaoxin.core.audit.models import ChangeAction, ObjectChange
from gaoxin.policies import rules
from gaoxin.policies.models import Award, AwardStatus, Clause, MatchRun, PolicyStatus
from gaoxin.policies.selectors.budget import budget_for_policy
from gaoxin.policies.services import runs as services

from .policy_world import APPLY, RETROFIT, RND, SMART_FACTORY, D, institution, make_policy, project

pytestmark = pytest.mark.django_db
d = dt.date


@pytest.fixture
def rw(world):
    """2024: a1 a new city smart factory and 6000 万元 of retrofit equipment and a new R&D institution; a2 1234.56
    of retrofit equipment; b1 a new R&D institution."""
    a1, a2, b1 = world.enterprises["a1"], world.enterprises["a2"], world.enterprises["b1"]
    project(world, a1, "智能工厂", d(2023, 1, 1), level="市级", certified=d(2024, 5, 1))
    project(world, a1, "智能化改造", d(2024, 1, 1), completed=d(2024, 9, 1), equipment="6000")
    project(world, a2, "智能化改造", d(2024, 1, 1), completed=d(2024, 9, 1), equipment="1234.56")
    institution(world, a1, "市级", d(2024, 3, 1))
    institution(world, b1, "区级", d(2024, 4, 1))
    return world


def rows(run) -> list[tuple]:
    return [(a.enterprise.uscc, a.clause.code, a.raw_wan, a.granted_wan, a.amount_wan, a.note)
            for a in run.awards.select_related("enterprise", "clause").order_by("clause__order", "enterprise__uscc")]


def u(world, key) -> str:
    return world.enterprises[key].uscc


def create(world, policy, year=2024, user="staff_a"):
    return services.match_run_create(user=world.users[user], policy=policy, year=year)


def test_hand_computed_run_with_rule_and_entity_caps(rw):
    policy = make_policy(rw, SMART_FACTORY, RETROFIT, RND, APPLY, budget="20000", entity_cap="500")
    run = create(rw, policy)
    assert rows(run) == [
        (u(rw, "a1"), "smart_factory", D("200.00"), D("200.00"), D("200.00"), ""),
        (u(rw, "a1"), "retrofit", D("600.00"), D("300.00"), D("300.00"), "单项上限500万元；单户上限500万元（已获200万元）"),
        (u(rw, "a2"), "retrofit", D("123.46"), D("123.46"), D("123.46"), ""),
        (u(rw, "b1"), "rnd", D("50.00"), D("50.00"), D("50.00"), ""),
    ]
    # a1's R&D reward met the entity cap: matched and counted, but no award of 0
    assert (run.number, run.year, run.status, run.entities, run.matched) == (1, 2024, "已比对", 3, 5)
    assert (run.granted_wan, run.paid_wan, run.budget_scaled) == (D("673.46"), D("673.46"), False)
    assert set(run.awards.values_list("status", flat=True)) == {AwardStatus.PENDING}
    assert budget_for_policy(policy=policy).committed_wan == D("673.46")
    assert create(rw, policy, year=2025).number == 1  # batches count within their facts year


def test_each_award_freezes_what_produced_it(rw):
    policy = make_policy(rw, SMART_FACTORY, RETROFIT, RND)
    run = create(rw, policy)
    award = run.awards.get(clause__code="retrofit", enterprise=rw.enterprises["a1"])
    clause = award.clause
    assert (award.source, award.year, award.clause_version, award.department, award.zone) == (
        "免申即享", 2024, clause.version, rw.dept_a, rw.zone)
    assert (award.rule_when, award.rule_amount) == (clause.when, clause.amount_wan)
    assert award.facts["entity"] == u(rw, "a1")
    assert award.facts["smart_retrofit_equipment_wan"] == "6000.00" and award.facts["rnd_new"] == 1
    assert award.facts["tax_wan"] is None
    assert run.facts_columns[0] == "entity" and "smart_retrofit_equipment_wan" in run.facts_columns
    # the frozen rules are a valid rules file: the budget left at that moment, the entity cap, the clauses
    frozen = rules.parse_rules(run.rules_toml)
    assert (frozen.code, frozen.budget_cents, frozen.entity_cap_cents) == ("GX-2024-10", 2000000, 50000)
    assert [r.code for r in frozen.rules] == ["smart_factory", "retrofit", "rnd"]


def test_budget_scaling_rounds_down(rw):
    policy = make_policy(rw, SMART_FACTORY, RETROFIT, RND, budget="600")
    run = create(rw, policy)
    paid = [r[4] for r in rows(run)]
    assert paid == [D("178.18"), D("267.27"), D("109.99"), D("44.54")]
    assert (run.granted_wan, run.paid_wan, run.budget_scaled) == (D("673.46"), D("599.98"), True)
    assert all("预算600万元按比例核减" in r[5] for r in rows(run))


def test_a_later_run_excludes_what_is_awarded_and_counts_it_against_the_caps(rw):
    policy = make_policy(rw, SMART_FACTORY, RETROFIT, RND, budget="700")
    first = create(rw, policy)
    # after the first run: b1 gets a city smart factory in 2024
    project(rw, rw.enterprises["b1"], "智能工厂", d(2023, 1, 1), level="市级", certified=d(2024, 11, 1))
    second = create(rw, policy)
    # a1's rnd matches again (no award was made), still with nothing left under the entity cap; b1's smart
    # factory is new: 200 granted, but only 700 − 673.46 = 26.54 is left in the budget
    assert second.number == 2 and second.matched == 2
    assert rows(second) == [(u(rw, "b1"), "smart_factory", D("200.00"), D("200.00"), D("26.54"),
                             "预算26.54万元按比例核减")]
    assert (second.granted_wan, second.paid_wan, second.budget_scaled) == (D("200.00"), D("26.54"), True)
    assert rules.parse_rules(second.rules_toml).budget_cents == 2654
    assert first.awards.count() == 4


def test_prior_awards_of_other_years_count_against_the_entity_cap(rw):
    policy = make_policy(rw, SMART_FACTORY, RETROFIT, RND)
    create(rw, policy)
    institution(rw, rw.enterprises["a1"], "国家级", d(2025, 2, 1))
    project(rw, rw.enterprises["a2"], "智能化改造", d(2025, 1, 1), completed=d(2025, 3, 1), equipment="2000")
    later = create(rw, policy, year=2025)
    assert rows(later) == [(u(rw, "a2"), "retrofit", D("200.00"), D("200.00"), D("200.00"), "")]
    assert later.matched == 2  # a1's 2025 institution matched, but a1 already has 500 under the policy


def test_a_declined_award_frees_its_clause_and_year_and_its_amount(rw):
    policy = make_policy(rw, SMART_FACTORY, RETROFIT, RND)
    first = create(rw, policy)
    Award.objects.filter(run=first, clause__code="smart_factory").update(status=AwardStatus.DECLINED)
    second = create(rw, policy)
    # smart_factory for a1 is free again; a1 now holds only the retrofit's 300, so 200 fits under the cap,
    # and the rnd's 50 no longer (300 + 200 = 500)
    assert [(r[0], r[1], r[4]) for r in rows(second)] == [(u(rw, "a1"), "smart_factory", D("200.00"))]


@pytest.mark.parametrize("status", [PolicyStatus.DRAFT, PolicyStatus.ENDED])
def test_refuses_a_policy_not_in_force(rw, status):
    policy = make_policy(rw, SMART_FACTORY, status=status)
    with pytest.raises(ValidationError, match="只有实施中的政策"):
        create(rw, policy)
    assert not MatchRun.objects.exists()


def test_refuses_without_an_active_automatic_clause(rw):
    policy = make_policy(rw, APPLY, {**SMART_FACTORY, "active": False})
    with pytest.raises(ValidationError, match="没有启用的免申即享条款"):
        create(rw, policy)


@pytest.mark.parametrize("year,text", [(2023, "不在政策有效期"), (2027, "不是可以比对的年度"), ("x", "不是可以比对的年度")])
def test_refuses_a_year_outside_the_validity(rw, year, text):
    policy = make_policy(rw, SMART_FACTORY, valid_until=d(2024, 12, 31))
    with pytest.raises(ValidationError, match=text):
        create(rw, policy, year=year)


def test_refuses_when_the_budget_is_spent(rw):
    policy = make_policy(rw, SMART_FACTORY, RETROFIT, RND, budget="600")
    create(rw, policy)
    Award.objects.filter(policy=policy).update(amount_wan=D("150"))  # 4 × 150 = 600 committed
    with pytest.raises(ValidationError, match="已全部承诺"):
        create(rw, policy)


@pytest.mark.parametrize("role", ["staff_b", "leader", "enterprise", "other_staff"])
def test_only_the_policy_department_runs(rw, role):
    policy = make_policy(rw, SMART_FACTORY)
    with pytest.raises(PermissionDenied):
        create(rw, policy, user=role)
    assert not MatchRun.objects.exists()


def test_audit_rows_for_the_run_and_each_award(rw):
    policy = make_policy(rw, SMART_FACTORY, RETROFIT, RND)
    before = ObjectChange.objects.count()
    run = create(rw, policy)
    created = ObjectChange.objects.filter(action=ChangeAction.CREATE)
    assert created.filter(content_type__model="matchrun", object_id=run.pk).count() == 1
    award_ids = set(run.awards.values_list("pk", flat=True))
    assert set(created.filter(content_type__model="award").values_list("object_id", flat=True)) == award_ids
    assert ObjectChange.objects.count() == before + 1 + len(award_ids)


def test_a_failing_rule_writes_nothing(rw):
    policy = make_policy(rw, SMART_FACTORY, RETROFIT)
    Clause.objects.filter(code="retrofit").update(amount_wan="no_such_column * 2")  # past the service's check
    before = ObjectChange.objects.count()
    with pytest.raises(ValidationError) as exc:
        create(rw, policy)
    assert "no_such_column" in " ".join(exc.value.messages)
    assert not MatchRun.objects.exists() and not Award.objects.exists()
    assert ObjectChange.objects.count() == before


def test_a_database_failure_after_the_run_row_rolls_everything_back(rw, monkeypatch):
    policy = make_policy(rw, SMART_FACTORY, RETROFIT)

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "insert_instances", boom)
    with pytest.raises(RuntimeError):
        create(rw, policy)
    assert not MatchRun.objects.exists() and not Award.objects.exists()


# --- notify and cancel ---------------------------------------------------------------------------------

def test_notify_sends_every_pending_award(rw):
    policy = make_policy(rw, SMART_FACTORY, RETROFIT, RND)
    run = create(rw, policy)
    count = services.match_run_notify(user=rw.users["staff_a"], run=run)
    run.refresh_from_db()
    assert count == 4 and run.status == "已推送" and run.notified_at is not None
    assert set(run.awards.values_list("status", flat=True)) == {AwardStatus.NOTIFIED}
    assert all(a.notified_at == run.notified_at for a in run.awards.all())
    updates = ObjectChange.objects.filter(action=ChangeAction.UPDATE, content_type__model="award")
    assert updates.count() == 4 and {c.postchange_data["status"] for c in updates} == {"已推送"}
    with pytest.raises(ValidationError, match="不能推送"):
        services.match_run_notify(user=rw.users["staff_a"], run=run)
    with pytest.raises(ValidationError, match="不能作废"):
        services.match_run_cancel(user=rw.users["staff_a"], run=run, reason="算错了")


def test_notify_refuses_others_and_an_ended_policy(rw):
    policy = make_policy(rw, SMART_FACTORY)
    run = create(rw, policy)
    with pytest.raises(PermissionDenied):
        services.match_run_notify(user=rw.users["staff_b"], run=run)
    policy.status = PolicyStatus.ENDED
    policy.save()
    with pytest.raises(ValidationError, match="不在实施中"):
        services.match_run_notify(user=rw.users["staff_a"], run=run)
    assert set(run.awards.values_list("status", flat=True)) == {AwardStatus.PENDING}


def test_cancel_deletes_the_awards_frees_the_budget_and_keeps_the_run(rw):
    policy = make_policy(rw, SMART_FACTORY, RETROFIT, RND)
    run = create(rw, policy)
    award_ids = set(run.awards.values_list("pk", flat=True))
    with pytest.raises(ValidationError) as exc:
        services.match_run_cancel(user=rw.users["staff_a"], run=run, reason="  ")
    assert "reason" in exc.value.message_dict
    services.match_run_cancel(user=rw.users["staff_a"], run=run, reason="事实数据有误")
    run.refresh_from_db()
    assert run.status == "已作废" and run.rules_toml and run.matched == 5
    assert not Award.objects.exists() and budget_for_policy(policy=policy).committed_wan == 0
    deletes = ObjectChange.objects.filter(action=ChangeAction.DELETE, content_type__model="award")
    assert set(deletes.values_list("object_id", flat=True)) == award_ids
    assert all("事实数据有误" in c.message for c in deletes)
    with pytest.raises(ValidationError):
        services.match_run_notify(user=rw.users["staff_a"], run=run)
    # the clauses and year are free again: a new run awards them anew
    again = create(rw, policy)
    assert again.number == 2 and again.awards.count() == 4


def test_cancel_refused_once_an_award_moved_on(rw):
    policy = make_policy(rw, SMART_FACTORY, RETROFIT)
    run = create(rw, policy)
    Award.objects.filter(run=run).update(status=AwardStatus.NOTIFIED)
    with pytest.raises(ValidationError, match="不能作废"):
        services.match_run_cancel(user=rw.users["staff_a"], run=run, reason="x")
    assert Award.objects.filter(run=run).count() == 3


def test_notify_with_nothing_pending(rw):
    policy = make_policy(rw, SMART_FACTORY)
    run = create(rw, policy)
    Award.objects.filter(run=run).delete()
    with pytest.raises(ValidationError, match="没有待推送"):
        services.match_run_notify(user=rw.users["staff_a"], run=run)
    assert Decimal(run.paid_wan) == D("200.00")


def test_a_policy_without_budget_or_entity_cap(rw):
    policy = make_policy(rw, SMART_FACTORY, RETROFIT, RND, budget=None, entity_cap=None)
    run = create(rw, policy)
    frozen = rules.parse_rules(run.rules_toml)
    assert (frozen.budget_cents, frozen.entity_cap_cents) == (None, None)
    assert [r[4] for r in rows(run)] == [D("200.00"), D("500.00"), D("123.46"), D("50.00"), D("50.00")]
    assert (run.matched, run.paid_wan, run.budget_scaled) == (5, D("923.46"), False)
