"""The per-mu evaluation (亩均论英雄) as whole-column Polars expressions: scheme + input frame → results.

Pure: a `Scheme` and a Polars DataFrame in, an `Evaluation` (result frame + per-group summary) out; no
Django, no I/O, no Python loop over rows. The semantics are those of issue 3 (the scheme contract is
in scheme.py); what the issue leaves open is decided here:

Input
- `uscc` must be present, non-empty after trimming spaces and unique; it is compared as a string.
- Every column an expression names must exist (checked with `expr.meta.root_names()` before anything
  is evaluated). `where` must give a boolean; numerator and denominator must give numbers (a text
  column is named with an example of its non-numeric content).
- A veto column may hold booleans, 1/0, or text true/false, yes/no, y/n, t/f, 是/否, 有/无 (any case,
  spaces trimmed); an empty cell means "no veto". Anything else is an error naming the values.
- A `where` that evaluates to null (a null input in the comparison) does not hold.

Values and benchmarks
- value = numerator / denominator; missing when either is null, NaN or infinite, or the denominator
  is ≤ 0. The `<code>_value` output column holds it (null when missing).
- "aggregate" = Σ numerator / Σ denominator and "mean" = mean of the values, both over the group's rows
  with a value; then × benchmark_factor. A fixed benchmark is taken as is, × benchmark_factor.
- No row of the group has a value → the benchmark is undefined (null in the report, and a warning),
  but nothing needs it: every row of the group is then "missing" and gets its `missing` partial,
  which is 0 for "zero" and also 0 for "group_mean" (the mean of no partials is taken as 0).
- A computed benchmark that is ≤ 0 (e.g. every firm of the group has 0 R&D, or negative sums) while
  rows have values is an error: value / benchmark would be infinite or flip sign, so the run stops
  (exit 2) and names the group, the indicator and the sums; fix the data or use a fixed benchmark.
  Fixed benchmarks and factors ≤ 0 are rejected with the scheme.

Scores, ranks and classes
- partial: higher → weight × value / benchmark; lower → weight × max(0, 2 − value / benchmark); then
  capped at cap × weight and floored at floor × weight where given (cap first, then floor; the scheme
  guarantees floor < cap). Missing value: "zero" → 0; "group_mean" → mean partial (after cap/floor) of
  the group's rows that have a value.
- score = Σ partials over the group's indicators (an indicator code the row's group does not use has
  null `<code>_value` and `<code>_score`).
- rank = competition rank ("min") by score descending within the group: 1, 2, 2, 4.
- top classes: the first class whose top ≥ rank / n, n = rows in the group. min_score classes: the
  first whose min_score ≤ score; a score below every threshold gets no class (null).
- Vetoes apply after classes, to rows in a group only (a row in no group is not evaluated and keeps an
  empty class and veto); the first veto, in scheme order, whose column is true wins.
- A row in no group has null group, score, rank, class, veto and indicator columns.

Exactness and determinism
- Float64 throughout, nothing rounded. Partials are value ÷ benchmark × weight with a true IEEE
  division, bit for bit what the published formulas give when computed by hand in Python.
- Group sums (Σ numerator, Σ denominator, the sum behind a mean, the sum behind a group-mean partial)
  are exact sums rounded once (see `exact_sums`): they do not depend on the order of the rows, nor on
  which path Polars takes to add them up. So results (bit for bit), ties, ranks and classes do not
  depend on the order of the input rows; the result keeps the input's row order.

Shape of the computation: four passes over whole columns, no sort — the values; the group sizes and
exact sums (→ benchmarks, and the check above); the raw partials; the exact group means of the
partials for "group_mean" and then scores, ranks (a window over the group) and classes. Benchmarks and
group means are gathered into full columns by group index (the group column is an Enum).
"""

import difflib
import math
from dataclasses import dataclass, field

import polars as pl

from .scheme import Group, Indicator, Scheme, parse_expression

