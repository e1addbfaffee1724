"""The arithmetic of the project pipeline, over plain data: reporting periods, the period statistics
of `gaoxin stats`, and the red/yellow/green warning lights. No Django import, no I/O.

Percentages are computed exactly (fractions) and handed out unrounded; thresholds are compared on
the exact values, so "exactly 10 points behind" is yellow whatever the floating-point representation.
"""

import calendar
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from fractions import Fraction

ZERO = Decimal(0)


class PeriodError(ValueError):
    """A reporting period that cannot be read; the message says what is accepted."""


@dataclass(frozen=True)
class Period:
    """Cumulative from 1 January to the end of `month` of `year` (累计)."""

    year: int
    month: int

    @property
    def label(self) -> str:
        return f"{self.year}-{self.month:02d}"

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 1, 1)

    @property
    def end(self) -> dt.date:
        return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def previous_year(self) -> "Period":
        return Period(self.year - 1, self.month)

    def contains(self, day: dt.date | None) -> bool:
        return day is not None and self.start <= day <= self.end

    @property
    def time_progress(self) -> Fraction:
        """时序进度 in percent: month / 12 × 100."""
        return Fraction(self.month * 100, 12)


_ALIASES = {"Q1": 3, "Q2": 6, "Q3": 9, "Q4": 12, "H1": 6, "H2": 12}
_PERIOD = re.compile(r"^(\d{4})(?:-(\d{1,2})|(Q[1-4]|H[12]))?$")
PERIOD_HELP = "YYYY-MM（如 2025-06，即 1 月至 6 月累计）、2025Q1–Q4、2025H1/H2 或 2025（全年）"


def parse_period(text: str) -> Period:
    """`2025-06`, `2025Q1` (= 2025-03), `2025H1` (= 2025-06), `2025` (= 2025-12)."""
    raw = (text or "").strip().upper()
    match = _PERIOD.match(raw)
    if not match:
        raise PeriodError(f"期间“{text}”无法识别，应为 {PERIOD_HELP}。")
    year = int(match.group(1))
    if match.group(2):
        month = int(match.group(2))
        if not 1 <= month <= 12:
            raise PeriodError(f"期间“{text}”的月份应为 01–12。")
    elif match.group(3):
        month = _ALIASES[match.group(3)]
    else:
        month = 12
    if not 2000 <= year <= 2100:
        raise PeriodError(f"期间“{text}”的年份应在 2000–2100 之间。")
    return Period(year, month)


# --- statistics -------------------------------------------------------------------------------------

# 签约项目 size classes by contract investment, in 万元; exclusive bins, lower bounds inclusive.
SIZE_BUCKETS = (
    ("百亿级", Decimal(1_000_000)),
    ("50亿级", Decimal(500_000)),
    ("10亿级", Decimal(100_000)),
    ("亿元级", Decimal(10_000)),
    ("亿元以下", ZERO),
)
KEY_LEVELS = ("市级", "区级")


def size_bucket(contract_wan: Decimal) -> str:
    for name, floor in SIZE_BUCKETS:
        if contract_wan >= floor:
            return name
    return SIZE_BUCKETS[-1][0]


@dataclass(frozen=True)
class SigningFact:
    id: int
    date: dt.date
    contract_wan: Decimal
    channel: str


@dataclass(frozen=True)
class TrancheFact:
    id: int
    date: dt.date
    amount_wan: Decimal


@dataclass(frozen=True)
class ProjectFact:
    id: int
    key_level: str  # "" when not a key project
    start_date: dt.date | None = None
    completion_date: dt.date | None = None
    commission_date: dt.date | None = None
    plans: dict[int, Decimal] = field(default_factory=dict)  # year → 年度计划投资
    reports: dict[tuple[int, int], Decimal] = field(default_factory=dict)  # (year, month) → 当月完成投资


@dataclass(frozen=True)
class KeyProjectFigures:
    level: str
    project_ids: tuple[int, ...]
    plan_wan: Decimal
    completed_wan: Decimal
    time_progress: Fraction

    @property
    def count(self) -> int:
        return len(self.project_ids)

    @property
    def completion(self) -> Fraction | None:
        return Fraction(self.completed_wan) / Fraction(self.plan_wan) * 100 if self.plan_wan > 0 else None

    @property
    def ahead(self) -> Fraction | None:
        completion = self.completion
        return None if completion is None else completion - self.time_progress


