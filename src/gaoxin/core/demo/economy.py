"""The demo's economic figures: the official statistics of 示范科学城高新区 (本区) and of the city (全市) from
January 2023 to last month, one revised figure, yearly targets, and a second small zone 示范经开区 (`demo2`)
so that the city-level login `city` has zones to compare.

`plan_economy` is pure (a seeded random.Random, no database). Growth rates follow smooth paths between
anchor points — among them the article's 2024-06 figures, exactly: GDP +8.2 %, 规上工业增加值 +8.6 %, 固定资产投资
+12.2 %, 工业投资 +32.9 % — and the zone's published 2023/2024 annual rates (economy.md §5.3). Levels are
synthesised year on year from the growth plus a price or same-scope drift, so, as in real releases, the
published growth is NOT the ratio of the published levels (economy.md §0): nothing may recompute it.

`build_economy_demo` writes the plan through the catalog helper's services (user=None: a trusted caller,
改革发展局 keeps the statistics), so the demo carries the same audit trail and validation as an import.
"""

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

D = Decimal
SECOND_CODE, SECOND_NAME = "demo2", "示范经开区"
STATISTICS_DEPARTMENT = "gfj"  # 改革发展局
FIRST_YEAR = 2023
TARGET_GROWTH = {"gdp": D(7), "industrial_value_added": D(8), "fixed_asset_investment": D(10)}

# Share of the year's total reached by the end of each month (cumulative, %): a slow start after the
# Spring Festival, a busy June and a December push, as zone accounts usually run.
_MONTHLY_SHARE = (5.5, 5.5, 8, 8, 8.5, 9.5, 7.5, 7.5, 9, 8.5, 9, 13.5)
CUMULATIVE_SHARE = tuple(D(str(sum(_MONTHLY_SHARE[:m]))) / 100 for m in range(1, 13))

# Real-growth indicators (GDP, 规上工业增加值) have current-price levels: a price drift separates them;
# the others' bases are re-collected on the same scope, which drifts too (economy.md §1.1–1.3).
PRICE_DRIFT = D("1.2")


@dataclass(frozen=True)
class Path:
    """One indicator of one zone: the year-2023 total (亿元), and cumulative YoY growth at anchor months;
    between anchors the growth moves linearly, with a little noise; anchors are exact."""

    code: str
    total_2023: Decimal
    anchors: dict[tuple[int, int], Decimal]
    quarterly: bool = False
    real: bool = False


def _path(code, total, anchors, **kw) -> Path:
    return Path(code, D(str(total)), {k: D(str(v)) for k, v in anchors.items()}, **kw)


ZONE_PATHS = (
    _path("gdp", 720, {(2023, 3): 6.5, (2023, 6): 7.0, (2023, 9): 7.6, (2023, 12): 8.3, (2024, 3): 7.9,
                       (2024, 6): 8.2, (2024, 9): 7.8, (2024, 12): 7.4, (2025, 3): 6.8, (2025, 6): 7.1,
                       (2025, 9): 7.2, (2025, 12): 7.0, (2026, 3): 6.6, (2026, 6): 6.9, (2026, 9): 7.1,
                       (2026, 12): 7.0}, quarterly=True, real=True),
    # 2023: "降幅逐季收窄、全年实现正增长"; 2024: +7.8 % for the year
    _path("industrial_value_added", 230, {(2023, 1): -7.2, (2023, 6): -3.2, (2023, 9): -1.0, (2023, 12): 1.5,
                                          (2024, 1): 6.5, (2024, 3): 7.8, (2024, 6): 8.6, (2024, 12): 7.8,
                                          (2025, 1): 7.0, (2025, 6): 8.1, (2025, 12): 7.5, (2026, 1): 6.8,
                                          (2026, 12): 7.0}, real=True),
    _path("industrial_output", 980, {(2023, 1): -6.0, (2023, 12): 2.4, (2024, 1): 8.0, (2024, 6): 10.3,
                                     (2024, 12): 9.6, (2025, 1): 8.5, (2025, 12): 8.2, (2026, 1): 7.6,
                                     (2026, 12): 7.5}),
    _path("fixed_asset_investment", 480, {(2023, 1): 26.0, (2023, 6): 23.5, (2023, 12): 21.7, (2024, 1): 10.5,
                                          (2024, 3): 11.4, (2024, 5): 12.5, (2024, 6): 12.2, (2024, 12): 9.1,
                                          (2025, 1): 8.0, (2025, 6): 8.6, (2025, 12): 7.3, (2026, 1): 6.5,
                                          (2026, 12): 6.5}),
    _path("industrial_investment", 165, {(2023, 1): 15.0, (2023, 12): 22.4, (2024, 1): 27.0, (2024, 3): 30.5,
                                         (2024, 6): 32.9, (2024, 12): 24.6, (2025, 1): 20.0, (2025, 6): 18.2,
                                         (2025, 12): 15.0, (2026, 1): 13.0, (2026, 12): 12.0}),
    _path("retail_sales", 185, {(2023, 1): 6.0, (2023, 12): 8.6, (2024, 1): 4.5, (2024, 6): 3.6, (2024, 12): 2.5,
                                (2025, 1): 3.5, (2025, 6): 4.1, (2025, 12): 4.6, (2026, 1): 4.4, (2026, 12): 4.8}),
    _path("budget_revenue", 46, {(2023, 1): 4.0, (2023, 12): 6.2, (2024, 1): 5.5, (2024, 12): 5.1, (2025, 1): 4.6,
                                 (2025, 12): 4.3, (2026, 1): 4.1, (2026, 12): 4.0}),
    _path("tax_revenue", 37, {(2023, 1): 12.0, (2023, 12): 15.5, (2024, 1): 9.0, (2024, 12): 7.0, (2025, 1): 6.0,
                              (2025, 12): 5.2, (2026, 1): 5.1, (2026, 12): 5.0}),
    _path("foreign_trade", 640, {(2023, 1): -8.0, (2023, 12): -3.1, (2024, 1): 2.0, (2024, 12): 6.3,
                                 (2025, 1): 7.5, (2025, 6): 9.4, (2025, 12): 8.8, (2026, 1): 7.8,
                                 (2026, 12): 7.0}),
)

