"""Writes to the 智改数转 projects: create, update, delete (with their measurements), and the bulk upsert by
(企业, 项目名称) that the `transformation-projects` import and the demo builder use."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gaoxin.core.services import UpsertResult, audited_create, audited_delete, audited_update, require_write

from ..models import TransformationProject
from .common import LOOKUP_CHUNK, check_enterprise, enterprises_of_zone, keyed_upsert, pick, value

# Fields a user may set; zone and department come from who acts.
PROJECT_FIELDS = (
    "enterprise", "name", "kind", "started_on", "completed_on", "equipment_investment_wan", "software_investment_wan",
    "level", "certified_on", "certificate", "description", "featured",
)
# What an imported row may set (attnames: the import resolves the enterprise to its id).
UPSERT_FIELDS = tuple("enterprise_id" if f == "enterprise" else f for f in PROJECT_FIELDS)


def _check_name(*, zone_id, enterprise_id, name: str, exclude_pk=None) -> None:
    """(企业, 项目名称) names a project: the import finds it by them, so two of one enterprise must differ."""
    clash = TransformationProject.objects.filter(zone_id=zone_id, enterprise_id=enterprise_id, name=name)
    if name and clash.exclude(pk=exclude_pk).exists():
        raise ValidationError({"name": _("该企业已登记名为“%(name)s”的智改数转项目，请换一个名称或修改原项目。") % {
            "name": name}})


@transaction.atomic
def project_create(*, user, data: dict, message: str = "") -> TransformationProject:
    require_write(user=user, model=TransformationProject)
    fields = pick(data, PROJECT_FIELDS)
    check_enterprise(user.zone_id, fields.get("enterprise"))
    _check_name(zone_id=user.zone_id, enterprise_id=fields["enterprise"].pk, name=fields.get("name", ""))
    project = TransformationProject(zone_id=user.zone_id, department_id=user.department_id, **fields)
    return audited_create(project, message=message)


@transaction.atomic
def project_update(*, user, project: TransformationProject, data: dict, message: str = "") -> TransformationProject:
    require_write(user=user, model=TransformationProject, obj=project)
    fields = pick(data, PROJECT_FIELDS)
    if "enterprise" in fields:
        check_enterprise(project.zone_id, fields["enterprise"])
    enterprise = fields.get("enterprise", project.enterprise)
    _check_name(zone_id=project.zone_id, enterprise_id=enterprise.pk, name=fields.get("name", project.name),
                exclude_pk=project.pk)
    return audited_update(project, fields, message=message)


@transaction.atomic
def project_delete(*, user, project: TransformationProject, message: str = "") -> None:
    """The project's measurements go with it (CASCADE); each leaves its own deletion record first."""
    require_write(user=user, model=TransformationProject, obj=project)
    for measurement in project.measurements.order_by("pk"):
        audited_delete(measurement, message=message)
    audited_delete(project, message=message)


def project_key(obj_or_row) -> tuple:
    return value(obj_or_row, "enterprise_id"), value(obj_or_row, "name")


def projects_by_key(*, zone, keys) -> dict:
    """The zone's projects by (enterprise id, name), with enterprise and department joined."""
    keys = set(keys)
    found = {}
    enterprise_ids = sorted({e for e, _n in keys})
    qs = TransformationProject.objects.filter(zone=zone).select_related("enterprise", "department")
    for start in range(0, len(enterprise_ids), LOOKUP_CHUNK):
        for project in qs.filter(enterprise_id__in=enterprise_ids[start:start + LOOKUP_CHUNK]):
            if project_key(project) in keys:
                found[project_key(project)] = project
    return found


def projects_upsert(*, zone, department, rows: list[dict], user=None, message: str = "") -> UpsertResult:
    """Create or update projects by (enterprise_id, name) for `department`; all or nothing.

    rows: {"enterprise_id", "name", "kind", "started_on", …} with any of UPSERT_FIELDS; a field a row leaves
    out keeps its stored value (new projects get the model's default). `user=None` is a trusted caller.
    """
    enterprises = enterprises_of_zone(zone, [r["enterprise_id"] for r in rows])
    unknown = sorted({r["enterprise_id"] for r in rows} - set(enterprises))
    if unknown:
        raise ValidationError(_("以下企业不在本园区：%(ids)s") % {"ids": "、".join(map(str, unknown[:20]))})

    def describe(key) -> str:
        return f"{enterprises[key[0]].name} {key[1]}"

    def prepare(project) -> None:
        TransformationProject._meta.get_field("enterprise").set_cached_value(project, enterprises[project.enterprise_id])

    return keyed_upsert(
        model=TransformationProject, zone=zone, department=department, user=user, rows=rows,
        existing=projects_by_key(zone=zone, keys=[project_key(r) for r in rows]), key_of=project_key,
        fields=UPSERT_FIELDS, message=message, describe=describe, prepare=prepare,
        duplicate_message=_("以下企业和项目名称重复出现：%(keys)s"),
        foreign_message=_("以下智改数转项目由其他部门维护，本部门不能通过导入修改：%(keys)s"),
    )
