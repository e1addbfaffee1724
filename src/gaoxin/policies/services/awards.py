"""The award flow after a match run's notice: 意愿确认 (the enterprise) → 审核 → 兑付 (the officer).

已推送 → 已确认 (the enterprise confirms with its bank account) or 已放弃 (it declines, with a reason);
已确认 → 已审核 (staff of the policy's department approve) or, from 已推送/已确认, 未通过 (rejected with a reason);
已审核 → 已兑付 (payment recorded with its date and voucher). Publicity and archive are in services.publicity.

The amount is never edited here: it is what the run (or the reviewed application) produced. A wrong amount
is rejected, the rule corrected and the year matched again — the closed award frees the clause and year.
Every transition is one audited update with a message saying what happened.
"""

import io
import unicodedata

import xlsxwriter
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.core.audit.models import SecurityEventKind
from gaoxin.core.audit.services import security_event_record
from gaoxin.core.imports.workbooks import HEADER, SAFE
from gaoxin.core.permissions import Role, can_write
from gaoxin.core.services import audited_update, require_write

from ..models import Award, AwardStatus
from ..selectors import publicity as publicity_selectors
from ..selectors.awards import mask_account
from ..selectors.publicity import ZONE_TIME

ACCOUNT_DIGITS_MIN, ACCOUNT_DIGITS_MAX = 8, 30
REASON_MAX_CHARS = 300  # Award.decline_reason and review_note
VOUCHER_MAX_CHARS = 100
BANK_FIELDS = {"account_name": 200, "bank_name": 200, "contact": 100}
BULK_ACTIONS = ("approve", "pay")


def _text(value) -> str:
    # free text keeps its full-width punctuation (，。：) as written; only the account number is normalised
    return str(value or "").strip()


def bank_account(data: dict) -> dict:
    """The bank data of a confirmation or an application, cleaned: every field required, the account number
    digits only (spaces as people write them are dropped), 8–30 digits. Raises a ValidationError per field."""
    cleaned, errors = {}, {}
    labels = {"account_name": _("开户名称"), "bank_name": _("开户银行"), "contact": _("经办人及电话")}
    for name, limit in BANK_FIELDS.items():
        value = _text(data.get(name))
        if not value:
            errors[name] = _("请填写%(label)s。") % {"label": labels[name]}
        elif len(value) > limit:
            errors[name] = _("%(label)s最多 %(max)s 个字符。") % {"label": labels[name], "max": limit}
        cleaned[name] = value
    # full-width digits typed with a Chinese input method count as digits
    number = "".join(unicodedata.normalize("NFKC", _text(data.get("account_number"))).split())
    if not number:
        errors["account_number"] = _("请填写银行账号。")
    elif not number.isdigit() or not ACCOUNT_DIGITS_MIN <= len(number) <= ACCOUNT_DIGITS_MAX:
        errors["account_number"] = _("银行账号须为 %(min)s 至 %(max)s 位数字（可用空格分隔），请核对后重新填写。") % {
            "min": ACCOUNT_DIGITS_MIN, "max": ACCOUNT_DIGITS_MAX}
    cleaned["account_number"] = number
    if errors:
        raise ValidationError(errors)
    return cleaned


def _reason(value, *, field: str, required_message: str) -> str:
    reason = _text(value)
    if not reason:
        raise ValidationError({field: required_message})
    if len(reason) > REASON_MAX_CHARS:
        raise ValidationError({field: _("最多 %(max)s 个字，当前 %(n)s 字。") % {
            "max": REASON_MAX_CHARS, "n": len(reason)}})
    return reason


def _locked(award: Award) -> Award:
    """The award re-read under a row lock: two people acting on one award are serialised."""
    return Award.objects.select_for_update().select_related("enterprise", "clause", "policy").get(pk=award.pk)


def _require_status(award: Award, *allowed: str, action: str) -> None:
    if award.status not in allowed:
        raise ValidationError(_("该兑现记录状态为“%(status)s”，不能%(action)s。") % {
            "status": award.get_status_display(), "action": action})


def _for_enterprise(*, user, award: Award) -> Award:
    """Only the enterprise user of the award's own enterprise may confirm or decline it."""
    if (user is None or not user.is_authenticated or user.role != Role.ENTERPRISE
            or not Award.objects.visible_to(user).filter(pk=award.pk).exists()):
        raise PermissionDenied(_("只有该企业的企业用户可以确认或放弃本企业的兑现。"))
    return _locked(award)


def _for_staff(*, user, award: Award) -> Award:
    require_write(user=user, model=Award, obj=award)
    return _locked(award)


