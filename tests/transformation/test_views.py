"""智改数转 pages per role (leaders read, staff read and write their department's, enterprise users and
administrators 403, another zone's rows 404), the forms through the services, and the counts page whose every
number opens the list of exactly the records it counts."""

from decimal import Decimal
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.urls import reverse

from gaoxin.projects.engine import Period
from gaoxin.transformation.models import Measurement, Recognition, RndInstitution, TransformationProject
from gaoxin.transformation.selectors.counts import period_record_ids, period_record_ids_for_user
from gaoxin.transformation.views.counts import default_period

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
LIST_URLS = ["transformation:project_list", "transformation:institution_list", "transformation:recognition_list",
             "transformation:counts"]


@pytest.fixture
def login(client, tw):
    def as_role(role):
        client.force_login(tw.users[role])
        return client

    return as_role


def project_form(tw, **overrides):
    data = {"enterprise": tw.enterprises["a2"].pk, "name": "机加工车间智能化改造", "kind": "智能化改造",
            "started_on": "2024-04-01", "completed_on": "", "equipment_investment_wan": "880",
            "software_investment_wan": "95.5", "level": "", "certified_on": "", "certificate": "", "description": "",
            "message": ""}
    data.update(overrides)
    return data


def measurement_form(**overrides):
    data = {"metric": "单位能耗", "label": "", "unit": "千克标准煤/件", "before_value": "2", "before_from": "2023-01-01",
            "before_to": "2023-06-30", "after_value": "1.5", "after_from": "2024-01-01", "after_to": "2024-05-31",
            "source": "", "message": ""}
    data.update(overrides)
    return data


@pytest.mark.parametrize("name", LIST_URLS)
@pytest.mark.parametrize("role,status", [("leader", 200), ("staff_a", 200), ("staff_b", 200), ("enterprise", 403),
                                         ("system_admin", 403), ("audit_admin", 403)])
def test_page_access(login, name, role, status):
    assert login(role).get(reverse(name)).status_code == status


def test_anonymous_is_sent_to_login(client, tw):
    response = client.get(reverse("transformation:project_list"))
    assert response.status_code == 302 and "login" in response.url


def test_lists_are_scoped(tw, login):
    rows = login("staff_a").get(reverse("transformation:project_list")).context["page_obj"].object_list
    assert {p.pk for p in rows} == {p.pk for p in (tw.r1, tw.r2, tw.r3, tw.r4, tw.c1, tw.c2, tw.c3, tw.c4)}
    leader = login("leader")
    response = leader.get(reverse("transformation:project_list"))
    assert response.context["total"]["count"] == 9 and response.context["can_add"] is False
    assert "2380.00" in response.content.decode()
    institutions = leader.get(reverse("transformation:institution_list")).context["rows"]
    assert {i.pk for i, editable in institutions} == {tw.i1.pk, tw.i2.pk, tw.i3.pk, tw.i4.pk}
    assert not any(editable for _i, editable in institutions)
    rows = login("staff_b").get(reverse("transformation:institution_list")).context["rows"]
    assert [(i.pk, editable) for i, editable in rows] == [(tw.i4.pk, True)]


@pytest.mark.parametrize("params", [
    {"started_after": "2024-99-01"}, {"sort": "nonsense"}, {"page": "x"}, {"kind": "???"}, {"started_year": "2024.5"},
    {"started_year": "99999"}, {"ids": "1,x"}, {"level": "国家级"}, {"year": "abc"}, {"area": "不存在的片区"},
])
@pytest.mark.parametrize("name", LIST_URLS[:3])
def test_bad_params_never_500(login, name, params):
    assert login("leader").get(reverse(name), params).status_code == 200


def test_detail_and_forms_follow_scope(tw, login):
    detail = reverse("transformation:project_detail", args=[tw.r1.pk])
    assert login("staff_b").get(detail).status_code == 404  # another department's record
    assert login("other_staff").get(detail).status_code == 404  # another zone's
    assert login("enterprise").get(detail).status_code == 403
    assert login("system_admin").get(detail).status_code == 403
    leader = login("leader")
    response = leader.get(detail)
    assert response.status_code == 200 and response.context["can_edit"] is False
    for name, pk in [("project_edit", tw.r1.pk), ("project_delete", tw.r1.pk), ("measurement_add", tw.c1.pk),
                     ("measurement_edit", tw.m_eff.pk), ("measurement_delete", tw.m_eff.pk),
                     ("institution_edit", tw.i1.pk), ("recognition_delete", tw.g1.pk)]:
        assert leader.get(reverse(f"transformation:{name}", args=[pk])).status_code == 403, name
    assert leader.get(reverse("transformation:project_add")).status_code == 403
    staff_b = login("staff_b")
    for name, pk in [("project_edit", tw.r1.pk), ("measurement_edit", tw.m_eff.pk), ("institution_edit", tw.i1.pk),
                     ("recognition_edit", tw.g1.pk)]:
        assert staff_b.get(reverse(f"transformation:{name}", args=[pk])).status_code == 404, name
    assert staff_b.post(reverse("transformation:project_delete", args=[tw.r1.pk]), {"message": ""}).status_code == 404
    assert TransformationProject.objects.filter(pk=tw.r1.pk).exists()
    staff_a = login("staff_a")
    assert staff_a.get(reverse("transformation:project_edit", args=[tw.r1.pk])).status_code == 200
    assert staff_a.get(reverse("transformation:project_edit", args=[tw.r5.pk])).status_code == 404


