"""What `gaoxin import` and `gaoxin export` share: who acts, and the zone named on the command line."""

import getpass

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from gaoxin.core.audit.context import Actor


def cli_actor() -> Actor:
    """Audit rows of a command-line run name the operating-system user."""
    try:
        name = getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (some containers)
        name = "unknown"
    return Actor(name=f"cli:{name}", via="cli")


def zone_by_code(code: str):
    from gaoxin.accounts.models import Zone

    zone = Zone.objects.filter(code=code).first()
    if zone is None:
        raise CommandError(_("园区“%(code)s”不存在。") % {"code": code}, returncode=1)
    return zone