# The city (Chongqing-like: GDP about +5–6 %, 2023 +6.1 %, 2024 +5.7 %).
CITY_PATHS = (
    _path("gdp", 30146, {(2023, 3): 4.7, (2023, 6): 4.6, (2023, 9): 5.8, (2023, 12): 6.1, (2024, 3): 6.4,
                         (2024, 6): 6.1, (2024, 9): 5.9, (2024, 12): 5.7, (2025, 3): 5.3, (2025, 6): 5.5,
                         (2025, 9): 5.4, (2025, 12): 5.4, (2026, 3): 5.2, (2026, 6): 5.3, (2026, 9): 5.2,
                         (2026, 12): 5.2}, quarterly=True, real=True),
    _path("industrial_value_added", 8400, {(2023, 1): 3.5, (2023, 12): 6.6, (2024, 1): 7.5, (2024, 6): 7.0,
                                           (2024, 12): 7.3, (2025, 1): 5.0, (2025, 6): 5.6, (2025, 12): 6.0,
                                           (2026, 1): 5.5, (2026, 12): 5.8}, real=True),
    _path("industrial_output", 28000, {(2023, 1): 2.0, (2023, 12): 5.0, (2024, 1): 6.5, (2024, 6): 7.5,
                                       (2024, 12): 7.0, (2025, 1): 5.0, (2025, 12): 5.5, (2026, 1): 5.0,
                                       (2026, 12): 5.0}),
    _path("fixed_asset_investment", 21000, {(2023, 1): 5.0, (2023, 12): 4.3, (2024, 1): 3.5, (2024, 6): 3.0,
                                            (2024, 12): 1.8, (2025, 1): 2.5, (2025, 6): 3.2, (2025, 12): 2.5,
                                            (2026, 1): 2.8, (2026, 12): 3.0}),
    _path("industrial_investment", 5500, {(2023, 1): 8.0, (2023, 12): 11.6, (2024, 1): 12.0, (2024, 6): 13.1,
                                          (2024, 12): 12.4, (2025, 1): 10.0, (2025, 12): 9.0, (2026, 1): 8.5,
                                          (2026, 12): 8.0}),
    _path("retail_sales", 15130, {(2023, 1): 6.0, (2023, 12): 8.6, (2024, 1): 4.5, (2024, 6): 3.9,
                                  (2024, 12): 3.6, (2025, 1): 4.0, (2025, 6): 4.5, (2025, 12): 4.6, (2026, 1): 4.4,
                                  (2026, 12): 4.5}),
    _path("budget_revenue", 2440, {(2023, 1): 8.0, (2023, 12): 9.0, (2024, 1): 3.0, (2024, 12): 2.0,
                                   (2025, 1): 2.2, (2025, 12): 2.5, (2026, 1): 2.8, (2026, 12): 3.0}),
    _path("tax_revenue", 1560, {(2023, 1): 3.0, (2023, 12): 4.5, (2024, 1): 2.0, (2024, 12): 1.5, (2025, 1): 1.8,
                                (2025, 12): 2.0, (2026, 1): 2.2, (2026, 12): 2.5}),
    _path("foreign_trade", 7140, {(2023, 1): -15.0, (2023, 12): -12.0, (2024, 1): -2.0, (2024, 12): 1.2,
                                  (2025, 1): 4.0, (2025, 12): 6.0, (2026, 1): 5.5, (2026, 12): 5.0}),
)

