"""The demo zone's investment attraction and project pipeline: leads, signings, funds in place, projects with
milestones, parcels, annual plans and monthly reports, task forces with journals and issues.

`plan_pipeline` is pure (a seeded random.Random, no database): it draws plausible records from 2021 to the
month before `today` and constrains a few sums so that `gaoxin stats --zone demo --period 2024-06` gives the
figures the zone reported (issue 5): 47 signed for 514亿元 with five 50亿级, 190亿元 funds in place (+41.5 %),
41 started, 30 commissioned, 32 city-level key projects at 118.2 % of their annual plan. Nothing is
special-cased: the figures come out of the same statistics as any zone's; the generator only chooses
amounts and dates (choose 46 amounts, set the last so the total is exact — and keep it plausible).

`build_projects_demo` writes the plan through the same services the pages and imports use.
"""

import calendar
import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from gaoxin.projects.models import DEFAULT_INDUSTRY_DIRECTIONS, KeyLevel, ProjectType

D = Decimal
CENT = D("0.01")
H1_2024 = (dt.date(2024, 1, 1), dt.date(2024, 6, 30))
H1_2023 = (dt.date(2023, 1, 1), dt.date(2023, 6, 30))

# The article's figures (万元) and how many records carry them.
SIGNED_2024H1 = 47
CONTRACT_2024H1 = D(5_140_000)
LARGE_2024H1 = 5  # 50亿级: 500,000 ≤ contract < 1,000,000
FUNDS_2024H1 = D(1_900_000)
FUNDS_2023H1 = D(1_342_700)  # 1,900,000 / 1,342,700 − 1 = 41.506 % → 41.5
STARTED_2024H1 = 41
COMMISSIONED_2024H1 = 30
CITY_KEY_2024 = 32
CITY_COMPLETION_2024H1 = D("1.182")

CHANNELS = (("专班招商", 30), ("驻外招商", 20), ("基金招商", 15), ("以商招商", 20), ("平台招商", 10), ("其他", 5))

# Industry direction → (products, enterprise industry codes of likely project companies)
PRODUCTS = {
    "集成电路": (("半导体衬底", "12英寸晶圆制造", "功率半导体模组封测", "车规级芯片设计及测试", "碳化硅外延片",
              "高端光掩膜版", "MEMS传感器", "化合物半导体"), ("3973", "3972")),
    "智能网联新能源汽车": (("新能源商用车联合开发及生产", "智能座舱系统", "动力电池包", "电驱动总成", "激光雷达",
                   "线控底盘", "汽车轻量化部件", "新能源乘用车整车"), ("3612", "3670")),
    "新型智能终端": (("智能手机模组", "笔记本电脑整机", "AR/VR终端", "柔性显示模组", "智能穿戴设备", "服务器整机"),
               ("3922", "3974")),
    "新能源及新型储能": (("储能电池", "钠离子电池", "光伏组件", "氢燃料电池系统", "储能变流器", "固态电池中试线"),
                 ("3841", "3825")),
    "生物医药": (("生物创新药", "高端医疗器械", "体外诊断试剂", "细胞治疗药物"), ("2710", "3581")),
    "先进材料": (("高性能铝合金材料", "电子级化学品", "碳纤维复合材料", "特种玻璃基板"), ("3311", "3484")),
    "软件和信息服务": (("工业互联网平台", "人工智能算力中心", "工业软件研发", "智算中心"), ("6513", "6520", "6531")),
    "科技服务": (("科技成果转化中心", "检验检测认证基地", "中试基地"), ("7320", "7519")),
}
INDUSTRY_WEIGHTS = (("集成电路", 18), ("智能网联新能源汽车", 20), ("新型智能终端", 16), ("新能源及新型储能", 14),
                    ("生物医药", 8), ("先进材料", 8), ("软件和信息服务", 10), ("科技服务", 6))
SUFFIXES = ("项目", "生产基地项目", "研发及产业化项目", "建设项目", "项目（一期）", "产业园项目")
INVESTOR_HEADS = ("华芯", "渝芯", "智联", "中科", "星海", "天元", "英诺", "鼎新", "宏图", "海川", "博润", "锐驰", "远景",
                  "恒通", "卓越", "长嘉", "金凤", "西永", "明月", "融创", "国芯", "川仪", "峰岚", "凯瑞", "安捷", "瑞能",
                  "腾跃", "景程", "华宇", "正泰")
INVESTOR_REGIONS = ("上海", "深圳", "北京", "苏州", "杭州", "成都", "西安", "武汉", "合肥", "广州", "香港", "新加坡", "德国")
INFRASTRUCTURE = (
    ("金凤片区科学大道南延伸段道路工程", ProjectType.INFRASTRUCTURE, "城市配套"),
    ("西永片区标准厂房（三期）", ProjectType.INFRASTRUCTURE, "城市配套"),
    ("含谷污水处理厂扩建工程", ProjectType.INFRASTRUCTURE, "城市配套"),
    ("科学城综合管廊（一期）", ProjectType.INFRASTRUCTURE, "城市配套"),
    ("曾家片区人才公寓", ProjectType.SOCIAL, "城市配套"),
    ("科学城第一中学新建工程", ProjectType.SOCIAL, "城市配套"),
    ("明月湖科创中心", ProjectType.INFRASTRUCTURE, "科技服务"),
    ("西部科学城中试基地公共平台", ProjectType.INFRASTRUCTURE, "科技服务"),
    ("虎溪片区110kV变电站", ProjectType.INFRASTRUCTURE, "城市配套"),
    ("科学城医院（二期）", ProjectType.SOCIAL, "城市配套"),
    ("白市驿片区还建房", ProjectType.SOCIAL, "城市配套"),
    ("高新区智慧城市运营中心", ProjectType.INFRASTRUCTURE, "软件和信息服务"),
)
assert {name for name, _w in INDUSTRY_WEIGHTS} <= set(DEFAULT_INDUSTRY_DIRECTIONS)


