from django.db.models import Count, Q, QuerySet

from gaoxin.accounts.models import Department
from gaoxin.core import industry, uscc
from gaoxin.core.permissions import Role

from .models import Enterprise


def enterprises_for_user(*, user, filters: dict | None = None) -> QuerySet[Enterprise]:
    """The enterprises a user may read, optionally narrowed by EnterpriseFilterSet parameters."""
    from .filters import EnterpriseFilterSet

    qs = Enterprise.objects.visible_to(user).select_related("department")
    if filters:
        qs = EnterpriseFilterSet(filters, queryset=qs).qs
    return qs


def enterprise_get_for_user(*, user, pk: int) -> Enterprise | None:
    return enterprises_for_user(user=user).filter(pk=pk).first()


def enterprise_counts_by_section(*, user) -> list[dict]:
    """Enterprise counts per GB/T 4754 门类, for the dashboard (largest first)."""
    rows = enterprises_for_user(user=user).values("industry_code").annotate(n=Count("id"))
    totals: dict[str, int] = {}
    for row in rows:
        section = industry.section_of(row["industry_code"])
        key = section.code if section else "?"
        totals[key] = totals.get(key, 0) + row["n"]
    out = [
        {"code": code, "name": (industry.lookup(code).name if industry.lookup(code) else code), "count": n}
        for code, n in totals.items()
    ]
    return sorted(out, key=lambda r: -r["count"])


def enterprise_counts_by_area(*, user) -> list[dict]:
    rows = (
        enterprises_for_user(user=user).values("area").annotate(count=Count("id")).order_by("-count", "area")
    )
    return [{"area": r["area"] or "未填写", "count": r["count"]} for r in rows]


def enterprise_areas(*, zone) -> list[str]:
    """The 片区/街道 names already used in a zone (drop-down choices in forms and templates)."""
    return list(
        Enterprise.objects.filter(zone=zone).exclude(area="").values_list("area", flat=True).distinct().order_by("area")
    )


def enterprise_by_uscc(*, zone, code: str) -> Enterprise | None:
    """An enterprise of `zone` by USCC, whichever department keeps it (the USCC is the zone-wide key).

    Raises uscc.InvalidUSCC when `code` is not a valid USCC.
    """
    return Enterprise.objects.filter(zone=zone, uscc=uscc.validate(code)).first()


def enterprise_choices_for_user(*, user, include: Enterprise | None = None) -> QuerySet[Enterprise]:
    """Enterprises offered in a select: those of the user's own zone they can see (and the current one)."""
    q = Q(pk__in=Enterprise.objects.visible_to(user).filter(zone_id=user.zone_id).values("pk"))
    if include is not None:
        q |= Q(pk=include.pk)
    return Enterprise.objects.filter(q).only("id", "name", "uscc").order_by("name", "id")


def department_choices(*, user) -> QuerySet[Department]:
    """The departments a user's list filters offer: those of the zones they read (their own, for staff)."""
    if user.role == Role.DEPARTMENT_STAFF:
        return Department.objects.filter(pk=user.department_id)
    if user.role == Role.ZONE_LEADER:
        return Department.objects.filter(zone_id__in=user.readable_zone_ids()).order_by("zone_id", "code")
    return Department.objects.none()
