"""The 经济运行简报 composer: BulletinInput → Bulletin (economy.md §2; issue 6).

Pure: no Django, no I/O, no clock. Every number in the text and the tables comes from the input through
wording.py, so the same figures always give the same words; a figure the input lacks is left out — its
sentence, clause or table cell — rather than printed as None or 0.
"""

from decimal import Decimal

from gaoxin.economy import wording as w
from gaoxin.economy.document import (
    Bulletin,
    BulletinInput,
    Chart,
    IndicatorFigure,
    Section,
    Series,
    Table,
    TransformationFigures,
)

# The official figures the lead paragraph (总述) names, in the order the article does; the catalog marks the
# same ones as headline indicators.
HEADLINE_CODES = ("gdp", "industrial_value_added", "fixed_asset_investment", "industrial_investment")
# Size classes of signed projects a bulletin names ("其中50亿级5个"); smaller classes only appear in stats.
NAMED_SIZES = ("百亿级", "50亿级")
KEY_LEVELS = ("市级", "区级")
MISSING = "—"

PLACEHOLDER_TEXT = "【请填写：当前经济运行中需要关注的主要问题，以及下一阶段的重点工作和措施。】"
COMPARABILITY_NOTE = ("官方统计数据的增速按可比价/可比口径计算，为公布值，不由累计值推算；"
                      "招商和项目数据来自本平台业务记录。")


def compose(data: BulletinInput) -> Bulletin:
    figures = [f for f in data.indicators if f.value is not None or f.growth_pct is not None]
    sections = [
        _indicators_section(data, figures),
        _investment_section(data),
        _projects_section(data),
        _transformation_section(data),
        Section("存在问题与下步工作", paragraphs=(PLACEHOLDER_TEXT,), placeholder=True),
    ]
    return Bulletin(
        title=title(data.zone_name, data.year, data.month),
        issuer=data.issuer,
        issued_on=data.issued_on,
        summary=_summary(data, figures),
        sections=tuple(s for s in sections if s is not None),
        notes=_notes(data, figures),
    )


def title(zone_name: str, year: int, month: int) -> str:
    """示范科学城高新区2024年上半年经济运行简报; the whole year is simply 2024年经济运行简报."""
    period = "" if month == 12 else w.period_name(year, month)
    return f"{zone_name}{year}年{period}经济运行简报"


# --- numbers of the statistics contract (JSON numbers, None, or absent) ---------------------------------

def _number(mapping: dict | None, key: str) -> Decimal | None:
    value = (mapping or {}).get(key)
    return None if value is None else w.dec(value)


def _positive(mapping: dict | None, key: str) -> Decimal | None:
    """A count or amount worth a clause: absent and zero are both left out ("0个项目开工" says nothing)."""
    value = _number(mapping, key)
    return value if value is not None and value > 0 else None


# --- 总述 -------------------------------------------------------------------------------------------------

def _summary(data: BulletinInput, figures: list[IndicatorFigure]) -> str:
    with_growth = [f for f in figures if f.growth_pct is not None]
    headline = [f for code in HEADLINE_CODES for f in with_growth if f.code == code] or with_growth[:3]
    groups = ["，".join(f"{f.name}{w.growth_phrase(f.growth_pct)}" for f in headline)]
    groups.append("，".join(c for c in (_signing_clause(data.projects), _funds_clause(data.projects)) if c))
    groups.append(_starts_clause(data.projects))
    groups = [g for g in groups if g]
    if not groups:
        return f"今年以来，{data.zone_name}经济运行情况如下。"
    return f"今年以来，{data.zone_name}" + "；".join(groups) + "。"


# --- 主要经济指标 ------------------------------------------------------------------------------------------

def _indicators_section(data: BulletinInput, figures: list[IndicatorFigure]) -> Section | None:
    if not figures:
        return None
    charts = tuple(c for c in (_growth_chart(figures),) if c is not None)
    return Section("主要经济指标", paragraphs=tuple(_indicator_sentence(f, data.month) for f in figures),
                   tables=(_indicator_table(data, figures),), charts=charts)


