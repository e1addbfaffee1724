"""One JSON error shape for every failure of the API, in Chinese.

Every error body is ``{"code": ..., "message": ..., "errors": [{"field": ..., "message": ...}]}``
(``errors`` only where fields are concerned). The codes are stable identifiers clients can branch on:

=================  ====  =========================================================================
code               HTTP  when
=================  ====  =========================================================================
invalid_request    400   the request does not match the schema (types, required fields, filters)
invalid_json       400   the body is not JSON
invalid            400   the service or the model refused the data (Django ValidationError)
unauthorized       401   no or an invalid token / session
forbidden          403   the user may not do this (role, department, CSRF)
not_found          404   no such record — or one outside the user's data scope (never revealed)
method_not_allowed 405
conflict           409   a database constraint caught a concurrent write (e.g. duplicate USCC race)
server_error       500   anything unforeseen; logged with the request id. Bad input never gets here.
=================  ====  =========================================================================
"""

import functools
import json
import logging
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from gaoxin.core.audit.models import SecurityEventKind
from gaoxin.core.audit.services import security_event_record

logger = logging.getLogger("gaoxin.api")


@dataclass
class ApiError(Exception):
    """Raised by handlers and helpers of the API to answer with a given status, code and message."""

    status: int
    code: str
    message: str
    errors: list[dict] = field(default_factory=list)

    def __post_init__(self):
        super().__init__(self.message)


class NotFound(ApiError):
    def __init__(self, message: str | None = None):
        super().__init__(404, "not_found", message or _("记录不存在，或不在您的数据范围内。"))


def invalid(exc: DjangoValidationError, *, rename: dict[str, str]) -> ApiError:
    """A service's ValidationError with model field names turned into the API's (holder → holder_uscc)."""
    message, errors = model_errors(exc, rename)
    return ApiError(400, "invalid", message, errors)


class Unauthorized(ApiError):
    def __init__(self, message: str):
        super().__init__(401, "unauthorized", message)


def field_errors_from_form(form_errors) -> list[dict]:
    """Django form errors (e.g. a FilterSet's form) → the API's field error list."""
    return [
        {"field": None if name == NON_FIELD_ERRORS else name, "message": str(message)}
        for name, messages in form_errors.items()
        for message in messages
    ]


def error_body(code: str, message: str, errors: list[dict] | None = None) -> dict:
    body = {"code": code, "message": str(message)}
    if errors:
        body["errors"] = errors
    return body


# ---- pydantic's (English) validation errors, said in Chinese ----------------------------------------------

def _expected(ctx: dict) -> str:
    return str(ctx.get("expected", "")).replace(" or ", "、").replace(", ", "、")