@dataclass(frozen=True)
class PeriodStatistics:
    """Every figure of the statistics contract, with the ids of the records behind each (for drill-down)."""

    period: Period
    signing_ids: tuple[int, ...]
    contract_investment_wan: Decimal
    by_size: dict[str, tuple[int, ...]]  # bucket → signing ids, in SIZE_BUCKETS order, empty buckets omitted
    by_channel: dict[str, tuple[tuple[int, ...], Decimal]]  # channel → (signing ids, Σ contract)
    tranche_ids: tuple[int, ...]
    funds_wan: Decimal
    prev_tranche_ids: tuple[int, ...]
    funds_prev_wan: Decimal
    started_ids: tuple[int, ...]
    completed_ids: tuple[int, ...]
    commissioned_ids: tuple[int, ...]
    key_projects: dict[str, KeyProjectFigures]

    @property
    def funds_growth(self) -> Fraction | None:
        if self.funds_prev_wan == 0:
            return None
        return (Fraction(self.funds_wan) / Fraction(self.funds_prev_wan) - 1) * 100

    def as_contract(self) -> dict:
        """The JSON object of `gaoxin stats` (amounts in 万元 as numbers, percentages unrounded)."""
        growth = self.funds_growth
        return {
            "period": self.period.label,
            "from": self.period.start.isoformat(),
            "to": self.period.end.isoformat(),
            "signed_projects": len(self.signing_ids),
            "contract_investment_wan": _number(self.contract_investment_wan),
            "signed_by_size": {name: len(ids) for name, ids in self.by_size.items()},
            "signed_by_channel": {
                channel: {"count": len(ids), "contract_investment_wan": _number(total)}
                for channel, (ids, total) in self.by_channel.items()
            },
            "funds_in_place_wan": _number(self.funds_wan),
            "funds_in_place_prev_wan": _number(self.funds_prev_wan),
            "funds_in_place_growth_pct": None if growth is None else float(growth),
            "projects_started": len(self.started_ids),
            "projects_completed": len(self.completed_ids),
            "projects_commissioned": len(self.commissioned_ids),
            "key_projects": {
                level: {
                    "count": figures.count,
                    "plan_wan": _number(figures.plan_wan),
                    "completed_wan": _number(figures.completed_wan),
                    "completion_pct": _float(figures.completion),
                    "time_progress_pct": float(figures.time_progress),
                    "ahead_pp": _float(figures.ahead),
                }
                for level, figures in self.key_projects.items()
            },
        }


def _number(value: Decimal) -> int | float:
    """An amount as a JSON number: whole amounts as integers (514 亿元 → 5140000), others as floats."""
    return int(value) if value == value.to_integral_value() else float(value)


def _float(value: Fraction | None) -> float | None:
    return None if value is None else float(value)


def period_statistics(period: Period, *, signings: Iterable[SigningFact], tranches: Iterable[TrancheFact],
                      projects: Iterable[ProjectFact]) -> PeriodStatistics:
    signed = sorted((s for s in signings if period.contains(s.date)), key=lambda s: (s.date, s.id))
    by_size: dict[str, list[int]] = {name: [] for name, _floor in SIZE_BUCKETS}
    by_channel: dict[str, tuple[list[int], list[Decimal]]] = {}
    for s in signed:
        by_size[size_bucket(s.contract_wan)].append(s.id)
        ids, amounts = by_channel.setdefault(s.channel, ([], []))
        ids.append(s.id)
        amounts.append(s.contract_wan)
    tranches = list(tranches)
    previous = period.previous_year()
    current_funds = [t for t in tranches if period.contains(t.date)]
    prev_funds = [t for t in tranches if previous.contains(t.date)]
    projects = list(projects)
    return PeriodStatistics(
        period=period,
        signing_ids=tuple(s.id for s in signed),
        contract_investment_wan=sum((s.contract_wan for s in signed), ZERO),
        by_size={name: tuple(ids) for name, ids in by_size.items() if ids},
        by_channel={ch: (tuple(ids), sum(amounts, ZERO)) for ch, (ids, amounts) in sorted(by_channel.items())},
        tranche_ids=tuple(t.id for t in current_funds),
        funds_wan=sum((t.amount_wan for t in current_funds), ZERO),
        prev_tranche_ids=tuple(t.id for t in prev_funds),
        funds_prev_wan=sum((t.amount_wan for t in prev_funds), ZERO),
        started_ids=tuple(p.id for p in projects if period.contains(p.start_date)),
        completed_ids=tuple(p.id for p in projects if period.contains(p.completion_date)),
        commissioned_ids=tuple(p.id for p in projects if period.contains(p.commission_date)),
        key_projects={level: key_project_figures(period, level, projects) for level in KEY_LEVELS},
    )


