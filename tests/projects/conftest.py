"""The `project_world` fixture shared by every projects test module (other helpers reuse it: keep it stable).

Dates lie well in the past so that "future month" rules never bite, and no period is closed.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import pytest

from gaoxin.projects.models import (
    AnnualPlan,
    KeyLevel,
    MonthlyInvestment,
    Project,
    ProjectParcel,
    ProjectType,
)
from tests.factories import World


@dataclass
class ProjectWorld:
    world: World
    # a1: dept_a, 市级, company = the enterprise user's enterprise (a1), started, plans 2024/2025, reports 2024-01…06
    # a2: dept_a, 区级, 基础设施, no company, not started (planned start 2024-03-01), plan 2024, no reports
    # b1: dept_b, 市级, company b1, commissioned, plan 2024, reports 2024-01…03
    # b2: dept_b, no key level, just registered, nothing else
    projects: dict[str, Project] = field(default_factory=dict)

    def __getattr__(self, name):
        # `pw.zone`, `pw.users`, `pw.dept_a`… read through to the underlying world.
        return getattr(self.world, name)


def make_project(world: World, department, code: str, **extra) -> Project:
    data = dict(code=code, name=f"项目{code}", total_investment_wan=Decimal("10000.00"),
                project_type=ProjectType.INDUSTRIAL, industry="新型智能终端")
    data.update(extra)
    project = Project(zone=world.zone, department=department, **data)
    project.full_clean()
    project.save()
    return project


def add_plan(project: Project, year: int, plan_wan: str) -> AnnualPlan:
    return AnnualPlan.objects.create(zone_id=project.zone_id, project=project, year=year, plan_wan=Decimal(plan_wan))


def add_report(project: Project, year: int, month: int, completed_wan: str, progress: str = "") -> MonthlyInvestment:
    return MonthlyInvestment.objects.create(zone_id=project.zone_id, project=project, year=year, month=month,
                                            completed_wan=Decimal(completed_wan), progress=progress)


def make_project_world(world: World) -> ProjectWorld:
    pw = ProjectWorld(world=world)
    ents = world.enterprises
    pw.projects["a1"] = make_project(
        world, world.dept_a, "XM-A1", name="智能终端产业园项目", key_level=KeyLevel.CITY,
        total_investment_wan=Decimal("50000.00"), enterprise=ents["a1"],
        planned_land_date=date(2023, 12, 1), land_date=date(2023, 12, 20),
        planned_start_date=date(2024, 3, 1), start_date=date(2024, 3, 15),
        planned_completion_date=date(2025, 12, 31), planned_commission_date=date(2026, 3, 31))
    pw.projects["a2"] = make_project(
        world, world.dept_a, "XM-A2", name="园区道路改造工程", key_level=KeyLevel.DISTRICT,
        project_type=ProjectType.INFRASTRUCTURE, industry="城市配套", total_investment_wan=Decimal("8000.00"),
        planned_start_date=date(2024, 3, 1), planned_completion_date=date(2025, 6, 30))
    pw.projects["b1"] = make_project(
        world, world.dept_b, "XM-B1", name="新型储能电池基地", key_level=KeyLevel.CITY,
        industry="新能源及新型储能", total_investment_wan=Decimal("120000.00"), enterprise=ents["b1"],
        land_date=date(2023, 3, 1), planned_start_date=date(2023, 6, 1), start_date=date(2023, 6, 1),
        planned_completion_date=date(2024, 9, 30), completion_date=date(2024, 9, 30),
        planned_commission_date=date(2024, 12, 31), commission_date=date(2024, 12, 1))
    pw.projects["b2"] = make_project(world, world.dept_b, "XM-B2", name="生物医药研发中心",
                                     industry="生物医药", total_investment_wan=Decimal("3000.00"))
    a1, a2, b1 = pw.projects["a1"], pw.projects["a2"], pw.projects["b1"]
    ProjectParcel.objects.create(zone=world.zone, project=a1, parcel=world.parcels["a1"])
    add_plan(a1, 2024, "12000.00")
    add_plan(a1, 2025, "10000.00")
    for month in range(1, 7):
        add_report(a1, 2024, month, "1000.00", progress=f"{month}月主体施工")
    add_plan(a2, 2024, "3000.00")
    add_plan(b1, 2024, "30000.00")
    for month in range(1, 4):
        add_report(b1, 2024, month, "2500.50")
    return pw


@pytest.fixture
def project_world(world) -> ProjectWorld:
    """`world` plus four projects (two per department), a parcel link, plans and monthly reports."""
    return make_project_world(world)
