"""Reads of awards (兑现记录), scoped once here, and the trace of an award: why it was given and how much.

Staff read their department's awards, leaders the zone's, an enterprise user their own enterprise's — except
those still 待推送: a match run's output is the officers' working material until it is notified.
"""

import logging
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from gaoxin.core.audit.selectors import object_changes_for_object
from gaoxin.core.permissions import Role

from ..models import Award, AwardSource, AwardStatus, Clause, ClauseMode, Policy, PolicyStatus
from .policies import column_label, explain

logger = logging.getLogger(__name__)
ZERO = Decimal("0.00")
# the facts row's key columns, not conditions
FACT_KEYS = ("entity", "name")


def int_param(value, *, digits: int = 9) -> int | None:
    """A positive integer from a query parameter, or None for anything else (a hand-edited URL never errors)."""
    text = str(value if value is not None else "").strip()
    return int(text) if text.isdigit() and len(text) <= digits else None


def awards_for_user(*, user, filters: dict | None = None) -> QuerySet[Award]:
    """The awards `user` may read, filtered by `policy`, `clause`, `run` (pks), `status`, `source`, `year` and
    `enterprise` (part of the name or USCC). Values that make no sense are ignored."""
    qs = Award.objects.visible_to(user).select_related("policy", "clause", "enterprise", "run", "publicity",
                                                       "application")
    if user is not None and getattr(user, "role", None) == Role.ENTERPRISE:
        qs = qs.exclude(status=AwardStatus.PENDING)
    filters = filters or {}
    for key, lookup in (("policy", "policy_id"), ("clause", "clause_id"), ("run", "run_id")):
        value = int_param(filters.get(key))
        if value is not None:
            qs = qs.filter(**{lookup: value})
    status = filters.get("status", "")
    if status in AwardStatus.values:
        qs = qs.filter(status=status)
    source = filters.get("source", "")
    if source in AwardSource.values:
        qs = qs.filter(source=source)
    year = int_param(filters.get("year"), digits=4)
    if year is not None:
        qs = qs.filter(year=year)
    text = str(filters.get("enterprise", "") or "").strip()[:100]
    if text:
        qs = qs.filter(Q(enterprise__name__icontains=text) | Q(enterprise__uscc__icontains=text.upper()))
    return qs


def award_for_user(*, user, pk: int) -> Award | None:
    return awards_for_user(user=user).filter(pk=pk).first()


def award_totals(qs: QuerySet[Award]) -> dict:
    """Count and Σ of the three amounts over a (filtered) list."""
    sums = qs.order_by().aggregate(count=Count("id"), raw=Sum("raw_wan"), granted=Sum("granted_wan"),
                                   amount=Sum("amount_wan"))
    return {"count": sums["count"], "raw_wan": sums["raw"] or ZERO, "granted_wan": sums["granted"] or ZERO,
            "amount_wan": sums["amount"] or ZERO}


def award_summary_for_policy(*, user, policy: Policy) -> list[dict]:
    """Per status (in the flow's order) the count and Σ amount of the policy's awards the user may read."""
    rows = {r["status"]: r for r in awards_for_user(user=user).filter(policy=policy).order_by()
            .values("status").annotate(count=Count("id"), amount=Sum("amount_wan"))}
    return [{"status": value, "label": label, "count": rows[value]["count"], "amount_wan": rows[value]["amount"]}
            for value, label in AwardStatus.choices if value in rows]


def mask_account(number: str) -> str:
    """A bank account as the list shows it to everyone: only the last four digits."""
    number = (number or "").replace(" ", "")
    if not number:
        return ""
    return "•••• " + number[-4:]


def policy_choices(*, user) -> list[tuple[int, str]]:
    return [(p.pk, f"{p.code} {p.name}") for p in Policy.objects.visible_to(user).order_by("-valid_from", "code")]


def clause_choices(*, user, policy_id: int | None = None) -> list[tuple[int, str]]:
    qs = Clause.objects.visible_to(user).select_related("policy")
    if policy_id is not None:
        qs = qs.filter(policy_id=policy_id)
    return [(c.pk, f"{c.policy.code} · {c.name}") for c in qs.order_by("policy__code", "order", "pk")]


# --- the trace ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Condition:
    column: str
    label: str
    value: object


