"""The 申请 path, for clauses that data cannot decide (依申请): the enterprise applies with evidence, the
officer approves (which creates the award, 已审核, within every limit), returns it for correction or rejects it.

已提交 → 已通过 (award created) | 已退回 (the enterprise corrects and resubmits → 已提交) | 未通过.
At most one open application (已提交/已退回) and one live award exist per clause, enterprise and year.
Evidence files are stored under MEDIA_ROOT with random names; a refused submission leaves no file behind.
"""

import decimal
import os
import uuid
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.core.permissions import Role
from gaoxin.core.services import audited_create, audited_update, require_write
from gaoxin.core.uploads import EvidenceRules, evidence_problems

from ..models import (
    Application,
    ApplicationEvidence,
    ApplicationStatus,
    Award,
    AwardSource,
    AwardStatus,
    Clause,
    ClauseMode,
    Policy,
    PolicyStatus,
)
from ..selectors import applications as selectors
from ..selectors import publicity as publicity_selectors
from ..selectors.facts import facts_row, json_safe
from .awards import bank_account

EVIDENCE_MAX_FILES = 10  # per application, resubmissions included
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
EVIDENCE_EXTENSIONS = ("pdf", "jpg", "jpeg", "png", "ofd", "doc", "docx", "xls", "xlsx", "zip")
STATEMENT_MAX_CHARS = 5000
NOTE_MAX_CHARS = 500  # Application.review_note
NAME_MAX_CHARS = 200  # ApplicationEvidence.original_name
DECISIONS = ("approve", "return", "reject")
CENT = Decimal("0.01")


# --- checks shared by submit and resubmit ----------------------------------------------------------------

def _require_enterprise(user) -> None:
    if user is None or not user.is_authenticated or user.role != Role.ENTERPRISE or not user.enterprise_id:
        raise PermissionDenied(_("只有企业用户可以提交政策申请。"))


def clause_problem(*, clause: Clause, year: int | None) -> dict | None:
    """Why the enterprise cannot apply under `clause` for `year` (a field → message dict), or None."""
    policy = clause.policy
    if clause.mode != ClauseMode.APPLICATION:
        return {"__all__": _("该条款为免申即享条款，由系统比对后直接推送，无需申请。")}
    if not clause.active:
        return {"__all__": _("该条款已停用，不再受理申请。")}
    if policy.status != PolicyStatus.IN_FORCE:
        return {"__all__": _("政策“%(policy)s”当前状态为“%(status)s”，不受理申请。") % {
            "policy": policy.name, "status": policy.get_status_display()}}
    if year is None:
        return {"year": _("请选择申请年度。")}
    first = policy.valid_from.year
    last = min(policy.valid_until.year if policy.valid_until else 9999, publicity_selectors.today().year)
    if not first <= year <= last:
        return {"year": _("申请年度须在政策有效期内且不晚于今年：%(first)s 至 %(last)s 年。") % {
            "first": first, "last": last}}
    return None


def _amount(value, *, field: str, label: str) -> Decimal:
    if value is None or value == "":
        raise ValidationError({field: _("请填写%(label)s。") % {"label": label}})
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        raise ValidationError({field: _("%(label)s须为数字（万元）。") % {"label": label}}) from None
    if not amount.is_finite() or amount <= 0:
        raise ValidationError({field: _("%(label)s须大于 0 万元。") % {"label": label}})
    if amount >= Decimal(10) ** 12:
        raise ValidationError({field: _("%(label)s过大，请核对单位（万元）。") % {"label": label}})
    if amount != amount.quantize(CENT, rounding=decimal.ROUND_DOWN):
        raise ValidationError({field: _("%(label)s最多保留两位小数（0.01 万元）。") % {"label": label}})
    return amount.quantize(CENT)


