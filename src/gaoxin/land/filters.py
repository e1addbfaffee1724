import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Building, LandUse, Parcel, ParcelStatus, SupplyMethod


class ParcelFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("搜索"))
    status = django_filters.ChoiceFilter(choices=ParcelStatus.choices, label=_("状态"))
    land_use = django_filters.ChoiceFilter(choices=LandUse.choices, label=_("用地性质"))
    supply_method = django_filters.ChoiceFilter(choices=SupplyMethod.choices, label=_("供地方式"))
    holder_id = django_filters.NumberFilter(field_name="holder_id", label=_("使用企业"))
    holder_uscc = django_filters.CharFilter(field_name="holder__uscc", label=_("使用企业统一社会信用代码"))
    department_id = django_filters.NumberFilter(field_name="department_id", label=_("主管部门"))
    min_area_m2 = django_filters.NumberFilter(field_name="area_m2", lookup_expr="gte", label=_("最小面积（平方米）"))
    max_area_m2 = django_filters.NumberFilter(field_name="area_m2", lookup_expr="lte", label=_("最大面积（平方米）"))

    class Meta:
        model = Parcel
        fields = ["q", "status", "land_use", "supply_method", "holder_id", "department_id"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(code__icontains=value) | Q(location__icontains=value) | Q(holder__name__icontains=value))


class BuildingFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("搜索"))

    class Meta:
        model = Building
        fields = ["q"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value)) if value else queryset
