"""Login, password change, account administration, security policy and API tokens: thin adapters over services."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from gaoxin.core.audit.models import SecurityEventKind
from gaoxin.core.audit.services import security_event_record
from gaoxin.core.permissions import Role

from . import selectors, services
from .forms import (
    ApiTokenForm,
    DepartmentForm,
    LoginEventFilterForm,
    LoginForm,
    PasswordChangeForm,
    SecurityPolicyForm,
    UserFilterForm,
    UserForm,
    apply_service_errors,
)
from .models import SecurityPolicy
from .rules import has_role

PAGE_SIZE = 50


def _require(request, *roles: str) -> None:
    if not has_role(request.user, *roles):
        # 越权访问 is itself a security event (等保2.0 8.1.4.3).
        security_event_record(kind=SecurityEventKind.PERMISSION_DENIED, success=False,
                              detail=lambda: _("访问 %(path)s") % {"path": request.path[:300]})
        raise PermissionDenied(_("此页面仅限%(roles)s使用。") % {"roles": "、".join(str(Role(r).label) for r in roles)})


def _form_response(request, template: str, context: dict) -> HttpResponse:
    """The page with the form and its errors. Status 200 even when invalid: HTMX swaps only 2xx answers,
    and the form's hx-select picks the form out of the page for inline validation."""
    return render(request, template, context)


def _done(request, url: str) -> HttpResponse:
    if getattr(request, "htmx", False):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return default


# ---------------------------------------------------------------- login, logout, own password


class GaoxinLoginView(LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


login_view = GaoxinLoginView.as_view()


@require_POST
def logout_view(request):
    logout(request)
    messages.info(request, _("您已安全退出。"))
    return redirect(settings.LOGOUT_REDIRECT_URL)


@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@login_required
@require_http_methods(["GET", "POST"])
def password_change_view(request):
    policy = getattr(request, "security_policy", None) or SecurityPolicy.current()
    expired = selectors.password_is_expired(user=request.user, policy=policy)
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_set_password(user=request.user, old_password=form.cleaned_data["old_password"],
                                       password=form.cleaned_data["new_password1"])
        except ValidationError as exc:
            apply_service_errors(form, exc, {"password": "new_password1"})
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, _("密码已修改。"))
            return _done(request, _safe_next(request, reverse("home")))
    return _form_response(request, "accounts/password_change.html", {
        "form": form, "expired": expired, "policy": policy, "next": _safe_next(request, ""),
    })


# ---------------------------------------------------------------- accounts (system admin; security admin reads)


@login_required
def user_list(request):
    _require(request, Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN)
    form = UserFilterForm(request.GET or None)
    users = selectors.users_for_admin(user=request.user, filters=form.filters())
    page = Paginator(users, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "accounts/user_list.html", {
        "filter_form": form, "page_obj": page, "users": page.object_list,
        "can_edit": request.user.role == Role.SYSTEM_ADMIN,
        "can_secure": request.user.role == Role.SECURITY_ADMIN,
    })


@sensitive_post_parameters("password1", "password2")
@login_required
@require_http_methods(["GET", "POST"])
def user_add(request):
    _require(request, Role.SYSTEM_ADMIN)
    form = UserForm(request.POST or None, admin=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.user_create(
                user=request.user, data=form.service_data(), password=form.cleaned_data["password1"],
                must_change_password=form.cleaned_data["must_change_password"],
                extra_zones=list(form.cleaned_data["extra_zones"]),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc, UserForm.field_map)
        else:
            messages.success(request, _("已创建账户 %(name)s。") % {"name": created.username})
            return _done(request, reverse("accounts:user_list"))
    return _form_response(request, "accounts/user_form.html", {"form": form, "target": None})


@login_required
@require_http_methods(["GET", "POST"])
def user_edit(request, pk: int):
    _require(request, Role.SYSTEM_ADMIN)
    target = selectors.user_get_for_admin(user=request.user, pk=pk)
    if target is None:
        raise Http404(_("账户不存在或不归您管理。"))
    form = UserForm(request.POST or None, admin=request.user, instance=target)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update(user=request.user, target=target, data=form.service_data(),
                                 extra_zones=list(form.cleaned_data["extra_zones"]))
        except ValidationError as exc:
            apply_service_errors(form, exc, UserForm.field_map)
        else:
            messages.success(request, _("已保存账户 %(name)s。") % {"name": target.username})
            return _done(request, reverse("accounts:user_list"))
    return _form_response(request, "accounts/user_form.html", {"form": form, "target": target})


def _managed_target(request, pk: int):
    target = selectors.user_get_for_admin(user=request.user, pk=pk)
    if target is None:
        raise Http404(_("账户不存在或不归您管理。"))
    return target


@login_required
@require_POST
def user_unlock(request, pk: int):
    _require(request, Role.SECURITY_ADMIN)
    target = _managed_target(request, pk)
    services.user_unlock(user=request.user, target=target)
    messages.success(request, _("已解锁账户 %(name)s。") % {"name": target.username})
    return redirect(_safe_next(request, reverse("accounts:user_list")))


@login_required
@require_http_methods(["GET", "POST"])
def user_reset_password(request, pk: int):
    """GET asks for confirmation; POST sets a generated temporary password and shows it once."""
    _require(request, Role.SECURITY_ADMIN)
    target = _managed_target(request, pk)
    password = None
    if request.method == "POST":
        password = services.user_reset_password(user=request.user, target=target)
    return render(request, "accounts/user_reset_password.html", {"target": target, "password": password})


@login_required
def login_events(request):
    _require(request, Role.SECURITY_ADMIN)
    form = LoginEventFilterForm(request.GET or None, kinds=selectors.LOGIN_EVENT_KINDS)
    events = selectors.login_events_for_user(user=request.user, filters=form.filters())
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "accounts/login_events.html", {"filter_form": form, "page_obj": page})


