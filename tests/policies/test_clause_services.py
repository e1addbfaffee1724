"""Clause services (version bumps, SQL checked on the right field, delete refusals) and the live count."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gaoxin.core.audit.models import ChangeAction, ObjectChange
from gaoxin.policies.models import Award, Clause, PolicyStatus
from gaoxin.policies.selectors.policies import clause_preview, explain
from gaoxin.policies.services import clauses as services
from gaoxin.policies.services import runs as run_services

from .policy_world import APPLY, RETROFIT, SMART_FACTORY, make_policy, project

pytestmark = pytest.mark.django_db


@pytest.fixture
def policy(world):
    return make_policy(world, SMART_FACTORY, status=PolicyStatus.DRAFT)


def errors(exc) -> dict:
    return exc.value.message_dict


def test_create_takes_the_policy_department_and_the_next_order(world, policy):
    clause = services.clause_create(user=world.users["staff_a"], policy=policy, data={**RETROFIT, "order": None})
    assert (clause.order, clause.version, clause.department, clause.zone) == (2, 1, world.dept_a, world.zone)
    assert ObjectChange.objects.filter(action=ChangeAction.CREATE, content_type__model="clause",
                                       object_id=clause.pk).exists()


def test_other_department_and_leaders_cannot_write(world, policy):
    for role in ("staff_b", "leader", "enterprise"):
        with pytest.raises(PermissionDenied):
            services.clause_create(user=world.users[role], policy=policy, data=RETROFIT)
        with pytest.raises(PermissionDenied):
            services.clause_update(user=world.users[role], clause=policy.clauses.get(), data={"name": "x"})


@pytest.mark.parametrize("when,amount,field,text", [
    ("smart_factory_new >=", "200", "when", "不是有效的 SQL"),
    ("no_such_column = 1", "200", "when", "no_such_column"),
    ("smart_factory_new", "200", "when", "不是真/假"),
    ("name > 5", "200", "when", "无法计算"),
    ("smart_factory_new = 1", "equipment_wan * 0.1", "amount_wan", "equipment_wan"),
    ("smart_factory_new = 1", "name", "amount_wan", "不是数值"),
    ("smart_factory_new = 1", "200 +", "amount_wan", "不是有效的 SQL"),
])
def test_sql_errors_land_on_their_field(world, policy, when, amount, field, text):
    with pytest.raises(ValidationError) as exc:
        services.clause_create(user=world.users["staff_a"], policy=policy,
                               data={**RETROFIT, "when": when, "amount_wan": amount})
    assert list(errors(exc)) == [field]
    assert text in " ".join(errors(exc)[field])
    assert policy.clauses.count() == 1


def test_model_and_sql_errors_come_together(world, policy):
    with pytest.raises(ValidationError) as exc:
        services.clause_create(user=world.users["staff_a"], policy=policy,
                               data={**RETROFIT, "code": "1bad", "amount_wan": "nope"})
    assert set(errors(exc)) == {"code", "amount_wan"}


def test_empty_rule_of_an_automatic_clause_and_missing_cap_of_an_application_clause(world, policy):
    with pytest.raises(ValidationError) as exc:
        services.clause_create(user=world.users["staff_a"], policy=policy, data={**RETROFIT, "when": "  "})
    assert list(errors(exc)) == ["when"]
    with pytest.raises(ValidationError) as exc:
        services.clause_create(user=world.users["staff_a"], policy=policy, data={**APPLY, "cap_wan": None})
    assert list(errors(exc)) == ["cap_wan"]
    # an application clause's SQL is not looked at
    clause = services.clause_create(user=world.users["staff_a"], policy=policy, data={**APPLY, "when": "garbage ("})
    assert clause.mode == "依申请"


def test_duplicate_code_in_the_policy(world, policy):
    with pytest.raises(ValidationError) as exc:
        services.clause_create(user=world.users["staff_a"], policy=policy, data={**RETROFIT, "code": "smart_factory"})
    assert list(errors(exc)) == ["code"]


@pytest.mark.parametrize("change,bumps", [
    ({"when": "smart_factory_city_new >= 2"}, True),
    ({"amount_wan": "250"}, True),
    ({"cap_wan": Decimal("300")}, True),
    ({"cap_wan": Decimal("200.00")}, False),
    ({"active": False}, True),
    ({"mode": "依申请"}, True),
    ({"name": "改个名字", "text": "条款原文", "order": 5}, False),
    ({"when": "  smart_factory_city_new >= 1  "}, False),
])
def test_version_goes_up_only_when_the_rule_changes(world, policy, change, bumps):
    clause = policy.clauses.get()
    updated = services.clause_update(user=world.users["staff_a"], clause=clause, data={**SMART_FACTORY, **change})
    assert updated.version == (2 if bumps else 1)
    clause.refresh_from_db()
    assert clause.version == updated.version


def test_update_refuses_bad_sql_and_keeps_the_clause(world, policy):
    clause = policy.clauses.get()
    with pytest.raises(ValidationError) as exc:
        services.clause_update(user=world.users["staff_a"], clause=clause, data={"when": "unknown_col > 1"})
    assert list(errors(exc)) == ["when"]
    clause.refresh_from_db()
    assert (clause.when, clause.version) == ("smart_factory_city_new >= 1", 1)


def test_delete_refused_once_awarded(world):
    project(world, world.enterprises["a1"], "智能工厂", dt.date(2024, 1, 1), level="市级", certified=dt.date(2024, 5, 1))
    policy = make_policy(world, SMART_FACTORY, RETROFIT)
    run_services.match_run_create(user=world.users["staff_a"], policy=policy, year=2024)
    awarded = Award.objects.get().clause
    with pytest.raises(ValidationError, match="取消“启用”"):
        services.clause_delete(user=world.users["staff_a"], clause=awarded)
    services.clause_delete(user=world.users["staff_a"], clause=policy.clauses.get(code="retrofit"))
    assert list(Clause.objects.values_list("code", flat=True)) == ["smart_factory"]


# --- the live count -----------------------------------------------------------------------------------

@pytest.fixture
def firms(world):
    a1, a2, b1 = world.enterprises["a1"], world.enterprises["a2"], world.enterprises["b1"]
    project(world, a1, "智能化改造", dt.date(2024, 1, 1), completed=dt.date(2024, 6, 1), equipment="6000")
    project(world, a2, "智能化改造", dt.date(2024, 1, 1), completed=dt.date(2024, 6, 1), equipment="1234.56")
    project(world, b1, "智能化改造", dt.date(2023, 1, 1), completed=dt.date(2023, 6, 1), equipment="900")
    return world


def test_preview_counts_and_totals_with_the_rule_cap(firms):
    preview = clause_preview(zone=firms.zone, year=2024, when="smart_retrofit_equipment_wan > 0",
                             amount_wan="smart_retrofit_equipment_wan * 0.1", cap_wan=Decimal("500"))
    assert preview.error is None
    assert (preview.count, preview.total_wan, preview.entities) == (2, Decimal("623.46"), 3)
    a1, a2 = firms.enterprises["a1"], firms.enterprises["a2"]
    assert preview.rows == [(a1.uscc, a1.name, Decimal("600.00"), Decimal("500.00")),
                            (a2.uscc, a2.name, Decimal("123.46"), Decimal("123.46"))]


def test_preview_of_another_year_and_of_nobody(firms):
    preview = clause_preview(zone=firms.zone, year=2023, when="smart_retrofit_equipment_wan > 0", amount_wan="10")
    assert [r[0] for r in preview.rows] == [firms.enterprises["b1"].uscc]
    nobody = clause_preview(zone=firms.zone, year=2024, when="rnd_new >= 1", amount_wan="50")
    assert (nobody.count, nobody.total_wan, nobody.rows, nobody.error) == (0, Decimal("0.00"), [], None)


@pytest.mark.parametrize("when,amount,cap,text", [
    ("nope > 1", "10", None, "不存在的列"),
    ("rnd_new >=", "10", None, "不是有效的 SQL"),
    ("rnd_new", "10", None, "不是真/假"),
    ("rnd_new >= 1", "name", None, "不是数值"),
    ("rnd_new >= 1", "10", Decimal("-1"), "不能为负数"),
    ("", "10", None, "请填写"),
])
def test_preview_errors_are_told_not_raised(firms, when, amount, cap, text):
    preview = clause_preview(zone=firms.zone, year=2024, when=when, amount_wan=amount, cap_wan=cap)
    assert preview.count == 0 and text in preview.error
    assert not preview.error.startswith("第 1 条规则")


def test_explain_lists_the_columns_the_rule_reads_with_their_values():
    facts = {"entity": "X", "smart_retrofit_equipment_wan": "6000.00", "rnd_new": 0, "name": "甲"}
    rows = explain(when="smart_retrofit_equipment_wan > 0 AND rnd_new = 0", amount_wan="smart_retrofit_equipment_wan * 0.1",
                   facts=facts)
    assert [(c, v) for c, _label, v in rows] == [("smart_retrofit_equipment_wan", "6000.00"), ("rnd_new", 0)]
    assert rows[0][1] == "当年完成的智能化改造设备投资（万元）"
    assert explain(when="broken (", amount_wan="10", facts=facts) == []
    assert [c for c, _l, _v in explain(when="tax_wan > 1", amount_wan="5", facts={})] == ["tax_wan"]
