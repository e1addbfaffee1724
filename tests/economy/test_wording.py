"""The number formats and the deterministic wording table (issue 6; economy.md §2.3)."""

from decimal import Decimal as D

import pytest

from gaoxin.economy import wording as w

# --- amounts -------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "unit", "expected"), [
    (D("5140000"), "万元", "514亿元"),
    (D("30859000"), "万元", "3085.9亿元"),
    (D("514"), "亿元", "514亿元"),
    (D("3085.94"), "亿元", "3085.9亿元"),
    (D("3085.95"), "亿元", "3086亿元"),  # half up, and the .0 dropped
    (D("45.6"), "万元", "45.6万元"),
    (D("45.64"), "万元", "45.6万元"),
    (D("45.65"), "万元", "45.7万元"),
    (D("9999.95"), "万元", "1亿元"),  # rounds to 10000.0万元 first, then becomes 亿元
    (D("9999.94"), "万元", "9999.9万元"),
    (D("10000"), "万元", "1亿元"),  # exactly 1亿元
    (D("1"), "亿元", "1亿元"),
    (D("0.9999"), "亿元", "9999万元"),
    (D("0.4567"), "亿元", "4567万元"),
    (D("0.05"), "万元", "0.1万元"),
    (D("0.04"), "万元", "0万元"),
    (D("0"), "万元", "0万元"),
    (D("14499.96"), "万元", "1.4亿元"),  # 亿元 rounded from the exact amount, not from 14500.0万元
    (860500.5, "万元", "86.1亿元"),  # JSON floats of the statistics contract, read as written
    (5140000, "万元", "514亿元"),
])
def test_format_amount(value, unit, expected):
    assert w.format_amount(value, unit) == expected


def test_amount_in_an_unknown_unit_is_refused():
    with pytest.raises(ValueError, match="亿元或万元"):
        w.format_amount(D(1), "元")


def test_amount_parts_split_number_and_unit():
    assert w.amount_parts(D("514.27"), "亿元") == ("514.3", "亿元")
    assert w.amount_parts(D("0.4567"), "亿元") == ("4567", "万元")


@pytest.mark.parametrize(("value", "expected"), [
    (D("8.2"), "8.2%"), (D("12"), "12.0%"), (D("12.04"), "12.0%"), (D("0.05"), "0.1%"), (D("-2.35"), "-2.4%"),
    (D("-0.04"), "0.0%"), (41.50001936316055, "41.5%"), (D("118.18181818"), "118.2%"),
])
def test_format_pct_keeps_one_decimal(value, expected):
    assert w.format_pct(value) == expected


def test_format_pp_count_and_signed():
    assert w.format_pp(D("3.4")) == "3.4个百分点"
    assert w.format_pp(D("3")) == "3.0个百分点"
    assert w.format_pp(D("68.1818")) == "68.2个百分点"
    assert w.format_count(47) == "47个"
    assert w.format_count(D("12"), "家") == "12家"
    assert w.format_signed_pp(D("0.3")) == "+0.3"
    assert w.format_signed_pp(D("-0.45")) == "-0.5"
    assert w.format_signed_pp(D("0.04")) == "0.0"
    assert w.format_signed_pp(D("-0.04")) == "0.0"


def test_format_value_by_unit():
    assert w.format_value(D("514.27"), "亿元") == "514.3亿元"
    assert w.format_value(D("41.3"), "%") == "41.3%"
    assert w.format_value(12, "个") == "12个"
    assert w.format_value(D("2.50"), "万人") == "2.5万人"


# --- growth ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("g", "expected"), [
    (D("8.2"), "增长8.2%"),
    (D("12"), "增长12.0%"),
    (D("0.05"), "增长0.1%"),
    (D("0.04"), "与上年同期持平"),  # decided on the rounded value
    (D("0"), "与上年同期持平"),
    (D("-0.04"), "与上年同期持平"),
    (D("-0.05"), "下降0.1%"),
    (D("-2.3"), "下降2.3%"),
    (D("-100"), "下降100.0%"),
    (D("99.9"), "增长99.9%"),
    (D("99.96"), "增长1倍"),  # prints as 100.0 → 倍
    (D("100"), "增长1倍"),
    (D("110"), "增长1.1倍"),
    (D("125"), "增长1.3倍"),  # 1.25 half up
    (D("350"), "增长3.5倍"),
])
def test_growth_phrase(g, expected):
    assert w.growth_phrase(g) == expected


# --- change against the comparison period -------------------------------------------------------------

