"""GB/T 4754-2017 (Amendment No. 1): the shipped table's structure and the code lookups."""

import re

import pytest

from gaoxin.core import industry
from gaoxin.core.industry import InvalidIndustryCode, normalise_class_code

# conventions.md §5: 门类 → 大类 ranges
SECTION_RANGES = {
    "A": (1, 5), "B": (6, 12), "C": (13, 43), "D": (44, 46), "E": (47, 50), "F": (51, 52), "G": (53, 60),
    "H": (61, 62), "I": (63, 65), "J": (66, 69), "K": (70, 70), "L": (71, 72), "M": (73, 75), "N": (76, 79),
    "O": (80, 82), "P": (83, 83), "Q": (84, 85), "R": (86, 90), "S": (91, 96), "T": (97, 97),
}
FORMATS = {"门类": r"[A-T]", "大类": r"\d{2}", "中类": r"\d{3}", "小类": r"\d{4}"}


def test_counts_per_level():
    assert [len(industry.categories(level)) for level in industry.LEVELS] == [20, 97, 473, 1382]
    assert len(industry.table()) == 1972


def test_code_formats():
    for category in industry.table().values():
        assert re.fullmatch(FORMATS[category.level], category.code), category
        assert category.name and category.name == category.name.strip()


def test_every_category_has_a_parent_one_level_up():
    for category in industry.table().values():
        level = industry.LEVELS.index(category.level)
        if level == 0:
            assert category.parent is None and category.section == category.code
            continue
        parent = industry.lookup(category.parent)
        assert parent is not None, category
        assert industry.LEVELS.index(parent.level) == level - 1, category
        assert parent.section == category.section
        if level >= 2:
            assert category.code.startswith(parent.code) and len(category.code) == len(parent.code) + 1


def test_every_non_leaf_has_children():
    parents = {c.parent for c in industry.table().values()}
    for category in industry.table().values():
        if category.level != "小类":
            assert category.code in parents, category


def test_section_ranges_match_the_conventions():
    divisions = industry.categories("大类")
    assert sorted(int(d.code) for d in divisions) == list(range(1, 98))
    for d in divisions:
        low, high = SECTION_RANGES[d.section]
        assert low <= int(d.code) <= high, d
        assert d.parent == d.section
    assert sum(high - low + 1 for low, high in SECTION_RANGES.values()) == 97
    assert [s.code for s in industry.categories("门类")] == list(SECTION_RANGES)


def test_amendment_no_1_rows():
    assert industry.lookup("9231").name == "监察委员会"
    assert industry.lookup("9233").name == "人民检察院"
    assert industry.lookup("923").name == "监察委员会、人民法院和人民检察院"


@pytest.mark.parametrize("raw", ["3971", "C3971", "c3971", " C3971 ", "３９７１", 3971])
def test_normalise_accepts_class_codes_with_or_without_letter(raw):
    assert normalise_class_code(raw) == "3971"


def test_normalise_keeps_leading_zeros():
    assert normalise_class_code("A0111") == "0111"
    assert normalise_class_code("0111") == "0111"


@pytest.mark.parametrize("raw,words", [
    ("397", ["中类", "4 位小类"]),
    ("C397", ["中类"]),
    ("39", ["大类"]),
    ("39711", ["格式错误", "4 位小类"]),
    ("C", ["格式错误"]),
    ("39a1", ["格式错误"]),
    ("制3971", ["格式错误"]),
    ("D3971", ["门类字母应为“C”"]),
    ("3999", ["不在 GB/T 4754-2017 小类中"]),
    ("9999", ["不在"]),
    ("", ["为空"]),
    ("   ", ["为空"]),
    (None, ["为空"]),
])
def test_normalise_rejects_with_a_reason(raw, words):
    with pytest.raises(InvalidIndustryCode) as info:
        normalise_class_code(raw)
    for word in words:
        assert word in str(info.value)


def test_ancestors_from_section_down():
    chain = industry.ancestors("3971")
    assert [c.code for c in chain] == ["C", "39", "397", "3971"]
    assert [c.level for c in chain] == list(industry.LEVELS)
    assert chain[-1].label == "3971 电子真空器件制造"
    assert [c.code for c in industry.ancestors("A")] == ["A"]
    assert industry.ancestors("0000") == []


def test_section_and_division_of():
    assert industry.section_of("3971").code == "C"
    assert industry.division_of("3971").code == "39"
    assert industry.section_of("0000") is None
    assert industry.division_of("C") is None