def _application_fields(*, clause: Clause, data: dict) -> dict:
    """requested_wan, statement and the bank data, validated together so the form shows every error."""
    errors = {}
    cleaned = {}
    try:
        requested = _amount(data.get("requested_wan"), field="requested_wan", label=_("申请金额"))
    except ValidationError as exc:
        errors.update(exc.message_dict)
    else:
        if clause.cap_wan is not None and requested > clause.cap_wan:
            errors["requested_wan"] = [_("申请金额 %(amount)s 万元超过该条款的上限 %(cap)s 万元。") % {
                "amount": requested, "cap": clause.cap_wan}]
        cleaned["requested_wan"] = requested
    statement = str(data.get("statement") or "").strip()
    if not statement:
        errors["statement"] = [_("请填写申请说明：符合条款的哪项条件、依据哪些材料。")]
    elif len(statement) > STATEMENT_MAX_CHARS:
        errors["statement"] = [_("申请说明最多 %(max)s 字，当前 %(n)s 字。") % {
            "max": STATEMENT_MAX_CHARS, "n": len(statement)}]
    cleaned["statement"] = statement
    try:
        cleaned.update(bank_account(data))
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    return cleaned


def _file_problems(files: list, *, already: int = 0) -> list[str]:
    # the limits are read at call time, so a test may lower one
    rules = EvidenceRules(EVIDENCE_MAX_FILES, EVIDENCE_MAX_BYTES, EVIDENCE_EXTENSIONS, NAME_MAX_CHARS)
    return evidence_problems(files, rules, already=already)


def _store(application: Application, files: list, saved: list[str]) -> list[str]:
    names = [os.path.basename(f.name) for f in files]
    for f, name in zip(files, names, strict=True):
        item = ApplicationEvidence(application=application, original_name=name, size=f.size)
        # The stored name is random: the original (often Chinese) name is kept in the row and sent on download.
        item.file.save(uuid.uuid4().hex + os.path.splitext(name)[1].lower(), f, save=False)
        saved.append(item.file.name)
        item.save()
    return names


def _with_file_cleanup(write):
    """Run `write(saved)` in a transaction; files it stored are removed again if anything fails."""
    saved: list[str] = []
    try:
        with transaction.atomic():
            return write(saved)
    except BaseException:
        for name in saved:
            default_storage.delete(name)
        raise


def _duplicate_problem(*, clause: Clause, enterprise_id: int, year: int, exclude_pk: int | None = None) -> str | None:
    award = selectors.live_award(clause=clause, enterprise_id=enterprise_id, year=year)
    if award is not None:
        return _("本企业 %(year)s 年度已享受该条款（兑现状态：%(status)s），不能重复申请。") % {
            "year": year, "status": award.get_status_display()}
    open_one = selectors.open_application(clause=clause, enterprise_id=enterprise_id, year=year, exclude_pk=exclude_pk)
    if open_one is not None:
        return _("本企业已有该条款 %(year)s 年度的申请（%(status)s），请在原申请上补正或等待审核结果。") % {
            "year": year, "status": open_one.get_status_display()}
    return None


# --- the enterprise ----------------------------------------------------------------------------------------

def application_submit(*, user, clause: Clause, year, data: dict, files=()) -> Application:
    """The enterprise applies under a 依申请 clause for `year`, with evidence files (at least one)."""
    _require_enterprise(user)
    if clause.zone_id != user.zone_id:
        raise PermissionDenied(_("该条款不属于本园区。"))
    files = list(files or [])
    return _with_file_cleanup(lambda saved: _submit(user=user, clause=clause, year=year, data=data, files=files,
                                                    saved=saved))


