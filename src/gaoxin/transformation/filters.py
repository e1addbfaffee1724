"""List filters shared by the pages, the exports and the API. The counts page links to the lists with
`kind`, `level`, `started_after`/`started_before`, `certified_after`/`certified_before` and
`recognized_after`/`recognized_before`: those names are a contract, and each link must give exactly the
records `selectors.counts.period_record_ids` counts."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import (
    InstitutionKind,
    InstitutionLevel,
    Kind,
    Level,
    Recognition,
    RecognitionKind,
    RndInstitution,
    TransformationProject,
)

MIN_YEAR, MAX_YEAR = 2000, 2100
MAX_IDS = 2000


class IdListField(forms.CharField):
    """Comma-separated primary keys; at most MAX_IDS."""

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        parts = [p.strip() for p in value.split(",") if p.strip()]
        if not all(p.isdigit() and len(p) <= 18 for p in parts):
            raise ValidationError(_("记录编号列表格式错误：应为以英文逗号分隔的数字。"))
        if len(parts) > MAX_IDS:
            raise ValidationError(_("一次最多列出 %(max)s 条记录。") % {"max": MAX_IDS})
        return [int(p) for p in parts]


class IdListFilter(django_filters.Filter):
    field_class = IdListField

    def filter(self, qs, value):
        return qs if value is None else qs.filter(pk__in=value)


class YearFilter(django_filters.NumberFilter):
    """A calendar year of a date field (an integer, so 2024.5 is a form error rather than a database error)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("lookup_expr", "year")
        kwargs.setdefault("min_value", MIN_YEAR)
        kwargs.setdefault("max_value", MAX_YEAR)
        super().__init__(*args, **kwargs)


def _enterprise_search(queryset, value: str, *own: str):
    value = value.strip()
    if not value:
        return queryset
    q = Q(enterprise__name__icontains=value) | Q(enterprise__uscc__icontains=value.upper())
    for field in own:
        q |= Q(**{f"{field}__icontains": value})
    return queryset.filter(q)


class ProjectFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=gettext_lazy("搜索"))
    kind = django_filters.ChoiceFilter(choices=Kind.choices, label=gettext_lazy("项目类型"))
    level = django_filters.ChoiceFilter(choices=Level.choices, label=gettext_lazy("认定级别"))
    started_year = YearFilter(field_name="started_on", label=gettext_lazy("开始实施年度"))
    certified_year = YearFilter(field_name="certified_on", label=gettext_lazy("认定年度"))
    area = django_filters.CharFilter(field_name="enterprise__area", label=gettext_lazy("所属片区"))
    featured = django_filters.BooleanFilter(field_name="featured", label=gettext_lazy("典型案例"))
    started_after = django_filters.DateFilter(field_name="started_on", lookup_expr="gte",
                                              label=gettext_lazy("开始实施日期起"))
    started_before = django_filters.DateFilter(field_name="started_on", lookup_expr="lte",
                                               label=gettext_lazy("开始实施日期止"))
    certified_after = django_filters.DateFilter(field_name="certified_on", lookup_expr="gte",
                                                label=gettext_lazy("认定日期起"))
    certified_before = django_filters.DateFilter(field_name="certified_on", lookup_expr="lte",
                                                 label=gettext_lazy("认定日期止"))
    ids = IdListFilter(label=gettext_lazy("项目"))

    class Meta:
        model = TransformationProject
        fields = ["q", "kind", "level"]

    def search(self, queryset, name, value):
        return _enterprise_search(queryset, value, "name")


class _RecognizedFilterSet(django_filters.FilterSet):
    """What the institution and recognition lists share: search, year and date range of the recognition, area."""

    q = django_filters.CharFilter(method="search", label=gettext_lazy("搜索"))
    level = django_filters.ChoiceFilter(choices=InstitutionLevel.choices, label=gettext_lazy("级别"))
    year = YearFilter(field_name="recognized_on", label=gettext_lazy("认定年度"))
    area = django_filters.CharFilter(field_name="enterprise__area", label=gettext_lazy("所属片区"))
    recognized_after = django_filters.DateFilter(field_name="recognized_on", lookup_expr="gte",
                                                 label=gettext_lazy("认定日期起"))
    recognized_before = django_filters.DateFilter(field_name="recognized_on", lookup_expr="lte",
                                                  label=gettext_lazy("认定日期止"))
    search_field = ""  # besides the enterprise's name and USCC

    def search(self, queryset, name, value):
        return _enterprise_search(queryset, value, self.search_field)


class InstitutionFilterSet(_RecognizedFilterSet):
    kind = django_filters.ChoiceFilter(choices=InstitutionKind.choices, label=gettext_lazy("机构类型"))
    ids = IdListFilter(label=gettext_lazy("研发机构"))
    search_field = "name"

    class Meta:
        model = RndInstitution
        fields = ["q", "kind", "level"]


class RecognitionFilterSet(_RecognizedFilterSet):
    kind = django_filters.ChoiceFilter(choices=RecognitionKind.choices, label=gettext_lazy("认定类型"))
    ids = IdListFilter(label=gettext_lazy("企业认定"))
    search_field = "certificate"

    class Meta:
        model = Recognition
        fields = ["q", "kind", "level"]
