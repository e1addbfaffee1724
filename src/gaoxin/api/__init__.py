"""The HTTP API under /api/v1/ (django-ninja): the registers over HTTP, for other systems and scripts.

- Authentication: `Authorization: Bearer <token>` (per-user API tokens acting as their user) or the web
  session (with CSRF for unsafe methods); see `auth`.
- Data scope and write rights are the user's, applied by the same selectors and services as the web pages.
- Errors: JSON `{code, message, errors?}` in Chinese; see `errors` for the codes.
- Lists: `page` (from 1), `page_size` (default 50, at most 500), `ordering` from a whitelist; answers
  `{count, page, page_size, results}`.
- Amounts and areas are decimal strings.
- Schema at /api/v1/openapi.json, Swagger UI at /api/v1/docs (see `docs`).
"""

from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from .auth import API_AUTH, act_as_api_user, no_store
from .docs import SwaggerDocs, docs_guard
from .errors import install_error_handlers, json_method_not_allowed

DESCRIPTION = _("""
高新区运营平台的数据接口：企业库与地块库的查询、新增、修改、删除。

**认证**：在请求头携带 `Authorization: Bearer <令牌>`。令牌在平台“API 令牌”页面申请，代表申请人本人：
角色、数据范围和修改权限与其登录网页时完全相同。已登录的浏览器也可直接调用（修改类请求需带 CSRF 令牌）。

**分页**：列表接口接受 `page`（从 1 开始）和 `page_size`（默认 50，最多 500），返回
`{count, page, page_size, results}`；`ordering` 只接受列出的字段，前加 `-` 为降序。

**数值**：金额、面积一律以十进制字符串表示（如 `"6666.67"`），以保证精确。

**错误**：统一为 `{"code": "...", "message": "中文说明", "errors": [{"field": "...", "message": "..."}]}`。
`invalid_request`/`invalid_json`/`invalid` → 400，`unauthorized` → 401，`forbidden` → 403，
`not_found` → 404（包括不在您数据范围内的记录），`conflict` → 409。
""")


class ReadableJSONRenderer(JSONRenderer):
    # Chinese text as UTF-8 rather than \u-escapes: the same JSON, but legible in logs and curl.
    json_dumps_params = {"ensure_ascii": False}


class GaoxinAPI(NinjaAPI):
    """Mounts the registers' routers when the URLconf (or the schema) is first built, not at import:
    the apps' `api` modules import this package's helpers, and may be imported first."""

    _registers_mounted = False

    def _mount_registers(self) -> None:
        if self._registers_mounted:
            return
        from gaoxin.economy.api import router as economy_router
        from gaoxin.enterprises.api import router as enterprises_router
        from gaoxin.investment.api import router as investment_router
        from gaoxin.land.api import router as parcels_router
        from gaoxin.policies.api import router as policies_router
        from gaoxin.projects.api import router as projects_router
        from gaoxin.projects.api import stats_router
        from gaoxin.transformation.api import router as transformation_router

        self.add_router("/enterprises", enterprises_router)
        self.add_router("/parcels", parcels_router)
        self.add_router("/projects", projects_router)
        self.add_router("/investment", investment_router)
        self.add_router("/statistics", stats_router)
        self.add_router("/economy", economy_router)
        self.add_router("/policies", policies_router)
        self.add_router("/transformation", transformation_router)
        self._registers_mounted = True

    @property
    def urls(self):
        self._mount_registers()
        patterns, app_name, namespace = super().urls
        for pattern in patterns:
            pattern.callback = json_method_not_allowed(pattern.callback)
        return patterns, app_name, namespace

    def get_openapi_schema(self, **kwargs):
        self._mount_registers()
        return super().get_openapi_schema(**kwargs)


api = GaoxinAPI(
    title="gaoxin API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=API_AUTH,
    docs=SwaggerDocs(),
    docs_decorator=docs_guard,
    renderer=ReadableJSONRenderer(),
)
install_error_handlers(api)
# ninja's modes: "operation" wraps the handler (after authentication and validation), "view" the whole call.
api.add_decorator(act_as_api_user, mode="operation")
api.add_decorator(no_store, mode="view")
