"""Forms of the account pages: they parse input; the rules live in services.py and passwords.py."""

import datetime as dt

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gaoxin.core import uscc
from gaoxin.core.permissions import Role

from .backends import login_failure
from .models import SecurityPolicy
from .selectors import departments_for_admin, enterprise_for_account, zones_for_admin
from .services import POLICY_LIMITS


def apply_service_errors(form: forms.Form, exc: ValidationError, field_map: dict | None = None) -> None:
    """Show a service's ValidationError beside the form fields it concerns (the rest at the top)."""
    field_map = field_map or {}
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, messages in exc.message_dict.items():
        name = field_map.get(field, field)
        if name not in form.fields:
            name = None
        for message in messages:
            form.add_error(name, message)


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("用户名或密码错误。连续多次失败后账户将被临时锁定。"),
        "inactive": _("该账户已停用，请联系系统管理员。"),
        "locked": _("登录失败次数过多，账户已锁定至 %(until)s，请稍后再试或联系安全管理员解锁。"),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("用户名")
        self.fields["password"].label = _("密码")
        self.fields["username"].error_messages["required"] = _("请输入用户名。")
        self.fields["password"].error_messages["required"] = _("请输入密码。")

    def get_invalid_login_error(self):
        failure = login_failure(self.request)
        if failure and failure.reason == "locked" and failure.locked_until:
            until = timezone.localtime(failure.locked_until).strftime("%H:%M")
            return ValidationError(self.error_messages["locked"], code="locked", params={"until": until})
        return ValidationError(self.error_messages["invalid_login"], code="invalid_login")


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(label=_("原密码"), strip=False,
                                   widget=forms.PasswordInput(attrs={"autocomplete": "current-password",
                                                                     "autofocus": True}))
    new_password1 = forms.CharField(label=_("新密码"), strip=False,
                                    widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    new_password2 = forms.CharField(label=_("确认新密码"), strip=False,
                                    widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = " ".join(password_validation.password_validators_help_texts())

    def clean(self):
        data = super().clean()
        if data.get("new_password1") and data.get("new_password2") and data["new_password1"] != data["new_password2"]:
            self.add_error("new_password2", _("两次输入的新密码不一致。"))
        return data


class UserFilterForm(forms.Form):
    q = forms.CharField(label=_("搜索"), required=False,
                        widget=forms.TextInput(attrs={"placeholder": _("用户名、姓名或邮箱")}))
    role = forms.ChoiceField(label=_("角色"), required=False, choices=[("", _("全部角色")), *Role.choices])
    state = forms.ChoiceField(label=_("状态"), required=False, choices=[
        ("", _("全部")), ("active", _("启用")), ("inactive", _("停用")), ("locked", _("锁定中")),
    ])

    def filters(self) -> dict:
        return self.cleaned_data if self.is_valid() else {}


def _department_label(dept) -> str:
    return f"{dept.zone.name} · {dept.name}（{dept.code}）"


class UserForm(forms.Form):
    """Create (with an initial password) or edit an account."""

    username = forms.CharField(label=_("用户名"), max_length=150,
                               help_text=_("登录名，创建后不可修改；字母、数字、汉字及 @ . + - _"))
    display_name = forms.CharField(label=_("姓名"), max_length=50, required=False)
    email = forms.EmailField(label=_("邮箱"), required=False)
    zone = forms.ModelChoiceField(label=_("所属园区"), queryset=None, required=False, empty_label=_("（不限园区）"))
    role = forms.ChoiceField(label=_("角色"), choices=[("", "---------"), *Role.choices])
    department = forms.ModelChoiceField(label=_("部门"), queryset=None, required=False,
                                        help_text=_("仅部门工作人员需要"))
    enterprise_uscc = forms.CharField(label=_("企业统一社会信用代码"), required=False, max_length=30,
                                      help_text=_("仅企业用户需要；该企业须已在所属园区登记"))
    extra_zones = forms.ModelMultipleChoiceField(label=_("可查看的其他园区"), queryset=None, required=False,
                                                 help_text=_("仅园区领导（市级账户）需要"))
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)
    password1 = forms.CharField(label=_("初始密码"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(label=_("确认初始密码"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    must_change_password = forms.BooleanField(label=_("首次登录须修改密码"), required=False, initial=True)

    field_map = {"password": "password1", "enterprise": "enterprise_uscc"}

    def __init__(self, *args, admin, instance=None, **kwargs):
        self.instance = instance
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "username": instance.username, "display_name": instance.display_name, "email": instance.email,
                "zone": instance.zone_id, "role": instance.role, "department": instance.department_id,
                "enterprise_uscc": instance.enterprise.uscc if instance.enterprise_id else "",
                "extra_zones": list(instance.extra_zones.values_list("pk", flat=True)),
                "is_active": instance.is_active,
            }
        super().__init__(*args, **kwargs)
        zones = zones_for_admin(user=admin)
        self.fields["zone"].queryset = zones
        self.fields["extra_zones"].queryset = zones
        self.fields["department"].queryset = departments_for_admin(user=admin)
        self.fields["department"].label_from_instance = _department_label
        self.fields["password1"].help_text = " ".join(password_validation.password_validators_help_texts())
        if admin.zone_id is not None:
            self.fields["zone"].required = True
            self.fields["zone"].empty_label = None
        if instance is None:
            del self.fields["is_active"]
        else:
            self.fields["username"].disabled = True
            self.fields["username"].help_text = ""
            for name in ("password1", "password2", "must_change_password"):
                del self.fields[name]
            if instance.pk == admin.pk:
                self.fields["role"].disabled = True
                self.fields["role"].help_text = _("不能修改自己的角色。")
                del self.fields["is_active"]

    def clean(self):
        data = super().clean()
        if "password1" in self.fields and data.get("password1") and data.get("password2") \
                and data["password1"] != data["password2"]:
            self.add_error("password2", _("两次输入的密码不一致。"))
        code = (data.get("enterprise_uscc") or "").strip()
        data["enterprise"] = None
        if code:
            zone = data.get("zone")
            normalised = uscc.normalise(code)
            enterprise = enterprise_for_account(zone=zone, uscc=normalised) if zone else None
            if enterprise is None:
                self.add_error("enterprise_uscc", _("所属园区中没有统一社会信用代码为 %(code)s 的企业。")
                               % {"code": normalised})
            data["enterprise"] = enterprise
        return data

    def service_data(self) -> dict:
        data = self.cleaned_data
        out = {k: data[k] for k in ("display_name", "email", "zone", "role", "department") if k in data}
        out["enterprise"] = data.get("enterprise")
        if self.instance is None:
            out["username"] = data["username"].strip()
        elif "is_active" in self.fields:
            out["is_active"] = data["is_active"]
        if self.fields["role"].disabled:
            out.pop("role", None)
        return out


class DepartmentForm(forms.Form):
    zone = forms.ModelChoiceField(label=_("所属园区"), queryset=None, empty_label=None)
    code = forms.CharField(label=_("代码"), max_length=32, help_text=_("小写字母、数字、下划线或连字符，如 jxj"))
    name = forms.CharField(label=_("名称"), max_length=100)

    def __init__(self, *args, admin, instance=None, **kwargs):
        self.instance = instance
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {"zone": instance.zone_id, "code": instance.code, "name": instance.name}
        super().__init__(*args, **kwargs)
        self.fields["zone"].queryset = zones_for_admin(user=admin)
        if instance is not None:
            self.fields["zone"].disabled = True


class SecurityPolicyForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, (low, high) in POLICY_LIMITS.items():
            self.fields[name] = forms.IntegerField(
                label=SecurityPolicy._meta.get_field(name).verbose_name, min_value=low, max_value=high,
                help_text=_("允许范围：%(low)d – %(high)d") % {"low": low, "high": high},
            )


TOKEN_LIFETIMES = [("30", _("30 天")), ("90", _("90 天")), ("180", _("180 天")), ("365", _("一年")),
                   ("0", _("永不过期"))]


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("用途"), max_length=100,
                           widget=forms.TextInput(attrs={"placeholder": _("如：数据大屏对接")}))
    lifetime = forms.ChoiceField(label=_("有效期"), choices=TOKEN_LIFETIMES, initial="90")

    def expires_at(self):
        days = int(self.cleaned_data["lifetime"])
        return timezone.now() + dt.timedelta(days=days) if days else None


class LoginEventFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("事件"), required=False)
    user = forms.CharField(label=_("账户"), required=False)
    success = forms.ChoiceField(label=_("结果"), required=False,
                                choices=[("", _("全部")), ("1", _("成功")), ("0", _("失败"))])

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("全部事件")), *[(k.value, k.label) for k in kinds]]

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = dict(self.cleaned_data)
        data["success"] = {"1": True, "0": False}.get(data.get("success") or "")
        return data
