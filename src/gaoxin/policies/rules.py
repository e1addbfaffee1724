"""Policy rules (免申即享): parse a rules file (TOML) and match it against a facts table, with Polars.

Pure: no Django here, so the engine runs (and is tested) without settings or a database.

The contract is issue 7's ("Policy rules: the contract"). For each rule in file order and each facts row
where `when` holds: raw = amount rounded to 0.01万元 (ROUND_HALF_UP; a null or negative amount is 0);
granted = min(raw, cap_wan); then granted = min(granted, entity_cap_wan − what the entity was already
granted by earlier rules). If Σ granted exceeds budget_wan, paid = granted × budget_wan / Σ granted rounded
down to 0.01万元; otherwise paid = granted.

Money is handled as integer cents of 万元 (0.01万元), so no float rounding is involved after the SQL: a
float amount is read through its shortest repr, as a person reading the number would (1.005 → 1.01).
"""

import math
import tomllib
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import polars as pl

POLICY_KEYS = {"code", "name", "budget_wan", "entity_cap_wan"}
RULE_KEYS = {"code", "name", "when", "amount_wan", "cap_wan"}
# an amount beyond this (10^12 万元) is a formula mistake; the bound also keeps cents inside Int64
MAX_AMOUNT_WAN = 10**12
# below this a float amount × 100 is exact to far better than 0.01 cent, so the vectorised rounding is safe
FAST_LIMIT_WAN = 10**9
OUTPUT_COLUMNS = ["entity", "rule", "raw_wan", "granted_wan", "paid_wan", "note"]
AMOUNT_COLUMNS = ["raw_wan", "granted_wan", "paid_wan"]
INT64_MAX = 2**63 - 1


class RulesError(ValueError):
    """The rules file or the facts are not usable; `problems` lists every reason, in Chinese."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    when: str
    amount: str | int | float  # SQL text, or a TOML number
    cap_cents: int | None

    @property
    def amount_sql(self) -> str:
        return self.amount if isinstance(self.amount, str) else repr(self.amount)


@dataclass(frozen=True)
class Policy:
    code: str
    name: str
    budget_cents: int | None
    entity_cap_cents: int | None
    rules: tuple[Rule, ...]


@dataclass(frozen=True)
class MatchResult:
    table: pl.DataFrame  # OUTPUT_COLUMNS; amounts as Decimal(38, 2)
    matched: int
    granted_cents: int
    paid_cents: int
    scaled: bool  # the budget cut every amount in proportion

    @property
    def total_granted(self) -> Decimal:
        return Decimal(self.granted_cents).scaleb(-2)

    @property
    def total_paid(self) -> Decimal:
        return Decimal(self.paid_cents).scaleb(-2)


def wan_text(cents: int) -> str:
    """300 万元 as "300", 12.5 as "12.5": how a person writes the amount in a sentence."""
    text = f"{cents // 100}.{cents % 100:02d}".rstrip("0").rstrip(".")
    return text


# ---------------------------------------------------------------- parsing


def _where_rule(i: int, raw: object) -> str:
    code = raw.get("code") if isinstance(raw, dict) else None
    return f"第 {i} 条规则（{code}）" if isinstance(code, str) and code.strip() else f"第 {i} 条规则"


def _money(value: object, where: str, key: str, problems: list[str]) -> int | None:
    """A TOML number ≥ 0 with at most two decimals, as cents; None (and a problem) otherwise."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        problems.append(f"{where}：{key} 必须是数字（万元），而不是“{value}”。")
        return None
    if isinstance(value, float) and not math.isfinite(value):
        problems.append(f"{where}：{key} 必须是有限的数字。")
        return None
    amount = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if amount < 0:
        problems.append(f"{where}：{key} 不能为负数（现为 {value}）。")
        return None
    if amount > MAX_AMOUNT_WAN:
        problems.append(f"{where}：{key} 过大（现为 {value}）。")
        return None
    # a cap or budget is a figure from the policy text: rounding it silently would change the policy
    if amount != amount.quantize(Decimal("0.01")):
        problems.append(f"{where}：{key} 最多保留两位小数（0.01万元），现为 {value}。")
        return None
    return int(amount * 100)


def _text(table: dict, key: str, where: str, problems: list[str], required: bool = True) -> str | None:
    value = table.get(key)
    if value is None:
        if required:
            problems.append(f"{where}：缺少 {key}。")
        return None
    if not isinstance(value, str) or not value.strip():
        problems.append(f"{where}：{key} 必须是非空的文本。")
        return None
    return value.strip()


