from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gaoxin.core.pages import ChangeMessageMixin

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
