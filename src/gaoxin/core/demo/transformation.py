"""The demo zone's 智改数转 register: retrofits, smart factories, digital workshops and lines, R&D institutions
and recognitions from 2023 to last month.

The first half of 2024 holds exactly the article's counts (实施智能化改造项目26个，新建市级智能工厂2个、数字化车间
5个、数字化生产线84条，11家企业新设立研发机构) and its showcase workshop (检测效率提高12.14%，产品不良率下降
44.54%，运营成本降低18.27%); the bulletin computes those sentences from these records. Planning is pure and
seeded; writing goes through the transformation services.
"""

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal

from .projects import last_month_end

# Periods of the plan: (first day, last day, label). 2024 is split so that its first half is the article's.
H1_2024 = (dt.date(2024, 1, 1), dt.date(2024, 6, 30))
# retrofits started / certifications won / enterprises with a new R&D institution, per period
STARTED = {
    "2023": {"智能化改造": 31, "数字化改造": 8, "绿色化改造": 5},
    "2024H1": {"智能化改造": 26},  # the article names no other retrofit in the half-year
    "2024H2": {"智能化改造": 22, "数字化改造": 9, "绿色化改造": 6},
    "2025": {"智能化改造": 45, "数字化改造": 14, "绿色化改造": 10},
    "2026": {"智能化改造": 38, "数字化改造": 12, "绿色化改造": 9},
}
CERTIFIED = {
    "2023": {("市级", "智能工厂"): 1, ("市级", "数字化车间"): 3, ("市级", "数字化生产线"): 40},
    "2024H1": {("市级", "智能工厂"): 2, ("市级", "数字化车间"): 5, ("市级", "数字化生产线"): 84},
    "2024H2": {("市级", "智能工厂"): 1, ("市级", "数字化车间"): 4, ("市级", "数字化生产线"): 30},
    "2025": {("先进级", "智能工厂"): 1, ("市级", "智能工厂"): 3, ("市级", "数字化车间"): 8, ("市级", "数字化生产线"): 70},
    "2026": {("基础级", "智能工厂"): 3, ("市级", "智能工厂"): 2, ("市级", "数字化车间"): 6, ("市级", "数字化生产线"): 55},
}
RND_ENTERPRISES = {"2023": 9, "2024H1": 11, "2024H2": 7, "2025": 15, "2026": 10}
RECOGNITIONS = {"高新技术企业": 40, "专精特新中小企业": 18, "专精特新小巨人": 2}  # per year

# equipment investment (万元) of each kind, low–high
INVESTMENT = {"智能化改造": (200, 3000), "数字化改造": (100, 1500), "绿色化改造": (150, 2000),
              "智能工厂": (3000, 20000), "数字化车间": (800, 5000), "数字化生产线": (200, 1500)}
NAME_STEMS = {
    "智能化改造": ("焊装线智能化改造", "机加工车间智能化改造", "总装线智能化改造", "仓储物流智能化改造", "检测工序智能化改造"),
    "数字化改造": ("设备联网与MES建设", "ERP与数据中台建设", "质量追溯系统建设", "能源管理系统建设"),
    "绿色化改造": ("余热回收节能改造", "屋顶分布式光伏", "VOCs治理提标改造", "空压站节能改造"),
    "智能工厂": ("智能工厂",),
    "数字化车间": ("总装数字化车间", "SMT数字化车间", "封装测试数字化车间", "电芯数字化车间", "精密加工数字化车间"),
    "数字化生产线": ("自动化生产线", "柔性装配线", "数字化检测线", "智能包装线", "模组生产线"),
}
INSTITUTIONS = (("企业技术中心", 6), ("工程技术研究中心", 3), ("企业研发中心", 5), ("工业设计中心", 1),
                ("重点实验室", 1), ("新型研发机构", 1))
INSTITUTION_LEVELS = (("市级", 7), ("区级", 4), ("省级", 2), ("国家级", 0.3))