@dataclass
class PlannedProject:
    code: str
    name: str
    industry: str
    project_type: str = ProjectType.INDUSTRIAL
    key_level: str = ""
    total_wan: Decimal = Decimal(0)
    # the signing (None for public projects, which are not signed)
    signed_on: dt.date | None = None
    contract_wan: Decimal | None = None
    channel: str = ""
    investor: str = ""
    lead: bool = False  # signed through a lead (the lead journal shows how it came)
    # milestones, planned and actual (actual None when still ahead)
    planned_start: dt.date | None = None
    planned_completion: dt.date | None = None
    planned_commission: dt.date | None = None
    land: dt.date | None = None
    start: dt.date | None = None
    completion: dt.date | None = None
    commission: dt.date | None = None
    company_codes: tuple[str, ...] = ()  # enterprise industry codes a project company may have
    plans: dict[int, Decimal] = field(default_factory=dict)
    reports: dict[tuple[int, int], Decimal] = field(default_factory=dict)

    def actual_rows(self) -> dict:
        return {"land_date": self.land, "start_date": self.start, "completion_date": self.completion,
                "commission_date": self.commission}


@dataclass
class Pipeline:
    as_of: dt.date
    projects: list[PlannedProject]
    tranches: list[tuple[str, dt.date, Decimal]]  # (code, date, amount)

    def by_code(self) -> dict[str, PlannedProject]:
        return {p.code: p for p in self.projects}


# --- helpers -------------------------------------------------------------------------------------------

def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def last_month_end(today: dt.date) -> dt.date:
    return today.replace(day=1) - dt.timedelta(days=1)


