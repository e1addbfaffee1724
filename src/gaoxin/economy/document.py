"""The shapes the bulletin is made of, shared by its composer (bulletin.py) and its renderers (render/).

The input (`BulletinInput`) is plain data gathered by the selectors: the official figures as published,
the platform's own statistics, targets and the city's figures. The output (`Bulletin`) is a renderer-neutral
document — title, paragraphs, tables, charts — that the Markdown, HTML and Word renderers lay out. Neither
side imports Django, so the wording can be tested on hand-made data.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

# --- input ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class IndicatorFigure:
    """One indicator for the bulletin's period, as published (nothing recomputed)."""

    code: str
    name: str
    unit: str  # of `value`: 亿元, 万元, 个, %
    value: Decimal | None  # cumulative level, 1 January … end of the period
    growth_pct: Decimal | None  # cumulative YoY growth as published
    previous_growth_pct: Decimal | None = None  # the same indicator at the comparison period (e.g. 一季度)
    previous_label: str = ""  # how that period is named in text: 一季度, 1–5月
    city_growth_pct: Decimal | None = None  # 全市 growth for the same period
    target_growth_pct: Decimal | None = None  # the year's target growth
    target_value: Decimal | None = None  # the year's target level, same unit as value
    source: str = ""
    status: str = ""  # 初步 / 修订 / 最终
    frequency: str = "月度"
    history: tuple[tuple[str, Decimal | None], ...] = ()  # (period label, growth) of the year so far, for charts


@dataclass(frozen=True)
class Showcase:
    """A 典型案例 of the 产业转型 section: a workshop or line with its measured improvements, already worded."""

    subject: str  # 国芯微（重庆）科技有限公司功率半导体与集成电路可靠性检测数字化车间
    improvements: tuple[str, ...]  # 检测效率提高12.14%, 产品不良率下降44.54%, …


@dataclass(frozen=True)
class TransformationFigures:
    """The period's 智改数转 counts (transformation.engine.period_counts), in the order the text names them."""

    started: tuple[tuple[str, int], ...] = ()  # (retrofit kind, projects started): (智能化改造, 26)
    certified: tuple[tuple[str, str, int, str], ...] = ()  # (level, kind, count, measure word): (市级, 智能工厂, 2, 个)
    institution_enterprises: int = 0  # enterprises that set up a recognised 研发机构
    showcases: tuple[Showcase, ...] = ()


@dataclass(frozen=True)
class BulletinInput:
    zone_name: str
    year: int
    month: int  # cumulative to the end of this month
    issued_on: dt.date
    issuer: str  # e.g. 示范科学城高新区管委会经济发展局 (or the zone name)
    indicators: tuple[IndicatorFigure, ...]  # official ones, in catalog order
    projects: dict | None = None  # the `gaoxin stats` JSON of the period (projects issue), or None
    projects_previous: dict | None = None  # the same for the previous year's period, for growth wording
    signed_by_industry: dict[str, dict] = field(default_factory=dict)  # {industry: {count, contract_investment_wan}}
    transformation: TransformationFigures | None = None  # the 智改数转 register's counts; None omits 产业转型


# --- output --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Table:
    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]  # already formatted text
    note: str = ""
    numeric_columns: tuple[int, ...] = ()  # indexes right-aligned in html/docx


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float | None, ...]


@dataclass(frozen=True)
class Chart:
    """A line or bar chart: categories on the x axis, one or more series; rendered as a picture in docx and
    as ECharts in html. `table` is what a reader without the picture gets instead."""

    key: str  # stable id, e.g. "growth-lines"
    title: str
    kind: str  # "line" | "bar"
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    unit: str  # y axis unit, e.g. %
    table: Table


@dataclass(frozen=True)
class Section:
    heading: str  # without its number: 主要经济指标
    paragraphs: tuple[str, ...] = ()
    tables: tuple[Table, ...] = ()
    charts: tuple[Chart, ...] = ()
    placeholder: bool = False  # 存在问题与下步工作: for the office to write; renderers mark it editable


@dataclass(frozen=True)
class Bulletin:
    title: str  # 示范科学城高新区2024年上半年经济运行简报
    issuer: str
    issued_on: dt.date
    summary: str  # the lead paragraph (总述)
    sections: tuple[Section, ...]
    notes: tuple[str, ...] = ()  # 附注: 统计范围, 来源, 可比口径
