"""An evaluation scheme (亩均效益综合评价办法): the TOML contract of issue 3, parsed into frozen dataclasses.

Pure: text in, a `Scheme` or a `SchemeError` out; no Django, no file access. Every problem found is
collected, so one run of the CLI names all of them. Messages are in Chinese and say where the problem
is (group code, indicator code, key) and how to fix it.

The TOML shape:

    name = "…"                      # required, non-empty string
    year = 2025                     # required, integer

    [[group]]                       # at least one; a row belongs to the FIRST group whose `where` holds
    code = "above"                  # required, unique
    label = "规上企业"              # required
    where = "size = '规上'"         # optional SQL boolean over input columns; omitted = every row
    classes = [ {label = "A", top = 0.2}, …, {label = "D", top = 1.0} ]
                                    # or [ {label = "A", min_score = 120}, … ]: one kind per group

      [[group.indicator]]           # at least one per group
      code = "tax_per_mu"           # required, unique within the group; `<code>_value` and `<code>_score`
      label = "亩均税收"            #   become output columns, shared by groups that use the same code
      numerator = "tax"             # required SQL expressions over input columns
      denominator = "land_mu"
      weight = 30                   # required, > 0
      benchmark = "aggregate"       # required: "aggregate" | "mean" | a number > 0
      benchmark_factor = 1.0        # optional, > 0
      direction = "higher"          # required: "higher" | "lower"
      cap = 2.0                     # optional, > 0, a multiple of weight
      floor = 0.0                   # optional, < cap, a multiple of weight
      missing = "zero"              # required: "zero" | "group_mean"

    [[veto]]                        # optional, applied after classes, the first matching veto wins
    column = "major_accident"       # a boolean-like input column
    class = "D"                     # a class label declared by at least one group
    label = "重大安全事故"

Class rules. `top` classes: each top in (0, 1], strictly increasing, the last exactly 1.0, so every
rank falls into some class. `min_score` classes: thresholds strictly decreasing (a later class with a
higher threshold could never be reached); a score below the last threshold gets no class (use
`min_score = -inf` for a catch-all class).

Keys not listed above are rejected, so a misspelt optional key (`benchmark_facter`) cannot be
silently ignored. SQL expressions are parsed here with Polars' SQL expression parser; whether the
columns they name exist is checked against the input by the engine.
"""

import itertools
import math
import re
import tomllib
from dataclasses import dataclass
from typing import Literal

import polars as pl

BENCHMARK_RULES = ("aggregate", "mean")
DIRECTIONS = ("higher", "lower")
MISSING_RULES = ("zero", "group_mean")

# How aggregate and window functions (SUM, AVG, COUNT, MIN, MAX, … OVER) print in a parsed expression;
# LEAST/GREATEST print as min_horizontal/max_horizontal and stay allowed.
AGGREGATE_CALL = re.compile(
    r"\)\.(sum|mean|min|max|count|std|var|median|first|last|n_unique|quantile|mode|product|implode|arg_min|arg_max"
    r"|over)\(|(^|[^\w.])len\(\)"
)

SCHEME_KEYS = {"name", "year", "group", "veto"}
GROUP_KEYS = {"code", "label", "where", "classes", "indicator"}
INDICATOR_KEYS = {
    "code", "label", "numerator", "denominator", "weight", "benchmark", "benchmark_factor", "direction", "cap",
    "floor", "missing",
}
VETO_KEYS = {"column", "class", "label"}


