"""Error pages: Chinese HTML for pages, JSON with a code and a message under /api/."""

import json

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import Http404
from django.test import Client, RequestFactory
from django.urls import path

from gaoxin.core import views
from gaoxin.urls import urlpatterns as project_urlpatterns


def forbidden(request):
    raise PermissionDenied("您只能查看本部门的企业。")


def forbidden_without_message(request):
    raise PermissionDenied


def broken(request):
    raise RuntimeError("boom")


def suspicious(request):
    raise SuspiciousOperation("tampered")


# The project's URLs plus views that fail on purpose; the handlers are the project's.
urlpatterns = [
    path("test-errors/forbidden/", forbidden),
    path("test-errors/forbidden-plain/", forbidden_without_message),
    path("test-errors/broken/", broken),
    path("test-errors/suspicious/", suspicious),
    path("api/v1/test-errors/forbidden/", forbidden),
    *project_urlpatterns,
]
handler400 = "gaoxin.core.views.bad_request"
handler403 = "gaoxin.core.views.permission_denied"
handler404 = "gaoxin.core.views.page_not_found"
handler500 = "gaoxin.core.views.server_error"

error_urls = pytest.mark.urls(__name__)


def test_project_registers_the_handlers():
    from gaoxin import urls

    assert urls.handler400 == "gaoxin.core.views.bad_request"
    assert urls.handler403 == "gaoxin.core.views.permission_denied"
    assert urls.handler404 == "gaoxin.core.views.page_not_found"
    assert urls.handler500 == "gaoxin.core.views.server_error"


def test_tests_run_with_debug_off():
    # With DEBUG on Django shows its technical pages instead of the handlers.
    assert settings.DEBUG is False


@pytest.mark.django_db
def test_unknown_page_is_a_chinese_404_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    text = response.content.decode()
    assert "页面不存在" in text
    assert "<code>/no-such-page/</code>" in text
    assert '<html lang="zh-hans">' in text


@pytest.mark.django_db
def test_the_404_page_escapes_the_path(client):
    response = client.get("/<script>alert(1)</script>/")
    assert response.status_code == 404
    assert "<script>alert" not in response.content.decode()


@pytest.mark.django_db
def test_unknown_api_path_is_json_404(client):
    response = client.get("/api/v1/nope")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body == {"code": "not_found", "message": "接口不存在：/api/v1/nope"}


@error_urls
@pytest.mark.django_db
def test_permission_denied_is_a_403_page_with_the_reason(client):
    response = client.get("/test-errors/forbidden/")
    assert response.status_code == 403
    text = response.content.decode()
    assert "无权访问" in text
    assert "您只能查看本部门的企业。" in text


@error_urls
@pytest.mark.django_db
def test_permission_denied_without_a_reason_says_so_in_chinese(client):
    response = client.get("/test-errors/forbidden-plain/")
    assert response.status_code == 403
    assert "您没有执行此操作的权限。" in response.content.decode()


@error_urls
@pytest.mark.django_db
def test_permission_denied_under_api_is_json(client):
    response = client.get("/api/v1/test-errors/forbidden/")
    assert response.status_code == 403
    assert response.json() == {"code": "forbidden", "message": "您只能查看本部门的企业。"}


@error_urls
@pytest.mark.django_db
def test_suspicious_request_is_a_400_page_without_the_internal_message(client):
    response = client.get("/test-errors/suspicious/")
    assert response.status_code == 400
    text = response.content.decode()
    assert "请求无效" in text
    assert "tampered" not in text


@error_urls
@pytest.mark.django_db
def test_an_unhandled_exception_is_a_chinese_500_page():
    client = Client(raise_request_exception=False)
    response = client.get("/test-errors/broken/")
    assert response.status_code == 500
    text = response.content.decode()
    assert "服务器内部错误" in text
    assert "boom" not in text


# The 500 handler is called directly here and without database access (no django_db mark: any query
# would raise), because the failure it reports may be the database itself.
def test_server_error_needs_no_database_and_no_context_processors():
    request = RequestFactory().get("/enterprises/")
    response = views.server_error(request)
    assert response.status_code == 500
    text = response.content.decode()
    assert "服务器内部错误" in text
    assert "请稍后重试" in text


def test_server_error_under_api_is_json():
    response = views.server_error(RequestFactory().get("/api/v1/enterprises"))
    assert response.status_code == 500
    body = json.loads(response.content)
    assert body["code"] == "server_error"
    assert "服务器内部错误" in body["message"]


def test_server_error_answers_even_when_templates_fail(monkeypatch):
    def no_templates():
        raise RuntimeError("template engine is broken")

    monkeypatch.setattr(views.Engine, "get_default", staticmethod(no_templates))
    response = views.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "服务器内部错误" in response.content.decode()


def test_page_not_found_called_directly():
    response = views.page_not_found(RequestFactory().get("/land/parcels/999/"), Http404("No Parcel matches"))
    assert response.status_code == 404
    text = response.content.decode()
    assert "页面不存在" in text
    assert "No Parcel matches" not in text


def test_bad_request_called_directly_under_api():
    response = views.bad_request(RequestFactory().get("/api/v1/enterprises"), SuspiciousOperation("x"))
    assert response.status_code == 400
    assert json.loads(response.content) == {"code": "bad_request", "message": "请求无效，服务器无法处理。请检查输入后重试。"}


def test_csrf_failure_is_explained_in_chinese():
    response = views.csrf_failure(RequestFactory().post("/enterprises/add/"), reason="CSRF token missing.")
    assert response.status_code == 403
    text = response.content.decode()
    assert "表单已过期" in text
    assert "CSRF token missing" not in text
