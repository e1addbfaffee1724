"""Budget used and remaining per policy (预算执行): what the policy's awards commit, approve and pay."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, Sum

from ..models import COMMITTED_STATUSES, PAID_STATUSES, Award, AwardStatus

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Budget:
    budget_wan: Decimal | None  # None: the policy sets no total
    committed_wan: Decimal  # every award not declined or rejected, from 待推送 to 已归档
    approved_wan: Decimal  # 已审核, not yet paid
    paid_wan: Decimal  # 已兑付, 公示中 and 已归档

    @property
    def remaining_wan(self) -> Decimal | None:
        return None if self.budget_wan is None else self.budget_wan - self.committed_wan

    @property
    def used_pct(self) -> Decimal | None:
        """Committed as a share of the budget, unrounded (shown with one decimal)."""
        if not self.budget_wan:
            return None
        return self.committed_wan / self.budget_wan * 100


def _sums(queryset) -> dict:
    return queryset.aggregate(
        committed=Sum("amount_wan", filter=Q(status__in=COMMITTED_STATUSES)),
        approved=Sum("amount_wan", filter=Q(status=AwardStatus.APPROVED)),
        paid=Sum("amount_wan", filter=Q(status__in=PAID_STATUSES)),
    )


def budget_for_policy(*, policy) -> Budget:
    sums = _sums(Award.objects.filter(policy=policy))
    return Budget(policy.budget_wan, sums["committed"] or ZERO, sums["approved"] or ZERO, sums["paid"] or ZERO)


def budgets_for_policies(*, policies) -> dict[int, Budget]:
    """policy id → Budget, in one query (for the policy list)."""
    policies = list(policies)
    rows = (Award.objects.filter(policy__in=policies).values("policy_id")
            .annotate(committed=Sum("amount_wan", filter=Q(status__in=COMMITTED_STATUSES)),
                      approved=Sum("amount_wan", filter=Q(status=AwardStatus.APPROVED)),
                      paid=Sum("amount_wan", filter=Q(status__in=PAID_STATUSES))))
    by_policy = {r["policy_id"]: r for r in rows}
    result = {}
    for p in policies:
        r = by_policy.get(p.pk, {})
        result[p.pk] = Budget(p.budget_wan, r.get("committed") or ZERO, r.get("approved") or ZERO,
                              r.get("paid") or ZERO)
    return result
