"""Who may administer what (三权分立), shared by the account services, selectors and views.

- system admin: zones, departments and user accounts (profile, role, department, enterprise, active);
- security admin: the security policy, unlocking accounts, resetting passwords, the login events;
- audit admin: reads the audit trail (core.audit), nothing else.

An administrator bound to a zone manages the accounts of that zone; one without a zone manages all.
The command line runs with the server's own rights: whoever can run it can already read the database,
so a service called with `user=None` from a CLI (or system) context is allowed.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from gaoxin.core.audit.context import current_actor
from gaoxin.core.permissions import Role


def has_role(user, *roles: str) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active and user.role in roles)


def trusted_context() -> bool:
    """True outside any web or API request (management commands, the demo builder, migrations)."""
    actor = current_actor()
    return actor.user is None and actor.via not in ("web", "api")


def require_role(user, role: str) -> None:
    if user is None and trusted_context():
        return
    if not has_role(user, role):
        raise PermissionDenied(_("该操作仅限%(role)s执行。") % {"role": Role(role).label})


def managed_zone_ids(user) -> list[int] | None:
    """The zones whose accounts `user` administers; None means every zone."""
    if user is None or user.zone_id is None:
        return None
    return user.readable_zone_ids()


def manages_zone(user, zone_id: int | None) -> bool:
    ids = managed_zone_ids(user)
    return ids is None or (zone_id is not None and zone_id in ids)


def require_zone(user, zone_id: int | None) -> None:
    if not manages_zone(user, zone_id):
        raise PermissionDenied(_("您不能管理其他园区的账户或部门。"))
