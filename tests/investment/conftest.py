import datetime as dt
from decimal import Decimal

import pytest

from gaoxin.investment.models import Channel, FundTranche, Lead, LeadStage, Signing
from gaoxin.projects.models import Project


def make_project(world, code: str, *, dept=None, **extra) -> Project:
    dept = dept or world.dept_b
    data = dict(zone=world.zone, department=dept, code=code, name=f"项目{code}", total_investment_wan=Decimal("10000"))
    data.update(extra)
    return Project.objects.create(**data)


def make_lead(world, *, dept=None, **extra) -> Lead:
    dept = dept or world.dept_b
    data = dict(zone=world.zone, department=dept, name="储能电池基地", investor="某新能源集团", channel=Channel.TASK_FORCE,
                industry="新能源及新型储能", expected_investment_wan=Decimal("200000"), received_on=dt.date(2025, 1, 10))
    data.update(extra)
    return Lead.objects.create(**data)


def make_signing(world, project, *, dept=None, **extra) -> Signing:
    dept = dept or world.dept_b
    data = dict(zone=world.zone, department=dept, project=project, date=dt.date(2025, 3, 1),
                contract_investment_wan=Decimal("100000"), channel=Channel.TASK_FORCE, industry="集成电路")
    data.update(extra)
    return Signing.objects.create(**data)


def make_tranche(world, project, day, amount, *, dept=None) -> FundTranche:
    return FundTranche.objects.create(zone=world.zone, department=dept or world.dept_b, project=project, date=day,
                                      amount_wan=Decimal(amount))


@pytest.fixture
def inv(world):
    """World plus investment records: dept_b (投资促进局) keeps P1 (signed, two tranches) and a lead in 洽谈;
    dept_a keeps P2 (signed by dept_a) and its own lead; the other zone has a signed project."""
    w = world
    w.p1 = make_project(w, "P1")
    w.p2 = make_project(w, "P2", dept=w.dept_a)
    w.p3 = make_project(w, "P3")  # dept_b, no signing
    w.s1 = make_signing(w, w.p1, contract_investment_wan=Decimal("500000"))
    w.s2 = make_signing(w, w.p2, dept=w.dept_a, channel=Channel.FUND, contract_investment_wan=Decimal("20000"),
                        date=dt.date(2025, 5, 1))
    w.t1 = make_tranche(w, w.p1, dt.date(2025, 4, 1), "1000")
    w.t2 = make_tranche(w, w.p1, dt.date(2025, 6, 1), "2000.5")
    w.t3 = make_tranche(w, w.p2, dt.date(2025, 6, 1), "300", dept=w.dept_a)
    w.lead_b = make_lead(w, stage=LeadStage.NEGOTIATING)
    w.lead_a = make_lead(w, dept=w.dept_a, name="甲部门线索", channel=Channel.FUND)
    from gaoxin.accounts.models import Department

    other_dept = Department.objects.get(zone=w.other_zone)
    w.po = Project.objects.create(zone=w.other_zone, department=other_dept, code="PO",
                                  name="他区项目", total_investment_wan=Decimal("1"))
    w.so = Signing.objects.create(zone=w.other_zone, department=other_dept, project=w.po, date=dt.date(2025, 1, 1),
                                  contract_investment_wan=Decimal("1"), channel=Channel.OTHER)
    return w

