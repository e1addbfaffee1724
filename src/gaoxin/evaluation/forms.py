from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gaoxin.core.pages import ChangeMessageMixin

from .models import DATA_FIELDS, EvaluationData, OverrideKind
from .presets import preset_list
from .services.schemes import normalise_text, scheme_problems


class SchemeCreateForm(ChangeMessageMixin, forms.Form):
    preset = forms.ChoiceField(label=_("起始内容"), required=False,
                               help_text=_("从预设开始，或从只含一个指标的空白方案开始；保存后可逐项修改。"))
    year = forms.IntegerField(label=_("评价年度"), min_value=2000, max_value=2100,
                              help_text=_("写入方案的 year；通常评价上一年度的数据。"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["preset"].choices = [("", _("空白方案")),
                                         *((p.key, f"{p.label}：{p.description}") for p in preset_list())]
        self.fields["year"].initial = timezone.localdate().year - 1
        self.order_fields(["preset", "year", "message"])


class SchemeEditForm(ChangeMessageMixin, forms.Form):
    """The TOML text, checked with scheme.py's rules (every problem listed) while typing and on save."""

    toml = forms.CharField(
        label=_("方案内容（TOML）"), strip=False,
        widget=forms.Textarea(attrs={"rows": 32, "cols": 100, "spellcheck": "false", "autocomplete": "off",
                                     "class": "code"}),
        help_text=_("与命令行 gaoxin evaluate 相同的规则检查；方案名称和评价年度取自 name 和 year。"),
    )

    def clean_toml(self):
        text = normalise_text(self.cleaned_data["toml"])
        problems = scheme_problems(text)
        if problems:
            raise forms.ValidationError(problems)
        return text


# --- publicity and objections ----------------------------------------------------------------------------

class PublishForm(ChangeMessageMixin, forms.Form):
    """The window of a publicity; the service checks the bounds (the same rules for every caller)."""

    start = forms.DateField(label=_("公示开始日期"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                            help_text=_("留空为今天；公示期按自然日计算，首尾两天都算在内。"))
    days = forms.IntegerField(label=_("公示天数"), initial=7,
                              widget=forms.NumberInput(attrs={"min": 3, "max": 30}),
                              error_messages={"invalid": _("公示天数须为整数。")},
                              help_text=_("通常为 7 天。"))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; which files are acceptable is the service's rule, not the form's."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class ObjectionForm(forms.Form):
    text = forms.CharField(label=_("异议内容"), widget=forms.Textarea(attrs={"rows": 6}),
                           error_messages={"required": _("请填写异议内容：说明对哪项数据或结果有异议，以及理由。")},
                           help_text=_("说明对哪项数据或结果有异议及理由，例如“2025 年实缴税收应为 180 万元，见完税证明”。"))
    files = MultipleFileField(label=_("证明材料"), required=False,
                              help_text=_("可选，最多 5 个文件，每个不超过 10 MB；"
                                          "支持 pdf、jpg、png、ofd、doc、docx、xls、xlsx，须加盖企业公章。"))


class ObjectionDecisionForm(ChangeMessageMixin, forms.Form):
    reason = forms.CharField(label=_("处理意见"), widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": _("请填写处理意见：受理或驳回都须说明理由。")})


# --- runs and results ------------------------------------------------------------------------------------

class RunCreateForm(forms.Form):
    """开展评价: the year to compute; the service decides whether it can be (scheme, data, not final)."""

    year = forms.IntegerField(label=_("评价年度"), min_value=2000, max_value=2100,
                              help_text=_("按该年度启用的方案和当前的评价数据计算；已有结果时生成新版本。"))
    note = forms.CharField(label=_("说明"), required=False, max_length=200,
                           help_text=_("可选，如“补充电力数据后重新计算”。"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year - 1


OVERRIDE_REVOKE = "撤销"


class ResultOverrideForm(forms.Form):
    """定档/提档/降档 with a reason, or 撤销 (back to the computed class); the service checks the rules."""

    kind = forms.ChoiceField(label=_("调档方式"), choices=[*OverrideKind.choices, (OVERRIDE_REVOKE, _("撤销调档"))],
                             help_text=_("定档须选择档次；提档、降档在计算档次的基础上升、降一档。"))
    target_class = forms.ChoiceField(label=_("定为档次"), required=False)
    reason = forms.CharField(label=_("调档原因"), required=False, max_length=200,
                             widget=forms.Textarea(attrs={"rows": 2}), help_text=_("定档、提档、降档须说明原因。"))

    def __init__(self, *args, class_labels: list[str] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_class"].choices = [("", "—"), *((c, c) for c in class_labels)]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        kind = "" if data["kind"] == OVERRIDE_REVOKE else data["kind"]
        return {"kind": kind, "reason": data["reason"], "target_class": data["target_class"]}


class ReportedSelect(forms.NullBooleanSelect):
    """是 / 否 / 未报送: an empty answer is "not reported", never "no"."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("unknown", _("未报送")), ("true", _("是")), ("false", _("否"))]


class EvaluationDataForm(ChangeMessageMixin, forms.Form):
    """One enterprise's figures of a year, as the officer corrects them. Fields and limits are the model's;
    the model's clean() (an override needs its reason) runs while typing, so the page says so at once."""

    FIELDS = ("tax", "revenue", "value_added", "output", "rd", "staff", "energy_tce", "electricity", "emission_t",
              "env_violation", "land_mu_verified", "illegal_land", "major_accident", "land_mu_override",
              "land_mu_reason", "exempt_reason")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.FIELDS:
            field = EvaluationData._meta.get_field(name).formfield()
            if isinstance(field, forms.NullBooleanField):
                field.widget = ReportedSelect()
            if name in DATA_FIELDS:
                field.help_text = _("来源：%(source)s；留空表示未报送。") % {"source": DATA_FIELDS[name].label}
            self.fields[name] = field
        self.fields["major_accident"].help_text = _("由经办人员填写：评价年度内是否发生重大安全事故。")
        self.order_fields([*self.FIELDS, "message"])

    def clean(self):
        cleaned = super().clean()
        if "land_mu_override" in cleaned and "land_mu_reason" in cleaned:
            if cleaned["land_mu_override"] is None:
                cleaned["land_mu_reason"] = ""
            try:
                EvaluationData(land_mu_override=cleaned["land_mu_override"],
                               land_mu_reason=cleaned["land_mu_reason"]).clean()
            except forms.ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    self.add_error(field if field in self.fields else None, messages)
        return cleaned
