"""Investment services: permissions, scope, stage rules, lead signing in one transaction, bulk upserts."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from gaoxin.core.audit.models import ChangeAction, ObjectChange
from gaoxin.investment import selectors, services
from gaoxin.investment.models import Channel, FundTranche, Lead, LeadFollowUp, LeadStage, Signing
from gaoxin.projects.models import Project, ProjectType

from .conftest import make_lead, make_project

pytestmark = pytest.mark.django_db

LEAD = {"name": "智能终端整机项目", "investor": "某电子集团", "channel": Channel.RESIDENT, "industry": "新型智能终端",
        "expected_investment_wan": Decimal("80000"), "received_on": dt.date(2025, 2, 1)}


def sign_data(**overrides):
    data = {"code": "QY-001", "date": dt.date(2025, 3, 18), "contract_investment_wan": Decimal("150000"),
            "channel": "", "industry": "新能源及新型储能", "enterprise": None, "name": "", "total_investment_wan": None}
    data.update(overrides)
    return data


def changes(model):
    return ObjectChange.objects.filter(content_type__model=model._meta.model_name)


# Leads ---------------------------------------------------------------------------------------------------

def test_staff_creates_lead_in_own_department_with_audit(world):
    lead = services.lead_create(user=world.users["staff_b"], data={**LEAD, "stage": LeadStage.SIGNED},
                                message="新线索")
    assert (lead.zone, lead.department, lead.stage) == (world.zone, world.dept_b, LeadStage.LEAD)
    change = changes(Lead).get(object_id=lead.pk)
    assert change.action == ChangeAction.CREATE and change.message == "新线索"


@pytest.mark.parametrize("role", ["leader", "enterprise", "system_admin"])
def test_only_staff_create_leads(world, role):
    with pytest.raises(PermissionDenied):
        services.lead_create(user=world.users[role], data=LEAD)
    assert not Lead.objects.exists()


def test_owner_must_be_of_the_zone(world):
    with pytest.raises(ValidationError) as exc:
        services.lead_create(user=world.users["staff_b"], data={**LEAD, "owner": world.users["other_staff"]})
    assert "负责人须为本园区的用户" in str(exc.value)
    lead = services.lead_create(user=world.users["staff_b"], data={**LEAD, "owner": world.users["staff_b"]})
    assert lead.owner == world.users["staff_b"]


def test_industry_must_be_a_zone_direction(world):
    with pytest.raises(ValidationError) as exc:
        services.lead_create(user=world.users["staff_b"], data={**LEAD, "industry": "房地产"})
    assert "不是本园区的产业方向" in str(exc.value)


def test_received_date_not_in_future(world):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError):
        services.lead_create(user=world.users["staff_b"], data={**LEAD, "received_on": tomorrow})


def test_other_department_cannot_update_lead(inv):
    with pytest.raises(PermissionDenied):
        services.lead_update(user=inv.users["staff_a"], lead=inv.lead_b, data={"name": "改名"})
    services.lead_update(user=inv.users["staff_b"], lead=inv.lead_b, data={"name": "改名"})
    inv.lead_b.refresh_from_db()
    assert inv.lead_b.name == "改名"


def test_stage_transitions(inv):
    user = inv.users["staff_b"]
    lead = make_lead(inv)
    services.lead_advance(user=user, lead=lead)
    assert lead.stage == LeadStage.NEGOTIATING
    with pytest.raises(ValidationError):
        services.lead_advance(user=user, lead=lead)
    with pytest.raises(ValidationError) as exc:
        services.lead_drop(user=user, lead=lead, reason="  ")
    assert "终止线索须填写原因" in str(exc.value)
    lead.refresh_from_db()
    assert lead.stage == LeadStage.NEGOTIATING
    services.lead_drop(user=user, lead=lead, reason="投资方资金链紧张")
    assert (lead.stage, lead.drop_reason) == (LeadStage.DROPPED, "投资方资金链紧张")
    with pytest.raises(ValidationError):
        services.lead_sign(user=user, lead=lead, data=sign_data())
    with pytest.raises(ValidationError):
        services.lead_reopen(user=user, lead=lead, stage=LeadStage.SIGNED)
    services.lead_reopen(user=user, lead=lead, stage=LeadStage.NEGOTIATING)
    assert (lead.stage, lead.drop_reason) == (LeadStage.NEGOTIATING, "")
    with pytest.raises(ValidationError):
        services.lead_reopen(user=user, lead=lead)


def test_follow_up_is_appended_and_has_no_edit_service(inv):
    entry = services.lead_follow_up_add(user=inv.users["staff_b"], lead=inv.lead_b, data={
        "date": dt.date(2025, 2, 3), "method": "外出拜访", "content": "赴深圳拜访投资方"})
    assert (entry.author, entry.zone, entry.lead) == (inv.users["staff_b"], inv.zone, inv.lead_b)
    assert not any(hasattr(services, name) for name in ("lead_follow_up_update", "lead_follow_up_delete"))
    with pytest.raises(ValidationError):
        services.lead_follow_up_add(user=inv.users["staff_b"], lead=inv.lead_b, data={
            "date": timezone.localdate() + dt.timedelta(days=1), "method": "其他", "content": "未来"})
    with pytest.raises(PermissionDenied):
        services.lead_follow_up_add(user=inv.users["staff_a"], lead=inv.lead_b, data={
            "date": dt.date(2025, 2, 3), "method": "其他", "content": "越权"})
    assert LeadFollowUp.objects.count() == 1


# Signing a lead --------------------------------------------------------------------------------------------

def test_lead_sign_creates_project_and_signing(inv):
    user = inv.users["staff_b"]
    signing = services.lead_sign(user=user, lead=inv.lead_b, data=sign_data(enterprise=inv.enterprises["b1"]))
    project = signing.project
    assert (project.code, project.name, project.total_investment_wan, project.project_type, project.industry,
            project.department, project.enterprise) == (
        "QY-001", inv.lead_b.name, Decimal("150000"), ProjectType.INDUSTRIAL, "新能源及新型储能", inv.dept_b,
        inv.enterprises["b1"])
    assert (signing.lead, signing.channel, signing.investor, signing.department) == (
        inv.lead_b, inv.lead_b.channel, inv.lead_b.investor, inv.dept_b)
    inv.lead_b.refresh_from_db()
    assert inv.lead_b.stage == LeadStage.SIGNED
    assert changes(Project).filter(object_id=project.pk, action=ChangeAction.CREATE).exists()
    assert changes(Signing).filter(object_id=signing.pk, action=ChangeAction.CREATE).exists()
    with pytest.raises(ValidationError):  # already signed
        services.lead_sign(user=user, lead=inv.lead_b, data=sign_data(code="QY-002"))


def test_lead_sign_duplicate_code_writes_nothing(inv):
    with pytest.raises(ValidationError) as exc:
        services.lead_sign(user=inv.users["staff_b"], lead=inv.lead_b, data=sign_data(code="P1"))
    assert "本园区已有项目编号“P1”" in str(exc.value)
    assert exc.value.message_dict["code"]
    inv.lead_b.refresh_from_db()
    assert inv.lead_b.stage == LeadStage.NEGOTIATING
    assert Signing.objects.filter(zone=inv.zone).count() == 2


def test_lead_sign_is_one_transaction(inv):
    # the signing fails (zero contract investment) after the project was created: nothing stays
    with pytest.raises(ValidationError):
        services.lead_sign(user=inv.users["staff_b"], lead=inv.lead_b,
                           data=sign_data(contract_investment_wan=Decimal("0"), total_investment_wan=Decimal("5")))
    assert not Project.objects.filter(code="QY-001").exists()
    inv.lead_b.refresh_from_db()
    assert inv.lead_b.stage == LeadStage.NEGOTIATING


def test_lead_sign_by_other_department_refused(inv):
    with pytest.raises(PermissionDenied):
        services.lead_sign(user=inv.users["staff_a"], lead=inv.lead_b, data=sign_data())


# Signings ------------------------------------------------------------------------------------------------

def test_signing_create_for_existing_or_new_project(inv):
    user = inv.users["staff_b"]
    base = {"date": dt.date(2025, 4, 1), "contract_investment_wan": Decimal("30000"), "channel": Channel.OTHER,
            "industry": ""}
    signing = services.signing_create(user=user, data={**base, "project": inv.p3})
    assert signing.project == inv.p3 and signing.lead is None
    with pytest.raises(ValidationError) as exc:
        services.signing_create(user=user, data={**base, "project": inv.p1})
    assert "已有签约记录" in str(exc.value)
    with pytest.raises(ValidationError):
        services.signing_create(user=user, data={**base, "project": inv.po})
    new = services.signing_create(user=user, data={**base, "code": "NEW-1", "name": "新项目"})
    assert (new.project.code, new.project.total_investment_wan) == ("NEW-1", Decimal("30000"))


def test_signing_delete_returns_lead_to_negotiation_and_keeps_project(inv):
    user = inv.users["staff_b"]
    signing = services.lead_sign(user=user, lead=inv.lead_b, data=sign_data())
    project = signing.project
    with pytest.raises(PermissionDenied):
        services.signing_delete(user=inv.users["staff_a"], signing=signing)
    services.signing_delete(user=user, signing=signing)
    inv.lead_b.refresh_from_db()
    assert inv.lead_b.stage == LeadStage.NEGOTIATING
    assert Project.objects.filter(pk=project.pk).exists()
    assert not Signing.objects.filter(pk=signing.pk).exists()


# Funds -----------------------------------------------------------------------------------------------------

def test_fund_rules(inv):
    user = inv.users["staff_b"]
    tranche = services.fund_create(user=user, data={"project": inv.p1, "date": dt.date(2025, 7, 1),
                                                    "amount_wan": Decimal("10")})
    assert tranche.department == inv.dept_b
    with pytest.raises(ValidationError) as exc:
        services.fund_create(user=user, data={"project": inv.p1, "date": dt.date(2025, 7, 1),
                                              "amount_wan": Decimal("5")})
    assert "每天只记一笔" in str(exc.value)
    with pytest.raises(ValidationError):
        services.fund_create(user=user, data={"project": inv.p1, "date": timezone.localdate() + dt.timedelta(1),
                                              "amount_wan": Decimal("5")})
    with pytest.raises(ValidationError):  # P2 belongs to dept_a: out of staff_b's scope
        services.fund_create(user=user, data={"project": inv.p2, "date": dt.date(2025, 7, 1),
                                              "amount_wan": Decimal("5")})
    with pytest.raises(ValidationError):  # moving onto another tranche's date
        services.fund_update(user=user, tranche=tranche, data={"date": dt.date(2025, 6, 1)})
    services.fund_update(user=user, tranche=tranche, data={"amount_wan": Decimal("12")})
    assert FundTranche.objects.get(pk=tranche.pk).amount_wan == Decimal("12")
    with pytest.raises(PermissionDenied):
        services.fund_delete(user=inv.users["leader"], tranche=tranche)
    services.fund_delete(user=user, tranche=tranche)
    assert changes(FundTranche).filter(object_id=tranche.pk, action=ChangeAction.DELETE).exists()


def test_funds_rate(inv):
    assert selectors.funds_rate(inv.p1) == Decimal("3000.5") / Decimal("500000")
    assert selectors.funds_rate(inv.p3) is None


# Bulk upserts ----------------------------------------------------------------------------------------------

def signing_row(code, **extra):
    row = {"code": code, "name": f"项目{code}", "date": dt.date(2025, 3, 1),
           "contract_investment_wan": Decimal("100000"), "channel": Channel.TASK_FORCE, "industry": "集成电路"}
    row.update(extra)
    return row


def test_signings_upsert_creates_projects_and_is_idempotent(inv):
    rows = [signing_row("P1", contract_investment_wan=Decimal("600000")), signing_row("P3"), signing_row("N1")]
    result = services.signings_upsert(zone=inv.zone, department=inv.dept_b, rows=rows)
    assert (result.created, result.updated, result.unchanged) == (2, 1, 0)
    n1 = Project.objects.get(zone=inv.zone, code="N1")
    assert (n1.name, n1.department, n1.total_investment_wan, n1.project_type, n1.stage) == (
        "项目N1", inv.dept_b, Decimal("100000"), ProjectType.INDUSTRIAL, "入库")
    assert Signing.objects.get(project=inv.p1).contract_investment_wan == Decimal("600000")
    assert changes(Project).filter(object_id=n1.pk, action=ChangeAction.CREATE).exists()
    assert changes(Signing).filter(action=ChangeAction.CREATE).count() == 2
    assert changes(Signing).filter(action=ChangeAction.UPDATE).count() == 1
    again = services.signings_upsert(zone=inv.zone, department=inv.dept_b, rows=rows)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)


def test_signings_upsert_other_department_signing_refuses_batch(inv):
    # P2's project and signing are dept_a's: refused with the code named, and N9 is not created
    with pytest.raises(ValidationError) as exc:
        services.signings_upsert(zone=inv.zone, department=inv.dept_b, rows=[signing_row("N9"), signing_row("P2")])
    assert "P2" in str(exc.value)
    assert not Project.objects.filter(code="N9").exists()
    # a project of another department without a signing may be signed by this department
    p4 = make_project(inv, "P4", dept=inv.dept_a)
    services.signings_upsert(zone=inv.zone, department=inv.dept_b, rows=[signing_row("P4")])
    assert Signing.objects.get(project=p4).department == inv.dept_b


def test_signings_upsert_checks_the_person(inv):
    with pytest.raises(PermissionDenied):
        services.signings_upsert(zone=inv.zone, department=inv.dept_b, rows=[signing_row("N1")],
                                 user=inv.users["staff_a"])


def test_funds_upsert(inv):
    rows = [{"code": "P1", "date": dt.date(2025, 4, 1), "amount_wan": Decimal("1500")},
            {"code": "P3", "date": dt.date(2025, 4, 1), "amount_wan": Decimal("20"), "note": "流动资金"}]
    result = services.funds_upsert(zone=inv.zone, department=inv.dept_b, rows=rows)
    assert (result.created, result.updated, result.unchanged) == (1, 1, 0)
    inv.t1.refresh_from_db()
    assert inv.t1.amount_wan == Decimal("1500")
    assert FundTranche.objects.get(project=inv.p3).note == "流动资金"
    with pytest.raises(ValidationError) as exc:
        services.funds_upsert(zone=inv.zone, department=inv.dept_b,
                              rows=[{"code": "NOPE", "date": dt.date(2025, 1, 1), "amount_wan": Decimal("1")}])
    assert "NOPE" in str(exc.value)
    with pytest.raises(ValidationError) as exc:  # P2's tranche of 2025-06-01 is dept_a's
        services.funds_upsert(zone=inv.zone, department=inv.dept_b, rows=[
            {"code": "P3", "date": dt.date(2025, 5, 1), "amount_wan": Decimal("1")},
            {"code": "P2", "date": dt.date(2025, 6, 1), "amount_wan": Decimal("1")}])
    assert "P2" in str(exc.value)
    assert not FundTranche.objects.filter(project=inv.p3, date=dt.date(2025, 5, 1)).exists()
