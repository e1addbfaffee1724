"""Forms of the investment pages. Industry directions come from the zone's project settings (a select), so a
form offers exactly what the services accept."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from gaoxin.core.pages import ChangeMessageMixin
from gaoxin.enterprises.selectors import enterprise_choices_for_user
from gaoxin.projects.models import Project

from . import selectors
from .models import OPEN_LEAD_STAGES, Channel, FundTranche, Lead, LeadFollowUp, LeadStage, Signing
from .services import FOLLOW_UP_FIELDS, FUND_FIELDS, LEAD_FIELDS, SIGNING_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
AMOUNT = {"max_digits": 14, "decimal_places": 2, "min_value": Decimal("0.01")}


def _industry_field(zone, *, current: str = "", required: bool = False) -> forms.ChoiceField:
    directions = list(selectors.industry_choices(zone=zone))
    if current and current not in directions:
        directions.append(current)  # a value kept from before the zone changed its list
    return forms.ChoiceField(label=_("产业方向"), required=required,
                             choices=[("", "—")] + [(d, d) for d in directions])


def _project_label(project: Project) -> str:
    return f"{project.code} {project.name}"


class LeadForm(ChangeMessageMixin, forms.ModelForm):
    class Meta:
        model = Lead
        fields = list(LEAD_FIELDS)
        widgets = {"received_on": DATE, "content": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["industry"] = _industry_field(user.zone_id, current=self.instance.industry)
        self.fields["owner"].queryset = selectors.owner_choices(zone=user.zone_id)
        self.fields["owner"].label_from_instance = lambda u: u.display_name or u.username


class FollowUpForm(forms.ModelForm):
    class Meta:
        model = LeadFollowUp
        fields = list(FOLLOW_UP_FIELDS)
        widgets = {"date": DATE, "content": forms.Textarea(attrs={"rows": 3})}


class LeadSignForm(ChangeMessageMixin, forms.Form):
    code = forms.CharField(label=_("项目编号"), max_length=50)
    name = forms.CharField(label=_("项目名称"), max_length=200, required=False, help_text=_("留空则取线索名称。"))
    date = forms.DateField(label=_("签约日期"), widget=DATE)
    contract_investment_wan = forms.DecimalField(label=_("合同投资额（万元）"), **AMOUNT)
    total_investment_wan = forms.DecimalField(label=_("总投资（万元）"), required=False, **AMOUNT,
                                              help_text=_("留空则等于合同投资额。"))
    channel = forms.ChoiceField(label=_("招商方式"), choices=Channel.choices)
    enterprise = forms.ModelChoiceField(label=_("项目公司"), queryset=Project.objects.none(), required=False,
                                        help_text=_("可选：企业库中的项目公司。"))

    def __init__(self, *args, user, lead: Lead, **kwargs):
        kwargs.setdefault("initial", {"name": lead.name, "channel": lead.channel, "industry": lead.industry,
                                      "contract_investment_wan": lead.expected_investment_wan})
        super().__init__(*args, **kwargs)
        self.fields["industry"] = _industry_field(user.zone_id, current=lead.industry)
        self.fields["enterprise"].queryset = enterprise_choices_for_user(user=user)
        # keep the message field last
        self.order_fields([*[n for n in self.fields if n != "message"], "message"])


class DropForm(ChangeMessageMixin, forms.Form):
    reason = forms.CharField(label=_("终止原因"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class ReopenForm(forms.Form):
    stage = forms.ChoiceField(label=_("重新激活为"), choices=[(s.value, s.label) for s in OPEN_LEAD_STAGES],
                              initial=LeadStage.LEAD)


class SigningForm(ChangeMessageMixin, forms.ModelForm):
    class Meta:
        model = Signing
        fields = list(SIGNING_FIELDS)
        widgets = {"date": DATE}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["industry"] = _industry_field(user.zone_id, current=self.instance.industry)


class SigningAddForm(SigningForm):
    """Sign an existing project without a signing, or give a new 项目编号 and name (签约即入库)."""

    project = forms.ModelChoiceField(label=_("已有项目"), queryset=Project.objects.none(), required=False,
                                     help_text=_("选择尚未签约的项目；或留空并在下方填写新项目的编号和名称。"))
    code = forms.CharField(label=_("新项目编号"), max_length=50, required=False)
    name = forms.CharField(label=_("新项目名称"), max_length=200, required=False)
    enterprise = forms.ModelChoiceField(label=_("项目公司"), queryset=Project.objects.none(), required=False,
                                        help_text=_("仅新项目：企业库中的项目公司（可选）。"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["project"].queryset = selectors.signable_projects_for_user(user=user)
        self.fields["project"].label_from_instance = _project_label
        self.fields["enterprise"].queryset = enterprise_choices_for_user(user=user)
        self.order_fields(["project", "code", "name", "enterprise", *SIGNING_FIELDS, "message"])

    def clean(self):
        data = super().clean()
        project, code = data.get("project"), (data.get("code") or "").strip()
        if project is None and not code:
            raise forms.ValidationError(_("请选择已有项目，或填写新项目的编号和名称。"))
        if project is not None and code:
            raise forms.ValidationError(_("已选择已有项目时，不要再填写新项目编号。"))
        if project is None and not (data.get("name") or "").strip():
            self.add_error("name", _("新建项目须填写项目名称。"))
        return data


class FundForm(ChangeMessageMixin, forms.ModelForm):
    class Meta:
        model = FundTranche
        fields = list(FUND_FIELDS)
        widgets = {"date": DATE}


class FundAddForm(FundForm):
    project = forms.ModelChoiceField(label=_("项目"), queryset=Project.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = selectors.fund_project_choices(user=user)
        self.fields["project"].label_from_instance = _project_label
        self.order_fields(["project", *FUND_FIELDS, "message"])