# The article's workshop: a semiconductor reliability-test line, measured before and after.
SHOWCASE_NAME = "功率半导体与集成电路可靠性检测数字化车间"
SHOWCASE_CERTIFIED = dt.date(2024, 5, 20)
SHOWCASE_MEASUREMENTS = (
    # metric, label, unit, before, after: (after − before) / before × 100 = +12.14, −44.54, −18.27
    ("效率", "检测效率", "批次/小时", Decimal("1000.0000"), Decimal("1121.4000")),
    ("不良率", "产品不良率", "%", Decimal("0.9200"), Decimal("0.5102")),
    ("运营成本", "运营成本", "元/批次", Decimal("2000.0000"), Decimal("1634.6000")),
)
SHOWCASE_BEFORE = (dt.date(2023, 1, 1), dt.date(2023, 6, 30))
SHOWCASE_AFTER = (dt.date(2024, 1, 1), dt.date(2024, 5, 31))


@dataclass
class PlannedProject:
    uscc: str
    name: str
    kind: str
    started_on: dt.date
    completed_on: dt.date | None
    equipment_wan: Decimal
    software_wan: Decimal
    level: str = ""
    certified_on: dt.date | None = None
    certificate: str = ""
    featured: bool = False


@dataclass
class TransformationPlan:
    projects: list[PlannedProject] = field(default_factory=list)
    measurements: list[dict] = field(default_factory=list)  # for the showcase: uscc, project name, metric …
    institutions: list[dict] = field(default_factory=list)
    recognitions: list[dict] = field(default_factory=list)


def _periods(today: dt.date) -> dict[str, tuple[dt.date, dt.date]]:
    last = last_month_end(today)
    periods = {"2023": (dt.date(2023, 1, 1), dt.date(2023, 12, 31)), "2024H1": H1_2024,
               "2024H2": (dt.date(2024, 7, 1), dt.date(2024, 12, 31)),
               "2025": (dt.date(2025, 1, 1), dt.date(2025, 12, 31)), "2026": (dt.date(2026, 1, 1), dt.date(2026, 12, 31))}
    # a period after last month is left out, and the current one stops at last month's end
    return {k: (a, min(b, last)) for k, (a, b) in periods.items() if a <= last}


def _day(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randrange((last - first).days + 1))


def _wan(rng: random.Random, low: int, high: int) -> Decimal:
    # log-uniform: most retrofits are small, a few large
    value = low * (high / low) ** rng.random()
    return Decimal(round(value)).quantize(Decimal("0.01"))


def _weighted(rng: random.Random, pairs):
    return rng.choices([p for p, _w in pairs], weights=[w for _p, w in pairs])[0]


