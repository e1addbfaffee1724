"""The notifier's backends against a local webhook receiver and Django's locmem mail backend."""

import base64
import hashlib
import hmac
import urllib.parse

import pytest
from django.core import mail

from gaoxin.approvals.models import ChannelKind
from gaoxin.approvals.notifier import (
    DeliveryError,
    DingTalkBackend,
    EmailBackend,
    NoticeMessage,
    Notifier,
    OfflineBackend,
    Target,
    WeComBackend,
    dingtalk_sign,
    mask_address,
    notifier_backends,
)

from .webhook_server import WebhookServer

MESSAGE = NoticeMessage(title="【审批预警】SP20251020001 施工许可证核发",
                        lines=("办理部门：建设局", "到期日期：2025-10-24", "剩余 1 个工作日"),
                        url="http://gaoxin.example/approvals/items/7/")


@pytest.fixture
def robot():
    with WebhookServer() as server:
        yield server


def test_wecom_posts_the_markdown_message(robot):
    WeComBackend().send(Target(ChannelKind.WECOM, robot.url("/cgi-bin/webhook/send?key=abc-123")), MESSAGE)
    [got] = robot.received
    assert got.path == "/cgi-bin/webhook/send" and got.query == {"key": "abc-123"}
    assert got.headers["content-type"].startswith("application/json")
    assert set(got.body) == {"msgtype", "markdown"} and got.body["msgtype"] == "markdown"
    assert set(got.body["markdown"]) == {"content"}
    content = got.body["markdown"]["content"]
    assert content.splitlines() == [
        "### 【审批预警】SP20251020001 施工许可证核发",
        "> 办理部门：建设局", "> 到期日期：2025-10-24", "> 剩余 1 个工作日",
        "[查看详情](http://gaoxin.example/approvals/items/7/)",
    ]


def test_dingtalk_posts_title_and_text_without_signature_when_no_secret(robot):
    DingTalkBackend().send(Target(ChannelKind.DINGTALK, robot.url("/robot/send?access_token=tok")), MESSAGE)
    [got] = robot.received
    assert got.query == {"access_token": "tok"}  # no timestamp/sign without a secret
    assert got.body == {"msgtype": "markdown",
                        "markdown": {"title": MESSAGE.title, "text": MESSAGE.markdown()}}


def test_dingtalk_signature_is_hmac_sha256_of_timestamp_and_secret(robot):
    secret = "SEC0123456789abcdef+/="
    backend = DingTalkBackend(clock=lambda: 1_700_000_000.123)
    backend.send(Target(ChannelKind.DINGTALK, robot.url("/robot/send?access_token=tok"), secret), MESSAGE)
    [got] = robot.received
    assert got.query["access_token"] == "tok"
    assert got.query["timestamp"] == "1700000000123"
    # recompute independently: base64(HMAC-SHA256(key=secret, msg="timestamp\nsecret"))
    expected = base64.b64encode(hmac.new(secret.encode(), b"1700000000123\n" + secret.encode(),
                                         hashlib.sha256).digest()).decode()
    assert got.query["sign"] == expected == dingtalk_sign(secret, 1700000000123)
    # the sign travels URL-encoded ('+', '/' and '=' escaped), parse_qsl above decoded it back
    assert urllib.parse.quote_plus(expected) in "".join(
        f"{k}={urllib.parse.quote_plus(v)}" for k, v in got.query.items())


def test_dingtalk_signed_url_without_query_gets_a_question_mark(robot):
    DingTalkBackend(clock=lambda: 1.0).send(Target(ChannelKind.DINGTALK, robot.url("/hook"), "s"), MESSAGE)
    [got] = robot.received
    assert got.path == "/hook" and set(got.query) == {"timestamp", "sign"} and got.query["timestamp"] == "1000"


@pytest.mark.parametrize("answer, fragment", [
    ((500, {"errcode": 0}), "HTTP 500"),
    ((404, "not found"), "HTTP 404"),
    ((200, {"errcode": 93000, "errmsg": "invalid webhook url"}), "errcode=93000"),
    ((200, {"errcode": 310000, "errmsg": "sign not match"}), "sign not match"),
    ((200, "<html>ok</html>"), "不是 JSON"),
    ((200, [1, 2]), "不是 JSON 对象"),
])
@pytest.mark.parametrize("backend", [WeComBackend, DingTalkBackend])
def test_a_refused_delivery_raises_with_the_reason(robot, backend, answer, fragment):
    robot.respond(answer)
    with pytest.raises(DeliveryError, match=fragment):
        backend().send(Target("x", robot.url("/hook")), MESSAGE)


