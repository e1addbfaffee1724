"""Forms of the notices page (filters) and the channels page (a department's channel)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from gaoxin.core.pages import ChangeMessageMixin

from .models import ChannelKind, ClockStatus, NoticeStatus

DATE = {"type": "date"}


class NoticeFilterForm(forms.Form):
    """An invalid value is reported and ignored, never an error page."""

    q = forms.CharField(label=_("搜索"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": _("办件编号、名称或事项")}))
    status = forms.ChoiceField(label=_("发送状态"), required=False, choices=[("", _("全部")), *NoticeStatus.choices])
    clock_status = forms.ChoiceField(label=_("时限状态"), required=False,
                                     choices=[("", _("全部")), (ClockStatus.WARNING, _("预警")),
                                              (ClockStatus.OVERDUE, _("逾期"))])
    kind = forms.ChoiceField(label=_("渠道"), required=False, choices=[("", _("全部")), *ChannelKind.choices])
    department = forms.ModelChoiceField(label=_("办理部门"), queryset=None, required=False, empty_label=_("全部"))
    date_from = forms.DateField(label=_("生成日期自"), required=False, widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"))
    date_to = forms.DateField(label=_("至"), required=False, widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"))

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        if departments.exists():
            self.fields["department"].queryset = departments
        else:
            del self.fields["department"]
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("id", f"filter-{name}")

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("结束日期不能早于开始日期。"))
        return data

    def values(self) -> dict:
        self.is_valid()
        return {k: v for k, v in getattr(self, "cleaned_data", {}).items() if k not in self.errors and v}


class ChannelForm(ChangeMessageMixin, forms.Form):
    kind = forms.ChoiceField(label=_("渠道"), choices=ChannelKind.choices)
    target = forms.CharField(label=_("地址"), max_length=500,
                             help_text=_("电子邮件填邮箱地址；企业微信、钉钉群机器人填 Webhook 地址。"))
    secret = forms.CharField(label=_("加签密钥"), max_length=200, required=False,
                             widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
                             help_text=_("仅钉钉群机器人的“加签”安全设置需要（SEC 开头）。修改渠道时留空表示不变。"))
    clear_secret = forms.BooleanField(label=_("清除加签密钥"), required=False)
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)

    def __init__(self, *args, channel=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.channel = channel
        if channel is None:
            del self.fields["clear_secret"]
        elif not self.is_bound:
            self.initial.update(kind=channel.kind, target=channel.target, is_active=channel.is_active)
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("id", f"channel-{name}")

    def service_data(self) -> dict:
        data = {k: self.cleaned_data[k] for k in ("kind", "target", "is_active")}
        secret = self.cleaned_data.get("secret", "")
        if self.channel is None:
            data["secret"] = secret
        elif self.cleaned_data.get("clear_secret"):
            data["secret"] = ""
        elif secret:
            data["secret"] = secret
        return data
