"""The demo's project pipeline: plausible records from which `gaoxin stats --period 2024-06` gives the
article's figures (issue 5), computed by the same statistics as any zone's."""

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from gaoxin.core.demo.projects import plan_pipeline
from gaoxin.projects.engine import ProjectFact, SigningFact, TrancheFact, parse_period, period_statistics

ARTICLE = {
    "signed_projects": 47, "contract_investment_wan": 5140000, "funds_in_place_wan": 1900000,
    "projects_started": 41, "projects_commissioned": 30,
}


def assert_article_figures(data: dict) -> None:
    for key, value in ARTICLE.items():
        assert data[key] == value, key
    assert data["signed_by_size"]["50亿级"] == 5
    assert "百亿级" not in data["signed_by_size"]
    assert round(data["funds_in_place_growth_pct"], 1) == 41.5
    city = data["key_projects"]["市级"]
    assert city["count"] == 32 and round(city["completion_pct"], 1) == 118.2
    assert sum(data["signed_by_size"].values()) == 47
    assert sum(c["count"] for c in data["signed_by_channel"].values()) == 47


@pytest.mark.parametrize("today", [dt.date(2025, 2, 1), dt.date(2026, 11, 29), dt.date(2028, 1, 15)])
def test_the_plan_gives_the_figures_whatever_the_day_and_stays_plausible(today):
    plan = plan_pipeline(seed=2026, today=today)
    index = {p.code: i for i, p in enumerate(plan.projects)}
    stats = period_statistics(
        parse_period("2024-06"),
        signings=[SigningFact(index[p.code], p.signed_on, p.contract_wan, p.channel) for p in plan.projects
                  if p.signed_on],
        tranches=[TrancheFact(i, day, amount) for i, (_code, day, amount) in enumerate(plan.tranches)],
        projects=[ProjectFact(index[p.code], p.key_level, p.start, p.completion, p.commission, p.plans, p.reports)
                  for p in plan.projects])
    assert_article_figures(stats.as_contract())
    by_code = plan.by_code()
    funded: dict[str, Decimal] = {}
    for code, day, amount in plan.tranches:
        p = by_code[code]
        assert p.signed_on <= day <= plan.as_of and amount > 0
        funded[code] = funded.get(code, Decimal(0)) + amount
    for p in plan.projects:
        assert funded.get(p.code, 0) <= (p.contract_wan or 0), p.code  # never more money than contracted
        assert sum(p.reports.values(), Decimal(0)) <= p.total_wan, p.code
        assert all(v >= 0 for v in p.reports.values()) and all(v >= 0 for v in p.plans.values())
        for day in (p.land, p.start, p.completion, p.commission):
            assert day is None or day <= plan.as_of
        if p.completion or p.commission:
            assert p.start and p.start <= (p.completion or p.commission) and p.start <= (p.commission or p.start)
        if p.signed_on and p.start:
            assert p.start > p.signed_on
        if p.reports:
            first = min(p.reports)
            assert p.start and first >= (p.start.year, p.start.month)
    large = [p for p in plan.projects if p.signed_on and in_h1_2024(p.signed_on) and p.contract_wan >= 500_000]
    assert len(large) == 5 and all(p.total_wan >= p.contract_wan for p in large)
    assert len({p.name for p in plan.projects}) == len(plan.projects)


def in_h1_2024(day):
    return dt.date(2024, 1, 1) <= day <= dt.date(2024, 6, 30)


def test_the_plan_is_deterministic():
    a = plan_pipeline(seed=2026, today=dt.date(2026, 5, 3))
    b = plan_pipeline(seed=2026, today=dt.date(2026, 5, 3))
    assert [(p.code, p.name, p.contract_wan, p.start) for p in a.projects] == \
        [(p.code, p.name, p.contract_wan, p.start) for p in b.projects]
    assert a.tranches == b.tranches


@pytest.mark.django_db
def test_demo_stats_give_the_article_figures():
    from gaoxin.accounts.models import User, Zone
    from gaoxin.core.audit.models import ObjectChange
    from gaoxin.investment.models import Lead, LeadFollowUp, Signing
    from gaoxin.projects.models import (
        IssueStatus,
        Project,
        ProjectIssue,
        ProjectJournalEntry,
        ProjectParcel,
        ReportPeriod,
        TaskForce,
    )

    call_command("demo", "--no-serve", stdout=io.StringIO())
    out = io.StringIO()
    call_command("stats", "--zone", "demo", "--period", "2024-06", stdout=out)
    assert_article_figures(json.loads(out.getvalue()))

    zone = Zone.objects.get(code="demo")
    tzcj = User.objects.get(username="tzcj")
    assert set(Project.objects.filter(zone=zone).values_list("department__code", flat=True)) == {"tzcj"}
    assert {"线索", "洽谈", "签约", "终止"} <= set(Lead.objects.filter(zone=zone).values_list("stage", flat=True))
    assert LeadFollowUp.objects.filter(zone=zone).count() > 40
    assert Signing.objects.filter(zone=zone, lead__isnull=False).exists()  # 签约即入库 from a lead
    assert ProjectParcel.objects.filter(zone=zone).count() > 10
    force = TaskForce.objects.get(zone=zone, name="科产项目建设护航专班")
    assert force.leader.username == "leader"
    assert {"jsj", "tzcj"} <= set(force.member_departments.values_list("code", flat=True))
    assert Project.objects.filter(zone=zone, task_force__isnull=False).count() >= 20
    assert ProjectJournalEntry.objects.filter(zone=zone).count() > 40
    statuses = set(ProjectIssue.objects.filter(zone=zone).values_list("status", flat=True))
    assert {IssueStatus.OPEN, IssueStatus.IN_PROGRESS, IssueStatus.CLOSED} <= statuses
    today = dt.date.today()
    assert ProjectIssue.objects.filter(zone=zone, status__in=("待办", "办理中"), deadline__lt=today).exists()
    assert ReportPeriod.objects.filter(zone=zone, department=tzcj.department, is_closed=True).exists()
    qiye = User.objects.get(username="qiye")
    assert Project.objects.visible_to(qiye).count() == 1
    assert ObjectChange.objects.filter(zone=zone, content_type__model="signing").count() >= 300
