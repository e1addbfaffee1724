"""Policies, clauses and awards for the award-flow tests, written with the ORM: the tests of the flow start
where a match run (tested with its own services) leaves off. An enterprise user of a2 is added."""

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gaoxin.core.permissions import Role
from gaoxin.policies.models import Award, AwardSource, AwardStatus, Clause, ClauseMode, Policy, PolicyStatus

from ..factories import make_user

D = Decimal
YEAR = 2024
FACTS = {"entity": "", "name": "", "smart_factory_city_new": 1, "rnd_new": 0, "tax_wan": "350.00"}


def add_enterprise_user(world, key: str = "a2", username: str = "ent_a2"):
    world.users[username] = make_user(username, zone=world.zone, role=Role.ENTERPRISE,
                                      enterprise=world.enterprises[key])
    return world.users[username]


def make_policy(world, *, code="GX-2024-10", budget="20000", entity_cap="500", status=PolicyStatus.IN_FORCE,
                valid_from=dt.date(2024, 1, 1), valid_until=dt.date(2030, 12, 31), department=None) -> Policy:
    return Policy.objects.create(
        zone=world.zone, department=department or world.dept_a, code=code, name="推动制造业高质量发展十条措施",
        document_number="渝高新发〔2024〕12号", valid_from=valid_from, valid_until=valid_until,
        budget_wan=None if budget is None else D(budget), entity_cap_wan=None if entity_cap is None else D(entity_cap),
        status=status)


def make_clause(policy, *, code="smart_factory", order=1, name="新认定市级智能工厂", mode=ClauseMode.AUTOMATIC,
                when="smart_factory_city_new >= 1", amount="200 * smart_factory_city_new", cap="200",
                active=True, evidence="") -> Clause:
    if mode == ClauseMode.APPLICATION:
        when, amount = "", ""
    return Clause.objects.create(zone=policy.zone, department=policy.department, policy=policy, order=order,
                                 code=code, name=name, mode=mode, when=when, amount_wan=amount,
                                 cap_wan=None if cap is None else D(cap), active=active, evidence=evidence)


def make_award(clause, enterprise, *, year=YEAR, status=AwardStatus.NOTIFIED, amount="200", raw=None, granted=None,
               note="", facts=None, **extra) -> Award:
    amount = D(amount)
    facts = dict(FACTS if facts is None else facts, entity=enterprise.uscc, name=enterprise.name)
    data = dict(zone=clause.zone, department=clause.policy.department, policy=clause.policy, clause=clause,
                enterprise=enterprise, year=year, source=AwardSource.MATCH, clause_version=clause.version,
                rule_when=clause.when, rule_amount=clause.amount_wan, facts=facts,
                raw_wan=D(raw) if raw is not None else amount, granted_wan=D(granted) if granted is not None else amount,
                amount_wan=amount, note=note, status=status)
    if status != AwardStatus.PENDING:
        data["notified_at"] = timezone.now()
    if status in (AwardStatus.CONFIRMED, AwardStatus.APPROVED, AwardStatus.PAID, AwardStatus.PUBLICITY,
                  AwardStatus.ARCHIVED):
        data.update(account_name=enterprise.name, bank_name="中国银行重庆高新支行", account_number="6216610100012345678",
                    contact="张三 13800000000", confirmed_at=timezone.now())
    if status in (AwardStatus.APPROVED, AwardStatus.PAID, AwardStatus.PUBLICITY, AwardStatus.ARCHIVED):
        data["reviewed_at"] = timezone.now() - dt.timedelta(days=3)
    if status in (AwardStatus.PAID, AwardStatus.PUBLICITY, AwardStatus.ARCHIVED):
        data.update(paid_on=timezone.localdate() - dt.timedelta(days=1), voucher="PZ-001")
    data.update(extra)
    return Award.objects.create(**data)


BANK = {"account_name": "测试企业1有限公司", "bank_name": "中国银行重庆高新支行", "account_number": "6216 6101 0001 2345 678",
        "contact": "张三 13800000000"}


def upload(name: str = "首台套认定文件.pdf", size: int = 64, content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content if content is not None else b"%PDF-1.4\n" + b"x" * size)
