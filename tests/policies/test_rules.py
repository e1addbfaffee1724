"""The policy rule engine against hand-computed cases (issue 7, "Policy rules: the contract")."""

from decimal import Decimal

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gaoxin.policies.rules import RulesError, match, parse_rules

D = Decimal


def rules(*rule_blocks: str, budget=None, entity_cap=None) -> str:
    head = '[policy]\ncode = "GX-2024-10"\nname = "十条措施"\n'
    if budget is not None:
        head += f"budget_wan = {budget}\n"
    if entity_cap is not None:
        head += f"entity_cap_wan = {entity_cap}\n"
    return head + "".join(rule_blocks)


def rule(code, when="true", amount='"100"', cap=None) -> str:
    text = f'\n[[rule]]\ncode = "{code}"\nname = "规则{code}"\nwhen = "{when}"\namount_wan = {amount}\n'
    return text + (f"cap_wan = {cap}\n" if cap is not None else "")


def rows(result):
    return [tuple(r) for r in result.table.iter_rows()]


def run(text, **facts):
    return match(parse_rules(text), pl.DataFrame(facts))


def test_rule_cap_cuts_and_names_itself():
    result = run(rules(rule("smart", when="smart_factory_new = 1", amount='"300"', cap=200)),
                 entity=["A", "B"], smart_factory_new=[1, 0])
    assert rows(result) == [("A", "smart", D("300.00"), D("200.00"), D("200.00"), "单项上限200万元")]


def test_entity_cap_across_rules_in_file_order():
    text = rules(rule("r1", amount='"300"'), rule("r2", amount='"400"'), rule("r3", amount='"50"'), entity_cap=500)
    result = run(text, entity=["A"])
    assert rows(result) == [
        ("A", "r1", D("300.00"), D("300.00"), D("300.00"), ""),
        ("A", "r2", D("400.00"), D("200.00"), D("200.00"), "单户上限500万元（已获300万元）"),
        ("A", "r3", D("50.00"), D("0.00"), D("0.00"), "单户上限500万元（已获500万元）"),
    ]
    assert result.granted_cents == 50000 and not result.scaled


def test_budget_scales_and_rounds_down():
    # Σ granted = 300; budget 100: each 100 × 100/300 = 33.333… → 33.33, Σ paid 99.99 ≤ 100
    result = run(rules(rule("r", amount='"100"'), budget=100), entity=["A", "B", "C"])
    assert [r[4] for r in rows(result)] == [D("33.33")] * 3
    assert all(r[5] == "预算100万元按比例核减" for r in rows(result))
    assert result.scaled and result.total_paid == D("99.99") and result.total_granted == D("300.00")


def test_budget_scaling_uneven_thirds():
    # 10 × 20/30.01 = 6.6644… → 6.66; 20 × … = 13.3288… → 13.32; 0.01 × … = 0.00666… → 0.00
    result = run(rules(rule("r", amount="\"amt\""), budget=20), entity=["A", "B", "C"], amt=[10.0, 20.0, 0.01])
    assert [r[4] for r in rows(result)] == [D("6.66"), D("13.32"), D("0.00")]
    assert result.total_paid <= 20


def test_budget_not_exceeded_pays_granted():
    result = run(rules(rule("r", amount='"100"'), budget=200), entity=["A", "B"])
    assert [r[4] for r in rows(result)] == [D("100.00")] * 2 and not result.scaled


def test_null_and_negative_amounts_are_zero():
    result = run(rules(rule("r", amount="\"amt\"")), entity=["A", "B"], amt=[None, -5.0])
    assert [r[2:5] for r in rows(result)] == [(D("0.00"),) * 3] * 2


def test_round_half_up_at_half_a_cent():
    result = run(rules(rule("r", amount="\"amt\"")), entity=["A", "B", "C", "D"], amt=[0.005, 1.005, 2.675, 0.004999])
    assert [r[2] for r in rows(result)] == [D("0.01"), D("1.01"), D("2.68"), D("0.00")]


def test_sql_expression_amount_and_number_amount():
    result = run(rules(rule("dev", when="equipment_wan > 0", amount='"equipment_wan * 0.1"', cap=500),
                       rule("fix", amount="20.5")),
                 entity=["A", "B"], equipment_wan=[1234.5, 8000.0])
    assert rows(result) == [
        ("A", "dev", D("123.45"), D("123.45"), D("123.45"), ""),
        ("B", "dev", D("800.00"), D("500.00"), D("500.00"), "单项上限500万元"),
        ("A", "fix", D("20.50"), D("20.50"), D("20.50"), ""),
        ("B", "fix", D("20.50"), D("20.50"), D("20.50"), ""),
    ]