FIXED_COLUMNS = ("uscc", "group", "score", "rank", "class", "veto")
TRUE_WORDS = ("true", "t", "yes", "y", "1", "1.0", "是", "有")
FALSE_WORDS = ("false", "f", "no", "n", "0", "0.0", "否", "无", "")
LISTED = 20  # how many duplicate USCCs, bad values or row numbers a message lists


class InputError(ValueError):
    """The input does not fit the scheme; `problems` lists every reason, each a Chinese sentence."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = list(problems)


@dataclass(frozen=True)
class IndicatorSummary:
    code: str
    rule: str  # "aggregate" | "mean" | "fixed"
    base: float | None  # before benchmark_factor
    factor: float
    benchmark: float | None  # base × factor; null when no row of the group has a value
    with_value: int  # rows of the group with a value


@dataclass(frozen=True)
class GroupSummary:
    code: str
    label: str
    n: int
    indicators: tuple[IndicatorSummary, ...]
    class_counts: dict[str, int]  # every declared class label (and veto class) → rows, after vetoes
    unclassified: int  # rows with no class (min_score classes: below every threshold)
    vetoed: dict[str, int]  # veto label → rows of this group it applied to

    @property
    def benchmarks(self) -> dict[str, float | None]:
        return {i.code: i.benchmark for i in self.indicators}


@dataclass(frozen=True)
class Evaluation:
    table: pl.DataFrame  # FIXED_COLUMNS, then <code>_value, <code>_score per indicator code; input row order
    groups: tuple[GroupSummary, ...]
    ungrouped: int  # rows in no group
    warnings: tuple[str, ...] = field(default=())

    @property
    def rows(self) -> int:
        return self.table.height

    def report(self, scheme: Scheme) -> dict:
        """The JSON report: per group n, every benchmark and the class counts; rows in no group."""
        return {
            "scheme": scheme.name,
            "year": scheme.year,
            "rows": self.rows,
            "ungrouped": self.ungrouped,
            "groups": {
                g.code: {
                    "label": g.label,
                    "n": g.n,
                    "benchmarks": g.benchmarks,
                    "benchmark_details": {
                        i.code: {"rule": i.rule, "base": i.base, "factor": i.factor, "benchmark": i.benchmark,
                                 "rows_with_value": i.with_value}
                        for i in g.indicators
                    },
                    "class_counts": g.class_counts,
                    "unclassified": g.unclassified,
                    "vetoed": g.vetoed,
                }
                for g in self.groups
            },
            "warnings": list(self.warnings),
        }


def output_columns(scheme: Scheme) -> list[str]:
    return [*FIXED_COLUMNS, *(f"{code}_{kind}" for code in scheme.indicator_codes for kind in ("value", "score"))]


def evaluate(scheme: Scheme, frame: pl.DataFrame) -> Evaluation:
    """Evaluate every row of `frame` under `scheme`; InputError when the input does not fit."""
    names = _Names(frame.columns)
    work = _prepare(scheme, frame, names)
    try:
        values = _values(scheme, work, names).collect()
        stats, warnings = _group_stats(scheme, values, names)
        raws = _raw_partials(scheme, values, stats, names).collect()
        table = _scores(scheme, raws, stats, _fill_ins(scheme, raws, names), names).collect()
    except pl.exceptions.PolarsError as exc:
        # the expressions were type-checked on the empty frame; what is left is data-dependent (a strict CAST)
        raise InputError([f"计算失败：{_first_line(exc)}。请检查方案中的表达式与输入数据。"]) from None
    summaries = _summaries(scheme, table, stats)
    ungrouped = int(table.get_column("group").null_count())
    return Evaluation(table=table, groups=summaries, ungrouped=ungrouped, warnings=tuple(warnings))


class _Names:
    """Names of the working columns, chosen so that none can clash with an input column."""

    def __init__(self, columns: list[str]):
        prefix = "__ev_"
        while any(c.startswith(prefix) for c in columns):
            prefix = "_" + prefix
        self.prefix = prefix
        self.group, self.score, self.rank, self.klass = (prefix + n for n in ("group", "score", "rank", "class"))

    def of(self, kind: str, code: str) -> str:
        return f"{self.prefix}{kind}:{code}"

    def veto_flag(self, index: int) -> str:
        return f"{self.prefix}vetoflag:{index}"


# ---------------------------------------------------------------------------------------------- checks


def _prepare(scheme: Scheme, frame: pl.DataFrame, names: _Names) -> pl.DataFrame:
    """The columns the scheme needs, checked: uscc as trimmed text, veto columns as booleans."""
    problems: list[str] = []
    columns = set(frame.columns)
    if "uscc" not in columns:
        problems.append(f"输入缺少 uscc 列（统一社会信用代码）。现有列：{_list(frame.columns)}。")
        uscc = None
    else:
        uscc = frame.get_column("uscc").cast(pl.String).str.strip_chars()
        problems += _uscc_problems(uscc)

    referenced: list[str] = []
    unknown_found = False
    for where, _kind, text in scheme.expressions():
        needed = list(dict.fromkeys(parse_expression(text).meta.root_names()))
        unknown = [c for c in needed if c not in columns]
        if unknown:
            unknown_found = True
            problems.append(f"{where}“{text}”引用了输入中不存在的列：{_with_hints(unknown, frame.columns)}。")
        referenced += needed
    for veto in scheme.vetoes:
        if veto.column not in columns:
            problems.append(f"否决项“{veto.label}”的列 {veto.column} 在输入中不存在："
                            f"{_with_hints([veto.column], frame.columns)}。")
    if not unknown_found:
        problems += _type_problems(scheme, frame)

    flags = []
    for index, veto in enumerate(scheme.vetoes):
        if veto.column in columns:
            flag, problem = _boolean(frame.get_column(veto.column), f"否决项“{veto.label}”的列 {veto.column}")
            if problem:
                problems.append(problem)
            else:
                flags.append(flag.alias(names.veto_flag(index)))
    if problems:
        raise InputError(problems)
    keep = [c for c in dict.fromkeys(referenced) if c != "uscc"]
    return frame.select(keep).with_columns(uscc.alias("uscc"), *flags)


def _uscc_problems(uscc: pl.Series) -> list[str]:
    problems = []
    empty = uscc.is_null() | (uscc == "")
    if empty.any():
        rows = (empty.arg_true() + 1).to_list()
        problems.append(f"uscc 为空的有 {len(rows)} 行（数据第 {_list(rows)} 行，不含表头）：每行都要有统一社会信用代码。")
    present = uscc.filter(~empty)
    # the usual file is sorted by uscc and has no duplicates: prove that cheaply before listing any
    if present.is_sorted():
        duplicated = bool((present == present.shift(1)).any())
    else:
        duplicated = present.n_unique() < present.len()
    if duplicated:
        counts = present.value_counts()
        dup = counts.filter(pl.col("count") > 1).sort("uscc").get_column("uscc").to_list()
        problems.append(f"uscc 重复：{len(dup)} 个代码出现了不止一次：{_list(dup)}。每家企业只能有一行。")
    return problems


def _type_problems(scheme: Scheme, frame: pl.DataFrame) -> list[str]:
    """Evaluate each expression on the empty frame: types are known, nothing is computed."""
    empty = frame.head(0)
    problems = []
    for where, kind, text in scheme.expressions():
        wants_bool = kind == "where"
        expr = parse_expression(text)
        text_columns = [c for c in dict.fromkeys(expr.meta.root_names()) if frame.schema[c] == pl.String]
        try:
            dtype = empty.select(expr.alias("x")).schema["x"]
        except pl.exceptions.PolarsError as exc:
            if text_columns and not wants_bool:
                problems.append(f"{where}“{text}”无法计算：{_text_columns(frame, text_columns)}。")
            else:
                problems.append(f"{where}“{text}”无法计算：{_first_line(exc)}。")
            continue
        if wants_bool and dtype not in (pl.Boolean, pl.Null):
            problems.append(f"{where}“{text}”的结果不是真/假（而是 {dtype}）：where 应是条件，例如 size = '规上'。")
        elif not wants_bool and not (dtype.is_numeric() or dtype == pl.Null):
            detail = _text_columns(frame, text_columns) if text_columns else f"结果类型为 {dtype}"
            problems.append(f"{where}“{text}”的结果不是数值：{detail}。")
    return problems


def _text_columns(frame: pl.DataFrame, columns: list[str]) -> str:
    parts = []
    for c in columns:
        s = frame.get_column(c)
        bad = s.filter(s.is_not_null() & s.str.strip_chars().cast(pl.Float64, strict=False).is_null())
        example = f"，例如“{bad[0]}”（数据第 {int((s == bad[0]).arg_true()[0]) + 1} 行）" if bad.len() else ""
        parts.append(f"列 {c} 是文本{example}")
    return "；".join(parts) + "，请改为数字或留空"


def _boolean(s: pl.Series, what: str) -> tuple[pl.Series, str | None]:
    """A boolean-like column as booleans (null → false), or a message naming the values that are not."""
    if s.dtype == pl.Boolean:
        return s.fill_null(False), None
    if s.dtype == pl.Null:
        return pl.Series(s.name, [False] * s.len(), dtype=pl.Boolean), None
    if s.dtype.is_numeric():
        number = s.cast(pl.Float64)
        ok = number.is_null() | number.is_in([0.0, 1.0])
        if ok.all():
            return (number == 1.0).fill_null(False), None
        bad = s.filter(~ok).unique(maintain_order=True).head(LISTED).to_list()
        return s, f"{what}应为是/否（1/0、true/false），却含有 {_list(bad)}。"
    if s.dtype == pl.String:
        text = s.str.strip_chars().str.to_lowercase()
        ok = text.is_null() | text.is_in(TRUE_WORDS) | text.is_in(FALSE_WORDS)
        if ok.all():
            return text.is_in(TRUE_WORDS).fill_null(False), None
        bad = s.filter(~ok).unique(maintain_order=True).head(LISTED).to_list()
        return s, f"{what}应为是/否（1/0、true/false），却含有 {_list([f'“{b}”' for b in bad])}。"
    return s, f"{what}应为是/否（1/0、true/false），实际类型为 {s.dtype}。"


# ---------------------------------------------------------------------------------------------- pipeline


def _by_group(names: _Names, branches: list[tuple[str, pl.Expr]], dtype=pl.Float64) -> pl.Expr:
    """branch[i] for rows of group code i; null for every other row."""
    if not branches:
        return pl.lit(None, dtype=dtype)
    code, expr = branches[0]
    chain = pl.when(pl.col(names.group) == code).then(expr)
    for code, expr in branches[1:]:
        chain = chain.when(pl.col(names.group) == code).then(expr)
    return chain.otherwise(pl.lit(None, dtype=dtype))


def _users(scheme: Scheme, code: str) -> list[tuple[Group, Indicator]]:
    return [(g, i) for g in scheme.groups for i in g.indicators if i.code == code]


def _values(scheme: Scheme, work: pl.DataFrame, names: _Names) -> pl.LazyFrame:
    """Per row: the group and, per indicator code, numerator, denominator, whether there is a value, value."""
    codes = scheme.indicator_codes
    # an Enum keeps the group a small integer inside: cheap to compare, to partition by, to index with
    group_type = pl.Enum([g.code for g in scheme.groups])
    group_expr = pl.lit(None, dtype=group_type)
    for g in reversed(scheme.groups):
        condition = pl.lit(True) if g.where is None else parse_expression(g.where)
        # a null condition takes the `otherwise` branch: it does not hold
        group_expr = pl.when(condition).then(pl.lit(g.code, dtype=group_type)).otherwise(group_expr)

    num, den, valid, value = ({c: names.of(kind, c) for c in codes} for kind in ("num", "den", "valid", "value"))
    return (
        work.lazy()
        .with_columns(group_expr.alias(names.group))
        .with_columns(
            *(_by_group(names, [(g.code, parse_expression(i.numerator).cast(pl.Float64)) for g, i in _users(scheme, c)])
              .alias(num[c]) for c in codes),
            *(_by_group(names, [(g.code, parse_expression(i.denominator).cast(pl.Float64)) for g, i in _users(scheme, c)])
              .alias(den[c]) for c in codes),
        )
        .with_columns(
            (pl.col(num[c]).is_finite() & pl.col(den[c]).is_finite() & (pl.col(den[c]) > 0)).fill_null(False)
            .alias(valid[c]) for c in codes
        )
        .with_columns(
            pl.when(pl.col(valid[c])).then(pl.col(num[c]) / pl.col(den[c])).alias(value[c]) for c in codes
        )
        .with_columns(
            # the numerator and denominator that enter the aggregate benchmark: those of rows with a value
            *(pl.when(pl.col(valid[c])).then(pl.col(num[c])).alias(num[c]) for c in codes),
            *(pl.when(pl.col(valid[c])).then(pl.col(den[c])).alias(den[c]) for c in codes),
        )
        .select(
            "uscc", names.group, *(names.veto_flag(i) for i in range(len(scheme.vetoes))),
            *(col for c in codes for col in (num[c], den[c], value[c])),
        )
    )


def _per_group(scheme: Scheme, values: pl.DataFrame, names: _Names, per_group: dict[str, float | None],
               name: str) -> pl.Series:
    """A full column holding each row's group's number (null outside every group or where None)."""
    table = pl.Series([per_group.get(g.code) for g in scheme.groups], dtype=pl.Float64)
    return table.gather(values.get_column(names.group).to_physical()).alias(name)


def exact_sums(frame: pl.DataFrame, by: str, columns: list[str]) -> dict[tuple, tuple[float, int]]:
    """(Σ, count) of the non-null values of each column per group of `by`: {(group, column): (sum, count)}.

    Each sum is the exact sum of the values rounded once to a Float64, so it depends neither on the order
    of the rows nor on how Polars happens to add them up. (Polars' own float sums and means differ in the
    last bits between a whole column, a group_by and a window, and with the order of the rows: enough
    to break a tie and move a firm across a class boundary.) How: each value is scaled by a power of
    two chosen per group and column and truncated to a 128-bit integer, which leaves at least 85 bits
    of the largest value's magnitude below the point for a million rows; integers add exactly.
    """
    if not columns:
        return {}
    narrow = frame.lazy().select(by, *columns)
    first = narrow.group_by(by).agg(
        *(pl.col(c).abs().max().alias(f"max:{c}") for c in columns),
        *(pl.col(c).count().alias(f"n:{c}") for c in columns),
    ).collect()
    scales: dict[str, dict] = {c: {} for c in columns}
    counts: dict[tuple, int] = {}
    for row in first.iter_rows(named=True):
        group = row[by]
        if group is None:
            continue
        for c in columns:
            n, largest = row[f"n:{c}"], row[f"max:{c}"] or 0.0
            counts[(group, c)] = n
            # |value| < 2^e for every value, so |value × 2^k| < 2^(125 − bits(n)) and the n of them < 2^125
            e = math.frexp(largest)[1]
            scales[c][group] = min(125 - n.bit_length() - e, 1000)

    def factor(c: str) -> pl.Expr:
        result = pl.lit(None, dtype=pl.Float64)
        for group, k in scales[c].items():
            result = pl.when(pl.col(by) == group).then(pl.lit(math.ldexp(1.0, k))).otherwise(result)
        return result

    second = narrow.with_columns(
        (pl.col(c) * factor(c)).cast(pl.Int128).alias(c) for c in columns
    ).group_by(by).agg(pl.col(c).sum() for c in columns).collect()
    sums = {}
    for row in second.iter_rows(named=True):
        group = row[by]
        if group is None:
            continue
        for c in columns:
            # int → float rounds correctly; scaling back by a power of two is exact
            sums[(group, c)] = (math.ldexp(float(row[c] or 0), -scales[c][group]), counts[(group, c)])
    return sums


@dataclass(frozen=True)
class _Stats:
    n: int
    indicators: dict[str, IndicatorSummary]


def _group_stats(scheme: Scheme, values: pl.DataFrame, names: _Names) -> tuple[dict[str, _Stats], list[str]]:
    """n and the benchmarks of every group, as plain numbers: for the report, for the check below (which
    stops the run before anything is scored) and to be gathered into full columns for the division."""
    codes = scheme.indicator_codes
    counts = {
        row[names.group]: row
        for row in values.group_by(names.group).agg(
            pl.len().alias("n"), *(pl.col(names.of("value", c)).count().alias(c) for c in codes)
        ).iter_rows(named=True)
    }
    needed = []
    for g in scheme.groups:
        for ind in g.indicators:
            if ind.benchmark == "aggregate":
                needed += [names.of("num", ind.code), names.of("den", ind.code)]
            elif ind.benchmark == "mean":
                needed.append(names.of("value", ind.code))
    sums = exact_sums(values, names.group, list(dict.fromkeys(needed)))

    stats, problems, warnings = {}, [], []
    for g in scheme.groups:
        row = counts.get(g.code)
        n = 0 if row is None else int(row["n"])
        if n == 0:
            warnings.append(f"组“{g.code}”（{g.label}）没有任何企业。")
        indicators = {}
        for ind in g.indicators:
            c = ind.code
            with_value = 0 if row is None else int(row[c])
            sum_num, _ = sums.get((g.code, names.of("num", c)), (0.0, 0))
            sum_den, _ = sums.get((g.code, names.of("den", c)), (0.0, 0))
            sum_value, _ = sums.get((g.code, names.of("value", c)), (0.0, 0))
            if ind.fixed_benchmark:
                base = float(ind.benchmark)
            elif with_value == 0:
                base = None
            elif ind.benchmark == "aggregate":
                base = sum_num / sum_den
            else:
                base = sum_value / with_value
            benchmark = None if base is None else base * ind.benchmark_factor
            if n and with_value == 0:
                warnings.append(f"组“{g.code}”指标“{c}”没有任何企业有有效数值，该指标得分一律为 0"
                                f"{'' if ind.fixed_benchmark else '，基准值无法计算'}。")
            if with_value and not (benchmark > 0 and math.isfinite(benchmark)):
                how = (f"Σ分子 {sum_num!r} ÷ Σ分母 {sum_den!r}" if ind.benchmark == "aggregate"
                       else f"{with_value} 个数值的平均值")
                problems.append(
                    f"组“{g.code}”指标“{c}”的基准值（{ind.benchmark}：{how}）为 {benchmark!r}，不是正数，"
                    "无法作除数；请核对数据，或在方案中改用固定基准值。")
            indicators[c] = IndicatorSummary(
                code=c, rule="fixed" if ind.fixed_benchmark else ind.benchmark, base=base,
                factor=ind.benchmark_factor, benchmark=benchmark, with_value=with_value)
        stats[g.code] = _Stats(n=n, indicators=indicators)
    if problems:
        raise InputError(problems)
    return stats, warnings


def _raw_partials(scheme: Scheme, values: pl.DataFrame, stats: dict[str, _Stats], names: _Names) -> pl.LazyFrame:
    """The partial of every row that has a value (null otherwise), after cap and floor."""
    codes = scheme.indicator_codes
    # Each row's benchmark as a real column, picked by the group's index. Polars divides by a constant
    # (a literal, or any expression that yields one value for every row, such as a when/then when all
    # rows are in one group) by multiplying with its reciprocal, which is one ulp off for about a third
    # of all values (0.0302 / 0.0302 = 0.9999999999999999). Divided by a materialised column it
    # divides, exactly as the published formulas do (tests pin this).
    benchmark_columns = [
        _per_group(scheme, values, names, {g.code: stats[g.code].indicators[c].benchmark for g in scheme.groups
                                           if c in stats[g.code].indicators}, names.of("benchmark", c))
        for c in codes
    ]
    return values.with_columns(benchmark_columns).lazy().with_columns(
        _by_group(names, [(g.code, _partial(i, pl.col(names.of("value", c)), pl.col(names.of("benchmark", c))))
                          for g, i in _users(scheme, c)]).alias(names.of("raw", c))
        for c in codes
    )


def _fill_ins(scheme: Scheme, raws: pl.DataFrame, names: _Names) -> dict[tuple[str, str], float]:
    """The partial a row without a value gets, per (group, code): 0, or the group's mean partial."""
    wanted = [(g, i) for g in scheme.groups for i in g.indicators if i.missing == "group_mean"]
    sums = exact_sums(raws, names.group, list(dict.fromkeys(names.of("raw", i.code) for _g, i in wanted)))
    fill = {(g.code, i.code): 0.0 for g in scheme.groups for i in g.indicators}
    for g, i in wanted:
        total, count = sums.get((g.code, names.of("raw", i.code)), (0.0, 0))
        # the mean of no partials (nobody in the group has a value) is taken as 0
        fill[(g.code, i.code)] = total / count if count else 0.0
    return fill


