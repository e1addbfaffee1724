from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gaoxin.core.pages import ChangeMessageMixin

from .models import AMOUNT, MAX_YEAR, MILESTONES, MIN_YEAR, AnnualPlan, MonthlyInvestment, Project
from .services.projects import EDITABLE_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

# The form's sections, in order: (title, fields).
FORM_GROUPS = (
    (gettext_lazy("基本信息"), ("code", "name", "project_type", "key_level", "industry", "total_investment_wan",
                              "location", "content", "task_force")),
    (gettext_lazy("里程碑（计划 / 实际）"), tuple(f for _label, planned, actual in MILESTONES for f in (planned, actual))),
    (gettext_lazy("项目公司"), ("enterprise",)),
)


class ProjectForm(ChangeMessageMixin, forms.ModelForm):
    """Add and edit. `version` travels with the form so a save over someone else's newer save is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    class Meta:
        model = Project
        fields = list(EDITABLE_FIELDS)
        widgets = {
            **{f: DATE for _label, planned, actual in MILESTONES for f in (planned, actual)},
            "content": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, directions=(), enterprises=None, task_forces=None, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance.industry if self.instance else ""
        options = list(directions)
        if current and current not in options:
            options.append(current)
        self.fields["industry"] = forms.ChoiceField(
            label=Project._meta.get_field("industry").verbose_name, required=False,
            choices=[("", "—"), *[(d, d) for d in options]])
        if enterprises is not None:
            self.fields["enterprise"].queryset = enterprises
        if task_forces is not None:
            self.fields["task_force"].queryset = task_forces
        if not self.is_bound and self.instance.pk:
            self.initial["version"] = self.instance.version

    def groups(self):
        """(title, bound fields) per section, for the grouped template."""
        return [(title, [self[f] for f in names if f in self.fields]) for title, names in FORM_GROUPS]


class PlanForm(ChangeMessageMixin, forms.Form):
    year = forms.IntegerField(label=gettext_lazy("年度"), min_value=MIN_YEAR, max_value=MAX_YEAR)
    plan_wan = forms.DecimalField(label=AnnualPlan._meta.get_field("plan_wan").verbose_name, min_value=0,
                                  max_digits=AMOUNT["max_digits"], decimal_places=AMOUNT["decimal_places"])
    delete = forms.BooleanField(required=False, widget=forms.HiddenInput)


class ReportForm(ChangeMessageMixin, forms.Form):
    year = forms.IntegerField(label=gettext_lazy("年度"), min_value=MIN_YEAR, max_value=MAX_YEAR)
    month = forms.IntegerField(label=gettext_lazy("月份"), min_value=1, max_value=12)
    completed_wan = forms.DecimalField(label=MonthlyInvestment._meta.get_field("completed_wan").verbose_name,
                                       min_value=0, max_digits=AMOUNT["max_digits"],
                                       decimal_places=AMOUNT["decimal_places"])
    progress = forms.CharField(label=MonthlyInvestment._meta.get_field("progress").verbose_name, required=False,
                               max_length=500)


class ParcelAddForm(ChangeMessageMixin, forms.Form):
    parcel_code = forms.CharField(label=gettext_lazy("地块编号"), max_length=50)

    def __init__(self, *args, parcel_codes=(), **kwargs):
        super().__init__(*args, **kwargs)
        from gaoxin.enterprises.forms import DatalistInput

        self.fields["parcel_code"].widget = DatalistInput(options=parcel_codes)


class PeriodForm(forms.Form):
    year = forms.IntegerField(min_value=MIN_YEAR, max_value=MAX_YEAR)
    month = forms.IntegerField(min_value=1, max_value=12)


class ReopenForm(PeriodForm):
    reason = forms.CharField(label=gettext_lazy("重新开放原因"), max_length=200)

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("请填写重新开放的原因。"))
        return reason