def _year(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _submit(*, user, clause, year, data, files, saved) -> Application:
    # The clause row lock serialises submissions under it, so two tabs cannot both pass the duplicate check.
    clause = Clause.objects.select_for_update().select_related("policy").get(pk=clause.pk)
    year = _year(year)
    problem = clause_problem(clause=clause, year=year)
    if problem:
        raise ValidationError(problem)
    duplicate = _duplicate_problem(clause=clause, enterprise_id=user.enterprise_id, year=year)
    if duplicate:
        raise ValidationError(duplicate)
    errors = {}
    try:
        fields = _application_fields(clause=clause, data=data)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if not files:
        errors["files"] = [_("请上传申请材料（至少 1 个文件）。")]
    else:
        problems = _file_problems(files)
        if problems:
            errors["files"] = problems
    if errors:
        raise ValidationError(errors)
    policy = clause.policy
    application = audited_create(
        Application(zone_id=clause.zone_id, policy=policy, clause=clause, enterprise_id=user.enterprise_id,
                    year=year, department_id=policy.department_id, submitted_by=user,
                    status=ApplicationStatus.SUBMITTED, **fields),
        message=_("提交申请：%(clause)s，%(year)s 年度，申请 %(amount)s 万元。") % {
            "clause": clause.name, "year": year, "amount": fields["requested_wan"]},
    )
    _store(application, files, saved)
    return application


def application_resubmit(*, user, application: Application, data: dict, files=()) -> Application:
    """The enterprise corrects a returned application (its fields, more evidence) and submits it again."""
    _require_enterprise(user)
    if not Application.objects.visible_to(user).filter(pk=application.pk).exists():
        raise PermissionDenied(_("只有申请企业的企业用户可以补正该申请。"))
    files = list(files or [])
    return _with_file_cleanup(lambda saved: _resubmit(user=user, application=application, data=data, files=files,
                                                      saved=saved))


def _resubmit(*, user, application, data, files, saved) -> Application:
    application = Application.objects.select_for_update().select_related("clause__policy").get(pk=application.pk)
    if application.status != ApplicationStatus.RETURNED:
        raise ValidationError(_("该申请状态为“%(status)s”，只有退回补正的申请可以重新提交。") % {
            "status": application.get_status_display()})
    clause = Clause.objects.select_for_update().select_related("policy").get(pk=application.clause_id)
    problem = clause_problem(clause=clause, year=application.year)
    if problem:
        raise ValidationError(" ".join(str(m) for m in problem.values()))
    duplicate = _duplicate_problem(clause=clause, enterprise_id=application.enterprise_id, year=application.year,
                                   exclude_pk=application.pk)
    if duplicate:
        raise ValidationError(duplicate)
    errors = {}
    try:
        fields = _application_fields(clause=clause, data=data)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    problems = _file_problems(files, already=application.evidence.count())
    if problems:
        errors["files"] = problems
    if errors:
        raise ValidationError(errors)
    names = _store(application, files, saved)
    added = _("新增材料：%(names)s。") % {"names": "、".join(names)} if names else _("未新增材料。")
    return audited_update(application, {**fields, "status": ApplicationStatus.SUBMITTED},
                          message=_("企业补正后重新提交。%(added)s") % {"added": added})


# --- the officer -------------------------------------------------------------------------------------------

def _facts(application: Application) -> dict:
    """The enterprise's facts row of the year, frozen on the award for the record (the officer decided on the
    evidence; the facts show what the registers said at that moment)."""
    row = facts_row(zone=application.zone_id, year=application.year, enterprise=application.enterprise)
    return json_safe(row)


def _limit_problem(amount: Decimal, limits: selectors.Limits) -> str | None:
    if amount > limits.requested_wan:
        return _("核定金额 %(amount)s 万元超过申请金额 %(limit)s 万元。") % {
            "amount": amount, "limit": limits.requested_wan}
    if limits.cap_wan is not None and amount > limits.cap_wan:
        return _("核定金额 %(amount)s 万元超过条款上限 %(limit)s 万元。") % {"amount": amount, "limit": limits.cap_wan}
    if limits.remaining_budget_wan is not None and amount > limits.remaining_budget_wan:
        return _("核定金额 %(amount)s 万元超过政策剩余预算 %(limit)s 万元。") % {
            "amount": amount, "limit": limits.remaining_budget_wan}
    if limits.entity_room_wan is not None and amount > limits.entity_room_wan:
        return _("核定金额 %(amount)s 万元超过单户上限的剩余额度 %(limit)s 万元（单户上限 %(cap)s 万元，"
                 "该企业在本政策下已享受 %(used)s 万元）。") % {
            "amount": amount, "limit": limits.entity_room_wan, "cap": limits.entity_cap_wan,
            "used": limits.entity_committed_wan}
    return None


@transaction.atomic
def application_review(*, user, application: Application, decision: str, amount_wan=None,
                       note: str = "") -> Application:
    """Decide a submitted application. "approve" creates the award (依申请, 已审核) for `amount_wan` within the
    requested amount, the clause cap, the policy's remaining budget and the entity cap; "return" (补正) and
    "reject" need a note the enterprise will read."""
    require_write(user=user, model=Application, obj=application)
    if decision not in DECISIONS:
        raise ValidationError({"decision": _("请选择审核结论：通过、退回补正或不予支持。")})
    # The policy row lock serialises approvals against its budget (and against a match run's commitment).
    Policy.objects.select_for_update().get(pk=application.policy_id)
    application = (Application.objects.select_for_update()
                   .select_related("policy", "clause", "enterprise", "zone").get(pk=application.pk))
    if application.status != ApplicationStatus.SUBMITTED:
        raise ValidationError(_("该申请状态为“%(status)s”，只有已提交的申请可以审核。") % {
            "status": application.get_status_display()})
    note = str(note or "").strip()
    if len(note) > NOTE_MAX_CHARS:
        raise ValidationError({"note": _("审核意见最多 %(max)s 字。") % {"max": NOTE_MAX_CHARS}})
    now = timezone.now()
    if decision in ("return", "reject"):
        if not note:
            raise ValidationError({"note": _("退回补正或不予支持时，请填写审核意见，告诉企业原因或须补充的材料。")})
        status = ApplicationStatus.RETURNED if decision == "return" else ApplicationStatus.REJECTED
        message = (_("退回补正：%(note)s") if decision == "return" else _("不予支持：%(note)s")) % {"note": note}
        return audited_update(application, {"status": status, "review_note": note, "reviewed_at": now,
                                            "reviewed_by": user}, message=message)
    amount = _amount(amount_wan, field="amount_wan", label=_("核定金额"))
    problem = _limit_problem(amount, selectors.application_limits(application=application))
    if problem:
        raise ValidationError({"amount_wan": problem})
    award = selectors.live_award(clause=application.clause, enterprise_id=application.enterprise_id,
                                 year=application.year)
    if award is not None:
        raise ValidationError(_("该企业 %(year)s 年度已享受该条款（兑现状态：%(status)s），不能重复兑现。") % {
            "year": application.year, "status": award.get_status_display()})
    clause = application.clause
    audited_create(
        Award(zone_id=application.zone_id, policy_id=application.policy_id, clause=clause,
              enterprise_id=application.enterprise_id, year=application.year, source=AwardSource.APPLICATION,
              application=application, clause_version=clause.version, facts=_facts(application),
              raw_wan=amount, granted_wan=amount, amount_wan=amount, status=AwardStatus.APPROVED,
              account_name=application.account_name, bank_name=application.bank_name,
              account_number=application.account_number, contact=application.contact,
              reviewed_at=now, reviewed_by=user, review_note=note[:300],
              department_id=application.department_id),
        message=_("依申请审核通过，核定 %(amount)s 万元（申请 %(requested)s 万元）。") % {
            "amount": amount, "requested": application.requested_wan},
    )
    return audited_update(application, {"status": ApplicationStatus.APPROVED, "approved_wan": amount,
                                        "review_note": note, "reviewed_at": now, "reviewed_by": user},
                          message=_("审核通过，核定 %(amount)s 万元。") % {"amount": amount})
