"""Parsing and validating the scheme TOML: every mistake is named, with where it is."""

import math

import pytest

from gaoxin.evaluation.scheme import SchemeError, parse_scheme

from .schemes import group, huangyan, indicator, scheme_text


def problems_of(text: str) -> str:
    with pytest.raises(SchemeError) as caught:
        parse_scheme(text)
    return "\n".join(caught.value.problems)


def one_group(**changes) -> str:
    """A valid one-group scheme with `changes` applied to its indicator (None removes a key)."""
    ind = indicator("tax_per_mu", "tax", "land_mu", weight=30)
    for key, value in changes.items():
        if value is None:
            ind.pop(key, None)
        else:
            ind[key] = value
    return scheme_text([group("above", [ind], where="size = '规上'")])


def test_the_huangyan_fixture_parses_into_frozen_dataclasses():
    scheme = huangyan()
    assert scheme.year == 2022 and [g.code for g in scheme.groups] == ["above", "below"]
    above = scheme.groups[0]
    assert above.where == "size = '规上'" and above.class_kind == "top"
    assert [c.label for c in above.classes] == ["A", "B", "C", "D"]
    emission = next(i for i in above.indicators if i.code == "va_per_emission")
    assert (emission.weight, emission.benchmark, emission.missing) == (10.0, 4929.81, "group_mean")
    assert emission.benchmark_factor == 1.0 and emission.cap is None and emission.floor is None
    assert scheme.indicator_codes == ("tax_per_mu", "va_per_mu", "va_per_energy", "va_per_emission",
                                      "labour_productivity", "rd_ratio", "tax_per_kwh")
    with pytest.raises(AttributeError):
        above.code = "x"


def test_optional_keys_and_defaults():
    scheme = parse_scheme(scheme_text([group("all", [indicator("t", "tax", "land", cap=2.0, floor=0.5,
                                                                benchmark_factor=1.2)])],
                                      [{"column": "accident", "class": "D", "label": "事故"}]))
    g = scheme.groups[0]
    assert g.where is None
    assert (g.indicators[0].cap, g.indicators[0].floor, g.indicators[0].benchmark_factor) == (2.0, 0.5, 1.2)
    assert scheme.vetoes[0].class_label == "D"


def test_toml_syntax_error_names_the_line():
    text = 'name = "x"\nyear = 2025\n[[group]]\ncode = "a\n'
    message = problems_of(text)
    assert "不是合法的 TOML" in message and "line 4" in message


@pytest.mark.parametrize("weight", [0, -5, 0.0])
def test_non_positive_weight(weight):
    message = problems_of(one_group(weight=weight))
    assert "组“above”的指标“tax_per_mu”的 weight" in message and "权重必须是正数" in message


def test_weight_must_be_a_number():
    assert "weight 应为数字" in problems_of(one_group(weight="30"))


def test_classes_must_end_at_top_1():
    text = scheme_text([group("above", [indicator("t", "tax", "land")],
                              classes=[{"label": "A", "top": 0.2}, {"label": "B", "top": 0.9}])])
    message = problems_of(text)
    assert "组“above”的最后一个档次 top 应为 1.0" in message and "0.9" in message


def test_tops_must_increase():
    text = scheme_text([group("g", [indicator("t", "tax", "land")],
                              classes=[{"label": "A", "top": 0.6}, {"label": "B", "top": 0.2}, {"label": "C", "top": 1.0}])])
    assert "top 应逐个递增" in problems_of(text)


@pytest.mark.parametrize("top", [0, 1.5, -0.1])
def test_top_must_be_a_share(top):
    text = scheme_text([group("g", [indicator("t", "tax", "land")], classes=[{"label": "A", "top": top},
                                                                         {"label": "B", "top": 1.0}])])
    assert "应在 0（不含）到 1 之间" in problems_of(text)


def test_min_scores_must_decrease():
    text = scheme_text([group("g", [indicator("t", "tax", "land")],
                              classes=[{"label": "A", "min_score": 60}, {"label": "B", "min_score": 90}])])
    assert "min_score 应逐个递减" in problems_of(text)


def test_min_score_minus_inf_is_allowed():
    text = scheme_text([group("g", [indicator("t", "tax", "land")],
                              classes=[{"label": "A", "min_score": 90}, {"label": "B", "min_score": -math.inf}])])
    assert parse_scheme(text).groups[0].classes[-1].min_score == -math.inf


def test_mixing_top_and_min_score_in_one_group():
    text = scheme_text([group("g", [indicator("t", "tax", "land")],
                              classes=[{"label": "A", "min_score": 90}, {"label": "B", "top": 1.0}])])
    assert "混用了 top 和 min_score" in problems_of(text)


def test_a_class_with_both_or_neither_rule():
    text = scheme_text([group("g", [indicator("t", "tax", "land")],
                              classes=[{"label": "A", "min_score": 90, "top": 0.5}, {"label": "B"}])])
    message = problems_of(text)
    assert "第 1 个档次应有且只有 top 或 min_score 之一" in message
    assert "第 2 个档次应有且只有 top 或 min_score 之一" in message


