"""The award flow's services: each transition allowed or refused per status and role, the bank account, bulk
all-or-nothing, the once-per-clause-and-year constraint, the audit trail and the download."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from gaoxin.core.audit.models import ObjectChange, SecurityEvent
from gaoxin.policies.models import Award, AwardStatus
from gaoxin.policies.selectors import awards as selectors
from gaoxin.policies.services import awards as services

from .award_world import BANK, add_enterprise_user, make_award, make_clause, make_policy

pytestmark = pytest.mark.django_db


@pytest.fixture
def clause(world):
    return make_clause(make_policy(world))


def history(award):
    return list(ObjectChange.objects.filter(object_id=award.pk, content_type__model="award").order_by("pk"))


# --- 意愿确认 -------------------------------------------------------------------------------------------------

def test_confirm_records_the_account_and_the_enterprise(world, clause):
    award = make_award(clause, world.enterprises["a1"])
    user = world.users["enterprise"]
    confirmed = services.award_confirm(user=user, award=award, data=BANK)
    award.refresh_from_db()
    assert award.status == AwardStatus.CONFIRMED == confirmed.status
    assert award.account_number == "6216610100012345678"  # spaces as people write them are dropped
    assert award.bank_name == "中国银行重庆高新支行" and award.confirmed_by == user and award.confirmed_at
    assert award.amount_wan == 200
    change = history(award)[-1]
    assert "企业确认领取" in change.message and "尾号 5678" in change.message
    assert change.prechange_data["status"] == "已推送" and change.postchange_data["status"] == "已确认"


@pytest.mark.parametrize("number", ["1234567", "1" * 31, "6216-6101-0001", "62166101000１２a", ""])
def test_confirm_refuses_a_bad_account_number(world, clause, number):
    award = make_award(clause, world.enterprises["a1"])
    with pytest.raises(ValidationError) as exc:
        services.award_confirm(user=world.users["enterprise"], award=award, data={**BANK, "account_number": number})
    assert "account_number" in exc.value.message_dict
    award.refresh_from_db()
    assert award.status == AwardStatus.NOTIFIED and award.account_number == ""


def test_confirm_accepts_8_and_30_digits(world, clause):
    for n, number in enumerate(("12345678", "1" * 30)):
        award = make_award(clause, world.enterprises["a1"], year=2020 + n)
        services.award_confirm(user=world.users["enterprise"], award=award, data={**BANK, "account_number": number})
        award.refresh_from_db()
        assert award.account_number == number


def test_confirm_requires_every_field(world, clause):
    award = make_award(clause, world.enterprises["a1"])
    with pytest.raises(ValidationError) as exc:
        services.award_confirm(user=world.users["enterprise"], award=award,
                               data={"account_number": "12345678", "account_name": " ", "bank_name": "", "contact": ""})
    assert set(exc.value.message_dict) == {"account_name", "bank_name", "contact"}


@pytest.mark.parametrize("role", ["staff_a", "leader", "staff_b", "ent_a2"])
def test_only_the_awarded_enterprise_confirms_or_declines(world, clause, role):
    add_enterprise_user(world)
    award = make_award(clause, world.enterprises["a1"])
    with pytest.raises(PermissionDenied):
        services.award_confirm(user=world.users[role], award=award, data=BANK)
    with pytest.raises(PermissionDenied):
        services.award_decline(user=world.users[role], award=award, reason="不需要")


@pytest.mark.parametrize("status", [s for s in AwardStatus if s != AwardStatus.NOTIFIED])
def test_confirm_and_decline_only_from_notified(world, clause, status):
    award = make_award(clause, world.enterprises["a1"], status=status)
    with pytest.raises(ValidationError, match="不能确认"):
        services.award_confirm(user=world.users["enterprise"], award=award, data=BANK)
    with pytest.raises(ValidationError, match="不能放弃"):
        services.award_decline(user=world.users["enterprise"], award=award, reason="不需要")


def test_decline_needs_a_reason_and_frees_the_clause_and_year(world, clause):
    firm = world.enterprises["a1"]
    award = make_award(clause, firm)
    with pytest.raises(ValidationError) as exc:
        services.award_decline(user=world.users["enterprise"], award=award, reason="  ")
    assert "reason" in exc.value.message_dict
    # while it is live, a second award for the same clause, enterprise and year is refused by the database
    with pytest.raises(IntegrityError), transaction.atomic():
        make_award(clause, firm)
    services.award_decline(user=world.users["enterprise"], award=award, reason="已享受同类市级奖励")
    award.refresh_from_db()
    assert award.status == AwardStatus.DECLINED and award.decline_reason == "已享受同类市级奖励"
    assert "企业放弃：已享受同类市级奖励" in history(award)[-1].message
    again = make_award(clause, firm)  # declined: the clause and year are free again
    assert again.pk != award.pk
    make_award(clause, firm, year=2025)  # another year is another award in any case


# --- 审核 ------------------------------------------------------------------------------------------------------

def test_approve_by_staff_of_the_department(world, clause):
    award = make_award(clause, world.enterprises["a1"], status=AwardStatus.CONFIRMED)
    services.award_approve(user=world.users["staff_a"], award=award, note="材料齐全")
    award.refresh_from_db()
    assert award.status == AwardStatus.APPROVED and award.reviewed_by == world.users["staff_a"]
    assert award.review_note == "材料齐全" and award.amount_wan == 200
    assert "审核通过" in history(award)[-1].message


@pytest.mark.parametrize("role", ["staff_b", "leader", "enterprise", "other_staff", "system_admin"])
def test_officer_transitions_refuse_other_roles(world, clause, role):
    confirmed = make_award(clause, world.enterprises["a1"], status=AwardStatus.CONFIRMED)
    approved = make_award(clause, world.enterprises["a2"], status=AwardStatus.APPROVED)
    user = world.users[role]
    with pytest.raises(PermissionDenied):
        services.award_approve(user=user, award=confirmed)
    with pytest.raises(PermissionDenied):
        services.award_reject(user=user, award=confirmed, reason="金额有误")
    with pytest.raises(PermissionDenied):
        services.award_pay(user=user, award=approved, paid_on=timezone.localdate(), voucher="PZ-9")
    assert set(Award.objects.values_list("status", flat=True)) == {AwardStatus.CONFIRMED, AwardStatus.APPROVED}


ALLOWED = {
    "approve": {AwardStatus.CONFIRMED},
    "reject": {AwardStatus.NOTIFIED, AwardStatus.CONFIRMED},
    "pay": {AwardStatus.APPROVED},
}


@pytest.mark.parametrize("action", list(ALLOWED))
@pytest.mark.parametrize("status", list(AwardStatus))
def test_officer_transitions_per_status(world, clause, action, status):
    award = make_award(clause, world.enterprises["a1"], status=status)
    staff = world.users["staff_a"]
    calls = {
        "approve": lambda: services.award_approve(user=staff, award=award),
        "reject": lambda: services.award_reject(user=staff, award=award, reason="金额有误，修正规则后重新比对"),
        "pay": lambda: services.award_pay(user=staff, award=award, paid_on=timezone.localdate(), voucher="PZ-1"),
    }
    expected = {"approve": AwardStatus.APPROVED, "reject": AwardStatus.REJECTED, "pay": AwardStatus.PAID}
    if status in ALLOWED[action]:
        calls[action]()
        award.refresh_from_db()
        assert award.status == expected[action]
    else:
        with pytest.raises(ValidationError, match="不能"):
            calls[action]()
        award.refresh_from_db()
        assert award.status == status


def test_reject_needs_a_reason(world, clause):
    award = make_award(clause, world.enterprises["a1"])
    with pytest.raises(ValidationError) as exc:
        services.award_reject(user=world.users["staff_a"], award=award, reason="")
    assert "reason" in exc.value.message_dict
    services.award_reject(user=world.users["staff_a"], award=award, reason="该工厂 2023 年已认定")
    award.refresh_from_db()
    assert award.status == AwardStatus.REJECTED and award.review_note == "该工厂 2023 年已认定"


# --- 兑付 ------------------------------------------------------------------------------------------------------

def test_pay_date_and_voucher(world, clause, monkeypatch):
    award = make_award(clause, world.enterprises["a1"], status=AwardStatus.APPROVED,
                       reviewed_at=timezone.now() - dt.timedelta(days=3))
    staff = world.users["staff_a"]
    today = timezone.localdate()
    with pytest.raises(ValidationError) as exc:
        services.award_pay(user=staff, award=award, paid_on=today + dt.timedelta(days=1), voucher="PZ-1")
    assert "晚于今天" in exc.value.message_dict["paid_on"][0]
    with pytest.raises(ValidationError) as exc:
        services.award_pay(user=staff, award=award, paid_on=today - dt.timedelta(days=10), voucher="PZ-1")
    assert "早于审核通过日期" in exc.value.message_dict["paid_on"][0]
    with pytest.raises(ValidationError) as exc:
        services.award_pay(user=staff, award=award, paid_on=today, voucher=" ")
    assert "voucher" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.award_pay(user=staff, award=award, paid_on=None, voucher="PZ-1")
    award.refresh_from_db()
    assert award.status == AwardStatus.APPROVED and award.paid_on is None
    services.award_pay(user=staff, award=award, paid_on=today - dt.timedelta(days=1), voucher="PZ-2024-118")
    award.refresh_from_db()
    assert award.status == AwardStatus.PAID and award.voucher == "PZ-2024-118"
    assert "凭证号 PZ-2024-118" in history(award)[-1].message


def test_pay_uses_the_patchable_today(world, clause, monkeypatch):
    award = make_award(clause, world.enterprises["a1"], status=AwardStatus.APPROVED,
                       reviewed_at=timezone.now() - dt.timedelta(days=3))
    monkeypatch.setattr("gaoxin.policies.selectors.publicity.today", lambda: timezone.localdate() - dt.timedelta(days=2))
    with pytest.raises(ValidationError, match="晚于今天"):
        services.award_pay(user=world.users["staff_a"], award=award, paid_on=timezone.localdate(), voucher="PZ-1")


# --- bulk ------------------------------------------------------------------------------------------------------

def test_bulk_approve_moves_all(world, clause):
    a = make_award(clause, world.enterprises["a1"], status=AwardStatus.CONFIRMED)
    b = make_award(clause, world.enterprises["a2"], status=AwardStatus.CONFIRMED)
    assert services.awards_bulk(user=world.users["staff_a"], awards=[a, b], action="approve", note="批量") == 2
    assert set(Award.objects.values_list("status", flat=True)) == {AwardStatus.APPROVED}


def test_bulk_is_all_or_nothing_and_names_the_award(world, clause):
    a = make_award(clause, world.enterprises["a1"], status=AwardStatus.CONFIRMED)
    b = make_award(clause, world.enterprises["a2"], status=AwardStatus.NOTIFIED)
    changes = ObjectChange.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.awards_bulk(user=world.users["staff_a"], awards=[a, b], action="approve")
    text = " ".join(exc.value.messages)
    assert world.enterprises["a2"].name in text and "未做任何变更" in text
    a.refresh_from_db()
    assert a.status == AwardStatus.CONFIRMED
    assert ObjectChange.objects.count() == changes


def test_bulk_pay(world, clause):
    awards = [make_award(clause, world.enterprises[k], status=AwardStatus.APPROVED) for k in ("a1", "a2")]
    paid_on = timezone.localdate()
    with pytest.raises(ValidationError, match="支付凭证号"):
        services.awards_bulk(user=world.users["staff_a"], awards=awards, action="pay", paid_on=paid_on, voucher="")
    assert services.awards_bulk(user=world.users["staff_a"], awards=awards, action="pay", paid_on=paid_on,
                                voucher="PZ-B-7") == 2
    assert set(Award.objects.values_list("status", "voucher")) == {(AwardStatus.PAID, "PZ-B-7")}


def test_bulk_refuses_unknown_action_empty_selection_and_other_roles(world, clause):
    a = make_award(clause, world.enterprises["a1"], status=AwardStatus.CONFIRMED)
    with pytest.raises(ValidationError, match="未知"):
        services.awards_bulk(user=world.users["staff_a"], awards=[a], action="delete")
    with pytest.raises(ValidationError, match="至少"):
        services.awards_bulk(user=world.users["staff_a"], awards=[], action="approve")
    with pytest.raises(PermissionDenied):
        services.awards_bulk(user=world.users["leader"], awards=[a], action="approve")
    a.refresh_from_db()
    assert a.status == AwardStatus.CONFIRMED


# --- reads -----------------------------------------------------------------------------------------------------

def test_enterprise_never_sees_pending_awards(world, clause):
    pending = make_award(clause, world.enterprises["a1"], status=AwardStatus.PENDING)
    notified = make_award(clause, world.enterprises["a1"], year=2025)
    make_award(clause, world.enterprises["a2"])
    seen = set(selectors.awards_for_user(user=world.users["enterprise"]).values_list("pk", flat=True))
    assert seen == {notified.pk}
    assert selectors.award_for_user(user=world.users["enterprise"], pk=pending.pk) is None
    assert selectors.award_for_user(user=world.users["staff_a"], pk=pending.pk) == pending
    assert not selectors.awards_for_user(user=world.users["staff_b"]).exists()
    assert selectors.awards_for_user(user=world.users["leader"]).count() == 3


def test_filters_ignore_nonsense(world, clause):
    make_award(clause, world.enterprises["a1"])
    make_award(clause, world.enterprises["a2"], status=AwardStatus.CONFIRMED)
    staff = world.users["staff_a"]
    assert selectors.awards_for_user(user=staff, filters={"status": "已确认"}).count() == 1
    assert selectors.awards_for_user(user=staff, filters={"enterprise": "企业2"}).count() == 1
    uscc_part = world.enterprises["a1"].uscc[-6:].lower()
    assert selectors.awards_for_user(user=staff, filters={"enterprise": uscc_part}).count() == 1
    assert selectors.awards_for_user(user=staff, filters={"year": "2024", "policy": str(clause.policy_id)}).count() == 2
    nonsense = {"status": "x", "year": "20x4", "policy": "-1", "clause": "9" * 30, "source": "?"}
    assert selectors.awards_for_user(user=staff, filters=nonsense).count() == 2


def test_trace_names_the_rule_facts_and_amounts(world, clause):
    award = make_award(clause, world.enterprises["a1"], raw="300", granted="200", amount="180.50",
                       note="单项上限 200 万元；预算核减")
    trace = selectors.award_trace(award=award)
    columns = {c.column: c.value for c in trace.conditions}
    assert columns["smart_factory_city_new"] == 1
    assert trace.cap_cut and trace.budget_cut and trace.version == clause.version
    assert trace.when == "smart_factory_city_new >= 1" and "200" in trace.formula
    assert trace.sentence.startswith("2024年 新认定市级智能工厂") and "180.50 万元" in trace.sentence
    assert trace.history.count() == 0  # made with the ORM in this test, so no audit rows yet


def test_download_masks_the_account_for_readers_only(world, clause):
    make_award(clause, world.enterprises["a1"], status=AwardStatus.PAID)

    def sheet(user):
        content = services.awards_workbook(user=user, awards=selectors.awards_for_user(user=user))
        ws = openpyxl.load_workbook(io.BytesIO(content)).active
        return [[c.value for c in row] for row in ws.iter_rows()]

    staff_rows, leader_rows = sheet(world.users["staff_a"]), sheet(world.users["leader"])
    assert staff_rows[0] == services.award_export_columns()
    assert staff_rows[1][3] == world.enterprises["a1"].uscc and staff_rows[1][8] == 200
    assert staff_rows[1][12] == "6216610100012345678"
    assert leader_rows[1][12] == "•••• 5678"
    assert SecurityEvent.objects.filter(kind="export", detail__startswith="policy_awards").count() == 2
