"""Applications (依申请): submit with evidence, the limits of an approval, returns and resubmission, duplicates."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage

from gaoxin.core.audit.models import ObjectChange
from gaoxin.policies.models import (
    Application,
    ApplicationEvidence,
    ApplicationStatus,
    AwardSource,
    AwardStatus,
    ClauseMode,
    PolicyStatus,
)
from gaoxin.policies.selectors import applications as selectors
from gaoxin.policies.services import applications as services

from .award_world import BANK, YEAR, add_enterprise_user, make_award, make_clause, make_policy, upload

pytestmark = pytest.mark.django_db
D = Decimal
DATA = {**BANK, "requested_wan": D("80"), "statement": "本企业 2024 年首台套装备通过市级认定，见认定文件。"}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def policy(world):
    return make_policy(world, budget="1000", entity_cap="300")


@pytest.fixture
def clause(policy):
    return make_clause(policy, code="first_set", order=2, name="首台套", mode=ClauseMode.APPLICATION, cap="100",
                       evidence="首台套认定文件\n销售合同")


def submit(world, clause, *, user="enterprise", year=YEAR, data=None, files=None):
    return services.application_submit(user=world.users[user], clause=clause, year=year, data=data or DATA,
                                       files=[upload()] if files is None else files)


def stored_files(settings) -> list:
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


# --- submit ----------------------------------------------------------------------------------------------------

def test_submit_stores_the_application_and_its_evidence(world, clause, settings):
    application = submit(world, clause, files=[upload("认定文件.pdf"), upload("合同.docx")])
    assert application.status == ApplicationStatus.SUBMITTED and application.enterprise == world.enterprises["a1"]
    assert application.policy == clause.policy and application.department == clause.policy.department
    assert application.requested_wan == D("80.00") and application.account_number == "6216610100012345678"
    names = list(application.evidence.values_list("original_name", flat=True))
    assert names == ["认定文件.pdf", "合同.docx"]
    assert all(default_storage.exists(e.file.name) for e in application.evidence.all())
    assert len(stored_files(settings)) == 2
    change = ObjectChange.objects.get(object_id=application.pk, content_type__model="application")
    assert "提交申请：首台套" in change.message


def test_submit_only_for_enterprise_users(world, clause):
    for role in ("staff_a", "leader"):
        with pytest.raises(PermissionDenied):
            submit(world, clause, user=role)
    other_zone_policy = make_policy(world, code="X")
    other_zone_policy.zone = world.other_zone
    other_zone_policy.save()
    foreign = make_clause(other_zone_policy, mode=ClauseMode.APPLICATION, code="x")
    foreign.zone = world.other_zone
    foreign.save()
    with pytest.raises(PermissionDenied):
        submit(world, foreign)


def test_submit_refuses_a_clause_that_is_not_open(world, policy, clause):
    automatic = make_clause(policy)
    with pytest.raises(ValidationError, match="免申即享"):
        submit(world, automatic)
    clause.active = False
    clause.save()
    with pytest.raises(ValidationError, match="停用"):
        submit(world, clause)
    clause.active = True
    clause.save()
    policy.status = PolicyStatus.DRAFT
    policy.save()
    with pytest.raises(ValidationError, match="不受理申请"):
        submit(world, clause)
    assert not Application.objects.exists()


@pytest.mark.parametrize("year", [2023, 2031, "abc", None])
def test_submit_year_within_the_validity(world, policy, clause, year):
    with pytest.raises(ValidationError) as exc:
        submit(world, clause, year=year)
    assert "year" in exc.value.message_dict


def test_submit_year_not_in_the_future(world, policy, clause, monkeypatch):
    monkeypatch.setattr("gaoxin.policies.selectors.publicity.today", lambda: dt.date(2025, 3, 1))
    with pytest.raises(ValidationError, match="2024 至 2025"):
        submit(world, clause, year=2026)
    assert submit(world, clause, year=2025).year == 2025


@pytest.mark.parametrize("amount,message", [(D("100.01"), "超过该条款的上限"), (D("0"), "大于 0"), (D("-5"), "大于 0"),
                                            (D("1.005"), "两位小数"), ("abc", "数字"), (None, "请填写申请金额")])
def test_submit_requested_amount(world, clause, amount, message):
    with pytest.raises(ValidationError) as exc:
        submit(world, clause, data={**DATA, "requested_wan": amount})
    assert message in " ".join(exc.value.message_dict["requested_wan"])


def test_submit_reports_every_field_at_once(world, clause):
    with pytest.raises(ValidationError) as exc:
        submit(world, clause, data={"requested_wan": D("500"), "statement": "", "account_number": "12"}, files=[])
    assert {"requested_wan", "statement", "account_name", "bank_name", "account_number", "contact",
            "files"} <= set(exc.value.message_dict)


@pytest.mark.parametrize("files,message", [
    ([], "至少 1 个"),
    ([upload("a.exe")], "类型不允许"),
    ([upload("a.pdf", content=b"")], "空文件"),
    ([upload(f"{n}.pdf") for n in range(11)], "最多上传 10 个"),
    ([upload("长" * 201 + ".pdf")], "文件名过长"),
])
def test_submit_evidence_limits(world, clause, settings, files, message):
    with pytest.raises(ValidationError) as exc:
        submit(world, clause, files=files)
    assert message in " ".join(exc.value.message_dict["files"])
    assert not Application.objects.exists() and not stored_files(settings)


def test_submit_evidence_size_limit(world, clause, settings, monkeypatch):
    monkeypatch.setattr(services, "EVIDENCE_MAX_BYTES", 100)
    with pytest.raises(ValidationError, match="超过 100 B 的上限"):
        submit(world, clause, files=[upload("大文件.pdf", size=200)])
    assert not stored_files(settings)


def test_a_failure_after_storing_files_leaves_none(world, clause, settings, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    original = services._store

    def store_then_fail(application, files, saved):
        original(application, files, saved)
        boom()

    monkeypatch.setattr(services, "_store", store_then_fail)
    with pytest.raises(RuntimeError):
        submit(world, clause)
    assert not Application.objects.exists() and not ApplicationEvidence.objects.exists()
    assert not stored_files(settings)


def test_no_duplicate_open_application_or_live_award(world, clause):
    first = submit(world, clause)
    with pytest.raises(ValidationError, match="已有该条款 2024 年度的申请"):
        submit(world, clause)
    assert submit(world, clause, year=2025).year == 2025  # another year is another application
    services.application_review(user=world.users["staff_a"], application=first, decision="reject", note="不符合")
    second = submit(world, clause)  # rejected: the enterprise may apply again
    services.application_review(user=world.users["staff_a"], application=second, decision="approve",
                                amount_wan=D("50"))
    with pytest.raises(ValidationError, match="已享受该条款"):
        submit(world, clause)


def test_live_award_blocks_and_declined_award_frees(world, clause):
    award = make_award(clause, world.enterprises["a1"])
    with pytest.raises(ValidationError, match="已享受该条款"):
        submit(world, clause)
    award.status = AwardStatus.DECLINED
    award.save()
    assert submit(world, clause).status == ApplicationStatus.SUBMITTED


# --- review ----------------------------------------------------------------------------------------------------

def test_approve_creates_the_award(world, clause):
    application = submit(world, clause)
    reviewed = services.application_review(user=world.users["staff_a"], application=application, decision="approve",
                                           amount_wan=D("60"), note="核减：合同金额不足")
    assert reviewed.status == ApplicationStatus.APPROVED and reviewed.approved_wan == D("60")
    award = reviewed.award
    assert award.source == AwardSource.APPLICATION and award.status == AwardStatus.APPROVED
    assert award.raw_wan == award.granted_wan == award.amount_wan == D("60")
    assert award.clause_version == clause.version and award.year == YEAR and award.run is None
    assert award.account_number == application.account_number and award.bank_name == application.bank_name
    assert award.reviewed_by == world.users["staff_a"]
    assert award.facts.get("entity") == world.enterprises["a1"].uscc  # the year's facts frozen for the record
    messages = list(ObjectChange.objects.filter(object_id=award.pk, content_type__model="award")
                    .values_list("message", flat=True))
    assert any("依申请审核通过，核定 60.00 万元（申请 80.00 万元）" in m for m in messages)


@pytest.mark.parametrize("amount,message", [
    (D("80.01"), "超过申请金额"),
    (D("0"), "大于 0"),
    (None, "请填写核定金额"),
])
def test_approve_within_the_request(world, clause, amount, message):
    application = submit(world, clause)
    with pytest.raises(ValidationError) as exc:
        services.application_review(user=world.users["staff_a"], application=application, decision="approve",
                                    amount_wan=amount)
    assert message in " ".join(exc.value.message_dict["amount_wan"])
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED and not hasattr(application, "award")


def test_approve_within_the_clause_cap(world, clause):
    application = submit(world, clause)
    clause.cap_wan = D("50")  # the cap was lowered after the application came in
    clause.save()
    with pytest.raises(ValidationError, match="超过条款上限 50"):
        services.application_review(user=world.users["staff_a"], application=application, decision="approve",
                                    amount_wan=D("60"))


def test_approve_within_the_remaining_budget(world, policy, clause):
    automatic = make_clause(policy)
    make_award(automatic, world.enterprises["a2"], amount="950")  # committed: 50 of 1000 left
    application = submit(world, clause)
    assert selectors.application_limits(application=application).most_wan == D("50")
    with pytest.raises(ValidationError, match="超过政策剩余预算 50"):
        services.application_review(user=world.users["staff_a"], application=application, decision="approve",
                                    amount_wan=D("50.01"))
    services.application_review(user=world.users["staff_a"], application=application, decision="approve",
                                amount_wan=D("50"))


def test_approve_within_the_entity_cap(world, policy, clause):
    automatic = make_clause(policy)
    make_award(automatic, world.enterprises["a1"], amount="250", year=2023)  # all years count
    make_award(automatic, world.enterprises["a1"], amount="200", year=2022, status=AwardStatus.DECLINED)  # not this
    application = submit(world, clause)
    limits = selectors.application_limits(application=application)
    assert limits.entity_room_wan == D("50") and limits.entity_committed_wan == D("250")
    assert limits.most_wan == D("50")
    with pytest.raises(ValidationError, match="单户上限的剩余额度 50"):
        services.application_review(user=world.users["staff_a"], application=application, decision="approve",
                                    amount_wan=D("50.01"))


@pytest.mark.parametrize("decision,status", [("return", ApplicationStatus.RETURNED),
                                             ("reject", ApplicationStatus.REJECTED)])
def test_return_and_reject_need_a_note(world, clause, decision, status):
    application = submit(world, clause)
    with pytest.raises(ValidationError) as exc:
        services.application_review(user=world.users["staff_a"], application=application, decision=decision)
    assert "note" in exc.value.message_dict
    services.application_review(user=world.users["staff_a"], application=application, decision=decision,
                                note="请补充销售合同")
    application.refresh_from_db()
    assert application.status == status and application.review_note == "请补充销售合同"


def test_review_refuses_other_roles_unknown_decisions_and_decided_applications(world, clause):
    application = submit(world, clause)
    for role in ("staff_b", "leader", "enterprise", "other_staff"):
        with pytest.raises(PermissionDenied):
            services.application_review(user=world.users[role], application=application, decision="reject", note="x")
    with pytest.raises(ValidationError) as exc:
        services.application_review(user=world.users["staff_a"], application=application, decision="maybe")
    assert "decision" in exc.value.message_dict
    services.application_review(user=world.users["staff_a"], application=application, decision="reject", note="x")
    with pytest.raises(ValidationError, match="只有已提交的申请可以审核"):
        services.application_review(user=world.users["staff_a"], application=application, decision="approve",
                                    amount_wan=D("10"))


# --- resubmit --------------------------------------------------------------------------------------------------

def test_resubmit_only_when_returned(world, clause, settings):
    application = submit(world, clause)
    with pytest.raises(ValidationError, match="只有退回补正的申请"):
        services.application_resubmit(user=world.users["enterprise"], application=application, data=DATA)
    services.application_review(user=world.users["staff_a"], application=application, decision="return",
                                note="请补充销售合同")
    add_enterprise_user(world)
    with pytest.raises(PermissionDenied):
        services.application_resubmit(user=world.users["ent_a2"], application=application, data=DATA)
    with pytest.raises(ValidationError, match="最多 10 个"):
        services.application_resubmit(user=world.users["enterprise"], application=application, data=DATA,
                                      files=[upload(f"{n}.pdf") for n in range(10)])
    again = services.application_resubmit(user=world.users["enterprise"], application=application,
                                          data={**DATA, "requested_wan": D("90")}, files=[upload("销售合同.pdf")])
    assert again.status == ApplicationStatus.SUBMITTED and again.requested_wan == D("90")
    assert again.evidence.count() == 2 and len(stored_files(settings)) == 2
    change = ObjectChange.objects.filter(object_id=application.pk, content_type__model="application").order_by("pk").last()
    assert "重新提交" in change.message and "销售合同.pdf" in change.message
