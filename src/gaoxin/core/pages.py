"""The page shape the register apps share (NetBox-like): list with filters, sorting and paging;
detail; a form that validates inline over HTMX; a delete confirmation.

Views stay thin: they parse the request, call a selector or a service, and render with these helpers.
Scope: a row the user cannot see is a 404, a row they can see but not change is a 403, and the three
administrator roles (三权分立) read no business pages at all.
"""

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gaoxin.core.permissions import BUSINESS_ROLES, Role

PER_PAGE = 50


def business_page(*, enterprise_users: bool = True):
    """Login required; administrators (and, if so declared, enterprise users) get 403."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            role = request.user.role
            if role not in BUSINESS_ROLES:
                raise PermissionDenied(_("管理员账户不能查看业务数据（三权分立）。"))
            if role == Role.ENTERPRISE and not enterprise_users:
                raise PermissionDenied(_("企业用户不能查看该页面。"))
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def found(obj):
    """The row, or 404 when the user's scope does not include it (None from a scoped selector)."""
    if obj is None:
        raise Http404(_("记录不存在，或不在您的数据范围内。"))
    return obj


def can_edit(user, obj: models.Model) -> bool:
    return type(obj).objects.editable_by(user).filter(pk=obj.pk).exists()


def require_edit(user, obj: models.Model) -> None:
    if not can_edit(user, obj):
        raise PermissionDenied(_("您可以查看但不能修改该记录。"))


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    order: str | None = None  # ORM ordering for this column; None = not sortable
    num: bool = False


def sort_and_head(request, qs, columns: list[Column], *, default: str):
    """Order `qs` by the `sort` parameter (a column key, '-' for descending) and describe the header.

    Unknown keys fall back to `default`, so a hand-edited URL never errors.
    """
    by_key = {c.key: c for c in columns if c.order}
    raw = request.GET.get("sort", default)
    key = raw.lstrip("-")
    if key not in by_key:
        raw, key = default, default.lstrip("-")
    descending = raw.startswith("-")
    order = by_key[key].order
    qs = qs.order_by(f"-{order}" if descending else order, "-pk" if descending else "pk")
    params = request.GET.copy()
    params.pop("page", None)
    head = []
    for c in columns:
        entry = {"label": c.label, "num": c.num, "url": None, "state": None}
        if c.order:
            params["sort"] = f"-{c.key}" if c.key == key and not descending else c.key
            entry["url"] = "?" + params.urlencode()
            entry["state"] = ("desc" if descending else "asc") if c.key == key else None
        head.append(entry)
    return qs, head


def percent(part, whole, places: int = 1) -> Decimal | None:
    """part/whole in per cent, rounded half-up (四舍五入) only here, for display; None when whole is 0."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def paginate(request, qs):
    return Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))


def filter_form(filterset, *, fields: list[str], choices: dict | None = None):
    """The filterset's form reduced to `fields`; id filters named in `choices` become selects."""
    from django import forms

    form = filterset.form
    for name in [n for n in form.fields if n not in fields]:
        del form.fields[name]
    for name, options in (choices or {}).items():
        if name in form.fields:
            form.fields[name].widget = forms.Select(choices=[("", _("全部")), *options])
    for name, field in form.fields.items():
        if isinstance(field, forms.ChoiceField):
            field.empty_label = _("全部")  # django-filter's choice fields add this first option themselves
        elif isinstance(field, forms.DateField):
            field.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        field.widget.attrs.setdefault("id", f"filter-{name}")
    return form


class ChangeMessageMixin:
    """Every form that writes offers an optional 变更说明, stored with the audit record."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from django import forms

        self.fields["message"] = forms.CharField(
            label=gettext_lazy("变更说明"), required=False, max_length=200,
            help_text=gettext_lazy("可选，记入变更记录。"),
        )


def add_service_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: on the named field if the form has it, else on top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields and field != NON_FIELD_ERRORS else None, errors)
    else:
        form.add_error(None, exc.messages)


# Each rendering of a form gets a key that prefixes its error boxes' ids: a validation answer that arrives
# after the form was re-rendered (by a submit) targets the old key and changes nothing.
FORM_KEY = re.compile(r"[0-9a-f]{8}")


def _entered(bound_field) -> bool:
    value = bound_field.value()
    return value not in (None, "", [], ())


def form_page(request, form, *, save: Callable, template: str, context: dict, success_message: str):
    """GET renders the page. POST validates and, if valid, calls `save(cleaned_data, message)` (a service)
    which returns the row to show next: over HTMX the answer is an HX-Redirect, otherwise a redirect. An
    HTMX POST that does not save re-renders only the form fragment, with its errors.

    `?validate` (inline validation while the user types) never saves and answers with the error boxes
    only, for the fields that have a value: nobody wants "required" on a field they have not reached yet.
    """
    if request.method == "POST" and "validate" in request.GET:
        form.is_valid()
        key = request.POST.get("_form_key", "")
        return render(request, "includes/htmx_errors.html", {
            "form_key": key if FORM_KEY.fullmatch(key) else "",
            "non_field_errors": form.non_field_errors(),
            "field_errors": [(f.auto_id, f.errors if _entered(f) else []) for f in form.visible_fields()],
        })
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        message = data.pop("message", "")
        try:
            obj = save(data, message)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, success_message)
            url = obj.get_absolute_url()
            if request.htmx:
                return HttpResponse(headers={"HX-Redirect": url})
            return redirect(url)
    ctx = {**context, "form": form, "form_key": secrets.token_hex(4)}
    if request.htmx and request.method == "POST":
        return render(request, "includes/htmx_form.html", ctx)
    return render(request, template, ctx)


def delete_page(request, obj, *, delete: Callable, next_url: str, context: dict, success_message: str):
    """GET asks for confirmation; POST calls `delete(message)` (a service). A refusal shows its reason (400)."""
    from django import forms

    class ConfirmForm(ChangeMessageMixin, forms.Form):
        pass

    form = ConfirmForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            delete(form.cleaned_data["message"])
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, success_message)
            return redirect(next_url)
    return render(
        request, "includes/delete_confirm.html", {**context, "object": obj, "form": form, "error": error},
        status=400 if error else 200,
    )