@transaction.atomic
def award_confirm(*, user, award: Award, data: dict) -> Award:
    """意愿确认: the enterprise accepts a notified award and gives the account it is to be paid into."""
    award = _for_enterprise(user=user, award=award)
    _require_status(award, AwardStatus.NOTIFIED, action=_("确认"))
    bank = bank_account(data)
    message = _("企业确认领取：%(bank)s，账号尾号 %(tail)s。") % {"bank": bank["bank_name"],
                                                      "tail": bank["account_number"][-4:]}
    return audited_update(award, {**bank, "status": AwardStatus.CONFIRMED, "confirmed_at": timezone.now(),
                                  "confirmed_by": user}, message=message)


@transaction.atomic
def award_decline(*, user, award: Award, reason: str) -> Award:
    """The enterprise declines a notified award (the clause and year are free again)."""
    award = _for_enterprise(user=user, award=award)
    _require_status(award, AwardStatus.NOTIFIED, action=_("放弃"))
    reason = _reason(reason, field="reason", required_message=_("请填写放弃原因。"))
    return audited_update(award, {"status": AwardStatus.DECLINED, "decline_reason": reason},
                          message=_("企业放弃：%(reason)s") % {"reason": reason})


@transaction.atomic
def award_reply_record(*, user, award: Award, accept: bool, data: dict | None = None, reason: str = "",
                       note: str) -> Award:
    """帮办代办: staff record the reply an enterprise without a platform account sent on paper (a stamped
    confirmation with its bank account, or a statement declining). `note` names that document; the audit
    trail shows who recorded it."""
    award = _for_staff(user=user, award=award)
    _require_status(award, AwardStatus.NOTIFIED, action=_("登记企业回复"))
    note = _reason(note, field="note", required_message=_("请注明企业回复的依据，如“企业盖章确认函”。"))
    if accept:
        bank = bank_account(data or {})
        message = _("代企业登记确认（依据：%(note)s）：%(bank)s，账号尾号 %(tail)s。") % {
            "note": note, "bank": bank["bank_name"], "tail": bank["account_number"][-4:]}
        return audited_update(award, {**bank, "status": AwardStatus.CONFIRMED, "confirmed_at": timezone.now(),
                                      "confirmed_by": user}, message=message)
    reason = _reason(reason, field="reason", required_message=_("请填写放弃原因。"))
    return audited_update(award, {"status": AwardStatus.DECLINED, "decline_reason": reason},
                          message=_("代企业登记放弃（依据：%(note)s）：%(reason)s") % {"note": note, "reason": reason})


@transaction.atomic
def award_approve(*, user, award: Award, note: str = "") -> Award:
    """The officer approves a confirmed award (审核通过); the amount stays as produced."""
    award = _for_staff(user=user, award=award)
    _require_status(award, AwardStatus.CONFIRMED, action=_("审核通过（须企业先确认）"))
    note = _text(note)
    if len(note) > REASON_MAX_CHARS:
        raise ValidationError({"note": _("审核意见最多 %(max)s 个字。") % {"max": REASON_MAX_CHARS}})
    return audited_update(award, {"status": AwardStatus.APPROVED, "reviewed_at": timezone.now(), "reviewed_by": user,
                                  "review_note": note},
                          message=_("审核通过，兑现金额 %(amount)s 万元。%(note)s") % {
                              "amount": award.amount_wan, "note": note})


@transaction.atomic
def award_reject(*, user, award: Award, reason: str) -> Award:
    """The officer rejects a notified or confirmed award with a reason (e.g. a wrong amount: correct the rule
    and match again — the rejected award frees the clause and year)."""
    award = _for_staff(user=user, award=award)
    _require_status(award, AwardStatus.NOTIFIED, AwardStatus.CONFIRMED, action=_("审核不通过"))
    reason = _reason(reason, field="reason", required_message=_("请填写不通过的理由，企业可以看到。"))
    return audited_update(award, {"status": AwardStatus.REJECTED, "reviewed_at": timezone.now(),
                                  "reviewed_by": user, "review_note": reason},
                          message=_("审核不通过：%(reason)s") % {"reason": reason})


@transaction.atomic
def award_pay(*, user, award: Award, paid_on, voucher: str) -> Award:
    """Record the payment of an approved award: the date (not in the future, not before the approval) and
    the payment voucher number."""
    award = _for_staff(user=user, award=award)
    _require_status(award, AwardStatus.APPROVED, action=_("登记兑付（须先审核通过）"))
    errors = {}
    today = publicity_selectors.today()
    if paid_on is None:
        errors["paid_on"] = _("请填写兑付日期。")
    else:
        approved_on = timezone.localtime(award.reviewed_at, ZONE_TIME).date() if award.reviewed_at else None
        if paid_on > today:
            errors["paid_on"] = _("兑付日期 %(date)s 晚于今天（%(today)s），请填写实际支付的日期。") % {
                "date": paid_on.isoformat(), "today": today.isoformat()}
        elif approved_on and paid_on < approved_on:
            errors["paid_on"] = _("兑付日期 %(date)s 早于审核通过日期 %(approved)s。") % {
                "date": paid_on.isoformat(), "approved": approved_on.isoformat()}
    voucher = _text(voucher)
    if not voucher:
        errors["voucher"] = _("请填写支付凭证号。")
    elif len(voucher) > VOUCHER_MAX_CHARS:
        errors["voucher"] = _("支付凭证号最多 %(max)s 个字符。") % {"max": VOUCHER_MAX_CHARS}
    if errors:
        raise ValidationError(errors)
    return audited_update(award, {"status": AwardStatus.PAID, "paid_on": paid_on, "voucher": voucher},
                          message=_("已兑付 %(amount)s 万元，兑付日期 %(date)s，凭证号 %(voucher)s。") % {
                              "amount": award.amount_wan, "date": paid_on.isoformat(), "voucher": voucher})


