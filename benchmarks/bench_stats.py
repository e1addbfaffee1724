"""`gaoxin stats` on a large synthetic zone: 5,000 projects (all signed), 20,000 fund tranches, 5,000 annual
plans and 60,000 monthly reports, written through the bulk upsert services (with their audit rows) into a
fresh SQLite database; then the statistics of one period timed in-process (the selector: a handful of
queries and the engine), through call_command (JSON out), and for a staff user's scope.
Target: the statistics of a period well under 1 s.
"""

import datetime as dt
import io
import random
import tempfile
from decimal import Decimal
from pathlib import Path

from benchmarks.common import Timer, line, setup_django

PROJECTS = 5_000
TRANCHES = 20_000
REPORTS = 60_000
SEED = 2024
GOAL_SECONDS = 1.0
CHANNELS = ("专班招商", "驻外招商", "基金招商", "以商招商", "平台招商", "其他")


def _rows(rng: random.Random):
    projects, signings, tranches, plans, reports = [], [], [], [], []
    report_projects = REPORTS // 12  # 5,000 projects report every month of 2024
    for i in range(PROJECTS):
        code = f"BM{i:05d}"
        signed = dt.date(2022, 1, 1) + dt.timedelta(days=rng.randrange(0, 1000))
        contract = Decimal(rng.randrange(2_000, 900_000)).quantize(Decimal("0.01"))
        start = signed + dt.timedelta(days=rng.randrange(30, 300))
        commission = start + dt.timedelta(days=rng.randrange(200, 800))
        projects.append({"code": code, "name": f"基准项目{i}", "project_type": "产业项目",
                         "key_level": ("市级", "区级", "")[i % 3], "industry": "集成电路", "total_investment_wan": contract,
                         "enterprise_id": None, "land_date": None, "planned_start_date": start, "start_date": start,
                         "planned_completion_date": commission, "completion_date": commission,
                         "planned_commission_date": commission, "commission_date": commission})
        signings.append({"code": code, "name": f"基准项目{i}", "date": signed, "contract_investment_wan": contract,
                         "channel": CHANNELS[i % len(CHANNELS)], "industry": "集成电路"})
        days = sorted(rng.sample(range(0, 1000), TRANCHES // PROJECTS))
        for d in days:
            tranches.append({"code": code, "date": signed + dt.timedelta(days=d),
                             "amount_wan": Decimal(rng.randrange(10, 5_000))})
        if i < report_projects:
            plans.append({"code": code, "year": 2024, "plan_wan": Decimal(rng.randrange(1_000, 50_000))})
            for month in range(1, 13):
                reports.append({"code": code, "year": 2024, "month": month,
                                "completed_wan": Decimal(rng.randrange(0, 5_000))})
    return projects, signings, tranches, plans, reports


def run() -> None:
    with tempfile.TemporaryDirectory(prefix="gaoxin-bench-") as tmp:
        setup_django(Path(tmp))
        from django.core.management import call_command

        from gaoxin.accounts.models import User
        from gaoxin.accounts.services import zone_create
        from gaoxin.core.audit.context import Actor, acting_as
        from gaoxin.core.permissions import Role
        from gaoxin.investment.services import funds_upsert, signings_upsert
        from gaoxin.projects.engine import Period
        from gaoxin.projects.selectors.statistics import (
            period_statistics_for_user,
            period_statistics_for_zone,
        )
        from gaoxin.projects.services.projects import projects_upsert
        from gaoxin.projects.services.reports import investment_upsert, plans_upsert

        projects, signings, tranches, plans, reports = _rows(random.Random(SEED))
        with acting_as(Actor(name="bench", via="cli")):
            zone = zone_create(user=None, code="bench", name="基准测试园区")
            department = zone.departments.get(code="tzcj")
            for name, upsert, rows in (("projects_upsert", projects_upsert, projects),
                                       ("signings_upsert", signings_upsert, signings),
                                       ("funds_upsert", funds_upsert, tranches),
                                       ("plans_upsert", plans_upsert, plans),
                                       ("investment_upsert", investment_upsert, reports)):
                with Timer() as t:
                    upsert(zone=zone, department=department, rows=rows, message="基准测试")
                line(name, t, len(rows))
        staff = User.objects.create(username="bench_staff", zone=zone, role=Role.DEPARTMENT_STAFF,
                                    department=department)

        period = Period(2024, 6)
        period_statistics_for_zone(zone=zone, period=Period(2023, 3))  # warm-up: first-query costs
        with Timer() as t:
            stats = period_statistics_for_zone(zone=zone, period=period)
        line("stats 2024-06, zone", t, PROJECTS)
        zone_wall = t.wall
        with Timer() as t:
            period_statistics_for_user(user=staff, period=period)
        line("stats 2024-06, staff scope", t, PROJECTS)
        with Timer() as t:
            call_command("stats", "--zone", "bench", "--period", "2024", stdout=io.StringIO())
        line("gaoxin stats 2024 (json)", t, PROJECTS)
        data = stats.as_contract()
        print(f"  2024-06: {data['signed_projects']:,} signed, {len(stats.tranche_ids):,} tranches, "
              f"市级 {data['key_projects']['市级']['count']:,} key projects")
        verdict = "OK" if zone_wall < GOAL_SECONDS else "TOO SLOW"
        print(f"  goal < {GOAL_SECONDS:.0f} s for a period's statistics: {zone_wall:.2f} s → {verdict}")