_MESSAGES = {
    "missing": lambda c: _("必填项，不能缺少。"),
    "int_parsing": lambda c: _("应为整数。"),
    "int_type": lambda c: _("应为整数。"),
    "int_from_float": lambda c: _("应为整数。"),
    "string_type": lambda c: _("应为字符串。"),
    "string_unicode": lambda c: _("应为有效的 UTF-8 字符串。"),
    "bool_parsing": lambda c: _("应为 true 或 false。"),
    "bool_type": lambda c: _("应为 true 或 false。"),
    "date_parsing": lambda c: _("日期格式应为 YYYY-MM-DD。"),
    "date_from_datetime_parsing": lambda c: _("日期格式应为 YYYY-MM-DD。"),
    "date_from_datetime_inexact": lambda c: _("日期格式应为 YYYY-MM-DD。"),
    "date_type": lambda c: _("日期格式应为 YYYY-MM-DD。"),
    "decimal_parsing": lambda c: _("应为数字，建议以字符串传递，如 \"6666.67\"。"),
    "decimal_type": lambda c: _("应为数字，建议以字符串传递，如 \"6666.67\"。"),
    "finite_number": lambda c: _("应为有限的数字。"),
    "decimal_max_digits": lambda c: _("数字总位数不能超过 %(n)s 位。") % {"n": c.get("max_digits")},
    "decimal_max_places": lambda c: _("小数不能超过 %(n)s 位。") % {"n": c.get("decimal_places")},
    "decimal_whole_digits": lambda c: _("整数部分不能超过 %(n)s 位。") % {"n": c.get("whole_digits")},
    "greater_than": lambda c: _("必须大于 %(n)s。") % {"n": c.get("gt")},
    "greater_than_equal": lambda c: _("不能小于 %(n)s。") % {"n": c.get("ge")},
    "less_than": lambda c: _("必须小于 %(n)s。") % {"n": c.get("lt")},
    "less_than_equal": lambda c: _("不能大于 %(n)s。") % {"n": c.get("le")},
    "literal_error": lambda c: _("取值应为 %(values)s 之一。") % {"values": _expected(c)},
    "enum": lambda c: _("取值应为 %(values)s 之一。") % {"values": _expected(c)},
    "string_too_long": lambda c: _("最多 %(n)s 个字符。") % {"n": c.get("max_length")},
    "string_too_short": lambda c: _("至少 %(n)s 个字符。") % {"n": c.get("min_length")},
    "extra_forbidden": lambda c: _("不允许的字段：该字段不存在或不能通过接口设置。"),
    "model_attributes_type": lambda c: _("应为 JSON 对象。"),
    "model_type": lambda c: _("应为 JSON 对象。"),
    "dict_type": lambda c: _("应为 JSON 对象。"),
}


def _pydantic_message(error: dict) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "value_error" and ctx.get("error"):
        # our own validators raise ValueError with a Chinese message
        return str(ctx["error"]).removeprefix("Value error, ")
    translate = _MESSAGES.get(kind)
    return translate(ctx) if translate else _("取值无效。")


def _field_name(loc: tuple, body_params: frozenset[str]) -> str | None:
    """("body", "payload", "uscc") → "uscc"; ("query", "page") → "page"; ("path", "id") → "id"."""
    parts = [str(p) for p in loc[1:]]
    if loc and loc[0] == "body" and parts and parts[0] in body_params:
        parts = parts[1:]
    return ".".join(parts) or None


def request_errors(exc: NinjaValidationError, body_params=frozenset({"payload"})) -> list[dict]:
    return [
        {"field": _field_name(tuple(e.get("loc", ())), body_params), "message": _pydantic_message(e)}
        for e in exc.errors
    ]


def model_errors(exc: DjangoValidationError, rename: dict[str, str] | None = None) -> tuple[str, list[dict]]:
    """A Django ValidationError → (message, field errors). Field names follow the API (see `rename`)."""
    rename = rename or {}
    if hasattr(exc, "error_dict"):
        errors = [
            {"field": None if name == NON_FIELD_ERRORS else rename.get(name, name), "message": str(message)}
            for name, messages in exc.message_dict.items()
            for message in messages
        ]
        if len(errors) == 1 and errors[0]["field"] is None:
            return errors[0]["message"], []
        return _("提交的数据未通过校验，请按字段说明修改。"), errors
    messages = [str(m) for m in exc.messages]
    return "".join(messages) or _("提交的数据未通过校验。"), []


# ---- handlers --------------------------------------------------------------------------------------------

