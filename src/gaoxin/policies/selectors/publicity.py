"""Reads of publicity batches (兑现公示), scoped once here.

Officers (staff of the policy's department, the zone's leaders) read every batch in their scope (ScopeRule on
Publicity). A publicity is a public list, so an enterprise user may also read a batch that names their
enterprise — and only such a batch (Publicity's ScopeRule has no enterprise, so this is decided here).
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import Count, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.core.permissions import Role

from ..models import Award, AwardStatus, Policy, Publicity, PublicityStatus

# The window is counted in calendar days in the zone's time, whatever the server's clock zone is.
ZONE_TIME = ZoneInfo("Asia/Shanghai")
ZERO = Decimal("0.00")


def today() -> dt.date:
    """Today in the zone; services and pages call it through this module so that tests can patch it."""
    return timezone.localdate(timezone=ZONE_TIME)


def publicities_for_user(*, user, filters: dict | None = None) -> QuerySet[Publicity]:
    """The batches `user` may read, optionally by `policy` (pk) and `status`, with count and Σ amount."""
    if user is None or not user.is_authenticated:
        return Publicity.objects.none()
    if user.role == Role.ENTERPRISE:
        if not user.enterprise_id:
            return Publicity.objects.none()
        listed = Award.objects.filter(zone_id=user.zone_id, enterprise_id=user.enterprise_id).values("publicity_id")
        qs = Publicity.objects.filter(zone_id=user.zone_id, pk__in=listed)
    else:
        qs = Publicity.objects.visible_to(user)
    filters = filters or {}
    policy = str(filters.get("policy", "") or "").strip()
    if policy.isdigit() and len(policy) < 10:
        qs = qs.filter(policy_id=int(policy))
    status = filters.get("status", "")
    if status in PublicityStatus.values:
        qs = qs.filter(status=status)
    return qs.select_related("policy", "department").annotate(
        award_count=Count("awards"), total_wan=Sum("awards__amount_wan"))


def publicity_for_user(*, user, pk: int) -> Publicity | None:
    return publicities_for_user(user=user).filter(pk=pk).first()


def publicity_rows(*, publicity: Publicity) -> list[Award]:
    """The 公示名单 in print order: by clause order, then enterprise name."""
    return list(publicity.awards.select_related("enterprise", "clause")
                .order_by("clause__order", "clause__id", "enterprise__name", "pk"))


def publicity_total(rows: list[Award]) -> Decimal:
    return sum((a.amount_wan for a in rows), ZERO)


def awards_awaiting_publicity(*, policy: Policy) -> QuerySet[Award]:
    """Paid awards of the policy that no publicity lists yet: what a new publicity takes."""
    return (Award.objects.filter(policy=policy, status=AwardStatus.PAID, publicity__isnull=True)
            .select_related("enterprise", "clause").order_by("clause__order", "enterprise__name", "pk"))


@dataclass(frozen=True)
class Window:
    state: str  # "upcoming", "open", "over"
    days: int
    can_archive: bool
    archive_problem: str


def publicity_window(*, publicity: Publicity) -> Window:
    now = today()
    days = (publicity.end - publicity.start).days + 1
    state = "upcoming" if now < publicity.start else "open" if now <= publicity.end else "over"
    problem = ""
    if publicity.status != PublicityStatus.OPEN:
        problem = _("该公示已归档。")
    elif state != "over":
        problem = _("公示期至 %(end)s 截止，截止后才能归档。") % {"end": publicity.end.isoformat()}
    return Window(state=state, days=days, can_archive=not problem, archive_problem=problem)


def publicities_of_policy(*, user, policy: Policy) -> QuerySet[Publicity]:
    return publicities_for_user(user=user).filter(policy=policy).order_by("-start", "-pk")


def publicity_years(*, awards) -> list[int]:
    return sorted({a.year for a in awards})


def enterprise_in_publicity(*, user, publicity: Publicity) -> bool:
    return Award.objects.filter(publicity=publicity, enterprise_id=user.enterprise_id).exists()

