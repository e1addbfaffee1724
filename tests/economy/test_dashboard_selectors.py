"""The dashboard's selectors: default period, tiles' figures and links, growth lines, targets, signings by
industry, and the roll-up's ranking and scope. `build_economy_world` is shared with the view and browser tests."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from gaoxin.accounts.models import Zone
from gaoxin.economy.models import Indicator
from gaoxin.economy.selectors import dashboard as selectors
from gaoxin.economy.services.catalog import indicator_catalog_install
from gaoxin.economy.services.observations import observation_record, observations_upsert
from gaoxin.economy.services.targets import target_save
from gaoxin.projects.engine import Period
from tests.factories import make_user
from tests.projects.conftest import make_project_world
from tests.projects.statistics_data import build_statistics_world

D = Decimal

# (code, month) → (value in 亿元, growth %) of the world's zone in 2024, as published; 2023 figures below.
ZONE_2024 = {
    ("gdp", 3): ("150.2", "7.9"), ("gdp", 6): ("320.5", "8.2"),
    ("industrial_value_added", 4): ("40.1", "8.0"), ("industrial_value_added", 5): ("51.3", "8.3"),
    ("industrial_value_added", 3): ("30.0", "7.5"), ("industrial_value_added", 6): ("62.0", "8.6"),
    ("fixed_asset_investment", 3): ("60.0", "11.0"), ("fixed_asset_investment", 6): ("130.8", "12.2"),
    ("industrial_investment", 3): ("25.0", "35.0"), ("industrial_investment", 6): ("55.4", "32.9"),
    ("retail_sales", 6): ("0.85", "-2.5"),  # 8500万元: shown in 万元
}
ZONE_2023 = {("gdp", 6): ("296.0", "6.1"), ("industrial_value_added", 6): ("57.0", "5.0")}
CITY_2024 = {("gdp", 6): ("15000", "5.3"), ("industrial_value_added", 6): ("4000", "6.0")}
OTHER_2024 = {("gdp", 6): ("88.0", "9.0"), ("industrial_value_added", 6): ("20.0", "8.6"),
              ("fixed_asset_investment", 9): ("50.0", "3.0")}


def _rows(zone, figures: dict, year: int, status: str = "初步") -> list[dict]:
    ids = dict(Indicator.objects.filter(zone=zone).values_list("code", "pk"))
    return [{"indicator_id": ids[code], "year": year, "month": month, "value": D(value), "growth_pct": D(growth),
             "source": "区统计局", "status": status} for (code, month), (value, growth) in figures.items()]


def build_economy_world(world, *, projects: bool = True) -> dict:
    """Catalogs of both zones, the figures above (dept_a keeps them), one revision (GDP 2024-03: 初步 7.5 →
    修订 7.9), targets for 2024 (GDP +7 %, 固投 +10 %, 签约项目 100个) and, with `projects`, the projects
    statistics' hand-made signings (three in 2024 H1 for the leader, two of them dept_a's)."""
    zone, other = world.zone, world.other_zone
    indicator_catalog_install(zone=zone)
    indicator_catalog_install(zone=other)
    dept_other = other.departments.get(code="jxj")
    ind = {i.code: i for i in Indicator.objects.filter(zone=zone)}
    observation_record(user=None, indicator=ind["gdp"], region="本区", year=2024, month=3, value=D("149"),
                       growth_pct=D("7.5"), source="区统计局", status="初步", zone=zone, department=world.dept_a)
    observations_upsert(zone=zone, department=world.dept_a, rows=_rows(zone, ZONE_2024, 2024), region="本区")
    observations_upsert(zone=zone, department=world.dept_a, rows=_rows(zone, ZONE_2023, 2023, "最终"),
                        region="本区")
    observations_upsert(zone=zone, department=world.dept_a, rows=_rows(zone, CITY_2024, 2024), region="全市")
    observations_upsert(zone=other, department=dept_other, rows=_rows(other, OTHER_2024, 2024), region="本区")
    for code, growth, value in (("gdp", "7", None), ("fixed_asset_investment", "10", None),
                                ("signed_projects", None, "100")):
        target_save(user=None, indicator=ind[code], year=2024, growth_pct=D(growth) if growth else None,
                    value=D(value) if value else None, zone=zone, department=world.dept_a)
    made = {"indicators": ind}
    if projects:
        made.update(build_statistics_world(make_project_world(world)))
    return made


@pytest.fixture
def economy(world):
    world.economy = build_economy_world(world)
    return world


def city_user(world, *extra: Zone):
    from gaoxin.core.permissions import Role

    user = make_user("city", zone=world.zone, role=Role.ZONE_LEADER)
    user.extra_zones.set(extra or [world.other_zone])
    return user


H1 = Period(2024, 6)


def _tiles(board) -> dict:
    return {t.id: t for t in board.tiles}


def test_default_period_is_the_latest_month_with_zone_figures(economy):
    assert selectors.default_period(zone=economy.zone) == H1
    # the other zone has a later figure (2024-09): it does not move this zone's default
    assert selectors.default_period(zone=economy.other_zone) == Period(2024, 9)


def test_default_period_without_figures_is_last_month(world):
    assert selectors.default_period(zone=world.zone, today=dt.date(2025, 1, 15)) == Period(2024, 12)
    assert selectors.default_period(zone=world.zone, today=dt.date(2025, 3, 1)) == Period(2025, 2)


def test_city_figures_do_not_count_for_the_default_period(world):
    build_economy_world(world, projects=False)
    ind = Indicator.objects.get(zone=world.zone, code="gdp")
    observation_record(user=None, indicator=ind, region="全市", year=2024, month=9, value=D("22000"),
                       growth_pct=D("5.6"), source="市统计局", status="初步", zone=world.zone,
                       department=world.dept_a)
    assert selectors.default_period(zone=world.zone) == H1


def test_official_tiles_show_the_published_figures_with_change_city_status_and_link(economy):
    board = selectors.economy_dashboard(user=economy.users["leader"], zone=economy.zone, period=H1)
    tiles = _tiles(board)
    ind = economy.economy["indicators"]
    # headline tiles in catalog order: GDP, 规上, 固投, 工业投资 (official), 签约项目, 到位资金 (computed)
    assert [t.id for t in board.tiles] == ["tile-gdp", "tile-industrial_value_added", "tile-fixed_asset_investment",
                                           "tile-industrial_investment", "tile-signed_projects",
                                           "tile-funds_in_place"]
    gdp = tiles["tile-gdp"]
    assert (gdp.value, gdp.growth, gdp.change, gdp.city, gdp.status) == (
        "320.5亿元", "增长8.2%", "增速较一季度提高0.3个百分点", "高于全市2.9个百分点", "初步")
    assert gdp.url == reverse("economy:indicator_detail", args=[ind["gdp"].pk])
    assert gdp.period_label == "上半年"
    iva = tiles["tile-industrial_value_added"]
    assert (iva.value, iva.growth, iva.change, iva.city) == (
        "62亿元", "增长8.6%", "增速较一季度提高1.1个百分点", "高于全市2.6个百分点")
    assert tiles["tile-industrial_investment"].change == "增速较一季度回落2.1个百分点"
    assert tiles["tile-fixed_asset_investment"].city == ""  # no city figure: no phrase


def test_quarterly_indicator_shows_the_latest_quarter_and_monthly_compares_with_the_previous_month(economy):
    board = selectors.economy_dashboard(user=economy.users["leader"], zone=economy.zone, period=Period(2024, 5))
    tiles = _tiles(board)
    assert (tiles["tile-gdp"].value, tiles["tile-gdp"].period_label, tiles["tile-gdp"].change) == (
        "150.2亿元", "一季度", "")  # the revised figure, and nothing earlier in the year to compare with
    assert tiles["tile-gdp"].status == "初步"
    assert tiles["tile-industrial_value_added"].change == "增速较1—4月提高0.3个百分点"
    empty = _tiles(selectors.economy_dashboard(user=economy.users["leader"], zone=economy.zone,
                                               period=Period(2024, 2)))["tile-gdp"]
    assert (empty.value, empty.growth, empty.period_label) == ("—", "", "")


def test_computed_tiles_come_from_the_projects_statistics_and_link_to_their_records(economy):
    leader = _tiles(selectors.economy_dashboard(user=economy.users["leader"], zone=economy.zone, period=H1))
    signed = leader["tile-signed_projects"]
    assert signed.value == "3个"
    assert signed.url == reverse("projects:statistics_records") + "?period=2024-06&figure=signed"
    funds = leader["tile-funds_in_place"]
    # 100 + 41.50 + 58.50 = 200万元 against 80 + 20 = 100万元 a year before
    assert (funds.value, funds.growth) == ("200万元", "增长1倍")
    assert funds.url.endswith("figure=funds")
    # a staff member's computed figures are their department's records (dept_a: s1 and s2)
    staff = _tiles(selectors.economy_dashboard(user=economy.users["staff_a"], zone=economy.zone, period=H1))
    assert staff["tile-signed_projects"].value == "2个"
    # …while the official figures are the zone's, whoever keeps them
    staff_b = _tiles(selectors.economy_dashboard(user=economy.users["staff_b"], zone=economy.zone, period=H1))
    assert staff_b["tile-gdp"].value == "320.5亿元"
    assert staff_b["tile-signed_projects"].value == "1个"


def test_key_project_completion_tile(economy):
    Indicator.objects.filter(zone=economy.zone, code="city_key_completion").update(is_headline=True)
    # 市级 2024: a1 6000 of 12000, b1 7501.50 of 30000 → 13501.5 / 42000 = 32.1 %, 17.9 points behind 50 %
    tile = _tiles(selectors.economy_dashboard(user=economy.users["leader"], zone=economy.zone,
                                              period=H1))["tile-city_key_completion"]
    assert (tile.value, tile.change, tile.note) == ("32.1%", "慢于时序进度17.9个百分点", "2个项目")
    assert tile.url == reverse("projects:statistics_records") + "?period=2024-06&figure=key%3A%E5%B8%82%E7%BA%A7"
    staff = _tiles(selectors.economy_dashboard(user=economy.users["staff_a"], zone=economy.zone,
                                               period=H1))["tile-city_key_completion"]
    assert (staff.value, staff.change) == ("50.0%", "与时序进度持平")  # dept_a's a1 only


def test_growth_lines_have_this_and_last_year_with_quarterly_points(economy):
    board = selectors.economy_dashboard(user=economy.users["leader"], zone=economy.zone, period=H1)
    series = {s["name"]: s for s in board.charts["growth"]["series"]}
    gdp = series["地区生产总值（2024年）"]
    assert gdp["data"] == [None, None, 7.9, None, None, 8.2] + [None] * 6
    assert not gdp["dashed"] and gdp["headline"]
    assert series["地区生产总值（2023年）"]["dashed"]
    assert series["社会消费品零售总额（2024年）"]["data"][5] == -2.5
    assert "规上工业总产值（2024年）" not in series  # no figure at all: no line
    assert board.charts["growth"]["categories"][:3] == ["1月", "1—2月", "1—3月"]
    row = next(r for r in board.growth_rows if r.label == "规上工业增加值（2024年）")
    assert row.cells[2:6] == ["7.5%", "8.0%", "8.3%", "8.6%"] and row.cells[0] == ""


def test_target_progress_against_growth_and_level_targets(economy):
    board = selectors.economy_dashboard(user=economy.users["leader"], zone=economy.zone, period=H1)
    rows = {t.name: t for t in board.targets}
    gdp = rows["地区生产总值"]
    assert (gdp.target_growth, gdp.current_growth, gdp.gap, gdp.behind) == ("7.0%", "8.2%", "+1.2", False)
    signed = rows["签约项目"]
    assert (signed.target_value, signed.current_value, signed.completion, signed.time_progress) == (
        "100个", "3个", "3.0%", "50.0%")
    chart = board.charts["targets"]
    assert chart["categories"] == ["地区生产总值", "固定资产投资"]
    assert chart["target"] == [7.0, 10.0] and chart["current"] == [8.2, 12.2]


def test_key_projects_and_channels_link_to_the_statistics_records(economy):
    board = selectors.economy_dashboard(user=economy.users["leader"], zone=economy.zone, period=H1)
    city = board.key_projects[0]
    assert city.level == "市级" and city.url.endswith("figure=key%3A%E5%B8%82%E7%BA%A7")
    assert city.time_progress == "50.0%"
    names = [c.name for c in board.channels]
    assert names == ["专班招商", "驻外招商", "基金招商"]  # by contract investment, largest first
    assert board.channels[0].amount == "50亿元" and board.channels[0].url.endswith("figure=channel%3A%E4%B8%93%E7%8F%AD%E6%8B%9B%E5%95%86")
    assert board.charts["channels"]["values"] == [50.0, 50.0, 2.0]


def test_signings_by_industry_scope_and_period(economy):
    made = economy.economy
    # the projects' industries: s1/s2 (dept_a) and s5 (dept_b) are 新型智能终端 (make_project's default)
    made["s5"].industry = "生物医药"
    made["s5"].save()
    by_zone = selectors.signings_by_industry(zone=economy.zone, period=H1)
    assert list(by_zone) == ["新型智能终端", "生物医药"]
    assert by_zone["新型智能终端"] == {"count": 2, "contract_investment_wan": D("999999.99")}
    assert selectors.signings_by_industry(user=economy.users["staff_b"], period=H1) == {
        "生物医药": {"count": 1, "contract_investment_wan": D("20000.00")}}
    assert selectors.signings_by_industry(user=economy.users["other_staff"], period=H1) == {}
    # 1 Jan and 30 Jun are inside, 31 Dec 2023 and 1 Jul 2024 outside
    assert selectors.signings_by_industry(zone=economy.zone, period=Period(2024, 12))["新型智能终端"]["count"] == 3
    with pytest.raises(ValueError):
        selectors.signings_by_industry(period=H1)
    # blank and padded names group with their kin; groups with more signings come first
    made["s2"].industry = " 新型智能终端 "
    made["s2"].save()
    made["s1"].industry = ""
    made["s1"].save()
    assert selectors.signings_by_industry(zone=economy.zone, period=H1) == {
        "": {"count": 1, "contract_investment_wan": D("500000.00")},
        "新型智能终端": {"count": 1, "contract_investment_wan": D("499999.99")},
        "生物医药": {"count": 1, "contract_investment_wan": D("20000.00")}}
    made["s1"].industry = "新型智能终端"
    made["s1"].save()
    board = selectors.economy_dashboard(user=economy.users["leader"], zone=economy.zone, period=H1)
    assert [r.name for r in board.industries] == ["新型智能终端", "生物医药"]
    assert "industry=%E7%94%9F%E7%89%A9%E5%8C%BB%E8%8D%AF" in board.industries[1].url
    assert "date_after=2024-01-01" in board.industries[1].url


def test_zones_a_user_may_read(economy):
    leader, staff = economy.users["leader"], economy.users["staff_a"]
    assert selectors.readable_zones(leader) == [economy.zone]
    assert selectors.dashboard_zone(leader, "t2") is None
    assert selectors.dashboard_zone(leader, "") == economy.zone
    staff.extra_zones.set([economy.other_zone])  # staff scope never leaves their zone
    assert selectors.readable_zones(staff) == [economy.zone]
    assert selectors.readable_zones(economy.users["enterprise"]) == []
    assert selectors.readable_zones(economy.users["system_admin"]) == []
    city = city_user(economy)
    assert selectors.readable_zones(city) == [economy.zone, economy.other_zone]
    assert selectors.dashboard_zone(city, "t2") == economy.other_zone
    with pytest.raises(PermissionError):
        selectors.economy_dashboard(user=leader, zone=economy.other_zone, period=H1)


def test_single_zone_users_get_no_roll_up(economy):
    board = selectors.economy_dashboard(user=economy.users["leader"], zone=economy.zone, period=H1)
    assert board.comparison == []


def test_roll_up_ranks_the_readable_zones_by_growth(economy):
    third = Zone.objects.create(code="t3", name="第三园区")
    indicator_catalog_install(zone=third)
    dept = third.departments.create(code="jxj", name="经信局")
    observations_upsert(zone=third, department=dept, rows=_rows(third, {("gdp", 6): ("10", "20.0")}, 2024),
                        region="本区")
    city = city_user(economy)  # reads t1 and t2, not t3
    board = selectors.economy_dashboard(user=city, zone=economy.zone, period=H1)
    panels = {p.code: p for p in board.comparison}
    assert list(panels) == ["gdp", "industrial_value_added", "fixed_asset_investment", "industrial_investment"]
    gdp = panels["gdp"]
    assert [(r.rank, r.zone.code, r.growth, r.value) for r in gdp.rows] == [
        (1, "t2", "9.0%", "88亿元"), (2, "t1", "8.2%", "320.5亿元")]
    other_gdp = Indicator.objects.get(zone=economy.other_zone, code="gdp")
    assert gdp.rows[0].url == reverse("economy:indicator_detail", args=[other_gdp.pk])
    assert [r.selected for r in gdp.rows] == [False, True]
    # equal growth, equal rank
    assert [(r.rank, r.zone.code) for r in panels["industrial_value_added"].rows] == [(1, "t1"), (1, "t2")]
    # a zone without the period's figure is listed last, unranked (t2's 固投 is for 2024-09 only)
    assert [(r.rank, r.zone.code, r.growth) for r in panels["fixed_asset_investment"].rows] == [
        (1, "t1", "12.2%"), (None, "t2", "—")]
    # asked for more zones than it may read, the selector still stays within scope
    panels = selectors.zone_comparison(user=city, period=H1, zone=economy.zone,
                                       zones=[economy.zone, economy.other_zone, third])
    assert {r.zone.code for p in panels for r in p.rows} == {"t1", "t2"}


def test_roll_up_from_the_other_zone_marks_it_selected(economy):
    city = city_user(economy)
    board = selectors.economy_dashboard(user=city, zone=economy.other_zone, period=H1)
    assert board.zone == economy.other_zone
    assert _tiles(board)["tile-gdp"].value == "88亿元"
    gdp = next(p for p in board.comparison if p.code == "gdp")
    assert [r.selected for r in gdp.rows] == [True, False]
    # the other zone has no projects: its computed figures are its own (none), not the city user's two zones
    assert _tiles(board)["tile-signed_projects"].value == "0个"


def _queries(user, zone) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = type(user).objects.get(pk=user.pk)  # a fresh request's user: nothing cached on it
    with CaptureQueriesContext(connection) as ctx:
        selectors.economy_dashboard(user=user, zone=zone, period=H1)
    return len(ctx.captured_queries)


def test_dashboard_queries_do_not_grow_with_the_catalog_or_the_months(economy):
    leader = economy.users["leader"]
    before = _queries(leader, economy.zone)
    assert before <= 12
    # another headline indicator with six months of figures and a target: not one query more
    ind = Indicator.objects.get(zone=economy.zone, code="budget_revenue")
    ind.is_headline = True
    ind.save()
    observations_upsert(zone=economy.zone, department=economy.dept_a, region="本区", rows=[
        {"indicator_id": ind.pk, "year": 2024, "month": m, "value": D(m), "growth_pct": D("3.0"), "source": "",
         "status": "初步"} for m in range(1, 7)])
    target_save(user=None, indicator=ind, year=2024, growth_pct=D(5), value=None, zone=economy.zone,
                department=economy.dept_a)
    assert _queries(leader, economy.zone) == before
    # the roll-up adds a fixed few (zones, the other zones' catalogs, their figures)
    assert _queries(city_user(economy), economy.zone) <= before + 4