def _indicator_sentence(f: IndicatorFigure, month: int) -> str:
    """地区生产总值514.3亿元，增长8.2%，增速较一季度提高0.3个百分点，高于全市2.1个百分点，高于年度目标1.2个百分点。"""
    head = f.name + ("" if f.value is None else w.format_value(f.value, f.unit))
    clauses = []
    if f.growth_pct is not None:
        if f.value is None:
            head += w.growth_phrase(f.growth_pct)
        else:
            clauses.append(w.growth_phrase(f.growth_pct))
        clauses.append(w.change_phrase(f.growth_pct, f.previous_growth_pct, f.previous_label))
        if f.city_growth_pct is not None:
            clauses.append(w.city_phrase(f.growth_pct, f.city_growth_pct))
        if f.target_growth_pct is not None:
            clauses.append(w.target_growth_phrase(f.growth_pct, f.target_growth_pct))
    if f.value is not None and f.target_value is not None and f.target_value > 0:
        clauses.append(w.progress_phrase(f.value / f.target_value * 100, month))
    return "，".join([head, *(c for c in clauses if c)]) + "。"


def _indicator_table(data: BulletinInput, figures: list[IndicatorFigure]) -> Table:
    rows = []
    for f in figures:
        if f.value is None:
            number, unit = MISSING, f.unit
        else:
            number, unit = w.value_parts(f.value, f.unit)
        has_change = f.growth_pct is not None and f.previous_growth_pct is not None and f.previous_label
        targets = []
        if f.target_growth_pct is not None:
            targets.append(w.growth_phrase(f.target_growth_pct))
        if f.target_value is not None:
            targets.append(w.format_value(f.target_value, f.unit))
        rows.append((
            f.name, unit, number,
            MISSING if f.growth_pct is None else w.format_pct(f.growth_pct),
            w.format_signed_pp(f.growth_pct - f.previous_growth_pct) if has_change else MISSING,
            MISSING if f.city_growth_pct is None else w.format_pct(f.city_growth_pct),
            "；".join(targets) or MISSING,
        ))
    labels = list(dict.fromkeys(f.previous_label for f in figures
                                if f.previous_label and f.previous_growth_pct is not None))
    note = "累计值为1月至当月累计"
    if labels:
        note += f"；较上期为累计增速与{'、'.join(labels)}相比的变动"
    return Table(
        caption=f"主要经济指标（{data.year}年{w.cumulative_label(data.month)}）",
        columns=("指标", "单位", "累计值", "累计增速", "较上期（个百分点）", "全市增速", "年度目标"),
        rows=tuple(rows),
        note=note + "。",
        numeric_columns=(2, 3, 4, 5),
    )


def _growth_chart(figures: list[IndicatorFigure]) -> Chart | None:
    """Cumulative growth by month of the year so far, one line per headline indicator that has a history
    (nine lines would be unreadable; the table lists every indicator); any indicator when no headline one has."""
    lines = [f for f in figures if any(g is not None for _label, g in f.history)]
    lines = [f for f in lines if f.code in HEADLINE_CODES] or lines
    if not lines:
        return None
    seen = list(dict.fromkeys(label for f in lines for label, _g in f.history))
    # Chronological order whichever indicator named a month first (GDP names only quarter ends).
    categories = sorted(seen, key=lambda label: (w.month_of_period_name(label) or 13, seen.index(label)))
    grid = [[dict(f.history).get(label) for label in categories] for f in lines]
    return Chart(
        key="growth-lines",
        title="主要指标累计增速",
        kind="line",
        categories=tuple(categories),
        series=tuple(Series(f.name, tuple(None if g is None else float(w.round1(g)) for g in values))
                     for f, values in zip(lines, grid, strict=True)),
        unit="%",
        table=Table(
            caption="主要指标累计增速（%）",
            columns=("期间", *(f.name for f in lines)),
            rows=tuple((label, *(MISSING if values[i] is None else w.one_decimal(values[i]) for values in grid))
                       for i, label in enumerate(categories)),
            numeric_columns=tuple(range(1, len(lines) + 1)),
        ),
    )


# --- 招商引资 ---------------------------------------------------------------------------------------------

def _signing_clause(projects: dict | None) -> str:
    """签约项目47个、合同投资额514亿元."""
    signed = _positive(projects, "signed_projects")
    if signed is None:
        return ""
    contract = _positive(projects, "contract_investment_wan")
    return f"签约项目{w.format_count(signed)}" + ("" if contract is None else f"、合同投资额{w.format_amount(contract)}")


