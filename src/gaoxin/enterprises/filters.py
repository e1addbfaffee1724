import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Enterprise, EnterpriseSize, EnterpriseStatus


class EnterpriseFilterSet(django_filters.FilterSet):
    """Shared by the list page, the export and the API's query parameters."""

    q = django_filters.CharFilter(method="search", label=_("搜索"))
    size = django_filters.ChoiceFilter(choices=EnterpriseSize.choices, label=_("规模"))
    status = django_filters.ChoiceFilter(choices=EnterpriseStatus.choices, label=_("状态"))
    area = django_filters.CharFilter(field_name="area", label=_("所属片区"))
    industry = django_filters.CharFilter(method="filter_industry", label=_("行业"))
    department_id = django_filters.NumberFilter(field_name="department_id", label=_("主管部门"))
    registered_after = django_filters.DateFilter(field_name="registration_date", lookup_expr="gte", label=_("成立日期起"))
    registered_before = django_filters.DateFilter(field_name="registration_date", lookup_expr="lte", label=_("成立日期止"))

    class Meta:
        model = Enterprise
        fields = ["q", "size", "status", "area", "industry", "department_id"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(uscc__icontains=value.upper()) | Q(address__icontains=value))

    def filter_industry(self, queryset, name, value):
        """门类 letter (C), 大类 (39), 中类 (397) or 小类 (3971) — the prefix selects the subtree."""
        value = value.strip().upper()
        if not value:
            return queryset
        if value.isalpha() and len(value) == 1:
            from gaoxin.core import industry

            divisions = [c.code for c in industry.categories("大类") if c.section == value]
            q = Q(pk__in=[])
            for d in divisions:
                q |= Q(industry_code__startswith=d)
            return queryset.filter(q)
        return queryset.filter(industry_code__startswith=value.lstrip("ABCDEFGHIJKLMNOPQRST"))
