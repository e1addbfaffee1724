"""The pluggable notifier of approval warnings: e-mail, 企业微信 and 钉钉 group robots.

A backend turns one `NoticeMessage` into one delivery to one `Target` and raises `DeliveryError` when the
other side did not take it; it never retries (the scan does, and records every attempt on the Notice).

- `EmailBackend`: django.core.mail with a Chinese subject and body.
- `WeComBackend`: the 企业微信群机器人 webhook, `{"msgtype": "markdown", "markdown": {"content": …}}`;
  accepted when the answer is HTTP 200 with JSON `errcode` 0.
- `DingTalkBackend`: the 钉钉群机器人 webhook, `{"msgtype": "markdown", "markdown": {"title": …, "text": …}}`;
  with a secret (加签) the URL gets `timestamp` (ms) and `sign` = base64(HMAC-SHA256(key=secret,
  msg="{timestamp}\\n{secret}")), URL-encoded; accepted on JSON `errcode` 0.

HTTP goes through the standard library (urllib.request) with a timeout, so no new dependency. Only http and
https URLs are ever opened: urllib would otherwise read `file://` URLs, and a channel's address is typed by
a user.

Which backend serves which channel kind: `notifier_backends()` — the defaults, overridden per kind by the
setting `GAOXIN_NOTIFY_BACKENDS` (a mapping kind → backend instance, class or dotted path), which is how
tests point every kind at a recorder or at a local server.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from django.conf import settings
from django.core import mail
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from .models import ChannelKind

DEFAULT_TIMEOUT = 5.0
# 企业微信 rejects markdown content over 4096 bytes; 钉钉 is more generous but the same cap keeps both safe.
MAX_MARKDOWN_BYTES = 4000


class DeliveryError(Exception):
    """The message was not delivered; the text (Chinese, short) goes to Notice.last_error."""


@dataclass(frozen=True)
class NoticeMessage:
    title: str
    lines: tuple[str, ...] = ()
    url: str = ""

    def as_dict(self) -> dict:
        return {"title": self.title, "lines": list(self.lines), "url": self.url}

    @classmethod
    def from_dict(cls, data: Mapping) -> NoticeMessage:
        return cls(title=str(data.get("title", "")), lines=tuple(str(x) for x in data.get("lines", ())),
                   url=str(data.get("url", "")))

    def plain_text(self) -> str:
        body = "\n".join(self.lines)
        if self.url:
            body += "\n\n" + _("查看详情：%(url)s") % {"url": self.url}
        return body

    def markdown(self) -> str:
        parts = [f"### {self.title}"] + [f"> {line}" for line in self.lines]
        if self.url:
            parts.append(f"[{_('查看详情')}]({self.url})")
        text = "\n".join(parts)
        while len(text.encode("utf-8")) > MAX_MARKDOWN_BYTES and "\n" in text:
            text = text.rsplit("\n", 1)[0]  # drop trailing lines rather than let the robot refuse the lot
        return text


@dataclass(frozen=True)
class Target:
    """Where one message goes: a channel's kind, address (e-mail or webhook URL) and optional secret."""

    kind: str
    address: str
    secret: str = field(default="", repr=False)


@runtime_checkable
class Backend(Protocol):
    def send(self, target: Target, message: NoticeMessage) -> None: ...


# --- e-mail ----------------------------------------------------------------------------------------------

class EmailBackend:
    """Through Django's configured mail backend (SMTP in production, locmem in tests)."""

    def __init__(self, *, connection=None, from_email: str | None = None):
        self.connection = connection
        self.from_email = from_email

    def send(self, target: Target, message: NoticeMessage) -> None:
        try:
            sent = mail.send_mail(
                subject=message.title, message=message.plain_text(), from_email=self.from_email,
                recipient_list=[target.address], fail_silently=False, connection=self.connection,
            )
        except (OSError, mail.BadHeaderError, UnicodeError) as exc:  # smtplib.SMTPException is an OSError
            raise DeliveryError(_("邮件发送失败：%(error)s") % {"error": exc}) from exc
        if not sent:
            raise DeliveryError(_("邮件发送失败：邮件服务器未接收。"))


# --- webhooks --------------------------------------------------------------------------------------------

def check_webhook_url(url: str) -> str:
    """The URL if it is an absolute http(s) URL with a host, else DeliveryError (never open file:// etc.)."""
    parts = urllib.parse.urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise DeliveryError(_("Webhook 地址必须是以 http:// 或 https:// 开头的完整网址。"))
    return url.strip()


