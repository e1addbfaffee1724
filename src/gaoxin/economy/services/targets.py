"""Yearly targets per indicator (e.g. 地区生产总值 +7 %): one per indicator and year, kept by a department."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gaoxin.core.audit.models import ChangeAction
from gaoxin.core.audit.services import change_record, snapshot
from gaoxin.core.services import require_write

from ..models import Indicator, Target
from .observations import GROWTH_MAX, GROWTH_MIN, RATE_UNITS


def _problems(*, indicator: Indicator, growth_pct, value) -> dict[str, str]:
    problems = {}
    if growth_pct is not None and not GROWTH_MIN <= growth_pct <= GROWTH_MAX:
        problems["growth_pct"] = _("目标增速应在 -100% 到 10000% 之间。")
    if value is not None and value < 0 and indicator.unit not in RATE_UNITS:
        problems["value"] = _("目标值不能为负数（单位：%(unit)s）。") % {"unit": indicator.unit}
    return problems


@transaction.atomic
def target_save(*, user, indicator: Indicator, year: int, growth_pct, value, note: str = "", zone=None,
                department=None, message: str = "") -> Target:
    """Create or change the target of `indicator` for `year`. Staff of the indicator's zone; the target is
    kept by the department that set it first (another department's target is refused, like every register).
    `user=None` is a trusted caller naming zone and department."""
    if user is not None:
        require_write(user=user, model=Target)
        if user.zone_id != indicator.zone_id:
            raise PermissionDenied(_("只能设置本园区指标的目标。"))
        zone, department = user.zone, user.department
    elif zone is None or department is None:
        raise PermissionDenied(_("未指定园区和部门。"))
    if indicator.zone_id != zone.pk or department.zone_id != zone.pk:
        raise PermissionDenied(_("指标或部门不属于该园区。"))
    problems = _problems(indicator=indicator, growth_pct=growth_pct, value=value)
    if problems:
        raise ValidationError(problems)
    target = Target.objects.select_for_update().filter(indicator=indicator, year=year).first()
    note = (note or "").strip()
    if target is None:
        target = Target(zone=zone, department=department, indicator=indicator, year=year, growth_pct=growth_pct,
                        value=value, note=note)
        target.full_clean()
        target.save()
        change_record(obj=target, action=ChangeAction.CREATE, message=message)
        return target
    if target.department_id != department.pk:
        raise ValidationError({"indicator": _("%(name)s %(year)s年的目标由“%(department)s”设定，本部门不能修改。") % {
            "name": indicator.name, "year": year, "department": target.department}})
    before = snapshot(target)
    target.growth_pct, target.value, target.note = growth_pct, value, note
    target.full_clean()
    if snapshot(target) == before:
        return target
    target.save()
    change_record(obj=target, action=ChangeAction.UPDATE, before=before, message=message)
    return target