def _funds_clause(projects: dict | None) -> str:
    """到位资金190亿元、增长41.5%."""
    funds = _positive(projects, "funds_in_place_wan")
    if funds is None:
        return ""
    growth = _number(projects, "funds_in_place_growth_pct")
    return f"到位资金{w.format_amount(funds)}" + ("" if growth is None else "、" + w.growth_phrase(growth))


def _breakdown(kind: str, groups: dict) -> str:
    """分渠道看，以商招商签约12个、合同投资额120.3亿元，……。"""
    parts = []
    for name, figures in groups.items():
        count = _positive(figures, "count")
        if count is None:
            continue
        amount = _positive(figures, "contract_investment_wan")
        parts.append(f"{name}签约{w.format_count(count)}"
                     + ("" if amount is None else f"、合同投资额{w.format_amount(amount)}"))
    return f"分{kind}看，" + "，".join(parts) + "。" if parts else ""


def _breakdown_table(caption: str, first: str, groups: dict, total: tuple | None = None) -> Table | None:
    rows = []
    for name, figures in groups.items():
        count = _positive(figures, "count")
        if count is None:
            continue
        amount = _number(figures, "contract_investment_wan")
        rows.append((name, w.format_count(count, ""), MISSING if amount is None else w.format_amount(amount)))
    if not rows:
        return None
    if total is not None:
        rows.append(total)
    return Table(caption=caption, columns=(first, "签约项目（个）", "合同投资额"), rows=tuple(rows),
                 numeric_columns=(1, 2))


def _investment_section(data: BulletinInput) -> Section | None:
    p = data.projects or {}
    head = _signing_clause(p)
    sizes = p.get("signed_by_size") or {}
    named = [f"{name}{w.format_count(sizes[name])}" for name in NAMED_SIZES if sizes.get(name)]
    if head and named:
        head += "，其中" + "、".join(named)
    first = "；".join(c for c in (head, _funds_clause(p)) if c)
    channels = p.get("signed_by_channel") or {}
    paragraphs = [s for s in (first + "。" if first else "", _breakdown("渠道", channels),
                              _breakdown("产业", data.signed_by_industry)) if s]
    if not paragraphs:
        return None
    signed, contract = _number(p, "signed_projects"), _number(p, "contract_investment_wan")
    total = ("合计", w.format_count(signed or 0, ""), MISSING if contract is None else w.format_amount(contract))
    tables = (_breakdown_table("签约项目分渠道情况", "渠道", channels, total),
              _breakdown_table("签约项目分产业情况", "产业", data.signed_by_industry))
    return Section("招商引资", paragraphs=tuple(paragraphs), tables=tuple(t for t in tables if t is not None))


# --- 项目建设 ---------------------------------------------------------------------------------------------

def _starts_clause(projects: dict | None) -> str:
    """41个项目实现开工、30个项目正式投用."""
    started = _positive(projects, "projects_started")
    commissioned = _positive(projects, "projects_commissioned")
    parts = []
    if started is not None:
        parts.append(f"{w.format_count(started)}项目实现开工")
    if commissioned is not None:
        parts.append(f"{w.format_count(commissioned)}项目正式投用")
    return "、".join(parts)


def _key_levels(projects: dict | None) -> list[tuple[str, dict]]:
    levels = (projects or {}).get("key_projects") or {}
    return [(level, levels[level]) for level in KEY_LEVELS
            if level in levels and _positive(levels[level], "count") is not None]


def _key_clause(level: str, figures: dict, month: int) -> str:
    """32个市级重点项目投资完成率118.2%，超时序进度68.2个百分点."""
    completion = _number(figures, "completion_pct")
    if completion is None:
        return ""
    ahead = _number(figures, "ahead_pp")
    gap = w.time_progress_phrase(completion, month) if ahead is None else w.ahead_phrase(ahead)
    return f"{w.format_count(figures['count'])}{level}重点项目投资完成率{w.format_pct(completion)}，{gap}"


def _projects_section(data: BulletinInput) -> Section | None:
    p = data.projects
    if p is None:
        return None
    levels = _key_levels(p)
    clauses = [_starts_clause(p), *(_key_clause(level, figures, data.month) for level, figures in levels)]
    clauses = [c for c in clauses if c]
    if not clauses:
        return None
    tables, charts = (), ()
    if levels:
        tables = (_key_table(levels),)
        chart = _key_chart(levels)
        charts = () if chart is None else (chart,)
    return Section("项目建设", paragraphs=("；".join(clauses) + "。",), tables=tables, charts=charts)