def plan_transformation(*, manufacturers: list[tuple[str, str]], showcase_uscc: str, company_uscc: str,
                        seed: int = 2026, today: dt.date) -> TransformationPlan:
    """`manufacturers` are (uscc, industry_code) of operating manufacturing firms; `showcase_uscc` owns the
    article's workshop; `company_uscc` is the demo enterprise user's firm, given records every policy clause
    can see."""
    rng = random.Random(seed * 7919 + 17)
    periods = _periods(today)
    last = last_month_end(today)
    plan = TransformationPlan()
    used_names: set[tuple[str, str]] = set()

    def name_for(uscc: str, kind: str) -> str:
        for attempt in range(50):
            stem = rng.choice(NAME_STEMS[kind])
            name = stem if attempt == 0 else f"{stem}（{attempt + 1}期）"
            if (uscc, name) not in used_names:
                used_names.add((uscc, name))
                return name
        raise AssertionError("name space exhausted")

    def investment(kind: str) -> tuple[Decimal, Decimal]:
        equipment = _wan(rng, *INVESTMENT[kind])
        software = (equipment * Decimal(rng.randrange(5, 20)) / 100).quantize(Decimal("0.01"))
        return equipment, software

    firms = [u for u, _c in manufacturers]
    for key, (first, end) in periods.items():
        for kind, count in STARTED.get(key, {}).items():
            for _ in range(count):
                uscc = rng.choice(firms)
                started = _day(rng, first, end)
                completed = started + dt.timedelta(days=rng.randrange(90, 330))
                equipment, software = investment(kind)
                plan.projects.append(PlannedProject(uscc, name_for(uscc, kind), kind, started,
                                                    completed if completed <= last else None, equipment, software))
        for (level, kind), count in CERTIFIED.get(key, {}).items():
            for i in range(count):
                certified = _day(rng, first, end)
                if key == "2024H1" and kind == "数字化车间" and i == 0:
                    uscc, name, certified = showcase_uscc, SHOWCASE_NAME, SHOWCASE_CERTIFIED
                    used_names.add((uscc, name))
                else:
                    uscc = rng.choice(firms)
                    name = name_for(uscc, kind)
                completed = certified - dt.timedelta(days=rng.randrange(30, 120))
                started = completed - dt.timedelta(days=rng.randrange(150, 420))
                equipment, software = investment(kind)
                plan.projects.append(PlannedProject(
                    uscc, name, kind, started, completed, equipment, software, level, certified,
                    f"示范高新经信发〔{certified.year}〕{rng.randrange(10, 90)}号", featured=name == SHOWCASE_NAME))
    for metric, label, unit, before, after in SHOWCASE_MEASUREMENTS:
        plan.measurements.append({
            "uscc": showcase_uscc, "project": SHOWCASE_NAME, "metric": metric, "label": label, "unit": unit,
            "before_value": before, "before_from": SHOWCASE_BEFORE[0], "before_to": SHOWCASE_BEFORE[1],
            "after_value": after, "after_from": SHOWCASE_AFTER[0], "after_to": SHOWCASE_AFTER[1],
            "source": "企业MES系统测试数据（经第三方核验）"})
    _company_records(plan, company_uscc, today=today, used_names=used_names)
    _institutions(rng, plan, firms, periods)
    _recognitions(rng, plan, firms, periods)
    return plan


def _company_records(plan: TransformationPlan, uscc: str, *, today: dt.date, used_names: set) -> None:
    """The demo enterprise user's firm: a retrofit started in the second half of 2024 (outside the article's
    half-year) (its 2024 reward is paid and archived) and a 2025
    市级数字化车间 (its 2025 reward waits for the firm to confirm)."""
    plan.projects.append(PlannedProject(uscc, "冲压车间智能化改造", "智能化改造", dt.date(2024, 7, 15),
                                        dt.date(2024, 11, 28), Decimal("1260.00"), Decimal("180.00")))
    if dt.date(2025, 9, 18) <= last_month_end(today):
        plan.projects.append(PlannedProject(uscc, "精密结构件数字化车间", "数字化车间", dt.date(2024, 10, 8),
                                            dt.date(2025, 6, 30), Decimal("2380.00"), Decimal("420.00"), "市级",
                                            dt.date(2025, 9, 18), "示范高新经信发〔2025〕61号"))
    used_names.update({(uscc, "冲压车间智能化改造"), (uscc, "精密结构件数字化车间")})


def _institutions(rng: random.Random, plan: TransformationPlan, firms: list[str], periods: dict) -> None:
    taken: set[str] = set()
    for key, (first, end) in periods.items():
        chosen = rng.sample([f for f in firms if f not in taken], RND_ENTERPRISES[key])
        for n, uscc in enumerate(chosen):
            taken.add(uscc)
            kinds = 2 if key == "2024H1" and n == 0 else 1  # one firm sets up two: 12 institutions, 11 firms
            first_kind = _weighted(rng, INSTITUTIONS)
            for k in range(kinds):
                kind = first_kind if k == 0 else ("企业研发中心" if first_kind == "工业设计中心" else "工业设计中心")
                plan.institutions.append({
                    "uscc": uscc, "name": kind, "kind": kind,
                    "level": _weighted(rng, INSTITUTION_LEVELS), "recognized_on": _day(rng, first, end),
                    "certificate": f"示范高新科发〔{first.year}〕{rng.randrange(10, 90)}号"})


