"""Writing clauses (条款): each a rule over the facts (免申即享) or a measure decided on evidence (依申请).

The rule of a 免申即享 clause is checked against the facts' columns and types before it is saved, with each
reason on the field it concerns. Every change of what decides or computes an award (condition, amount,
cap, mode, active) raises the clause's version; an award keeps the version that produced it.
"""

import copy
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from gaoxin.core.services import audited_create, audited_delete, audited_update, require_write

from .. import rules
from ..models import Clause, ClauseMode, Policy
from ..selectors.facts import empty_frame

CLAUSE_FIELDS = ("order", "code", "name", "text", "mode", "when", "amount_wan", "cap_wan", "evidence", "active")
# a change of any of these changes what the clause awards: a new version
RULE_FIELDS = ("when", "amount_wan", "cap_wan", "mode", "active")


def _pick(data: dict) -> dict:
    fields = {k: v for k, v in data.items() if k in CLAUSE_FIELDS}
    for key in ("code", "name", "when", "amount_wan", "text", "evidence"):
        if isinstance(fields.get(key), str):
            fields[key] = fields[key].strip()
    return fields


def _check_code(policy: Policy, code: str, *, exclude_pk=None) -> None:
    taken = Clause.objects.filter(policy=policy, code=code)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if code and taken.exists():
        raise ValidationError({"code": _("本政策已有代码为“%(code)s”的条款。") % {"code": code}})


def check_rule(*, mode: str, when: str, amount_wan: str) -> None:
    """A 免申即享 clause's condition and amount must compute over the facts' columns; ValidationError with
    the reasons on `when` / `amount_wan` otherwise. Empty parts are left to the model's own check."""
    if mode != ClauseMode.AUTOMATIC:
        return
    when, amount_wan = (when or "").strip(), (amount_wan or "").strip()
    problems = rules.rule_problems(when or "true", amount_wan or "0", empty_frame())
    errors = {}
    if when and problems["when"]:
        errors["when"] = problems["when"]
    if amount_wan and problems["amount_wan"]:
        errors["amount_wan"] = problems["amount_wan"]
    if errors:
        raise ValidationError(errors)


def _validate(clause: Clause) -> None:
    """The model's own rules and the rule's SQL together, so the form shows every problem at once."""
    errors: dict = {}
    for check in (clause.full_clean,
                  lambda: check_rule(mode=clause.mode, when=clause.when, amount_wan=clause.amount_wan)):
        try:
            check()
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def _comparable(field: str, value):
    if field == "cap_wan" and value is not None:
        return Decimal(value).quantize(Decimal("0.01"))
    if isinstance(value, str):
        return value.strip()
    return value


@transaction.atomic
def clause_create(*, user, policy: Policy, data: dict, message: str = "") -> Clause:
    require_write(user=user, model=Clause)
    require_write(user=user, model=Policy, obj=policy)
    fields = _pick(data)
    if fields.get("order") is None:
        last = policy.clauses.aggregate(m=Max("order"))["m"]
        fields["order"] = (last or 0) + 1
    _check_code(policy, fields.get("code", ""))
    clause = Clause(zone_id=policy.zone_id, department_id=policy.department_id, policy=policy, version=1, **fields)
    _validate(clause)
    return audited_create(clause, message=message)


@transaction.atomic
def clause_update(*, user, clause: Clause, data: dict, message: str = "") -> Clause:
    require_write(user=user, model=Clause, obj=clause)
    clause = Clause.objects.select_for_update().select_related("policy").get(pk=clause.pk)
    fields = _pick(data)
    if fields.get("order", clause.order) is None:
        fields.pop("order")
    if "code" in fields:
        _check_code(clause.policy, fields["code"], exclude_pk=clause.pk)
    changed = any(_comparable(f, fields[f]) != _comparable(f, getattr(clause, f)) for f in RULE_FIELDS if f in fields)
    if changed:
        fields["version"] = clause.version + 1
    candidate = copy.copy(clause)
    for key, value in fields.items():
        setattr(candidate, key, value)
    _validate(candidate)
    return audited_update(clause, fields, message=message)


@transaction.atomic
def clause_delete(*, user, clause: Clause, message: str = "") -> None:
    require_write(user=user, model=Clause, obj=clause)
    if clause.awards.exists() or clause.applications.exists():
        raise ValidationError(_("该条款已有兑现记录或申请，不能删除：如不再执行，请修改条款并取消“启用”。"))
    audited_delete(clause, message=message)
