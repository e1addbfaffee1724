import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import MAX_YEAR, MIN_YEAR, AnnualPlan, KeyLevel, Project, ProjectStage, ProjectType

MAX_IDS = 2000


class IdListField(forms.CharField):
    """Comma-separated primary keys (the statistics drill-down); at most MAX_IDS."""

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        parts = [p.strip() for p in value.split(",") if p.strip()]
        if not all(p.isdigit() for p in parts):
            raise ValidationError(_("项目编号列表格式错误：应为以英文逗号分隔的数字。"))
        if len(parts) > MAX_IDS:
            raise ValidationError(_("一次最多列出 %(max)s 个项目。") % {"max": MAX_IDS})
        return [int(p) for p in parts]


class IdListFilter(django_filters.Filter):
    field_class = IdListField

    def filter(self, qs, value):
        if value is None:
            return qs
        return qs.filter(pk__in=value)


class ProjectFilterSet(django_filters.FilterSet):
    """Shared by the list page, the export, the API and the statistics drill-down links."""

    q = django_filters.CharFilter(method="search", label=gettext_lazy("搜索"))
    stage = django_filters.ChoiceFilter(choices=ProjectStage.choices, label=gettext_lazy("阶段"))
    key_level = django_filters.ChoiceFilter(choices=KeyLevel.choices, label=gettext_lazy("重点项目级别"))
    project_type = django_filters.ChoiceFilter(choices=ProjectType.choices, label=gettext_lazy("项目类型"))
    industry = django_filters.CharFilter(field_name="industry", label=gettext_lazy("产业方向"))
    task_force = django_filters.NumberFilter(field_name="task_force_id", label=gettext_lazy("护航专班"))
    department_id = django_filters.NumberFilter(field_name="department_id", label=gettext_lazy("主管部门"))
    started_after = django_filters.DateFilter(field_name="start_date", lookup_expr="gte",
                                              label=gettext_lazy("实际开工日期起"))
    started_before = django_filters.DateFilter(field_name="start_date", lookup_expr="lte",
                                               label=gettext_lazy("实际开工日期止"))
    completed_after = django_filters.DateFilter(field_name="completion_date", lookup_expr="gte",
                                                label=gettext_lazy("实际竣工日期起"))
    completed_before = django_filters.DateFilter(field_name="completion_date", lookup_expr="lte",
                                                 label=gettext_lazy("实际竣工日期止"))
    commissioned_after = django_filters.DateFilter(field_name="commission_date", lookup_expr="gte",
                                                   label=gettext_lazy("实际投产日期起"))
    commissioned_before = django_filters.DateFilter(field_name="commission_date", lookup_expr="lte",
                                                    label=gettext_lazy("实际投产日期止"))
    plan_year = django_filters.NumberFilter(method="filter_plan_year", label=gettext_lazy("有年度计划"),
                                            min_value=MIN_YEAR, max_value=MAX_YEAR)
    ids = IdListFilter(label=gettext_lazy("项目"))

    class Meta:
        model = Project
        fields = ["q", "stage", "key_level", "project_type", "industry", "task_force"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value)
                               | Q(enterprise__name__icontains=value))

    def filter_plan_year(self, queryset, name, value):
        """Projects with a positive annual plan for the year: the population of the key-project figures."""
        if value is None:
            return queryset
        planned = AnnualPlan.objects.filter(year=int(value), plan_wan__gt=0).values("project_id")
        return queryset.filter(pk__in=planned)