class SchemeError(ValueError):
    """The scheme cannot be used; `problems` lists every reason, each a Chinese sentence."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = list(problems)


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str
    numerator: str
    denominator: str
    weight: float
    benchmark: Literal["aggregate", "mean"] | float
    direction: Literal["higher", "lower"]
    missing: Literal["zero", "group_mean"]
    benchmark_factor: float = 1.0
    cap: float | None = None
    floor: float | None = None

    @property
    def fixed_benchmark(self) -> bool:
        return not isinstance(self.benchmark, str)


@dataclass(frozen=True)
class ClassRule:
    label: str
    top: float | None = None
    min_score: float | None = None


@dataclass(frozen=True)
class Group:
    code: str
    label: str
    where: str | None
    classes: tuple[ClassRule, ...]
    indicators: tuple[Indicator, ...]

    @property
    def class_kind(self) -> Literal["top", "min_score"]:
        return "top" if self.classes[0].top is not None else "min_score"


@dataclass(frozen=True)
class Veto:
    column: str
    class_label: str
    label: str


@dataclass(frozen=True)
class Scheme:
    name: str
    year: int
    groups: tuple[Group, ...]
    vetoes: tuple[Veto, ...] = ()

    @property
    def indicator_codes(self) -> tuple[str, ...]:
        """Every indicator code once, in scheme order across groups: the order of the output columns."""
        seen: dict[str, None] = {}
        for group in self.groups:
            for indicator in group.indicators:
                seen.setdefault(indicator.code, None)
        return tuple(seen)

    def expressions(self) -> list[tuple[str, str, str]]:
        """(where it is, kind, SQL text) for every expression; kind is "where", "numerator" or "denominator"."""
        found = []
        for group in self.groups:
            if group.where is not None:
                found.append((f"组“{group.code}”的 where", "where", group.where))
            for ind in group.indicators:
                found.append((f"组“{group.code}”指标“{ind.code}”的 numerator", "numerator", ind.numerator))
                found.append((f"组“{group.code}”指标“{ind.code}”的 denominator", "denominator", ind.denominator))
        return found


def parse_expression(text: str) -> pl.Expr:
    """Polars' SQL expression parser; raises polars' own exceptions (the callers turn them into messages)."""
    return pl.sql_expr(text)


def parse_scheme(text: str) -> Scheme:
    """The scheme in `text` (TOML), or SchemeError listing every problem."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # the message ends with "(at line L, column C)", or "(at end of document)": then say which line that is
        detail = str(exc)
        if "at end of document" in detail:
            detail += f"，即第 {text.rstrip(chr(10)).count(chr(10)) + 1} 行之后（引号或括号未闭合？）"
        raise SchemeError([f"方案文件不是合法的 TOML：{detail}。请检查该行的引号、等号和括号。"]) from None
    return _Parser().scheme(data)