def _day_between(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    if last <= first:
        return first
    return first + dt.timedelta(days=rng.randrange((last - first).days + 1))


def _weighted(rng: random.Random, pairs) -> str:
    return rng.choices([name for name, _w in pairs], weights=[w for _n, w in pairs])[0]


def _round_to(value: Decimal, step: int) -> Decimal:
    return (value / step).quantize(D(1), rounding=ROUND_HALF_UP) * step


def _contract(rng: random.Random, bucket: str) -> Decimal:
    low, high = {"百亿级": (1_000_000, 1_300_000), "50亿级": (500_000, 900_000), "10亿级": (100_000, 420_000),
                 "亿元级": (10_000, 95_000), "亿元以下": (2_000, 9_500)}[bucket]
    step = 1000 if low >= 100_000 else 100
    return D(rng.randrange(low // step, high // step + 1) * step)


def _contracts_2024h1(rng: random.Random) -> list[Decimal]:
    """Five 50亿级 contracts and 42 smaller ones adding up to exactly 514亿元: the 42 are drawn, scaled to the
    rest (rounded to 100 万元) and the largest takes the rounding; a draw that scaling would distort is redrawn."""
    for _attempt in range(1000):
        large = [_contract(rng, "50亿级") for _i in range(LARGE_2024H1)]
        others = sorted(_contract(rng, rng.choices(("10亿级", "亿元级", "亿元以下"), weights=(14, 60, 26))[0])
                        for _i in range(SIGNED_2024H1 - LARGE_2024H1))
        target = CONTRACT_2024H1 - sum(large)
        factor = target / sum(others)
        if not D("0.85") <= factor <= D("1.2"):
            continue
        scaled = [_round_to(v * factor, 100) for v in others[:-1]]
        scaled.append(target - sum(scaled))
        if all(D(2000) <= v < D(500_000) for v in scaled):
            return large + scaled
    raise ValueError("demo: no plausible 2024 H1 contracts")


def _general_bucket(rng: random.Random) -> str:
    return rng.choices(("50亿级", "10亿级", "亿元级", "亿元以下"), weights=(2, 12, 56, 30))[0]


def _name(rng: random.Random, industry: str, used: set[str]) -> tuple[str, str]:
    """A project name like “华芯半导体衬底项目” and its investor."""
    products = PRODUCTS[industry][0]
    for _attempt in range(50):
        head = rng.choice(INVESTOR_HEADS)
        name = f"{head}{rng.choice(products)}{rng.choice(SUFFIXES)}"
        if name not in used:
            used.add(name)
            return name, f"{head}{rng.choice(('科技', '集团', '控股', '实业'))}有限公司"
    name = f"{head}{rng.choice(products)}项目（{len(used)}）"
    used.add(name)
    return name, f"{head}集团有限公司"


def _allocate(rng: random.Random, total: Decimal, weights: list[float], caps: list[Decimal], step: int = 1) -> list[Decimal]:
    """Split `total` (whole 万元) into parts ∝ weights, each within its cap; the rounding rest goes to the
    part with most room. Raises if the caps cannot hold the total (a generator bug, not bad luck)."""
    parts = [D(0)] * len(weights)
    remaining = total
    open_ = [i for i in range(len(weights)) if caps[i] > 0]
    for _round in range(20):
        if remaining <= 0 or not open_:
            break
        wsum = sum(weights[i] for i in open_)
        for i in open_:
            share = _round_to(remaining * D(weights[i] / wsum), step)
            parts[i] += min(share, caps[i] - parts[i])
        remaining = total - sum(parts)
        open_ = [i for i in open_ if caps[i] - parts[i] > step]
    rest = total - sum(parts)
    room = max(range(len(parts)), key=lambda i: caps[i] - parts[i])
    if rest and caps[room] - parts[room] < rest:
        raise ValueError("demo funds do not fit the projects' contracts")
    parts[room] += rest
    return parts


# --- the plan ------------------------------------------------------------------------------------------

def plan_pipeline(*, seed: int = 2026, today: dt.date) -> Pipeline:
    """Every project, signing, milestone, plan, report and tranche of the demo zone (pure, deterministic)."""
    rng = random.Random(seed * 7919 + 5)
    as_of = last_month_end(today)
    if as_of < dt.date(2025, 1, 1):
        raise ValueError("the demo pipeline needs today ≥ 2025-02-01")
    used: set[str] = set()
    projects: list[PlannedProject] = []

    def new_signed(day: dt.date, contract: Decimal) -> PlannedProject:
        industry = _weighted(rng, INDUSTRY_WEIGHTS)
        name, investor = _name(rng, industry, used)
        total = contract if rng.random() < 0.6 else _round_to(contract * D(rng.uniform(1.0, 1.25)), 100)
        return PlannedProject(code="", name=name, industry=industry, total_wan=total,
                              signed_on=day, contract_wan=contract, channel=_weighted(rng, CHANNELS),
                              investor=investor, company_codes=PRODUCTS[industry][1])

    # 1. signings: half-year cohorts; 2024 H1 carries the article's figures
    cohorts = [(dt.date(2021, 7, 1), dt.date(2021, 12, 31), 24), (dt.date(2022, 1, 1), dt.date(2022, 6, 30), 30),
               (dt.date(2022, 7, 1), dt.date(2022, 12, 31), 32), (dt.date(2023, 1, 1), dt.date(2023, 6, 30), 38),
               (dt.date(2023, 7, 1), dt.date(2023, 12, 31), 36), (dt.date(2024, 7, 1), dt.date(2024, 12, 31), 42),
               (dt.date(2025, 1, 1), dt.date(2025, 6, 30), 45), (dt.date(2025, 7, 1), dt.date(2025, 12, 31), 44)]
    year = 2026
    while dt.date(year, 1, 1) <= as_of:
        end = min(dt.date(year, 12, 31), as_of)
        cohorts.append((dt.date(year, 1, 1), end, max(1, round(44 * (end.month / 6)))))
        year += 1
    for first, last, n in cohorts:
        if first > as_of:
            continue
        last = min(last, as_of)
        for day in sorted(_day_between(rng, first, last) for _i in range(n)):
            projects.append(new_signed(day, _contract(rng, _general_bucket(rng))))
    h1_days = sorted(_day_between(rng, *H1_2024) for _i in range(SIGNED_2024H1))
    amounts = _contracts_2024h1(random.Random(seed * 31 + 2024))
    rng.shuffle(amounts)
    projects.extend(new_signed(day, amount) for day, amount in zip(h1_days, amounts, strict=True))
    projects.sort(key=lambda p: p.signed_on)
    seq: dict[int, int] = {}
    for p in projects:  # 项目编号 by year of signing, in signing order
        seq[p.signed_on.year] = seq.get(p.signed_on.year, 0) + 1
        p.code = f"XM{p.signed_on.year}{seq[p.signed_on.year]:03d}"

    # public projects: no signing, kept in the library from their approval
    for i, (name, kind, industry) in enumerate(INFRASTRUCTURE, start=1):
        approved = _day_between(rng, dt.date(2022, 1, 1), dt.date(2024, 3, 31))
        projects.append(PlannedProject(code=f"GG{approved.year}{i:03d}", name=name, industry=industry,
                                       project_type=kind, total_wan=D(rng.randrange(40, 600) * 500),
                                       signed_on=None, planned_start=approved + dt.timedelta(days=rng.randrange(60, 150))))

    # 2. milestones, drawn naturally…
    for p in projects:
        base = p.signed_on or (p.planned_start - dt.timedelta(days=90))
        big = p.total_wan >= 500_000
        land = base + dt.timedelta(days=rng.randrange(45, 160))
        p.planned_start = p.planned_start or land + dt.timedelta(days=rng.randrange(30, 120))
        p.land = land if p.project_type == ProjectType.INDUSTRIAL or rng.random() < 0.5 else None
        p.start = p.planned_start + dt.timedelta(days=rng.randrange(-20, 75))
        _draw_build(rng, p, big)
    # …then constrained: exactly 41 starts and 30 commissionings in 2024 H1
    _constrain_starts(rng, projects)
    _constrain_commissions(rng, projects)
    for p in projects:  # what lies after last month has not happened yet
        for attr in ("land", "start", "completion", "commission"):
            if getattr(p, attr) and getattr(p, attr) > as_of:
                setattr(p, attr, None)
        if p.start is None:
            p.completion = p.commission = None
        if p.land and p.start and p.land > p.start:
            p.land = p.start - dt.timedelta(days=rng.randrange(10, 60))

    # 3. key projects, annual plans and monthly reports
    _key_projects(rng, projects, as_of)

    # 4. funds in place: half-year by half-year, the two windows of 2024-06 exact
    tranches = _funds(rng, projects, as_of)

    # a few signings of the current year come through leads (the lead shows how they were won)
    recent = [p for p in projects if p.signed_on and p.signed_on.year == as_of.year and not p.key_level]
    for p in rng.sample(recent, min(8, len(recent))):
        p.lead = True
    return Pipeline(as_of=as_of, projects=projects, tranches=tranches)


def _draw_build(rng: random.Random, p: PlannedProject, big: bool) -> None:
    low, high = (540, 900) if big else (240, 620)
    p.planned_completion = p.planned_start + dt.timedelta(days=rng.randrange(low, high))
    p.planned_commission = p.planned_completion + dt.timedelta(days=rng.randrange(20, 120))
    _build_from_start(rng, p, big)


def _build_from_start(rng: random.Random, p: PlannedProject, big: bool) -> None:
    low, high = (560, 960) if big else (250, 680)
    p.completion = p.start + dt.timedelta(days=rng.randrange(low, high))
    p.commission = p.completion + dt.timedelta(days=rng.randrange(10, 130))


def _in(day: dt.date | None, window) -> bool:
    return day is not None and window[0] <= day <= window[1]


def _constrain_starts(rng: random.Random, projects: list[PlannedProject]) -> None:
    started = [p for p in projects if _in(p.start, H1_2024)]
    rng.shuffle(started)
    while len(started) > STARTED_2024H1:  # too many: the project started in the following quarter
        p = started.pop()
        p.start = _day_between(rng, dt.date(2024, 7, 1), dt.date(2024, 9, 30))
        _build_from_start(rng, p, p.total_wan >= 500_000)
    if len(started) < STARTED_2024H1:  # too few: projects signed in time but starting later move forward
        later = [p for p in projects if p.start and dt.date(2024, 7, 1) <= p.start <= dt.date(2025, 3, 31)
                 and (p.signed_on or p.planned_start) <= dt.date(2024, 5, 15)]
        rng.shuffle(later)
        for p in later[:STARTED_2024H1 - len(started)]:
            first = max(H1_2024[0], (p.signed_on or H1_2024[0]) + dt.timedelta(days=30))
            p.start = _day_between(rng, first, H1_2024[1])
            _build_from_start(rng, p, p.total_wan >= 500_000)
            started.append(p)
    if len(started) != STARTED_2024H1:
        raise ValueError(f"demo: {len(started)} starts in 2024 H1, not {STARTED_2024H1}")


def _constrain_commissions(rng: random.Random, projects: list[PlannedProject]) -> None:
    done = [p for p in projects if _in(p.commission, H1_2024)]
    rng.shuffle(done)
    while len(done) > COMMISSIONED_2024H1:  # production began a little later
        p = done.pop()
        p.commission = _day_between(rng, dt.date(2024, 7, 1), dt.date(2024, 10, 31))
    if len(done) < COMMISSIONED_2024H1:  # projects built long enough before went into production in H1
        ready = [p for p in projects if p.start and p.start <= dt.date(2023, 6, 30) and p.commission
                 and p.commission > H1_2024[1]]
        rng.shuffle(ready)
        for p in ready[:COMMISSIONED_2024H1 - len(done)]:
            first = max(H1_2024[0], p.start + dt.timedelta(days=240))
            p.commission = _day_between(rng, first, H1_2024[1])
            done.append(p)
    if len(done) != COMMISSIONED_2024H1:
        raise ValueError(f"demo: {len(done)} commissioned in 2024 H1, not {COMMISSIONED_2024H1}")
    for p in projects:  # completion comes before production (some produce in the finished first phase)
        if p.commission and p.completion and p.completion > p.commission:
            p.completion = max(p.start, p.commission - dt.timedelta(days=rng.randrange(0, 60)))


def _building_in(p: PlannedProject, year: int) -> bool:
    return p.start is not None and p.start.year <= year and (p.commission is None or p.commission.year >= year)


def _months(p: PlannedProject, year: int, as_of: dt.date) -> list[int]:
    first = p.start.month if p.start.year == year else 1
    last = 12
    if p.commission and p.commission.year == year:
        last = p.commission.month
    if year == as_of.year:
        last = min(last, as_of.month)
    return list(range(first, last + 1))


def _key_projects(rng: random.Random, projects: list[PlannedProject], as_of: dt.date) -> None:
    # 市级 with a 2024 plan: large projects (and some public works) building through 2024, started by April
    candidates = [p for p in projects if p.start and p.start <= dt.date(2024, 4, 30)
                  and (p.commission is None or p.commission > dt.date(2024, 8, 31)) and p.total_wan >= 20_000]
    candidates.sort(key=lambda p: (-p.total_wan, p.code))
    city = candidates[:CITY_KEY_2024 + 12]
    rng.shuffle(city)
    city = city[:CITY_KEY_2024]
    if len(city) != CITY_KEY_2024:
        raise ValueError("demo: not enough candidates for the city-level key projects")
    for p in city:
        p.key_level = KeyLevel.CITY
    city_codes = {p.code for p in city}
    # other 市级 projects have no 2024 plan: big recent signings, and ones finished in 2023
    recent = [p for p in projects if not p.key_level and p.signed_on and p.signed_on >= dt.date(2025, 1, 1)
              and p.total_wan >= 100_000]
    finished = [p for p in projects if not p.key_level and p.commission and p.commission <= dt.date(2023, 12, 31)
                and p.total_wan >= 50_000]
    extra_city = rng.sample(recent, min(6, len(recent))) + rng.sample(finished, min(4, len(finished)))
    for p in extra_city:
        p.key_level = KeyLevel.CITY
    district = [p for p in projects if not p.key_level and p.start and 10_000 <= p.total_wan < 300_000]
    for p in rng.sample(district, min(28, len(district))):
        p.key_level = KeyLevel.DISTRICT

    for p in projects:
        if not p.key_level:
            continue
        for year in range(max(2022, p.start.year if p.start else as_of.year), as_of.year + 1):
            if not _building_in(p, year) and not (p.start is None and year >= (p.planned_start or as_of).year):
                continue
            if p.key_level == KeyLevel.CITY and p.code not in city_codes and year == 2024:
                continue  # not on the 2024 city list
            p.plans[year] = _round_to(p.total_wan * D(rng.uniform(0.12, 0.25)), 100)
            if p.start is None:
                continue  # planned but not started: nothing to report
            months = _months(p, year, as_of)
            pace = rng.uniform(0.7, 1.25)
            for m in months:
                p.reports[(year, m)] = _round_to(p.plans[year] / 12 * D(pace * rng.uniform(0.6, 1.4)), 1)
    # 2024 H1 of the 32: ahead of plan, as the zone reported; scaled so Σ H1 / Σ plan = 118.2 %
    for p in city:
        months = [m for m in _months(p, 2024, as_of) if m <= 6]
        share = D(rng.uniform(0.95, 1.45)) * p.plans[2024]
        weights = [rng.uniform(0.6, 1.4) for _m in months]
        for m, w in zip(months, weights, strict=True):
            p.reports[(2024, m)] = share * D(w / sum(weights))
        for m in [m for m in _months(p, 2024, as_of) if m > 6]:
            p.reports[(2024, m)] = _round_to(p.plans[2024] * D(rng.uniform(0.02, 0.06)), 1)
    plan = sum(p.plans[2024] for p in city)
    target = (plan * CITY_COMPLETION_2024H1).quantize(CENT)
    h1 = [(p, m) for p in city for m in range(1, 7) if (2024, m) in p.reports]
    current = sum(p.reports[(2024, m)] for p, m in h1)
    for p, m in h1:
        p.reports[(2024, m)] = (p.reports[(2024, m)] * target / current).quantize(CENT)
    biggest = max(h1, key=lambda pm: pm[0].reports[(2024, pm[1])])
    biggest[0].reports[(2024, biggest[1])] += target - sum(p.reports[(2024, m)] for p, m in h1)
    for p in projects:  # no project reports more than it will cost: later years give way
        fixed = {(2024, m) for m in range(1, 7)} if p.code in city_codes else set()
        held = sum((v for k, v in p.reports.items() if k in fixed), D(0))
        free = sum((v for k, v in p.reports.items() if k not in fixed), D(0))
        room = p.total_wan * D("0.95") - held
        if free > room > 0:
            for k in [k for k in p.reports if k not in fixed]:
                p.reports[k] = (p.reports[k] * room / free).quantize(D(1), rounding=ROUND_DOWN)


def _half_years(as_of: dt.date):
    year, half = 2021, 2
    while True:
        first = dt.date(year, 1 if half == 1 else 7, 1)
        if first > as_of:
            return
        yield first, min(dt.date(year, 6 if half == 1 else 12, 30 if half == 1 else 31), as_of)
        year, half = (year, 2) if half == 1 else (year + 1, 1)


def _funds(rng: random.Random, projects: list[PlannedProject], as_of: dt.date) -> list[tuple[str, dt.date, Decimal]]:
    signed = [p for p in projects if p.signed_on]
    funded = {p.code: D(0) for p in signed}
    taken: set[tuple[str, dt.date]] = set()
    tranches = []
    for first, last in _half_years(as_of):
        eligible = [p for p in signed if p.signed_on <= last - dt.timedelta(days=20)
                    and p.signed_on >= first - dt.timedelta(days=365 * 3)
                    and funded[p.code] < p.contract_wan * D("0.9")]
        if (first, last) == H1_2023:
            target = FUNDS_2023H1
        elif (first, last) == H1_2024:
            target = FUNDS_2024H1
        else:
            pace = sum(p.contract_wan * D("0.9") - funded[p.code] for p in eligible) * D("0.17")
            target = _round_to(pace * D((last - first).days + 1) / 182, 100)
        if not eligible or target <= 0:
            continue
        rng.shuffle(eligible)
        chosen, room, wanted = [], D(0), rng.randrange(45, 70)
        for p in eligible:  # enough projects that the money fits well within their contracts
            if len(chosen) >= wanted and room >= target * 2:
                break
            chosen.append(p)
            room += (p.contract_wan * D("0.9") - funded[p.code]) * D("0.8")
        caps = [_round_to((p.contract_wan * D("0.9") - funded[p.code]) * D("0.8"), 1) for p in chosen]
        parts = _allocate(rng, target, [rng.uniform(0.5, 1.5) * float(c) for c in caps], caps)
        for p, amount in zip(chosen, parts, strict=True):
            if amount <= 0:
                continue
            start = max(first, p.signed_on + dt.timedelta(days=15))
            # larger amounts arrive in two tranches
            pieces = [amount] if amount < 20_000 else [_round_to(amount * D("0.6"), 1), None]
            if pieces[-1] is None:
                pieces[-1] = amount - pieces[0]
            free_days = [start + dt.timedelta(days=i) for i in range((last - start).days + 1)
                         if (p.code, start + dt.timedelta(days=i)) not in taken]
            for piece, day in zip(pieces, rng.sample(free_days, len(pieces)), strict=True):
                taken.add((p.code, day))
                tranches.append((p.code, day, piece))
            funded[p.code] += amount
    return tranches


# --- writing it --------------------------------------------------------------------------------------------

MESSAGE = "演示数据"


def build_projects_demo(*, zone, departments: dict, users: dict, seed: int = 2026, today: dt.date | None = None):
    """Write the pipeline of `plan_pipeline` into the demo zone through the services; kept by 投资促进局."""
    from django.utils import timezone

    from gaoxin.enterprises.models import Enterprise
    from gaoxin.investment.services import funds_upsert, signings_upsert
    from gaoxin.land.models import Parcel
    from gaoxin.projects.models import Project
    from gaoxin.projects.services.projects import project_parcel_add, projects_upsert
    from gaoxin.projects.services.reports import investment_upsert, period_close, plans_upsert

    today = today or timezone.localdate()
    plan = plan_pipeline(seed=seed, today=today)
    rng = random.Random(seed + 53)
    tzcj, staff = departments["tzcj"], users["tzcj"]

    _leads(rng, plan, staff, today)  # the signed leads create their projects (签约即入库)

    # project companies: enterprises of the right industry, those holding a parcel first for projects on land
    firms = list(Enterprise.objects.filter(zone=zone, status="在营").order_by("id")
                 .values_list("id", "industry_code"))
    parcels = {}
    for pk, holder in (Parcel.objects.filter(zone=zone, status__in=("已供", "在建", "投产"), holder__isnull=False)
                       .order_by("code").values_list("pk", "holder_id")):
        parcels.setdefault(holder, pk)
    by_code: dict[str, list[int]] = {}
    for pk, code in firms:
        by_code.setdefault(code, []).append(pk)
    used_firms: set[int] = set()
    companies, sites = {}, {}
    qiye = users["qiye"].enterprise_id
    for p in plan.projects:
        if not p.signed_on or rng.random() < 0.25:
            continue
        pool = [f for c in p.company_codes for f in by_code.get(c, ()) if f not in used_firms]
        landed = [f for f in pool if f in parcels]
        choice = rng.choice(landed) if p.land and landed else (rng.choice(pool) if pool else None)
        if choice is not None:
            used_firms.add(choice)
            companies[p.code] = choice
            if p.land and choice in parcels:
                sites[p.code] = parcels[choice]
    # the demo enterprise user sees its own project
    own = next(p for p in plan.projects if p.signed_on and p.land and p.code not in companies)
    companies[own.code] = qiye
    if qiye in parcels:
        sites[own.code] = parcels[qiye]

    projects_upsert(zone=zone, department=tzcj, message=MESSAGE, rows=[{
        "code": p.code, "name": p.name, "project_type": p.project_type, "key_level": p.key_level,
        "industry": p.industry, "total_investment_wan": p.total_wan, "enterprise_id": companies.get(p.code),
        "planned_start_date": p.planned_start, "planned_completion_date": p.planned_completion,
        "planned_commission_date": p.planned_commission, **p.actual_rows(),
    } for p in plan.projects])
    signings_upsert(zone=zone, department=tzcj, message=MESSAGE, rows=[{
        "code": p.code, "name": p.name, "date": p.signed_on, "contract_investment_wan": p.contract_wan,
        "channel": p.channel, "industry": p.industry,
    } for p in plan.projects if p.signed_on and not p.lead])
    funds_upsert(zone=zone, department=tzcj, message=MESSAGE, rows=[
        {"code": code, "date": day, "amount_wan": amount, "note": "固定资产投资" if amount >= 5000 else "注册资本金"}
        for code, day, amount in plan.tranches])
    plans_upsert(zone=zone, department=tzcj, message=MESSAGE, rows=[
        {"code": p.code, "year": year, "plan_wan": amount} for p in plan.projects for year, amount in p.plans.items()])
    investment_upsert(zone=zone, department=tzcj, message=MESSAGE, rows=[
        {"code": p.code, "year": y, "month": m, "completed_wan": amount, "progress": _progress(p, y, m)}
        for p in plan.projects for (y, m), amount in sorted(p.reports.items())])

    ids = dict(Project.objects.filter(zone=zone).values_list("code", "pk"))
    parcel_objs = Parcel.objects.in_bulk(list(sites.values()))
    project_objs = Project.objects.in_bulk([ids[c] for c in sites])
    for code, parcel_pk in sites.items():
        project_parcel_add(user=staff, project=project_objs[ids[code]], parcel=parcel_objs[parcel_pk], message=MESSAGE)

    _task_forces(rng, plan, zone, departments, users, ids, today)
    for month in range(1, plan.as_of.month):  # this year's reporting periods are closed up to the one before last
        period_close(user=staff, year=plan.as_of.year, month=month, message=MESSAGE)
    return plan


def _progress(p: PlannedProject, year: int, month: int) -> str:
    if p.commission and (p.commission.year, p.commission.month) == (year, month):
        return "竣工投产"
    if p.start and (p.start.year, p.start.month) == (year, month):
        return "开工建设，场平及基础施工"
    return ""


LEAD_SOURCES = ("中国国际智能产业博览会", "深圳招商推介会", "产业基金推荐", "在渝企业以商招商", "商协会推荐", "驻外招商小分队",
                "西部科学城投资促进平台")


def _leads(rng: random.Random, plan: Pipeline, staff, today: dt.date) -> None:
    from gaoxin.investment.models import FollowUpMethod
    from gaoxin.investment.services import (
        lead_advance,
        lead_create,
        lead_drop,
        lead_follow_up_add,
        lead_sign,
    )

    methods = [m for m, _label in FollowUpMethod.choices]
    notes = ("对接项目需求，介绍园区产业政策和要素保障", "陪同考察选址地块及配套", "就用地、厂房代建和产业基金参股进行商谈",
             "项目方提交投资计划书，组织部门会商", "协商投资协议条款，明确投资强度和达产时间")

    def follow(lead, received: dt.date, count: int, last: dt.date) -> None:
        days = sorted(_day_between(rng, received, last) for _i in range(count))
        for i, day in enumerate(days):
            lead_follow_up_add(user=staff, lead=lead, message=MESSAGE, data={
                "date": day, "method": rng.choice(methods), "content": notes[min(i, len(notes) - 1)],
                "next_step": "" if i == count - 1 else "继续跟进，推动签约"})

    def new_lead(name: str, industry: str, investor: str, channel: str, expected: Decimal, received: dt.date):
        return lead_create(user=staff, message=MESSAGE, data={
            "name": name, "investor": investor, "investor_region": rng.choice(INVESTOR_REGIONS), "channel": channel,
            "source": rng.choice(LEAD_SOURCES), "industry": industry, "expected_investment_wan": expected,
            "contact": f"{rng.choice('王李张刘陈杨赵黄周吴')}经理 1{rng.choice('3589')}{rng.randrange(10**9):09d}",
            "owner": staff, "received_on": received})

    for p in [p for p in plan.projects if p.lead]:  # won leads: signed, which creates the project
        received = p.signed_on - dt.timedelta(days=rng.randrange(90, 300))
        lead = new_lead(p.name, p.industry, p.investor, p.channel, p.contract_wan, received)
        lead_advance(user=staff, lead=lead, message=MESSAGE)
        follow(lead, received, rng.randrange(2, 5), p.signed_on)
        lead_sign(user=staff, lead=lead, message=MESSAGE, data={
            "code": p.code, "name": p.name, "total_investment_wan": p.total_wan, "industry": p.industry,
            "date": p.signed_on, "contract_investment_wan": p.contract_wan, "channel": p.channel})
    used = {p.name for p in plan.projects}
    for i in range(34):  # open and dropped leads
        industry = _weighted(rng, INDUSTRY_WEIGHTS)
        name, investor = _name(rng, industry, used)
        received = _day_between(rng, today - dt.timedelta(days=420), today - dt.timedelta(days=5))
        bucket = rng.choices(("10亿级", "亿元级", "亿元以下"), weights=(20, 60, 20))[0]
        lead = new_lead(name, industry, investor, _weighted(rng, CHANNELS), _contract(rng, bucket), received)
        follow(lead, received, rng.randrange(0 if i % 3 == 0 else 1, 4), today - dt.timedelta(days=1))
        if i % 3 != 0:
            lead_advance(user=staff, lead=lead, message=MESSAGE)
        if i % 7 == 6:
            lead_drop(user=staff, lead=lead, message=MESSAGE, reason=rng.choice((
                "投资方调整产能布局，项目落地其他城市", "用地需求与园区规划不符", "投资方资金链紧张，暂缓投资")))


TASK_FORCES = (
    ("科产项目建设护航专班", "管委会主任", "统筹科产项目建设要素保障，协调解决项目建设中的难点堵点，实行“一个项目、一名领导、一个专班、一抓到底”。"),
    ("集成电路产业项目专班", "管委会副主任", "服务集成电路产业链重点项目签约落地、开工建设和投产达效。"),
    ("智能网联新能源汽车项目专班", "管委会副主任", "推动新能源汽车整车及核心零部件项目建设，协调供地、能评、环评等手续。"),
)
ISSUES = (
    ("要素保障", "项目用电负荷不足，需新建10kV专线", "jsj"),
    ("审批手续", "施工许可办理中，消防设计审查意见待回复", "jsj"),
    ("要素保障", "厂区外道路及雨污管网未接通", "jsj"),
    ("资金", "产业基金出资进度滞后，需协调基金管理人", "tzcj"),
    ("政策", "设备购置补贴政策兑现申请待审核", "jxj"),
    ("施工建设", "土石方外运受限，影响基础施工", "jsj"),
    ("要素保障", "人才公寓配套需求待落实", "tzcj"),
    ("审批手续", "环评批复待取得，影响主体开工", "jsj"),
    ("其他", "项目公司注册地址变更手续待办理", "jxj"),
)


def _task_forces(rng, plan: Pipeline, zone, departments: dict, users: dict, ids: dict, today: dt.date) -> None:
    from gaoxin.projects.models import IssueStatus, JournalKind, Project
    from gaoxin.projects.services.issues import issue_create, issue_escalate, issue_transition, journal_add
    from gaoxin.projects.services.taskforces import task_force_assign_project, task_force_create

    leader, tzcj, jsj = users["leader"], users["tzcj"], users["jsj"]
    forces = []
    for i, (name, title, duties) in enumerate(TASK_FORCES):
        forces.append(task_force_create(user=None, zone=zone, department=departments["tzcj"], message=MESSAGE, data={
            "name": name, "leader": leader, "leader_title": title, "duties": duties,
            "established_on": dt.date(2023, 3, 1) + dt.timedelta(days=90 * i),
            "member_departments": [departments["jsj"], departments["tzcj"]] + ([departments["jxj"]] if i else []),
            "members": [leader, jsj, tzcj]}))
    building = [p for p in plan.projects if p.key_level and p.start and (p.commission is None or p.commission > today
                                                                         - dt.timedelta(days=400))]
    building.sort(key=lambda p: (-p.total_wan, p.code))
    escorted = building[:30]
    objs = Project.objects.in_bulk([ids[p.code] for p in escorted])
    kinds = [k for k, _label in JournalKind.choices]
    issue_no = 0
    for n, p in enumerate(escorted):
        force = (forces[1] if p.industry == "集成电路" else forces[2] if p.industry == "智能网联新能源汽车"
                 else forces[0])
        project = task_force_assign_project(user=None, task_force=force, project=objs[ids[p.code]], message=MESSAGE)
        first = max(force.established_on, p.start or p.signed_on or force.established_on)
        for day in sorted(_day_between(rng, first, today - dt.timedelta(days=1)) for _i in range(rng.randrange(2, 5))):
            journal_add(user=None, project=project, date=day, kind=rng.choice(kinds), message=MESSAGE, content=rng.choice((
                "专班召开项目调度会，梳理建设进度和下一步计划", "现场走访项目工地，协调施工用水用电",
                "协调规划、住建部门加快办理施工许可", "项目主体结构封顶，设备进场安装", "督导项目投资完成情况，按月报送")))
        if n % 3 == 2:
            continue
        category, text, dept = ISSUES[issue_no % len(ISSUES)]
        issue_no += 1
        state = issue_no % 5  # 0 待办 (overdue) · 1 办理中 (overdue, escalated) · 2 待办 · 3 已解决 · 4 已销号
        raised = _day_between(rng, today - dt.timedelta(days=150),
                              today - dt.timedelta(days=40 if state in (0, 1) else 10))
        deadline = raised + dt.timedelta(days=rng.randrange(7, 30)) if state in (0, 1) \
            else today + dt.timedelta(days=rng.randrange(2, 40)) if state == 2 \
            else raised + dt.timedelta(days=rng.randrange(20, 60))
        issue = issue_create(user=None, project=project, message=MESSAGE, data={
            "description": text, "category": category, "responsible_department": departments[dept],
            "deadline": deadline, "raised_on": raised})
        if state in (1, 3, 4):
            issue = issue_transition(user=tzcj, issue=issue, to=IssueStatus.IN_PROGRESS, message=MESSAGE,
                                     on=min(today, raised + dt.timedelta(days=3)))
        if state == 1:
            issue_escalate(user=tzcj, issue=issue, note="逾期未解决，提请管委会领导协调", message=MESSAGE)
        if state in (3, 4):
            solved = min(today - dt.timedelta(days=1), raised + dt.timedelta(days=rng.randrange(5, 40)))
            issue = issue_transition(user=tzcj, issue=issue, to=IssueStatus.RESOLVED, on=solved, message=MESSAGE,
                                     resolution="经专班协调，责任单位已办结")
        if state == 4:
            issue_transition(user=tzcj, issue=issue, to=IssueStatus.CLOSED, message=MESSAGE,
                             on=min(today, solved + dt.timedelta(days=3)))
