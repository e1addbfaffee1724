"""Run, result and year-over-year pages per role: scope (404/403), starting a run, adjusting a class."""

import pytest
from django.urls import reverse

from gaoxin.evaluation.models import EvaluationResult, EvaluationRun, Objection, RunStatus
from gaoxin.evaluation.services import runs as services

from .runs import YEAR, evaluation_world

pytestmark = pytest.mark.django_db

ADMINS = ["system_admin", "security_admin", "audit_admin"]


@pytest.fixture
def ev(world):
    evaluation_world(world)
    return world


@pytest.fixture
def run(ev):
    return services.evaluation_run_create(user=ev.users["staff_a"], year=YEAR, note="首次计算")


@pytest.fixture
def login(client, world):
    def as_role(role):
        client.force_login(world.users[role])
        return client

    return as_role


def result_of(run, ev, key) -> EvaluationResult:
    return run.results.get(enterprise=ev.enterprises[key])


def pages(run, ev):
    return {
        "list": reverse("evaluation:run_list"),
        "detail": reverse("evaluation:run_detail", args=[run.pk]),
        "result": reverse("evaluation:result_detail", args=[result_of(run, ev, "c1").pk]),
        "export": reverse("evaluation:run_export", args=[run.pk]),
        "history": reverse("evaluation:history"),
    }


@pytest.mark.parametrize("page", ["list", "detail", "result", "export", "history"])
@pytest.mark.parametrize("role", ["leader", "staff_a"])
def test_leaders_and_the_owning_staff_read_every_page(ev, run, login, role, page):
    assert login(role).get(pages(run, ev)[page]).status_code == 200


@pytest.mark.parametrize("page", ["list", "detail", "result", "export", "history"])
@pytest.mark.parametrize("role", [*ADMINS, "enterprise"])
def test_administrators_and_enterprise_users_get_403(ev, run, login, role, page):
    assert login(role).get(pages(run, ev)[page]).status_code == 403


@pytest.mark.parametrize("page", ["detail", "result", "export"])
@pytest.mark.parametrize("role", ["staff_b", "other_staff"])
def test_a_run_outside_the_scope_is_404(ev, run, login, role, page):
    assert login(role).get(pages(run, ev)[page]).status_code == 404


def test_other_staff_see_an_empty_list_and_history(ev, run, login):
    client = login("staff_b")
    assert list(client.get(reverse("evaluation:run_list")).context["page_obj"]) == []
    assert client.get(reverse("evaluation:history")).context["rows"] == []


def test_list_shows_the_runs_with_counts_and_the_form_only_to_staff(ev, run, login):
    response = login("staff_a").get(reverse("evaluation:run_list"))
    html = response.content.decode()
    assert [r.pk for r in response.context["page_obj"]] == [run.pk]
    assert 'id="run-create"' in html and 'id="id_year"' in html and "2025年度测试评价" in html
    response = login("leader").get(reverse("evaluation:run_list"))
    assert response.context["may_run"] is False and 'id="run-create"' not in response.content.decode()


def test_staff_start_a_run_and_land_on_it(ev, login):
    response = login("staff_a").post(reverse("evaluation:run_list"), {"year": str(YEAR), "note": "首次"})
    run = EvaluationRun.objects.get()
    assert response.status_code == 302 and response["Location"] == run.get_absolute_url()
    assert (run.year, run.version, run.note, run.department) == (YEAR, 1, "首次", ev.dept_a)


def test_a_run_that_cannot_be_made_is_a_form_error_not_a_500(ev, login):
    client = login("staff_a")
    response = client.post(reverse("evaluation:run_list"), {"year": "2030"})
    assert response.status_code == 200 and "2030 年度没有启用的评价方案" in response.content.decode()
    response = client.post(reverse("evaluation:run_list"), {"year": "abc"})
    assert response.status_code == 200 and response.context["form"].errors["year"]
    assert not EvaluationRun.objects.exists()


def test_a_final_year_refuses_a_new_run_with_the_reason(ev, run, login):
    EvaluationRun.objects.filter(pk=run.pk).update(status=RunStatus.FINAL)
    response = login("staff_a").post(reverse("evaluation:run_list"), {"year": str(YEAR)})
    assert response.status_code == 200 and "已定稿" in response.content.decode()
    assert EvaluationRun.objects.count() == 1


