from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import JavaScriptCatalog

from gaoxin.api import api
from gaoxin.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("favicon.ico", RedirectView.as_view(url=static("gaoxin/favicon.svg"), permanent=True)),
    path("accounts/", include("gaoxin.accounts.urls")),
    path("enterprises/", include("gaoxin.enterprises.urls")),
    path("land/", include("gaoxin.land.urls")),
    path("evaluation/", include("gaoxin.evaluation.urls")),
    path("investment/", include("gaoxin.investment.urls")),
    path("projects/", include("gaoxin.projects.urls")),
    path("economy/", include("gaoxin.economy.urls")),
    path("approvals/", include("gaoxin.approvals.urls")),
    path("policies/", include("gaoxin.policies.urls")),
    path("transformation/", include("gaoxin.transformation.urls")),
    path("imports/", include("gaoxin.core.imports.urls")),
    path("system/", include("gaoxin.core.urls")),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
]

handler400 = "gaoxin.core.views.bad_request"
handler403 = "gaoxin.core.views.permission_denied"
handler404 = "gaoxin.core.views.page_not_found"
handler500 = "gaoxin.core.views.server_error"
