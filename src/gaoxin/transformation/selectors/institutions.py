"""Reading the R&D institutions (研发机构) with data scope."""

from django.db.models import Count, QuerySet

from ..models import RndInstitution


def institutions_for_user(*, user, filters: dict | None = None) -> QuerySet[RndInstitution]:
    """An invalid `ids` list gives no rows (a drill-down never over-reports)."""
    from ..filters import InstitutionFilterSet

    qs = RndInstitution.objects.visible_to(user).select_related("enterprise", "department")
    if filters:
        filterset = InstitutionFilterSet(filters, queryset=qs)
        if "ids" in filterset.errors:
            return qs.none()
        qs = filterset.qs
    return qs


def institution_get_for_user(*, user, pk: int) -> RndInstitution | None:
    return institutions_for_user(user=user).filter(pk=pk).first()


def institutions_total(qs: QuerySet[RndInstitution]) -> dict:
    """Institutions and the enterprises that set them up (the bulletin counts enterprises)."""
    row = qs.order_by().aggregate(count=Count("pk"), enterprises=Count("enterprise", distinct=True))
    return {"count": row["count"], "enterprises": row["enterprises"]}