def _check_sql(text: str, where: str, what: str, problems: list[str]) -> None:
    try:
        pl.sql_expr(text)
    except Exception as exc:  # Polars raises several error types for bad SQL; all mean the same to the user
        problems.append(f"{where}：{what}“{text}”不是有效的 SQL 表达式（{_first_line(exc)}）。")


def parse_rules(text: str) -> Policy:
    """The rules file as a Policy; RulesError listing every problem otherwise."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RulesError([f"规则文件不是有效的 TOML：{exc}。"]) from None
    problems: list[str] = []
    unknown = sorted(set(document) - {"policy", "rule"})
    if unknown:
        problems.append(f"规则文件中有无法识别的部分：{'、'.join(unknown)}（只允许 [policy] 和 [[rule]]）。")

    policy = document.get("policy")
    code = name = budget = entity_cap = None
    if not isinstance(policy, dict):
        problems.append("规则文件缺少 [policy] 部分。" if policy is None else "[policy] 必须是一个表。")
    else:
        where = "[policy]"
        extra = sorted(set(policy) - POLICY_KEYS)
        if extra:
            problems.append(f"{where}：无法识别的键 {'、'.join(extra)}（允许：{'、'.join(sorted(POLICY_KEYS))}）。")
        code = _text(policy, "code", where, problems)
        name = _text(policy, "name", where, problems)
        if "budget_wan" in policy:
            budget = _money(policy["budget_wan"], where, "budget_wan", problems)
        if "entity_cap_wan" in policy:
            entity_cap = _money(policy["entity_cap_wan"], where, "entity_cap_wan", problems)

    raw_rules = document.get("rule", [])
    if not isinstance(raw_rules, list) or not all(isinstance(r, dict) for r in raw_rules):
        problems.append("rule 必须写成 [[rule]] 表数组。")
        raw_rules = []
    elif not raw_rules:
        problems.append("规则文件中没有任何 [[rule]]。")

    rules: list[Rule] = []
    seen: dict[str, int] = {}
    for i, raw in enumerate(raw_rules, start=1):
        where = _where_rule(i, raw)
        before = len(problems)
        extra = sorted(set(raw) - RULE_KEYS)
        if extra:
            problems.append(f"{where}：无法识别的键 {'、'.join(extra)}（允许：{'、'.join(sorted(RULE_KEYS))}）。")
        rule_code = _text(raw, "code", where, problems)
        if rule_code is not None:
            if rule_code in seen:
                problems.append(f"{where}：code“{rule_code}”与第 {seen[rule_code]} 条规则重复。")
            else:
                seen[rule_code] = i
        rule_name = _text(raw, "name", where, problems)
        when = _text(raw, "when", where, problems)
        if when is not None:
            _check_sql(when, where, "条件 when ", problems)
        amount = raw.get("amount_wan")
        if amount is None:
            problems.append(f"{where}：缺少 amount_wan。")
        elif isinstance(amount, str):
            amount = amount.strip()
            if not amount:
                problems.append(f"{where}：amount_wan 不能为空。")
            else:
                _check_sql(amount, where, "金额 amount_wan ", problems)
        elif isinstance(amount, bool) or not isinstance(amount, int | float) or (
                isinstance(amount, float) and not math.isfinite(amount)):
            problems.append(f"{where}：amount_wan 必须是 SQL 数值表达式（文本）或数字，而不是“{amount}”。")
        cap = _money(raw["cap_wan"], where, "cap_wan", problems) if "cap_wan" in raw else None
        if len(problems) == before:
            rules.append(Rule(rule_code, rule_name, when, amount, cap))
    if problems:
        raise RulesError(problems)
    return Policy(code, name, budget, entity_cap, tuple(rules))


# ---------------------------------------------------------------- facts


def check_facts(facts: pl.DataFrame) -> pl.DataFrame:
    """The facts with `entity` as trimmed text; RulesError if it is missing, blank or repeated."""
    if "entity" not in facts.columns:
        raise RulesError([f"事实表缺少 entity 列（现有列：{'、'.join(facts.columns) or '无'}）。"])
    entity = facts.get_column("entity").cast(pl.String).str.strip_chars()
    problems = []
    blank = (entity.is_null() | (entity == "")).arg_true()
    if blank.len():
        rows = "、".join(str(r + 1) for r in blank.head(10).to_list())
        more = " 等" if blank.len() > 10 else ""
        problems.append(f"事实表有 {blank.len()} 行的 entity 为空：第 {rows}{more} 条记录（不含表头）。")
    counts = entity.drop_nulls().filter(entity.drop_nulls() != "").value_counts()
    repeated = counts.filter(pl.col("count") > 1).get_column("entity").sort().to_list()
    if repeated:
        shown = "、".join(repeated[:10]) + (f" 等 {len(repeated)} 个" if len(repeated) > 10 else "")
        problems.append(f"事实表中 entity 重复（每个主体只能有一行）：{shown}。")
    if problems:
        raise RulesError(problems)
    return facts.with_columns(entity)


# ---------------------------------------------------------------- matching


def _evaluate(facts: pl.DataFrame, sql: str, where: str, what: str, problems: list[str]) -> pl.Series | None:
    try:
        return facts.with_columns(pl.sql_expr(sql).alias("__value")).get_column("__value")
    except pl.exceptions.ColumnNotFoundError as exc:
        reason = _first_line(exc).split(";")[0].replace("unable to find column", "找不到列")
        problems.append(f"{where}：{what}“{sql}”引用了事实表中不存在的列（{reason}；现有列：{'、'.join(facts.columns)}）。")
    except Exception as exc:  # any Polars/SQL failure is the rule's fault, told with Polars' reason
        problems.append(f"{where}：{what}“{sql}”无法计算（{_first_line(exc)}）。")
    return None


def _cents(values: pl.Series, where: str, problems: list[str]) -> pl.Series | None:
    """Amounts in 万元 → Int64 cents, ROUND_HALF_UP on the decimal value; null, NaN or negative → 0."""
    dtype = values.dtype
    if dtype == pl.Null or values.len() == 0:  # nothing to convert (and no type to complain about)
        return pl.Series(values.name, [0] * values.len(), dtype=pl.Int64)
    if not dtype.is_numeric():
        problems.append(f"{where}：金额 amount_wan 的结果不是数值（而是 {dtype}）。")
        return None
    if dtype.is_float():
        values = values.cast(pl.Float64).fill_nan(None)
        if values.is_infinite().any():
            problems.append(f"{where}：金额 amount_wan 的结果有无穷大。")
            return None
    values = values.fill_null(0)
    values = pl.select(pl.when(pl.lit(values) < 0).then(0).otherwise(pl.lit(values))).to_series()
    if values.len() and values.max() > MAX_AMOUNT_WAN:
        problems.append(f"{where}：金额 amount_wan 的结果过大（超过 {MAX_AMOUNT_WAN} 万元）。")
        return None
    if values.dtype.is_integer():
        return values.cast(pl.Int64) * 100
    if values.dtype.is_float():
        scaled = values * 100
        fraction = scaled - scaled.floor()
        # away from a .5 tie, float rounding of x × 100 gives the same cent as the decimal value of x
        safe = (values < FAST_LIMIT_WAN) & ((fraction - 0.5).abs() > 0.01)
        fast = (scaled + 0.5).floor().cast(pl.Int64)
        if safe.all():
            return fast
        slow = values.filter(~safe).unique()
        mapping = {v: _half_up_cents(Decimal(repr(v))) for v in slow.to_list()}
        exact = values.replace_strict(mapping, default=None, return_dtype=pl.Int64)
        return pl.select(pl.when(pl.lit(safe)).then(pl.lit(fast)).otherwise(pl.lit(exact))).to_series()
    # Decimal dtype: few rows in practice, and its text is the exact value
    mapping = {v: _half_up_cents(Decimal(v)) for v in values.cast(pl.String).unique().to_list()}
    return values.cast(pl.String).replace_strict(mapping, return_dtype=pl.Int64)


def _half_up_cents(amount: Decimal) -> int:
    return int((amount * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _cents_text(cents: pl.Expr) -> pl.Expr:
    """Cents → "300" / "12.5" / "0.05", as wan_text() but over a column."""
    whole, part = (cents // 100).cast(pl.String), cents % 100
    return (pl.when(part == 0).then(whole)
            .when(part % 10 == 0).then(pl.concat_str(whole, pl.lit("."), (part // 10).cast(pl.String)))
            .otherwise(pl.concat_str(whole, pl.lit("."), part.cast(pl.String).str.zfill(2))))


def _decimal(cents: pl.Expr) -> pl.Expr:
    text = pl.concat_str((cents // 100).cast(pl.String), pl.lit("."), (cents % 100).cast(pl.String).str.zfill(2))
    return text.cast(pl.Decimal(38, 2))


def match(policy: Policy, facts: pl.DataFrame, *, prior: dict[str, int] | None = None,
          excluded: set[tuple[str, str]] | None = None) -> MatchResult:
    """Apply every rule to the facts (one row per entity); RulesError listing every problem otherwise.

    The platform runs a policy more than once a year, so it may say what earlier runs already settled:
    `prior` maps an entity to the cents it was already granted under the policy (they count against the
    entity cap), and `excluded` lists (entity, rule code) pairs that are not matched again. The CLI passes
    neither. The budget of `policy` is whatever is left to spend.
    """
    facts = check_facts(facts)
    n = facts.height
    problems: list[str] = []
    entities = facts.get_column("entity")
    # what each facts row (= entity) has been granted so far: before this run, then by the rules in order
    already = (entities.replace_strict(prior, default=0, return_dtype=pl.Int64) if prior
               else pl.Series("already", [0] * n, dtype=pl.Int64))
    excluded_by_rule: dict[str, list[str]] = {}
    for entity, code in excluded or ():
        excluded_by_rule.setdefault(code, []).append(entity)
    parts: list[pl.DataFrame] = []
    for i, rule in enumerate(policy.rules, start=1):
        where = f"第 {i} 条规则（{rule.code}）"
        when = _evaluate(facts, rule.when, where, "条件 when ", problems)
        amount = _evaluate(facts, rule.amount_sql, where, "金额 amount_wan ", problems)
        if when is None or amount is None:
            continue
        if when.dtype == pl.Null:
            when = pl.Series([False] * n, dtype=pl.Boolean)
        elif when.dtype != pl.Boolean:
            problems.append(f"{where}：条件 when“{rule.when}”的结果不是真/假（而是 {when.dtype}）。")
            continue
        hit = when.fill_null(False)
        if rule.code in excluded_by_rule:
            hit = hit & ~entities.is_in(excluded_by_rule[rule.code])
        raw = _cents(amount.filter(hit), where, problems)
        if raw is None:
            continue
        before = already.filter(hit)
        frame = pl.DataFrame({"entity": entities.filter(hit), "raw": raw, "before": before})
        notes = []
        granted = pl.col("raw")
        if rule.cap_cents is not None:
            notes.append(pl.when(granted > rule.cap_cents).then(pl.lit(f"单项上限{wan_text(rule.cap_cents)}万元")))
            granted = pl.min_horizontal(granted, pl.lit(rule.cap_cents))
        if policy.entity_cap_cents is not None:
            room = pl.max_horizontal(pl.lit(policy.entity_cap_cents) - pl.col("before"), pl.lit(0))
            notes.append(pl.when(granted > room).then(pl.concat_str(
                pl.lit(f"单户上限{wan_text(policy.entity_cap_cents)}万元（已获"), _cents_text(pl.col("before")),
                pl.lit("万元）"))))
            granted = pl.min_horizontal(granted, room)
        frame = frame.with_columns(
            pl.lit(rule.code).alias("rule"), granted.cast(pl.Int64).alias("granted"),
            (pl.concat_str(notes, separator="；", ignore_nulls=True) if notes else pl.lit(None, pl.String)).alias("note"))
        already = already.scatter(hit.arg_true(), before + frame.get_column("granted"))
        parts.append(frame.drop("before"))
    if problems:
        raise RulesError(problems)

    schema = {"entity": pl.String, "raw": pl.Int64, "rule": pl.String, "granted": pl.Int64, "note": pl.String}
    table = pl.concat(parts, how="vertical") if parts else pl.DataFrame(schema=schema)
    total = int(table.get_column("granted").sum() or 0)
    budget = policy.budget_cents
    scaled = budget is not None and total > budget
    if scaled:
        granted = table.get_column("granted")
        if granted.max() * budget <= INT64_MAX:
            paid = granted * budget // total  # both ≥ 0: integer division is the rounding down
        else:  # beyond Int64: Python's integers are exact at any size
            paid = pl.Series([g * budget // total for g in granted.to_list()], dtype=pl.Int64)
        table = table.with_columns(paid.alias("paid"))
        note = pl.lit(f"预算{wan_text(budget)}万元按比例核减")
        table = table.with_columns(pl.concat_str(
            [pl.when(pl.col("note") != "").then(pl.col("note")), pl.when(pl.col("paid") < pl.col("granted")).then(note)],
            separator="；", ignore_nulls=True).alias("note"))
    else:
        table = table.with_columns(pl.col("granted").alias("paid"))
    paid_total = int(table.get_column("paid").sum() or 0)
    table = table.select(
        "entity", "rule", _decimal(pl.col("raw")).alias("raw_wan"), _decimal(pl.col("granted")).alias("granted_wan"),
        _decimal(pl.col("paid")).alias("paid_wan"), pl.col("note").fill_null(""))
    return MatchResult(table, table.height, total, paid_total, scaled)


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


# ---------------------------------------------------------------- writing and inspecting rules (for the platform)


def _toml_string(value: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped, anything else as is."""
    out = []
    for ch in value:
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch in "\b\t\n\f\r":
            out.append({"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _toml_money(value: Decimal | int | str) -> str:
    """An amount in 万元 as a TOML number: whole amounts as integers, others with their decimals (12.5)."""
    amount = Decimal(str(value))
    if amount == amount.to_integral_value():
        return str(int(amount))
    return format(amount.normalize(), "f")


def rules_toml(policy: dict, rules: list[dict], *, comments: list[str] | None = None) -> str:
    """A rules file in the contract's format, which parse_rules (and the CLI) read back to the same policy.

    `policy`: code, name and optionally budget_wan, entity_cap_wan (None = not set); each rule: code, name,
    when, amount_wan (SQL text) and optionally cap_wan. `comments` become `#` lines at the top.
    """
    lines = [f"# {line}" for text in (comments or []) for line in str(text).splitlines() or [""]]
    if lines:
        lines.append("")
    lines += ["[policy]", f"code = {_toml_string(policy['code'])}", f"name = {_toml_string(policy['name'])}"]
    for key in ("budget_wan", "entity_cap_wan"):
        if policy.get(key) is not None:
            lines.append(f"{key} = {_toml_money(policy[key])}")
    for rule in rules:
        lines += ["", "[[rule]]", f"code = {_toml_string(rule['code'])}", f"name = {_toml_string(rule['name'])}",
                  f"when = {_toml_string(rule['when'])}", f"amount_wan = {_toml_string(str(rule['amount_wan']))}"]
        if rule.get("cap_wan") is not None:
            lines.append(f"cap_wan = {_toml_money(rule['cap_wan'])}")
    return "\n".join(lines) + "\n"


def columns_used(sql: str) -> set[str]:
    """The column names an SQL expression refers to; empty when it is not valid SQL."""
    try:
        return set(pl.sql_expr(sql).meta.root_names())
    except Exception:  # an invalid expression refers to nothing we could show
        return set()


def rule_problems(when: str, amount: str, facts: pl.DataFrame) -> dict[str, list[str]]:
    """What is wrong with one rule's condition and amount over the columns of `facts` (a zero-row frame with
    the facts' types is enough), by part: {"when": [...], "amount_wan": [...]}; empty lists when usable.

    The same checks as parse_rules and match, told per part so a form can put each reason beside its field.
    """
    result: dict[str, list[str]] = {"when": [], "amount_wan": []}
    for key, sql, what in (("when", when, "条件"), ("amount_wan", amount, "金额表达式")):
        problems = result[key]
        sql = (sql or "").strip()
        if not sql:
            problems.append(f"{what}不能为空。")
            continue
        try:
            expr = pl.sql_expr(sql)
        except Exception as exc:  # several Polars error types, one meaning for the user
            problems.append(f"{what}“{sql}”不是有效的 SQL 表达式（{_first_line(exc)}）。")
            continue
        try:
            dtype = facts.select(expr.alias("__value")).schema["__value"]
        except pl.exceptions.ColumnNotFoundError as exc:
            unknown = sorted(columns_used(sql) - set(facts.columns))
            names = "、".join(unknown) if unknown else _first_line(exc)
            problems.append(f"{what}“{sql}”引用了事实表中不存在的列：{names}。")
            continue
        except Exception as exc:  # a type mismatch and the like, told with Polars' reason
            problems.append(f"{what}“{sql}”无法计算（{_first_line(exc)}）。")
            continue
        if key == "when" and dtype not in (pl.Boolean, pl.Null):
            problems.append(f"条件“{sql}”的结果不是真/假（而是 {dtype}）：请写成比较，如 {sql} >= 1。")
        if key == "amount_wan" and dtype != pl.Null and not dtype.is_numeric():
            problems.append(f"金额表达式“{sql}”的结果不是数值（而是 {dtype}）。")
    return result