# ---------------------------------------------------------------- departments (system admin)


@login_required
def department_list(request):
    _require(request, Role.SYSTEM_ADMIN)
    departments = selectors.departments_for_admin(user=request.user)
    return render(request, "accounts/department_list.html", {"departments": departments})


@login_required
@require_http_methods(["GET", "POST"])
def department_add(request):
    _require(request, Role.SYSTEM_ADMIN)
    form = DepartmentForm(request.POST or None, admin=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            dept = services.department_create(user=request.user, zone=form.cleaned_data["zone"],
                                              code=form.cleaned_data["code"], name=form.cleaned_data["name"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("已新增部门 %(name)s。") % {"name": dept.name})
            return _done(request, reverse("accounts:department_list"))
    return _form_response(request, "accounts/department_form.html", {"form": form, "department": None})


@login_required
@require_http_methods(["GET", "POST"])
def department_edit(request, pk: int):
    _require(request, Role.SYSTEM_ADMIN)
    dept = selectors.department_get_for_admin(user=request.user, pk=pk)
    if dept is None:
        raise Http404(_("部门不存在或不归您管理。"))
    form = DepartmentForm(request.POST or None, admin=request.user, instance=dept)
    if request.method == "POST" and form.is_valid():
        try:
            services.department_update(user=request.user, department=dept,
                                       data={"code": form.cleaned_data["code"], "name": form.cleaned_data["name"]})
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("已保存部门 %(name)s。") % {"name": dept.name})
            return _done(request, reverse("accounts:department_list"))
    return _form_response(request, "accounts/department_form.html", {"form": form, "department": dept})


# ---------------------------------------------------------------- security policy (security admin)


@login_required
@require_http_methods(["GET", "POST"])
def security_policy(request):
    _require(request, Role.SECURITY_ADMIN)
    policy = SecurityPolicy.current()
    initial = {f: getattr(policy, f) for f in services.POLICY_LIMITS}
    form = SecurityPolicyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.security_policy_update(user=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("安全策略已保存，立即生效。"))
            return _done(request, reverse("accounts:security_policy"))
    return _form_response(request, "accounts/security_policy.html", {"form": form, "policy": policy})


# ---------------------------------------------------------------- API tokens (every user, own tokens)


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request):
    """POST creates a token and shows its key on this response only; the database keeps the hash."""
    form = ApiTokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_key = services.api_token_create(user=request.user, name=form.cleaned_data["name"],
                                                        expires_at=form.expires_at())
        except ValidationError as exc:
            apply_service_errors(form, exc, {"expires_at": "lifetime"})
        else:
            form = ApiTokenForm()
    return render(request, "accounts/tokens.html", {
        "form": form, "tokens": selectors.tokens_for_user(user=request.user), "new_key": new_key,
    })


@login_required
@require_POST
def token_revoke(request, pk: int):
    token = selectors.token_get_for_user(user=request.user, pk=pk)
    if token is None:
        raise Http404(_("令牌不存在。"))
    services.api_token_revoke(user=request.user, token=token)
    messages.success(request, _("已撤销令牌“%(name)s”。") % {"name": token.name})
    return redirect("accounts:tokens")