def _recognitions(rng: random.Random, plan: TransformationPlan, firms: list[str], periods: dict) -> None:
    years = sorted({first.year for first, _e in periods.values()})
    for year in years:
        first = dt.date(year, 1, 1)
        end = max(e for f, e in periods.values() if f.year == year)
        for kind, count in RECOGNITIONS.items():
            for uscc in rng.sample(firms, count):
                recognized = _day(rng, first, end)
                # valid three years less a day; 29 February has no anniversary, so it ends on the 27th
                day = min(recognized.day, 28) if recognized.month == 2 else recognized.day
                valid = dt.date(recognized.year + 3, recognized.month, day) - dt.timedelta(days=1)
                plan.recognitions.append({
                    "uscc": uscc, "kind": kind, "level": "国家级" if kind != "专精特新中小企业" else "市级",
                    "recognized_on": recognized, "valid_until": valid,
                    "certificate": f"{'GR' if kind == '高新技术企业' else 'ZJTX'}{year}{rng.randrange(10**5, 10**6)}"})


MANUFACTURING = {f"{d:02d}" for d in range(13, 44)}
SHOWCASE_INDUSTRY = "3973"  # 集成电路制造


def build_transformation_demo(*, zone, departments: dict, users: dict, seed: int = 2026,
                              today: dt.date | None = None) -> TransformationPlan:
    """Write the plan through the register's bulk services, kept by 经信局 (jxj)."""
    from django.utils import timezone

    from gaoxin.enterprises.models import Enterprise
    from gaoxin.transformation.models import TransformationProject
    from gaoxin.transformation.services.institutions import institutions_upsert
    from gaoxin.transformation.services.measurements import measurements_upsert
    from gaoxin.transformation.services.projects import projects_upsert
    from gaoxin.transformation.services.recognitions import recognitions_upsert

    today = today or timezone.localdate()
    firms = list(Enterprise.objects.filter(zone=zone, status="在营").order_by("uscc")
                 .values_list("uscc", "industry_code", "id"))
    manufacturers = [(u, c) for u, c, _pk in firms if c[:2] in MANUFACTURING]
    ids = {u: pk for u, _c, pk in firms}
    showcase = next(u for u, c in manufacturers if c == SHOWCASE_INDUSTRY)
    company = users["qiye"].enterprise.uscc
    ids.setdefault(company, users["qiye"].enterprise_id)
    plan = plan_transformation(manufacturers=manufacturers, showcase_uscc=showcase, company_uscc=company, seed=seed,
                               today=today)
    department = departments["jxj"]
    projects_upsert(zone=zone, department=department, message="演示数据", rows=[
        {"enterprise_id": ids[p.uscc], "name": p.name, "kind": p.kind, "started_on": p.started_on,
         "completed_on": p.completed_on, "equipment_investment_wan": p.equipment_wan,
         "software_investment_wan": p.software_wan, "level": p.level, "certified_on": p.certified_on,
         "certificate": p.certificate, "featured": p.featured} for p in plan.projects])
    project_ids = {(e, n): pk for e, n, pk in TransformationProject.objects.filter(zone=zone)
                   .values_list("enterprise__uscc", "name", "id")}
    measurements_upsert(zone=zone, department=department, message="演示数据", rows=[
        {"project_id": project_ids[(m["uscc"], m["project"])],
         **{k: v for k, v in m.items() if k not in ("uscc", "project")}} for m in plan.measurements])
    institutions_upsert(zone=zone, department=department, message="演示数据", rows=[
        {"enterprise_id": ids[i["uscc"]], **{k: v for k, v in i.items() if k != "uscc"}} for i in plan.institutions])
    recognitions_upsert(zone=zone, department=department, message="演示数据", rows=[
        {"enterprise_id": ids[r["uscc"]], **{k: v for k, v in r.items() if k != "uscc"}} for r in plan.recognitions])
    return plan
