"""The notices page and the channels page per role; channel writes through the page (validation, audit without
the secret, delete keeps the notices, a test message against the local webhook receiver)."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from gaoxin.approvals.models import Notice, NoticeStatus, NotificationChannel
from gaoxin.approvals.notifier import DeliveryError
from gaoxin.approvals.services.notices import channel_create, channel_update, notices_scan
from gaoxin.core.audit.models import ObjectChange

from .cases_data import TODAY, build_cases
from .webhook_server import WebhookServer

NOTICES = reverse("approvals:notice_list")
CHANNELS = reverse("approvals:channel_list")


class Recorder:
    """Delivers WeCom, refuses DingTalk: the page then shows both outcomes."""

    def send(self, target, message):
        if target.kind == "dingtalk":
            raise DeliveryError("HTTP 500: Internal Server Error")


@pytest.fixture
def data(world, settings):
    settings.GAOXIN_NOTIFY_BACKOFF = 0
    data = build_cases(world)
    zone, depts = world.zone, data.depts
    data.wecom = NotificationChannel.objects.create(
        zone=zone, department=depts["jsj"], kind="wecom",
        target="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693axxx-7aoc-4bc4-97a0-0ec2sifa5aaa")
    data.dingtalk = NotificationChannel.objects.create(zone=zone, department=depts["jsj"], kind="dingtalk",
                                                       target="https://oapi.dingtalk.com/robot/send?access_token=t0k",
                                                       secret="SECsecret")
    data.email = NotificationChannel.objects.create(zone=zone, department=depts["zwzx"], kind="email",
                                                    target="zwzx@zone.example")
    notices_scan(zone=zone, today=TODAY, sender=Recorder())
    return data


def page(client, user, url, params=None):
    client.force_login(user)
    return client.get(url, params or {})


# --- notices ---------------------------------------------------------------------------------------------

def test_leader_sees_every_notice_with_its_outcome(client, data):
    response = page(client, data.world.users["leader"], NOTICES)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('<tr>\n        <td class="nowrap">') == 5
    assert "SP-SOCIAL" in html and "SP-LOWRISK" in html and "SP-BUNDLE" in html
    assert "HTTP 500: Internal Server Error" in html and "发送失败" in html and "已发送" in html
    # the webhook key is shortened on the page
    assert "key=693a…" in html and "693axxx-7aoc" not in html
    assert "access_token=t0k" in html  # 3 characters: nothing to hide
    assert "SECsecret" not in html
    item = data.item("social", "land_planning")
    assert item.get_absolute_url() in html and item.case.get_absolute_url() in html


def test_staff_see_their_department_notices(client, data):
    response = page(client, data.users["staff_zwzx"], NOTICES)
    html = response.content.decode()
    assert response.status_code == 200
    assert "SP-BUNDLE" in html and "SP-SOCIAL" not in html and "SP-LOWRISK" not in html
    assert page(client, data.users["staff_jsj"], NOTICES).content.decode().count("SP-BUNDLE") == 0
    html = page(client, data.world.users["staff_a"], NOTICES).content.decode()  # 经信局: none
    assert "没有符合条件的通知。" in html


@pytest.mark.parametrize("params, shown, hidden", [
    ({"status": NoticeStatus.FAILED}, ["钉钉群机器人"], ["zwzx@zone.example"]),
    ({"clock_status": "预警"}, ["建设用地规划许可证"], ["SP-LOWRISK", "SP-BUNDLE"]),
    ({"kind": "email"}, ["SP-BUNDLE"], ["SP-SOCIAL"]),
    ({"q": "SP-LOW"}, ["SP-LOWRISK"], ["SP-BUNDLE", "SP-SOCIAL\"", "建设用地规划许可证"]),
])
def test_notice_filters(client, data, params, shown, hidden):
    response = page(client, data.world.users["leader"], NOTICES, params)
    assert response.status_code == 200
    body = response.content.decode().split('id="table-notices"')[1]
    for text in shown:
        assert text in body
    for text in hidden:
        assert text not in body


def test_a_bad_filter_is_ignored_with_a_message(client, data):
    response = page(client, data.world.users["leader"], NOTICES,
                    {"status": "nonsense", "date_from": "2025-99-01", "department": "abc", "sort": "bogus"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "（已忽略该条件）" in html and html.count("SP-LOWRISK") >= 2


@pytest.mark.parametrize("role", ["enterprise", "system_admin", "security_admin"])
def test_notices_and_channels_refuse_enterprise_users_and_admins(client, data, role):
    assert page(client, data.world.users[role], NOTICES).status_code == 403
    assert page(client, data.world.users[role], CHANNELS).status_code == 403


# --- channels --------------------------------------------------------------------------------------------

def test_leader_reads_all_channels_but_cannot_change_them(client, data):
    leader = data.world.users["leader"]
    response = page(client, leader, CHANNELS)
    html = response.content.decode()
    assert response.status_code == 200 and "zwzx@zone.example" in html and "qyapi.weixin.qq.com" in html
    assert 'id="channel-form"' not in html and "SECsecret" not in html and "已设置" in html
    response = client.post(CHANNELS, {"op": "save", "kind": "email", "target": "x@zone.example"})
    assert response.status_code == 403
    assert client.post(CHANNELS, {"op": "delete", "channel": data.email.pk}).status_code == 403
    assert NotificationChannel.objects.count() == 3


def test_staff_add_a_channel_and_the_secret_stays_out_of_the_trail(client, data):
    staff = data.users["staff_zwzx"]
    client.force_login(staff)
    response = client.post(CHANNELS, {"op": "save", "kind": "dingtalk", "is_active": "on",
                                      "target": "https://oapi.dingtalk.com/robot/send?access_token=abcdef",
                                      "secret": "SEC0123456789", "message": "接入钉钉群"})
    assert response.status_code == 302
    channel = NotificationChannel.objects.get(department=data.depts["zwzx"], kind="dingtalk")
    assert channel.secret == "SEC0123456789" and channel.zone == data.world.zone and channel.is_active
    change = ObjectChange.objects.get(content_type=ContentType.objects.get_for_model(NotificationChannel),
                                      object_id=channel.pk)
    assert change.message == "接入钉钉群" and "secret" not in change.postchange_data
    assert "SEC0123456789" not in str(change.postchange_data)
    # the list shows the staff's own channels only
    table = client.get(CHANNELS).content.decode().split('id="table-channels"')[1].split("</table>")[0]
    assert "access_token=abcd…" in table and "qyapi.weixin.qq.com" not in table


def test_editing_keeps_the_secret_unless_changed_or_cleared(client, data):
    staff = data.users["staff_jsj"]
    client.force_login(staff)
    html = client.get(CHANNELS, {"edit": data.dingtalk.pk}).content.decode()
    assert "修改渠道：钉钉群机器人" in html and "SECsecret" not in html  # never rendered back
    response = client.post(CHANNELS, {"op": "save", "channel": data.dingtalk.pk, "kind": "dingtalk",
                                      "target": data.dingtalk.target, "secret": "", "is_active": ""})
    assert response.status_code == 302
    data.dingtalk.refresh_from_db()
    assert data.dingtalk.secret == "SECsecret" and data.dingtalk.is_active is False
    client.post(CHANNELS, {"op": "save", "channel": data.dingtalk.pk, "kind": "dingtalk",
                           "target": data.dingtalk.target, "secret": "SECnew", "is_active": "on"})
    data.dingtalk.refresh_from_db()
    assert data.dingtalk.secret == "SECnew"
    last = ObjectChange.objects.filter(object_id=data.dingtalk.pk,
                                       content_type__model="notificationchannel").order_by("-id").first()
    assert "加签密钥已更改" in last.message and "secret" not in (last.prechange_data or {})
    client.post(CHANNELS, {"op": "save", "channel": data.dingtalk.pk, "kind": "dingtalk",
                           "target": data.dingtalk.target, "clear_secret": "on", "is_active": "on"})
    data.dingtalk.refresh_from_db()
    assert data.dingtalk.secret == ""


@pytest.mark.parametrize("post, field_error", [
    ({"kind": "wecom", "target": "file:///etc/passwd"}, "Webhook 地址须是以 http:// 或 https:// 开头"),
    ({"kind": "wecom", "target": "qyapi.weixin.qq.com/send"}, "Webhook 地址须是以 http://"),
    ({"kind": "email", "target": "not-an-address"}, "不是有效的邮箱地址"),
    ({"kind": "wecom", "target": "https://qyapi.weixin.qq.com/x", "secret": "SECx"}, "只有钉钉群机器人使用加签密钥"),
    ({"kind": "sms", "target": "13800000000"}, "选择一个有效的选项"),
    ({"kind": "email", "target": ""}, "这个字段是必填项"),
])
def test_bad_channels_are_refused_with_the_reason(client, data, post, field_error):
    client.force_login(data.users["staff_jsj"])
    response = client.post(CHANNELS, {"op": "save", "is_active": "on", **post})
    assert response.status_code == 400
    assert field_error in response.content.decode()
    assert NotificationChannel.objects.count() == 3


def test_staff_cannot_touch_another_departments_channel(client, data):
    client.force_login(data.users["staff_jsj"])
    assert client.get(CHANNELS, {"edit": data.email.pk}).status_code == 404
    assert client.post(CHANNELS, {"op": "delete", "channel": data.email.pk}).status_code == 404
    assert client.get(CHANNELS, {"edit": "abc"}).status_code == 404
    assert NotificationChannel.objects.filter(pk=data.email.pk).exists()
    with pytest.raises(Exception, match="只能管理本部门"):
        channel_update(user=data.users["staff_jsj"], channel=data.email, data={"target": "x@zone.example"})
    with pytest.raises(Exception, match="只有部门工作人员"):
        channel_create(user=data.world.users["leader"], data={"kind": "email", "target": "x@zone.example"})


def test_deleting_a_channel_keeps_its_notices(client, data):
    sent = Notice.objects.filter(channel=data.wecom).count()
    assert sent == 2
    client.force_login(data.users["staff_jsj"])
    response = client.post(CHANNELS, {"op": "delete", "channel": data.wecom.pk})
    assert response.status_code == 302
    assert not NotificationChannel.objects.filter(pk=data.wecom.pk).exists()
    assert Notice.objects.filter(channel__isnull=True, kind="wecom").count() == 2
    html = page(client, data.world.users["leader"], NOTICES).content.decode()
    assert "渠道已删除" in html


def test_send_a_test_message_to_a_local_robot(client, data, settings):
    settings.GAOXIN_NOTIFY_TIMEOUT = 2
    client.force_login(data.users["staff_jsj"])
    with WebhookServer() as robot:
        channel = NotificationChannel.objects.create(zone=data.world.zone, department=data.depts["jsj"],
                                                     kind="wecom", target=robot.url("/hook?key=k"))
        response = client.post(CHANNELS, {"op": "test", "channel": channel.pk}, follow=True)
        assert "测试消息已发送" in response.content.decode()
        [got] = robot.received
        assert got.body["markdown"]["content"].startswith("### 【测试】审批预警通知渠道")
        robot.respond((200, {"errcode": 93000, "errmsg": "invalid webhook url"}))
        response = client.post(CHANNELS, {"op": "test", "channel": channel.pk}, follow=True)
        assert "测试消息发送失败：机器人返回错误 errcode=93000" in response.content.decode()
    assert Notice.objects.filter(channel=channel).count() == 0  # a test is not a notice
