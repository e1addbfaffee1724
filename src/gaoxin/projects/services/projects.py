"""Writes to the project library: create, update (optimistic locking), delete, and the project's parcels."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.core.audit.models import ChangeAction
from gaoxin.core.audit.services import change_record, snapshot
from gaoxin.core.services import (
    UpsertResult,
    audited_create,
    audited_delete,
    register_upsert,
    require_register_write,
    require_write,
)

from ..models import MILESTONES, Project, ProjectParcel

# Fields a user may set; zone and department come from who is acting, stage from the milestones.
EDITABLE_FIELDS = (
    "code", "name", "project_type", "key_level", "industry", "total_investment_wan", "enterprise", "location",
    "content", "planned_land_date", "land_date", "planned_start_date", "start_date", "planned_completion_date",
    "completion_date", "planned_commission_date", "commission_date", "task_force",
)


class StaleEdit(ValidationError):
    """The project changed since the form was opened: the save is refused and the current row returned."""

    def __init__(self, current: Project):
        super().__init__(_("该项目已被他人修改（当前为第 %(version)s 版），您的修改未保存。请核对下方的最新内容后重新修改。")
                         % {"version": current.version}, code="stale")
        self.current = current


def _fields(data: dict) -> dict:
    return {k: v for k, v in data.items() if k in EDITABLE_FIELDS}


@transaction.atomic
def project_create(*, user, data: dict, message: str = "", zone=None, department=None) -> Project:
    """A new project. `user=None` is a trusted caller (import, demo) that names zone and department."""
    if user is not None:
        require_write(user=user, model=Project)
        zone, department = user.zone, user.department
    project = Project(zone=zone, department=department, **_fields(data))
    return audited_create(project, message=message)


@transaction.atomic
def project_update(*, user, project: Project, data: dict, expected_version: int | None,
                   message: str = "") -> Project:
    """Apply `data` if the project is still at `expected_version` (None: the caller does not lock).

    The version check and the increment happen in one UPDATE … WHERE version = expected, so two
    concurrent saves cannot both pass. A stale save raises StaleEdit carrying the current row.
    """
    require_write(user=user, model=Project, obj=project)
    current = Project.objects.select_for_update().get(pk=project.pk)
    if expected_version is not None and current.version != expected_version:
        raise StaleEdit(current)
    before = snapshot(current)
    for field, value in _fields(data).items():
        setattr(current, field, value)
    current.full_clean()
    if snapshot(current) == before:
        return current
    changed = Project.objects.filter(pk=current.pk, version=current.version)
    values = {f.attname: getattr(current, f.attname) for f in Project._meta.concrete_fields
              if not f.primary_key and f.attname not in ("created_at", "version", "zone_id", "department_id")}
    values["updated_at"] = timezone.now()
    if changed.update(**values, version=F("version") + 1) != 1:
        raise StaleEdit(Project.objects.get(pk=current.pk))
    current.refresh_from_db()
    change_record(obj=current, action=ChangeAction.UPDATE, before=before, message=message)
    return current


@transaction.atomic
def project_delete(*, user, project: Project, message: str = "") -> None:
    require_write(user=user, model=Project, obj=project)
    try:
        audited_delete(project, message=message)
    except ProtectedError:
        raise ValidationError(_("该项目已有签约或到位资金记录，不能删除。")) from None


@transaction.atomic
def project_parcel_add(*, user, project: Project, parcel, message: str = "") -> ProjectParcel:
    require_write(user=user, model=Project, obj=project)
    if ProjectParcel.objects.filter(project=project, parcel=parcel).exists():
        raise ValidationError(_("地块 %(code)s 已关联到该项目。") % {"code": parcel.code})
    return audited_create(ProjectParcel(zone_id=project.zone_id, project=project, parcel=parcel), message=message)


@transaction.atomic
def project_parcel_remove(*, user, link: ProjectParcel, message: str = "") -> None:
    require_write(user=user, model=Project, obj=link.project)
    audited_delete(link, message=message)


def projects_upsert(*, zone, department, rows: list[dict], user=None, message: str = "") -> UpsertResult:
    """Create or update projects by 项目编号 for `department` (the `projects` import); all or nothing.

    Updated projects get a new version, so a form opened before the import is refused as stale.
    """
    require_register_write(user=user, model=Project, zone=zone, department=department)
    started = timezone.now()
    with transaction.atomic():
        result = register_upsert(
            model=Project, key="code", fields=(*_UPSERT_FIELDS, "stage"), zone=zone, department=department,
            rows=_with_stages(zone=zone, rows=rows), user=user, message=message,
            foreign_message=_("以下项目由其他部门维护，本部门不能通过导入修改：%(codes)s"),
        )
        (Project.objects.filter(zone=zone, code__in=[r["code"] for r in rows], created_at__lt=started,
                                updated_at__gte=started).update(version=F("version") + 1))
    return result


# What the projects file sets (attnames): the enterprise is resolved to its id by the import.
_UPSERT_FIELDS = (
    "code", "name", "project_type", "key_level", "industry", "total_investment_wan", "enterprise_id",
    "land_date", "planned_start_date", "start_date", "planned_completion_date", "completion_date",
    "planned_commission_date", "commission_date",
)


def _with_stages(*, zone, rows: list[dict]) -> list[dict]:
    """Rows with the stage their project will have: a file may leave out milestone columns, so the stored
    dates of an existing project count where the row says nothing."""
    dates = [actual for _label, _planned, actual in MILESTONES]
    stored = {}
    codes = [r["code"] for r in rows]
    for start in range(0, len(codes), 5000):
        for values in Project.objects.filter(zone=zone, code__in=codes[start:start + 5000]).values("code", *dates):
            stored[values["code"]] = values
    out = []
    for row in rows:
        merged = {**stored.get(row["code"], {}), **{k: v for k, v in row.items() if k in _UPSERT_FIELDS}}
        probe = Project(**{d: merged.get(d) for d in dates})
        out.append({**row, "stage": probe.derived_stage()})
    return out
