"""List filters shared by the pages, the exports and the API. The statistics page links to the signing and
fund lists with `date_after`, `date_before`, `channel`, `size` and `industry`: those names are a contract."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gaoxin.projects.engine import SIZE_BUCKETS

from .models import Channel, FundTranche, Lead, LeadStage, Signing

SIZE_CHOICES = [(name, name) for name, _floor in SIZE_BUCKETS]


def size_bounds(name: str):
    """(lower inclusive, upper exclusive or None) of a size bucket, in 万元, from the engine's table."""
    for index, (bucket, floor) in enumerate(SIZE_BUCKETS):
        if bucket == name:
            return floor, (SIZE_BUCKETS[index - 1][1] if index else None)
    raise KeyError(name)


class LeadFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("搜索"))
    stage = django_filters.ChoiceFilter(choices=LeadStage.choices, label=_("阶段"))
    channel = django_filters.ChoiceFilter(choices=Channel.choices, label=_("招商方式"))
    industry = django_filters.CharFilter(field_name="industry", label=_("产业方向"))
    owner = django_filters.NumberFilter(field_name="owner_id", label=_("负责人"))
    received_after = django_filters.DateFilter(field_name="received_on", lookup_expr="gte", label=_("获取日期起"))
    received_before = django_filters.DateFilter(field_name="received_on", lookup_expr="lte", label=_("获取日期止"))

    class Meta:
        model = Lead
        fields = ["q", "stage", "channel", "industry", "owner"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(investor__icontains=value) | Q(source__icontains=value))


class SigningFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("搜索"))
    channel = django_filters.ChoiceFilter(choices=Channel.choices, label=_("招商方式"))
    industry = django_filters.CharFilter(field_name="industry", label=_("产业方向"))
    size = django_filters.ChoiceFilter(choices=SIZE_CHOICES, method="filter_size", label=_("规模"))
    date_after = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("签约日期起"))
    date_before = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("签约日期止"))

    class Meta:
        model = Signing
        fields = ["q", "channel", "industry"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(project__code__icontains=value) | Q(project__name__icontains=value)
                               | Q(investor__icontains=value))

    def filter_size(self, queryset, name, value):
        if not value:
            return queryset
        lower, upper = size_bounds(value)
        queryset = queryset.filter(contract_investment_wan__gte=lower)
        return queryset.filter(contract_investment_wan__lt=upper) if upper is not None else queryset


class FundFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("搜索"))
    code = django_filters.CharFilter(field_name="project__code", label=_("项目编号"))
    date_after = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("到位日期起"))
    date_before = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("到位日期止"))

    class Meta:
        model = FundTranche
        fields = ["q", "code"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(project__code__icontains=value) | Q(project__name__icontains=value)
                               | Q(note__icontains=value))
