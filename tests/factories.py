"""Test data built through the real models; passwords satisfy the password policy."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from gaoxin.accounts.models import Department, User, Zone
from gaoxin.core import uscc
from gaoxin.core.permissions import Role
from gaoxin.enterprises.models import Enterprise
from gaoxin.land.models import Parcel

PASSWORD = "Gaoxin#Test2026"


def make_uscc(n: int, region: str = "500107") -> str:
    """A valid enterprise USCC, distinct for every n."""
    body = f"{n:08d}"
    first17 = "91" + region + body + uscc.organisation_check_char(body)
    return uscc.compose(first17)


def make_user(username: str, *, zone: Zone | None, role: str, department=None, enterprise=None) -> User:
    user = User(username=username, zone=zone, role=role, department=department, enterprise=enterprise,
                display_name=username, password_changed_at=timezone.now())
    user.set_password(PASSWORD)
    user.full_clean(exclude=["password"])
    user.save()
    return user


def make_enterprise(zone, department, n: int, **extra) -> Enterprise:
    data = dict(uscc=make_uscc(n), name=f"测试企业{n}有限公司", industry_code="3971", size="规上",
                area="一号片区")
    data.update(extra)
    return Enterprise.objects.create(zone=zone, department=department, **data)


def make_parcel(zone, department, code: str, holder=None, **extra) -> Parcel:
    data = dict(code=code, area_m2=Decimal("6666.67"), land_use="工业用地", supply_method="出让",
                status="已供" if holder else "储备", holder=holder)
    if data["status"] == "储备":
        data["supply_method"] = ""
    data.update(extra)
    return Parcel.objects.create(zone=zone, department=department, **data)


@dataclass
class World:
    zone: Zone
    other_zone: Zone
    dept_a: Department
    dept_b: Department
    users: dict[str, User] = field(default_factory=dict)
    enterprises: dict[str, Enterprise] = field(default_factory=dict)
    parcels: dict[str, Parcel] = field(default_factory=dict)


def make_zone_world() -> World:
    zone = Zone.objects.create(code="t1", name="测试高新区")
    other = Zone.objects.create(code="t2", name="另一园区")
    dept_a = Department.objects.create(zone=zone, code="jxj", name="经信局")
    dept_b = Department.objects.create(zone=zone, code="tzcj", name="投资促进局")
    dept_other = Department.objects.create(zone=other, code="jxj", name="经信局")
    w = World(zone=zone, other_zone=other, dept_a=dept_a, dept_b=dept_b)
    w.enterprises["a1"] = make_enterprise(zone, dept_a, 1)
    w.enterprises["a2"] = make_enterprise(zone, dept_a, 2, size="规下", area="二号片区")
    w.enterprises["b1"] = make_enterprise(zone, dept_b, 3)
    w.enterprises["other"] = make_enterprise(other, dept_other, 4)
    w.parcels["a1"] = make_parcel(zone, dept_a, "P-A1", holder=w.enterprises["a1"])
    w.parcels["a2"] = make_parcel(zone, dept_a, "P-A2")
    w.parcels["b1"] = make_parcel(zone, dept_b, "P-B1", holder=w.enterprises["b1"])
    w.parcels["other"] = make_parcel(other, dept_other, "P-O1", holder=w.enterprises["other"])
    w.users["system_admin"] = make_user("sysadmin", zone=zone, role=Role.SYSTEM_ADMIN)
    w.users["security_admin"] = make_user("secadmin", zone=zone, role=Role.SECURITY_ADMIN)
    w.users["audit_admin"] = make_user("auditadmin", zone=zone, role=Role.AUDIT_ADMIN)
    w.users["leader"] = make_user("leader", zone=zone, role=Role.ZONE_LEADER)
    w.users["staff_a"] = make_user("staff_a", zone=zone, role=Role.DEPARTMENT_STAFF, department=dept_a)
    w.users["staff_b"] = make_user("staff_b", zone=zone, role=Role.DEPARTMENT_STAFF, department=dept_b)
    w.users["enterprise"] = make_user("ent_a1", zone=zone, role=Role.ENTERPRISE, enterprise=w.enterprises["a1"])
    w.users["other_staff"] = make_user("other_staff", zone=other, role=Role.DEPARTMENT_STAFF, department=dept_other)
    return w
