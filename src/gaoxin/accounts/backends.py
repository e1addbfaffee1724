"""Password login with lockout (等保2.0 8.1.4.1 b): after N consecutive failures the account is locked for M minutes."""

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.core.audit.models import SecurityEventKind
from gaoxin.core.audit.services import security_event_record

from .models import SecurityPolicy

# Set on the request by the backend, read by the login form (message) and the login_failed receiver (event detail).
FAILURE_ATTR = "gaoxin_login_failure"


@dataclass(frozen=True)
class LoginFailure:
    reason: str  # unknown_user | bad_password | inactive | locked
    locked_until: dt.datetime | None = None


def _note(request, failure: LoginFailure) -> None:
    if request is not None:
        setattr(request, FAILURE_ATTR, failure)


def login_failure(request) -> LoginFailure | None:
    return getattr(request, FAILURE_ATTR, None)


def register_failure(user_pk: int, policy: SecurityPolicy) -> dt.datetime | None:
    """Count one failed attempt; lock the account when the threshold is reached. Returns the lock's end, if any.

    The row lock makes concurrent failures count one by one (SQLite serialises writers anyway).
    """
    User = get_user_model()
    with transaction.atomic():
        row = User.objects.select_for_update().get(pk=user_pk)
        now = timezone.now()
        if row.locked_until and row.locked_until > now:
            return row.locked_until  # another request locked it meanwhile
        count = row.failed_logins + 1
        if count < policy.lockout_threshold:
            User.objects.filter(pk=user_pk).update(failed_logins=count, locked_until=None)
            return None
        until = now + dt.timedelta(minutes=policy.lockout_minutes)
        # The counter starts again from zero once the lock has run out.
        User.objects.filter(pk=user_pk).update(failed_logins=0, locked_until=until)
        security_event_record(
            kind=SecurityEventKind.LOCKED, user=row,
            detail=lambda: _("连续 %(n)d 次登录失败，锁定至 %(until)s")
            % {"n": count, "until": timezone.localtime(until).strftime("%Y-%m-%d %H:%M")},
        )
        return until


class LockoutModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        User = get_user_model()
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if username is None or password is None:
            return None
        try:
            user = User._default_manager.get_by_natural_key(username)
        except User.DoesNotExist:
            User().set_password(password)  # same hashing cost as a known user (Django #20760)
            _note(request, LoginFailure("unknown_user"))
            return None
        if user.is_locked:
            # Even the right password fails while locked; the attempt does not extend the lock.
            _note(request, LoginFailure("locked", user.locked_until))
            return None
        if not user.check_password(password):
            until = register_failure(user.pk, SecurityPolicy.current())
            _note(request, LoginFailure("locked", until) if until else LoginFailure("bad_password"))
            return None
        if not self.user_can_authenticate(user):
            _note(request, LoginFailure("inactive"))
            return None
        if user.failed_logins or user.locked_until:
            User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None)
            user.failed_logins, user.locked_until = 0, None
        return user
