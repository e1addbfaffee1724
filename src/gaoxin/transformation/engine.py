"""The 智改数转 arithmetic: before/after improvements and the period counts the bulletin states.

Pure: no Django. Kinds and levels are the stored text values of models.Kind and models.Level.
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

# Kinds counted when they start (改造), and kinds counted when they are recognised (认定), in bulletin order.
RETROFIT_KINDS = ("智能化改造", "数字化改造", "绿色化改造")
CERTIFIED_KINDS = ("智能工厂", "数字化车间", "数字化生产线")
LEVEL_ORDER = ("领航级", "卓越级", "先进级", "基础级", "市级", "区级")
UNITS = {"数字化生产线": "条"}  # every other kind counts in 个
TWO_PLACES = Decimal("0.01")

# How a change of each metric is worded, (rise, fall): 检测效率提高12.14%, 运营成本降低18.27%.
VERBS = {"效率": ("提高", "下降"), "不良率": ("上升", "下降"), "运营成本": ("增加", "降低"), "单位能耗": ("增加", "降低")}


def improvement_pct(before: Decimal, after: Decimal) -> Decimal | None:
    """(after − before) / before × 100, unrounded; None when there is no base to compare with."""
    if before is None or after is None or before == 0:
        return None
    return (Decimal(after) - Decimal(before)) / Decimal(before) * 100


def two_decimals(pct: Decimal) -> Decimal:
    """Shown as the article does: 12.14, −44.54 (ROUND_HALF_UP, only at the edge)."""
    return pct.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def improvement_phrase(label: str, metric: str, pct: Decimal | None) -> str:
    """检测效率提高12.14% / 产品不良率下降44.54% / 运营成本持平; '' when there is nothing to compare."""
    if pct is None:
        return ""
    shown = two_decimals(pct)
    if shown == 0:
        return f"{label}持平"
    rise, fall = VERBS.get(metric, ("提高", "下降"))
    return f"{label}{rise if shown > 0 else fall}{abs(shown)}%"


def unit_of(kind: str) -> str:
    return UNITS.get(kind, "个")


@dataclass(frozen=True)
class ProjectRow:
    kind: str
    started_on: dt.date
    level: str = ""
    certified_on: dt.date | None = None


@dataclass(frozen=True)
class InstitutionRow:
    enterprise_id: int
    recognized_on: dt.date


@dataclass(frozen=True)
class PeriodCounts:
    """What the zone did in [start, end]: retrofits started, recognitions won, R&D institutions set up."""

    start: dt.date
    end: dt.date
    started: dict[str, int] = field(default_factory=dict)  # retrofit kind → projects started, RETROFIT_KINDS order
    certified: dict[tuple[str, str], int] = field(default_factory=dict)  # (level, kind) → newly certified
    institutions: int = 0  # R&D institutions recognised
    institution_enterprises: int = 0  # enterprises that set up at least one

    @property
    def empty(self) -> bool:
        return not (self.started or self.certified or self.institutions)


def started_in(p: ProjectRow, start: dt.date, end: dt.date) -> bool:
    """A retrofit counts in the period it started."""
    return p.kind in RETROFIT_KINDS and start <= p.started_on <= end


def certified_in(p: ProjectRow, start: dt.date, end: dt.date) -> bool:
    """A factory, workshop or line counts in the period it was recognised, and only with a level."""
    return p.kind in CERTIFIED_KINDS and bool(p.certified_on and p.level) and start <= p.certified_on <= end


def period_counts(projects, institutions, *, start: dt.date, end: dt.date) -> PeriodCounts:
    """Count retrofits by the day they started and certified kinds by the day they were recognised; a
    smart factory that was started in the period but not yet recognised is not "新建" until it is."""
    started = Counter(p.kind for p in projects if started_in(p, start, end))
    certified = Counter((p.level, p.kind) for p in projects if certified_in(p, start, end))
    new = [i for i in institutions if start <= i.recognized_on <= end]
    return PeriodCounts(
        start=start, end=end,
        started={k: started[k] for k in RETROFIT_KINDS if started[k]},
        certified={key: certified[key] for key in sorted(certified, key=_certified_order)},
        institutions=len(new),
        institution_enterprises=len({i.enterprise_id for i in new}),
    )


def _certified_order(key: tuple[str, str]) -> tuple[int, int]:
    level, kind = key
    return (LEVEL_ORDER.index(level) if level in LEVEL_ORDER else len(LEVEL_ORDER), CERTIFIED_KINDS.index(kind))


def period_ids(projects, institutions, *, start: dt.date, end: dt.date) -> dict:
    """The records behind each count of `period_counts`, for a drill-down: `projects` are (id, ProjectRow)
    and `institutions` (id, InstitutionRow) pairs. Keys are ("started", kind), ("certified", level, kind),
    "institutions" and "institution_enterprises" (enterprise ids); ids ascending; a count of 0 has no key."""
    started: dict[str, list[int]] = {}
    certified: dict[tuple[str, str], list[int]] = {}
    for pk, p in projects:
        if started_in(p, start, end):
            started.setdefault(p.kind, []).append(pk)
        if certified_in(p, start, end):
            certified.setdefault((p.level, p.kind), []).append(pk)
    new = [(pk, i) for pk, i in institutions if start <= i.recognized_on <= end]
    ids: dict = {("started", kind): tuple(sorted(started[kind])) for kind in RETROFIT_KINDS if kind in started}
    for key in sorted(certified, key=_certified_order):
        ids[("certified", *key)] = tuple(sorted(certified[key]))
    if new:
        ids["institutions"] = tuple(sorted(pk for pk, _i in new))
        ids["institution_enterprises"] = tuple(sorted({i.enterprise_id for _pk, i in new}))
    return ids
