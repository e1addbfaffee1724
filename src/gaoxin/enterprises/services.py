"""Every write to the enterprise register."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from gaoxin.core.services import (
    UpsertResult,
    audited_create,
    audited_delete,
    audited_update,
    register_upsert,
    require_write,
)

from .models import Enterprise

# Fields a user may set; zone and department come from who is acting.
EDITABLE_FIELDS = (
    "uscc", "name", "industry_code", "size", "registration_date", "area", "address",
    "contact_person", "contact_phone", "status",
)


@transaction.atomic
def enterprise_create(*, user, data: dict, message: str = "") -> Enterprise:
    require_write(user=user, model=Enterprise)
    enterprise = Enterprise(zone_id=user.zone_id, department_id=user.department_id,
                            **{k: v for k, v in data.items() if k in EDITABLE_FIELDS})
    return audited_create(enterprise, message=message)


@transaction.atomic
def enterprise_update(*, user, enterprise: Enterprise, data: dict, message: str = "") -> Enterprise:
    require_write(user=user, model=Enterprise, obj=enterprise)
    return audited_update(enterprise, {k: v for k, v in data.items() if k in EDITABLE_FIELDS}, message=message)


@transaction.atomic
def enterprise_delete(*, user, enterprise: Enterprise, message: str = "") -> None:
    require_write(user=user, model=Enterprise, obj=enterprise)
    try:
        audited_delete(enterprise, message=message)
    except ProtectedError:
        raise ValidationError(_("该企业仍有关联的地块、租赁或用户，不能删除；可将状态改为“注销”或“迁出”。")) from None


def enterprises_upsert(*, zone, department, rows: list[dict], user=None, message: str = "") -> UpsertResult:
    """Create or update enterprises by USCC for `department`, with one audit row each; all or nothing.

    `rows` are validated field dicts (see enterprises.imports). `user` is the person importing (checked
    against zone and department); None only for trusted system callers (the CLI, the demo). Rows whose
    USCC belongs to an enterprise of another department are refused as a whole: nothing is written.
    """
    return register_upsert(
        model=Enterprise, key="uscc", fields=EDITABLE_FIELDS, zone=zone, department=department, rows=rows,
        user=user, message=message,
        foreign_message=_("以下企业由其他部门维护，本部门不能通过导入修改：%(codes)s"),
    )
