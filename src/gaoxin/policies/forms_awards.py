"""Forms of the award flow, applications and publicity. They parse what people type; every rule that decides
whether a write may happen is the service's, so the page, the API and the CLI refuse for the same reasons."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ApplicationStatus, AwardSource, AwardStatus

# ISO in the value: a date input shows nothing for the locale's 2026/11/29, so an initial date would be lost
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AwardFilterForm(forms.Form):
    """The award list's filters (GET); bad values are shown as ignored, never an error page."""

    policy = forms.TypedChoiceField(label=_("政策"), required=False, coerce=int, empty_value=None)
    clause = forms.TypedChoiceField(label=_("条款"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(label=_("状态"), required=False)
    source = forms.ChoiceField(label=_("来源"), required=False)
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)
    enterprise = forms.CharField(label=_("企业"), required=False, max_length=100,
                                 widget=forms.TextInput(attrs={"placeholder": _("名称或统一社会信用代码")}))

    def __init__(self, *args, policies=(), clauses=(), statuses=None, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("全部"))]
        self.fields["policy"].choices = everything + list(policies)
        self.fields["clause"].choices = everything + list(clauses)
        self.fields["status"].choices = everything + list(statuses if statuses is not None else AwardStatus.choices)
        self.fields["source"].choices = everything + list(AwardSource.choices)
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("id", f"filter-{name}")


class ApplicationFilterForm(AwardFilterForm):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("statuses", ApplicationStatus.choices)
        super().__init__(*args, **kwargs)
        del self.fields["source"]


class BankAccountForm(forms.Form):
    """意愿确认: where the award is to be paid. The service checks the account number (8–30 digits)."""

    account_name = forms.CharField(label=_("开户名称"), max_length=200,
                                   help_text=_("一般为企业登记名称"))
    bank_name = forms.CharField(label=_("开户银行"), max_length=200, help_text=_("写到支行，如：中国银行重庆高新支行"))
    account_number = forms.CharField(label=_("银行账号"), max_length=60, help_text=_("8 至 30 位数字，可用空格分隔"))
    contact = forms.CharField(label=_("经办人及电话"), max_length=100)


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("放弃原因"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": _("请填写放弃原因。")})


class ReplyForm(forms.Form):
    """帮办代办: the reply of an enterprise without a platform account, recorded by staff from its letter."""

    accept = forms.TypedChoiceField(label=_("企业回复"), coerce=lambda v: v == "1",
                                    choices=[("1", _("确认领取")), ("0", _("放弃"))])
    note = forms.CharField(label=_("依据"), max_length=300, help_text=_("如：企业盖章确认函（2025年5月20日）"),
                           error_messages={"required": _("请注明企业回复的依据，如“企业盖章确认函”。")})
    account_name = forms.CharField(label=_("开户名称"), max_length=200, required=False)
    bank_name = forms.CharField(label=_("开户银行"), max_length=200, required=False)
    account_number = forms.CharField(label=_("银行账号"), max_length=60, required=False)
    contact = forms.CharField(label=_("经办人及电话"), max_length=100, required=False)
    reason = forms.CharField(label=_("放弃原因"), max_length=300, required=False,
                             help_text=_("企业放弃时填写"))


class ApproveForm(forms.Form):
    note = forms.CharField(label=_("审核意见"), max_length=300, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("不通过理由"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": _("请填写不通过的理由，企业可以看到。")},
                             help_text=_("金额有误时请驳回，修正条款规则后重新比对。"))


class PayForm(forms.Form):
    paid_on = forms.DateField(label=_("兑付日期"), widget=DATE,
                              error_messages={"required": _("请填写兑付日期。"), "invalid": _("日期格式应为 YYYY-MM-DD。")})
    voucher = forms.CharField(label=_("支付凭证号"), max_length=100,
                              error_messages={"required": _("请填写支付凭证号。")})


class BulkForm(forms.Form):
    action = forms.ChoiceField(choices=[("approve", _("批量审核通过")), ("pay", _("批量登记兑付"))])
    note = forms.CharField(label=_("审核意见"), max_length=300, required=False)
    paid_on = forms.DateField(label=_("兑付日期"), required=False, widget=DATE,
                              error_messages={"invalid": _("日期格式应为 YYYY-MM-DD。")})
    voucher = forms.CharField(label=_("支付凭证号"), max_length=100, required=False)


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


class ResubmitForm(BankAccountForm):
    requested_wan = forms.DecimalField(label=_("申请金额（万元）"), max_digits=14, decimal_places=2, min_value=0,
                                       error_messages={"invalid": _("请输入数字（万元）。")})
    statement = forms.CharField(label=_("申请说明"), widget=forms.Textarea(attrs={"rows": 5}),
                                help_text=_("说明符合条款的哪项条件、依据哪些材料。"))
    files = MultipleFileField(label=_("申请材料"), required=False,
                              help_text=_("每份申请最多 10 个文件，每个不超过 10 MB；"
                                          "支持 pdf、jpg、png、ofd、doc、docx、xls、xlsx、zip。"))
    field_order = ["requested_wan", "statement", "account_name", "bank_name", "account_number", "contact", "files"]


class ApplicationForm(ResubmitForm):
    year = forms.TypedChoiceField(label=_("申请年度"), coerce=int, help_text=_("所申请事项发生的年度"))
    field_order = ["year", *ResubmitForm.field_order]

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, str(y)) for y in years]
        self.fields["files"].required = True
        self.fields["files"].error_messages["required"] = _("请上传申请材料（至少 1 个文件）。")


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("审核结论"), widget=forms.RadioSelect,
                                 choices=[("approve", _("通过")), ("return", _("退回补正")), ("reject", _("不予支持"))],
                                 error_messages={"required": _("请选择审核结论。")})
    amount_wan = forms.DecimalField(label=_("核定金额（万元）"), required=False, max_digits=14, decimal_places=2,
                                    error_messages={"invalid": _("请输入数字（万元）。")},
                                    help_text=_("通过时填写，不超过申请金额、条款上限、剩余预算和单户上限。"))
    note = forms.CharField(label=_("审核意见"), required=False, max_length=500,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("退回补正或不予支持时必填，企业可以看到。"))


class PublicityForm(forms.Form):
    title = forms.CharField(label=_("公示标题"), max_length=200)
    start = forms.DateField(label=_("公示开始日期"), required=False, widget=DATE,
                            help_text=_("留空为今天；公示期按自然日计算，首尾两天都算在内。"),
                            error_messages={"invalid": _("日期格式应为 YYYY-MM-DD。")})
    days = forms.IntegerField(label=_("公示天数"), initial=7, widget=forms.NumberInput(attrs={"min": 5, "max": 30}),
                              error_messages={"invalid": _("公示天数须为整数。")}, help_text=_("5 至 30 天，通常为 7 天。"))