def install_error_handlers(api: NinjaAPI) -> None:
    def respond(request: HttpRequest, status: int, code: str, message: str, errors=None) -> HttpResponse:
        response = api.create_response(request, error_body(code, message, errors), status=status)
        if status == 401:
            response["WWW-Authenticate"] = 'Bearer realm="gaoxin"'
        return response

    @api.exception_handler(ApiError)
    def on_api_error(request, exc: ApiError):
        return respond(request, exc.status, exc.code, exc.message, exc.errors)

    @api.exception_handler(NinjaValidationError)
    def on_request_invalid(request, exc: NinjaValidationError):
        return respond(request, 400, "invalid_request", _("请求参数有误，请按字段说明修改。"), request_errors(exc))

    @api.exception_handler(AuthenticationError)
    def on_unauthenticated(request, exc):
        return respond(request, 401, "unauthorized",
                       _("需要身份认证：请在 Authorization 请求头中提供“Bearer 令牌”，或先登录。"))

    @api.exception_handler(HttpError)
    def on_http_error(request, exc: HttpError):
        if exc.status_code == 400 and isinstance(exc.__cause__, (ValueError, RecursionError)):
            # ninja wraps the JSON decoder's error; the cause tells it apart from other 400s
            return respond(request, 400, "invalid_json", _("请求体不是有效的 JSON。"))
        codes = {400: ("bad_request", _("请求有误。")), 401: ("unauthorized", _("需要身份认证。")),
                 403: ("forbidden", _("您没有执行此操作的权限。")),
                 404: ("not_found", _("记录不存在。")), 405: ("method_not_allowed", _("不支持该请求方法。")),
                 429: ("throttled", _("请求过于频繁，请稍后再试。"))}
        code, message = codes.get(exc.status_code, ("error", _("请求无法处理。")))
        return respond(request, exc.status_code, code, message)

    @api.exception_handler(Http404)
    def on_not_found(request, exc):
        return respond(request, 404, "not_found", _("记录不存在，或不在您的数据范围内。"))

    @api.exception_handler(ObjectDoesNotExist)
    def on_does_not_exist(request, exc):
        return respond(request, 404, "not_found", _("记录不存在，或不在您的数据范围内。"))

    @api.exception_handler(DjangoValidationError)
    def on_invalid(request, exc: DjangoValidationError):
        message, errors = model_errors(exc)
        return respond(request, 400, "invalid", message, errors)

    @api.exception_handler(PermissionDenied)
    def on_forbidden(request, exc: PermissionDenied):
        message = str(exc) or _("您没有执行此操作的权限。")
        user = getattr(request, "auth", None)
        # 越权访问 is a security event; the API's successful calls are not (too noisy)
        security_event_record(kind=SecurityEventKind.PERMISSION_DENIED, success=False, user=user,
                              detail=f"API {request.method} {request.path}: {message}")
        return respond(request, 403, "forbidden", message)

    @api.exception_handler(IntegrityError)
    def on_conflict(request, exc):
        logger.warning("API integrity error on %s %s: %s", request.method, request.path, exc)
        return respond(request, 409, "conflict", _("数据与已有记录冲突（可能已被他人同时修改或登记），请刷新后重试。"))

    @api.exception_handler(DataError)
    def on_data_error(request, exc):
        logger.warning("API data error on %s %s: %s", request.method, request.path, exc)
        return respond(request, 400, "invalid", _("数据超出允许的范围或格式不正确。"))

    @api.exception_handler(Exception)
    def on_unexpected(request, exc):
        request_id = getattr(request, "id", "")
        logger.exception("Unhandled API error on %s %s (request %s)", request.method, request.path, request_id)
        return respond(request, 500, "server_error",
                       _("服务器内部错误，请稍后重试；如问题持续，请联系系统管理员并提供请求编号 %(id)s。")
                       % {"id": request_id})


def json_error(code: str, message: str, status: int) -> HttpResponse:
    """For the few views outside ninja's operations (the schema endpoint)."""
    response = HttpResponse(json.dumps(error_body(code, message), ensure_ascii=False), status=status,
                            content_type="application/json; charset=utf-8")
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="gaoxin"'
    return response


def json_method_not_allowed(view):
    """Wraps the API's URL views: ninja's path dispatcher answers a wrong method with a plain-text 405,
    outside any operation and its exception handlers; make it JSON like every other error.
    (Unknown paths under /api/ get their JSON 404 from the site's handler404, gaoxin.core.views.)"""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and not response.get("Content-Type", "").startswith("application/json"):
            allowed = response.get("Allow", "")
            response = json_error("method_not_allowed",
                                  _("不支持 %(method)s 请求；此地址支持：%(allowed)s。")
                                  % {"method": request.method, "allowed": allowed}, 405)
            response["Allow"] = allowed
        return response

    return wrapper
