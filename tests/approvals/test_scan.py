"""The daily scan: one notice per item and clock state per channel, sent to a local webhook receiver and
through Django's locmem mail backend; retries, idempotence, 预警 → 逾期, 容缺 missed, 告知承诺 due, dry run,
and the `gaoxin approvals scan` command.

Dates (tests/approvals/cases_data.py, around 2025 National Day): at TODAY = 2025-10-20 the open accepted items
are social/land_planning 预警 (due 10-20), social/eia_report 正常 (due 10-23), low_risk/low_risk_permit 逾期
(due 09-30) and bundle/tax_info_change 逾期 (即办, due 10-09); social/site holds a 容缺 obligation due 09-09.
"""

import base64
import datetime as dt
import hashlib
import hmac
import io
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from gaoxin.approvals.models import (
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
from gaoxin.approvals.notifier import DeliveryError
from gaoxin.approvals.services.cases import item_act
from gaoxin.approvals.services.notices import notices_scan

from .cases_data import TODAY, build_cases
from .webhook_server import WebhookServer

D = dt.date
SECRET = "SECtest-secret-0123456789"


@pytest.fixture
def robot():
    with WebhookServer() as server:
        yield server


@pytest.fixture
def fast(settings):
    settings.GAOXIN_NOTIFY_BACKOFF = 0
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.GAOXIN_SITE_URL = "https://gaoxin.zone.example"
    return settings


@pytest.fixture
def data(world, robot, fast):
    data = build_cases(world)
    zone, depts = world.zone, data.depts
    data.channels = {
        "wecom": NotificationChannel.objects.create(zone=zone, department=depts["jsj"], kind="wecom",
                                                    target=robot.url("/wecom?key=jsj-key")),
        "dingtalk": NotificationChannel.objects.create(zone=zone, department=depts["jsj"], kind="dingtalk",
                                                       target=robot.url("/dingtalk?access_token=jsj"),
                                                       secret=SECRET),
        "email": NotificationChannel.objects.create(zone=zone, department=depts["zwzx"], kind="email",
                                                    target="zwzx@zone.example"),
        # inactive, and another department without items in warning: neither gets anything
        "off": NotificationChannel.objects.create(zone=zone, department=depts["jsj"], kind="wecom",
                                                  target=robot.url("/off"), is_active=False),
        "gfj": NotificationChannel.objects.create(zone=zone, department=depts["gfj"], kind="wecom",
                                                  target=robot.url("/gfj")),
    }
    return data


def keys(data, **filters):
    return sorted((n.item.case.code, n.item.code, n.clock_status, n.channel.kind)
                  for n in Notice.objects.filter(**filters).select_related("item__case", "channel"))


def test_first_scan_notifies_each_item_state_once_per_channel(data, robot):
    result = notices_scan(zone=data.world.zone, today=TODAY)
    [scan] = result.zones
    assert (scan.checked, scan.warning, scan.overdue) == (4, 1, 2)
    assert (scan.created, scan.sent, scan.failed, scan.missed) == (5, 5, 0, 1)
    assert keys(data) == [
        ("SP-BUNDLE", "tax_info_change", "逾期", "email"),
        ("SP-LOWRISK", "low_risk_permit", "逾期", "dingtalk"),
        ("SP-LOWRISK", "low_risk_permit", "逾期", "wecom"),
        ("SP-SOCIAL", "land_planning", "预警", "dingtalk"),
        ("SP-SOCIAL", "land_planning", "预警", "wecom"),
    ]
    for notice in Notice.objects.all():
        assert notice.status == NoticeStatus.SENT and notice.attempts == 1 and notice.sent_at
        assert notice.key == f"{notice.item_id}:{notice.clock_status}" and notice.last_error == ""
    # the clocks were refreshed as of the scan date
    assert data.item("social", "land_planning").clock_status == ClockStatus.WARNING
    assert data.item("social", "eia_report").clock_status == ClockStatus.NORMAL
    assert {r.path for r in robot.received} == {"/wecom", "/dingtalk"}  # not /off, not /gfj

    # WeCom: markdown content, the key stays in the URL
    wecom = robot.bodies("/wecom")
    assert len(wecom) == 2 and all(set(b) == {"msgtype", "markdown"} and b["msgtype"] == "markdown" for b in wecom)
    land = next(b["markdown"]["content"] for b in wecom if "建设用地规划许可证" in b["markdown"]["content"])
    assert land.startswith("### 【审批预警】SP-SOCIAL 建设用地规划许可证")
    assert "> 到期日期：2025-10-20，剩余 0 个工作日" in land
    item = data.item("social", "land_planning")
    assert f"[查看详情](https://gaoxin.zone.example/approvals/items/{item.pk}/)" in land
    assert all(r.query == {"key": "jsj-key"} for r in robot.received if r.path == "/wecom")

    # DingTalk: title + text, signed with the channel's secret
    for request in (r for r in robot.received if r.path == "/dingtalk"):
        assert request.body["msgtype"] == "markdown" and set(request.body["markdown"]) == {"title", "text"}
        assert request.body["markdown"]["text"].startswith("### " + request.body["markdown"]["title"])
        stamp = request.query["timestamp"]
        expected = base64.b64encode(hmac.new(SECRET.encode(), f"{stamp}\n{SECRET}".encode(),
                                             hashlib.sha256).digest()).decode()
        assert request.query["sign"] == expected and request.query["access_token"] == "jsj"
    overdue = next(r.body for r in robot.received if r.path == "/dingtalk" and "逾期" in r.body["markdown"]["title"])
    assert overdue["markdown"]["title"] == "【审批逾期】SP-LOWRISK 建设工程规划许可和施工许可（简易低风险合并办理）"
    assert "已逾期 9 个工作日" in overdue["markdown"]["text"]  # (09-30, 10-20]: 10-09, 10-10, 10-11 (make-up), 10-13…17, 10-20

    # e-mail through Django's mail (locmem)
    [email] = mail.outbox
    assert email.to == ["zwzx@zone.example"] and email.subject == "【审批逾期】SP-BUNDLE 税务登记信息变更"
    assert "办件：SP-BUNDLE" in email.body and "到期日期：2025-10-09，已逾期 8 个工作日" in email.body


def test_a_second_scan_the_same_or_a_later_day_creates_nothing_for_the_same_state(data, robot):
    notices_scan(zone=data.world.zone, today=TODAY)
    before = (Notice.objects.count(), len(robot.received), len(mail.outbox))
    [again] = notices_scan(zone=data.world.zone, today=TODAY).zones
    assert (again.created, again.sent, again.failed) == (0, 0, 0)
    assert (again.warning, again.overdue) == (1, 2)  # still reported in the summary
    assert (Notice.objects.count(), len(robot.received), len(mail.outbox)) == before
    # the whole zone scan, without naming it, is idempotent as well
    result = notices_scan(today=TODAY)
    assert result.total("created") == 0 and len(robot.received) == before[1]


def test_warning_then_overdue_gives_a_second_notice(data, robot):
    notices_scan(zone=data.world.zone, today=TODAY)
    first = Notice.objects.order_by("-id").first().pk
    # 10-21: land_planning passes its due date (预警 → 逾期); eia_report reaches 预警 (due 10-23: remaining 2 ≤
    # ceil(0.2 × 7) = 2); low_risk_permit and tax_info_change stay 逾期 (no new notice)
    [scan] = notices_scan(zone=data.world.zone, today=D(2025, 10, 21)).zones
    assert (scan.warning, scan.overdue, scan.created, scan.sent) == (1, 3, 4, 4)
    assert keys(data, id__gt=first) == [
        ("SP-SOCIAL", "eia_report", "预警", "dingtalk"),
        ("SP-SOCIAL", "eia_report", "预警", "wecom"),
        ("SP-SOCIAL", "land_planning", "逾期", "dingtalk"),
        ("SP-SOCIAL", "land_planning", "逾期", "wecom"),
    ]
    item = data.item("social", "land_planning")
    assert sorted(Notice.objects.filter(item=item).values_list("key", flat=True)) == \
        sorted([f"{item.pk}:预警"] * 2 + [f"{item.pk}:逾期"] * 2)
    assert len(robot.received) == 8 and len(mail.outbox) == 1


def test_a_missed_rongque_supplement_terminates_the_item_once(data):
    site = data.item("social", "site")
    obligation = Obligation.objects.get(item=site, kind=ObligationKind.RONGQUE)
    assert (site.state, site.certificate_held, obligation.status) == (ItemState.APPROVED_DEFICIENT, True, "待履行")
    [scan] = notices_scan(zone=data.world.zone, today=TODAY).zones
    assert scan.missed == 1 and scan.errors == []
    site.refresh_from_db()
    obligation.refresh_from_db()
    assert (site.state, site.certificate_held) == (ItemState.TERMINATED, False)
    assert (obligation.status, obligation.resolved_on) == (ObligationStatus.MISSED, TODAY)
    assert site.events.filter(kind="terminate", on=TODAY, actor=None).count() == 1
    [again] = notices_scan(zone=data.world.zone, today=TODAY).zones
    assert again.missed == 0 and site.events.filter(kind="terminate").count() == 1


def test_an_open_rongque_item_terminated_by_the_scan_gets_no_clock_notice(data):
    # utilities (政务服务中心, e-mail channel): 容缺 accepted 09-02, supplement due 09-05, never decided —
    # its clock would be 逾期 at TODAY, but the missed supplement terminates it first
    item_act(user=data.users["staff_zwzx"], item=data.item("social", "utilities"), action="accept",
             on=D(2025, 9, 2), mode="容缺", deferred=["建设工程规划许可证"], due=D(2025, 9, 5))
    [scan] = notices_scan(zone=data.world.zone, today=TODAY).zones
    assert scan.missed == 2 and scan.checked == 4
    assert data.item("social", "utilities").state == ItemState.TERMINATED
    assert not Notice.objects.filter(item=data.item("social", "utilities")).exists()
    assert [m.subject for m in mail.outbox] == ["【审批逾期】SP-BUNDLE 税务登记信息变更"]


def test_the_due_day_of_a_rongque_supplement_is_still_in_time(data):
    [scan] = notices_scan(zone=data.world.zone, today=D(2025, 9, 9)).zones
    assert scan.missed == 0
    assert Obligation.objects.get(kind=ObligationKind.RONGQUE).status == ObligationStatus.OPEN


def test_a_due_commitment_verification_notifies_the_department(data, robot):
    eia = data.item("social", "eia_report")
    item_act(user=data.users["staff_jsj"], item=eia, action="decide", on=TODAY, outcome="通过")
    verification = Obligation.objects.get(item=eia, kind=ObligationKind.VERIFICATION)
    # 20 working days after 10-20: 10-21…10-31 (9), 11-03…11-14 (10), 11-17 (20th)
    assert verification.due_on == D(2025, 11, 17)
    key = f"{eia.pk}:核查{verification.pk}:"
    # 11-10: 5 working days left > ceil(0.2 × 20) = 4 → nothing yet
    [scan] = notices_scan(zone=data.world.zone, today=D(2025, 11, 10)).zones
    assert scan.verifications == 0 and not Notice.objects.filter(key__startswith=key).exists()
    # 11-11: 4 left → a reminder (预警) to jsj's two channels
    [scan] = notices_scan(zone=data.world.zone, today=D(2025, 11, 11)).zones
    assert scan.verifications == 1
    assert sorted(Notice.objects.filter(key__startswith=key).values_list("key", "kind")) == [
        (key + "预警", "dingtalk"), (key + "预警", "wecom")]
    text = robot.bodies("/wecom")[-1]["markdown"]["content"]
    assert text.startswith("### 【承诺核查提醒】SP-SOCIAL 建设项目环境影响报告表审批")
    assert "核查期限：2025-11-17，剩余 4 个工作日" in text and "核查方式：书面核查、实地调查" in text
    # the due day itself: still 预警, nothing new; the day after: 逾期, notified once more
    notices_scan(zone=data.world.zone, today=D(2025, 11, 17))
    assert Notice.objects.filter(key__startswith=key).count() == 2
    notices_scan(zone=data.world.zone, today=D(2025, 11, 18))
    assert Notice.objects.filter(key=key + "逾期").count() == 2
    assert "【承诺核查逾期】" in robot.bodies("/wecom")[-1]["markdown"]["content"]


def test_a_failing_endpoint_is_retried_within_the_scan_then_by_the_next(data, robot, fast):
    robot.respond((500, {"errcode": 0}), path="/wecom")  # one failure, then OK
    robot.respond(*[(500, "boom")] * 20, path="/dingtalk")  # always failing
    [scan] = notices_scan(zone=data.world.zone, today=TODAY).zones
    assert (scan.created, scan.sent, scan.failed) == (5, 3, 2)
    wecom = Notice.objects.filter(kind="wecom")
    assert {(n.status, n.attempts, n.last_error) for n in wecom} == {(NoticeStatus.SENT, 1, ""),
                                                                    (NoticeStatus.SENT, 2, "")}
    dingtalk = list(Notice.objects.filter(kind="dingtalk"))
    assert all(n.status == NoticeStatus.FAILED and n.attempts == 3 and n.sent_at is None for n in dingtalk)
    assert all(n.last_error.startswith("HTTP 500") for n in dingtalk)
    assert len([r for r in robot.received if r.path == "/dingtalk"]) == 6  # 2 notices × 3 tries

    # the next scans retry the failed ones: 3 + 3 + 3 + 1 = 10 attempts at most, then they rest
    for expected in (6, 9, 10, 10):
        [scan] = notices_scan(zone=data.world.zone, today=TODAY).zones
        assert scan.created == 0
        assert [n.attempts for n in Notice.objects.filter(kind="dingtalk")] == [expected, expected]
    assert scan.failed == 0  # nothing was tried any more
    assert len([r for r in robot.received if r.path == "/dingtalk"]) == 20

    # a fixed endpoint and a fresh notice: retried and sent (failed ones are not forgotten below the limit)
    Notice.objects.filter(kind="dingtalk").update(attempts=8)
    [scan] = notices_scan(zone=data.world.zone, today=TODAY).zones
    assert scan.sent == 2 and set(Notice.objects.values_list("status", flat=True)) == {NoticeStatus.SENT}
    assert [n.attempts for n in Notice.objects.filter(kind="dingtalk")] == [9, 9]


def test_the_backoff_doubles_between_tries(data, robot, fast, monkeypatch):
    fast.GAOXIN_NOTIFY_BACKOFF = 0.5
    slept = []
    monkeypatch.setattr("gaoxin.approvals.services.notices.time.sleep", slept.append)
    robot.respond(*[(500, "boom")] * 3, path="/dingtalk")
    Notice.objects.all().delete()
    NotificationChannel.objects.exclude(kind="dingtalk").update(is_active=False)
    [scan] = notices_scan(zone=data.world.zone, today=TODAY).zones
    # two dingtalk notices: the first fails three times (sleeps 0.5, 1.0), the second succeeds at once
    assert (scan.sent, scan.failed) == (1, 1) and slept == [0.5, 1.0]


class Broken:
    def send(self, target, message):
        if target.kind == "email":
            raise RuntimeError("bug in a backend")
        if target.kind == "dingtalk":
            raise DeliveryError("拒绝")


def test_a_faulty_backend_fails_its_notices_without_stopping_the_scan(data):
    [scan] = notices_scan(zone=data.world.zone, today=TODAY, sender=Broken()).zones
    assert (scan.created, scan.sent, scan.failed) == (5, 2, 3)
    email = Notice.objects.get(kind="email")
    assert email.status == NoticeStatus.FAILED and "bug in a backend" in email.last_error
    assert set(Notice.objects.filter(kind="dingtalk").values_list("last_error", flat=True)) == {"拒绝"}


def test_a_new_channel_gets_the_current_states_and_a_changed_address_is_used_for_retries(data, robot):
    robot.respond(*[(500, "down")] * 3, path="/wecom")
    notices_scan(zone=data.world.zone, today=TODAY)
    failed = Notice.objects.get(kind="wecom", status=NoticeStatus.FAILED)
    channel = data.channels["wecom"]
    channel.target = robot.url("/wecom-new?key=new")
    channel.save()
    added = NotificationChannel.objects.create(zone=data.world.zone, department=data.depts["zwzx"], kind="wecom",
                                               target=robot.url("/zwzx"))
    [scan] = notices_scan(zone=data.world.zone, today=TODAY).zones
    assert scan.created == 1 and Notice.objects.get(channel=added).item.code == "tax_info_change"
    failed.refresh_from_db()
    assert failed.status == NoticeStatus.SENT and failed.target == robot.url("/wecom-new?key=new")
    assert [r.query for r in robot.received if r.path == "/wecom-new"] == [{"key": "new"}]


def test_dry_run_writes_nothing_and_sends_nothing(data, robot):
    before = {i.pk: (i.state, i.due_on, i.clock_status) for i in ItemInstance.objects.all()}
    result = notices_scan(zone=data.world.zone, today=TODAY, dry_run=True)
    [scan] = result.zones
    assert result.dry_run and (scan.checked, scan.warning, scan.overdue, scan.created, scan.missed) == (4, 1, 2, 5, 1)
    assert (scan.sent, scan.failed) == (0, 0)
    assert Notice.objects.count() == 0 and robot.received == [] and mail.outbox == []
    assert {i.pk: (i.state, i.due_on, i.clock_status) for i in ItemInstance.objects.all()} == before
    assert Obligation.objects.get(kind=ObligationKind.RONGQUE).status == ObligationStatus.OPEN


def test_other_zones_are_left_alone(data, world):
    result = notices_scan(zone=world.other_zone, today=TODAY)
    assert result.zones[0].checked == 0 and Notice.objects.count() == 0


# --- the command -----------------------------------------------------------------------------------------

def test_command_prints_one_summary_line_per_zone(data):
    out = io.StringIO()
    call_command("approvals", "scan", "--date", "2025-10-20", stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 2  # t1 and t2
    assert lines[0] == ("t1 测试高新区（2025-10-20）：检查在办事项 4 个，预警 1 个，逾期 2 个，容缺逾期未补 1 个，"
                        "待核查承诺 0 个；新建通知 5 条，发送成功 5 条，发送失败 0 条")
    assert lines[1].startswith("t2 另一园区（2025-10-20）：检查在办事项 0 个")


def test_command_dry_run_and_zone(data, robot):
    out = io.StringIO()
    call_command("approvals", "scan", "--zone", "t1", "--date", "2025-10-20", "--dry-run", stdout=out)
    [line] = out.getvalue().splitlines()
    assert line.startswith("［试运行，未写入、未发送］t1 ") and "新建通知 5 条，发送成功 0 条" in line
    assert Notice.objects.count() == 0 and robot.received == []


@pytest.mark.parametrize("args, message", [
    (["--date", "2025-13-01"], "日期“2025-13-01”格式错误，应为 YYYY-MM-DD。"),
    (["--date", "20251020"], "格式错误"),
    (["--zone", "nowhere"], "园区代码“nowhere”不存在。"),
])
def test_command_bad_input_exits_2(data, args, message):
    with pytest.raises(CommandError, match=message) as info:
        call_command("approvals", "scan", *args, stdout=io.StringIO())
    assert info.value.returncode == 2
    assert Notice.objects.count() == 0


def test_console_script_bad_date_exits_2_with_the_reason_on_stderr():
    gaoxin = Path(sys.executable).with_name("gaoxin")
    done = subprocess.run([str(gaoxin), "approvals", "scan", "--date", "2025-02-30"], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 2
    assert "日期“2025-02-30”格式错误" in done.stderr and done.stdout == ""
