"""统一社会信用代码 (GB 32100-2015): valid codes, normalisation, and every failure kind."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gaoxin.core import uscc

REAL_CODES = [
    "91110000600037341L",  # python-stdnum's doctest
    "91110108551385082Q",  # 小米 (uscc-utils README)
    "91350100M000100Y43",  # the standard's worked example
]


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_codes_are_valid(code):
    assert uscc.validate(code) == code
    assert uscc.is_valid(code)


def test_worked_example_of_the_standard():
    assert uscc.check_char("91350100M000100Y4") == "3"
    assert uscc.WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
    assert not uscc.is_valid("91350100M000100Y4Z")  # the standard's misprinted sample


def test_embedded_organisation_code_check():
    assert uscc.organisation_check_char("M000100Y") == "4"
    assert uscc.organisation_check_char("60003734") == "1"
    assert uscc.organisation_check_char("55138508") == "2"


@pytest.mark.parametrize("first17", [
    "A1110000MA0000001",  # 中央军委改革和编制办公室 · 军队事业单位
    "A9110000MA0000001",
    "N1110108MA0000001",  # 农业 · 组级集体经济组织
    "N3110108MA0000001",
    "N9110108MA0000001",
    "Y1110108MA0000001",  # 其他
])
def test_codes_starting_with_a_n_y_are_valid(first17):
    code = uscc.compose(first17)
    assert uscc.validate(code) == code


@pytest.mark.parametrize("raw", [
    "９１１１０１０８５５１３８５０８２Ｑ",  # full-width
    " 91110108 551385 082Q ",
    "9111-0108-5513-8508-2Q",
    "91110108551385082q",
    "\t91110108551385082Q\n",
])
def test_normalisation(raw):
    assert uscc.validate(raw) == "91110108551385082Q"


@pytest.mark.parametrize("raw,rule,words", [
    ("", "empty", ["为空"]),
    ("  - ", "empty", ["为空"]),
    (None, "empty", ["为空"]),
    ("9111010855138508", "length", ["18 位", "16 位"]),
    ("91110108551385082QQ", "length", ["18 位", "19 位"]),
    ("91110108551385O82Q", "charset", ["第 15 位", "“O”"]),
    ("91110108551385I82Q", "charset", ["第 15 位", "“I”"]),
    ("9111010855138S082Q", "charset", ["第 14 位", "“S”"]),
    ("911101085513V5082Q", "charset", ["第 13 位", "“V”"]),
    ("Z1110108551385082Q", "charset", ["第 1 位", "“Z”"]),
    ("91110108551385082*", "charset", ["第 18 位"]),
    ("B1110108551385082Q", "authority", ["第 1 位", "登记管理部门", "“B”"]),
    ("01110108551385082Q", "authority", ["第 1 位", "“0”"]),
    ("94110108551385082Q", "category", ["第 2 位", "机构类别", "“4”", "“9”"]),
    ("N4110108551385082Q", "category", ["第 2 位", "“4”", "“N”"]),
    ("Y2110108551385082Q", "category", ["第 2 位", "“2”", "“Y”"]),
    ("9111A108551385082Q", "region", ["第 3–8 位", "行政区划"]),
    ("91110108551385082R", "checksum", ["校验位", "第 18 位", "应为“Q”", "“R”"]),
])
def test_each_failure_names_its_rule(raw, rule, words):
    with pytest.raises(uscc.InvalidUSCC) as info:
        uscc.validate(raw)
    assert info.value.rule == rule
    for word in words:
        assert word in str(info.value)
    assert not uscc.is_valid(raw)


def test_authority_and_category_table():
    assert set(uscc.CATEGORIES) == set("123456789ANY")
    assert uscc.CATEGORIES["9"] == "123"
    assert uscc.CATEGORIES["N"] == "1239"
    assert uscc.CATEGORIES["Y"] == "1"


# -- properties ------------------------------------------------------------------------------------

valid_prefixes = st.sampled_from(sorted(uscc.CATEGORIES)).flatmap(
    lambda authority: st.tuples(
        st.just(authority),
        st.sampled_from(uscc.CATEGORIES[authority]),
        st.text("0123456789", min_size=6, max_size=6),
        st.text(uscc.ALPHABET, min_size=9, max_size=9),
    )
).map("".join)


@given(valid_prefixes)
def test_compose_of_any_valid_prefix_validates(first17):
    code = uscc.compose(first17)
    assert len(code) == 18
    assert uscc.validate(code) == code


@given(valid_prefixes, st.integers(min_value=0, max_value=17), st.sampled_from(uscc.ALPHABET + "IOSVZ"))
def test_any_single_character_change_fails(first17, position, replacement):
    code = uscc.compose(first17)
    changed = code[:position] + replacement + code[position + 1:]
    if changed != code:
        assert not uscc.is_valid(changed)
