"""Writes to the before/after measurements of a project. Whoever may change the project writes its
measurements; each measurement belongs to its project's department (copied, so that scope needs no join)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gaoxin.core.services import UpsertResult, audited_create, audited_delete, audited_update, require_write

from ..models import Measurement, Metric, TransformationProject
from .common import LOOKUP_CHUNK, keyed_upsert, pick, value

MEASUREMENT_FIELDS = ("metric", "label", "unit", "before_value", "before_from", "before_to", "after_value",
                      "after_from", "after_to", "source")
UPSERT_FIELDS = ("project_id", *MEASUREMENT_FIELDS)


def _check_metric(*, project_id, metric: str, exclude_pk=None) -> None:
    if metric and Measurement.objects.filter(project_id=project_id, metric=metric).exclude(pk=exclude_pk).exists():
        raise ValidationError({"metric": _("该项目已有“%(metric)s”的测量数据，请修改原记录。") % {
            "metric": Metric(metric).label}})


@transaction.atomic
def measurement_create(*, user, project: TransformationProject, data: dict, message: str = "") -> Measurement:
    require_write(user=user, model=TransformationProject, obj=project)
    fields = pick(data, MEASUREMENT_FIELDS)
    _check_metric(project_id=project.pk, metric=fields.get("metric", ""))
    measurement = Measurement(zone_id=project.zone_id, department_id=project.department_id, project=project, **fields)
    return audited_create(measurement, message=message)


@transaction.atomic
def measurement_update(*, user, measurement: Measurement, data: dict, message: str = "") -> Measurement:
    require_write(user=user, model=TransformationProject, obj=measurement.project)
    fields = pick(data, MEASUREMENT_FIELDS)
    _check_metric(project_id=measurement.project_id, metric=fields.get("metric", measurement.metric),
                  exclude_pk=measurement.pk)
    return audited_update(measurement, fields, message=message)


@transaction.atomic
def measurement_delete(*, user, measurement: Measurement, message: str = "") -> None:
    require_write(user=user, model=TransformationProject, obj=measurement.project)
    audited_delete(measurement, message=message)


def measurement_key(obj_or_row) -> tuple:
    return value(obj_or_row, "project_id"), value(obj_or_row, "metric")


def measurements_by_key(*, zone, keys) -> dict:
    keys = set(keys)
    project_ids = sorted({p for p, _m in keys})
    found = {}
    qs = Measurement.objects.filter(zone=zone).select_related("department")
    for start in range(0, len(project_ids), LOOKUP_CHUNK):
        for measurement in qs.filter(project_id__in=project_ids[start:start + LOOKUP_CHUNK]):
            if measurement_key(measurement) in keys:
                found[measurement_key(measurement)] = measurement
    return found


def measurements_upsert(*, zone, department, rows: list[dict], user=None, message: str = "") -> UpsertResult:
    """Create or update measurements by (project_id, metric) for `department`; all or nothing.

    rows: {"project_id", "metric", "unit", "before_value", …}. Every project must be one of `department`'s
    in the zone: a measurement belongs to its project's department.
    """
    ids = sorted({r["project_id"] for r in rows})
    projects = {}
    for start in range(0, len(ids), LOOKUP_CHUNK):
        projects.update({p.pk: p for p in TransformationProject.objects.filter(
            zone=zone, pk__in=ids[start:start + LOOKUP_CHUNK]).select_related("enterprise")})
    unknown = [pk for pk in ids if pk not in projects]
    if unknown:
        raise ValidationError(_("以下智改数转项目不在本园区：%(ids)s") % {"ids": "、".join(map(str, unknown[:20]))})
    foreign = [p for p in projects.values() if p.department_id != department.pk]
    if foreign:
        raise ValidationError(_("以下智改数转项目由其他部门维护，本部门不能为其导入测量数据：%(keys)s") % {
            "keys": "、".join(f"{p.enterprise.name} {p.name}" for p in foreign[:20])})

    def describe(key) -> str:
        project = projects[key[0]]
        return f"{project.enterprise.name} {project.name} {key[1]}"

    def prepare(measurement) -> None:
        Measurement._meta.get_field("project").set_cached_value(measurement, projects[measurement.project_id])

    return keyed_upsert(
        model=Measurement, zone=zone, department=department, user=user, rows=rows,
        existing=measurements_by_key(zone=zone, keys=[measurement_key(r) for r in rows]), key_of=measurement_key,
        fields=UPSERT_FIELDS, message=message, describe=describe, prepare=prepare,
        duplicate_message=_("以下项目和指标重复出现：%(keys)s"),
        foreign_message=_("以下测量数据由其他部门维护，本部门不能通过导入修改：%(keys)s"),
    )
