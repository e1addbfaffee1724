"""The demo zone 示范科学城高新区 (code `demo`) and synthetic zones for benchmarks.

Everything is written through the same services that the pages, the API and the imports use, so
the demo carries a complete audit trail and obeys every validation rule.
"""

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from gaoxin.accounts.models import Department, User, Zone
from gaoxin.accounts.services import user_create, zone_create
from gaoxin.core.permissions import Role
from gaoxin.enterprises.models import Enterprise
from gaoxin.enterprises.services import enterprises_upsert
from gaoxin.evaluation.models import DataSource, EvaluationResult
from gaoxin.evaluation.selectors.data import evaluation_population, land_as_of
from gaoxin.evaluation.services.appeals import evaluation_run_finalize, evaluation_run_publish, objection_file
from gaoxin.evaluation.services.data import evaluation_data_upsert
from gaoxin.evaluation.services.runs import evaluation_result_override, evaluation_run_create
from gaoxin.evaluation.services.schemes import evaluation_scheme_activate, evaluation_scheme_create
from gaoxin.land.models import Parcel
from gaoxin.land.selectors import enterprise_land_areas
from gaoxin.land.services import building_create, floor_create, lease_create, parcels_upsert, unit_create

from .approvals import build_approvals_demo
from .economy import build_economy_demo
from .policies import build_policies_demo
from .projects import build_projects_demo
from .synthetic import enterprise_rows, evaluation_figures, parcel_rows
from .transformation import build_transformation_demo

DEMO_CODE = "demo"
DEMO_NAME = "示范科学城高新区"
DEMO_ENTERPRISES = 2000
DEMO_PARCELS = 1500
DEMO_BUILDINGS = 12


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: str
    description: str


def demo_logins() -> list[DemoLogin]:
    """One account per role; the passwords satisfy the policy and are printed by `gaoxin demo`."""
    return [
        DemoLogin("sysadmin", "Xitong#2026gx", Role.SYSTEM_ADMIN, "系统管理员：账户、部门、工作日历"),
        DemoLogin("secadmin", "Anquan#2026gx", Role.SECURITY_ADMIN, "安全管理员：安全策略、解锁、重置密码"),
        DemoLogin("auditadmin", "Shenji#2026gx", Role.AUDIT_ADMIN, "审计管理员：审计日志"),
        DemoLogin("leader", "Lingdao#2026gx", Role.ZONE_LEADER, "园区领导：查看全区，项目调度与统计"),
        DemoLogin("city", "Shiji#2026gx", Role.ZONE_LEADER, "市级用户：跨园区对比"),
        DemoLogin("jxj", "Jingxin#2026gx", Role.DEPARTMENT_STAFF, "经信局工作人员：企业名录"),
        DemoLogin("tzcj", "Touzi#2026gx", Role.DEPARTMENT_STAFF, "投资促进局工作人员：招商引资与项目"),
        DemoLogin("jsj", "Jianshe#2026gx", Role.DEPARTMENT_STAFF, "建设局工作人员：地块与载体，专班成员"),
        DemoLogin("qiye", "Company#2026gx", Role.ENTERPRISE, "企业用户：仅本企业"),
    ]


# Which department keeps which accounts' records in the demo.
DEMO_USER_DEPARTMENTS = {"jxj": "jxj", "tzcj": "tzcj", "jsj": "jsj"}


def demo_exists() -> bool:
    return Zone.objects.filter(code=DEMO_CODE).exists()


