"""Money: Decimal only, 四舍五入 (ROUND_HALF_UP) at the edge, 万元/亿元 display."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gaoxin.core import money
from gaoxin.core.money import InvalidAmount, format_auto, format_wan, format_yi, parse_wan, quantize

D = Decimal


@pytest.mark.parametrize("value,expected", [
    ("2.345", "2.35"), ("2.355", "2.36"), ("-2.345", "-2.35"), ("2.344", "2.34"), ("0.005", "0.01"),
    ("2.675", "2.68"),
])
def test_round_half_up(value, expected):
    assert quantize(D(value)) == D(expected)
    assert str(quantize(D(value))) == expected


def test_half_up_differs_from_python_round():
    assert round(D("2.345"), 2) == D("2.34")  # banker's rounding: why quantize exists
    assert quantize(D("2.345")) == D("2.35")


@pytest.mark.parametrize("raw,expected", [
    ("1,234.5", D("1234.5")),
    ("１，２３４．５", D("1234.5")),
    (" 1 234.50 ", D("1234.50")),
    ("1234.5万元", D("1234.5")),
    ("-12", D("-12")),
    (12, D(12)),
    (D("3.14"), D("3.14")),
    (0.1, D("0.1")),
])
def test_parse_wan_accepts(raw, expected):
    assert parse_wan(raw) == expected


@pytest.mark.parametrize("raw,words", [
    ("十万", ["投资额", "不是数字"]),
    ("abc", ["不是数字"]),
    ("", ["为空"]),
    (None, ["为空"]),
    ("NaN", ["不是有限数字"]),
    ("Infinity", ["不是有限数字"]),
])
def test_parse_wan_rejects_with_a_chinese_message(raw, words):
    with pytest.raises(InvalidAmount) as info:
        parse_wan(raw, field="投资额" if raw == "十万" else "金额")
    for word in words:
        assert word in str(info.value)


def test_format_wan_and_yi():
    assert format_wan(D("1234567.891")) == "1,234,567.89万元"
    assert format_wan(D("2.345")) == "2.35万元"
    assert format_wan(D("5"), 0) == "5万元"
    assert format_wan(3) == "3.00万元"
    assert format_wan(D("-0.001")) == "0.00万元"  # no "-0.00"
    assert format_wan(None) == ""
    assert format_yi(D("12345.6")) == "1.23亿元"
    assert format_yi(D("15000")) == "1.50亿元"
    assert format_yi(D("123456789")) == "12,345.68亿元"
    assert format_yi(None) == ""


def test_format_auto_switches_at_one_yi():
    assert format_auto(D("9999.99")) == "9,999.99万元"
    assert format_auto(D("10000")) == "1.00亿元"
    assert format_auto(D("9999.996")) == "1.00亿元"  # rounds to 10,000.00万元, so shown in 亿元
    assert format_auto(D("-25000")) == "-2.50亿元"
    assert format_auto(None) == ""


def test_wan_to_yi_is_exact():
    assert money.wan_to_yi(D("12345.67")) == D("1.234567")


@given(st.decimals(min_value=-10**9, max_value=10**9, places=2))
def test_parse_of_formatted_wan_round_trips(value):
    assert parse_wan(format_wan(value)) == value


@given(st.decimals(min_value=-10**9, max_value=10**9, places=4))
def test_quantize_moves_at_most_half_a_cent(value):
    assert abs(quantize(value) - value) <= D("0.005")