def test_detail_shows_measurements_with_the_formula(tw, login):
    response = login("staff_a").get(reverse("transformation:project_detail", args=[tw.c1.pk]))
    html = response.content.decode()
    assert response.context["can_edit"] is True
    assert "+12.14%" in html and "-44.54%" in html and "-18.27%" in html
    assert "(1121.4 − 1000) ÷ 1000 × 100" in html and "(0.5102 − 0.92) ÷ 0.92 × 100" in html
    assert "检测效率提高12.14%" in html and "产品不良率下降44.54%" in html and "运营成本降低18.27%" in html
    assert "2023-01-01 — 2023-06-30" in html and "2024-01-01 — 2024-05-31" in html
    assert reverse("transformation:measurement_edit", args=[tw.m_eff.pk]) in html
    assert tw.enterprises["a1"].get_absolute_url() in html  # staff_a's department keeps the enterprise


def test_add_edit_delete_project(tw, login):
    staff = login("staff_a")
    assert staff.get(reverse("transformation:project_add")).status_code == 200
    response = staff.post(reverse("transformation:project_add"), project_form(tw))
    project = TransformationProject.objects.get(name="机加工车间智能化改造")
    assert response.status_code == 302 and response.url == project.get_absolute_url()
    assert (project.department, project.software_investment_wan) == (tw.dept_a, Decimal("95.50"))
    # a bad form comes back with its errors, over HTMX just the fragment; nothing written
    response = staff.post(reverse("transformation:project_add"),
                          project_form(tw, name="认定缺日期", kind="数字化车间", level="市级"), **HTMX)
    assert response.status_code == 200 and "认定级别和认定日期须同时填写" in response.content.decode()
    assert not TransformationProject.objects.filter(name="认定缺日期").exists()
    response = staff.post(reverse("transformation:project_add"), project_form(tw), **HTMX)  # the same name again
    assert "已登记名为“机加工车间智能化改造”" in response.content.decode()
    response = staff.post(reverse("transformation:project_add") + "?validate=1",
                          project_form(tw, completed_on="2024-01-01"), **HTMX)
    assert "完成日期不能早于开始实施日期" in response.content.decode()
    response = staff.post(reverse("transformation:project_add"), project_form(tw, name="HTMX 登记"), **HTMX)
    assert response["HX-Redirect"] == TransformationProject.objects.get(name="HTMX 登记").get_absolute_url()
    response = staff.post(reverse("transformation:project_edit", args=[project.pk]),
                          project_form(tw, kind="数字化车间", level="市级", certified_on="2024-06-01"))
    project.refresh_from_db()
    assert response.status_code == 302 and (project.level, project.kind) == ("市级", "数字化车间")
    assert staff.get(reverse("transformation:project_delete", args=[project.pk])).status_code == 200
    response = staff.post(reverse("transformation:project_delete", args=[project.pk]), {"message": "重复登记"})
    assert response.status_code == 302 and not TransformationProject.objects.filter(pk=project.pk).exists()


def test_measurement_pages(tw, login):
    staff = login("staff_a")
    add = reverse("transformation:measurement_add", args=[tw.c1.pk])
    assert staff.get(add).status_code == 200
    response = staff.post(add, measurement_form(before_value="0"))
    assert response.status_code == 200 and "改造前的数值须大于0" in response.content.decode()
    response = staff.post(add, measurement_form(metric="效率"))
    assert "该项目已有“生产/检测效率”的测量数据" in response.content.decode()
    response = staff.post(add, measurement_form())
    assert response.status_code == 302 and response.url.endswith(f"/transformation/{tw.c1.pk}/#measurements")
    m = Measurement.objects.get(project=tw.c1, metric="单位能耗")
    assert m.department == tw.dept_a
    detail = staff.get(reverse("transformation:project_detail", args=[tw.c1.pk])).content.decode()
    assert "单位产品能耗降低25.00%" in detail
    response = staff.post(reverse("transformation:measurement_edit", args=[m.pk]), measurement_form(after_value="1.8"))
    m.refresh_from_db()
    assert response.status_code == 302 and m.after_value == Decimal("1.8")
    response = staff.post(reverse("transformation:measurement_delete", args=[m.pk]), {"message": ""})
    assert response.status_code == 302 and not Measurement.objects.filter(pk=m.pk).exists()