@transaction.atomic
def build_demo(*, seed: int = 2026) -> Zone:
    """Build the demo zone from nothing. Deterministic: the same seed gives the same zone."""
    zone = zone_create(user=None, code=DEMO_CODE, name=DEMO_NAME)
    departments = {d.code: d for d in zone.departments.all()}

    # 70 % of the enterprise register is kept by 经信局, the rest (recent investment) by 投资促进局.
    rows = enterprise_rows(DEMO_ENTERPRISES, seed=seed)
    split = int(len(rows) * 0.7)
    enterprises_upsert(zone=zone, department=departments["jxj"], rows=rows[:split], message="演示数据")
    enterprises_upsert(zone=zone, department=departments["tzcj"], rows=rows[split:], message="演示数据")

    ids = dict(Enterprise.objects.filter(zone=zone).values_list("uscc", "id"))
    # Land goes to operating industrial firms first: the rest rarely hold parcels.
    holders = [r["uscc"] for r in rows if r["status"] == "在营" and r["industry_code"][:2] in _LAND_HOLDING]
    parcels = parcel_rows(DEMO_PARCELS, holders, seed=seed)
    for p in parcels:
        p["holder_id"] = ids.get(p.pop("holder_uscc"))
    parcels_upsert(zone=zone, department=departments["jsj"], rows=parcels, message="演示数据")

    users = _create_demo_users(zone, departments)
    _evaluation_schemes(users["jxj"])
    _build_carriers(zone, users["jsj"], tenants=[ids[r["uscc"]] for r in rows if r["size"] == "规下"][:400],
                    seed=seed)
    build_projects_demo(zone=zone, departments=departments, users=users, seed=seed)
    build_approvals_demo(zone=zone, departments=departments, users=users)
    build_economy_demo(zone=zone, departments=departments, users=users, seed=seed)
    build_transformation_demo(zone=zone, departments=departments, users=users, seed=seed)
    _evaluation_cycle(zone, users, seed=seed)
    build_policies_demo(zone=zone, departments=departments, users=users)  # reads the 2024 亩均 classes
    return zone


_LAND_HOLDING = {f"{d:02d}" for d in range(13, 47)}  # manufacturing (C) and utilities (D)


def _create_demo_users(zone: Zone, departments: dict[str, Department]) -> dict[str, User]:
    first_enterprise = Enterprise.objects.filter(zone=zone, parcels__isnull=False).order_by("id").first()
    users = {}
    for login in demo_logins():
        data = {"username": login.username, "zone": zone, "role": login.role,
                "display_name": login.description.split("：")[0]}
        if login.role == Role.DEPARTMENT_STAFF:
            data["department"] = departments[DEMO_USER_DEPARTMENTS[login.username]]
        if login.role == Role.ENTERPRISE:
            data["enterprise"] = first_enterprise
            data["display_name"] = first_enterprise.name
        users[login.username] = user_create(user=None, data=data, password=login.password)
    return users


def _evaluation_schemes(staff: User) -> None:
    """经信局 keeps the zone's 亩均 schemes: the Chongqing-style one active for 2024 and 2025, Huangyan's as a
    2025 draft."""
    for year in (2024, 2025):
        active = evaluation_scheme_create(user=staff, data={"preset": "chongqing", "year": year}, message="演示数据")
        evaluation_scheme_activate(user=staff, scheme=active, message="演示数据")
    evaluation_scheme_create(user=staff, data={"preset": "huangyan", "year": 2025}, message="演示数据")


# The agency files of a year, as the import pages would deliver them: which fields each source carries.
_SOURCES = {
    DataSource.TAX: ("tax",),
    DataSource.STATISTICS: ("revenue", "value_added", "output", "rd", "staff", "energy_tce"),
    DataSource.POWER: ("electricity",),
    DataSource.ENVIRONMENT: ("emission_t", "env_violation"),
}


