"""Shared set-up of the catalog/observation tests: the world's zone with the default catalog and a
statistics department (改革发展局, gfj) whose staff keep the official figures."""

from decimal import Decimal

from gaoxin.accounts.models import Department
from gaoxin.core.permissions import Role
from gaoxin.economy.models import Indicator
from gaoxin.economy.services.catalog import indicator_catalog_install

from ..factories import make_user


def with_catalog(world):
    """Install the default catalog in both zones and add a 改革发展局 with one staff member (staff_gfj)."""
    indicator_catalog_install(zone=world.zone)
    indicator_catalog_install(zone=world.other_zone)
    world.gfj = Department.objects.create(zone=world.zone, code="gfj", name="改革发展局")
    world.users["staff_gfj"] = make_user("staff_gfj", zone=world.zone, role=Role.DEPARTMENT_STAFF,
                                         department=world.gfj)
    world.ind = {i.code: i for i in Indicator.objects.filter(zone=world.zone)}
    return world


def D(text) -> Decimal:
    return Decimal(str(text))
