"""Reads for the account pages: which accounts, departments and login events an administrator sees."""

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from gaoxin.core.audit.models import SecurityEvent, SecurityEventKind
from gaoxin.core.permissions import Role

from .models import ApiToken, Department, SecurityPolicy, User, Zone
from .rules import has_role, managed_zone_ids

ACCOUNT_ADMINS = (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN)

# The events a security admin follows; the full trail stays with the audit admin (三权分立).
LOGIN_EVENT_KINDS = (
    SecurityEventKind.LOGIN, SecurityEventKind.LOGOUT, SecurityEventKind.LOGIN_FAILED,
    SecurityEventKind.LOCKED, SecurityEventKind.UNLOCKED, SecurityEventKind.PASSWORD_CHANGED,
    SecurityEventKind.PASSWORD_RESET,
)


def _in_managed_zones(user, qs: QuerySet, lookup: str) -> QuerySet:
    ids = managed_zone_ids(user)
    return qs if ids is None else qs.filter(**{f"{lookup}__in": ids})


def users_for_admin(*, user, filters: dict | None = None) -> QuerySet[User]:
    """Accounts a system or security admin manages, with search (q), role, zone and state filters."""
    if not has_role(user, *ACCOUNT_ADMINS):
        return User.objects.none()
    qs = _in_managed_zones(user, User.objects.select_related("zone", "department", "enterprise"), "zone")
    filters = filters or {}
    q = (filters.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(username__icontains=q) | Q(display_name__icontains=q) | Q(email__icontains=q))
    if filters.get("role"):
        qs = qs.filter(role=filters["role"])
    if filters.get("zone"):
        qs = qs.filter(zone=filters["zone"])
    state = filters.get("state")
    now = timezone.now()
    if state == "active":
        qs = qs.filter(is_active=True)
    elif state == "inactive":
        qs = qs.filter(is_active=False)
    elif state == "locked":
        qs = qs.filter(locked_until__gt=now)
    return qs.order_by("zone__code", "username")


def user_get_for_admin(*, user, pk: int) -> User | None:
    return users_for_admin(user=user).filter(pk=pk).first()


def zones_for_admin(*, user) -> QuerySet[Zone]:
    if not has_role(user, *ACCOUNT_ADMINS):
        return Zone.objects.none()
    return _in_managed_zones(user, Zone.objects.all(), "pk")


def departments_for_admin(*, user, zone: Zone | None = None) -> QuerySet[Department]:
    if not has_role(user, Role.SYSTEM_ADMIN):
        return Department.objects.none()
    qs = _in_managed_zones(user, Department.objects.select_related("zone"), "zone")
    if zone is not None:
        qs = qs.filter(zone=zone)
    return qs.order_by("zone__code", "code")


def department_get_for_admin(*, user, pk: int) -> Department | None:
    return departments_for_admin(user=user).filter(pk=pk).first()


def enterprise_for_account(*, zone: Zone, uscc: str):
    """The enterprise an enterprise-user account is linked to, looked up by USCC within the zone.

    Linking an account names an enterprise the admin already knows; it reveals no business data
    beyond its name, so it does not go through the enterprise scope (which shows admins nothing).
    """
    from gaoxin.enterprises.models import Enterprise

    return Enterprise.objects.filter(zone=zone, uscc=uscc).only("pk", "name", "uscc", "zone_id").first()


def tokens_for_user(*, user) -> QuerySet[ApiToken]:
    """A user's own tokens; nobody lists another's."""
    if not (user.is_authenticated and user.is_active):
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=user).order_by("revoked_at", "-created_at")


def token_get_for_user(*, user, pk: int) -> ApiToken | None:
    return tokens_for_user(user=user).filter(pk=pk).first()


def login_events_for_user(*, user, filters: dict | None = None) -> QuerySet[SecurityEvent]:
    """Login-related security events of the accounts a security admin manages."""
    if not has_role(user, Role.SECURITY_ADMIN):
        return SecurityEvent.objects.none()
    qs = SecurityEvent.objects.filter(kind__in=LOGIN_EVENT_KINDS)
    ids = managed_zone_ids(user)
    if ids is not None:
        # Failed logins with unknown usernames belong to no zone; every security admin should see them.
        qs = qs.filter(Q(zone__in=ids) | Q(zone__isnull=True))
    filters = filters or {}
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if filters.get("user"):
        qs = qs.filter(user_name__icontains=filters["user"])
    if filters.get("success") in (True, False):
        qs = qs.filter(success=filters["success"])
    return qs


def password_is_expired(*, user, policy: SecurityPolicy | None = None, now: dt.datetime | None = None) -> bool:
    """Whether `user` must change their password before doing anything else.

    A password never chosen by the user (password_changed_at empty: an admin reset it) has always expired;
    otherwise it expires `password_max_age_days` after it was set (0 = never).
    """
    if not user.is_authenticated:
        return False
    if user.password_changed_at is None:
        return True
    policy = policy or SecurityPolicy.current()
    if not policy.password_max_age_days:
        return False
    now = now or timezone.now()
    return user.password_changed_at + dt.timedelta(days=policy.password_max_age_days) <= now
