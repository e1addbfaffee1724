"""Reads of the notices page and the channels page, scoped like the rest of the approvals app.

Notices and channels carry no ScopeRule of their own (they hang off a department): a leader reads every
zone they may read, department staff their department's, enterprise users and administrators nothing.
"""

from django.db.models import Count, Q, QuerySet

from gaoxin.accounts.models import Department
from gaoxin.core.permissions import Role

from ..models import Notice, NotificationChannel

NOTHING = Q(pk__in=[])


def _scope(user, *, zone: str, department: str) -> Q:
    if user is None or not user.is_authenticated or not user.is_active:
        return NOTHING
    if user.role == Role.ZONE_LEADER:
        return Q(**{f"{zone}__in": user.readable_zone_ids()})
    if user.role == Role.DEPARTMENT_STAFF and user.zone_id and user.department_id:
        return Q(**{zone: user.zone_id, department: user.department_id})
    return NOTHING


def channels_for_user(user) -> QuerySet:
    return (NotificationChannel.objects.filter(_scope(user, zone="zone_id", department="department_id"))
            .select_related("zone", "department").order_by("zone__code", "department__code", "kind", "id"))


def channel_for_user(user, pk) -> NotificationChannel | None:
    return channels_for_user(user).filter(pk=pk).first()


def notices_for_user(user, filters: dict | None = None) -> QuerySet:
    """The notices about items of the user's scope (the item's handling department), filtered by the page's
    valid filters: status, kind, clock_status, department, date_from/date_to (created), q."""
    qs = (Notice.objects.filter(_scope(user, zone="zone_id", department="item__department_id"))
          .select_related("item", "item__case", "item__department", "channel", "zone"))
    f = filters or {}
    for name in ("status", "kind", "clock_status"):
        if f.get(name):
            qs = qs.filter(**{name: f[name]})
    if f.get("department"):
        qs = qs.filter(item__department=f["department"])
    if f.get("date_from"):
        qs = qs.filter(created_at__date__gte=f["date_from"])
    if f.get("date_to"):
        qs = qs.filter(created_at__date__lte=f["date_to"])
    if f.get("q"):
        q = f["q"].strip()
        qs = qs.filter(Q(item__case__code__icontains=q) | Q(item__case__title__icontains=q)
                       | Q(item__name__icontains=q))
    return qs


def notice_departments(user) -> QuerySet:
    """The departments a leader can filter the notices by (staff see only their own: no choice)."""
    if user.role != Role.ZONE_LEADER:
        return Department.objects.none()
    return Department.objects.filter(zone_id__in=user.readable_zone_ids()).select_related("zone").order_by(
        "zone__code", "code")


def notice_counts(qs: QuerySet) -> dict[str, int]:
    """Counts by sending status (for the page header), over the filtered notices."""
    return {row["status"]: row["n"] for row in qs.order_by().values("status").annotate(n=Count("id"))}
