"""Register records for the facts and match-run tests, written with the ORM (the registers' own services are
tested in their apps); and a policy with clauses made through the policies services."""

import datetime as dt
from decimal import Decimal

from gaoxin.evaluation.models import EvaluationData, EvaluationResult, EvaluationRun
from gaoxin.investment.models import Signing
from gaoxin.land.models import Building, Floor, Lease, Unit
from gaoxin.policies.models import PolicyStatus
from gaoxin.policies.services import clauses as clause_services
from gaoxin.policies.services import policies as policy_services
from gaoxin.projects.models import Project
from gaoxin.transformation.models import Recognition, RndInstitution, TransformationProject

D = Decimal
YEAR = 2024


def project(world, enterprise, kind, started, *, completed=None, equipment="0", software="0", level="",
            certified=None, name=None):
    return TransformationProject.objects.create(
        zone=world.zone, department=world.dept_a, enterprise=enterprise, name=name or f"{kind}{started}",
        kind=kind, started_on=started, completed_on=completed, equipment_investment_wan=D(equipment),
        software_investment_wan=D(software), level=level, certified_on=certified)


def institution(world, enterprise, level, recognized, name=None):
    return RndInstitution.objects.create(zone=world.zone, department=world.dept_a, enterprise=enterprise,
                                         name=name or f"{level}{recognized}", kind="企业技术中心", level=level,
                                         recognized_on=recognized)


def recognition(world, enterprise, kind, recognized, valid_until=None):
    return Recognition.objects.create(zone=world.zone, department=world.dept_a, enterprise=enterprise, kind=kind,
                                      recognized_on=recognized, valid_until=valid_until)


def evaluation_run(world, year, status, classes: dict, version=1):
    """A run of `year` with one result per enterprise: {enterprise: final_class ("" = 不参评)}."""
    run = EvaluationRun.objects.create(zone=world.zone, department=world.dept_a, year=year, version=version,
                                       scheme_name="测试方案", scheme_version=1, scheme_toml="", status=status,
                                       land_as_of=dt.date(year, 12, 31))
    for firm, label in classes.items():
        EvaluationResult.objects.create(zone=world.zone, run=run, enterprise=firm, uscc=firm.uscc, name=firm.name,
                                        industry_code=firm.industry_code, final_class=label,
                                        exempt_reason="" if label else "成立未满 3 年")
    return run


def signing(world, enterprise, code, date, contract):
    p = Project.objects.create(zone=world.zone, department=world.dept_b, code=code, name=f"项目{code}",
                               total_investment_wan=D(contract), enterprise=enterprise)
    return Signing.objects.create(zone=world.zone, department=world.dept_b, project=p, date=date,
                                  contract_investment_wan=D(contract), channel="专班招商")


def figures(world, enterprise, year, **values):
    return EvaluationData.objects.create(zone=world.zone, department=world.dept_a, enterprise=enterprise, year=year,
                                         **{k: None if v is None else D(v) for k, v in values.items()})


def lease(world, enterprise, parcel, area, start, end=None, code="B1"):
    building, _ = Building.objects.get_or_create(zone=world.zone, code=code, defaults=dict(
        department=world.dept_a, name=f"楼栋{code}", parcel=parcel))
    floor, _ = Floor.objects.get_or_create(zone=world.zone, building=building, number=1,
                                           defaults=dict(department=world.dept_a))
    unit = Unit.objects.create(zone=world.zone, floor=floor, code=f"U{Unit.objects.count() + 1}",
                               floor_area_m2=D("1000"), department=world.dept_a)
    return Lease.objects.create(zone=world.zone, unit=unit, enterprise=enterprise, area_m2=D(area), start_date=start,
                                end_date=end, department=world.dept_a)


SMART_FACTORY = {"code": "smart_factory", "name": "新认定市级智能工厂", "when": "smart_factory_city_new >= 1",
                 "amount_wan": "200 * smart_factory_city_new", "cap_wan": D("200"), "mode": "免申即享", "active": True}
RETROFIT = {"code": "retrofit", "name": "智能化改造", "when": "smart_retrofit_equipment_wan > 0",
            "amount_wan": "smart_retrofit_equipment_wan * 0.1", "cap_wan": D("500"), "mode": "免申即享", "active": True}
RND = {"code": "rnd", "name": "新认定研发机构", "when": "rnd_new >= 1", "amount_wan": "50", "cap_wan": None,
       "mode": "免申即享", "active": True}
APPLY = {"code": "apply", "name": "首台套", "mode": "依申请", "cap_wan": D("100"), "evidence": "首台套认定文件",
         "active": True}


def make_policy(world, *clauses, user="staff_a", status=PolicyStatus.IN_FORCE, budget="20000", entity_cap="500",
                code="GX-2024-10", valid_from=dt.date(2024, 1, 1), valid_until=dt.date(2026, 12, 31)):
    staff = world.users[user]
    policy = policy_services.policy_create(user=staff, data={
        "code": code, "name": "推动制造业高质量发展十条措施", "document_number": "渝高新发〔2024〕12号",
        "valid_from": valid_from, "valid_until": valid_until,
        "budget_wan": None if budget is None else D(budget),
        "entity_cap_wan": None if entity_cap is None else D(entity_cap)})
    for order, data in enumerate(clauses, start=1):
        clause_services.clause_create(user=staff, policy=policy, data={"order": order, **data})
    if status != PolicyStatus.DRAFT:
        policy = policy_services.policy_set_status(user=staff, policy=policy, status=PolicyStatus.IN_FORCE)
    if status == PolicyStatus.ENDED:
        policy = policy_services.policy_set_status(user=staff, policy=policy, status=PolicyStatus.ENDED)
    return policy