def _scores(scheme: Scheme, raws: pl.DataFrame, stats: dict[str, _Stats], fill: dict[tuple[str, str], float],
            names: _Names) -> pl.LazyFrame:
    """Partials, score, rank, class and veto per row, as the output columns."""
    G = pl.col(names.group)
    codes = scheme.indicator_codes
    value, raw, partial = ({c: names.of(kind, c) for c in codes} for kind in ("value", "raw", "score"))
    lf = (
        raws.lazy()
        .with_columns(
            _by_group(names, [(g.code, pl.col(raw[c]).fill_null(pl.lit(fill[(g.code, c)], dtype=pl.Float64)))
                              for g, _i in _users(scheme, c)]).alias(partial[c])
            for c in codes
        )
        .with_columns(
            pl.when(G.is_not_null()).then(pl.sum_horizontal(*(pl.col(partial[c]) for c in codes)))
            .alias(names.score)
        )
        .with_columns(
            pl.when(G.is_not_null()).then(pl.col(names.score).rank("min", descending=True).over(names.group))
            .cast(pl.Int64).alias(names.rank)
        )
        .with_columns(
            _by_group(names, [(g.code, _class(g, stats[g.code].n, names)) for g in scheme.groups], dtype=pl.String)
            .alias(names.klass),
        )
    )
    klass = pl.col(names.klass)
    if scheme.vetoes:
        klass = pl.coalesce(_veto_expr(scheme, names, field="class"), klass)
    return lf.select(
        pl.col("uscc"),
        G.cast(pl.String).alias("group"),
        pl.col(names.score).alias("score"),
        pl.col(names.rank).alias("rank"),
        klass.alias("class"),
        _veto_expr(scheme, names).alias("veto"),
        *(pl.col((value if kind == "value" else partial)[c]).alias(f"{c}_{kind}")
          for c in codes for kind in ("value", "score")),
    )


