"""The roles of gaoxin. Plain Python so that engines and checks can use the vocabulary."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SYSTEM_ADMIN = "system_admin", _("系统管理员")
    SECURITY_ADMIN = "security_admin", _("安全管理员")
    AUDIT_ADMIN = "audit_admin", _("审计管理员")
    ZONE_LEADER = "zone_leader", _("园区领导")
    DEPARTMENT_STAFF = "department_staff", _("部门工作人员")
    ENTERPRISE = "enterprise", _("企业用户")


# 三权分立: the three administrator roles are disjoint and none of them reads business records.
ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})
BUSINESS_ROLES = frozenset({Role.ZONE_LEADER, Role.DEPARTMENT_STAFF, Role.ENTERPRISE})
