"""GB/T 4754-2017 国民经济行业分类 (with Amendment No. 1, 2019), shipped as data/gbt4754-2017.csv.

Pure Python: loaded once on first use, then dictionary lookups.
"""

import csv
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

STANDARD_VERSION = "GB/T 4754-2017"
LEVELS = ("门类", "大类", "中类", "小类")


class InvalidIndustryCode(ValueError):
    pass


@dataclass(frozen=True)
class Category:
    code: str
    name: str
    level: str
    parent: str | None
    section: str

    @property
    def label(self) -> str:
        return f"{self.code} {self.name}"


@cache
def table() -> dict[str, Category]:
    """Every category by code, in the standard's order."""
    text = resources.files("gaoxin.core").joinpath("data/gbt4754-2017.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(text.splitlines())
    return {
        r["code"]: Category(r["code"], r["name"], r["level"], r["parent"] or None, r["section"]) for r in rows
    }


def lookup(code: str) -> Category | None:
    return table().get(code)


def categories(level: str) -> list[Category]:
    return [c for c in table().values() if c.level == level]


def ancestors(code: str) -> list[Category]:
    """The category and its parents, from 门类 down to the category itself."""
    chain = []
    node = lookup(code)
    while node is not None:
        chain.append(node)
        node = lookup(node.parent) if node.parent else None
    return chain[::-1]


def normalise_class_code(raw) -> str:
    """Accept a 小类 code as 4 digits or with its 门类 letter (3971 or C3971); return the 4 digits."""
    value = unicodedata.normalize("NFKC", "" if raw is None else str(raw)).strip().upper()
    if not value:
        raise InvalidIndustryCode("行业代码为空。")
    letter = None
    if value[0].isascii() and value[0].isalpha():
        letter, value = value[0], value[1:]
    known = lookup(value)
    if known is not None and known.level != "小类" and value.isdigit():
        raise InvalidIndustryCode(f"“{raw}”是{known.level}代码（{known.name}），请填写 4 位小类代码。")
    if not (len(value) == 4 and value.isdigit()):
        raise InvalidIndustryCode(f"行业代码“{raw}”格式错误，应为 4 位小类代码，如 3971 或 C3971。")
    if known is None:
        raise InvalidIndustryCode(f"行业代码“{raw}”不在 {STANDARD_VERSION} 小类中。")
    if letter and letter != known.section:
        raise InvalidIndustryCode(f"行业代码“{raw}”的门类字母应为“{known.section}”。")
    return value


def section_of(code: str) -> Category | None:
    category = lookup(code)
    return lookup(category.section) if category else None


def division_of(code: str) -> Category | None:
    return lookup(code[:2]) if code and len(code) >= 2 and code[:2].isdigit() else None