class _Parser:
    def __init__(self):
        self.problems: list[str] = []

    def fail(self, message: str) -> None:
        self.problems.append(message)

    # typed getters: record a problem and return None when the value is absent or of the wrong type
    def string(self, table: dict, key: str, where: str, *, required: bool = True) -> str | None:
        if key not in table:
            if required:
                self.fail(f"{where}缺少 {key}。")
            return None
        value = table[key]
        if not isinstance(value, str) or not value.strip():
            self.fail(f"{where}的 {key} 应为非空字符串，实际为 {value!r}。")
            return None
        return value.strip()

    def number(self, table: dict, key: str, where: str, *, required: bool = True) -> float | None:
        if key not in table:
            if required:
                self.fail(f"{where}缺少 {key}。")
            return None
        value = table[key]
        if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
            self.fail(f"{where}的 {key} 应为数字，实际为 {value!r}。")
            return None
        return float(value)

    def keyword(self, table: dict, key: str, where: str, allowed: tuple[str, ...]) -> str | None:
        value = self.string(table, key, where)
        if value is not None and value not in allowed:
            self.fail(f"{where}的 {key} 为“{value}”，只能是 {' 或 '.join(f'“{a}”' for a in allowed)}。")
            return None
        return value

    def unknown_keys(self, table: dict, allowed: set[str], where: str) -> None:
        for key in table:
            if key not in allowed:
                self.fail(f"{where}中有未知的键 {key}（可用的键：{'、'.join(sorted(allowed))}）。")

    def expression(self, text: str | None, where: str) -> str | None:
        if text is None:
            return None
        try:
            parsed = parse_expression(text)
        except pl.exceptions.PolarsError as exc:
            self.fail(f"{where}不是合法的 SQL 表达式：“{text}”（{_first_line(exc)}）。")
            return None
        if AGGREGATE_CALL.search(str(parsed)):
            # they would run over the whole input, not the row's group
            self.fail(f"{where}“{text}”用了聚合或窗口函数（SUM、AVG、COUNT、MIN、MAX、OVER 等）：表达式按行计算，"
                      "组内汇总由 benchmark 完成。")
            return None
        return text

    def tables(self, data: dict, key: str, where: str) -> list[dict]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(t, dict) for t in value):
            self.fail(f"{where}的 {key} 应写成 [[{key}]] 表数组。")
            return []
        return value

    def scheme(self, data: dict) -> Scheme:
        self.unknown_keys(data, SCHEME_KEYS, "方案")
        name = self.string(data, "name", "方案")
        year = data.get("year")
        if "year" not in data:
            self.fail("方案缺少 year。")
        elif isinstance(year, bool) or not isinstance(year, int):
            self.fail(f"方案的 year 应为整数年份，实际为 {year!r}。")
        raw_groups = self.tables(data, "group", "方案")
        if not raw_groups and isinstance(data.get("group", []), list):
            self.fail("方案至少要有一个 [[group]]。")
        groups = [g for i, raw in enumerate(raw_groups, start=1) if (g := self.group(raw, i)) is not None]
        for earlier in groups[:-1]:
            if earlier.where is None:
                later = "、".join(f"“{g.code}”" for g in groups[groups.index(earlier) + 1:])
                self.fail(f"组“{earlier.code}”没有 where（包含全部企业），排在它后面的组 {later} 永远不会有企业；"
                          "请给它加上 where 或把它移到最后。")
                break
        codes = [g["code"].strip() for g in raw_groups if isinstance(g.get("code"), str) and g["code"].strip()]
        for code in sorted({c for c in codes if codes.count(c) > 1}):
            self.fail(f"组代码“{code}”重复：每个组的 code 必须不同。")
        labels = {c.label for g in groups for c in g.classes}
        vetoes = []
        for i, raw in enumerate(self.tables(data, "veto", "方案"), start=1):
            where = f"第 {i} 个 [[veto]]"
            self.unknown_keys(raw, VETO_KEYS, where)
            column = self.string(raw, "column", where)
            class_label = self.string(raw, "class", where)
            label = self.string(raw, "label", where)
            if class_label is not None and raw_groups and len(groups) == len(raw_groups) and class_label not in labels:
                self.fail(f"{where}的 class“{class_label}”不是任何组声明的档次（已声明：{'、'.join(sorted(labels))}）。")
            if None not in (column, class_label, label):
                vetoes.append(Veto(column=column, class_label=class_label, label=label))
        if self.problems:
            raise SchemeError(self.problems)
        return Scheme(name=name, year=year, groups=tuple(groups), vetoes=tuple(vetoes))

    def group(self, raw: dict, index: int) -> Group | None:
        code = raw.get("code")
        where = f"组“{code}”" if isinstance(code, str) and code.strip() else f"第 {index} 个 [[group]]"
        before = len(self.problems)
        self.unknown_keys(raw, GROUP_KEYS, where)
        code = self.string(raw, "code", where)
        label = self.string(raw, "label", where)
        condition = self.expression(self.string(raw, "where", where, required=False), f"{where}的 where")
        classes = self.classes(raw, where)
        indicators = []
        raw_indicators = self.tables(raw, "indicator", where)
        if not raw_indicators and isinstance(raw.get("indicator", []), list):
            self.fail(f"{where}没有指标：至少要有一个 [[group.indicator]]。")
        for i, ind_raw in enumerate(raw_indicators, start=1):
            indicator = self.indicator(ind_raw, i, where)
            if indicator is not None:
                indicators.append(indicator)
        ind_codes = [ind.code for ind in indicators]
        for dup in sorted({c for c in ind_codes if ind_codes.count(c) > 1}):
            self.fail(f"{where}中指标代码“{dup}”重复。")
        if len(self.problems) > before:
            return None
        return Group(code=code, label=label, where=condition, classes=classes, indicators=tuple(indicators))

    def classes(self, raw: dict, where: str) -> tuple[ClassRule, ...]:
        value = raw.get("classes")
        if value is None:
            self.fail(f"{where}缺少 classes（档次划分）。")
            return ()
        if not isinstance(value, list) or not all(isinstance(c, dict) for c in value):
            self.fail(f"{where}的 classes 应为 {{label = …, top = …}} 或 {{label = …, min_score = …}} 的列表。")
            return ()
        if not value:
            self.fail(f"{where}的 classes 为空：至少要有一个档次。")
            return ()
        rules = []
        for i, c in enumerate(value, start=1):
            cw = f"{where}的第 {i} 个档次"
            self.unknown_keys(c, {"label", "top", "min_score"}, cw)
            label = self.string(c, "label", cw)
            has_top, has_min = "top" in c, "min_score" in c
            if has_top == has_min:
                self.fail(f"{cw}应有且只有 top 或 min_score 之一。")
                continue
            if has_top:
                top = self.number(c, "top", cw)
                if top is not None and not 0 < top <= 1:
                    self.fail(f"{cw}的 top 为 {top:g}，应在 0（不含）到 1 之间。")
                rules.append(ClassRule(label=label, top=top))
            else:
                rules.append(ClassRule(label=label, min_score=self.number(c, "min_score", cw)))
        if len(rules) != len(value):
            return ()
        kinds = {r.top is not None for r in rules}
        if len(kinds) > 1:
            self.fail(f"{where}的 classes 混用了 top 和 min_score：同一组只能用一种（按名次比例或按分数线）。")
            return ()
        labels = [r.label for r in rules]
        for dup in sorted({lb for lb in labels if lb is not None and labels.count(lb) > 1}):
            self.fail(f"{where}中档次“{dup}”重复。")
        if None in labels:
            return ()
        if rules[0].top is not None:
            tops = [r.top for r in rules]
            if None in tops:
                return ()
            if any(b <= a for a, b in itertools.pairwise(tops)):
                self.fail(f"{where}的 top 应逐个递增，实际为 {', '.join(f'{t:g}' for t in tops)}。")
            elif tops[-1] != 1.0:
                self.fail(f"{where}的最后一个档次 top 应为 1.0（覆盖全部企业），实际为 {tops[-1]:g}。")
        else:
            mins = [r.min_score for r in rules]
            if None in mins:
                return ()
            if any(b >= a for a, b in itertools.pairwise(mins)):
                self.fail(f"{where}的 min_score 应逐个递减（先判高分档），实际为 {', '.join(f'{m:g}' for m in mins)}。")
        return tuple(rules)

    def indicator(self, raw: dict, index: int, group_where: str) -> Indicator | None:
        code = raw.get("code")
        named = isinstance(code, str) and code.strip()
        where = f"{group_where}的指标“{code.strip()}”" if named else f"{group_where}的第 {index} 个指标"
        before = len(self.problems)
        self.unknown_keys(raw, INDICATOR_KEYS, where)
        code = self.string(raw, "code", where)
        if code is not None and any(ch.isspace() or ch in ",\"'" for ch in code):
            self.fail(f"{where}的 code 不能含空格、逗号或引号（它会成为输出列名 {code}_value）。")
        label = self.string(raw, "label", where)
        numerator = self.expression(self.string(raw, "numerator", where), f"{where}的 numerator")
        denominator = self.expression(self.string(raw, "denominator", where), f"{where}的 denominator")
        weight = self.number(raw, "weight", where)
        if weight is not None and not (weight > 0 and math.isfinite(weight)):
            self.fail(f"{where}的 weight 为 {weight:g}，权重必须是正数。")
        benchmark = raw.get("benchmark")
        if "benchmark" not in raw:
            self.fail(f"{where}缺少 benchmark（“aggregate”、“mean”或一个正数）。")
        elif isinstance(benchmark, str):
            if benchmark not in BENCHMARK_RULES:
                self.fail(f"{where}的 benchmark 为“{benchmark}”，只能是“aggregate”、“mean”或一个正数。")
        else:
            benchmark = self.number(raw, "benchmark", where)
            if benchmark is not None and not (benchmark > 0 and math.isfinite(benchmark)):
                self.fail(f"{where}的固定 benchmark 为 {benchmark:g}，基准值必须是正数。")
        factor = self.number(raw, "benchmark_factor", where, required=False)
        if factor is not None and not (factor > 0 and math.isfinite(factor)):
            self.fail(f"{where}的 benchmark_factor 为 {factor:g}，必须是正数。")
        direction = self.keyword(raw, "direction", where, DIRECTIONS)
        missing = self.keyword(raw, "missing", where, MISSING_RULES)
        cap = self.number(raw, "cap", where, required=False)
        floor = self.number(raw, "floor", where, required=False)
        if cap is not None and not (cap > 0 and math.isfinite(cap)):
            self.fail(f"{where}的 cap 为 {cap:g}，上限倍数必须是正数。")
        if floor is not None and not math.isfinite(floor):
            self.fail(f"{where}的 floor 必须是有限的数。")
        if cap is not None and floor is not None and floor >= cap:
            self.fail(f"{where}的 floor（{floor:g}）应小于 cap（{cap:g}）。")
        if len(self.problems) > before:
            return None
        return Indicator(
            code=code, label=label, numerator=numerator, denominator=denominator, weight=weight,
            benchmark=benchmark, direction=direction, missing=missing,
            benchmark_factor=1.0 if factor is None else factor, cap=cap, floor=floor,
        )


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
