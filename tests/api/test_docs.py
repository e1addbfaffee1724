"""The OpenAPI schema and the Swagger UI page: complete, offline, and within the CSP (script-src 'self')."""

import re
from html.parser import HTMLParser

from django.contrib.staticfiles import finders
from django.test import Client

from .conftest import Api, make_token

EXTERNAL_URL = re.compile(r"https?://", re.IGNORECASE)


class ScriptCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.scripts: list[dict] = []
        self.links: list[dict] = []
        self._open: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self._open = {"attrs": attrs, "body": ""}
            self.scripts.append(self._open)
        elif tag == "link":
            self.links.append(attrs)
        if any(name.startswith("on") for name in attrs):
            raise AssertionError(f"inline event handler on <{tag}>")

    def handle_data(self, data):
        if self._open is not None:
            self._open["body"] += data

    def handle_endtag(self, tag):
        if tag == "script":
            self._open = None


def test_openapi_schema_lists_the_registers(world):
    response = Api(make_token(world.users["staff_a"])).get("/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    paths = schema["paths"]
    assert {"/api/v1/enterprises", "/api/v1/enterprises/{id}", "/api/v1/parcels", "/api/v1/parcels/{id}"} <= paths.keys()
    assert set(paths["/api/v1/enterprises/{id}"]) == {"get", "put", "patch", "delete"}
    assert set(paths["/api/v1/parcels"]) == {"get", "post"}
    tags = {tag for ops in paths.values() for op in ops.values() for tag in op.get("tags", [])}
    assert tags == {"企业", "地块", "项目", "招商", "统计", "经济运行", "惠企政策", "智改数转"}
    assert paths["/api/v1/enterprises"]["get"]["summary"] == "企业列表"
    schemes = schema["components"]["securitySchemes"]
    assert any(s.get("scheme") == "bearer" for s in schemes.values())
    ordering = next(p for p in paths["/api/v1/enterprises"]["get"]["parameters"] if p["name"] == "ordering")
    assert "-name" in str(ordering["schema"])  # the whitelist is documented


def test_openapi_schema_needs_a_caller(world):
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"
    assert Api("gx_wrong").get("/openapi.json").status_code == 401
    client = Client()
    client.force_login(world.users["audit_admin"])  # no business data in it: every role may read it
    assert client.get("/api/v1/openapi.json").status_code == 200


def test_docs_page_needs_login(world):
    response = Client().get("/api/v1/docs")
    assert response.status_code == 302
    assert "next=/api/v1/docs" in response["Location"]


def test_docs_page_is_offline_and_csp_clean(world):
    client = Client()
    client.force_login(world.users["staff_a"])
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert not EXTERNAL_URL.search(html), "the docs page must not reference any external URL"
    assert "script-src 'self'" in response["Content-Security-Policy"]

    page = ScriptCollector()
    page.feed(html)
    assert page.scripts, "Swagger UI is loaded"
    for script in page.scripts:
        assert script["attrs"].get("src", "").startswith("/static/"), script
        assert script["body"].strip() == "", "no inline script body"
    stylesheets = [link["href"] for link in page.links if link.get("rel") == "stylesheet"]
    assert stylesheets and all(href.startswith("/static/") for href in stylesheets)

    # every referenced asset is one of our static files, and the initialiser calls out to nobody
    for src in [s["attrs"]["src"] for s in page.scripts] + stylesheets:
        assert finders.find(src.removeprefix("/static/")), src
    initialiser = open(finders.find("api/docs.js"), encoding="utf-8").read()
    assert not EXTERNAL_URL.search(initialiser)
    assert "validatorUrl: null" in initialiser
    assert 'data-openapi-url="/api/v1/openapi.json"' in html
