"""Forms of the catalog, the record/revise page and the targets page. They parse and present; the rules
live in the services (and `observation_problems`, shared with the import)."""

import re

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gaoxin.core.pages import ChangeMessageMixin

from .models import ComputedKey, Indicator, IndicatorKind, Observation, ObservationStatus, Region, Target

PERIOD = re.compile(r"^(\d{4})-(\d{1,2})$")


def plain(value):
    """A stored decimal as the user typed it (121.0000 → 121), for a form's initial value."""
    return None if value is None else format(value.normalize(), "f")


class IndicatorForm(ChangeMessageMixin, forms.ModelForm):
    """Add or edit a catalog line; on edit, code and kind are shown but fixed."""

    class Meta:
        model = Indicator
        fields = ("code", "name", "unit", "kind", "frequency", "computed_key", "aggregation", "is_headline", "order",
                  "is_active")

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["computed_key"].choices = [("", _("（官方统计指标不选）")), *ComputedKey.choices]
        self.fields["code"].help_text = _("小写字母、数字、下划线或连字符，如 gdp；创建后不能修改。")
        self.fields["kind"].help_text = _("官方统计指标的数据由导入或录入；平台计算的指标由业务记录计算。创建后不能修改。")
        if editing:
            for name in ("code", "kind"):
                self.fields[name].disabled = True

    def validate_unique(self):
        pass  # the service validates with the zone set; the form has no zone

    def service_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "message"}


class ObservationForm(ChangeMessageMixin, forms.Form):
    """Record a figure or revise one: the same form, the service decides whether it is a new revision."""

    region = forms.ChoiceField(label=gettext_lazy("范围"), choices=Region.choices, initial=Region.ZONE)
    period = forms.CharField(label=gettext_lazy("期间"), max_length=7,
                             widget=forms.TextInput(attrs={"type": "month", "min": "2000-01", "max": "2100-12"}),
                             help_text=gettext_lazy("YYYY-MM：1 月至该月累计。"))
    value = forms.DecimalField(label=gettext_lazy("累计值"), required=False, max_digits=18, decimal_places=4)
    growth_pct = forms.DecimalField(label=gettext_lazy("累计增速（%）"), required=False, max_digits=9,
                                    decimal_places=2,
                                    help_text=gettext_lazy("官方公布的累计同比增速，如 12.2；系统不由累计值推算。"))
    source = forms.CharField(label=gettext_lazy("来源"), required=False, max_length=200,
                             help_text=gettext_lazy("如 区统计局月报；修订时留空沿用原来源。"))
    status = forms.ChoiceField(label=gettext_lazy("状态"), required=False,
                               choices=[("", gettext_lazy("自动（首次为初步，修订为修订）")), *ObservationStatus.choices])
    note = forms.CharField(label=gettext_lazy("说明"), required=False, max_length=500,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, indicator: Indicator, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.fields["value"].label = _("累计值（%(unit)s）") % {"unit": indicator.unit}
        if indicator.frequency == "季度":
            self.fields["period"].help_text = _("季度指标：只能是 03、06、09、12 月（1 月至季末累计）。")

    def clean_period(self) -> tuple[int, int]:
        text = (self.cleaned_data.get("period") or "").strip()
        match = PERIOD.match(text)
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise forms.ValidationError(_("期间应为 YYYY-MM，如 2024-06。"))
        year, month = int(match.group(1)), int(match.group(2))
        if not 2000 <= year <= 2100:
            raise forms.ValidationError(_("期间的年份应在 2000–2100 之间。"))
        return year, month

    def clean(self):
        data = super().clean()
        if data.get("value") is None and data.get("growth_pct") is None and not self.errors:
            raise forms.ValidationError(_("累计值和累计增速至少填写一项。"))
        return data

    @staticmethod
    def initial_from(obs: Observation | None, *, region: str, period: str) -> dict:
        initial = {"region": region, "period": period}
        if obs is not None:
            initial.update(value=plain(obs.value), growth_pct=plain(obs.growth_pct), source=obs.source)
        return initial


class TargetsForm(forms.Form):
    """One row per indicator (growth, value, note) on the targets page; rows are `g_<id>`, `v_<id>`, `n_<id>`."""

    def __init__(self, *args, indicators: list[Indicator], targets: dict[int, Target], **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        for indicator in indicators:
            target = targets.get(indicator.pk)
            self.fields[f"g_{indicator.pk}"] = forms.DecimalField(
                label=_("%(name)s 目标增速（%%）") % {"name": indicator.name}, required=False, max_digits=9,
                decimal_places=2, initial=plain(target.growth_pct) if target else None)
            self.fields[f"v_{indicator.pk}"] = forms.DecimalField(
                label=_("%(name)s 目标值（%(unit)s）") % {"name": indicator.name, "unit": indicator.unit},
                required=False, max_digits=18, decimal_places=4, initial=plain(target.value) if target else None)
            self.fields[f"n_{indicator.pk}"] = forms.CharField(
                label=_("%(name)s 说明") % {"name": indicator.name}, required=False, max_length=500,
                initial=target.note if target else "")
        for field in self.fields.values():
            # the table's header names the column; the label is for screen readers
            field.widget.attrs["aria-label"] = field.label
        self.fields["message"] = forms.CharField(label=gettext_lazy("变更说明"), required=False, max_length=200)

    def rows(self):
        """(indicator, growth bound field, value bound field, note bound field) for the template."""
        return [(i, self[f"g_{i.pk}"], self[f"v_{i.pk}"], self[f"n_{i.pk}"]) for i in self.indicators]

    def entries(self) -> list[tuple[Indicator, dict]]:
        data = self.cleaned_data
        return [(i, {"growth_pct": data.get(f"g_{i.pk}"), "value": data.get(f"v_{i.pk}"),
                     "note": data.get(f"n_{i.pk}") or ""}) for i in self.indicators]


KIND_HELP = {
    IndicatorKind.OFFICIAL: gettext_lazy("官方统计：由统计部门公布，按月（或季）导入或录入累计值和累计增速；增速按公布数保存，不由累计值推算。"),
    IndicatorKind.COMPUTED: gettext_lazy("平台计算：由平台根据招商、项目等业务记录计算，与“项目调度 · 统计”页面的数字一致，不能录入。"),
}
