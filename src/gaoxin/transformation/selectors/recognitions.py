"""Reading the enterprise recognitions (高新技术企业, 专精特新 …) with data scope."""

from django.db.models import QuerySet

from ..models import Recognition


def recognitions_for_user(*, user, filters: dict | None = None) -> QuerySet[Recognition]:
    from ..filters import RecognitionFilterSet

    qs = Recognition.objects.visible_to(user).select_related("enterprise", "department")
    if filters:
        filterset = RecognitionFilterSet(filters, queryset=qs)
        if "ids" in filterset.errors:
            return qs.none()
        qs = filterset.qs
    return qs


def recognition_get_for_user(*, user, pk: int) -> Recognition | None:
    return recognitions_for_user(user=user).filter(pk=pk).first()
