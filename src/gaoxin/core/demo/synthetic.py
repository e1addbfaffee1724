"""Deterministic synthetic registers for the demo zone and for benchmarks.

Pure Python: a seeded random.Random produces the same zone every time, so screenshots, tests
and benchmark figures are comparable across machines.
"""

import datetime as dt
import random
from decimal import Decimal

from gaoxin.core import uscc

# 重庆高新区's districts (沙坪坝, 九龙坡, 璧山…) as 登记管理机关行政区划码.
REGIONS = ("500106", "500107", "500120", "500190")
AREAS = ("金凤片区", "含谷片区", "西永片区", "曾家片区", "白市驿片区", "虎溪片区", "香炉山片区")

# (GB/T 4754 小类, weight, name stem): the zone's four leading industries first (article: 智能网联新能源汽车,
# 集成电路, 新型智能终端, 新能源及新型储能), then the usual park mix.
INDUSTRIES = (
    ("3612", 6, "新能源汽车"), ("3670", 8, "汽车零部件"), ("3973", 6, "集成电路"), ("3972", 4, "半导体"),
    ("3974", 3, "显示器件"), ("3922", 5, "智能终端"), ("6531", 3, "系统集成"), ("3841", 5, "储能电池"),
    ("3825", 3, "光伏"), ("3976", 3, "光电"), ("6513", 10, "软件"), ("6520", 5, "信息技术"),
    ("7320", 6, "研究院"), ("7519", 3, "科技服务"), ("2710", 3, "生物医药"), ("3581", 3, "医疗器械"),
    ("3311", 2, "结构件"), ("3484", 3, "机械"), ("5179", 4, "贸易"), ("7212", 3, "投资管理"),
    ("4511", 1, "燃气"), ("4710", 2, "建设工程"), ("5990", 2, "仓储物流"), ("5211", 1, "商贸"),
)
NAME_HEADS = (
    "重庆", "西部", "科学城", "金凤", "渝新", "长嘉", "明月", "缙云", "含谷", "西永", "华芯", "渝芯", "智联", "融创",
    "博润", "锐驰", "远景", "中科", "恒通", "力帆", "星海", "天元", "英诺", "卓越", "鼎新", "宏图", "海川",
)
NAME_TAILS = ("科技有限公司", "有限公司", "股份有限公司", "技术有限公司", "制造有限公司", "发展有限公司")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰志红"
ROADS = ("科学大道", "金凤大道", "含谷路", "西永大道", "曾家大道", "虎溪路", "高新大道", "白市驿大道")


def _pick_industry(rng: random.Random) -> tuple[str, str]:
    code, _w, stem = rng.choices(INDUSTRIES, weights=[w for _c, w, _s in INDUSTRIES])[0]
    return code, stem


def enterprise_uscc(n: int, rng: random.Random) -> str:
    body = f"{n:08d}"
    first17 = "91" + rng.choice(REGIONS) + body + uscc.organisation_check_char(body)
    return uscc.compose(first17)


def enterprise_rows(count: int, *, seed: int = 2026, start: int = 1) -> list[dict]:
    """`count` enterprise rows (service field names), numbered from `start` so batches never collide."""
    rng = random.Random(seed * 1_000_003 + start)
    rows = []
    for n in range(start, start + count):
        code, stem = _pick_industry(rng)
        size = "规上" if rng.random() < 0.28 else "规下"
        registered = dt.date(1998, 1, 1) + dt.timedelta(days=rng.randrange(0, 10_000))
        rows.append({
            "uscc": enterprise_uscc(n, rng),
            "name": f"{rng.choice(NAME_HEADS)}{stem}{n:05d}{rng.choice(NAME_TAILS)}",
            "industry_code": code,
            "size": size,
            "registration_date": registered,
            "area": rng.choice(AREAS),
            "address": f"重庆市高新区{rng.choice(ROADS)}{rng.randrange(1, 999)}号",
            "contact_person": rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2)))),
            "contact_phone": f"1{rng.choice('3589')}{rng.randrange(0, 10**9):09d}",
            "status": rng.choices(("在营", "停产", "迁出", "注销"), weights=(92, 3, 3, 2))[0],
        })
    return rows


