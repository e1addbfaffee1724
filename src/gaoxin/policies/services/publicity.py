"""公示归档: publish the paid awards of a policy for a window of calendar days, then archive them.

A publicity takes every 已兑付 award of the policy that no publicity lists yet (they become 公示中); once the
window is over (today > end) it is archived and its awards with it (已归档).
"""

import datetime as dt
import io

import xlsxwriter
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.core.audit.models import ChangeAction, SecurityEventKind
from gaoxin.core.audit.services import change_record_many, security_event_record, snapshot
from gaoxin.core.imports.workbooks import HEADER, SAFE
from gaoxin.core.services import audited_create, audited_update, require_write

from ..models import Award, AwardStatus, Policy, Publicity, PublicityStatus
from ..selectors import publicity as selectors

DAYS_MIN, DAYS_MAX, DAYS_DEFAULT = 5, 30, 7
TITLE_MAX_CHARS = 200


def publicity_end(start: dt.date, days: int) -> dt.date:
    """The last day of a window of `days` calendar days that starts on `start` (both days included)."""
    return start + dt.timedelta(days=days - 1)


def default_title(*, policy: Policy, years: list[int]) -> str:
    year = "、".join(str(y) for y in years) if years else str(selectors.today().year)
    return _("《%(policy)s》%(year)s年度兑现结果公示") % {"policy": policy.name, "year": year}


def _move(awards: list[Award], data: dict, *, message: str) -> None:
    """One status change of many awards: a single UPDATE and one audit row each."""
    befores = [snapshot(a) for a in awards]
    now = timezone.now()
    Award.objects.filter(pk__in=[a.pk for a in awards]).update(**data, updated_at=now)
    for award in awards:
        for name, value in data.items():
            setattr(award, name, value)
    change_record_many([(a, ChangeAction.UPDATE, b) for a, b in zip(awards, befores, strict=True)], message=message)


@transaction.atomic
def publicity_create(*, user, policy: Policy, title: str, start: dt.date | None = None,
                     days: int = DAYS_DEFAULT) -> Publicity:
    """Publish every paid award of the policy not yet published, from `start` (default today, not earlier)
    for `days` calendar days (5–30)."""
    require_write(user=user, model=Policy, obj=policy)
    require_write(user=user, model=Publicity)
    policy = Policy.objects.select_for_update().get(pk=policy.pk)
    errors = {}
    title = str(title or "").strip()
    if not title:
        errors["title"] = _("请填写公示标题。")
    elif len(title) > TITLE_MAX_CHARS:
        errors["title"] = _("公示标题最多 %(max)s 个字。") % {"max": TITLE_MAX_CHARS}
    try:
        days = int(days)
    except (TypeError, ValueError):
        errors["days"] = _("公示天数须为整数。")
    else:
        if not DAYS_MIN <= days <= DAYS_MAX:
            errors["days"] = _("公示天数须在 %(min)s 至 %(max)s 天之间（自然日）。") % {"min": DAYS_MIN, "max": DAYS_MAX}
    today = selectors.today()
    start = start or today
    if start < today:
        errors["start"] = _("公示开始日期不能早于今天（%(today)s）。") % {"today": today.isoformat()}
    if errors:
        raise ValidationError(errors)
    awards = list(selectors.awards_awaiting_publicity(policy=policy).select_for_update(of=("self",)))
    if not awards:
        raise ValidationError(_("该政策没有待公示的兑现记录：只有已兑付且尚未公示的记录才能公示。"))
    end = publicity_end(start, days)
    publicity = audited_create(
        Publicity(zone_id=policy.zone_id, policy=policy, title=title, start=start, end=end,
                  department_id=policy.department_id),
        message=_("发布公示：%(n)s 条兑现记录，公示期 %(start)s 至 %(end)s，共 %(days)s 天。") % {
            "n": len(awards), "start": start.isoformat(), "end": end.isoformat(), "days": days},
    )
    _move(awards, {"status": AwardStatus.PUBLICITY, "publicity_id": publicity.pk},
          message=_("列入公示：%(title)s。") % {"title": title})
    return publicity


@transaction.atomic
def publicity_archive(*, user, publicity: Publicity) -> Publicity:
    """Archive a publicity whose window is over: it and its awards become 已归档."""
    require_write(user=user, model=Publicity, obj=publicity)
    publicity = Publicity.objects.select_for_update().get(pk=publicity.pk)
    window = selectors.publicity_window(publicity=publicity)
    if not window.can_archive:
        raise ValidationError(window.archive_problem)
    awards = list(Award.objects.select_for_update(of=("self",)).select_related("enterprise", "clause")
                  .filter(publicity=publicity, status=AwardStatus.PUBLICITY))
    _move(awards, {"status": AwardStatus.ARCHIVED}, message=_("公示期满，归档。"))
    return audited_update(publicity, {"status": PublicityStatus.ARCHIVED, "archived_at": timezone.now()},
                          message=_("公示期满，归档 %(n)s 条兑现记录。") % {"n": len(awards)})


def publicity_workbook(*, user, publicity: Publicity) -> bytes:
    """The 公示名单 as .xlsx (序号, 企业名称, 统一社会信用代码, 条款, 兑现金额, and the total); recorded as an export."""
    rows = selectors.publicity_rows(publicity=publicity)
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True, **SAFE})
    ws = wb.add_worksheet(_("公示名单"))
    title_format = wb.add_format({"bold": True, "font_size": 13})
    header = wb.add_format(HEADER)
    money = wb.add_format({"num_format": "#,##0.00"})
    bold_money = wb.add_format({"num_format": "#,##0.00", "bold": True})
    text = wb.add_format({"num_format": "@"})
    ws.write_string(0, 0, publicity.title, title_format)
    ws.write_string(1, 0, _("公示期：%(start)s 至 %(end)s；金额单位：万元。") % {
        "start": publicity.start.isoformat(), "end": publicity.end.isoformat()})
    for col, (name, width) in enumerate(((_("序号"), 6), (_("企业名称"), 36), (_("统一社会信用代码"), 22),
                                         (_("条款"), 30), (_("兑现金额（万元）"), 16))):
        ws.write_string(2, col, name, header)
        ws.set_column(col, col, width)
    ws.freeze_panes(3, 0)
    row = 3
    for number, award in enumerate(rows, start=1):
        ws.write_number(row, 0, number)
        ws.write_string(row, 1, award.enterprise.name)
        ws.write_string(row, 2, award.enterprise.uscc, text)
        ws.write_string(row, 3, award.clause.name)
        ws.write_number(row, 4, float(award.amount_wan), money)
        row += 1
    ws.write_string(row, 0, _("合计"))
    ws.write_string(row, 1, _("%(n)s 家次") % {"n": len(rows)})
    ws.write_number(row, 4, float(selectors.publicity_total(rows)), bold_money)
    wb.close()
    security_event_record(kind=SecurityEventKind.EXPORT, user=user, zone=user.zone,
                          detail=f"policy_publicity {publicity.pk}: {len(rows)} 条, xlsx")
    return out.getvalue()
