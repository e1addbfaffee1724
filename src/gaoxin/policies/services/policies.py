"""Writing policies: create, edit, delete and move between 草稿 / 实施中 / 已停止.

A policy belongs to the department of the staff member who creates it; only that department's staff change
it and its clauses. Amounts already committed under the policy are not undone by an edit: the budget cannot
be cut below them, and a policy with runs, awards or applications cannot be deleted (stop it instead).
"""

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gaoxin.core.audit.models import ChangeAction
from gaoxin.core.audit.services import change_record_many, snapshot
from gaoxin.core.services import audited_create, audited_delete, audited_update, require_write

from ..models import Clause, Policy, PolicyStatus
from ..selectors.budget import budget_for_policy

CENTS = Decimal("0.01")
POLICY_FIELDS = ("code", "name", "document_number", "issuer", "valid_from", "valid_until", "budget_wan",
                 "entity_cap_wan", "summary")
# status → the statuses it may move to
TRANSITIONS = {
    PolicyStatus.DRAFT: (PolicyStatus.IN_FORCE,),
    PolicyStatus.IN_FORCE: (PolicyStatus.ENDED, PolicyStatus.DRAFT),
    PolicyStatus.ENDED: (PolicyStatus.IN_FORCE,),
}


def _pick(data: dict) -> dict:
    fields = {k: v for k, v in data.items() if k in POLICY_FIELDS}
    for key in ("code", "name", "document_number", "issuer", "summary"):
        if isinstance(fields.get(key), str):
            fields[key] = fields[key].strip()
    return fields


def _check_code(zone_id, code: str, *, exclude_pk=None) -> None:
    taken = Policy.objects.filter(zone_id=zone_id, code=code)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if code and taken.exists():
        raise ValidationError({"code": _("本园区已有编号为“%(code)s”的政策。") % {"code": code}})


def _has_history(policy: Policy) -> bool:
    return policy.runs.exists() or policy.awards.exists() or policy.applications.exists()


def allowed_statuses(policy: Policy) -> list[PolicyStatus]:
    """The statuses the policy may move to now (what the status form offers; the service decides)."""
    allowed = TRANSITIONS[PolicyStatus(policy.status)]
    return [s for s in allowed if not (s == PolicyStatus.DRAFT and _has_history(policy))]


@transaction.atomic
def policy_create(*, user, data: dict, message: str = "") -> Policy:
    require_write(user=user, model=Policy)
    fields = _pick(data)
    _check_code(user.zone_id, fields.get("code", ""))
    policy = Policy(zone_id=user.zone_id, department_id=user.department_id, status=PolicyStatus.DRAFT, **fields)
    return audited_create(policy, message=message)


@transaction.atomic
def policy_update(*, user, policy: Policy, data: dict, message: str = "") -> Policy:
    require_write(user=user, model=Policy, obj=policy)
    policy = Policy.objects.select_for_update().get(pk=policy.pk)
    fields = _pick(data)
    if "code" in fields:
        _check_code(policy.zone_id, fields["code"], exclude_pk=policy.pk)
    if "budget_wan" in fields and fields["budget_wan"] is not None:
        committed = budget_for_policy(policy=policy).committed_wan
        if fields["budget_wan"] < committed:
            raise ValidationError({"budget_wan": _(
                "预算不能低于已承诺的兑现金额 %(committed)s 万元（待推送至已归档的兑现记录合计）。") % {
                "committed": committed.quantize(CENTS, rounding=ROUND_HALF_UP)}})
    return audited_update(policy, fields, message=message)


@transaction.atomic
def policy_delete(*, user, policy: Policy, message: str = "") -> None:
    """Delete a policy that never produced anything, with its clauses (each deletion audited)."""
    require_write(user=user, model=Policy, obj=policy)
    if _has_history(policy):
        raise ValidationError(_("该政策已有比对批次、兑现记录或申请，不能删除；如不再执行，请将其停止。"))
    clauses = list(policy.clauses.all())
    befores = [(c, snapshot(c)) for c in clauses]
    policy.clauses.all().delete()
    change_record_many([(c, ChangeAction.DELETE, before) for c, before in befores], message=message)
    audited_delete(policy, message=message)


@transaction.atomic
def policy_set_status(*, user, policy: Policy, status: str, message: str = "") -> Policy:
    """草稿 → 实施中 (needs an active clause) → 已停止 → 实施中 again; back to 草稿 only before anything ran."""
    require_write(user=user, model=Policy, obj=policy)
    policy = Policy.objects.select_for_update().get(pk=policy.pk)
    if status not in PolicyStatus.values:
        raise ValidationError({"status": _("“%(status)s”不是政策的状态。") % {"status": status}})
    current = PolicyStatus(policy.status)
    if status == current:
        raise ValidationError({"status": _("政策已经是“%(status)s”状态。") % {"status": current.label}})
    if status not in TRANSITIONS[current]:
        raise ValidationError({"status": _("政策不能从“%(current)s”改为“%(status)s”。") % {
            "current": current.label, "status": PolicyStatus(status).label}})
    if status == PolicyStatus.IN_FORCE and not Clause.objects.filter(policy=policy, active=True).exists():
        raise ValidationError({"status": _("政策还没有启用的条款，不能实施：请先新增条款。")})
    if status == PolicyStatus.DRAFT and _has_history(policy):
        raise ValidationError({"status": _("政策已有比对批次、兑现记录或申请，不能退回草稿；如需暂停，请将其停止。")})
    return audited_update(policy, {"status": status}, message=message)