def parcel_rows(count: int, holders: list[str], *, seed: int = 2026) -> list[dict]:
    """`count` parcels; about 70 % supplied to one of `holders` (USCCs), the rest reserve land."""
    rng = random.Random(seed + 7)
    uses = (("工业用地", 70), ("仓储用地", 6), ("科研用地", 10), ("商服用地", 8), ("公共管理与公共服务用地", 3),
            ("其他用地", 3))
    rows = []
    for n in range(1, count + 1):
        area = Decimal(str(round(min(max(rng.lognormvariate(9.6, 0.8), 1500.0), 400_000.0), 2)))
        supplied = holders and rng.random() < 0.7
        status = rng.choices(("已供", "在建", "投产", "闲置"), weights=(15, 20, 60, 5))[0] if supplied else "储备"
        rows.append({
            "code": f"GX{2008 + n % 17}-{n:05d}",
            "location": f"{rng.choice(AREAS)}{rng.choice(ROADS)}以{rng.choice('东南西北')}",
            "area_m2": area,
            "land_use": rng.choices([u for u, _ in uses], weights=[w for _, w in uses])[0],
            "supply_method": (rng.choices(("出让", "划拨", "租赁"), weights=(85, 10, 5))[0] if supplied else ""),
            "holder_uscc": rng.choice(holders) if supplied else None,
            "supply_date": (dt.date(2008, 1, 1) + dt.timedelta(days=rng.randrange(0, 6500))) if supplied else None,
            "status": status,
        })
    return rows


def evaluation_figures(firms: list[tuple[str, str, float]], *, year: int, seed: int = 2026) -> list[dict]:
    """A year's 亩均 figures for `firms` given as (USCC, size, land in 亩); field names of EvaluationData.

    Per-mu levels follow the published orders of magnitude (Huangyan 2022 benchmarks: 亩均税收 24万元,
    亩均增加值 136万元 for 规上; 规下 about half), spread lognormally so that classes differ. A few firms
    miss a source, as real agency files do. Firms keep their relative strength from year to year.
    """
    rows = []
    for uscc_code, size, land_mu in firms:
        firm = random.Random(f"{seed}:{uscc_code}")  # a firm's own strength, the same every year
        strength = firm.lognormvariate(0.0, 0.55)
        rng = random.Random(f"{seed}:{uscc_code}:{year}")
        drift = rng.lognormvariate(0.03 * (year - 2024), 0.12)
        mu = max(land_mu, 1.0)
        above = size == "规上"
        tax = mu * (22.0 if above else 9.0) * strength * drift
        value_added = tax * rng.uniform(4.5, 6.5)
        revenue = value_added * rng.uniform(3.0, 4.2)
        row = {
            "uscc": uscc_code,
            "tax": _wan(tax),
            "electricity": _qty(tax / rng.uniform(0.18, 0.32)),
            "revenue": _wan(revenue) if above else None,
            "value_added": _wan(value_added) if above else None,
            "output": _wan(revenue * rng.uniform(0.95, 1.1)) if above else None,
            "rd": _wan(revenue * rng.uniform(0.005, 0.06)) if above else None,
            "staff": max(5, int(value_added / rng.uniform(14, 24))) if above else None,
            "energy_tce": _qty(value_added / rng.uniform(1.8, 3.6)) if above else None,
            "emission_t": _qty(value_added / rng.uniform(3000, 7000)) if above and rng.random() < 0.8 else None,
            "env_violation": rng.random() < 0.01,
        }
        if rng.random() < 0.04:  # the statistics bureau's file lacks this firm
            for field in ("revenue", "value_added", "output", "rd", "staff", "energy_tce"):
                row[field] = None
        rows.append(row)
    return rows


def _wan(value: float) -> Decimal:
    return Decimal(str(round(value, 2)))


def _qty(value: float) -> Decimal:
    return Decimal(str(round(value, 3)))
