"""Reads of applications (依申请) and their evidence, scoped once here, and the limits an approval must keep.

Staff read their department's applications, leaders the zone's, an enterprise user their own enterprise's
(ScopeRule on Application). Evidence files are reachable only through an application the user may read.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum

from ..models import (
    COMMITTED_STATUSES,
    Application,
    ApplicationEvidence,
    ApplicationStatus,
    Award,
    Clause,
    Policy,
)
from .awards import int_param
from .budget import budget_for_policy

ZERO = Decimal("0.00")
OPEN_STATUSES = (ApplicationStatus.SUBMITTED, ApplicationStatus.RETURNED)


def applications_for_user(*, user, filters: dict | None = None) -> QuerySet[Application]:
    """The applications `user` may read, filtered by `policy`, `clause` (pks), `status`, `year` and
    `enterprise` (part of the name or USCC); values that make no sense are ignored."""
    qs = Application.objects.visible_to(user).select_related("policy", "clause", "enterprise", "submitted_by",
                                                             "reviewed_by")
    filters = filters or {}
    for key, lookup in (("policy", "policy_id"), ("clause", "clause_id")):
        value = int_param(filters.get(key))
        if value is not None:
            qs = qs.filter(**{lookup: value})
    status = filters.get("status", "")
    if status in ApplicationStatus.values:
        qs = qs.filter(status=status)
    year = int_param(filters.get("year"), digits=4)
    if year is not None:
        qs = qs.filter(year=year)
    text = str(filters.get("enterprise", "") or "").strip()[:100]
    if text:
        qs = qs.filter(Q(enterprise__name__icontains=text) | Q(enterprise__uscc__icontains=text.upper()))
    return qs


def application_for_user(*, user, pk: int) -> Application | None:
    return applications_for_user(user=user).filter(pk=pk).first()


def evidence_for_user(*, user, pk: int) -> ApplicationEvidence | None:
    """An evidence file, only for users who may read its application (None otherwise: a 404, never a hint)."""
    return (ApplicationEvidence.objects.filter(pk=pk, application__in=applications_for_user(user=user))
            .select_related("application").first())


def live_award(*, clause: Clause, enterprise_id: int, year: int) -> Award | None:
    """The award that holds the clause and year for the enterprise (anything not declined or rejected)."""
    return Award.objects.filter(clause=clause, enterprise_id=enterprise_id, year=year,
                                status__in=COMMITTED_STATUSES).first()


def open_application(*, clause: Clause, enterprise_id: int, year: int, exclude_pk: int | None = None):
    qs = Application.objects.filter(clause=clause, enterprise_id=enterprise_id, year=year, status__in=OPEN_STATUSES)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.first()


def committed_for_enterprise(*, policy: Policy, enterprise_id: int) -> Decimal:
    """What the enterprise already holds under the policy, all years (the entity cap counts it, as a run does)."""
    total = (Award.objects.filter(policy=policy, enterprise_id=enterprise_id, status__in=COMMITTED_STATUSES)
             .aggregate(total=Sum("amount_wan"))["total"])
    return total or ZERO


@dataclass(frozen=True)
class Limits:
    """The most an approval may grant, limit by limit (None: the policy sets no such limit)."""

    requested_wan: Decimal
    cap_wan: Decimal | None
    remaining_budget_wan: Decimal | None
    entity_cap_wan: Decimal | None
    entity_committed_wan: Decimal
    entity_room_wan: Decimal | None

    @property
    def most_wan(self) -> Decimal:
        values = [v for v in (self.requested_wan, self.cap_wan, self.remaining_budget_wan, self.entity_room_wan)
                  if v is not None]
        return max(min(values), ZERO)


def application_limits(*, application: Application) -> Limits:
    policy = application.policy
    budget = budget_for_policy(policy=policy)
    remaining = None if budget.remaining_wan is None else max(budget.remaining_wan, ZERO)
    committed = committed_for_enterprise(policy=policy, enterprise_id=application.enterprise_id)
    room = None if policy.entity_cap_wan is None else max(policy.entity_cap_wan - committed, ZERO)
    return Limits(requested_wan=application.requested_wan, cap_wan=application.clause.cap_wan,
                  remaining_budget_wan=remaining, entity_cap_wan=policy.entity_cap_wan,
                  entity_committed_wan=committed, entity_room_wan=room)
