"""Forms of the case, bundle, queue and item pages. Validation of the business rules stays in services.cases;
these forms only read and type the input."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gaoxin.core.pages import ChangeMessageMixin

from . import machine
from .models import CaseKind, CaseStatus, ItemMode, ItemState, ObligationKind, PauseReason, WaitingOn

ACTION_LABELS = {
    machine.RECEIVE: _("收件"),
    machine.ACCEPT: _("受理"),
    machine.CORRECTION_START: _("补正（开始）"),
    machine.CORRECTION_END: _("补正（结束）"),
    machine.SPECIAL_START: _("特别程序（开始）"),
    machine.SPECIAL_END: _("特别程序（结束）"),
    machine.EXTEND: _("延长时限"),
    machine.DECIDE: _("办结"),
    machine.WITHDRAW: _("撤回"),
    machine.REVOKE: _("撤销"),
    machine.TERMINATE: pgettext_lazy("approval", "终止"),
    machine.WAIVE: _("免办"),
}

# What the item page shows for events that are not transitions.
EVENT_LABELS = {
    **ACTION_LABELS,
    "obligation_met": _("容缺补正 / 承诺核查已履行"),
    "obligation_missed": _("容缺材料逾期未补"),
    "obligation_failed": _("告知承诺核查不通过"),
    "prereq_revoked": _("前置事项已撤销"),
}


def action_label(action: str):
    return ACTION_LABELS.get(action, action)


def event_label(kind: str):
    return EVENT_LABELS.get(kind, kind)


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _on_field():
    return forms.DateField(label=_("业务日期"), widget=DATE, initial=timezone.localdate,
                           help_text=_("实际发生的日期，可补录过去的日期，不能晚于今天。"))


# -- lists ----------------------------------------------------------------------------------------------

class CaseFilterForm(forms.Form):
    q = forms.CharField(label=_("关键词"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": _("办件编号、名称或企业")}))
    kind = forms.ChoiceField(label=_("类型"), required=False, choices=[("", _("全部")), *CaseKind.choices])
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部")), *CaseStatus.choices])
    project = forms.TypedChoiceField(label=_("项目"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, projects=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].choices = [("", _("全部")), *projects]
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("id", f"filter-{name}")

    def values(self) -> dict:
        """The valid filters only: a bad value is reported and ignored, never a 500."""
        self.is_valid()
        return {k: v for k, v in getattr(self, "cleaned_data", {}).items() if v not in (None, "")}


# -- opening cases --------------------------------------------------------------------------------------

class CaseForm(ChangeMessageMixin, forms.Form):
    route = forms.TypedChoiceField(label=_("审批路线（项目类型）"), coerce=int)
    project = forms.TypedChoiceField(label=_("项目"), coerce=int, required=False, empty_value=None,
                                     help_text=_("从项目库中选择；申请企业取项目的企业。"))
    title = forms.CharField(label=_("办件名称"), max_length=200, required=False,
                            help_text=_("留空则取项目名称。"))
    start_date = forms.DateField(label=_("启动日期"), widget=DATE, initial=timezone.localdate)
    area_assessment = forms.BooleanField(label=_("适用园区区域评估成果"), required=False,
                                         help_text=_("区域评估可免的事项将直接“免办”。"))
    code = forms.CharField(label=_("办件编号"), max_length=40, required=False,
                           help_text=_("留空则自动编号（SP + 启动日期 + 序号）。"))

    def __init__(self, *args, routes=(), projects=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["route"].choices = [("", "—"), *routes]
        self.fields["project"].choices = [("", "—"), *projects]

    def clean(self):
        data = super().clean()
        if not data.get("project") and not (data.get("title") or "").strip():
            self.add_error("title", _("未选择项目时请填写办件名称。"))
        return data


class BundleForm(ChangeMessageMixin, forms.Form):
    """The unified form of one BundleDef: its declared fields, plus enterprise and start date."""

    bundle = forms.IntegerField(widget=forms.HiddenInput)  # the page's ?bundle= survives the POST
    enterprise = forms.TypedChoiceField(label=_("申请企业"), coerce=int, help_text=_("从企业名录中选择。"))
    start_date = forms.DateField(label=_("申请日期"), widget=DATE, initial=timezone.localdate)

    def __init__(self, *args, bundle, enterprises=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.bundle = bundle
        self.fields["bundle"].initial = bundle.pk
        self.fields["enterprise"].choices = [("", "—"), *enterprises]
        self.form_field_names = []
        for spec in bundle.form_fields or []:
            name = spec.get("name")
            if not name or name in self.fields:
                continue
            self.fields[name] = forms.CharField(label=spec.get("label") or name, max_length=500,
                                                required=bool(spec.get("required")))
            self.form_field_names.append(name)
        # the message field of ChangeMessageMixin last
        self.order_fields(["bundle", "enterprise", "start_date", *self.form_field_names, "message"])


class AgentForm(forms.Form):
    agent = forms.TypedChoiceField(label=_("帮办员"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, agents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agent"].choices = [("", _("（不指定）")), *agents]


# -- item actions ---------------------------------------------------------------------------------------

class ActionForm(forms.Form):
    on = forms.DateField(label=_("业务日期"), widget=DATE)
    note = forms.CharField(label=_("说明"), max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("on", None)
        return {k: v for k, v in data.items() if v not in (None, "", [])}


class ReceiveForm(ActionForm):
    materials = forms.CharField(label=_("收取材料"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                                help_text=_("每行或以顿号分隔一项，可留空。"))


class AcceptForm(ActionForm):
    mode = forms.ChoiceField(label=_("办理方式"), choices=ItemMode.choices, initial=ItemMode.NORMAL)
    deferred = forms.MultipleChoiceField(label=_("容缺材料"), required=False,
                                         widget=forms.CheckboxSelectMultiple,
                                         help_text=_("仅容缺受理：申请人后补的次要材料。"))
    due = forms.DateField(label=_("补正期限"), required=False, widget=DATE,
                          help_text=_("仅容缺受理；留空则为受理后承诺时限届满之日，且不能更晚。"))

    def __init__(self, *args, item=None, **kwargs):
        super().__init__(*args, **kwargs)
        item_def = item.item_def if item is not None else None
        modes = [(ItemMode.NORMAL.value, ItemMode.NORMAL.label)]
        if item_def is not None and item_def.rongque_allowed:
            modes.append((ItemMode.RONGQUE.value, ItemMode.RONGQUE.label))
        if item_def is not None and item_def.commitment_allowed:
            modes.append((ItemMode.COMMITMENT.value, ItemMode.COMMITMENT.label))
        # every mode stays selectable for a hand-made POST: the service gives the precise refusal
        self.fields["mode"].choices = modes if not self.is_bound else ItemMode.choices
        deferrable = list(item_def.deferrable_materials or []) if item_def is not None else []
        self.fields["deferred"].choices = [(m, m) for m in deferrable]
        if not deferrable:
            del self.fields["deferred"]
            del self.fields["due"]


class CorrectionStartForm(ActionForm):
    pass


class CorrectionEndForm(ActionForm):
    pass


class SpecialStartForm(ActionForm):
    reason = forms.ChoiceField(label=_("原因"), choices=[(r.value, r.label) for r in PauseReason
                                                        if r != PauseReason.CORRECTION])
    waiting_on = forms.ChoiceField(label=_("等待对象"), choices=[(w.value, w.label) for w in WaitingOn
                                                              if w != WaitingOn.APPLICANT])


class SpecialEndForm(ActionForm):
    pass


class ExtendForm(ActionForm):
    wd = forms.IntegerField(label=_("延长工作日"), min_value=1, max_value=3650)
    reason = forms.CharField(label=_("延长理由"), max_length=500)


class DecideForm(ActionForm):
    outcome = forms.ChoiceField(label=_("办结结果"), choices=[])

    def __init__(self, *args, item=None, **kwargs):
        super().__init__(*args, **kwargs)
        mode = item.mode if item is not None else ItemMode.NORMAL
        states = machine.allowed_outcomes(mode) if not self.is_bound else machine.DECISIONS
        self.fields["outcome"].choices = [(s, ItemState(s).label) for s in states]


class WithdrawForm(ActionForm):
    pass


class RevokeForm(ActionForm):
    note = forms.CharField(label=_("撤销理由"), max_length=500)


class WaiveForm(ActionForm):
    pass


class TerminateForm(ActionForm):
    pass


ACTION_FORMS = {
    machine.RECEIVE: ReceiveForm,
    machine.ACCEPT: AcceptForm,
    machine.CORRECTION_START: CorrectionStartForm,
    machine.CORRECTION_END: CorrectionEndForm,
    machine.SPECIAL_START: SpecialStartForm,
    machine.SPECIAL_END: SpecialEndForm,
    machine.EXTEND: ExtendForm,
    machine.DECIDE: DecideForm,
    machine.WITHDRAW: WithdrawForm,
    machine.REVOKE: RevokeForm,
    machine.WAIVE: WaiveForm,
    machine.TERMINATE: TerminateForm,
}
ITEM_AWARE = (AcceptForm, DecideForm)


def action_form(action: str, data=None, *, item=None, prefix: str | None = None):
    cls = ACTION_FORMS[action]
    kwargs = {"item": item} if cls in ITEM_AWARE else {}
    return cls(data, prefix=prefix, **kwargs)


class ObligationResolveForm(forms.Form):
    outcome = forms.ChoiceField(label=_("结果"), choices=[])
    on = forms.DateField(label=_("日期"), widget=DATE)
    note = forms.CharField(label=_("说明"), max_length=500, required=False)

    def __init__(self, *args, obligation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()
        if obligation is not None and obligation.kind == ObligationKind.VERIFICATION:
            choices = [("met", _("核查通过")), ("failed", _("核查不通过（撤销审批决定）"))]
        else:
            choices = [("met", _("材料已补齐")), ("missed", _("逾期未补（终止办理）"))]
        self.fields["outcome"].choices = choices


def today() -> dt.date:
    return timezone.localdate()
