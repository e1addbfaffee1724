"""Reading policies and clauses: lists in the user's scope, the live count of a clause (who would qualify
now), and which facts a rule looked at (the "why" shown to an enterprise)."""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from .. import rules
from ..models import Clause, ClauseMode, Policy, PolicyStatus
from .facts import COLUMNS_BY_NAME, FACT_COLUMNS, facts_frame, parse_year, year_bounds

PREVIEW_ROWS = 20
PREVIEW_CODE = "preview"
# the engine names the rule it is talking about; in the preview there is only the one being typed
ENGINE_PREFIX = re.compile(r"^第 \d+ 条规则（[^）]*）：")


def policies_for_user(*, user, filters=None) -> QuerySet[Policy]:
    """Policies the user may read, with their number of clauses; filters: status, year (in force during
    that year), q (code, name or document number). Values that are not valid are ignored."""
    filters = filters or {}
    qs = (Policy.objects.visible_to(user).select_related("department")
          .annotate(clause_count=Count("clauses", distinct=True)))
    status = (filters.get("status") or "").strip()
    if status in PolicyStatus.values:
        qs = qs.filter(status=status)
    year = parse_year(filters.get("year")) if filters.get("year") else None
    if year is not None:
        start, end = year_bounds(year)
        qs = qs.filter(Q(valid_from__lte=end) & (Q(valid_until__isnull=True) | Q(valid_until__gte=start)))
    q = (filters.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(code__icontains=q) | Q(name__icontains=q) | Q(document_number__icontains=q))
    return qs


def policy_for_user(*, user, pk) -> Policy | None:
    return Policy.objects.visible_to(user).select_related("department").filter(pk=pk).first()


def clauses_of_policy(*, policy) -> QuerySet[Clause]:
    """The clauses in rule order, each with its number of awards and applications (what blocks a delete)."""
    return (policy.clauses.order_by("order", "id")
            .annotate(award_count=Count("awards", distinct=True),
                      application_count=Count("applications", distinct=True)))


def clause_for_user(*, user, pk) -> Clause | None:
    return Clause.objects.visible_to(user).select_related("policy", "department").filter(pk=pk).first()


def automatic_clauses(*, policy) -> list[Clause]:
    """The clauses a match run computes: active 免申即享 ones, in order."""
    return list(policy.clauses.filter(active=True, mode=ClauseMode.AUTOMATIC).order_by("order", "id"))


def policy_rules_toml(*, policy, clauses: list[Clause] | None = None, budget_wan=None, comments=None) -> str:
    """The policy's active 免申即享 clauses as a rules file (the contract's format). `budget_wan` overrides the
    policy's budget (a run uses what is left of it)."""
    clauses = automatic_clauses(policy=policy) if clauses is None else clauses
    head = {"code": policy.code, "name": policy.name,
            "budget_wan": policy.budget_wan if budget_wan is None else budget_wan,
            "entity_cap_wan": policy.entity_cap_wan}
    return rules.rules_toml(head, [_rule_of(c) for c in clauses], comments=comments)


def _rule_of(clause: Clause) -> dict:
    return {"code": clause.code, "name": clause.name, "when": clause.when, "amount_wan": clause.amount_wan,
            "cap_wan": clause.cap_wan}


@dataclass(frozen=True)
class ClausePreview:
    count: int
    total_wan: Decimal
    rows: list[tuple[str, str, Decimal, Decimal]] = field(default_factory=list)  # uscc, name, raw, granted
    error: str | None = None
    year: int | None = None
    entities: int = 0  # enterprises in the year's facts


def _strip(problem: str) -> str:
    return ENGINE_PREFIX.sub("", problem)


def clause_preview(*, zone, year: int, when: str, amount_wan: str, cap_wan=None) -> ClausePreview:
    """Who would qualify under one rule over the zone's facts of `year`, and for how much (rule cap applied,
    no entity cap or budget). An invalid rule is reported in `error` with the engine's reason, never raised."""
    empty = ClausePreview(count=0, total_wan=Decimal("0.00"), year=year)
    when, amount_wan = (when or "").strip(), (amount_wan or "").strip()
    if not when or not amount_wan:
        return ClausePreview(**{**empty.__dict__, "error": _("请填写适用条件和奖励金额，即可看到现有符合条件的企业。")})
    text = rules.rules_toml({"code": PREVIEW_CODE, "name": PREVIEW_CODE},
                            [{"code": PREVIEW_CODE, "name": PREVIEW_CODE, "when": when, "amount_wan": amount_wan,
                              "cap_wan": cap_wan}])
    facts = facts_frame(zone=zone, year=year)
    try:
        policy = rules.parse_rules(text)
        # the types are checked on the columns, not only on the rows that match: a rule that matches
        # nobody today must not hide an amount that is not a number
        typed = rules.rule_problems(when, amount_wan, facts.clear())
        if typed["when"] or typed["amount_wan"]:
            raise rules.RulesError(typed["when"] + typed["amount_wan"])
        result = rules.match(policy, facts)
    except rules.RulesError as exc:
        return ClausePreview(**{**empty.__dict__, "entities": facts.height,
                                "error": "；".join(_strip(p) for p in exc.problems)})
    names = dict(zip(facts.get_column("entity").to_list(), facts.get_column("name").to_list(), strict=True))
    top = result.table.sort(["granted_wan", "entity"], descending=[True, False]).head(PREVIEW_ROWS)
    rows = [(entity, names.get(entity, ""), raw, granted)
            for entity, raw, granted in top.select("entity", "raw_wan", "granted_wan").iter_rows()]
    return ClausePreview(count=result.matched, total_wan=result.total_granted, rows=rows, year=year,
                         entities=facts.height)


def explain(*, when: str, amount_wan: str, facts: dict) -> list[tuple[str, str, object]]:
    """The facts columns a rule refers to, in the facts table's order, with their values in `facts`
    (None when absent): what the rule looked at to decide and to compute the amount."""
    used = rules.columns_used(when or "") | rules.columns_used(amount_wan or "")
    return [(c.name, str(c.label), facts.get(c.name)) for c in FACT_COLUMNS if c.name in used]


def column_label(name: str) -> str:
    column = COLUMNS_BY_NAME.get(name)
    return str(column.label) if column else name