def _partial(ind: Indicator, value: pl.Expr, benchmark: pl.Expr) -> pl.Expr:
    ratio = value / benchmark
    # ratio × weight as the published formulas write it (value ÷ benchmark × weight)
    if ind.direction == "higher":
        score = ratio * ind.weight
    else:
        score = (2 - ratio).clip(lower_bound=0.0) * ind.weight
    if ind.cap is not None:
        score = score.clip(upper_bound=ind.cap * ind.weight)
    if ind.floor is not None:
        score = score.clip(lower_bound=ind.floor * ind.weight)
    return score


def _class(group: Group, n: int, names: _Names) -> pl.Expr:
    rules = group.classes
    if group.class_kind == "top":
        tests = [pl.col(names.rank) <= _last_rank(r.top, n) for r in rules]
    else:
        tests = [pl.col(names.score) >= r.min_score for r in rules]
    chain = pl.when(tests[0]).then(pl.lit(rules[0].label))
    for test, rule in zip(tests[1:], rules[1:], strict=True):
        chain = chain.when(test).then(pl.lit(rule.label))
    return chain.otherwise(pl.lit(None, dtype=pl.String))


def _last_rank(top: float, n: int) -> int:
    """The largest rank r with r / n ≤ top, r / n divided as Python divides: correctly rounded.

    Polars turns a division by a constant into a multiplication by its reciprocal, and 3 × (1/5) is
    0.6000000000000001 > 0.6: the third of five firms would miss a `top = 0.6` class. Comparing
    integer ranks with a bound worked out here keeps rank / n ≤ top exact and costs nothing per row.
    """
    r = min(n, math.floor(top * n))
    while r < n and (r + 1) / n <= top:
        r += 1
    while r > 0 and r / n > top:
        r -= 1
    return r


