"""Login, logout and failed-login events. Lockouts are recorded by the backend, where they happen."""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from gaoxin.core.audit.models import SecurityEventKind
from gaoxin.core.audit.services import security_event_record

from .backends import login_failure

FAILURE_DETAILS = {
    "unknown_user": _("用户名不存在"),
    "bad_password": _("密码错误"),
    "inactive": _("账户已停用"),
    "locked": _("账户已锁定"),
}


@receiver(user_logged_in, dispatch_uid="gaoxin_login_event")
def record_login(sender, request, user, **kwargs):
    security_event_record(kind=SecurityEventKind.LOGIN, user=user)


@receiver(user_logged_out, dispatch_uid="gaoxin_logout_event")
def record_logout(sender, request, user, **kwargs):
    if user is not None:  # logging out an already expired session is no event
        security_event_record(kind=SecurityEventKind.LOGOUT, user=user)


@receiver(user_login_failed, dispatch_uid="gaoxin_login_failed_event")
def record_login_failed(sender, credentials, request=None, **kwargs):
    User = get_user_model()
    username = str(credentials.get(User.USERNAME_FIELD) or "")
    account = User.objects.filter(username=username).first() if username else None
    failure = login_failure(request)
    security_event_record(kind=SecurityEventKind.LOGIN_FAILED, success=False, user=account,
                          user_name=username or "-",
                          detail=lambda: str(FAILURE_DETAILS.get(failure.reason, "")) if failure else "")