def test_institution_and_recognition_pages(tw, login):
    staff = login("staff_a")
    data = {"enterprise": tw.enterprises["a2"].pk, "name": "新型研发机构", "kind": "新型研发机构", "level": "省级",
            "recognized_on": "2024-05-05", "certificate": "", "message": ""}
    assert staff.get(reverse("transformation:institution_add")).status_code == 200
    response = staff.post(reverse("transformation:institution_add"), data)
    assert response.status_code == 302 and response.url == reverse("transformation:institution_list")
    institution = RndInstitution.objects.get(name="新型研发机构")
    response = staff.post(reverse("transformation:institution_add"), data)
    assert response.status_code == 200 and "已登记名为“新型研发机构”的研发机构" in response.content.decode()
    response = staff.post(reverse("transformation:institution_edit", args=[institution.pk]), {**data, "level": "国家级"})
    institution.refresh_from_db()
    assert response.status_code == 302 and institution.level == "国家级"
    staff.post(reverse("transformation:institution_delete", args=[institution.pk]), {"message": ""})
    assert not RndInstitution.objects.filter(pk=institution.pk).exists()

    data = {"enterprise": tw.enterprises["a2"].pk, "kind": "专精特新中小企业", "level": "市级",
            "recognized_on": "2024-08-01", "valid_until": "2024-07-01", "certificate": "", "message": ""}
    response = staff.post(reverse("transformation:recognition_add"), data)
    assert response.status_code == 200 and "有效期不能早于认定日期" in response.content.decode()
    response = staff.post(reverse("transformation:recognition_add"), {**data, "valid_until": "2027-07-31"})
    assert response.status_code == 302
    recognition = Recognition.objects.get(enterprise=tw.enterprises["a2"])
    response = staff.post(reverse("transformation:recognition_edit", args=[recognition.pk]),
                          {**data, "valid_until": "", "certificate": "ZJTX-1"})
    recognition.refresh_from_db()
    assert response.status_code == 302 and (recognition.certificate, recognition.valid_until) == ("ZJTX-1", None)
    response = staff.get(reverse("transformation:recognition_list"), {"kind": "专精特新中小企业"})
    assert [r.pk for r, _e in response.context["rows"]] == [recognition.pk]


def _drill(client, url: str) -> set[int]:
    parts = urlsplit(url)
    response = client.get(parts.path, dict(parse_qsl(parts.query)))
    assert response.status_code == 200
    page = response.context["page_obj"]
    assert page.paginator.num_pages == 1
    return {obj.pk for obj in page.object_list}


@pytest.mark.parametrize("role", ["leader", "staff_a", "staff_b"])
def test_counts_page_numbers_reconcile_with_their_lists(tw, login, role):
    client = login(role)
    response = client.get(reverse("transformation:counts"), {"period": "2024-06"})
    assert response.status_code == 200 and response.context["error"] == ""
    period = Period(2024, 6)
    ids = period_record_ids_for_user(user=tw.users[role], period=period)
    for row in response.context["started"]:
        assert _drill(client, row["url"]) == set(ids.get(("started", row["kind"]), ())), row
        assert row["count"] == len(ids.get(("started", row["kind"]), ()))
    for row in response.context["certified"]:
        assert _drill(client, row["url"]) == set(ids[("certified", row["level"], row["kind"])]) and row["count"]
    counts = response.context["counts"]
    assert _drill(client, response.context["institutions_url"]) == set(ids.get("institutions", ()))
    assert counts.institutions == len(ids.get("institutions", ()))
    if role == "leader":
        assert ids == period_record_ids(zone=tw.zone, period=period)
        assert response.context["paragraphs"][0] == (
            "今年以来，实施智能化改造项目2个、绿色化改造项目1个，新建先进级智能工厂1个，市级数字化车间1个、数字化生产线1条，"
            "2家企业新设立研发机构。")
        html = response.content.decode()
        assert "检测效率提高12.14%，产品不良率下降44.54%，运营成本降低18.27%。" in html


@pytest.mark.parametrize("period", ["2024-13", "abc", "1999", "2024-06-01"])
def test_counts_page_bad_period_falls_back_with_a_message(login, period):
    response = login("leader").get(reverse("transformation:counts"), {"period": period})
    assert response.status_code == 200
    error = response.context["error"]
    assert period in error and any(word in error for word in ("无法识别", "年份", "月份"))
    assert response.context["period"] == default_period()
    assert "下面显示默认期间" in response.content.decode()


def test_counts_page_quarter_and_empty_period(login):
    client = login("leader")
    response = client.get(reverse("transformation:counts"), {"period": "2024Q1"})
    assert response.context["period"] == Period(2024, 3)
    assert {r["kind"]: r["count"] for r in response.context["started"]} == {"智能化改造": 1, "数字化改造": 0,
                                                                             "绿色化改造": 1}
    response = client.get(reverse("transformation:counts"), {"period": "2020"})
    assert response.context["paragraphs"] == () and "简报将略去" in response.content.decode()