def test_an_unreachable_webhook_raises_delivery_error_quickly(robot):
    port = robot.httpd.server_address[1]
    robot.__exit__()  # nobody listens on the port any more
    with pytest.raises(DeliveryError, match="无法连接"):
        WeComBackend(timeout=1).send(Target(ChannelKind.WECOM, f"http://127.0.0.1:{port}/hook"), MESSAGE)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.com/x", "qyapi.weixin.qq.com/send", "", "http://"])
def test_only_http_urls_are_ever_opened(url):
    with pytest.raises(DeliveryError, match="http://"):
        WeComBackend().send(Target(ChannelKind.WECOM, url), MESSAGE)
    with pytest.raises(DeliveryError, match="http://"):
        DingTalkBackend().send(Target(ChannelKind.DINGTALK, url, "secret"), MESSAGE)


def test_email_goes_through_django_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.DEFAULT_FROM_EMAIL = "gaoxin@zone.example"
    EmailBackend().send(Target(ChannelKind.EMAIL, "jsj@zone.example"), MESSAGE)
    [sent] = mail.outbox
    assert sent.to == ["jsj@zone.example"] and sent.from_email == "gaoxin@zone.example"
    assert sent.subject == MESSAGE.title
    assert "到期日期：2025-10-24" in sent.body and "查看详情：http://gaoxin.example/approvals/items/7/" in sent.body


def test_email_failure_is_a_delivery_error(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1  # discard port: refused
    with pytest.raises(DeliveryError, match="邮件发送失败"):
        EmailBackend().send(Target(ChannelKind.EMAIL, "jsj@zone.example"), MESSAGE)


def test_long_markdown_is_cut_below_the_robot_limit():
    long = NoticeMessage(title="t", lines=tuple("很长的一行说明" * 20 for _ in range(100)))
    text = long.markdown()
    assert len(text.encode()) <= 4000 and text.startswith("### t")


class Recorder:
    def __init__(self):
        self.sent = []

    def send(self, target, message):
        self.sent.append((target, message))


def test_registry_defaults_and_settings_override(settings):
    backends = notifier_backends()
    assert isinstance(backends[ChannelKind.EMAIL], EmailBackend)
    assert isinstance(backends[ChannelKind.WECOM], WeComBackend)
    assert isinstance(backends[ChannelKind.DINGTALK], DingTalkBackend)
    recorder = Recorder()
    settings.GAOXIN_NOTIFY_BACKENDS = {ChannelKind.WECOM: recorder,
                                       ChannelKind.DINGTALK: "gaoxin.approvals.notifier.OfflineBackend"}
    backends = notifier_backends()
    assert backends[ChannelKind.WECOM] is recorder and isinstance(backends[ChannelKind.DINGTALK], OfflineBackend)
    notifier = Notifier()
    notifier.send(Target(ChannelKind.WECOM, "http://x/"), MESSAGE)
    assert recorder.sent == [(Target(ChannelKind.WECOM, "http://x/"), MESSAGE)]
    with pytest.raises(DeliveryError, match="演示环境"):
        notifier.send(Target(ChannelKind.DINGTALK, "http://x/"), MESSAGE)
    with pytest.raises(DeliveryError, match="不支持"):
        notifier.send(Target("sms", "13800000000"), MESSAGE)


def test_a_non_backend_in_settings_is_refused(settings):
    settings.GAOXIN_NOTIFY_BACKENDS = {ChannelKind.WECOM: object()}
    with pytest.raises(TypeError):
        notifier_backends()


def test_message_round_trips_through_its_dict():
    assert NoticeMessage.from_dict(MESSAGE.as_dict()) == MESSAGE


def test_secret_is_not_in_target_repr_and_keys_are_masked_for_display():
    assert "s3cret" not in repr(Target(ChannelKind.DINGTALK, "http://x/", "s3cret"))
    assert mask_address("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693axxx-7aoc-4bc4") == \
        "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a…"
    assert mask_address("jsj@zone.example") == "jsj@zone.example"