def _pct_or_missing(figures: dict, key: str) -> str:
    value = _number(figures, key)
    return MISSING if value is None else w.format_pct(value)


def _key_table(levels: list[tuple[str, dict]]) -> Table:
    rows = []
    for level, figures in levels:
        ahead = _number(figures, "ahead_pp")
        rows.append((
            level, w.format_count(figures["count"], ""),
            w.format_amount(_number(figures, "plan_wan") or 0), w.format_amount(_number(figures, "completed_wan") or 0),
            _pct_or_missing(figures, "completion_pct"), _pct_or_missing(figures, "time_progress_pct"),
            MISSING if ahead is None else w.format_signed_pp(ahead),
        ))
    return Table(
        caption="重点项目投资完成情况",
        columns=("级别", "项目数（个）", "年度计划投资", "累计完成投资", "投资完成率", "时序进度", "较时序进度（个百分点）"),
        rows=tuple(rows),
        numeric_columns=(1, 2, 3, 4, 5, 6),
    )


def _key_chart(levels: list[tuple[str, dict]]) -> Chart | None:
    drawn = [(level, _number(f, "completion_pct"), _number(f, "time_progress_pct")) for level, f in levels]
    drawn = [(level, c, t) for level, c, t in drawn if c is not None and t is not None]
    if not drawn:
        return None
    return Chart(
        key="key-progress",
        title="重点项目投资完成率与时序进度",
        kind="bar",
        categories=tuple(level for level, _c, _t in drawn),
        series=(Series("投资完成率", tuple(float(w.round1(c)) for _l, c, _t in drawn)),
                Series("时序进度", tuple(float(w.round1(t)) for _l, _c, t in drawn))),
        unit="%",
        table=Table(
            caption="重点项目投资完成率与时序进度（%）",
            columns=("级别", "投资完成率", "时序进度"),
            rows=tuple((level, w.one_decimal(c), w.one_decimal(t)) for level, c, t in drawn),
            numeric_columns=(1, 2),
        ),
    )


# --- 产业转型 ---------------------------------------------------------------------------------------------

def _transformation_section(data: BulletinInput) -> Section | None:
    figures = data.transformation
    if figures is None:
        return None
    paragraphs = transformation_paragraphs(figures, data.month)
    if not paragraphs:
        return None
    return Section("产业转型", paragraphs=paragraphs)


def transformation_paragraphs(figures: TransformationFigures, month: int) -> tuple[str, ...]:
    """今年以来，实施智能化改造项目26个，新建市级智能工厂2个、数字化车间5个、数字化生产线84条，11家企业新设立研发机构。
    Then one sentence per 典型案例 with its measured improvements. Zero counts are left out. Public so that the
    register's counts page shows exactly the sentence the bulletin prints."""
    clauses = []
    started = [f"{kind}项目{count}个" for kind, count in figures.started if count]
    if started:
        clauses.append("实施" + "、".join(started))
    by_level: dict[str, list[str]] = {}
    for level, kind, count, unit in figures.certified:
        if count:
            by_level.setdefault(level, []).append(f"{kind}{count}{unit}")
    if by_level:  # 新建市级智能工厂2个、数字化车间5个; a second level follows without repeating 新建
        clauses.append("新建" + "，".join(level + "、".join(items) for level, items in by_level.items()))
    if figures.institution_enterprises:
        clauses.append(f"{figures.institution_enterprises}家企业新设立研发机构")
    paragraphs = []
    if clauses:
        lead = "今年以来" if month < 12 else "全年"
        paragraphs.append(f"{lead}，" + "，".join(clauses) + "。")
    for case in figures.showcases:
        if case.improvements:
            paragraphs.append(f"{case.subject}" + "，".join(case.improvements) + "。")
    return tuple(paragraphs)


# --- 附注 -------------------------------------------------------------------------------------------------

def _notes(data: BulletinInput, figures: list[IndicatorFigure]) -> tuple[str, ...]:
    notes = [f"统计范围：{data.zone_name}；数据为{data.year}年{w.cumulative_label(data.month)}累计，增速为与上年同期相比。",
             COMPARABILITY_NOTE]
    for f in figures:
        if f.status and f.status != "最终":
            notes.append(f"{f.name}为{f.status}数" + (f"（来源：{f.source}）" if f.source else "") + "。")
    return tuple(notes)