@dataclass
class Trace:
    """Everything that produced an award's amount, for the officer's "why" and the enterprise's plain words."""

    award: Award
    conditions: list[Condition]
    explained: bool  # False: the rule's columns could not be told apart, so every frozen fact is listed
    when: str
    formula: str
    version: int
    current_version: int
    raw_wan: Decimal
    granted_wan: Decimal
    amount_wan: Decimal
    note: str
    sentence: str
    history: QuerySet = field(repr=False, default=None)

    @property
    def cap_cut(self) -> bool:
        return self.granted_wan < self.raw_wan

    @property
    def budget_cut(self) -> bool:
        return self.amount_wan < self.granted_wan

    @property
    def rule_changed(self) -> bool:
        return self.current_version != self.version


def _conditions(award: Award) -> tuple[list[Condition], bool]:
    facts = award.facts or {}
    if not facts:
        return [], True
    if award.rule_when or award.rule_amount:
        try:
            rows = explain(when=award.rule_when, amount_wan=award.rule_amount, facts=facts)
        except Exception:  # the explanation is a courtesy: a rule it cannot read falls back to all facts
            logger.warning("explain failed for award %s", award.pk, exc_info=True)
        else:
            return [Condition(str(c), str(label), value) for c, label, value in rows], True
    return [Condition(k, column_label(k), v) for k, v in facts.items() if k not in FACT_KEYS], False


def _value_text(value) -> str:
    if value is None:
        return _("无数据")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def plain_sentence(award: Award, conditions: list[Condition]) -> str:
    """The "why" in the enterprise's words: 2024年 新认定市级智能工厂（新认定市级智能工厂数：1）→ 奖励 200.00 万元."""
    shown = _("；").join(_("%(label)s：%(value)s") % {"label": c.label, "value": _value_text(c.value)}
                        for c in conditions)
    amount = f"{award.amount_wan:,.2f}"
    if award.source == AwardSource.APPLICATION:
        return _("%(year)s年 %(clause)s（依申请，经审核）→ 奖励 %(amount)s 万元") % {
            "year": award.year, "clause": award.clause.name, "amount": amount}
    if shown:
        return _("%(year)s年 %(clause)s（%(facts)s）→ 奖励 %(amount)s 万元") % {
            "year": award.year, "clause": award.clause.name, "facts": shown, "amount": amount}
    return _("%(year)s年 %(clause)s → 奖励 %(amount)s 万元") % {
        "year": award.year, "clause": award.clause.name, "amount": amount}


def award_trace(*, award: Award) -> Trace:
    """The facts the rule used (with the values frozen on the award), the rule text and version that ran, the
    engine's raw → granted (rule cap, entity cap) → paid (budget) with its note, and the award's history.
    Callers have already checked that the user may read the award."""
    conditions, explained = _conditions(award)
    return Trace(
        award=award, conditions=conditions, explained=explained, when=award.rule_when, formula=award.rule_amount,
        version=award.clause_version, current_version=award.clause.version, raw_wan=award.raw_wan,
        granted_wan=award.granted_wan, amount_wan=award.amount_wan, note=award.note,
        sentence=plain_sentence(award, conditions),
        history=object_changes_for_object(obj=award).order_by("time", "pk"),
    )


# --- what an enterprise user may apply for --------------------------------------------------------------------

def open_clauses_for_enterprise(*, user) -> QuerySet[Clause]:
    """依申请 clauses, active, of policies 实施中 whose validity covers today, in the enterprise user's zone."""
    from .publicity import today

    if user is None or not user.is_authenticated or user.role != Role.ENTERPRISE or not user.enterprise_id:
        return Clause.objects.none()
    now = today()
    return (Clause.objects.filter(zone_id=user.zone_id, mode=ClauseMode.APPLICATION, active=True,
                                  policy__status=PolicyStatus.IN_FORCE, policy__valid_from__lte=now)
            .filter(Q(policy__valid_until__isnull=True) | Q(policy__valid_until__gte=now))
            .select_related("policy").order_by("policy__code", "order", "pk"))


def open_clause_for_enterprise(*, user, pk: int) -> Clause | None:
    return open_clauses_for_enterprise(user=user).filter(pk=pk).first()
