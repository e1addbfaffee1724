"""Who calls the API: a bearer token (scripts, other systems) or the logged-in web session (the docs page).

A token acts exactly as its user — same role, same data scope, same write rights — because every handler
passes `request.auth` (the user) to the same selectors and services the web pages use.

The audit actor. `RequestContextMiddleware` runs before authentication, so for a token request it knows
no user. `act_as_api_user` is installed on every operation (ninja's "operation" decorator mode: around
the handler, after authentication and validation) and sets the audit context to the authenticated user
with via="api" for exactly the duration of the handler, through `acting_as`, which resets it afterwards.
ObjectChange rows written by services therefore carry the token's user; nothing leaks past the handler.
"""

import datetime as dt
import functools

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from gaoxin.accounts.models import ApiToken
from gaoxin.core.audit.context import acting_as, actor_for_user
from gaoxin.core.audit.models import SecurityEventKind
from gaoxin.core.audit.services import security_event_record

from .errors import ApiError, Unauthorized

# Writing last_used_at on every request would turn each read into a write; a minute is precise enough.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def _refuse(reason: str, message: str, token: ApiToken | None = None):
    user = token.user if token is not None else None
    detail = f"API token {token.prefix}…: {reason}" if token is not None else f"API token: {reason}"
    security_event_record(kind=SecurityEventKind.LOGIN_FAILED, success=False, user=user, detail=detail)
    raise Unauthorized(message)


def user_for_token(key: str):
    """The active user a bearer key belongs to, or Unauthorized (recorded as a failed login)."""
    key = key.strip()
    if not key:
        raise Unauthorized(_("API 令牌为空。"))
    token = ApiToken.objects.select_related("user").filter(key_hash=ApiToken.hash_key(key)).first()
    if token is None:
        _refuse("unknown", _("API 令牌无效。"))
    if token.revoked_at is not None:
        _refuse("revoked", _("API 令牌已撤销。"), token)
    if not token.is_valid:
        _refuse("expired", _("API 令牌已过期，请重新申请。"), token)
    if not token.user.is_active:
        _refuse("inactive user", _("该令牌所属账户已停用。"), token)
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <key>`. A presented but bad key is refused outright (no fallback to the session)."""

    def authenticate(self, request, token):
        user = user_for_token(token)
        # Later code (middleware, templates of error pages) then sees the same person the API acts as.
        request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """The logged-in web session, with Django's CSRF check for unsafe methods.

    Unlike ninja's `django_auth`, CSRF is checked only when a session user is actually present, so an
    anonymous POST answers 401 (authenticate!) rather than 403 (CSRF).
    """

    param_name = settings.SESSION_COOKIE_NAME

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_active:
            return None
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request) is not None:
            raise ApiError(403, "forbidden", _("CSRF 校验失败：请刷新页面后重试，或改用 API 令牌。"))
        return user

    def authenticate(self, request, key):  # required by APIKeyCookie; __call__ does the work
        return self(request)


token_auth = TokenAuth()
session_auth = SessionAuth()
API_AUTH = [token_auth, session_auth]


def act_as_api_user(view_func):
    """Handler decorator: the audit trail records the authenticated user, via "api"."""

    @functools.wraps(view_func)
    def wrapper(request, *args, **kwargs):
        with acting_as(actor_for_user(request.auth, via="api")):
            return view_func(request, *args, **kwargs)

    return wrapper


def no_store(run):
    """Decorator of the whole call (ninja's "view" mode, so errors too): API answers hold business data and must not be cached by browsers or proxies."""

    @functools.wraps(run)
    def wrapper(request, *args, **kwargs):
        response = run(request, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        return response

    return wrapper
