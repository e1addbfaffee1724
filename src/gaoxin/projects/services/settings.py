"""Writes to a zone's project settings (warning thresholds, industry directions)."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from gaoxin.core.audit.models import ChangeAction
from gaoxin.core.audit.services import change_record, snapshot
from gaoxin.core.permissions import Role

from ..models import ProjectSettings

EDITABLE_FIELDS = ("industry_directions", "yellow_behind_pp", "red_behind_pp", "red_not_started_months",
                   "issue_due_soon_days")


def can_edit_settings(user) -> bool:
    """The settings belong to the zone, not to a department: any department staff of the zone may change them."""
    return bool(user is not None and user.is_authenticated and user.is_active
                and user.role == Role.DEPARTMENT_STAFF and user.zone_id and user.department_id)


@transaction.atomic
def project_settings_save(*, user, data: dict, message: str = "", zone=None) -> ProjectSettings:
    """Create or update the settings of the user's zone (`user=None`: a trusted caller naming `zone`)."""
    if user is not None:
        if not can_edit_settings(user):
            raise PermissionDenied(_("只有本园区的部门工作人员可以修改项目预警设置。"))
        zone = user.zone
    if zone is None:
        raise PermissionDenied(_("未指定园区。"))
    current = ProjectSettings.objects.select_for_update().filter(zone=zone).first()
    creating = current is None
    if creating:
        current = ProjectSettings(zone=zone)
    before = snapshot(current)
    for field, value in data.items():
        if field in EDITABLE_FIELDS:
            if field == "industry_directions":
                value = [str(v).strip() for v in value or []]
            setattr(current, field, value)
    current.full_clean()
    if not creating and snapshot(current) == before:
        return current
    current.save()
    # A first save still records the defaults it replaces as `before`, so the history shows what moved.
    change_record(obj=current, action=ChangeAction.CREATE if creating else ChangeAction.UPDATE,
                  before=before, message=message)
    return current
