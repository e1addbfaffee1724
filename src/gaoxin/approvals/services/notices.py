"""The daily warnings scan and its notices, and the writes to a department's notification channels.

`notices_scan` (run by `gaoxin approvals scan`, cron-friendly and idempotent), per zone:

1. refreshes the clock of every open accepted item (受理 / 补正 / 特别程序) through the cases service
   `item_refresh_clock`, so that 正常 → 预警 → 逾期 follows the calendar without anyone touching the item;
2. an item whose clock is 预警 or 逾期 gets ONE Notice per (item, status, channel) — key
   "{item}:{status}", unique with the channel — for each active channel of the item's department. The same
   state never notifies twice, however often the scan runs; the next state (预警 → 逾期) notifies again;
3. open 容缺 obligations past their due date are marked missed through the cases service
   (`obligation_resolve`, which terminates the item), and open 告知承诺 verifications that are due (within
   the warning share of their period, or past it) notify the department — key "{item}:核查{obligation}:
   {status}";
4. sends every pending notice, and retries failed ones, up to `GAOXIN_NOTIFY_TRIES` (3) tries per scan with
   a doubling backoff starting at `GAOXIN_NOTIFY_BACKOFF` seconds, and at most `GAOXIN_NOTIFY_MAX_ATTEMPTS`
   (10) attempts in total. Each attempt is counted on the row before it is made (a compare-and-set on
   `attempts`), so two overlapping scans never send the same notice twice.

Steps 1–3 of a zone run in one transaction; sending happens outside it (no database lock held across the
network). A dry run does steps 1–3 and rolls them back: the counts of what a real run would do, nothing
written, nothing sent.

Notices are their own record (what was sent, when, how often tried, the last error), so the scan writes no
audit rows of its own; it logs a plain line per delivery to the `gaoxin.approvals.notices` logger.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import time
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.accounts.models import Zone
from gaoxin.core.audit.models import ChangeAction
from gaoxin.core.audit.services import change_record, snapshot
from gaoxin.core.calendar import work_calendar
from gaoxin.core.permissions import Role
from gaoxin.core.workcal import WorkCalendar

from ..models import (
    ChannelKind,
    ClockStatus,
    ItemInstance,
    ItemState,
    Notice,
    NoticeStatus,
    NotificationChannel,
    Obligation,
    ObligationKind,
    ObligationStatus,
)
from ..notifier import DeliveryError, NoticeMessage, Notifier, Target
from .cases import item_refresh_clock, obligation_resolve  # the cases service owns clocks and obligations

logger = logging.getLogger("gaoxin.approvals.notices")

OPEN_STATES = (ItemState.ACCEPTED, ItemState.CORRECTION, ItemState.SPECIAL)
ALERT_STATUSES = (ClockStatus.WARNING, ClockStatus.OVERDUE)
DEFAULT_TRIES = 3
DEFAULT_BACKOFF = 1.0
DEFAULT_MAX_ATTEMPTS = 10


# --- the scan --------------------------------------------------------------------------------------------

@dataclass
class ZoneScan:
    zone: Zone
    today: dt.date
    checked: int = 0
    warning: int = 0
    overdue: int = 0
    created: int = 0
    sent: int = 0
    failed: int = 0
    missed: int = 0  # 容缺 obligations found past due (items terminated)
    verifications: int = 0  # 告知承诺 verifications due or overdue
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return _("%(code)s %(name)s（%(date)s）：检查在办事项 %(checked)s 个，预警 %(warning)s 个，逾期 %(overdue)s 个，"
                 "容缺逾期未补 %(missed)s 个，待核查承诺 %(verifications)s 个；新建通知 %(created)s 条，发送成功 %(sent)s 条，"
                 "发送失败 %(failed)s 条") % {
            "code": self.zone.code, "name": self.zone.name, "date": self.today.isoformat(), "checked": self.checked,
            "warning": self.warning, "overdue": self.overdue, "missed": self.missed,
            "verifications": self.verifications, "created": self.created, "sent": self.sent, "failed": self.failed}


@dataclass
class ScanResult:
    today: dt.date
    dry_run: bool = False
    zones: list[ZoneScan] = field(default_factory=list)

    def total(self, name: str) -> int:
        return sum(getattr(z, name) for z in self.zones)


def _setting(name: str, default):
    return getattr(settings, name, default)


def notices_scan(*, zone: Zone | None = None, today: dt.date | None = None, sender=None, dry_run: bool = False,
                 backoff: float | None = None) -> ScanResult:
    """Scan one zone (or every zone), create the notices that are due and send what is pending.

    `sender` is anything with `send(target, message)` raising DeliveryError (default: a Notifier over the
    configured backends). A trusted system operation: no user, no permission check (the command is run by
    the server's operator).
    """
    today = today or timezone.localdate()
    sender = sender if sender is not None else Notifier()
    calendar = work_calendar()
    zones = [zone] if zone is not None else list(Zone.objects.order_by("code"))
    result = ScanResult(today=today, dry_run=dry_run)
    for z in zones:
        scan = ZoneScan(zone=z, today=today)
        with transaction.atomic():
            _check_zone(scan, calendar)
            if dry_run:
                transaction.set_rollback(True)
        if not dry_run:
            notices_deliver(zone=z, sender=sender, backoff=backoff, into=scan)
        result.zones.append(scan)
    return result


def _check_zone(scan: ZoneScan, calendar: WorkCalendar) -> None:
    zone, today = scan.zone, scan.today
    channels = _active_channels(zone)
    # Missed supplements first: an item terminated for it is no longer open and gets no clock warning.
    _missed_obligations(scan)
    alerts: list[tuple[ItemInstance, str]] = []
    items = (ItemInstance.objects.filter(zone=zone, state__in=OPEN_STATES, accepted_on__isnull=False)
             .select_related("case", "department", "case__project", "case__enterprise")
             .prefetch_related("segments"))  # the clock reads every segment of every item
    for item in _in_chunks(items):
        item_refresh_clock(item, today=today, calendar=calendar)
        scan.checked += 1
        if item.clock_status == ClockStatus.WARNING:
            scan.warning += 1
        elif item.clock_status == ClockStatus.OVERDUE:
            scan.overdue += 1
        else:
            continue
        alerts.append((item, item.clock_status))

    alerts_for_verifications = _due_verifications(scan, calendar)

    wanted = []  # (item, status, key, message)
    for item, status in alerts:
        wanted.append((item, status, f"{item.pk}:{status}", _item_message(item, status, today, calendar)))
    for obligation, status in alerts_for_verifications:
        item = obligation.item
        wanted.append((item, status, f"{item.pk}:核查{obligation.pk}:{status}",
                       _verification_message(obligation, status, today, calendar)))
    if not wanted:
        return
    item_ids = [w[0].pk for w in wanted]
    existing = set()
    for start in range(0, len(item_ids), 5000):
        existing |= set(Notice.objects.filter(item_id__in=item_ids[start:start + 5000])
                        .values_list("key", "channel_id"))
    new = []
    for item, status, key, message in wanted:
        for channel in channels.get(item.department_id, ()):
            if (key, channel.pk) in existing:
                continue
            new.append(Notice(zone=zone, item=item, channel=channel, kind=channel.kind, target=channel.target,
                              key=key, clock_status=status, payload=message.as_dict()))
    Notice.objects.bulk_create(new, batch_size=1000)
    scan.created += len(new)


def _in_chunks(queryset, size: int = 2000):
    """Rows by ascending id, a chunk at a time: the loop writes to the table it reads, which a live cursor
    on SQLite would see (and which would hold a cursor open across the writes elsewhere)."""
    last = 0
    while True:
        chunk = list(queryset.filter(id__gt=last).order_by("id")[:size])
        yield from chunk
        if len(chunk) < size:
            return
        last = chunk[-1].pk


def _active_channels(zone: Zone) -> dict[int, list[NotificationChannel]]:
    channels: dict[int, list[NotificationChannel]] = defaultdict(list)
    for channel in NotificationChannel.objects.filter(zone=zone, is_active=True).order_by("id"):
        channels[channel.department_id].append(channel)
    return channels


def _missed_obligations(scan: ZoneScan) -> None:
    """Open 容缺 supplements past their due date (the due day itself still counts as in time)."""
    missed = (Obligation.objects.filter(item__zone=scan.zone, kind=ObligationKind.RONGQUE,
                                        status=ObligationStatus.OPEN, due_on__lt=scan.today)
              .select_related("item").order_by("due_on", "id"))
    for obligation in missed:
        try:
            with transaction.atomic():
                obligation_resolve(user=None, obligation=obligation, outcome=ObligationStatus.MISSED, on=scan.today,
                                   note=_("补正期限 %(due)s 已过，定时扫描标记为逾期未补。") % {
                                       "due": obligation.due_on.isoformat()})
        except (ValidationError, PermissionDenied, ValueError) as exc:
            # One refused obligation (e.g. an item already withdrawn) must not stop the zone's scan.
            message = "; ".join(getattr(exc, "messages", [str(exc)]))
            scan.errors.append(f"{obligation.item}: {message}")
            logger.warning("approvals scan: obligation %s not marked missed: %s", obligation.pk, message)
            continue
        scan.missed += 1


def _remaining(calendar: WorkCalendar, today: dt.date, due: dt.date) -> int:
    """Working days from today (excluded) to due (included); negative when due is past."""
    return calendar.workdays_between(today, due, provisional=True).value


def _due_verifications(scan: ZoneScan, calendar: WorkCalendar) -> list[tuple[Obligation, str]]:
    """Open 告知承诺 verifications in the last ceil(warn_ratio × period) working days (预警) or past due (逾期)."""
    found = []
    open_ones = (Obligation.objects.filter(item__zone=scan.zone, kind=ObligationKind.VERIFICATION,
                                           status=ObligationStatus.OPEN)
                 .select_related("item", "item__case", "item__case__catalog", "item__item_def", "item__department")
                 .order_by("due_on", "id"))
    for obligation in open_ones:
        item = obligation.item
        if scan.today > obligation.due_on:
            status = ClockStatus.OVERDUE
        else:
            period = item.item_def.commitment_verify_wd
            if period is None and item.decided_on:
                period = max(_remaining(calendar, item.decided_on, obligation.due_on), 0)
            ratio = Decimal(item.case.catalog.warn_ratio)
            threshold = math.ceil(ratio * (period or 0))
            if _remaining(calendar, scan.today, obligation.due_on) > threshold:
                continue
            status = ClockStatus.WARNING
        found.append((obligation, status))
    scan.verifications += len(found)
    return found


def _site_url(path: str) -> str:
    """An absolute link when the deployment says where it lives (GAOXIN_SITE_URL), else the path."""
    return (_setting("GAOXIN_SITE_URL", "") or "").rstrip("/") + path


def _case_lines(item: ItemInstance) -> list[str]:
    case = item.case
    lines = [_("办件：%(code)s %(title)s") % {"code": case.code, "title": case.title},
             _("事项：%(name)s（%(department)s）") % {"name": item.name, "department": item.department.name}]
    if case.project_id:
        lines.append(_("项目：%(name)s") % {"name": case.project.name})
    elif case.enterprise_id:
        lines.append(_("企业：%(name)s") % {"name": case.enterprise.name})
    return lines


def _item_message(item: ItemInstance, status: str, today: dt.date, calendar: WorkCalendar) -> NoticeMessage:
    head = _("【审批逾期】") if status == ClockStatus.OVERDUE else _("【审批预警】")
    lines = _case_lines(item)
    lines.append(_("受理日期：%(accepted)s；时限 %(limit)s 个工作日%(extension)s") % {
        "accepted": item.accepted_on.isoformat(), "limit": item.limit_wd,
        "extension": _("（已延长 %(n)s 个工作日）") % {"n": item.extension_wd} if item.extension_wd else ""})
    if item.due_on:
        left = _remaining(calendar, today, item.due_on)
        if left < 0:
            when = _("已逾期 %(n)s 个工作日") % {"n": -left}
        else:
            when = _("剩余 %(n)s 个工作日") % {"n": left}
        lines.append(_("到期日期：%(due)s，%(when)s") % {"due": item.due_on.isoformat(), "when": when})
    if item.state != ItemState.ACCEPTED:
        lines.append(_("当前状态：%(state)s（计时暂停）") % {"state": item.get_state_display()})
    lines.append(_("时限状态：%(status)s（%(date)s 扫描）") % {"status": status, "date": today.isoformat()})
    return NoticeMessage(title=f"{head}{item.case.code} {item.name}", lines=tuple(lines),
                         url=_site_url(item.get_absolute_url()))


def _verification_message(obligation: Obligation, status: str, today: dt.date,
                          calendar: WorkCalendar) -> NoticeMessage:
    item = obligation.item
    head = _("【承诺核查逾期】") if status == ClockStatus.OVERDUE else _("【承诺核查提醒】")
    lines = _case_lines(item)
    lines.append(_("核查内容：%(subject)s") % {"subject": obligation.subject})
    if obligation.method:
        lines.append(_("核查方式：%(method)s") % {"method": obligation.method})
    left = _remaining(calendar, today, obligation.due_on)
    when = _("已逾期 %(n)s 个工作日") % {"n": -left} if left < 0 else _("剩余 %(n)s 个工作日") % {"n": left}
    lines.append(_("核查期限：%(due)s，%(when)s") % {"due": obligation.due_on.isoformat(), "when": when})
    return NoticeMessage(title=f"{head}{item.case.code} {item.name}", lines=tuple(lines),
                         url=_site_url(item.get_absolute_url()))


# --- sending ---------------------------------------------------------------------------------------------

def notices_deliver(*, zone: Zone | None = None, sender=None, backoff: float | None = None,
                    into: ZoneScan | None = None) -> tuple[int, int]:
    """Send the zone's pending notices and retry its failed ones (within the attempt limits).

    Returns (sent, failed); with `into`, adds them to that ZoneScan as well.
    """
    sender = sender if sender is not None else Notifier()
    tries = int(_setting("GAOXIN_NOTIFY_TRIES", DEFAULT_TRIES))
    limit = int(_setting("GAOXIN_NOTIFY_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS))
    pause = float(_setting("GAOXIN_NOTIFY_BACKOFF", DEFAULT_BACKOFF) if backoff is None else backoff)
    todo = (Notice.objects.filter(status__in=(NoticeStatus.PENDING, NoticeStatus.FAILED), attempts__lt=limit,
                                  channel__is_active=True)
            .select_related("channel").order_by("id"))
    if zone is not None:
        todo = todo.filter(zone=zone)
    sent = failed = 0
    for notice in todo:
        if _deliver_one(notice, sender, tries=min(tries, limit - notice.attempts), pause=pause):
            sent += 1
        else:
            failed += 1
    if into is not None:
        into.sent += sent
        into.failed += failed
    return sent, failed


def _deliver_one(notice: Notice, sender, *, tries: int, pause: float) -> bool:
    channel = notice.channel
    # A corrected address or secret on the channel applies to the retries of its earlier notices.
    target = Target(kind=channel.kind, address=channel.target, secret=channel.secret)
    message = NoticeMessage.from_dict(notice.payload)
    error = ""
    for attempt in range(tries):
        claimed = Notice.objects.filter(pk=notice.pk, attempts=notice.attempts,
                                        status__in=(NoticeStatus.PENDING, NoticeStatus.FAILED)
                                        ).update(attempts=F("attempts") + 1, target=target.address)
        if not claimed:
            return False  # another scan took it (or it was sent meanwhile)
        notice.attempts += 1
        try:
            sender.send(target, message)
        except DeliveryError as exc:
            error = str(exc)
        except Exception as exc:  # a faulty backend must not stop the scan of every other notice
            logger.exception("approvals notice %s: backend error", notice.pk)
            error = _("发送程序出错：%(error)s") % {"error": exc}
        else:
            Notice.objects.filter(pk=notice.pk).update(status=NoticeStatus.SENT, sent_at=timezone.now(),
                                                       last_error="")
            logger.info("approvals notice %s sent to %s %s (attempt %s)", notice.pk, target.kind,
                        notice.channel_id, notice.attempts)
            return True
        Notice.objects.filter(pk=notice.pk).update(last_error=error[:500])
        logger.info("approvals notice %s attempt %s failed: %s", notice.pk, notice.attempts, error)
        if attempt + 1 < tries and pause > 0:
            time.sleep(pause * 2 ** attempt)
    Notice.objects.filter(pk=notice.pk).update(status=NoticeStatus.FAILED, last_error=error[:500])
    # One line per notice left undelivered by this scan (the attempts are on the row), not one per try.
    logger.warning("approvals notice %s not delivered after %s attempts: %s", notice.pk, notice.attempts, error)
    return False


# --- channels --------------------------------------------------------------------------------------------

CHANNEL_FIELDS = ("kind", "target", "secret", "is_active")


def can_manage_channels(user) -> bool:
    """Department staff manage their own department's channels; leaders only read them."""
    return bool(user is not None and user.is_authenticated and user.is_active
                and user.role == Role.DEPARTMENT_STAFF and user.zone_id and user.department_id)


def _require_channel_owner(user, channel: NotificationChannel | None = None) -> None:
    if not can_manage_channels(user):
        raise PermissionDenied(_("只有部门工作人员可以管理本部门的通知渠道。"))
    if channel is not None and (channel.zone_id != user.zone_id or channel.department_id != user.department_id):
        raise PermissionDenied(_("只能管理本部门的通知渠道。"))


def _clean_channel(channel: NotificationChannel) -> None:
    errors = {}
    channel.target = (channel.target or "").strip()
    channel.secret = (channel.secret or "").strip()
    if channel.kind not in ChannelKind.values:
        errors["kind"] = _("请选择渠道：%(kinds)s。") % {"kinds": "、".join(str(label) for label in ChannelKind.labels)}
    elif channel.kind == ChannelKind.EMAIL:
        try:
            EmailValidator()(channel.target)
        except ValidationError:
            errors["target"] = _("“%(value)s”不是有效的邮箱地址。") % {"value": channel.target}
    else:
        try:
            URLValidator(schemes=["http", "https"])(channel.target)
        except ValidationError:
            errors["target"] = _("群机器人的 Webhook 地址须是以 http:// 或 https:// 开头的完整网址，"
                                 "例如 https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…")
    if channel.secret and channel.kind != ChannelKind.DINGTALK:
        errors["secret"] = _("只有钉钉群机器人使用加签密钥；其他渠道请留空。")
    if errors:
        raise ValidationError(errors)
    channel.full_clean()


def _audit_channel(channel: NotificationChannel, action: str, before: dict | None, message: str) -> None:
    # The 加签 secret is a credential: the trail says that it changed (message), never what it is.
    channel.audit_exclude = ("updated_at", "secret")
    change_record(obj=channel, action=action, before=before, message=message)


@transaction.atomic
def channel_create(*, user, data: dict, message: str = "") -> NotificationChannel:
    _require_channel_owner(user)
    channel = NotificationChannel(zone_id=user.zone_id, department_id=user.department_id,
                                  **{k: v for k, v in data.items() if k in CHANNEL_FIELDS})
    _clean_channel(channel)
    channel.save()
    _audit_channel(channel, ChangeAction.CREATE, None, message or _("新增通知渠道"))
    return channel


@transaction.atomic
def channel_update(*, user, channel: NotificationChannel, data: dict, message: str = "") -> NotificationChannel:
    _require_channel_owner(user, channel)
    channel.audit_exclude = ("updated_at", "secret")
    before = snapshot(channel)
    old_secret = channel.secret
    for key, value in data.items():
        if key in CHANNEL_FIELDS:
            setattr(channel, key, value)
    _clean_channel(channel)
    secret_changed = channel.secret != old_secret
    if snapshot(channel) == before and not secret_changed:
        return channel
    channel.save()
    note = message or _("修改通知渠道")
    if secret_changed:
        note = f"{note}（{_('加签密钥已更改')}）"
    _audit_channel(channel, ChangeAction.UPDATE, before, note)
    return channel


@transaction.atomic
def channel_delete(*, user, channel: NotificationChannel, message: str = "") -> None:
    """Delete a channel; its notices stay (their channel becomes empty) as the record of what was sent."""
    _require_channel_owner(user, channel)
    channel.audit_exclude = ("updated_at", "secret")
    before = snapshot(channel)
    pk = channel.pk
    channel.delete()
    channel.pk = pk
    change_record(obj=channel, action=ChangeAction.DELETE, before=before, message=message or _("删除通知渠道"))


def channel_test(*, user, channel: NotificationChannel, sender=None) -> None:
    """Send a test message now (nothing recorded as a Notice); DeliveryError carries the reason."""
    _require_channel_owner(user, channel)
    sender = sender if sender is not None else Notifier()
    sender.send(Target(kind=channel.kind, address=channel.target, secret=channel.secret), NoticeMessage(
        title=_("【测试】审批预警通知渠道"),
        lines=(_("这是一条测试消息：%(department)s的审批预警将发送到本渠道。") % {"department": channel.department.name},
               _("发送人：%(user)s") % {"user": user.display_name or user.username}),
        url=_site_url("/approvals/notices/")))


__all__ = [
    "ScanResult", "ZoneScan", "can_manage_channels", "channel_create", "channel_delete", "channel_test",
    "channel_update", "notices_deliver", "notices_scan",
]