@pytest.mark.parametrize(("g", "g0", "expected"), [
    # g > 0, g0 > 0
    (D("8.2"), D("7.9"), "增速较一季度提高0.3个百分点"),
    (D("8.6"), D("9.1"), "增速较一季度回落0.5个百分点"),
    (D("8.2"), D("8.2"), "增速与一季度持平"),
    (D("8.24"), D("8.2"), "增速与一季度持平"),  # d = 0.04 rounds to 0
    (D("8.25"), D("8.2"), "增速较一季度提高0.1个百分点"),  # d from unrounded values: 0.05 → 0.1
    (D("125"), D("80"), "增速较一季度提高45.0个百分点"),
    # g < 0, g0 < 0
    (D("-2.3"), D("-4.1"), "降幅较一季度收窄1.8个百分点"),
    (D("-4.1"), D("-2.3"), "降幅较一季度扩大1.8个百分点"),
    (D("-2.3"), D("-2.3"), "降幅与一季度持平"),
    # g0 ≤ 0 < g
    (D("12.2"), D("-3.5"), "较一季度由降转增"),
    (D("12.2"), D("0"), "较一季度由降转增"),
    (D("0.1"), D("-0.04"), "较一季度由降转增"),  # -0.04 prints as 0.0
    # g0 ≥ 0 > g
    (D("-1.5"), D("2.0"), "较一季度由增转降"),
    (D("-1.5"), D("0"), "较一季度由增转降"),
    # g = 0
    (D("0"), D("1.2"), "增速较一季度回落1.2个百分点"),
    (D("0"), D("-1.2"), "较一季度由降转平"),
    (D("0"), D("0"), "增速与一季度持平"),
    (D("0.04"), D("0.02"), "增速与一季度持平"),
])
def test_change_phrase(g, g0, expected):
    assert w.change_phrase(g, g0, "一季度") == expected


def test_change_phrase_without_a_comparison_is_empty():
    assert w.change_phrase(D("8.2"), None, "一季度") == ""
    assert w.change_phrase(None, D("8.2"), "一季度") == ""
    assert w.change_phrase(D("8.2"), D("7.0"), "") == ""
    assert w.change_phrase(D("8.2"), D("7.0"), "1—4月") == "增速较1—4月提高1.2个百分点"


@pytest.mark.parametrize(("g", "city", "expected"), [
    (D("8.2"), D("6.1"), "高于全市2.1个百分点"),
    (D("-2.3"), D("3.5"), "低于全市5.8个百分点"),
    (D("6.1"), D("6.1"), "与全市持平"),
    (D("6.14"), D("6.1"), "与全市持平"),
    (D("-1"), D("-3.05"), "高于全市2.1个百分点"),  # 2.05 half up
])
def test_city_phrase(g, city, expected):
    assert w.city_phrase(g, city) == expected


def test_target_growth_phrase():
    assert w.target_growth_phrase(D("8.2"), D("7")) == "高于年度目标1.2个百分点"
    assert w.target_growth_phrase(D("6.5"), D("7")) == "低于年度目标0.5个百分点"
    assert w.target_growth_phrase(D("7.0"), D("7")) == "与年度目标持平"


@pytest.mark.parametrize(("completion", "month", "expected"), [
    (D("118.1818"), 6, "完成年度计划的118.2%，超时序进度68.2个百分点"),
    (D("40"), 6, "完成年度计划的40.0%，慢于时序进度10.0个百分点"),
    (D("50"), 6, "完成年度计划的50.0%，与时序进度持平"),
    (D("8.3"), 1, "完成年度计划的8.3%，与时序进度持平"),  # 8.333… − 8.3 = 0.03
    (D("8.4"), 1, "完成年度计划的8.4%，超时序进度0.1个百分点"),
    (D("20"), 5, "完成年度计划的20.0%，慢于时序进度21.7个百分点"),  # 41.666… − 20
    (D("100"), 12, "完成年度计划的100.0%，与时序进度持平"),
])
def test_progress_phrase(completion, month, expected):
    assert w.progress_phrase(completion, month) == expected


# --- periods -------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("month", "expected"), [
    (1, "1月"), (2, "1—2月"), (3, "一季度"), (4, "1—4月"), (5, "1—5月"), (6, "上半年"), (7, "1—7月"),
    (9, "前三季度"), (11, "1—11月"), (12, "全年"),
])
def test_period_name(month, expected):
    assert w.period_name(2024, month) == expected
    assert w.month_of_period_name(expected) == month


def test_cumulative_label_and_bad_month():
    assert w.cumulative_label(1) == "1月"
    assert w.cumulative_label(6) == "1—6月"
    with pytest.raises(ValueError, match="1–12"):
        w.period_name(2024, 13)
    assert w.month_of_period_name("下半年") is None


@pytest.mark.parametrize(("month", "frequency", "expected"), [
    (1, "月度", ""), (2, "月度", "1月"), (3, "月度", "1—2月"), (4, "月度", "一季度"), (5, "月度", "1—4月"),
    (6, "月度", "一季度"), (7, "月度", "上半年"), (8, "月度", "1—7月"), (9, "月度", "上半年"),
    (10, "月度", "前三季度"), (12, "月度", "前三季度"),
    (3, "季度", ""), (6, "季度", "一季度"), (9, "季度", "上半年"), (12, "季度", "前三季度"), (5, "季度", ""),
])
def test_comparison_label(month, frequency, expected):
    assert w.comparison_label(month, frequency) == expected