def post_json(url: str, body: dict, *, timeout: float = DEFAULT_TIMEOUT) -> dict:
    """POST `body` as UTF-8 JSON and return the JSON answer; anything but HTTP 200 with a JSON object is a
    DeliveryError naming what came back."""
    request = urllib.request.Request(
        check_webhook_url(url), data=json.dumps(body, ensure_ascii=False).encode("utf-8"), method="POST",
        headers={"Content-Type": "application/json; charset=utf-8", "User-Agent": "gaoxin-notifier"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, raw = response.status, response.read(65536)
    except urllib.error.HTTPError as exc:
        raise DeliveryError(f"HTTP {exc.code}: {exc.reason}") from exc
    except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise DeliveryError(_("无法连接 Webhook：%(reason)s") % {"reason": reason}) from exc
    if status != 200:
        raise DeliveryError(f"HTTP {status}")
    try:
        answer = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise DeliveryError(_("Webhook 返回的不是 JSON。")) from exc
    if not isinstance(answer, dict):
        raise DeliveryError(_("Webhook 返回的不是 JSON 对象。"))
    return answer


def _check_errcode(answer: dict) -> None:
    code = answer.get("errcode")
    if code != 0:
        raise DeliveryError((_("机器人返回错误 errcode=%(code)s：%(message)s")
                             % {"code": code, "message": answer.get("errmsg", "")})[:480])


class WeComBackend:
    """企业微信群机器人: POST the markdown message to the webhook URL (its `key` is in the URL)."""

    def __init__(self, *, timeout: float | None = None):
        self.timeout = timeout

    @staticmethod
    def body(message: NoticeMessage) -> dict:
        return {"msgtype": "markdown", "markdown": {"content": message.markdown()}}

    def send(self, target: Target, message: NoticeMessage) -> None:
        _check_errcode(post_json(target.address, self.body(message), timeout=self.timeout or notify_timeout()))


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """钉钉加签: base64(HMAC-SHA256(secret, "{timestamp}\\n{secret}")), not yet URL-encoded."""
    digest = hmac.new(secret.encode("utf-8"), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def dingtalk_signed_url(url: str, secret: str, timestamp_ms: int) -> str:
    query = urllib.parse.urlencode({"timestamp": timestamp_ms, "sign": dingtalk_sign(secret, timestamp_ms)})
    return f"{url}{'&' if '?' in url else '?'}{query}"


class DingTalkBackend:
    """钉钉群机器人: POST the markdown message; with a secret the URL is signed (the robot checks the timestamp
    within an hour, so it is taken at each attempt)."""

    def __init__(self, *, timeout: float | None = None, clock: Callable[[], float] = time.time):
        self.timeout = timeout
        self.clock = clock

    @staticmethod
    def body(message: NoticeMessage) -> dict:
        return {"msgtype": "markdown", "markdown": {"title": message.title, "text": message.markdown()}}

    def send(self, target: Target, message: NoticeMessage) -> None:
        url = check_webhook_url(target.address)
        if target.secret:
            url = dingtalk_signed_url(url, target.secret, int(self.clock() * 1000))
        _check_errcode(post_json(url, self.body(message), timeout=self.timeout or notify_timeout()))


# --- registry --------------------------------------------------------------------------------------------

DEFAULT_BACKENDS: dict[str, Callable[[], Backend]] = {
    ChannelKind.EMAIL: EmailBackend,
    ChannelKind.WECOM: WeComBackend,
    ChannelKind.DINGTALK: DingTalkBackend,
}


def _instance(spec) -> Backend:
    if isinstance(spec, str):
        spec = import_string(spec)
    if isinstance(spec, type):
        spec = spec()
    if not isinstance(spec, Backend):
        raise TypeError(f"not a notifier backend: {spec!r}")
    return spec


def notifier_backends() -> dict[str, Backend]:
    """Kind → backend: the defaults, each replaced by GAOXIN_NOTIFY_BACKENDS[kind] when that is set."""
    overrides = getattr(settings, "GAOXIN_NOTIFY_BACKENDS", None) or {}
    return {kind: _instance(overrides.get(kind, factory)) for kind, factory in DEFAULT_BACKENDS.items()}


def notify_timeout() -> float:
    return float(getattr(settings, "GAOXIN_NOTIFY_TIMEOUT", DEFAULT_TIMEOUT))


class Notifier:
    """Sends a message to a target through the backend registered for the target's kind."""

    def __init__(self, backends: Mapping[str, Backend] | None = None):
        self.backends = dict(backends) if backends is not None else notifier_backends()

    def send(self, target: Target, message: NoticeMessage) -> None:
        backend = self.backends.get(target.kind)
        if backend is None:
            raise DeliveryError(_("不支持的通知渠道：%(kind)s") % {"kind": target.kind})
        backend.send(target, message)


class OfflineBackend:
    """Refuses every delivery without touching the network (the demo: its webhooks are example hosts)."""

    def __init__(self, reason: str = ""):
        self.reason = reason

    def send(self, target: Target, message: NoticeMessage) -> None:
        raise DeliveryError(self.reason or _("演示环境不连接外部网络，未发送。"))


def mask_address(address: str) -> str:
    """An address fit to show on a page: a webhook's query (its access key) shortened to its first chars."""
    parts = urllib.parse.urlsplit(address)
    if parts.scheme not in ("http", "https") or not parts.query:
        return address
    masked = []
    for key, value in urllib.parse.parse_qsl(parts.query, keep_blank_values=True):
        masked.append(f"{key}={value[:4]}…" if len(value) > 4 else f"{key}={value}")
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, "&".join(masked), ""))