# 示范经开区: a smaller zone whose growth runs beside the demo zone's at a fixed distance, so that the
# ranking differs from one indicator to the next (2024-06: GDP 6.5 < 8.2, 规上 9.3 > 8.6, 固投 5.1, 工业投资 12.0).
SECOND_SCALE = D("0.36")
SECOND_OFFSET = {"gdp": D("-1.7"), "industrial_value_added": D("0.7"), "fixed_asset_investment": D("-7.1"),
                 "industrial_investment": D("-20.9")}
SECOND_DEFAULT_OFFSET = D("-1.0")

# The revised figure: GDP 一季度 2024 first published as a 初步 quick estimate, then revised after the
# city's unified accounting (统一核算) to the anchor's 7.9 %.
REVISED = ("gdp", 2024, 3)
PRELIMINARY_GROWTH = D("7.6")
PRELIMINARY_LEVEL_FACTOR = D("0.994")


@dataclass
class EconomyPlan:
    as_of: tuple[int, int]  # (year, month) of the last figures: the month before today
    # (zone code, region) → rows {"code", "year", "month", "value", "growth_pct", "source", "status"[, "note"]}
    rows: dict[tuple[str, str], list[dict]] = field(default_factory=dict)
    revisions: list[dict] = field(default_factory=list)  # written after the rows: a new revision each
    targets: list[dict] = field(default_factory=list)  # {"code", "year", "growth_pct"} of the demo zone


def _months(as_of: tuple[int, int]):
    year, month = FIRST_YEAR, 1
    while (year, month) <= as_of:
        yield year, month
        year, month = (year, month + 1) if month < 12 else (year + 1, 1)


def _index(year: int, month: int) -> int:
    return year * 12 + month - 1


def _growth_at(path: Path, year: int, month: int) -> tuple[Decimal, bool]:
    """(growth, exact): the anchor itself, or the straight line between the anchors around it (flat beyond)."""
    if (year, month) in path.anchors:
        return path.anchors[(year, month)], True
    points = sorted((_index(y, m), g) for (y, m), g in path.anchors.items())
    here = _index(year, month)
    before = [p for p in points if p[0] < here]
    after = [p for p in points if p[0] > here]
    if not before:
        return after[0][1], False
    if not after:
        return before[-1][1], False
    (i0, g0), (i1, g1) = before[-1], after[0]
    return g0 + (g1 - g0) * D(here - i0) / D(i1 - i0), False


def _q(value: Decimal, places: str) -> Decimal:
    return value.quantize(D(places), rounding=ROUND_HALF_UP)


def _series(path: Path, as_of: tuple[int, int], rng: random.Random, *, scale: Decimal,
            offset: Decimal) -> list[tuple[int, int, Decimal, Decimal]]:
    """(year, month, level in 亿元, growth %) for every published month of the path up to `as_of`."""
    growth: dict[tuple[int, int], Decimal] = {}
    for year, month in _months(as_of):
        if path.quarterly and month % 3:
            continue
        g, exact = _growth_at(path, year, month)
        if not exact:
            g += D(rng.randint(-2, 2)) / 10  # a little noise between anchors, ±0.2 points
        growth[(year, month)] = _q(g + offset, "0.1")
    levels: dict[tuple[int, int], Decimal] = {}
    out = []
    for (year, month), g in growth.items():
        if year == FIRST_YEAR:
            level = path.total_2023 * scale * CUMULATIVE_SHARE[month - 1]
        else:
            drift = PRICE_DRIFT if path.real else D(rng.randint(-12, 12)) / 10
            level = levels[(year - 1, month)] * (1 + (g + drift) / 100)
        levels[(year, month)] = level
        out.append((year, month, _q(level, "0.01"), g))
    return out