def test_empty_and_missing_classes():
    assert "classes 为空" in problems_of(scheme_text([group("g", [indicator("t", "tax", "land")], classes=[])]))
    g = group("g", [indicator("t", "tax", "land")])
    del g["classes"]
    assert "组“g”缺少 classes" in problems_of(scheme_text([g]))


def test_duplicate_class_labels():
    text = scheme_text([group("g", [indicator("t", "tax", "land")],
                              classes=[{"label": "A", "top": 0.5}, {"label": "A", "top": 1.0}])])
    assert "档次“A”重复" in problems_of(text)


@pytest.mark.parametrize(("key", "value", "expected"), [
    ("direction", "up", "direction 为“up”，只能是 “higher” 或 “lower”"),
    ("missing", "mean", "missing 为“mean”，只能是 “zero” 或 “group_mean”"),
    ("benchmark", "median", "benchmark 为“median”，只能是“aggregate”、“mean”或一个正数"),
    ("benchmark", 0, "固定 benchmark 为 0，基准值必须是正数"),
    ("benchmark", -3.5, "固定 benchmark 为 -3.5"),
    ("benchmark_factor", 0, "benchmark_factor 为 0，必须是正数"),
    ("cap", -1, "cap 为 -1，上限倍数必须是正数"),
])
def test_bad_keywords_and_numbers(key, value, expected):
    message = problems_of(one_group(**{key: value}))
    assert "组“above”的指标“tax_per_mu”" in message and expected in message


def test_floor_must_be_below_cap():
    assert "floor（2）应小于 cap（1.5）" in problems_of(one_group(cap=1.5, floor=2))


@pytest.mark.parametrize("key", ["code", "label", "numerator", "denominator", "weight", "benchmark", "direction",
                                 "missing"])
def test_required_indicator_keys(key):
    assert f"缺少 {key}" in problems_of(one_group(**{key: None}))


def test_unknown_keys_are_rejected():
    message = problems_of(one_group(benchmark_facter=1.2))
    assert "未知的键 benchmark_facter" in message


@pytest.mark.parametrize(("expr", "expected"), [
    ("tax +", "不是合法的 SQL 表达式：“tax +”"),
    ("SELECT tax", "不是合法的 SQL 表达式"),
    ("frobnicate(tax)", "不是合法的 SQL 表达式"),
    ("SUM(tax)", "聚合或窗口函数"),
    ("tax / AVG(tax)", "聚合或窗口函数"),
])
def test_invalid_sql_names_the_expression_and_where(expr, expected):
    message = problems_of(one_group(numerator=expr))
    assert "组“above”的指标“tax_per_mu”的 numerator" in message and expected in message


def test_invalid_where():
    text = scheme_text([group("above", [indicator("t", "tax", "land")], where="size = = 1")])
    assert "组“above”的 where不是合法的 SQL 表达式" in problems_of(text)


def test_sql_that_is_allowed():
    for expr in ("COALESCE(rd, 0)", "GREATEST(land_mu, 1)", "CASE WHEN x > 0 THEN x ELSE NULL END", "\"亩均\" * 15"):
        parse_scheme(one_group(numerator=expr))


def test_name_year_and_groups_are_required():
    message = problems_of("[[veto]]\ncolumn = 'a'\nclass = 'D'\nlabel = 'x'\n")
    assert "方案缺少 name" in message and "方案缺少 year" in message and "至少要有一个 [[group]]" in message
    assert "year 应为整数" in problems_of('name = "x"\nyear = "2025"\n')


def test_a_group_needs_indicators():
    text = scheme_text([group("g", [])])
    assert "组“g”没有指标" in problems_of(text)


def test_duplicate_group_and_indicator_codes():
    ind = indicator("t", "tax", "land")
    message = problems_of(scheme_text([group("g", [ind, ind], where="a > 0"), group("g", [ind])]))
    assert "组代码“g”重复" in message and "组“g”中指标代码“t”重复" in message


def test_a_group_without_where_must_come_last():
    message = problems_of(scheme_text([group("all", [indicator("t", "tax", "land")]),
                                       group("small", [indicator("t", "tax", "land")], where="land < 3")]))
    assert "组“all”没有 where" in message and "“small” 永远不会有企业" in message


def test_indicator_codes_become_column_names():
    assert "code 不能含空格" in problems_of(one_group(code="tax per mu"))


def test_veto_class_must_be_declared_and_keys_present():
    text = scheme_text([group("g", [indicator("t", "tax", "land")])], [{"column": "accident", "class": "E", "label": "x"}])
    assert "class“E”不是任何组声明的档次" in problems_of(text)
    text = scheme_text([group("g", [indicator("t", "tax", "land")])], [{"column": "accident", "label": "x"}])
    assert "第 1 个 [[veto]]缺少 class" in problems_of(text)


def test_every_problem_is_listed_at_once():
    text = scheme_text([group("g", [indicator("t", "tax +", "land", weight=0, direction="up")],
                              classes=[{"label": "A", "top": 0.5}])])
    problems = parse_problems(text)
    assert len(problems) == 4  # SQL, weight, direction, classes


def parse_problems(text: str) -> list[str]:
    with pytest.raises(SchemeError) as caught:
        parse_scheme(text)
    return caught.value.problems
