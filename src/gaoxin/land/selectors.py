from decimal import Decimal

from django.db.models import Count, QuerySet, Sum

from .models import Building, Lease, Parcel, ParcelStatus


def parcels_for_user(*, user, filters: dict | None = None) -> QuerySet[Parcel]:
    from .filters import ParcelFilterSet

    qs = Parcel.objects.visible_to(user).select_related("holder", "department")
    if filters:
        qs = ParcelFilterSet(filters, queryset=qs).qs
    return qs


def parcel_get_for_user(*, user, pk: int) -> Parcel | None:
    return parcels_for_user(user=user).filter(pk=pk).first()


def parcel_area_by_status(*, user) -> list[dict]:
    """Land by status for the dashboard: count and area (m²) per status, in the status order."""
    rows = {
        r["status"]: r
        for r in parcels_for_user(user=user).values("status").annotate(count=Count("id"), area_m2=Sum("area_m2"))
    }
    return [
        {
            "status": status.value,
            "label": str(status.label),
            "count": rows.get(status.value, {}).get("count", 0),
            "area_m2": rows.get(status.value, {}).get("area_m2") or Decimal(0),
        }
        for status in ParcelStatus
    ]


def buildings_for_user(*, user, filters: dict | None = None) -> QuerySet[Building]:
    from .filters import BuildingFilterSet

    qs = Building.objects.visible_to(user).select_related("parcel")
    if filters:
        qs = BuildingFilterSet(filters, queryset=qs).qs
    return qs


def leases_for_user(*, user) -> QuerySet[Lease]:
    return Lease.objects.visible_to(user).select_related("unit__floor__building", "enterprise")
