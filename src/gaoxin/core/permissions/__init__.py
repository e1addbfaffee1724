"""Data scope: which business records a user may see and change, decided in one place.

Every scoped model declares a `scope = ScopeRule(...)` naming the lookups that tie a row
to its zone, its department and its enterprise. `ScopedQuerySet.visible_to(user)` and
`editable_by(user)` turn a user's role into a filter, so the UI, the API, exports and the
CLI all see exactly the same rows.
"""

from dataclasses import dataclass

from django.db import models
from django.db.models import Q

from .roles import ADMIN_ROLES, BUSINESS_ROLES, Role

__all__ = ["ADMIN_ROLES", "BUSINESS_ROLES", "Role", "ScopeRule", "ScopedQuerySet", "can_write", "scope_filter"]

NOTHING = Q(pk__in=[])


@dataclass(frozen=True)
class ScopeRule:
    zone: str = "zone"
    department: str | None = "department"
    # lookup from the row to the enterprise it belongs to; None = enterprise users never see it
    enterprise: str | None = None


def _rule(model) -> ScopeRule:
    rule = getattr(model, "scope", None)
    if not isinstance(rule, ScopeRule):
        raise TypeError(f"{model.__name__} has no ScopeRule")
    return rule


def scope_filter(model, user) -> Q:
    """The rows of `model` that `user` may read."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NOTHING
    rule = _rule(model)
    role = user.role
    if role == Role.ZONE_LEADER:
        return Q(**{f"{rule.zone}__in": user.readable_zone_ids()})
    if role == Role.DEPARTMENT_STAFF:
        if rule.department is None or user.department_id is None:
            return NOTHING
        return Q(**{f"{rule.zone}": user.zone_id, f"{rule.department}": user.department_id})
    if role == Role.ENTERPRISE:
        if rule.enterprise is None or user.enterprise_id is None:
            return NOTHING
        return Q(**{f"{rule.zone}": user.zone_id, f"{rule.enterprise}": user.enterprise_id})
    return NOTHING  # administrators (三权分立) and unknown roles read no business records


def write_filter(model, user) -> Q:
    """The rows of `model` that `user` may change: department staff, within their department."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NOTHING
    rule = _rule(model)
    if user.role == Role.DEPARTMENT_STAFF and rule.department and user.department_id:
        return Q(**{f"{rule.zone}": user.zone_id, f"{rule.department}": user.department_id})
    return NOTHING


def can_write(user, model) -> bool:
    """Whether `user` may create rows of `model` at all (in their own zone and department)."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.role == Role.DEPARTMENT_STAFF
        and user.department_id
        and _rule(model).department
    )


class ScopedQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(scope_filter(self.model, user))

    def editable_by(self, user):
        return self.filter(write_filter(self.model, user))