def _veto_expr(scheme: Scheme, names: _Names, field: str = "label") -> pl.Expr:
    result = pl.lit(None, dtype=pl.String)
    for index, veto in reversed(list(enumerate(scheme.vetoes))):
        text = veto.label if field == "label" else veto.class_label
        result = pl.when(pl.col(names.veto_flag(index))).then(pl.lit(text)).otherwise(result)
    return pl.when(pl.col(names.group).is_not_null()).then(result)


# ---------------------------------------------------------------------------------------------- summary


def _summaries(scheme: Scheme, table: pl.DataFrame, stats: dict[str, _Stats]) -> tuple[GroupSummary, ...]:
    counts: dict[str, dict] = {}
    for group, klass, n in table.group_by("group", "class").len().iter_rows():
        counts.setdefault(group, {})[klass] = n
    vetoed: dict[str, dict[str, int]] = {}
    if scheme.vetoes:
        for group, label, n in table.group_by("group", "veto").len().iter_rows():
            if group is not None and label is not None:
                vetoed.setdefault(group, {})[label] = n
    summaries = []
    for g in scheme.groups:
        group_counts = counts.get(g.code, {})
        labels = [r.label for r in g.classes] + [v.class_label for v in scheme.vetoes]
        summaries.append(GroupSummary(
            code=g.code, label=g.label, n=stats[g.code].n,
            indicators=tuple(stats[g.code].indicators[i.code] for i in g.indicators),
            class_counts={label: int(group_counts.get(label, 0)) for label in dict.fromkeys(labels)},
            unclassified=int(group_counts.get(None, 0)),
            vetoed={v.label: vetoed.get(g.code, {}).get(v.label, 0) for v in scheme.vetoes}))
    return tuple(summaries)


# ---------------------------------------------------------------------------------------------- text


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def _list(items) -> str:
    items = list(items)
    shown = "、".join(str(i) for i in items[:LISTED])
    return shown + (f" 等 {len(items)} 个" if len(items) > LISTED else "")


def _with_hints(unknown: list[str], columns: list[str]) -> str:
    parts = []
    for name in unknown:
        close = difflib.get_close_matches(name, columns, n=2)
        parts.append(f"{name}" + (f"（是否想写 {' 或 '.join(close)}？）" if close else ""))
    return "、".join(parts) + f"（现有列：{_list(columns)}）"