def test_leaders_cannot_start_a_run(ev, login):
    assert login("leader").post(reverse("evaluation:run_list"), {"year": str(YEAR)}).status_code == 403
    assert login("enterprise").post(reverse("evaluation:run_list"), {"year": str(YEAR)}).status_code == 403
    assert not EvaluationRun.objects.exists()


def test_detail_shows_header_benchmarks_classes_and_the_results(ev, run, login):
    response = login("leader").get(reverse("evaluation:run_detail", args=[run.pk]))
    html = response.content.decode()
    for text in ("2025年度测试评价", "2025-12-31", "未公示", "规上企业", "亩均税收", 'title="17.0">17<', 'title="68.0">68<',
                 "首次计算", "<details>", "[[group]]", reverse("evaluation:run_publicity", args=[run.pk]),
                 reverse("evaluation:run_export", args=[run.pk]) + "?class=A", "优先保障", "变更记录",
                 'id="evaluation-class-charts"', "evaluation.js"):
        assert text in html, text
    rows = list(response.context["page_obj"])
    assert len(rows) == 8 and rows[0].group_code == "above" and rows[0].rank == 1
    assert [r.rank for r in rows[:6]] == [1, 2, 3, 4, 4, 6]
    c1 = result_of(run, ev, "c1")
    assert f"{c1.score:.2f}" in html and "1 / 6" in html


def test_detail_filters_sorts_and_pages_without_errors(ev, run, login):
    client = login("leader")
    url = reverse("evaluation:run_detail", args=[run.pk])
    response = client.get(url, {"class": "B", "group": "above"})
    assert {r.final_class for r in response.context["page_obj"]} == {"B"}
    assert len(response.context["page_obj"]) == 2
    response = client.get(url, {"sort": "-score"})
    scores = [r.score for r in response.context["page_obj"]]
    assert scores == sorted(scores, reverse=True)
    response = client.get(url, {"division": "26", "area": "二号片区", "q": "测试"})
    assert [r.enterprise_id for r in response.context["page_obj"]] == [ev.enterprises["c4"].pk]
    for params in ({"sort": "bogus"}, {"page": "abc"}, {"class": "<script>"}, {"division": "zz"}, {"view": "x"}):
        assert client.get(url, params).status_code == 200


def test_the_exempt_list_has_its_own_tab_with_reasons(ev, run, login):
    response = login("staff_a").get(reverse("evaluation:run_detail", args=[run.pk]), {"view": "exempt"})
    rows = list(response.context["page_obj"])
    assert [r.enterprise_id for r in rows] == [ev.enterprises["new"].pk]
    assert "成立未满 3 年" in response.content.decode() and "不参评（1）" in response.content.decode()
    response = login("staff_a").get(reverse("evaluation:run_detail", args=[run.pk]), {"view": "exempt", "class": "A"})
    assert len(response.context["page_obj"]) == 1  # group and class do not apply to 不参评 rows


def test_a_superseded_run_links_to_the_newer_version(ev, run, login):
    second = services.evaluation_run_create(user=ev.users["staff_a"], year=YEAR)
    html = login("leader").get(reverse("evaluation:run_detail", args=[run.pk])).content.decode()
    assert 'id="superseded"' in html and second.get_absolute_url() in html
    html = login("leader").get(reverse("evaluation:run_detail", args=[second.pk])).content.decode()
    assert 'id="superseded"' not in html and run.get_absolute_url() in html  # 上一版本


def test_result_detail_explains_the_score(ev, run, login):
    c1 = result_of(run, ev, "c1")
    Objection.objects.create(zone=ev.zone, run=run, result=c1, enterprise=c1.enterprise, text="用地面积有误",
                             filed_by=ev.users["enterprise"])
    response = login("leader").get(c1.get_absolute_url())
    html = response.content.decode()
    for text in ("亩均税收", "tax ÷ land_mu", "300 ÷ 10", "105.88", "70.59", f"{c1.score:.2f}", "土地台账",
                 "评价用地面积（亩）", "用地面积有误", "历年评价", "1 / 6", "39 "):
        assert text in html, text
    assert response.context["may_override"] is False and 'id="override"' not in html
    objection = Objection.objects.get()
    assert reverse("evaluation:objection_detail", args=[objection.pk]) in html