def _evaluation_cycle(zone: Zone, users: dict[str, User], *, seed: int) -> None:
    """Two years of 亩均 evaluation: 2024 published and final, 2025 in its publicity window today with one
    class override and the demo enterprise's pending objection."""
    department = users["jxj"].department
    for year in (2024, 2025):
        firms = list(evaluation_population(zone=zone, year=year).values_list("id", "uscc", "size"))
        land = enterprise_land_areas(zone=zone, as_of=land_as_of(year))
        figures = evaluation_figures([(u, size, float(land[pk].land_mu) if pk in land else 0.0)
                                      for pk, u, size in firms], year=year, seed=seed)
        for source, fields in _SOURCES.items():
            rows = [{"uscc": f["uscc"], "year": year, **{k: f[k] for k in fields}} for f in figures]
            evaluation_data_upsert(zone=zone, department=department, rows=rows, user=None, source=source,
                                   filename=f"{year}年{source}数据.xlsx", message="演示数据")
    run_2024 = evaluation_run_create(user=users["jxj"], year=2024, message="演示数据")
    evaluation_run_publish(user=None, run=run_2024, start=dt.date(2025, 4, 1), days=7, message="演示数据")
    evaluation_run_finalize(user=None, run=run_2024, message="演示数据")

    run_2025 = evaluation_run_create(user=users["jxj"], year=2025, message="演示数据")
    growing = EvaluationResult.objects.filter(run=run_2025, computed_class="B", group_code="above").order_by("rank")
    if growing.exists():
        evaluation_result_override(user=users["jxj"], result=growing.first(), kind="提档",
                                   reason="成长型科技企业（演示）")
    today = timezone.localdate()
    evaluation_run_publish(user=None, run=run_2025, start=today - dt.timedelta(days=2), days=7, message="演示数据")
    own = EvaluationResult.objects.filter(run=run_2025, enterprise=users["qiye"].enterprise, exempt_reason="").first()
    if own is not None:
        objection_file(user=users["qiye"], result=own, text=(
            "我司2025年实际用地面积含已退还政府的5亩储备用地，评价用地面积应予扣除，特此申请复核。"
            "附自然资源部门退地确认书。"))


def _build_carriers(zone: Zone, staff: User, *, tenants: list[int], seed: int) -> None:
    """Standard factory buildings (标准厂房) on producing parcels, with units leased to small firms."""
    rng = random.Random(seed + 11)
    sites = list(Parcel.objects.filter(zone=zone, status="投产", land_use="工业用地").order_by("code")[:DEMO_BUILDINGS])
    by_id = Enterprise.objects.in_bulk(tenants)
    tenant_iter = iter([by_id[pk] for pk in tenants])
    for i, parcel in enumerate(sites, start=1):
        building = building_create(user=staff, data={
            "code": f"BZCF-{i:02d}", "name": f"标准厂房{i}号楼", "parcel": parcel, "address": parcel.location,
        }, message="演示数据")
        for number in range(1, rng.randint(3, 6) + 1):
            floor = floor_create(user=staff, building=building, number=number, message="演示数据")
            for u in range(1, rng.randint(2, 4) + 1):
                area = Decimal(rng.choice((600, 800, 1000, 1200, 1500)))
                unit = unit_create(user=staff, floor=floor, data={"code": f"{number}{u:02d}", "floor_area_m2": area},
                                   message="演示数据")
                if rng.random() < 0.75:
                    tenant = next(tenant_iter, None)
                    if tenant is None:
                        continue
                    start = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randrange(0, 2000))
                    lease_create(user=staff, unit=unit, data={
                        "enterprise": tenant, "area_m2": area, "start_date": start,
                        "end_date": start + dt.timedelta(days=365 * rng.choice((3, 5, 8))),
                    }, message="演示数据")


def synthesise(*, zone: Zone, department: Department, enterprises: int, parcels: int, seed: int = 7) -> tuple[int, int]:
    """Add `enterprises` enterprises and `parcels` parcels to a zone (for benchmarks); returns what was created."""
    taken = Enterprise.objects.filter(zone=zone).values_list("uscc", flat=True)
    start = 1 + max((int(u[8:16]) for u in taken if u[8:16].isdigit()), default=0)
    rows = enterprise_rows(enterprises, seed=seed, start=start)
    with transaction.atomic():
        created = enterprises_upsert(zone=zone, department=department, rows=rows, message="合成数据").created
        made_parcels = 0
        if parcels:
            ids = dict(Enterprise.objects.filter(zone=zone, uscc__in=[r["uscc"] for r in rows]).values_list("uscc", "id"))
            prows = parcel_rows(parcels, list(ids), seed=seed + start)
            for p in prows:
                p["code"] = f"S{start}-{p['code']}"  # the batch's first number keeps codes unique across runs
                p["holder_id"] = ids.get(p.pop("holder_uscc"))
            made_parcels = parcels_upsert(zone=zone, department=department, rows=prows, message="合成数据").created
    return created, made_parcels

