"""Reading match runs: a policy's runs, one run in the user's scope, its awards and what they add up to."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum

from ..models import Award, AwardStatus, MatchRun, MatchRunStatus


def runs_of_policy(*, policy) -> QuerySet[MatchRun]:
    return (policy.runs.select_related("created_by").annotate(award_count=Count("awards"))
            .order_by("-number"))


def run_for_user(*, user, pk) -> MatchRun | None:
    return (MatchRun.objects.visible_to(user).select_related("policy", "department", "created_by")
            .filter(pk=pk).first())


def run_awards(*, run, clause_id: int | None = None) -> QuerySet[Award]:
    """The awards the run created, in rule order then by enterprise; only one clause's with `clause_id`."""
    qs = run.awards.select_related("enterprise", "clause")
    if clause_id is not None:
        qs = qs.filter(clause_id=clause_id)
    return qs.order_by("clause__order", "enterprise__uscc", "id")


@dataclass(frozen=True)
class RunSummary:
    awards: int  # awards created (rows with a paid amount above zero)
    amount_wan: Decimal  # Σ of their amounts
    cut_to_zero: int  # matched rows the entity cap or the budget left with nothing: counted, not awarded
    by_status: list[tuple[str, int, Decimal]]  # (status label, count, Σ amount) of the awards now


def run_summary(*, run) -> RunSummary:
    rows = list(run.awards.values("status").order_by("status").annotate(n=Count("pk"), s=Sum("amount_wan")))
    awards = sum(r["n"] for r in rows)
    amount = sum((r["s"] or Decimal("0") for r in rows), Decimal("0.00"))
    # a voided run's awards are gone: nothing was cut, nothing stands
    cut = max(run.matched - awards, 0) if awards or run.status != MatchRunStatus.CANCELLED else 0
    return RunSummary(awards, amount, cut, [(AwardStatus(r["status"]).label, r["n"], r["s"] or Decimal("0.00"))
                                            for r in rows])


def run_clauses(*, run) -> list[tuple[int, str]]:
    """(clause id, "code name") of the clauses that have awards in the run, for the filter."""
    rows = (run.awards.values_list("clause_id", "clause__code", "clause__name", "clause__order")
            .order_by("clause__order", "clause_id").distinct())
    return [(pk, f"{code} {name}") for pk, code, name, _order in rows]


def runs_for_user(*, user, filters: dict | None = None) -> QuerySet[MatchRun]:
    """Runs the user may read; filters (already validated): policy (id), year, status."""
    filters = filters or {}
    qs = MatchRun.objects.visible_to(user).select_related("policy", "created_by").annotate(award_count=Count("awards"))
    for key, lookup in (("policy", "policy_id"), ("year", "year"), ("status", "status")):
        if filters.get(key) not in (None, ""):
            qs = qs.filter(**{lookup: filters[key]})
    return qs.order_by("-created_at", "-id")