def test_null_when_is_false_and_no_match_is_empty():
    result = run(rules(rule("r", when="x = 1")), entity=["A", "B"], x=[None, 0])
    assert result.table.height == 0 and result.table.columns == [
        "entity", "rule", "raw_wan", "granted_wan", "paid_wan", "note"]
    assert result.granted_cents == 0 and result.paid_cents == 0


def test_all_cuts_joined():
    text = rules(rule("r1", amount='"400"'), rule("r2", amount='"300"', cap=200), entity_cap=500, budget=300)
    result = run(text, entity=["A"])
    assert rows(result)[1][5] == "单项上限200万元；单户上限500万元（已获400万元）；预算300万元按比例核减"


@pytest.mark.parametrize(("text", "fragment"), [
    ("[policy\n", "不是有效的 TOML"),
    (rules(rule("a"), rule("a")), "第 2 条规则（a）：code“a”与第 1 条规则重复"),
    (rules(rule("a") + "colour = 1\n"), "第 1 条规则（a）：无法识别的键 colour"),
    (rules(rule("a", amount='"1 +"')), "第 1 条规则（a）：金额 amount_wan “1 +”不是有效的 SQL"),
    (rules(rule("a", when="x = = 1")), "不是有效的 SQL"),
    (rules(rule("a", cap=-1)), "cap_wan 不能为负数"),
    (rules(rule("a"), budget='"many"'), "[policy]：budget_wan 必须是数字"),
    (rules(rule("a")) + "\n[extra]\n", "无法识别的部分：extra"),
    (rules(), "没有任何 [[rule]]"),
    ('[[rule]]\ncode="a"\nname="n"\nwhen="true"\namount_wan="1"\n', "缺少 [policy]"),
])
def test_bad_rules_name_where(text, fragment):
    with pytest.raises(RulesError) as caught:
        parse_rules(text)
    assert any(fragment in p for p in caught.value.problems), caught.value.problems


def test_every_problem_is_listed():
    with pytest.raises(RulesError) as caught:
        parse_rules(rules(rule("a", cap=-1), rule("a", amount="true")))
    assert len(caught.value.problems) == 3


@pytest.mark.parametrize(("facts", "fragment"), [
    ({"x": [1]}, "缺少 entity 列"),
    ({"entity": ["A", "A"], "x": [1, 1]}, "entity 重复（每个主体只能有一行）：A"),
    ({"entity": ["A", " "], "x": [1, 1]}, "entity 为空：第 2"),
    ({"entity": ["A"], "y": [1]}, "第 1 条规则（a）：条件 when “x = 1”引用了事实表中不存在的列"),
])
def test_bad_facts(facts, fragment):
    with pytest.raises(RulesError) as caught:
        match(parse_rules(rules(rule("a", when="x = 1"))), pl.DataFrame(facts))
    assert any(fragment in p for p in caught.value.problems), caught.value.problems


@pytest.mark.parametrize(("when", "amount", "fragment"), [
    ("x + 1", '"1"', "结果不是真/假"),
    ("true", "\"'abc'\"", "结果不是数值"),
])
def test_wrong_result_types(when, amount, fragment):
    with pytest.raises(RulesError) as caught:
        run(rules(rule("a", when=when, amount=amount)), entity=["A"], x=[1])
    assert fragment in caught.value.problems[0]


amounts = st.one_of(st.none(), st.floats(-100, 1000, allow_nan=False), st.integers(-10, 1000).map(float))


@settings(max_examples=60, deadline=None)
@given(data=st.lists(st.tuples(amounts, amounts, st.booleans()), min_size=1, max_size=12),
       budget=st.one_of(st.none(), st.integers(0, 3000)), entity_cap=st.one_of(st.none(), st.integers(0, 800)),
       cap=st.one_of(st.none(), st.integers(0, 600)))
def test_properties(data, budget, entity_cap, cap):
    text = rules(rule("r1", amount="\"a1\"", cap=cap), rule("r2", when="flag", amount="\"a2\""), rule("r3", amount="\"a1 + 1\""),
                 budget=budget, entity_cap=entity_cap)
    facts = pl.DataFrame({"entity": [f"E{i}" for i in range(len(data))], "a1": [d[0] for d in data],
                          "a2": [d[1] for d in data], "flag": [d[2] for d in data]},
                         schema={"entity": pl.String, "a1": pl.Float64, "a2": pl.Float64, "flag": pl.Boolean})
    result = match(parse_rules(text), facts)
    table = result.table
    assert all(r[4] <= r[3] <= r[2] for r in rows(result))
    assert all(r[2] >= 0 and r[4] >= 0 for r in rows(result))
    if budget is not None:
        assert result.total_paid <= budget
    if entity_cap is not None:
        per_entity = table.group_by("entity").agg(pl.col("granted_wan").sum())
        assert all(v <= entity_cap for v in per_entity.get_column("granted_wan").to_list())
    if cap is not None:
        assert all(r[3] <= cap for r in rows(result) if r[1] == "r1")
