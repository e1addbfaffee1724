"""Match runs (系统比对 → 精准推送): compute a policy's 免申即享 clauses over a year's facts and create the awards.

A run freezes what produced every amount: the rules as TOML (with the budget left and the entity cap at that
moment), the facts' columns, and on each award the clause version, its rule and the enterprise's facts row.
What earlier runs and applications already settled is passed to the engine: amounts committed under the
policy count against the entity cap (all years), and a clause already awarded live to an enterprise for the
year is not matched again, so nothing is paid twice.

A run's awards start 待推送; notifying the run sends them all (已推送). A run can be voided (已作废) while
nothing in it has been sent: its awards are deleted (each deletion audited) and their budget is free again.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.core.audit.models import ChangeAction
from gaoxin.core.audit.services import change_record_many, snapshot
from gaoxin.core.bulk import insert_instances
from gaoxin.core.services import audited_create, audited_update, require_write

from .. import rules
from ..models import (
    CLOSED_STATUSES,
    COMMITTED_STATUSES,
    Award,
    AwardSource,
    AwardStatus,
    MatchRun,
    MatchRunStatus,
    Policy,
    PolicyStatus,
)
from ..selectors.budget import budget_for_policy
from ..selectors.facts import FACTS_SCHEMA, fact_rows, frame_of, json_safe, parse_year
from ..selectors.policies import automatic_clauses, policy_rules_toml

ZERO = Decimal("0.00")


def _check_year(policy: Policy, year) -> int:
    checked = parse_year(year)
    if checked is None:
        raise ValidationError({"year": _("“%(year)s”不是可以比对的年度（2000 年至今年）。") % {"year": year}})
    first = policy.valid_from.year
    last = policy.valid_until.year if policy.valid_until else None
    if checked < first or (last is not None and checked > last):
        span = f"{first}—{last}" if last is not None else f"{first}—"
        raise ValidationError({"year": _("%(year)s 年不在政策有效期（%(span)s 年）内。") % {"year": checked, "span": span}})
    return checked


def _wan(amount: Decimal) -> Decimal:
    """An amount as shown to a person: two decimals (the database may return 200 for 200.00)."""
    return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _cents(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value())


def _prior(policy: Policy) -> dict[str, int]:
    """USCC → cents already committed to the enterprise under the policy, any year (against the entity cap)."""
    rows = (Award.objects.filter(policy=policy, status__in=COMMITTED_STATUSES)
            .values("enterprise__uscc").order_by().annotate(total=Sum("amount_wan")))
    return {r["enterprise__uscc"]: _cents(r["total"]) for r in rows if r["total"]}


def _excluded(policy: Policy, year: int) -> set[tuple[str, str]]:
    """(USCC, clause code) pairs already awarded, alive, for the year: not matched again."""
    rows = (Award.objects.filter(policy=policy, year=year).exclude(status__in=CLOSED_STATUSES)
            .values_list("enterprise__uscc", "clause__code"))
    return set(rows)


@transaction.atomic
def match_run_create(*, user, policy: Policy, year: int, message: str = "") -> MatchRun:
    """Match the policy's active 免申即享 clauses against the zone's facts of `year`; one award (待推送) per
    matched enterprise and clause with a paid amount above zero. All or nothing."""
    require_write(user=user, model=MatchRun)
    require_write(user=user, model=Policy, obj=policy)
    policy = Policy.objects.select_for_update().get(pk=policy.pk)  # one run of a policy at a time
    if policy.status != PolicyStatus.IN_FORCE:
        raise ValidationError(_("政策处于“%(status)s”状态：只有实施中的政策可以比对。") % {
            "status": policy.get_status_display()})
    year = _check_year(policy, year)
    clauses = automatic_clauses(policy=policy)
    if not clauses:
        raise ValidationError(_("政策没有启用的免申即享条款，无从比对：依申请条款由企业申请后审核。"))
    budget = budget_for_policy(policy=policy)
    remaining = None if budget.remaining_wan is None else max(budget.remaining_wan, ZERO)
    if remaining is not None and remaining == 0:
        raise ValidationError(_("政策预算 %(budget)s 万元已全部承诺，没有可兑现的余额。") % {
            "budget": _wan(budget.budget_wan)})
    number = (policy.runs.filter(year=year).aggregate(m=Max("number"))["m"] or 0) + 1  # 2025年度第1批
    comments = [_("%(code)s %(year)s年度第%(number)s批比对") % {"code": policy.code, "number": number,
                                                                "year": year}]
    if remaining is not None:
        comments.append(_("budget_wan 为比对时的预算余额（总预算 %(budget)s 万元，已承诺 %(committed)s 万元）") % {
            "budget": _wan(budget.budget_wan), "committed": _wan(budget.committed_wan)})
    text = policy_rules_toml(policy=policy, clauses=clauses, budget_wan=remaining, comments=comments)
    rows = fact_rows(zone=policy.zone_id, year=year)
    try:
        result = rules.match(rules.parse_rules(text), frame_of(rows), prior=_prior(policy),
                             excluded=_excluded(policy, year))
    except rules.RulesError as exc:
        raise ValidationError(exc.problems) from None

    run = audited_create(MatchRun(
        zone_id=policy.zone_id, department_id=policy.department_id, policy=policy, year=year, number=number,
        rules_toml=text, facts_columns=list(FACTS_SCHEMA), entities=len(rows), matched=result.matched,
        granted_wan=result.total_granted, paid_wan=result.total_paid, budget_scaled=result.scaled,
        status=MatchRunStatus.MATCHED, created_by=user,
    ), message=message)

    by_uscc = {row.values["entity"]: row for row in rows}
    by_code = {c.code: c for c in clauses}
    now = timezone.now()
    awards = []
    for entity, code, raw, granted, paid, note in result.table.iter_rows():
        if paid <= 0:  # the entity cap (or the budget's rounding down) left nothing: counted, not awarded
            continue
        row, clause = by_uscc[entity], by_code[code]
        awards.append(Award(
            zone_id=policy.zone_id, department_id=policy.department_id, policy=policy, clause=clause,
            enterprise_id=row.enterprise_id, year=year, source=AwardSource.MATCH, run=run,
            clause_version=clause.version, rule_when=clause.when, rule_amount=clause.amount_wan,
            facts=json_safe(row.values), raw_wan=raw, granted_wan=granted, amount_wan=paid, note=note,
            status=AwardStatus.PENDING, created_at=now, updated_at=now,
        ))
    insert_instances(awards)
    created = Award.objects.filter(run=run).select_related("enterprise", "clause")
    change_record_many([(a, ChangeAction.CREATE, None) for a in created], message=message or str(run))
    return run


def _locked(run: MatchRun) -> MatchRun:
    return MatchRun.objects.select_for_update().select_related("policy").get(pk=run.pk)


@transaction.atomic
def match_run_notify(*, user, run: MatchRun, message: str = "") -> int:
    """Send the run's awards to the enterprises (待推送 → 已推送); the run becomes 已推送. Returns how many."""
    require_write(user=user, model=MatchRun, obj=run)
    run = _locked(run)
    if run.status != MatchRunStatus.MATCHED:
        raise ValidationError(_("该批次为“%(status)s”状态，不能推送。") % {"status": run.get_status_display()})
    if run.policy.status != PolicyStatus.IN_FORCE:
        raise ValidationError(_("政策已不在实施中，不能推送兑现通知。"))
    awards = list(run.awards.filter(status=AwardStatus.PENDING).select_related("enterprise", "clause"))
    if not awards:
        raise ValidationError(_("该批次没有待推送的兑现记录：如无需推送，请作废该批次。"))
    now = timezone.now()
    changes = []
    for award in awards:
        before = snapshot(award)
        award.status, award.notified_at, award.updated_at = AwardStatus.NOTIFIED, now, now
        changes.append((award, ChangeAction.UPDATE, before))
    Award.objects.bulk_update(awards, ["status", "notified_at", "updated_at"], batch_size=1000)
    change_record_many(changes, message=message or _("推送兑现通知：%(run)s") % {"run": run})
    audited_update(run, {"status": MatchRunStatus.NOTIFIED, "notified_at": now}, message=message)
    return len(awards)


@transaction.atomic
def match_run_cancel(*, user, run: MatchRun, reason: str, message: str = "") -> MatchRun:
    """Void a run nothing of which was sent: its awards are deleted (audited) and the run becomes 已作废."""
    require_write(user=user, model=MatchRun, obj=run)
    run = _locked(run)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("作废比对批次须填写原因。")})
    if run.status != MatchRunStatus.MATCHED or run.awards.exclude(status=AwardStatus.PENDING).exists():
        raise ValidationError(_("该批次的兑现通知已经推送（或已作废），不能作废：已推送的记录请逐条审核不通过。"))
    awards = list(run.awards.select_related("enterprise", "clause"))
    befores = [(a, snapshot(a)) for a in awards]
    record = _("作废原因：%(reason)s") % {"reason": reason}
    run.awards.all().delete()
    change_record_many([(a, ChangeAction.DELETE, before) for a, before in befores], message=record)
    return audited_update(run, {"status": MatchRunStatus.CANCELLED}, message=record)
