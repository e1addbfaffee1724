"""Writes to the enterprise recognitions (高新技术企业, 专精特新 …), and the bulk upsert by (企业, 认定类型,
认定日期) of the `recognitions` import."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gaoxin.core.services import UpsertResult, audited_create, audited_delete, audited_update, require_write

from ..models import Recognition, RecognitionKind
from .common import LOOKUP_CHUNK, check_enterprise, enterprises_of_zone, keyed_upsert, pick, value

RECOGNITION_FIELDS = ("enterprise", "kind", "level", "recognized_on", "valid_until", "certificate")
UPSERT_FIELDS = tuple("enterprise_id" if f == "enterprise" else f for f in RECOGNITION_FIELDS)


def _check_unique(*, zone_id, enterprise_id, kind: str, recognized_on, exclude_pk=None) -> None:
    clash = Recognition.objects.filter(zone_id=zone_id, enterprise_id=enterprise_id, kind=kind,
                                       recognized_on=recognized_on)
    if kind and recognized_on and clash.exclude(pk=exclude_pk).exists():
        raise ValidationError({"recognized_on": _("该企业在 %(date)s 已登记“%(kind)s”认定，请修改原记录。") % {
            "date": recognized_on.isoformat(), "kind": RecognitionKind(kind).label}})


@transaction.atomic
def recognition_create(*, user, data: dict, message: str = "") -> Recognition:
    require_write(user=user, model=Recognition)
    fields = pick(data, RECOGNITION_FIELDS)
    check_enterprise(user.zone_id, fields.get("enterprise"))
    _check_unique(zone_id=user.zone_id, enterprise_id=fields["enterprise"].pk, kind=fields.get("kind", ""),
                  recognized_on=fields.get("recognized_on"))
    recognition = Recognition(zone_id=user.zone_id, department_id=user.department_id, **fields)
    return audited_create(recognition, message=message)


@transaction.atomic
def recognition_update(*, user, recognition: Recognition, data: dict, message: str = "") -> Recognition:
    require_write(user=user, model=Recognition, obj=recognition)
    fields = pick(data, RECOGNITION_FIELDS)
    if "enterprise" in fields:
        check_enterprise(recognition.zone_id, fields["enterprise"])
    enterprise = fields.get("enterprise", recognition.enterprise)
    _check_unique(zone_id=recognition.zone_id, enterprise_id=enterprise.pk, kind=fields.get("kind", recognition.kind),
                  recognized_on=fields.get("recognized_on", recognition.recognized_on), exclude_pk=recognition.pk)
    return audited_update(recognition, fields, message=message)


@transaction.atomic
def recognition_delete(*, user, recognition: Recognition, message: str = "") -> None:
    require_write(user=user, model=Recognition, obj=recognition)
    audited_delete(recognition, message=message)


def recognition_key(obj_or_row) -> tuple:
    return value(obj_or_row, "enterprise_id"), value(obj_or_row, "kind"), value(obj_or_row, "recognized_on")


def recognitions_by_key(*, zone, keys) -> dict:
    keys = set(keys)
    enterprise_ids = sorted({k[0] for k in keys})
    found = {}
    qs = Recognition.objects.filter(zone=zone).select_related("enterprise", "department")
    for start in range(0, len(enterprise_ids), LOOKUP_CHUNK):
        for recognition in qs.filter(enterprise_id__in=enterprise_ids[start:start + LOOKUP_CHUNK]):
            if recognition_key(recognition) in keys:
                found[recognition_key(recognition)] = recognition
    return found


def recognitions_upsert(*, zone, department, rows: list[dict], user=None, message: str = "") -> UpsertResult:
    """Create or update recognitions by (enterprise_id, kind, recognized_on) for `department`; all or nothing."""
    enterprises = enterprises_of_zone(zone, [r["enterprise_id"] for r in rows])
    unknown = sorted({r["enterprise_id"] for r in rows} - set(enterprises))
    if unknown:
        raise ValidationError(_("以下企业不在本园区：%(ids)s") % {"ids": "、".join(map(str, unknown[:20]))})

    def prepare(recognition) -> None:
        Recognition._meta.get_field("enterprise").set_cached_value(recognition, enterprises[recognition.enterprise_id])

    return keyed_upsert(
        model=Recognition, zone=zone, department=department, user=user, rows=rows,
        existing=recognitions_by_key(zone=zone, keys=[recognition_key(r) for r in rows]), key_of=recognition_key,
        fields=UPSERT_FIELDS, message=message,
        describe=lambda k: f"{enterprises[k[0]].name} {k[1]} {k[2].isoformat()}", prepare=prepare,
        duplicate_message=_("以下企业、认定类型和认定日期重复出现：%(keys)s"),
        foreign_message=_("以下企业认定由其他部门维护，本部门不能通过导入修改：%(keys)s"),
    )
