"""Hand-made signings, tranches and milestones for the statistics tests (on top of `project_world`)."""

import datetime as dt
from decimal import Decimal

from gaoxin.investment.models import FundTranche, Signing
from gaoxin.projects.models import Project

from .conftest import make_project


def sign(project: Project, day: dt.date, amount: str, channel: str = "专班招商") -> Signing:
    signing = Signing(zone_id=project.zone_id, project=project, date=day, contract_investment_wan=Decimal(amount),
                      channel=channel, industry=project.industry, department_id=project.department_id)
    signing.full_clean()
    signing.save()
    return signing


def fund(project: Project, day: dt.date, amount: str) -> FundTranche:
    tranche = FundTranche(zone_id=project.zone_id, project=project, date=day, amount_wan=Decimal(amount),
                          department_id=project.department_id)
    tranche.full_clean()
    tranche.save()
    return tranche


def build_statistics_world(pw) -> dict:
    """Boundary records for 2024-06 in dept_a (and a few in dept_b):

    signings 2024: s1 1 Jan 500000 (50亿级, 专班招商), s2 30 Jun 499999.99 (10亿级, 驻外招商),
    out: 31 Dec 2023 and 1 Jul 2024; dept_b: s5 15 Mar 20000 (亿元级, 基金招商).
    tranches: 2024-01-01 100, 2024-06-30 41.50 (a), 2024-03-01 58.50 (b); previous year 2023-01-01 80,
    2023-06-30 20 (a), 2023-07-01 999 (out).
    """
    w = pw.world
    a, b = w.dept_a, w.dept_b
    made = {}
    for key, dept, day, amount, channel in [
        ("s1", a, dt.date(2024, 1, 1), "500000", "专班招商"),
        ("s2", a, dt.date(2024, 6, 30), "499999.99", "驻外招商"),
        ("s3", a, dt.date(2023, 12, 31), "1000", "专班招商"),
        ("s4", a, dt.date(2024, 7, 1), "1000", "专班招商"),
        ("s5", b, dt.date(2024, 3, 15), "20000", "基金招商"),
    ]:
        project = make_project(w, dept, f"QY-{key.upper()}", total_investment_wan=Decimal(amount))
        made[key] = sign(project, day, amount, channel)
    p1, p5 = made["s1"].project, made["s5"].project
    made["t1"] = fund(p1, dt.date(2024, 1, 1), "100")
    made["t2"] = fund(p1, dt.date(2024, 6, 30), "41.50")
    made["t3"] = fund(p5, dt.date(2024, 3, 1), "58.50")
    made["t4"] = fund(p1, dt.date(2023, 1, 1), "80")
    made["t5"] = fund(p1, dt.date(2023, 6, 30), "20")
    made["t6"] = fund(p1, dt.date(2023, 7, 1), "999")
    return made
