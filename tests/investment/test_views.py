"""招商引资 pages per role: scope (404), read-only leaders, 403 for enterprise users, writes through services."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from gaoxin.investment.models import FundTranche, Lead, LeadFollowUp, LeadStage, Signing
from gaoxin.projects.models import Project

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def login(client, inv):
    def as_role(role):
        client.force_login(inv.users[role])
        return client

    return as_role


def lead_form(**overrides):
    data = {"name": "集成电路封测项目", "investor": "某半导体公司", "investor_region": "上海", "channel": "驻外招商",
            "source": "展会", "industry": "集成电路", "expected_investment_wan": "120000", "content": "",
            "contact": "", "owner": "", "received_on": "2025-02-01", "message": ""}
    data.update(overrides)
    return data


LIST_URLS = ["investment:lead_list", "investment:signing_list", "investment:fund_list"]


@pytest.mark.parametrize("name", LIST_URLS)
@pytest.mark.parametrize("role,status", [("enterprise", 403), ("system_admin", 403), ("leader", 200),
                                         ("staff_b", 200)])
def test_list_access(login, name, role, status):
    assert login(role).get(reverse(name)).status_code == status


def test_lists_are_scoped(inv, login):
    staff = login("staff_b")
    leads = staff.get(reverse("investment:lead_list")).context["page_obj"].object_list
    assert {lead.pk for lead in leads} == {inv.lead_b.pk}
    signings = [s for s, _rate in staff.get(reverse("investment:signing_list")).context["rows"]]
    assert {s.pk for s in signings} == {inv.s1.pk}
    leader = login("leader")
    signings = [s for s, _rate in leader.get(reverse("investment:signing_list")).context["rows"]]
    assert {s.pk for s in signings} == {inv.s1.pk, inv.s2.pk}
    assert leader.get(reverse("investment:lead_list")).context["can_add"] is False


def test_signing_list_drill_down_filters_and_totals(inv, login):
    response = login("leader").get(reverse("investment:signing_list"), {
        "date_after": "2025-01-01", "date_before": "2025-03-31", "size": "50亿级", "channel": "专班招商"})
    assert [s.pk for s, _r in response.context["rows"]] == [inv.s1.pk]
    assert response.context["total"] == {"count": 1, "total_wan": Decimal("500000.00")}
    html = response.content.decode()
    assert "500000.00" in html and "0.6%" in html  # 3000.50 / 500000
    response = login("leader").get(reverse("investment:signing_list"), {"size": "10亿级"})
    assert response.context["total"]["count"] == 0
    response = login("leader").get(reverse("investment:signing_list"), {"size": "亿元级"})
    assert [s.pk for s, _r in response.context["rows"]] == [inv.s2.pk]


def test_fund_list_total(inv, login):
    response = login("leader").get(reverse("investment:fund_list"), {"date_after": "2025-05-01",
                                                                     "date_before": "2025-06-30"})
    assert response.context["total"] == {"count": 2, "total_wan": Decimal("2300.50")}
    response = login("staff_b").get(reverse("investment:fund_list"), {"code": "P1"})
    assert response.context["total"] == {"count": 2, "total_wan": Decimal("3000.50")}


@pytest.mark.parametrize("params", [
    {"date_after": "2025-99-01"}, {"size": "巨无霸"}, {"sort": "nonsense"}, {"page": "x"}, {"channel": "???"},
    {"owner": "abc"}, {"stage": "x", "received_after": "yesterday"},
])
@pytest.mark.parametrize("name", LIST_URLS)
def test_bad_params_never_500(login, name, params):
    assert login("leader").get(reverse(name), params).status_code == 200


def test_details_follow_scope(inv, login):
    staff_a = login("staff_a")
    assert staff_a.get(reverse("investment:lead_detail", args=[inv.lead_b.pk])).status_code == 404
    assert staff_a.get(reverse("investment:signing_detail", args=[inv.s1.pk])).status_code == 404
    assert staff_a.get(reverse("investment:lead_edit", args=[inv.lead_b.pk])).status_code == 404
    assert staff_a.get(reverse("investment:fund_edit", args=[inv.t1.pk])).status_code == 404
    assert staff_a.get(reverse("investment:signing_detail", args=[inv.so.pk])).status_code == 404
    leader = login("leader")
    response = leader.get(reverse("investment:signing_detail", args=[inv.s1.pk]))
    assert response.status_code == 200
    assert response.context["rate"] == Decimal("0.6") and response.context["can_edit"] is False
    assert inv.p1.get_absolute_url() in response.content.decode()
    assert leader.get(reverse("investment:lead_detail", args=[inv.lead_b.pk])).status_code == 200
    assert leader.get(reverse("investment:lead_edit", args=[inv.lead_b.pk])).status_code == 403
    assert leader.post(reverse("investment:lead_advance", args=[inv.lead_b.pk])).status_code == 403
    assert leader.get(reverse("investment:fund_add")).status_code == 403


def test_add_and_edit_lead(inv, login):
    staff = login("staff_b")
    assert staff.get(reverse("investment:lead_add")).status_code == 200
    response = staff.post(reverse("investment:lead_add"), lead_form(owner=inv.users["staff_b"].pk))
    lead = Lead.objects.get(name="集成电路封测项目")
    assert response.status_code == 302 and response.url == lead.get_absolute_url()
    assert (lead.department, lead.stage, lead.owner) == (inv.dept_b, LeadStage.LEAD, inv.users["staff_b"])
    response = staff.post(reverse("investment:lead_add"), lead_form(industry="房地产", name="坏"))
    assert response.status_code == 200 and "industry" in response.context["form"].errors
    response = staff.post(reverse("investment:lead_edit", args=[lead.pk]), lead_form(name="改名项目"))
    lead.refresh_from_db()
    assert response.status_code == 302 and lead.name == "改名项目"


def test_follow_up_over_htmx(inv, login):
    staff = login("staff_b")
    url = reverse("investment:lead_follow_up", args=[inv.lead_b.pk])
    response = staff.post(url, {"date": "2025-02-03", "method": "外出拜访", "content": "拜访投资方总部", "next_step": ""},
                          **HTMX)
    assert response.status_code == 200
    assert "拜访投资方总部" in response.content.decode()
    assert LeadFollowUp.objects.filter(lead=inv.lead_b).count() == 1
    response = staff.post(url, {"date": "", "method": "外出拜访", "content": ""}, **HTMX)
    assert response.status_code == 200 and response.context["follow_up_form"].errors
    assert LeadFollowUp.objects.filter(lead=inv.lead_b).count() == 1
    assert staff.get(url).status_code == 405


def test_sign_drop_reopen_pages(inv, login):
    staff = login("staff_b")
    lead = inv.lead_b
    assert staff.get(reverse("investment:lead_sign", args=[lead.pk])).status_code == 200
    response = staff.post(reverse("investment:lead_sign", args=[lead.pk]), {
        "code": "P1", "name": "", "date": "2025-03-01", "contract_investment_wan": "10000",
        "total_investment_wan": "", "channel": "专班招商", "industry": "", "enterprise": "", "message": ""})
    assert response.status_code == 200
    assert "本园区已有项目编号“P1”" in response.content.decode()
    response = staff.post(reverse("investment:lead_sign", args=[lead.pk]), {
        "code": "QY-9", "name": "", "date": "2025-03-01", "contract_investment_wan": "10000",
        "total_investment_wan": "", "channel": "专班招商", "industry": "集成电路",
        "enterprise": inv.enterprises["b1"].pk, "message": ""})
    signing = Signing.objects.get(project__code="QY-9")
    assert response.status_code == 302 and response.url == signing.get_absolute_url()
    assert signing.project.enterprise == inv.enterprises["b1"]
    other = Lead.objects.create(zone=inv.zone, department=inv.dept_b, name="待终止", investor="x", channel="其他",
                                received_on=dt.date(2025, 1, 1))
    response = staff.post(reverse("investment:lead_drop", args=[other.pk]), {"reason": "", "message": ""})
    assert response.status_code == 200 and response.context["form"].errors
    staff.post(reverse("investment:lead_drop", args=[other.pk]), {"reason": "投资方放弃", "message": ""})
    other.refresh_from_db()
    assert other.stage == LeadStage.DROPPED
    staff.post(reverse("investment:lead_reopen", args=[other.pk]), {"stage": "洽谈"})
    other.refresh_from_db()
    assert other.stage == LeadStage.NEGOTIATING
    staff.post(reverse("investment:lead_advance", args=[other.pk]))  # not 线索: refused with a message
    other.refresh_from_db()
    assert other.stage == LeadStage.NEGOTIATING


def test_signing_add_edit_delete(inv, login):
    staff = login("staff_b")
    assert staff.get(reverse("investment:signing_add")).status_code == 200
    base = {"date": "2025-04-01", "contract_investment_wan": "3000", "channel": "其他", "industry": "",
            "investor": "", "message": "", "enterprise": ""}
    response = staff.post(reverse("investment:signing_add"), {**base, "project": "", "code": "", "name": ""})
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    response = staff.post(reverse("investment:signing_add"), {**base, "project": inv.p3.pk, "code": "", "name": ""})
    signing = Signing.objects.get(project=inv.p3)
    assert response.status_code == 302
    response = staff.post(reverse("investment:signing_add"), {**base, "project": "", "code": "NEW-7",
                                                               "name": "新签项目"})
    assert Project.objects.get(code="NEW-7").signing.contract_investment_wan == Decimal("3000")
    response = staff.post(reverse("investment:signing_edit", args=[signing.pk]),
                          {**base, "contract_investment_wan": "4000"})
    signing.refresh_from_db()
    assert response.status_code == 302 and signing.contract_investment_wan == Decimal("4000")
    assert staff.get(reverse("investment:signing_delete", args=[signing.pk])).status_code == 200
    response = staff.post(reverse("investment:signing_delete", args=[signing.pk]), {"message": "录错"})
    assert response.status_code == 302 and not Signing.objects.filter(pk=signing.pk).exists()
    assert Project.objects.filter(pk=inv.p3.pk).exists()


def test_fund_add_edit_delete(inv, login):
    staff = login("staff_b")
    assert staff.get(reverse("investment:fund_add"), {"project": inv.p1.pk}).status_code == 200
    response = staff.post(reverse("investment:fund_add"), {"project": inv.p1.pk, "date": "2025-04-01",
                                                            "amount_wan": "5", "note": "", "message": ""})
    assert response.status_code == 200 and "每天只记一笔" in response.content.decode()
    response = staff.post(reverse("investment:fund_add"), {"project": inv.p2.pk, "date": "2025-04-01",
                                                            "amount_wan": "5", "note": "", "message": ""})
    assert response.status_code == 200 and "project" in response.context["form"].errors  # out of scope
    response = staff.post(reverse("investment:fund_add"), {"project": inv.p1.pk, "date": "2025-04-02",
                                                            "amount_wan": "5", "note": "", "message": ""})
    assert response.status_code == 302
    tranche = FundTranche.objects.get(project=inv.p1, date=dt.date(2025, 4, 2))
    response = staff.post(reverse("investment:fund_edit", args=[tranche.pk]),
                          {"date": "2025-04-02", "amount_wan": "6", "note": "流动资金", "message": ""})
    tranche.refresh_from_db()
    assert response.status_code == 302 and tranche.amount_wan == Decimal("6")
    response = staff.post(reverse("investment:fund_delete", args=[tranche.pk]), {"message": ""})
    assert response.status_code == 302 and not FundTranche.objects.filter(pk=tranche.pk).exists()


@pytest.mark.parametrize("stage", [LeadStage.LEAD, LeadStage.NEGOTIATING, LeadStage.DROPPED])
def test_lead_detail_offers_the_actions_of_its_stage(inv, login, stage):
    lead = Lead.objects.create(zone=inv.zone, department=inv.dept_b, name="阶段线索", investor="x", channel="其他",
                               received_on=dt.date(2025, 1, 1), stage=stage,
                               drop_reason="放弃" if stage == LeadStage.DROPPED else "")
    html = login("staff_b").get(reverse("investment:lead_detail", args=[lead.pk])).content.decode()
    assert (reverse("investment:lead_advance", args=[lead.pk]) in html) == (stage == LeadStage.LEAD)
    assert (reverse("investment:lead_sign", args=[lead.pk]) in html) == (stage != LeadStage.DROPPED)
    assert (reverse("investment:lead_reopen", args=[lead.pk]) in html) == (stage == LeadStage.DROPPED)
    assert reverse("investment:lead_follow_up", args=[lead.pk]) in html


def test_signed_lead_links_its_signing(inv, login):
    from gaoxin.investment import services

    signing = services.lead_sign(user=inv.users["staff_b"], lead=inv.lead_b, data={
        "code": "QY-5", "date": dt.date(2025, 3, 1), "contract_investment_wan": Decimal("1000")})
    html = login("staff_b").get(reverse("investment:lead_detail", args=[inv.lead_b.pk])).content.decode()
    assert signing.get_absolute_url() in html
    html = login("staff_b").get(signing.get_absolute_url()).content.decode()
    assert inv.lead_b.get_absolute_url() in html


@pytest.mark.parametrize("kind", ["signings", "funds"])
def test_import_and_export_pages(inv, login, kind):
    staff = login("staff_b")
    assert staff.get(reverse("imports:upload", args=[kind])).status_code == 200
    assert staff.get(reverse("imports:template", args=[kind])).status_code == 200
    response = staff.get(reverse("imports:export", args=[kind]), {"date_after": "2025-01-01", "format": "csv"})
    assert response.status_code == 200
