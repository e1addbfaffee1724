"""The interactive API documentation (Swagger UI) and who may read the schema.

The site's CSP is `script-src 'self'` and deployments run offline, so the docs page loads Swagger UI's
bundle and stylesheet from static files (the copy django-ninja ships, served by our staticfiles) and starts
it with our own `static/api/docs.js`: no CDN, no inline script. The OpenAPI URL and the CSRF token reach the
script through data attributes.

Access: the docs page needs a logged-in web session (anonymous visitors are sent to the login page); the
schema (`openapi.json`) answers a session or a bearer token, anyone else gets a JSON 401. The schema holds no
business data, but an intranet system does not describe itself to strangers.
"""

import functools

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render
from django.utils.translation import gettext as _
from ninja.openapi.docs import DocsBase

from .auth import user_for_token
from .errors import ApiError, json_error


class SwaggerDocs(DocsBase):
    template = "ninja/gaoxin_swagger.html"

    def render_page(self, request, api, **kwargs):
        context = {"api": api, "openapi_url": self.get_openapi_url(api, kwargs)}
        return render(request, self.template, context)


def _schema_reader(request):
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.is_active:
        return user
    if request.headers.get("Authorization", "").lower().startswith("bearer "):
        return user_for_token(request.headers["Authorization"].split(" ", 1)[1])
    return None


def docs_guard(view):
    """`docs_decorator` of the NinjaAPI: wraps both the schema and the docs page."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        is_schema = request.path.endswith(".json")
        try:
            reader = _schema_reader(request) if is_schema else None
        except ApiError as exc:
            return json_error(exc.code, exc.message, exc.status)
        if is_schema and reader is None:
            return json_error("unauthorized", _("需要身份认证：请提供 API 令牌或先登录。"), 401)
        if not is_schema and not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper
