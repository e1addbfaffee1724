"""The home page and the error pages (handler400/403/404/500 in gaoxin.urls)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import Context, Engine, loader
from django.utils.translation import gettext as _

from . import dashboard

API_PREFIX = "/api/"

# The same codes as gaoxin.api.errors, so that API clients see one error vocabulary whether Django
# or the API answered.
ERROR_CODES = {400: "bad_request", 403: "forbidden", 404: "not_found", 500: "server_error"}


@login_required
def home(request):
    user = request.user
    if dashboard.is_business_user(user):
        return render(request, "home.html", {"dashboard": dashboard.business_dashboard(user=user)})
    return render(request, "home.html", {"tools": dashboard.admin_dashboard(user=user)})


def _is_api(request) -> bool:
    return request.path_info.startswith(API_PREFIX)


def _json_error(status: int, message: str) -> JsonResponse:
    return JsonResponse(
        {"code": ERROR_CODES[status], "message": message}, status=status, json_dumps_params={"ensure_ascii": False}
    )


def _page(template: str, status: int, context: dict) -> HttpResponse:
    # Rendered without the request: context processors (navigation, the user, messages) hit the
    # session and the database, and an error page must not fail for the reason it is shown.
    return HttpResponse(loader.render_to_string(template, context), status=status)


def _exception_message(exception) -> str:
    """The message a view chose for the user (services raise PermissionDenied with Chinese text)."""
    if exception is None or not exception.args:
        return ""
    message = exception.args[0]
    return message if isinstance(message, str) else ""


def bad_request(request, exception=None):
    # SuspiciousOperation messages describe attacks and configuration; they are logged, not shown.
    message = _("请求无效，服务器无法处理。请检查输入后重试。")
    if _is_api(request):
        return _json_error(400, message)
    return _page("errors/400.html", 400, {"message": message})


def permission_denied(request, exception=None):
    message = _exception_message(exception) or _("您没有执行此操作的权限。")
    if _is_api(request):
        return _json_error(403, message)
    return _page("errors/403.html", 403, {"message": message})


def page_not_found(request, exception=None):
    if _is_api(request):
        return _json_error(404, _("接口不存在：%(path)s") % {"path": request.path})
    return _page("errors/404.html", 404, {"path": request.path})


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: an expired or foreign form, explained in Chinese instead of Django's page."""
    message = _("表单已过期或来源无法验证，请刷新页面后重新提交。")
    if _is_api(request):
        return _json_error(403, message)
    return _page("errors/403.html", 403, {"message": message})


_LAST_RESORT = (
    '<!doctype html><html lang="zh-hans"><meta charset="utf-8"><title>500</title>'
    "<h1>服务器内部错误</h1><p>请稍后重试；如果问题持续，请联系系统管理员。</p></html>"
)


def server_error(request):
    if _is_api(request):
        return _json_error(500, _("服务器内部错误，请稍后重试或联系系统管理员。"))
    try:
        # A plain Context on the default engine: no request, no context processors, no database.
        template = Engine.get_default().get_template("errors/500.html")
        body = template.render(Context({}))
    except Exception:
        # Whatever broke the request may also break the template machinery; still answer in Chinese.
        body = _LAST_RESORT
    return HttpResponse(body, status=500)
