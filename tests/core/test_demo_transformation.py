"""The demo's 智改数转 plan carries the article's half-year counts and its showcase workshop, whatever the day."""

import datetime as dt
from decimal import Decimal

import pytest

from gaoxin.core.demo.transformation import SHOWCASE_NAME, plan_transformation
from gaoxin.projects.engine import Period
from gaoxin.transformation.engine import (
    InstitutionRow,
    ProjectRow,
    improvement_pct,
    period_counts,
    two_decimals,
)

FIRMS = [(f"91500107{n:08d}XX", "3973" if n % 5 == 0 else "3670") for n in range(400)]


def _plan(today):
    return plan_transformation(manufacturers=FIRMS, showcase_uscc=FIRMS[0][0], company_uscc="COMPANY", seed=2026,
                               today=today)


def _counts(plan, period: Period):
    ids = {u: i for i, (u, _c) in enumerate(FIRMS)} | {"COMPANY": -1}
    return period_counts([ProjectRow(p.kind, p.started_on, p.level, p.certified_on) for p in plan.projects],
                         [InstitutionRow(ids[i["uscc"]], i["recognized_on"]) for i in plan.institutions],
                         start=period.start, end=period.end)


@pytest.mark.parametrize("today", [dt.date(2024, 7, 3), dt.date(2025, 1, 15), dt.date(2026, 11, 29)])
def test_the_first_half_of_2024_has_the_article_counts(today):
    counts = _counts(_plan(today), Period(2024, 6))
    assert counts.started == {"智能化改造": 26}
    assert counts.certified == {("市级", "智能工厂"): 2, ("市级", "数字化车间"): 5, ("市级", "数字化生产线"): 84}
    assert (counts.institution_enterprises, counts.institutions) == (11, 12)


def test_nothing_is_dated_after_last_month_and_names_are_unique_per_firm():
    today = dt.date(2026, 11, 29)
    plan = _plan(today)
    last = dt.date(2026, 10, 31)
    assert max(p.certified_on or p.started_on for p in plan.projects) <= last
    assert all(p.completed_on is None or p.completed_on <= last for p in plan.projects)
    keys = [(p.uscc, p.name) for p in plan.projects]
    assert len(keys) == len(set(keys))
    institutions = [(i["uscc"], i["name"]) for i in plan.institutions]
    assert len(institutions) == len(set(institutions))


def test_the_showcase_workshop_gives_the_articles_improvements():
    plan = _plan(dt.date(2026, 11, 29))
    (workshop,) = [p for p in plan.projects if p.featured]
    assert (workshop.name, workshop.kind, workshop.level) == (SHOWCASE_NAME, "数字化车间", "市级")
    assert Period(2024, 6).contains(workshop.certified_on)
    changes = {m["label"]: two_decimals(improvement_pct(m["before_value"], m["after_value"]))
               for m in plan.measurements}
    assert {k: str(v) for k, v in changes.items()} == {"检测效率": "12.14", "产品不良率": "-44.54", "运营成本": "-18.27"}


def test_the_plan_is_deterministic():
    today = dt.date(2026, 11, 29)
    assert _plan(today) == _plan(today)


@pytest.mark.django_db
def test_the_built_demo_states_the_article_and_finishes_the_2024_policy_cycle(tmp_path):
    import io

    from django.core.management import call_command
    from django.test import Client

    from gaoxin.accounts.models import User, Zone
    from gaoxin.policies.models import Application, Award, MatchRun, Publicity
    from gaoxin.policies.selectors.budget import budget_for_policy

    call_command("demo", "--no-serve", stdout=io.StringIO())
    zone = Zone.objects.get(code="demo")
    out = tmp_path / "bulletin.md"
    call_command("bulletin", "--zone", "demo", "--period", "2024-06", "--format", "md", "--output", str(out),
                 stdout=io.StringIO())
    text = out.read_text(encoding="utf-8")
    assert ("今年以来，实施智能化改造项目26个，新建市级智能工厂2个、数字化车间5个、数字化生产线84条，11家企业新设立研发机构。"
            in text)
    assert f"{SHOWCASE_NAME}检测效率提高12.14%，产品不良率下降44.54%，运营成本降低18.27%。" in text

    # the 2024 cycle is archived with its publicity; the 2025 cycle waits for the demo firm's confirmation
    runs = {r.year: r for r in MatchRun.objects.filter(policy__zone=zone)}
    assert {r.status for r in runs.values()} == {"已推送"}
    statuses_2024 = set(Award.objects.filter(year=2024).values_list("status", flat=True))
    assert statuses_2024 == {"已归档", "已放弃", "未通过"}
    publicity = Publicity.objects.get(policy__zone=zone)
    assert publicity.status == "已归档" and publicity.awards.count() == Award.objects.filter(year=2024,
                                                                                           status="已归档").count()
    qiye = User.objects.get(username="qiye")
    assert Award.objects.get(enterprise=qiye.enterprise, year=2025).status == "已推送"
    assert Application.objects.get(enterprise=qiye.enterprise, year=2025).status == "已提交"
    policy = publicity.policy
    budget = budget_for_policy(policy=policy)
    assert budget.paid_wan > 0 and budget.remaining_wan > 0
    # every award's amount is the run's engine output for its frozen facts (traceable), none paid twice
    award = Award.objects.filter(year=2024, clause__code="smart_retrofit", status="已归档").first()
    equipment = award.facts["smart_retrofit_equipment_wan"]
    assert award.raw_wan == min((Decimal(equipment) / 10).quantize(Decimal("0.01")), Decimal(500))

    client = Client()
    assert client.login(username="qiye", password="Company#2026gx")
    page = client.get("/policies/mine/").content.decode()
    assert "新认定市级数字化车间奖励" in page and "确认领取" in page
