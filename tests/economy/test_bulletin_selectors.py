"""bulletin_input(zone=…, period=…): the figures a zone's bulletin is written from, read from the database."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.utils import timezone

from gaoxin.economy.selectors.bulletin import NoBulletinData, bulletin_input, issuer_for, signed_by_industry
from gaoxin.investment.models import Signing
from gaoxin.projects.engine import Period
from gaoxin.projects.selectors.statistics import period_statistics_for_zone

from .bulletin_data import build_bulletin_world


@pytest.fixture
def bw(world):
    build_bulletin_world(world)
    return world


def by_code(data):
    return {f.code: f for f in data.indicators}


def test_current_figures_with_comparison_city_target_and_history(bw):
    data = bulletin_input(zone=bw.zone, period=Period(2024, 6))
    assert (data.zone_name, data.year, data.month) == ("测试高新区", 2024, 6)
    assert data.issuer == "测试高新区管委会"
    assert data.issued_on == timezone.localdate()
    figures = by_code(data)
    # catalog order; 社会消费品零售总额 has no 2024-06 figure and is left out
    assert list(figures) == ["gdp", "industrial_value_added", "fixed_asset_investment", "industrial_investment"]
    gdp = figures["gdp"]
    assert (gdp.value, gdp.growth_pct, gdp.status) == (D("214.56"), D("8.2"), "修订")  # the current revision
    assert (gdp.previous_growth_pct, gdp.previous_label) == (D("7.9"), "一季度")
    assert (gdp.city_growth_pct, gdp.target_growth_pct, gdp.target_value) == (D("6.1"), D("7.0"), None)
    assert gdp.frequency == "季度" and gdp.source == "区统计局" and gdp.unit == "亿元" and gdp.name == "地区生产总值"
    assert gdp.history == (("一季度", D("7.9")), ("上半年", D("8.2")))
    iva = figures["industrial_value_added"]
    assert (iva.previous_growth_pct, iva.previous_label, iva.city_growth_pct) == (D("9.1"), "一季度", None)
    assert [label for label, _g in iva.history] == ["1—2月", "一季度", "1—4月", "1—5月", "上半年"]
    fai = figures["fixed_asset_investment"]
    assert (fai.value, fai.growth_pct, fai.previous_growth_pct, fai.city_growth_pct) == \
        (None, D("12.2"), D("-3.5"), D("4.0"))
    investment = figures["industrial_investment"]
    assert (investment.previous_growth_pct, investment.previous_label) == (None, "")  # no 2024-03 figure
    assert (investment.target_growth_pct, investment.target_value) == (None, D("180"))


def test_the_projects_figures_are_the_statistics_contract(bw):
    data = bulletin_input(zone=bw.zone, period=Period(2024, 6))
    assert data.projects == period_statistics_for_zone(zone=bw.zone, period=Period(2024, 6)).as_contract()
    assert data.projects["signed_projects"] == 3
    assert data.signed_by_industry == {"新型智能终端": {"count": 3, "contract_investment_wan": D("1019999.99")}}
    assert data.projects_previous is None
    assert data.transformation is None  # the zone has no 智改数转 records


def test_the_transformation_register_fills_the_section(bw):
    from gaoxin.economy.document import TransformationFigures
    from gaoxin.transformation.models import RndInstitution, TransformationProject

    common = {"zone": bw.zone, "department": bw.dept_a}
    TransformationProject.objects.create(**common, enterprise=bw.enterprises["a1"], name="焊装线智能化改造",
                                         kind="智能化改造", started_on=dt.date(2024, 3, 1))
    TransformationProject.objects.create(**common, enterprise=bw.enterprises["a2"], name="柔性装配线",
                                         kind="数字化生产线", started_on=dt.date(2023, 3, 1), level="市级",
                                         certified_on=dt.date(2024, 6, 30))
    RndInstitution.objects.create(**common, enterprise=bw.enterprises["a1"], name="企业技术中心", kind="企业技术中心",
                                  level="市级", recognized_on=dt.date(2024, 1, 1))
    data = bulletin_input(zone=bw.zone, period=Period(2024, 6))
    assert data.transformation == TransformationFigures(
        started=(("智能化改造", 1),), certified=(("市级", "数字化生产线", 1, "条"),), institution_enterprises=1)
    assert bulletin_input(zone=bw.zone, period=Period(2024, 5)).transformation.certified == ()
    # the register alone is enough for a bulletin
    TransformationProject.objects.create(**common, enterprise=bw.enterprises["a1"], name="余热回收节能改造",
                                         kind="绿色化改造", started_on=dt.date(2019, 4, 1))
    assert bulletin_input(zone=bw.zone, period=Period(2019, 6)).transformation.started == (("绿色化改造", 1),)


def test_a_month_compares_with_the_previous_month(bw):
    figures = by_code(bulletin_input(zone=bw.zone, period=Period(2024, 5)))
    assert "gdp" not in figures  # quarterly: nothing at 2024-05
    iva = figures["industrial_value_added"]
    assert (iva.previous_growth_pct, iva.previous_label) == (D("8.9"), "1—4月")
    assert figures["retail_sales"].growth_pct == D("3.3")


def test_only_platform_figures_still_make_a_bulletin(bw):
    data = bulletin_input(zone=bw.zone, period=Period(2023, 6))
    assert data.indicators == ()
    assert data.projects["funds_in_place_wan"] == 100 and data.projects["signed_projects"] == 0


def test_no_data_at_all_raises(bw):
    with pytest.raises(NoBulletinData, match="测试高新区2019年上半年（2019-06）没有官方统计数据"):
        bulletin_input(zone=bw.zone, period=Period(2019, 6))
    with pytest.raises(NoBulletinData):
        bulletin_input(zone=bw.other_zone, period=Period(2024, 6))  # another zone's figures are not borrowed


def test_signings_by_industry_groups_blank_industries(bw):
    Signing.objects.filter(contract_investment_wan=D("20000")).update(industry="  ")
    assert signed_by_industry(bw.zone, Period(2024, 6)) == {
        "新型智能终端": {"count": 2, "contract_investment_wan": D("999999.99")},
        "未注明产业": {"count": 1, "contract_investment_wan": D("20000")},
    }
    assert signed_by_industry(bw.zone, Period(2024, 12))["新型智能终端"]["count"] == 3  # + 1 July


def test_issuer_is_not_doubled(bw):
    bw.zone.name = "某某高新区管委会"
    assert issuer_for(bw.zone) == "某某高新区管委会"