def year_to_date(project: ProjectFact, period: Period) -> Decimal:
    """Σ 当月完成投资 of months 1…M of the period's year (months without a report count as nothing)."""
    return sum((v for (y, m), v in project.reports.items() if y == period.year and m <= period.month), ZERO)


def key_project_figures(period: Period, level: str, projects: Iterable[ProjectFact]) -> KeyProjectFigures:
    chosen = [p for p in projects if p.key_level == level and p.plans.get(period.year, ZERO) > 0]
    return KeyProjectFigures(
        level=level,
        project_ids=tuple(p.id for p in chosen),
        plan_wan=sum((p.plans[period.year] for p in chosen), ZERO),
        completed_wan=sum((year_to_date(p, period) for p in chosen), ZERO),
        time_progress=period.time_progress,
    )


# --- warning lights ----------------------------------------------------------------------------------

class Light(Enum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"

    @property
    def severity(self) -> int:
        return {"green": 0, "yellow": 1, "red": 2}[self.value]


@dataclass(frozen=True)
class WarningRules:
    """A zone's thresholds (ProjectSettings); these are the defaults of the issue and of 银川's rules."""

    yellow_behind_pp: Decimal = Decimal(10)
    red_behind_pp: Decimal = Decimal(30)
    red_not_started_months: int = 3
    issue_due_soon_days: int = 3


@dataclass(frozen=True)
class Signal:
    """One warning light and why: `kind` names the rule, `params` its figures (the UI words them)."""

    light: Light
    kind: str  # progress | not_started | issue
    params: dict = field(default_factory=dict)


def progress_signal(*, plan_wan: Decimal, completed_wan: Decimal, period: Period,
                    rules: WarningRules) -> Signal | None:
    """Completion against 时序进度: yellow when behind by yellow…red points (both inclusive), red beyond."""
    if plan_wan is None or plan_wan <= 0:
        return None
    completion = Fraction(completed_wan) / Fraction(plan_wan) * 100
    behind = period.time_progress - completion
    params = {"completion": completion, "time_progress": period.time_progress, "behind": behind,
              "year": period.year, "month": period.month}
    if behind > Fraction(rules.red_behind_pp):
        return Signal(Light.RED, "progress", params)
    if behind >= Fraction(rules.yellow_behind_pp):
        return Signal(Light.YELLOW, "progress", params)
    return Signal(Light.GREEN, "progress", params)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, clipped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def start_signal(*, planned_start: dt.date | None, actual_start: dt.date | None, as_of: dt.date,
                 rules: WarningRules) -> Signal | None:
    """Not started by the planned date: yellow; still not started N months after it: red."""
    if planned_start is None or actual_start is not None or as_of < planned_start:
        return None
    params = {"planned_start": planned_start, "months": rules.red_not_started_months,
              "days_late": (as_of - planned_start).days}
    if as_of >= add_months(planned_start, rules.red_not_started_months):
        return Signal(Light.RED, "not_started", params)
    return Signal(Light.YELLOW, "not_started", params)


def issue_signal(*, deadline: dt.date, resolved: bool, as_of: dt.date, rules: WarningRules) -> Signal | None:
    if resolved:
        return None
    params = {"deadline": deadline, "days_left": (deadline - as_of).days}
    if as_of > deadline:
        return Signal(Light.RED, "issue", params)
    if (deadline - as_of).days <= rules.issue_due_soon_days:
        return Signal(Light.YELLOW, "issue", params)
    return Signal(Light.GREEN, "issue", params)


def worst(signals: Iterable[Signal | None]) -> Light | None:
    present = [s for s in signals if s is not None]
    return max((s.light for s in present), key=lambda light: light.severity) if present else None