@transaction.atomic
def awards_bulk(*, user, awards, action: str, paid_on=None, voucher=None, note: str = "") -> int:
    """Approve or pay many awards at once, all or nothing: if one cannot move, nothing moves and the error
    names the award. Returns how many moved."""
    if action not in BULK_ACTIONS:
        raise ValidationError(_("未知的批量操作：%(action)s。") % {"action": action})
    awards = sorted(awards, key=lambda a: a.pk)  # a fixed lock order, so two bulk actions cannot deadlock
    if not awards:
        raise ValidationError(_("请至少勾选一条兑现记录。"))
    for award in awards:
        try:
            if action == "approve":
                award_approve(user=user, award=award, note=note)
            else:
                award_pay(user=user, award=award, paid_on=paid_on, voucher=voucher)
        except ValidationError as exc:
            raise ValidationError(_("%(enterprise)s · %(clause)s（%(year)s年度）：%(reason)s 本次批量操作未做任何变更。") % {
                "enterprise": award.enterprise.name, "clause": award.clause.name, "year": award.year,
                "reason": " ".join(exc.messages)}) from None
        except PermissionDenied:
            raise PermissionDenied(_("您不能处理“%(enterprise)s · %(clause)s”这条兑现记录，本次批量操作未做任何变更。") % {
                "enterprise": award.enterprise.name, "clause": award.clause.name}) from None
    return len(awards)


# --- the download -------------------------------------------------------------------------------------------

def award_export_columns() -> list[str]:
    return [_("政策"), _("条款"), _("企业"), _("统一社会信用代码"), _("年度"), _("来源"), _("计算金额（万元）"),
            _("核定金额（万元）"), _("兑现金额（万元）"), _("核减说明"), _("状态"), _("开户银行"), _("账号"),
            _("兑付日期"), _("凭证号")]


def awards_workbook(*, user, awards) -> bytes:
    """The (filtered) award list as .xlsx. The account number is in full only for writers (staff, whose
    readable awards are exactly those they may change); anyone else gets the masked one. Recorded as an
    export security event."""
    full = can_write(user, Award)
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True, **SAFE})
    ws = wb.add_worksheet(_("兑现记录"))
    header = wb.add_format(HEADER)
    money = wb.add_format({"num_format": "#,##0.00"})
    text = wb.add_format({"num_format": "@"})
    date = wb.add_format({"num_format": "yyyy-mm-dd"})
    widths = (30, 24, 30, 22, 8, 10, 14, 14, 14, 30, 10, 24, 26, 12, 18)
    for col, (title, width) in enumerate(zip(award_export_columns(), widths, strict=True)):
        ws.write_string(0, col, title, header)
        ws.set_column(col, col, width)
    ws.freeze_panes(1, 0)
    count = 0
    for row, a in enumerate(awards, start=1):
        ws.write_string(row, 0, a.policy.name)
        ws.write_string(row, 1, a.clause.name)
        ws.write_string(row, 2, a.enterprise.name)
        ws.write_string(row, 3, a.enterprise.uscc, text)
        ws.write_number(row, 4, a.year)
        ws.write_string(row, 5, a.get_source_display())
        for col, value in ((6, a.raw_wan), (7, a.granted_wan), (8, a.amount_wan)):
            ws.write_number(row, col, float(value), money)
        ws.write_string(row, 9, a.note)
        ws.write_string(row, 10, a.get_status_display())
        ws.write_string(row, 11, a.bank_name)
        ws.write_string(row, 12, a.account_number if full else mask_account(a.account_number), text)
        if a.paid_on:
            ws.write_datetime(row, 13, a.paid_on, date)
        ws.write_string(row, 14, a.voucher)
        count = row
    wb.close()
    security_event_record(kind=SecurityEventKind.EXPORT, user=user, zone=user.zone,
                          detail=f"policy_awards: {count} 条, xlsx; 账号{'完整' if full else '脱敏'}")
    return out.getvalue()
