"""Writes to a zone's indicator catalog: install the defaults, add, edit, reorder, deactivate.

An Indicator belongs to the zone, not to a department (it has no `department` and no ScopeRule), so the
role and the zone are checked here explicitly, the way projects/services/settings.py does: any department
staff of the zone may edit the catalog. Code and kind are fixed after creation — the bulletin and the
dashboard refer to codes, and observations exist only for official indicators.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gaoxin.core.audit.models import ChangeAction
from gaoxin.core.audit.services import change_record, change_record_many, snapshot
from gaoxin.core.permissions import Role

from ..catalog import DEFAULT_INDICATORS
from ..models import Indicator

# What a catalog edit may change; code and kind are fixed once the indicator exists.
EDITABLE_FIELDS = ("name", "unit", "frequency", "computed_key", "aggregation", "is_headline", "order", "is_active")
CREATE_FIELDS = ("code", "kind", *EDITABLE_FIELDS)
FIXED_FIELDS = ("code", "kind")


def can_edit_catalog(user, zone=None) -> bool:
    """Department staff of the zone (any department): the catalog is the zone's, like its project settings."""
    ok = bool(user is not None and user.is_authenticated and user.is_active
              and user.role == Role.DEPARTMENT_STAFF and user.zone_id and user.department_id)
    if ok and zone is not None:
        ok = user.zone_id == getattr(zone, "pk", zone)
    return ok


def _require_catalog_editor(user, zone) -> None:
    if not can_edit_catalog(user, zone):
        raise PermissionDenied(_("只有本园区的部门工作人员可以维护指标目录。"))


def _zone_of(*, user, zone):
    if zone is None and user is not None:
        zone = user.zone
    if zone is None:
        raise PermissionDenied(_("未指定园区。"))
    return zone


@transaction.atomic
def indicator_catalog_install(*, zone, user=None) -> int:
    """Create the DEFAULT_INDICATORS the zone lacks (matched by code); return how many were created.

    Idempotent: run again, it creates nothing. A default whose name a zone already uses for another code
    is skipped rather than failing the whole install (the zone renamed something on purpose).
    `user=None` is a trusted system caller (`gaoxin zone add`, the demo).
    """
    if user is not None:
        _require_catalog_editor(user, zone)
    existing = Indicator.objects.select_for_update().filter(zone=zone)
    codes = set(existing.values_list("code", flat=True))
    names = set(existing.values_list("name", flat=True))
    top = max(existing.values_list("order", flat=True), default=0)
    created = []
    for position, default in enumerate(DEFAULT_INDICATORS, start=1):
        if default.code in codes or default.name in names:
            continue
        indicator = Indicator(
            zone=zone, code=default.code, name=default.name, unit=default.unit, kind=default.kind,
            frequency=default.frequency, computed_key=default.computed_key, aggregation=default.aggregation,
            is_headline=default.is_headline,
            # installed into a catalog that already has rows: after them, in the default order
            order=(top + position * 10) if top else position * 10,
        )
        indicator.full_clean()
        indicator.save()
        created.append(indicator)
    if created:
        change_record_many([(i, ChangeAction.CREATE, None) for i in created], message="安装默认指标目录")
    return len(created)


@transaction.atomic
def indicator_create(*, user, data: dict, message: str = "", zone=None) -> Indicator:
    """Add an indicator to the user's zone (`user=None`: trusted caller naming `zone`)."""
    if user is not None:
        _require_catalog_editor(user, user.zone)
    zone = _zone_of(user=user, zone=zone)
    values = {k: v for k, v in data.items() if k in CREATE_FIELDS}
    for text in ("code", "name", "unit", "aggregation"):
        if isinstance(values.get(text), str):
            values[text] = values[text].strip()
    indicator = Indicator(zone=zone, **values)
    indicator.full_clean()
    indicator.save()
    change_record(obj=indicator, action=ChangeAction.CREATE, message=message)
    return indicator


@transaction.atomic
def indicator_update(*, user, indicator: Indicator, data: dict, message: str = "") -> Indicator:
    """Change name, unit, frequency, computed key, aggregation, headline flag, order or active state.

    Code and kind are refused: the bulletin refers to codes and observations exist only for official
    indicators. A frequency change to 季度 is refused while monthly observations exist outside quarter ends.
    """
    if user is not None:
        _require_catalog_editor(user, indicator.zone_id)
    indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
    fixed = [f for f in FIXED_FIELDS if f in data and data[f] != getattr(indicator, f)]
    if fixed:
        raise ValidationError({f: _("指标创建后不能修改%(field)s。") % {
            "field": Indicator._meta.get_field(f).verbose_name} for f in fixed})
    before = snapshot(indicator)
    for field, value in data.items():
        if field in EDITABLE_FIELDS:
            setattr(indicator, field, value.strip() if isinstance(value, str) else value)
    indicator.full_clean()
    if indicator.frequency == "季度" and indicator.observations.exclude(month__in=(3, 6, 9, 12)).exists():
        raise ValidationError({"frequency": _("该指标已有非季末月份的数据，不能改为季度指标。")})
    if snapshot(indicator) == before:
        return indicator
    indicator.save()
    change_record(obj=indicator, action=ChangeAction.UPDATE, before=before, message=message)
    return indicator


def indicator_set_active(*, user, indicator: Indicator, active: bool, message: str = "") -> Indicator:
    """Deactivate (or reactivate) an indicator: its data stays, it leaves the lists, imports and the bulletin."""
    return indicator_update(user=user, indicator=indicator, data={"is_active": active}, message=message)


@transaction.atomic
def indicators_reorder(*, user, ids: list[int], message: str = "", zone=None) -> int:
    """Put the zone's indicators in the order of `ids` (10, 20, 30 …); returns how many moved.

    Ids of other zones are refused: an order list is the zone's whole catalog or a part of it.
    """
    if user is not None:
        _require_catalog_editor(user, user.zone)
    zone = _zone_of(user=user, zone=zone)
    ids = [int(i) for i in ids]
    if len(set(ids)) != len(ids):
        raise ValidationError(_("排序中有重复的指标。"))
    rows = {i.pk: i for i in Indicator.objects.select_for_update().filter(zone=zone, pk__in=ids)}
    if len(rows) != len(ids):
        raise ValidationError(_("排序中有不属于本园区的指标。"))
    changes = []
    for position, pk in enumerate(ids, start=1):
        indicator = rows[pk]
        if indicator.order != position * 10:
            before = snapshot(indicator)
            indicator.order = position * 10
            indicator.save(update_fields=["order", "updated_at"])
            changes.append((indicator, ChangeAction.UPDATE, before))
    if changes:
        change_record_many(changes, message=message or "调整指标排序")
    return len(changes)
