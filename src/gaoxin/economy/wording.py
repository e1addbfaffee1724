"""Number formats and the fixed phrases of a 经济运行简报 (economy.md §2.3; the issue's number rules win).

Pure functions, no Django: numbers in (Decimal, int or float — floats are read through their shortest
repr, so 41.5 stays 41.5), text out. Rounding happens here and only here, to one decimal, ROUND_HALF_UP:

- amounts: ≥ 1亿元 in 亿元, otherwise in 万元, one decimal, a trailing .0 dropped (514亿元, 3085.9亿元, 45.6万元);
- percentages and percentage points keep their decimal (8.2%, 12.0%, 3.4个百分点); counts are integers (47个).

Phrases decide on the figures as printed (rounded to one decimal), so a growth of 0.04 % reads 与上年同期持平
and is treated as zero in the comparisons too; a difference (个百分点) is taken between the unrounded figures
and rounded at the end, as official releases do.
"""

from decimal import ROUND_HALF_UP, Decimal

ONE_DECIMAL = Decimal("0.1")
WAN_PER_YI = Decimal(10000)
AMOUNT_UNITS = ("亿元", "万元")
DASH = "—"  # 一字线, as official texts write 1—6月


def dec(value) -> Decimal:
    """Any number as a Decimal; floats through their shortest repr (0.1 → Decimal("0.1"), not its binary)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


def round1(value) -> Decimal:
    rounded = dec(value).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)
    return rounded.copy_abs() if rounded == 0 else rounded  # never print -0.0


def one_decimal(value) -> str:
    """8.2, 12.0, -2.3 (the decimal kept)."""
    return str(round1(value))


def compact(value) -> str:
    """One decimal with a trailing .0 dropped: 514, 3085.9, 1."""
    text = one_decimal(value)
    return text[:-2] if text.endswith(".0") else text


# --- numbers -------------------------------------------------------------------------------------------

def amount_parts(value, unit: str) -> tuple[str, str]:
    """(number, unit) of an amount given in 亿元 or 万元: 5140000 万元 → ("514", "亿元").

    The unit is chosen on the amount rounded in 万元, so 9999.95万元 (→ 10000.0万元) is promoted to 亿元; the
    亿元 figure is then rounded from the exact amount, not from the already rounded 万元.
    """
    if unit not in AMOUNT_UNITS:
        raise ValueError(f"金额单位应为亿元或万元，而不是“{unit}”。")
    amount = dec(value)
    wan = amount * WAN_PER_YI if unit == "亿元" else amount
    if round1(wan).copy_abs() >= WAN_PER_YI:
        return compact(wan / WAN_PER_YI), "亿元"
    return compact(wan), "万元"


def format_amount(value, unit: str = "万元") -> str:
    """514亿元, 3085.9亿元, 45.6万元, 1亿元 (from 9999.95万元), 0万元 (from 0.04万元)."""
    number, shown_unit = amount_parts(value, unit)
    return number + shown_unit


def format_pct(value) -> str:
    """8.2%, 12.0%, -2.3%."""
    return one_decimal(value) + "%"


def format_pp(value) -> str:
    """3.4个百分点 (the caller passes the magnitude it means; the sign is part of the phrase)."""
    return one_decimal(value) + "个百分点"


def format_signed_pp(value) -> str:
    """+0.3 / -0.5 / 0.0, for a table column headed 个百分点."""
    rounded = round1(value)
    return f"+{rounded}" if rounded > 0 else str(rounded)


def format_count(value, unit: str = "个") -> str:
    """47个."""
    return str(int(dec(value).quantize(Decimal(1), rounding=ROUND_HALF_UP))) + unit


def format_multiple(growth_pct) -> str:
    """The 倍 of a growth of 100 % or more: 110 → 1.1倍, 100 → 1倍, 125 → 1.3倍."""
    return compact(dec(growth_pct) / 100) + "倍"


def value_parts(value, unit: str) -> tuple[str, str]:
    """(number, unit) of a level in any catalog unit: amounts as above, % with its decimal, whole numbers
    of other units (个, 家) as integers, anything else to one decimal with .0 dropped."""
    if unit in AMOUNT_UNITS:
        return amount_parts(value, unit)
    if unit == "%":
        return one_decimal(value), "%"
    number = dec(value)
    if number == number.to_integral_value():
        return str(int(number)), unit
    return compact(number), unit


def format_value(value, unit: str) -> str:
    number, shown_unit = value_parts(value, unit)
    return number + shown_unit


# --- phrases -------------------------------------------------------------------------------------------

def growth_phrase(growth_pct) -> str:
    """增长8.2% / 下降2.3% / 与上年同期持平; from 100 % on, 增长X倍 with X = g/100 (110 → 增长1.1倍)."""
    rounded = round1(growth_pct)
    if rounded > 0:
        return "增长" + (format_multiple(growth_pct) if rounded >= 100 else format_pct(rounded))
    if rounded < 0:
        return "下降" + format_pct(-rounded)
    return "与上年同期持平"


def change_phrase(growth_pct, previous_pct, label: str) -> str:
    """The growth rate against the comparison period `label` (economy.md §2.3).

    both > 0: 增速较{label}提高 / 回落 d个百分点, 增速与{label}持平 when d rounds to 0;
    both < 0: 降幅较{label}收窄 / 扩大 d个百分点, 降幅与{label}持平;
    g0 ≤ 0 < g: 较{label}由降转增; g0 ≥ 0 > g: 较{label}由增转降 (the table's rows, 0 included);
    g = 0: 增速较{label}回落 d个百分点 after growth, 较{label}由降转平 after a decline, 增速与{label}持平 after 0.
    Empty when there is nothing to compare with.
    """
    if growth_pct is None or previous_pct is None or not label:
        return ""
    g, g0 = round1(growth_pct), round1(previous_pct)
    d = round1(dec(growth_pct) - dec(previous_pct))
    if g > 0 and g0 > 0:
        if d == 0:
            return f"增速与{label}持平"
        return f"增速较{label}{'提高' if d > 0 else '回落'}{format_pp(abs(d))}"
    if g < 0 and g0 < 0:
        if d == 0:
            return f"降幅与{label}持平"
        return f"降幅较{label}{'收窄' if d > 0 else '扩大'}{format_pp(abs(d))}"
    if g > 0:  # g0 ≤ 0
        return f"较{label}由降转增"
    if g < 0:  # g0 ≥ 0
        return f"较{label}由增转降"
    # g = 0
    if g0 > 0:
        return f"增速较{label}回落{format_pp(abs(d))}"
    if g0 < 0:
        return f"较{label}由降转平"
    return f"增速与{label}持平"


def _compare(difference, above: str, below: str, equal: str) -> str:
    d = round1(difference)
    if d > 0:
        return above + format_pp(d)
    if d < 0:
        return below + format_pp(-d)
    return equal


def city_phrase(growth_pct, city_growth_pct) -> str:
    """高于 / 低于全市X个百分点 / 与全市持平."""
    return _compare(dec(growth_pct) - dec(city_growth_pct), "高于全市", "低于全市", "与全市持平")


def target_growth_phrase(growth_pct, target_growth_pct) -> str:
    """高于 / 低于年度目标X个百分点 / 与年度目标持平 (a growth target such as GDP +7 %)."""
    return _compare(dec(growth_pct) - dec(target_growth_pct), "高于年度目标", "低于年度目标", "与年度目标持平")


def time_progress(month: int) -> Decimal:
    """时序进度 in percent: month / 12 × 100."""
    return Decimal(month * 100) / Decimal(12)


def ahead_phrase(ahead_pp) -> str:
    """超时序进度Y个百分点 / 慢于时序进度Y个百分点 / 与时序进度持平, from completion − 时序进度 in points."""
    return _compare(ahead_pp, "超时序进度", "慢于时序进度", "与时序进度持平")


def time_progress_phrase(completion_pct, month: int) -> str:
    """ahead_phrase of a completion rate at the end of `month`."""
    return ahead_phrase(dec(completion_pct) - time_progress(month))


def progress_phrase(completion_pct, month: int) -> str:
    """完成年度计划的X%，超时序进度Y个百分点 (or 慢于 / 与时序进度持平)."""
    return f"完成年度计划的{format_pct(completion_pct)}，{time_progress_phrase(completion_pct, month)}"


# --- periods -------------------------------------------------------------------------------------------

_NAMED_PERIODS = {3: "一季度", 6: "上半年", 9: "前三季度", 12: "全年"}


def _check_month(month: int) -> None:
    if not 1 <= month <= 12:
        raise ValueError(f"月份应为 1–12，而不是 {month}。")


def cumulative_label(month: int) -> str:
    """The months a cumulative figure covers, written out: 1月, 1—6月."""
    _check_month(month)
    return "1月" if month == 1 else f"1{DASH}{month}月"


def period_name(year: int, month: int) -> str:
    """How a bulletin names the cumulative period: 一季度 (3), 上半年 (6), 前三季度 (9), 全年 (12), else 1—M月
    (1月 for January). `year` is part of the signature so callers read naturally; the name does not use it."""
    del year
    return _NAMED_PERIODS.get(month) or cumulative_label(month)


def comparison_month(month: int, frequency: str = "月度") -> int | None:
    """The earlier month of the same year a cumulative figure is compared with ("较…提高").

    At a quarter's end after the first (6, 9, 12) it is the previous quarter's end (上半年 vs 一季度), as
    half-year and three-quarter reports do; otherwise the previous month (1—5月 vs 1—4月, 一季度 vs 1—2月).
    January has nothing earlier in the year. Quarterly indicators (GDP) only compare quarter ends.
    """
    _check_month(month)
    if month in (6, 9, 12):
        return month - 3
    if frequency == "季度" or month == 1:
        return None
    return month - 1


def comparison_label(month: int, frequency: str = "月度") -> str:
    """一季度 / 上半年 / 前三季度 / 1—(M−1)月; empty when there is no comparison period."""
    earlier = comparison_month(month, frequency)
    return "" if earlier is None else period_name(0, earlier)


def month_of_period_name(name: str) -> int | None:
    """The month a name from period_name stands for (上半年 → 6); None for anything else."""
    for month in range(1, 13):
        if period_name(0, month) == name:
            return month
    return None