def test_exempt_result_shows_the_reason_and_no_override(ev, run, login):
    new = result_of(run, ev, "new")
    response = login("staff_a").get(new.get_absolute_url())
    assert "成立未满 3 年" in response.content.decode() and response.context["may_override"] is False
    assert login("staff_a").post(new.get_absolute_url(), {"kind": "定档", "target_class": "A",
                                                          "reason": "x"}).status_code == 403


def test_staff_adjust_a_class_with_a_reason(ev, run, login):
    a1 = result_of(run, ev, "a1")
    client = login("staff_a")
    html = client.get(a1.get_absolute_url()).content.decode()
    assert 'id="override"' in html and '<option value="D">D</option>' in html
    response = client.post(a1.get_absolute_url(), {"kind": "提档", "reason": "成长型科技企业"})
    assert response.status_code == 302 and response["Location"] == a1.get_absolute_url()
    a1.refresh_from_db()
    assert (a1.computed_class, a1.final_class, a1.override_reason) == ("B", "A", "成长型科技企业")
    html = client.get(a1.get_absolute_url()).content.decode()
    assert "成长型科技企业" in html and "提档" in html
    response = client.post(a1.get_absolute_url(), {"kind": "定档", "target_class": "D", "reason": "环保不达标"})
    a1.refresh_from_db()
    assert response.status_code == 302 and a1.final_class == "D"
    client.post(a1.get_absolute_url(), {"kind": "撤销", "reason": ""})
    a1.refresh_from_db()
    assert (a1.final_class, a1.override_kind) == ("B", "")


@pytest.mark.parametrize("data,message", [
    ({"kind": "降档", "reason": " "}, "调档须说明原因"),
    ({"kind": "定档", "target_class": "", "reason": "x"}, "定档须选择本组的档次之一"),
    ({"kind": "提档", "reason": "x", "_key": "c1"}, "已是最高档"),
    ({"kind": "升天", "reason": "x"}, "升天"),
    ({"reason": "x"}, "这个字段是必填项"),
])
def test_a_bad_override_is_a_form_error_not_a_500(ev, run, login, data, message):
    result = result_of(run, ev, data.pop("_key", "a1"))
    response = login("staff_a").post(result.get_absolute_url(), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    result.refresh_from_db()
    assert result.final_class == result.computed_class and result.override_kind == ""


def test_only_the_owning_staff_adjust_and_only_while_open(ev, run, login):
    a1 = result_of(run, ev, "a1")
    data = {"kind": "提档", "reason": "x"}
    assert login("leader").post(a1.get_absolute_url(), data).status_code == 403
    assert login("staff_b").post(a1.get_absolute_url(), data).status_code == 404
    assert login("enterprise").post(a1.get_absolute_url(), data).status_code == 403
    services.evaluation_run_create(user=ev.users["staff_a"], year=YEAR)  # run is now superseded
    client = login("staff_a")
    response = client.get(a1.get_absolute_url())
    assert response.context["may_override"] is False
    assert client.post(a1.get_absolute_url(), data).status_code == 403
    a1.refresh_from_db()
    assert a1.final_class == "B"


def test_history_page_shows_the_distribution_table_and_chart_data(ev, run, login):
    a1 = result_of(run, ev, "a1")
    services.evaluation_result_override(user=ev.users["staff_a"], result=a1, kind="提档", reason="培育")
    response = login("leader").get(reverse("evaluation:history"))
    html = response.content.decode()
    assert response.context["chart"] == {"years": ["2025"], "series": [
        {"name": "A", "data": [2]}, {"name": "B", "data": [2]}, {"name": "C", "data": [2]}, {"name": "D", "data": [2]}]}
    assert 'id="evaluation-history"' in html and "evaluation.js" in html and "<script>" not in html
    [row] = response.context["rows"]
    assert [n for n, _share in row["cells"]] == [2, 2, 2, 2]
    assert str(row["cells"][0][1]) == "25.0"  # of the 8 evaluated; 不参评 not counted
    assert (row["year"].exempt, row["year"].overridden) == (1, 1)
