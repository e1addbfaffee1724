"""Evaluation scheme pages per role: scope (404/403), inline validation, writes through the services."""

import pytest
from django.urls import reverse

from gaoxin.core.audit.models import ObjectChange
from gaoxin.evaluation.models import EvaluationScheme, SchemeStatus
from gaoxin.evaluation.services import schemes as services

ADMINS = ["system_admin", "security_admin", "audit_admin"]
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def login(client, world):
    def as_role(role):
        client.force_login(world.users[role])
        return client

    return as_role


@pytest.fixture
def schemes(world):
    return {
        "a": services.evaluation_scheme_create(user=world.users["staff_a"], data={"preset": "huangyan", "year": 2025}),
        "b": services.evaluation_scheme_create(user=world.users["staff_b"], data={"preset": "chongqing", "year": 2025}),
        "other": services.evaluation_scheme_create(user=world.users["other_staff"],
                                                   data={"preset": "", "year": 2025}),
    }


def url(page, scheme=None):
    return reverse(f"evaluation:scheme_{page}", args=[scheme.pk] if scheme else [])


@pytest.mark.parametrize("role,expected", [("leader", {"a", "b"}), ("staff_a", {"a"}), ("staff_b", {"b"}),
                                           ("other_staff", {"other"})])
def test_list_shows_exactly_the_scoped_rows(schemes, login, role, expected):
    response = login(role).get(url("list"))
    assert response.status_code == 200
    assert {s.pk for s, _preset in response.context["rows"]} == {schemes[k].pk for k in expected}


@pytest.mark.parametrize("role", [*ADMINS, "enterprise"])
@pytest.mark.parametrize("page", ["list", "detail", "add", "edit", "delete"])
def test_administrators_and_enterprise_users_get_403(schemes, login, role, page):
    scheme = None if page in ("list", "add") else schemes["a"]
    assert login(role).get(url(page, scheme)).status_code == 403


@pytest.mark.parametrize("role,target", [("staff_b", "a"), ("other_staff", "a"), ("leader", "other")])
@pytest.mark.parametrize("page", ["detail", "edit", "delete"])
def test_rows_out_of_scope_are_404(schemes, login, role, target, page):
    assert login(role).get(url(page, schemes[target])).status_code == 404


def test_out_of_scope_activation_is_404_and_changes_nothing(schemes, login):
    assert login("staff_b").post(url("activate", schemes["a"])).status_code == 404
    assert not EvaluationScheme.objects.filter(status=SchemeStatus.ACTIVE).exists()


def test_leader_reads_but_cannot_write(schemes, login):
    client = login("leader")
    response = client.get(url("detail", schemes["a"]))
    assert response.status_code == 200 and not response.context["can_edit"]
    assert url("edit", schemes["a"]) not in response.content.decode()
    assert client.get(url("list")).context["can_add"] is False
    assert client.get(url("add")).status_code == 403
    assert client.get(url("edit", schemes["a"])).status_code == 403
    assert client.post(url("activate", schemes["a"])).status_code == 403
    assert client.post(url("delete", schemes["a"]), {"message": ""}).status_code == 403
    assert EvaluationScheme.objects.count() == 3


def test_detail_shows_summary_toml_and_changelog(schemes, login):
    response = login("staff_a").get(url("detail", schemes["a"]))
    html = response.content.decode()
    assert response.status_code == 200
    for text in ("规上企业", "规下企业", "亩均税收", "24.097", "越高越好", "按组内该项平均得分", "A：名次前 0%–20%",
                 "<pre><code>", "变更记录"):
        assert text in html, text


def test_add_from_preset_redirects_to_the_new_scheme(world, login):
    response = login("staff_a").post(url("add"), {"preset": "chongqing", "year": "2024", "message": "新方案"})
    scheme = EvaluationScheme.objects.get()
    assert response.status_code == 302 and response["Location"] == scheme.get_absolute_url()
    assert (scheme.year, scheme.based_on, scheme.department) == (2024, "chongqing", world.dept_a)


def test_add_page_offers_the_presets(world, login):
    html = login("staff_a").get(url("add")).content.decode()
    assert 'value="huangyan"' in html and 'value="chongqing"' in html and "空白方案" in html


def test_edit_saves_and_bumps_the_version(schemes, login):
    scheme = schemes["a"]
    text = scheme.toml.replace("weight = 30", "weight = 40").replace("\n", "\r\n")
    response = login("staff_a").post(url("edit", scheme), {"toml": text, "message": "调整"}, **HTMX)
    assert response.status_code == 200 and response["HX-Redirect"] == scheme.get_absolute_url()
    scheme.refresh_from_db()
    assert scheme.version == 2 and "weight = 40" in scheme.toml and "\r" not in scheme.toml


def test_edit_with_invalid_toml_shows_the_problems_inline_and_writes_nothing(schemes, login):
    scheme = schemes["a"]
    bad = scheme.toml.replace("weight = 30", "weight = 0").replace("benchmark = 24.097", 'benchmark = "median"')
    client = login("staff_a")
    before = ObjectChange.objects.count()
    response = client.post(url("edit", scheme), {"toml": bad}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and "HX-Redirect" not in response
    assert "权重必须是正数" in html and "median" in html
    response = client.post(url("edit", scheme) + "?validate=1", {"toml": bad, "_form_key": "abcd1234"}, **HTMX)
    assert "权重必须是正数" in response.content.decode()
    response = client.post(url("edit", scheme), {"toml": "year = = 1"})
    assert response.status_code == 200 and "不是合法的 TOML" in response.content.decode()
    scheme.refresh_from_db()
    assert scheme.version == 1 and ObjectChange.objects.count() == before


def test_activate_and_delete_pages(schemes, login):
    client = login("staff_a")
    scheme = schemes["a"]
    assert client.get(url("activate", scheme)).status_code == 405
    response = client.post(url("activate", scheme))
    assert response.status_code == 302
    scheme.refresh_from_db()
    assert scheme.status == SchemeStatus.ACTIVE
    response = client.post(url("delete", scheme), {"message": ""})
    assert response.status_code == 400 and "已启用的方案不能删除" in response.content.decode()
    draft = services.evaluation_scheme_create(user=None, zone=scheme.zone, department=scheme.department,
                                              data={"preset": "", "year": 2025})
    assert client.post(url("delete", draft), {"message": ""}).status_code == 302
    assert not EvaluationScheme.objects.filter(pk=draft.pk).exists()


def test_nav_entry_leads_officers_to_the_runs_and_enterprises_to_their_results(schemes, login):
    runs, mine = reverse("evaluation:run_list"), reverse("evaluation:my_results")
    for name in ("leader", "staff_a"):
        urls = [item["url"] for item in login(name).get(reverse("home")).context["nav"]]
        assert runs in urls and mine not in urls
    nav = login("staff_a").get(url("list")).context["nav"]
    assert next(item for item in nav if item["url"] == runs)["active"]  # highlighted on every 亩均 page
    urls = [item["url"] for item in login("enterprise").get(reverse("home")).context["nav"]]
    assert mine in urls and runs not in urls
