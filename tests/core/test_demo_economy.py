"""The demo's economic figures: the article's 2024-06 growth rates (official, imported), smooth plausible
paths, a revision, the city's figures, targets, and a second zone the `city` login compares with."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from gaoxin.core.demo.economy import SECOND_CODE, plan_economy
from gaoxin.projects.engine import Period

D = Decimal
ARTICLE = {"gdp": D("8.2"), "industrial_value_added": D("8.6"), "fixed_asset_investment": D("12.2"),
           "industrial_investment": D("32.9")}
DAYS = [dt.date(2024, 7, 1), dt.date(2026, 11, 29), dt.date(2028, 1, 15)]


def _by_key(rows):
    return {(r["code"], r["year"], r["month"]): r for r in rows}


@pytest.mark.parametrize("today", DAYS)
def test_the_plan_carries_the_article_figures_whatever_the_day(today):
    plan = plan_economy(today=today)
    zone = _by_key(plan.rows[("demo", "本区")])
    for code, growth in ARTICLE.items():
        assert zone[(code, 2024, 6)]["growth_pct"] == growth, code
    last = today.replace(day=1) - dt.timedelta(days=1)
    months = {(r["year"], r["month"]) for r in plan.rows[("demo", "本区")] if r["code"] == "retail_sales"}
    assert min(months) == (2023, 1) and max(months) == (last.year, last.month)
    assert len(months) == (last.year - 2023) * 12 + last.month
    # GDP is quarterly: quarter ends only
    assert {r["month"] for r in plan.rows[("demo", "本区")] if r["code"] == "gdp"} <= {3, 6, 9, 12}
    # the same indicators and periods for the city and for the second zone
    for key in (("demo", "全市"), (SECOND_CODE, "本区")):
        assert set(_by_key(plan.rows[key])) == set(zone)


@pytest.mark.parametrize("today", DAYS)
def test_the_paths_are_plausible_and_smooth(today):
    plan = plan_economy(today=today)
    for key, rows in plan.rows.items():
        by = _by_key(rows)
        for (code, year, month), row in by.items():
            assert row["value"] > 0 and -20 < row["growth_pct"] < 40, (key, code, year, month)
            earlier = by.get((code, year, month - 1)) or by.get((code, year, month - 3))
            if earlier is not None:
                assert row["value"] > earlier["value"]  # cumulative levels grow through the year
                if code != "gdp":
                    assert abs(row["growth_pct"] - earlier["growth_pct"]) <= D("2.5"), (key, code, year, month)
    zone = _by_key(plan.rows[("demo", "本区")])
    assert D(300) <= zone[("gdp", 2024, 6)]["value"] <= D(450)  # H1 GDP of a zone this size, 亿元
    city = _by_key(plan.rows[("demo", "全市")])
    assert all(D(4) <= r["growth_pct"] <= D("6.5") for (c, _y, _m), r in city.items() if c == "gdp")


def test_published_growth_is_not_the_ratio_of_published_levels():
    zone = _by_key(plan_economy(today=dt.date(2026, 11, 29)).rows[("demo", "本区")])
    now, before = zone[("gdp", 2024, 6)], zone[("gdp", 2023, 6)]
    ratio = (now["value"] / before["value"] - 1) * 100
    assert abs(ratio - now["growth_pct"]) >= D("0.5")  # real growth vs current-price levels (economy.md §0)


def test_the_plan_is_deterministic_and_needs_the_article_period():
    day = dt.date(2026, 5, 3)
    assert plan_economy(today=day) == plan_economy(today=day)
    assert plan_economy(today=day) != plan_economy(seed=7, today=day)
    with pytest.raises(ValueError):
        plan_economy(today=dt.date(2024, 6, 30))


@pytest.mark.django_db
def test_the_built_demo_has_the_figures_a_revision_and_a_roll_up_for_the_city_user():
    from django.test import Client

    from gaoxin.accounts.models import User, Zone
    from gaoxin.economy.models import Observation, Target
    from gaoxin.economy.selectors.dashboard import readable_zones, zone_comparison

    call_command("demo", "--no-serve", stdout=io.StringIO())
    zone, second = Zone.objects.get(code="demo"), Zone.objects.get(code=SECOND_CODE)
    assert second.name == "示范经开区"
    current = Observation.objects.filter(zone=zone, region="本区", year=2024, month=6, is_current=True)
    growth = dict(current.values_list("indicator__code", "growth_pct"))
    for code, value in ARTICLE.items():
        assert growth[code] == value, code
    assert set(current.values_list("department__code", flat=True)) == {"gfj"}
    assert Observation.objects.filter(zone=zone, region="全市", year=2024, month=6, is_current=True).count() == 9

    # GDP 一季度 2024: 初步 7.6 superseded by 修订 7.9 with a different level; both kept
    history = list(Observation.objects.filter(zone=zone, indicator__code="gdp", region="本区", year=2024, month=3)
                   .order_by("revision"))
    assert [(o.revision, o.status, o.growth_pct, o.is_current) for o in history] == [
        (1, "初步", D("7.6"), False), (2, "修订", D("7.9"), True)]
    assert history[0].value != history[1].value

    targets = set(Target.objects.filter(zone=zone).values_list("indicator__code", "year", "growth_pct"))
    assert {("gdp", 2024, D(7)), ("industrial_value_added", 2025, D(8)), ("fixed_asset_investment", 2024, D(10))} \
        <= targets

    city, leader = User.objects.get(username="city"), User.objects.get(username="leader")
    assert readable_zones(leader) == [zone]
    assert readable_zones(city) == [zone, second]
    panels = {p.code: p for p in zone_comparison(user=city, period=Period(2024, 6), zone=zone)}
    assert [(r.rank, r.zone.code, r.growth) for r in panels["gdp"].rows] == [(1, "demo", "8.2%"), (2, "demo2", "6.5%")]
    assert [r.zone.code for r in panels["industrial_value_added"].rows] == ["demo2", "demo"]  # 9.3 % > 8.6 %

    client = Client()
    assert client.login(username="city", password="Shiji#2026gx")
    html = client.get("/economy/?period=2024-06").content.decode()
    assert 'id="rollup"' in html and "示范经开区" in html
    assert client.get(f"/economy/?zone={SECOND_CODE}&period=2024-06").status_code == 200
    client.login(username="leader", password="Lingdao#2026gx")
    assert client.get(f"/economy/?zone={SECOND_CODE}").status_code == 404
    html = client.get("/economy/").content.decode()
    assert 'id="rollup"' not in html and "示范经开区" not in html
