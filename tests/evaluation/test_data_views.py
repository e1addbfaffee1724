"""The evaluation data pages: the completeness table (scope, flags against the active scheme, filters) and one
enterprise's page (figures by source, land, edit form, history), per role."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from gaoxin.core.imports import get_spec
from gaoxin.core.imports.services import file_import
from gaoxin.evaluation.models import EvaluationData
from gaoxin.evaluation.selectors.completeness import year_completeness
from gaoxin.evaluation.services import schemes as scheme_services
from gaoxin.evaluation.services.data import evaluation_data_save

ADMINS = ["system_admin", "security_admin", "audit_admin"]
HTMX = {"HTTP_HX_REQUEST": "true"}
LIST = reverse("evaluation:data_list")


@pytest.fixture
def login(client, world):
    def as_role(role):
        client.force_login(world.users[role])
        return client

    return as_role


def activate(world, text=None, preset="huangyan"):
    staff = world.users["staff_a"]
    data = {"toml": text} if text else {"preset": preset, "year": 2025}
    scheme = scheme_services.evaluation_scheme_create(user=staff, data=data)
    return scheme_services.evaluation_scheme_activate(user=staff, scheme=scheme)


@pytest.fixture
def data(world):
    """2025: a1 has only its tax (kept by 经信局), b1 a full 规上 row kept by 投资促进局, a2 nothing."""
    activate(world)
    evaluation_data_save(user=world.users["staff_a"], enterprise=world.enterprises["a1"], year=2025,
                         data={"tax": Decimal("600")})
    full = {"tax": Decimal("300"), "revenue": Decimal("10000"), "value_added": Decimal("2000"), "rd": Decimal("300"),
            "staff": 100, "energy_tce": Decimal("800"), "emission_t": Decimal("0.5")}
    evaluation_data_save(user=world.users["staff_b"], enterprise=world.enterprises["b1"], year=2025, data=full)


def detail(enterprise, year=2025):
    return reverse("evaluation:data_detail", args=[enterprise.pk, year])


def listed(response):
    return {row["uscc"]: row for row, _sources in response.context["rows"]}


def test_flags_against_the_active_scheme(world, data):
    c = year_completeness(zone=world.zone, year=2025)
    rows = {r["uscc"]: r for r in c.frame.to_dicts()}
    a1, a2, b1 = (rows[world.enterprises[k].uscc] for k in ("a1", "a2", "b1"))
    assert c.checked and c.problems == []
    assert a1["group"] == "规上企业" and a1["missing"] == [
        "亩均增加值（缺：工业增加值）", "单位能耗增加值（缺：工业增加值、综合能耗）", "单位排放增加值（缺：工业增加值、主要污染物排放量）",
        "全员劳动生产率（缺：工业增加值、年平均职工人数）", "R&D经费占主营业务收入比重（缺：研发经费支出、营业收入）"]
    assert a2["group"] == "规下企业" and a2["missing"] == ["亩均税收（缺：实缴税收、用地面积）", "单位用电税收（缺：实缴税收、用电量）"]
    assert (b1["missing"], b1["incomplete"], b1["land_mu"]) == ([], False, 10.0)
    assert (a1["src_tax"], a1["src_statistics"], b1["src_statistics"], a2["src_tax"]) == ("manual", "", "manual", "")
    assert {k: c.summary[k] for k in ("total", "evaluated", "complete", "incomplete", "no_data", "no_land")} == {
        "total": 3, "evaluated": 3, "complete": 1, "incomplete": 2, "no_data": 1, "no_land": 1}


def test_zero_denominator_and_exempt_and_ungrouped_rows(world, data):
    staff = world.users["staff_a"]
    evaluation_data_save(user=staff, enterprise=world.enterprises["a1"], year=2025,
                         data={"land_mu_override": Decimal("0"), "land_mu_reason": "已停产腾退"})
    evaluation_data_save(user=staff, enterprise=world.enterprises["a2"], year=2025, data={"exempt_reason": "在建重大项目"})
    world.enterprises["b1"].size = "规模未定"
    world.enterprises["b1"].save()
    rows = {r["uscc"]: r for r in year_completeness(zone=world.zone, year=2025).frame.to_dicts()}
    a1, a2, b1 = (rows[world.enterprises[k].uscc] for k in ("a1", "a2", "b1"))
    assert a1["missing"][0] == "亩均税收（分母为 0 或数值无效）" and a1["land_adjusted"]
    assert (a2["exempt_reason"], a2["missing"], a2["incomplete"]) == ("在建重大项目", [], False)
    assert (b1["group"], b1["ungrouped"], b1["incomplete"]) == (None, True, False)


def test_input_problems_and_missing_scheme_become_a_banner(world, login):
    evaluation_data_save(user=world.users["staff_a"], enterprise=world.enterprises["a1"], year=2025,
                         data={"tax": Decimal("1")})
    response = login("leader").get(LIST, {"year": "2025"})
    assert response.status_code == 200 and not response.context["completeness"].checked
    assert "2025 年度没有启用的评价方案" in response.content.decode()
    activate(world, text='name = "试"\nyear = 2025\n[[group]]\ncode = "all"\nlabel = "全部"\n'
                         'classes = [ { label = "A", top = 1.0 } ]\n  [[group.indicator]]\n  code = "p"\n'
                         '  label = "亩均利润"\n  numerator = "profit"\n  denominator = "land_mu"\n  weight = 100\n'
                         '  benchmark = "aggregate"\n  direction = "higher"\n  missing = "zero"\n')
    response = login("leader").get(LIST, {"year": "2025"})
    html = response.content.decode()
    assert response.status_code == 200 and "profit" in html and "无法按方案检查指标缺失" in html


@pytest.mark.parametrize("role,expected", [("leader", {"a1", "a2", "b1"}), ("staff_a", {"a1", "a2"}),
                                           ("staff_b", {"a2", "b1"}), ("other_staff", {"other"})])
def test_list_scope(world, data, login, role, expected):
    response = login(role).get(LIST)
    assert response.status_code == 200 and response.context["year"] == 2025
    assert set(listed(response)) == {world.enterprises[k].uscc for k in expected}


@pytest.mark.parametrize("role", [*ADMINS, "enterprise"])
def test_administrators_and_enterprise_users_get_403(world, data, login, role):
    assert login(role).get(LIST).status_code == 403
    assert login(role).get(detail(world.enterprises["a1"])).status_code == 403


@pytest.mark.parametrize("role,target,year", [("staff_b", "a1", 2025), ("other_staff", "a2", 2025),
                                              ("leader", "other", 2025), ("staff_a", "a1", 1999)])
def test_detail_out_of_scope_is_404(world, data, login, role, target, year):
    client = login(role)
    assert client.get(detail(world.enterprises[target], year)).status_code == 404
    assert client.post(detail(world.enterprises[target], year), {"tax": "1"}).status_code == 404


def test_filters_search_and_sorting(world, data, login):
    client = login("leader")
    usccs = {k: e.uscc for k, e in world.enterprises.items()}
    assert set(listed(client.get(LIST, {"missing": "税务"}))) == {usccs["a2"]}
    assert set(listed(client.get(LIST, {"missing": "统计"}))) == {usccs["a1"], usccs["a2"]}
    assert set(listed(client.get(LIST, {"show": "incomplete"}))) == {usccs["a1"], usccs["a2"]}
    assert set(listed(client.get(LIST, {"show": "complete"}))) == {usccs["b1"]}
    assert set(listed(client.get(LIST, {"show": "nodata"}))) == {usccs["a2"]}
    assert set(listed(client.get(LIST, {"show": "exempt"}))) == set()
    assert set(listed(client.get(LIST, {"q": "企业3"}))) == {usccs["b1"]}
    assert set(listed(client.get(LIST, {"q": usccs["a2"][-6:].lower()}))) == {usccs["a2"]}
    response = client.get(LIST, {"sort": "-missing"})
    assert list(listed(response)) == [usccs["a1"], usccs["a2"], usccs["b1"]]
    assert [h["state"] for h in response.context["head"] if h["state"]] == ["desc"]
    assert list(listed(client.get(LIST, {"sort": "nonsense", "show": "bogus", "missing": "x"}))) == sorted(
        [usccs["a1"], usccs["a2"], usccs["b1"]])


def test_year_selection(world, data, login):
    client = login("leader")
    response = client.get(LIST, {"year": "abc"})
    assert response.status_code == 200 and response.context["year"] == 2025
    assert "评价年度“abc”无效" in response.content.decode()
    response = client.get(LIST, {"year": "2024"})
    assert response.context["year"] == 2024 and response.context["summary"]["no_data"] == 3
    assert response.context["years"] == [2025, 2024]


def test_list_links_the_five_imports(world, data, login):
    html = login("staff_a").get(LIST).content.decode()
    for slug in ("tax", "statistics", "power", "environment", "land"):
        assert reverse("imports:template", args=[f"evaluation-{slug}"]) in html
        assert f'href="{reverse("imports:upload", args=[f"evaluation-{slug}"])}"' in html
    html = login("leader").get(LIST).content.decode()
    assert reverse("imports:template", args=["evaluation-tax"]) in html
    assert f'href="{reverse("imports:upload", args=["evaluation-tax"])}"' not in html


def test_detail_shows_sources_land_and_history(world, data, login):
    a1 = world.enterprises["a1"]
    rows = [["统一社会信用代码", "评价年度", "用电量（万千瓦时）"], [a1.uscc, "2025", "2500"]]
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    staff = world.users["staff_a"]
    assert file_import(spec=get_spec("evaluation-power"), data=buf.getvalue().encode(), filename="电力局2025.csv",
                       zone=world.zone, department=staff.department, user=staff).ok
    response = login("staff_a").get(detail(a1))
    html = response.content.decode()
    assert response.status_code == 200 and response.context["can_edit"]
    assert "电力局2025.csv" in html and "2500.000" in html and "经办人员录入" in html
    assert "6666.67" in html  # the register's breakdown: the parcel P-A1
    assert response.context["row"]["missing"][0] == "亩均增加值（缺：工业增加值）"
    assert len(response.context["changes"]) == 2
    assert 'hx-post="' + detail(a1) in html


def test_leader_reads_but_cannot_write(world, data, login):
    client = login("leader")
    response = client.get(detail(world.enterprises["a1"]))
    assert response.status_code == 200 and not response.context["can_edit"] and "form" not in response.context
    assert client.post(detail(world.enterprises["a1"]), {"tax": "1"}).status_code == 403
    assert EvaluationData.objects.get(enterprise=world.enterprises["a1"]).tax == Decimal("600.00")


def test_staff_may_start_a_row_for_an_enterprise_without_one(world, data, login):
    client = login("staff_b")
    a2 = world.enterprises["a2"]
    response = client.get(detail(a2))
    assert response.status_code == 200 and response.context["can_edit"] and response.context["record"] is None
    response = client.post(detail(a2), {"tax": "5.5", "env_violation": "unknown", "major_accident": "false",
                                        "message": "补录"}, **HTMX)
    assert response.status_code == 200 and response["HX-Redirect"] == detail(a2)
    record = EvaluationData.objects.get(enterprise=a2)
    assert (record.department, record.tax, record.env_violation, record.major_accident) == (
        world.dept_b, Decimal("5.50"), None, False)


def test_edit_form_validates_inline_and_requires_a_reason(world, data, login):
    client = login("staff_a")
    a1 = world.enterprises["a1"]
    response = client.post(detail(a1) + "?validate=1", {"tax": "abc", "land_mu_override": "8", "land_mu_reason": " "},
                           **HTMX)
    assert "调整评价用地面积须说明原因。" in response.content.decode() and "输入一个数字" in response.content.decode()
    response = client.post(detail(a1), {"tax": "600", "land_mu_override": "8", "land_mu_reason": ""}, **HTMX)
    assert response.status_code == 200 and "调整评价用地面积须说明原因。" in response.content.decode()
    assert EvaluationData.objects.get(enterprise=a1).land_mu_override is None
    response = client.post(detail(a1), {"tax": "650", "land_mu_override": "8", "land_mu_reason": "部分厂房拆除"})
    assert response.status_code == 302 and response.url == detail(a1)
    record = EvaluationData.objects.get(enterprise=a1)
    assert (record.tax, record.land_mu_override, record.land_mu_reason) == (
        Decimal("650.00"), Decimal("8.00"), "部分厂房拆除")
    response = client.post(detail(a1), {"tax": "abc"}, **HTMX)
    assert response.status_code == 200 and EvaluationData.objects.get(enterprise=a1).tax == Decimal("650.00")


def test_another_departments_staff_cannot_post_to_a_row_they_cannot_see(world, data, login):
    response = login("staff_a").post(detail(world.enterprises["b1"]), {"tax": "1"})
    assert response.status_code == 404
    assert EvaluationData.objects.get(enterprise=world.enterprises["b1"]).tax == Decimal("300.00")


def test_garbage_in_the_url_is_never_a_500(world, data, login):
    client = login("leader")
    assert client.get("/evaluation/data/99999999999999999999999999/2025/").status_code == 404
    assert client.get(f"/evaluation/data/{world.enterprises['a1'].pk}/99999999999999999999999/").status_code == 404
    assert client.get(LIST, {"year": "99999999999999999999", "page": "x", "sort": "-"}).status_code == 200
    assert client.get(LIST, {"year": "２０２５"}).context["year"] == 2025
