from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from gaoxin.core.permissions import Role

from .models import ObjectChange, SecurityEvent


def object_changes_for_object(*, obj) -> QuerySet[ObjectChange]:
    """The history of one row; callers have already checked that the user may see the row."""
    ct = ContentType.objects.get_for_model(obj)
    return ObjectChange.objects.filter(content_type=ct, object_id=obj.pk).select_related("user")


def audit_trail_for_user(*, user) -> tuple[QuerySet[ObjectChange], QuerySet[SecurityEvent]]:
    """The whole trail is for the audit admin only (三权分立)."""
    if not (user.is_authenticated and user.is_active and user.role == Role.AUDIT_ADMIN):
        return ObjectChange.objects.none(), SecurityEvent.objects.none()
    return ObjectChange.objects.select_related("content_type"), SecurityEvent.objects.all()
