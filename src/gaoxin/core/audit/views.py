"""The audit trail pages: read-only, for the audit admin only (三权分立, 等保2.0 8.1.4.3).

There is no edit, delete or export here; the rows themselves refuse updates and deletes (AppendOnlyModel).
"""

import datetime as dt

from django import forms
from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from gaoxin.core.permissions import Role

from .models import ChangeAction, SecurityEventKind
from .selectors import audit_trail_for_user
from .services import security_event_record

PAGE_SIZE = 50


def _require_audit_admin(request) -> None:
    user = request.user
    if not (user.is_active and user.role == Role.AUDIT_ADMIN):
        security_event_record(kind=SecurityEventKind.PERMISSION_DENIED, success=False,
                              detail=lambda: _("访问审计日志：%(path)s") % {"path": request.path[:300]})
        raise PermissionDenied(_("审计日志仅限审计管理员查看。"))


def _audited_content_types() -> list[ContentType]:
    """The models of gaoxin's own apps: the object types a change can concern."""
    labels = [c.label for c in apps.get_app_configs() if c.name.startswith("gaoxin.")]
    return sorted(ContentType.objects.filter(app_label__in=labels), key=lambda ct: (ct.app_label, ct.model))


def _content_type_label(ct: ContentType) -> str:
    model = ct.model_class()
    return str(model._meta.verbose_name) if model else f"{ct.app_label}.{ct.model}"


class _PeriodForm(forms.Form):
    date_from = forms.DateField(label=gettext_lazy("起始日期"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    date_to = forms.DateField(label=gettext_lazy("截止日期"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    user = forms.CharField(label=gettext_lazy("账户"), required=False, max_length=150)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("截止日期不能早于起始日期。"))
        return data

    def narrow(self, qs: QuerySet) -> QuerySet:
        data = self.cleaned_data
        tz = timezone.get_current_timezone()
        if data.get("date_from"):
            qs = qs.filter(time__gte=dt.datetime.combine(data["date_from"], dt.time.min, tzinfo=tz))
        if data.get("date_to"):
            end = data["date_to"] + dt.timedelta(days=1)
            qs = qs.filter(time__lt=dt.datetime.combine(end, dt.time.min, tzinfo=tz))
        if data.get("user"):
            qs = qs.filter(user_name__icontains=data["user"].strip())
        return qs


class ObjectChangeFilterForm(_PeriodForm):
    action = forms.ChoiceField(label=gettext_lazy("操作"), required=False,
                               choices=[("", gettext_lazy("全部")), *ChangeAction.choices])
    object_type = forms.TypedChoiceField(label=gettext_lazy("对象类型"), required=False, coerce=int,
                                         empty_value=None)
    request_id = forms.UUIDField(label=gettext_lazy("请求编号"), required=False,
                                 error_messages={"invalid": gettext_lazy("请求编号格式不正确，应为 36 位 UUID。")})
    q = forms.CharField(label=gettext_lazy("对象"), required=False, max_length=200)

    def __init__(self, *args, content_types=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["object_type"].choices = [("", _("全部"))] + [
            (ct.pk, _content_type_label(ct)) for ct in content_types
        ]

    def narrow(self, qs: QuerySet) -> QuerySet:
        qs = super().narrow(qs)
        data = self.cleaned_data
        if data.get("action"):
            qs = qs.filter(action=data["action"])
        if data.get("object_type"):
            qs = qs.filter(content_type_id=data["object_type"])
        if data.get("request_id"):
            qs = qs.filter(request_id=data["request_id"])
        if data.get("q"):
            qs = qs.filter(object_repr__icontains=data["q"].strip())
        return qs


class SecurityEventFilterForm(_PeriodForm):
    kind = forms.ChoiceField(label=gettext_lazy("事件"), required=False,
                             choices=[("", gettext_lazy("全部")), *SecurityEventKind.choices])
    success = forms.ChoiceField(label=gettext_lazy("结果"), required=False, choices=[
        ("", gettext_lazy("全部")), ("1", gettext_lazy("成功")), ("0", gettext_lazy("失败")),
    ])
    ip = forms.GenericIPAddressField(label=gettext_lazy("IP 地址"), required=False,
                                     error_messages={"invalid": gettext_lazy("请输入有效的 IP 地址。")})

    def narrow(self, qs: QuerySet) -> QuerySet:
        qs = super().narrow(qs)
        data = self.cleaned_data
        if data.get("kind"):
            qs = qs.filter(kind=data["kind"])
        if data.get("success") in ("0", "1"):
            qs = qs.filter(success=data["success"] == "1")
        if data.get("ip"):
            qs = qs.filter(ip=data["ip"])
        return qs


def _filtered(form: _PeriodForm, qs: QuerySet) -> QuerySet:
    if not form.is_bound:
        return qs
    # A wrong filter shows its error and no rows, rather than silently the unfiltered trail.
    return form.narrow(qs) if form.is_valid() else qs.none()


@login_required
@require_GET
def audit_log(request):
    _require_audit_admin(request)
    changes, _events = audit_trail_for_user(user=request.user)
    content_types = _audited_content_types()
    form = ObjectChangeFilterForm(request.GET or None, content_types=content_types)
    page = Paginator(_filtered(form, changes), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"change": c, "diff": c.labelled_diff(),
             "type": _content_type_label(c.content_type)} for c in page.object_list]
    return render(request, "core/audit_log.html", {"filter_form": form, "page_obj": page, "rows": rows})


@login_required
@require_GET
def security_log(request):
    _require_audit_admin(request)
    _changes, events = audit_trail_for_user(user=request.user)
    form = SecurityEventFilterForm(request.GET or None)
    page = Paginator(_filtered(form, events), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "core/audit_security.html", {"filter_form": form, "page_obj": page})

