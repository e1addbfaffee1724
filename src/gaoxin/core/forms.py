"""Forms of the core pages: the working-day calendar."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .calendar import FIRST_YEAR, LAST_YEAR, format_date_list, parse_date_list
from .models import CalendarYear
from .workcal import YearDefinition

DATES_HELP = _("每行一个日期，或用逗号分隔，格式 YYYY-MM-DD；连续日期可写作 2027-02-05~2027-02-13。")


class CalendarYearForm(forms.Form):
    """One year's arrangement as the State Council notice states it.

    Only parses the text; the rules (dates in the year, make-up days on weekends, …) are checked by
    `calendar_year_save`, whose errors the view attaches to these fields.
    """

    year = forms.IntegerField(label=_("年份"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    holidays = forms.CharField(
        label=_("放假日期"),
        widget=forms.Textarea(attrs={"rows": 10, "cols": 40}),
        help_text=format_lazy("{}{}", _("通知中的全部放假日期（含周末）。"), DATES_HELP),
    )
    workdays = forms.CharField(
        label=_("调休上班日"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 40}),
        help_text=format_lazy("{}{}", _("需要上班的周六、周日。"), DATES_HELP),
    )
    source = forms.CharField(
        label=_("依据"),
        max_length=200,
        required=False,
        help_text=_("发布该安排的通知，如：国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕X号）"),
    )

    def __init__(self, *args, instance: CalendarYear | None = None, template: YearDefinition | None = None,
                 **kwargs):
        """`instance`: the row being edited (its year cannot change). `template`: prefill for a new row."""
        super().__init__(*args, **kwargs)
        self.instance = instance
        source = instance or template
        if source is not None:
            self.initial.update(
                year=source.year,
                holidays=format_date_list(source.holidays),
                workdays=format_date_list(source.workdays),
                source=source.source,
            )
        if instance is not None:
            self.fields["year"].disabled = True

    def clean_year(self):
        year = self.cleaned_data["year"]
        if self.instance is None and CalendarYear.objects.filter(year=year).exists():
            raise forms.ValidationError(_("%(year)s 年已录入，请在列表中点击该年份进行修改。") % {"year": year})
        return year

    def clean_holidays(self):
        return parse_date_list(self.cleaned_data["holidays"])

    def clean_workdays(self):
        return parse_date_list(self.cleaned_data["workdays"])
