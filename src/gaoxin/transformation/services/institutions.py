"""Writes to the R&D institutions (研发机构) register, and the bulk upsert by (企业, 机构名称) of the
`rnd-institutions` import."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gaoxin.core.services import UpsertResult, audited_create, audited_delete, audited_update, require_write

from ..models import RndInstitution
from .common import LOOKUP_CHUNK, check_enterprise, enterprises_of_zone, keyed_upsert, pick, value

INSTITUTION_FIELDS = ("enterprise", "name", "kind", "level", "recognized_on", "certificate")
UPSERT_FIELDS = tuple("enterprise_id" if f == "enterprise" else f for f in INSTITUTION_FIELDS)


def _check_name(*, zone_id, enterprise_id, name: str, exclude_pk=None) -> None:
    clash = RndInstitution.objects.filter(zone_id=zone_id, enterprise_id=enterprise_id, name=name)
    if name and clash.exclude(pk=exclude_pk).exists():
        raise ValidationError({"name": _("该企业已登记名为“%(name)s”的研发机构。") % {"name": name}})


@transaction.atomic
def institution_create(*, user, data: dict, message: str = "") -> RndInstitution:
    require_write(user=user, model=RndInstitution)
    fields = pick(data, INSTITUTION_FIELDS)
    check_enterprise(user.zone_id, fields.get("enterprise"))
    _check_name(zone_id=user.zone_id, enterprise_id=fields["enterprise"].pk, name=fields.get("name", ""))
    institution = RndInstitution(zone_id=user.zone_id, department_id=user.department_id, **fields)
    return audited_create(institution, message=message)


@transaction.atomic
def institution_update(*, user, institution: RndInstitution, data: dict, message: str = "") -> RndInstitution:
    require_write(user=user, model=RndInstitution, obj=institution)
    fields = pick(data, INSTITUTION_FIELDS)
    if "enterprise" in fields:
        check_enterprise(institution.zone_id, fields["enterprise"])
    enterprise = fields.get("enterprise", institution.enterprise)
    _check_name(zone_id=institution.zone_id, enterprise_id=enterprise.pk, name=fields.get("name", institution.name),
                exclude_pk=institution.pk)
    return audited_update(institution, fields, message=message)


@transaction.atomic
def institution_delete(*, user, institution: RndInstitution, message: str = "") -> None:
    require_write(user=user, model=RndInstitution, obj=institution)
    audited_delete(institution, message=message)


def institution_key(obj_or_row) -> tuple:
    return value(obj_or_row, "enterprise_id"), value(obj_or_row, "name")


def institutions_by_key(*, zone, keys) -> dict:
    keys = set(keys)
    enterprise_ids = sorted({e for e, _n in keys})
    found = {}
    qs = RndInstitution.objects.filter(zone=zone).select_related("enterprise", "department")
    for start in range(0, len(enterprise_ids), LOOKUP_CHUNK):
        for institution in qs.filter(enterprise_id__in=enterprise_ids[start:start + LOOKUP_CHUNK]):
            if institution_key(institution) in keys:
                found[institution_key(institution)] = institution
    return found


def institutions_upsert(*, zone, department, rows: list[dict], user=None, message: str = "") -> UpsertResult:
    """Create or update R&D institutions by (enterprise_id, name) for `department`; all or nothing."""
    enterprises = enterprises_of_zone(zone, [r["enterprise_id"] for r in rows])
    unknown = sorted({r["enterprise_id"] for r in rows} - set(enterprises))
    if unknown:
        raise ValidationError(_("以下企业不在本园区：%(ids)s") % {"ids": "、".join(map(str, unknown[:20]))})

    def prepare(institution) -> None:
        RndInstitution._meta.get_field("enterprise").set_cached_value(institution,
                                                                       enterprises[institution.enterprise_id])

    return keyed_upsert(
        model=RndInstitution, zone=zone, department=department, user=user, rows=rows,
        existing=institutions_by_key(zone=zone, keys=[institution_key(r) for r in rows]), key_of=institution_key,
        fields=UPSERT_FIELDS, message=message, describe=lambda k: f"{enterprises[k[0]].name} {k[1]}",
        prepare=prepare, duplicate_message=_("以下企业和机构名称重复出现：%(keys)s"),
        foreign_message=_("以下研发机构由其他部门维护，本部门不能通过导入修改：%(keys)s"),
    )