def plan_economy(*, seed: int = 2026, today: dt.date) -> EconomyPlan:
    """Every official figure, revision and target of the demo (pure, deterministic)."""
    last = today.replace(day=1) - dt.timedelta(days=1)
    as_of = (last.year, last.month)
    if as_of < (2024, 6):
        raise ValueError("the economy demo needs today ≥ 2024-07-01 (it carries the 2024-06 figures)")
    # The figures of the last twelve months are still preliminary; older ones are final.
    final_before = _index(*as_of) - 11
    plan = EconomyPlan(as_of=as_of)
    for zone_code, region, paths, scale, source in (
            ("demo", "本区", ZONE_PATHS, D(1), "区统计局"),
            ("demo", "全市", CITY_PATHS, D(1), "市统计局"),
            (SECOND_CODE, "本区", ZONE_PATHS, SECOND_SCALE, "区统计局")):
        rng = random.Random(f"{seed}-{zone_code}-{region}")
        rows = []
        for path in paths:
            offset = SECOND_OFFSET.get(path.code, SECOND_DEFAULT_OFFSET) if zone_code == SECOND_CODE else D(0)
            for year, month, value, growth in _series(path, as_of, rng, scale=scale, offset=offset):
                status = "最终" if _index(year, month) < final_before else "初步"
                row = {"code": path.code, "year": year, "month": month, "value": value, "growth_pct": growth,
                       "source": source, "status": status}
                if zone_code == "demo" and region == "本区" and (path.code, year, month) == REVISED:
                    plan.revisions.append({**row, "status": "修订", "source": "区统计局（统一核算）",
                                           "note": "根据地区生产总值统一核算结果修订"})
                    row = {**row, "value": _q(value * PRELIMINARY_LEVEL_FACTOR, "0.01"),
                           "growth_pct": PRELIMINARY_GROWTH, "status": "初步", "source": "区统计局（快报）"}
                rows.append(row)
        plan.rows[(zone_code, region)] = rows
    for year in range(2024, as_of[0] + 1):
        plan.targets += [{"code": code, "year": year, "growth_pct": growth} for code, growth in TARGET_GROWTH.items()]
    return plan


def build_economy_demo(*, zone, departments: dict, users: dict, seed: int = 2026, today: dt.date | None = None):
    """Write the plan: the catalog of both zones, their figures, the revision, the targets; give `city`
    (a leader of the demo zone) the second zone to read. Returns the second zone."""
    from django.utils import timezone

    from gaoxin.accounts.services import user_update, zone_create
    from gaoxin.economy.models import Indicator
    from gaoxin.economy.services.catalog import indicator_catalog_install
    from gaoxin.economy.services.observations import observations_upsert
    from gaoxin.economy.services.targets import target_save

    plan = plan_economy(seed=seed, today=today or timezone.localdate())
    second = zone_create(user=None, code=SECOND_CODE, name=SECOND_NAME)
    zones = {"demo": zone, SECOND_CODE: second}
    statistics = {"demo": departments[STATISTICS_DEPARTMENT],
                  SECOND_CODE: second.departments.get(code=STATISTICS_DEPARTMENT)}
    ids = {}
    for code, z in zones.items():
        indicator_catalog_install(zone=z)
        ids[code] = dict(Indicator.objects.filter(zone=z).values_list("code", "pk"))

    def rows_of(zone_code, rows):
        return [{"indicator_id": ids[zone_code][r["code"]], **{k: v for k, v in r.items() if k != "code"}}
                for r in rows]

    for (zone_code, region), rows in plan.rows.items():
        observations_upsert(zone=zones[zone_code], department=statistics[zone_code], rows=rows_of(zone_code, rows),
                            region=region, message="演示数据")
    observations_upsert(zone=zone, department=statistics["demo"], rows=rows_of("demo", plan.revisions),
                        region="本区", message="演示数据：统一核算后修订")
    indicators = {i.code: i for i in Indicator.objects.filter(zone=zone, code__in=TARGET_GROWTH)}
    for target in plan.targets:
        target_save(user=None, indicator=indicators[target["code"]], year=target["year"],
                    growth_pct=target["growth_pct"], value=None, note="演示数据", zone=zone,
                    department=statistics["demo"])
    user_update(user=None, target=users["city"], data={}, extra_zones=[second])
    return second
