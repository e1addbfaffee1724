"""The input checked against the scheme before anything is computed: each problem named, all at once."""

import polars as pl
import pytest

from gaoxin.evaluation.engine import InputError, evaluate

from .schemes import group, indicator, make_scheme

SCHEME = make_scheme(
    [group("above", [indicator("tax_per_mu", "tax", "land_mu")], where="size = '规上'")],
    [{"column": "accident", "class": "D", "label": "重大安全事故"}],
)


def good(**changes) -> dict:
    data = {"uscc": ["A1", "A2"], "size": ["规上", "规上"], "tax": [1.0, 2.0], "land_mu": [1.0, 1.0],
            "accident": [False, True]}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def problems(scheme, data) -> str:
    with pytest.raises(InputError) as caught:
        evaluate(scheme, pl.DataFrame(data, strict=False))
    return "\n".join(caught.value.problems)


def test_good_input_passes():
    assert evaluate(SCHEME, pl.DataFrame(good())).rows == 2


def test_missing_uscc_column():
    message = problems(SCHEME, good(uscc=None))
    assert "输入缺少 uscc 列" in message and "现有列：size、tax、land_mu、accident" in message


def test_duplicate_usccs_are_listed():
    data = good(uscc=["B", "A", "B", "A", "C", " C "], size=["规上"] * 6, tax=[1.0] * 6, land_mu=[1.0] * 6,
                accident=[False] * 6)
    message = problems(SCHEME, data)
    assert "uscc 重复：3 个代码出现了不止一次：A、B、C" in message  # " C " is C once trimmed


def test_duplicates_in_a_sorted_input_are_found_too():
    data = good(uscc=["A", "B", "B"], size=["规上"] * 3, tax=[1.0] * 3, land_mu=[1.0] * 3, accident=[False] * 3)
    assert "uscc 重复：1 个代码" in problems(SCHEME, data)


def test_empty_usccs_are_named_by_row():
    message = problems(SCHEME, good(uscc=["A", " "]))
    assert "uscc 为空的有 1 行（数据第 2 行" in message


def test_uscc_keeps_leading_zeros_and_letters():
    result = evaluate(SCHEME, pl.DataFrame(good(uscc=["0012", "91330100MA2XXXXX0Y"])))
    assert result.table.get_column("uscc").to_list() == ["0012", "91330100MA2XXXXX0Y"]


def test_unknown_column_names_column_expression_and_where():
    scheme = make_scheme([group("above", [indicator("tax_per_mu", "tax", "land")], where="size = '规上'")])
    message = problems(scheme, good())
    assert "组“above”指标“tax_per_mu”的 denominator“land”引用了输入中不存在的列：land" in message
    assert "是否想写 land_mu" in message


def test_unknown_column_in_where():
    scheme = make_scheme([group("above", [indicator("t", "tax", "land_mu")], where="scale = '规上'")])
    assert "组“above”的 where“scale = '规上'”引用了输入中不存在的列：scale" in problems(scheme, good())


def test_every_unknown_column_is_listed_at_once():
    scheme = make_scheme([group("above", [indicator("t", "taxes", "area")], where="scale = 1")])
    message = problems(scheme, good())
    assert all(name in message for name in ("scale", "taxes", "area"))


def test_a_text_column_as_numerator_names_a_bad_value():
    message = problems(SCHEME, good(tax=["1.5", "—"]))
    assert "组“above”指标“tax_per_mu”的 numerator“tax”的结果不是数值" in message
    assert "列 tax 是文本，例如“—”（数据第 2 行）" in message


def test_text_in_arithmetic_is_named_too():
    scheme = make_scheme([group("above", [indicator("t", "tax * 10", "land_mu")], where="size = '规上'")])
    assert "列 tax 是文本" in problems(scheme, good(tax=["1", "x"]))


def test_where_must_be_a_condition():
    scheme = make_scheme([group("above", [indicator("t", "tax", "land_mu")], where="tax + 1")])
    assert "组“above”的 where“tax + 1”的结果不是真/假" in problems(scheme, good())


def test_where_comparing_incompatible_types():
    scheme = make_scheme([group("above", [indicator("t", "tax", "land_mu")], where="tax = '规上'")])
    assert "组“above”的 where“tax = '规上'”无法计算" in problems(scheme, good())


def test_veto_column_missing():
    assert "否决项“重大安全事故”的列 accident 在输入中不存在" in problems(SCHEME, good(accident=None))


@pytest.mark.parametrize("values", [["是", "否"], ["1", "0"], [1, 0], ["TRUE", "false"], [" yes ", "N"],
                                    ["有", "无"], [True, None], ["是", ""], [None, None]])
def test_boolean_like_veto_columns_are_normalised(values):
    result = evaluate(SCHEME, pl.DataFrame(good(accident=values), strict=False))
    expected = ["重大安全事故" if str(values[0]).strip().lower() in ("是", "1", "true", "yes", "有") else None, None]
    assert result.table.get_column("veto").to_list() == expected


@pytest.mark.parametrize(("values", "named"), [(["是", "可能"], "“可能”"), ([2, 0], "2"), ([0.5, 1.0], "0.5")])
def test_veto_column_not_boolean_like(values, named):
    message = problems(SCHEME, good(accident=values))
    assert "否决项“重大安全事故”的列 accident应为是/否" in message and named in message


def test_a_strict_cast_that_fails_on_the_data_is_reported_not_raised():
    scheme = make_scheme([group("above", [indicator("t", "CAST(code AS DOUBLE)", "land_mu")])])
    data = good(code=["1", "x"])
    assert "计算失败" in problems(scheme, data)
