"""Forms of the officer's policy pages: the policy, its clauses (with the live count), match runs.

The award flow's forms live in forms_awards.py. A form checks shape; the services decide (and say why).
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from gaoxin.core.pages import ChangeMessageMixin

from .models import Clause, ClauseMode, Policy, PolicyStatus
from .selectors.facts import MIN_YEAR, default_year, latest_year
from .services.clauses import CLAUSE_FIELDS
from .services.policies import POLICY_FIELDS, allowed_statuses

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SQL = {"rows": 2, "spellcheck": "false", "autocomplete": "off", "class": "code"}


def year_choices() -> list[tuple[int, int]]:
    return [(y, y) for y in range(latest_year(), MIN_YEAR - 1, -1)]


class PolicyForm(ChangeMessageMixin, forms.ModelForm):
    class Meta:
        model = Policy
        fields = list(POLICY_FIELDS)
        widgets = {"valid_from": DATE, "valid_until": DATE, "summary": forms.Textarea(attrs={"rows": 3})}


class ClauseForm(ChangeMessageMixin, forms.ModelForm):
    """A clause; `when` and `amount_wan` are SQL over the facts' columns (the page lists them beside the form
    and counts, as they are typed, who qualifies now)."""

    class Meta:
        model = Clause
        fields = list(CLAUSE_FIELDS)
        widgets = {
            "when": forms.Textarea(attrs=SQL),
            "amount_wan": forms.Textarea(attrs=SQL),
            "text": forms.Textarea(attrs={"rows": 3}),
            "evidence": forms.Textarea(attrs={"rows": 3}),
            "mode": forms.Select(attrs={"data-clause-mode": ""}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["order"].required = False
        self.fields["order"].help_text = _("规则按序号依次计算（影响单户上限的扣减顺序）；留空排在最后。")
        # the page shows and hides these by mode; the marks let the script find them
        for name in ("when", "amount_wan"):
            self.fields[name].widget.attrs["data-automatic"] = ""
        self.fields["evidence"].widget.attrs["data-application"] = ""


class PolicyStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("新状态"), choices=PolicyStatus.choices)

    def __init__(self, *args, policy: Policy, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(s.value, s.label) for s in allowed_statuses(policy)]


class RunForm(forms.Form):
    year = forms.TypedChoiceField(label=_("事实年度"), coerce=int, choices=())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices()
        self.fields["year"].initial = default_year()


class RunCancelForm(ChangeMessageMixin, forms.Form):
    reason = forms.CharField(label=_("作废原因"), max_length=200, widget=forms.Textarea(attrs={"rows": 2}))


class PreviewForm(forms.Form):
    """What the clause form posts to the live count; anything malformed becomes an error in the answer."""

    when = forms.CharField(required=False, strip=True)
    amount_wan = forms.CharField(required=False, strip=True)
    cap_wan = forms.DecimalField(required=False, max_digits=14, decimal_places=2, min_value=0)
    mode = forms.ChoiceField(required=False, choices=ClauseMode.choices)
    preview_year = forms.TypedChoiceField(required=False, coerce=int, choices=())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["preview_year"].choices = year_choices()


class PolicyFilterForm(forms.Form):
    """The list's filters; a value that is not valid is shown as ignored (filter_bar) rather than refused."""

    q = forms.CharField(label=_("搜索"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": _("编号、名称或文号"), "id": "filter-q"}))
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部")), *PolicyStatus.choices],
                               widget=forms.Select(attrs={"id": "filter-status"}))
    year = forms.TypedChoiceField(label=_("有效年度"), required=False, coerce=int, empty_value=None,
                                  widget=forms.Select(attrs={"id": "filter-year"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("全部")), *year_choices()]

    def valid_filters(self) -> dict:
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}
