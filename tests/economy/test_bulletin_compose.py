"""compose(BulletinInput) → Bulletin: structure, wording, and figures left out when the input lacks them."""

import dataclasses
import datetime as dt
from decimal import Decimal as D

from gaoxin.economy.bulletin import PLACEHOLDER_TEXT, compose, title
from gaoxin.economy.document import BulletinInput, IndicatorFigure, Showcase, TransformationFigures
from gaoxin.economy.render.markdown import render_markdown

from .bulletin_data import sample_bulletin, sample_input, sample_projects


def headings(bulletin) -> list[str]:
    return [s.heading for s in bulletin.sections]


def section(bulletin, heading):
    return next(s for s in bulletin.sections if s.heading == heading)


def empty_input(**changes) -> BulletinInput:
    data = BulletinInput(zone_name="测试高新区", year=2024, month=6, issued_on=dt.date(2024, 7, 10),
                         issuer="测试高新区管委会", indicators=())
    return dataclasses.replace(data, **changes)


def figure(code="gdp", name="地区生产总值", **changes) -> IndicatorFigure:
    base = IndicatorFigure(code, name, "亿元", D("100"), D("5.0"))
    return dataclasses.replace(base, **changes)


def test_the_sample_composes_to_the_written_out_bulletin():
    # bulletin_data.sample_bulletin() spells out every sentence, table cell and chart value by hand.
    assert compose(sample_input()) == sample_bulletin()


def test_sections_in_order_and_the_placeholder_last():
    bulletin = compose(sample_input())
    assert headings(bulletin) == ["主要经济指标", "招商引资", "项目建设", "产业转型", "存在问题与下步工作"]
    last = bulletin.sections[-1]
    assert last.placeholder and last.paragraphs == (PLACEHOLDER_TEXT,)
    assert not any(s.placeholder for s in bulletin.sections[:-1])


def test_titles_by_period():
    assert title("甲高新区", 2024, 6) == "甲高新区2024年上半年经济运行简报"
    assert title("甲高新区", 2024, 3) == "甲高新区2024年一季度经济运行简报"
    assert title("甲高新区", 2024, 9) == "甲高新区2024年前三季度经济运行简报"
    assert title("甲高新区", 2024, 5) == "甲高新区2024年1—5月经济运行简报"
    assert title("甲高新区", 2024, 1) == "甲高新区2024年1月经济运行简报"
    assert title("甲高新区", 2024, 12) == "甲高新区2024年经济运行简报"


def test_an_indicator_without_any_figure_appears_nowhere():
    text = render_markdown(compose(sample_input()))
    assert "规上工业总产值" not in text  # in the input with neither level nor growth (and status 初步)


def test_without_projects_the_investment_and_project_sections_are_left_out():
    data = dataclasses.replace(sample_input(), projects=None, signed_by_industry={}, transformation=None)
    bulletin = compose(data)
    assert headings(bulletin) == ["主要经济指标", "存在问题与下步工作"]
    assert bulletin.summary == ("今年以来，示范科学城高新区地区生产总值增长8.2%，规上工业增加值增长8.6%，"
                                "固定资产投资增长12.2%，工业投资增长32.9%。")
    text = render_markdown(bulletin)
    for absent in ("签约", "到位资金", "开工", "None", "重点项目"):
        assert absent not in text


def test_signings_by_industry_alone_make_an_investment_section():
    data = empty_input(projects=None, signed_by_industry={"生物医药": {"count": 2, "contract_investment_wan": 15000}})
    bulletin = compose(data)
    assert headings(bulletin) == ["招商引资", "存在问题与下步工作"]
    assert section(bulletin, "招商引资").paragraphs == ("分产业看，生物医药签约2个、合同投资额1.5亿元。",)


def test_without_official_figures_there_is_no_indicator_section():
    bulletin = compose(empty_input(projects=sample_projects()))
    assert headings(bulletin) == ["招商引资", "项目建设", "存在问题与下步工作"]
    assert bulletin.summary == ("今年以来，测试高新区签约项目47个、合同投资额514亿元，到位资金190亿元、增长41.5%；"
                                "41个项目实现开工、30个项目正式投用。")
    assert bulletin.notes[0] == "统计范围：测试高新区；数据为2024年1—6月累计，增速为与上年同期相比。"


def test_nothing_at_all_still_gives_a_document():
    bulletin = compose(empty_input())
    assert bulletin.summary == "今年以来，测试高新区经济运行情况如下。"
    assert headings(bulletin) == ["存在问题与下步工作"]


def test_zero_and_missing_project_figures_are_left_out():
    projects = {
        "signed_projects": 0, "contract_investment_wan": 0, "signed_by_size": {}, "signed_by_channel": {},
        "funds_in_place_wan": 1234.5, "funds_in_place_prev_wan": 0, "funds_in_place_growth_pct": None,
        "projects_started": 0, "projects_completed": 0, "projects_commissioned": 2,
        "key_projects": {
            "市级": {"count": 0, "plan_wan": 0, "completed_wan": 0, "completion_pct": None, "time_progress_pct": 50.0,
                     "ahead_pp": None},
            "区级": {"count": 1, "plan_wan": 3000, "completed_wan": 0, "completion_pct": 0.0,
                     "time_progress_pct": 50.0, "ahead_pp": -50.0},
        },
    }
    bulletin = compose(empty_input(projects=projects))
    assert section(bulletin, "招商引资").paragraphs == ("到位资金1234.5万元。",)  # no growth without a base
    assert section(bulletin, "招商引资").tables == ()
    built = section(bulletin, "项目建设")
    assert built.paragraphs == ("2个项目正式投用；1个区级重点项目投资完成率0.0%，慢于时序进度50.0个百分点。",)
    assert built.tables[0].rows == (("区级", "1", "3000万元", "0万元", "0.0%", "50.0%", "-50.0"),)
    assert built.charts[0].categories == ("区级",)
    assert built.charts[0].series[0].values == (0.0,)
    assert bulletin.summary == "今年以来，测试高新区到位资金1234.5万元；2个项目正式投用。"


def test_an_empty_statistics_contract_gives_no_project_sections():
    projects = {"signed_projects": 0, "contract_investment_wan": 0, "signed_by_size": {}, "signed_by_channel": {},
                "funds_in_place_wan": 0, "funds_in_place_growth_pct": None, "projects_started": 0,
                "projects_commissioned": 0, "key_projects": {}}
    assert headings(compose(empty_input(projects=projects))) == ["存在问题与下步工作"]


def test_funds_doubling_reads_in_times_and_the_hundred_billion_class_is_named():
    projects = dict(sample_projects(), funds_in_place_growth_pct=210.04)
    first = section(compose(empty_input(projects=projects)), "招商引资").paragraphs[0]
    assert first == "签约项目47个、合同投资额514亿元，其中百亿级1个、50亿级5个；到位资金190亿元、增长2.1倍。"
    only_ten = dict(sample_projects(), signed_by_size={"10亿级": 40, "亿元以下": 7})
    first = section(compose(empty_input(projects=only_ten)), "招商引资").paragraphs[0]
    assert first == "签约项目47个、合同投资额514亿元；到位资金190亿元、增长41.5%。"


def test_key_project_gap_is_the_statistics_own_figure():
    # ahead_pp comes from the statistics; the composer words it rather than recomputing it.
    projects = sample_projects()
    projects["key_projects"]["市级"] = dict(projects["key_projects"]["市级"], ahead_pp=-0.04)
    paragraph = section(compose(empty_input(projects=projects)), "项目建设").paragraphs[0]
    assert paragraph.endswith("32个市级重点项目投资完成率118.2%，与时序进度持平。")


def test_indicator_sentences_leave_out_missing_parts():
    data = empty_input(indicators=(
        figure(value=None, growth_pct=D("-1.0"), previous_growth_pct=D("2.0"), previous_label="一季度"),
        figure("retail_sales", "社会消费品零售总额", value=D("12.34"), growth_pct=None, city_growth_pct=D("3.0"),
               target_growth_pct=D("5"), target_value=D("30")),
        figure("foreign_trade", "进出口总额", value=D("0.05"), growth_pct=D("100"), previous_label="一季度"),
    ))
    bulletin = compose(data)
    paragraphs = section(bulletin, "主要经济指标").paragraphs
    assert paragraphs == (
        "地区生产总值下降1.0%，较一季度由增转降。",
        # no growth: neither city nor growth-target comparison, but the level's progress against its target
        "社会消费品零售总额12.3亿元，完成年度计划的41.1%，慢于时序进度8.9个百分点。",
        "进出口总额500万元，增长1倍。",
    )
    table = section(bulletin, "主要经济指标").tables[0]
    assert table.rows[0] == ("地区生产总值", "亿元", "—", "-1.0%", "-3.0", "—", "—")
    assert table.rows[1] == ("社会消费品零售总额", "亿元", "12.3", "—", "—", "3.0%", "增长5.0%；30亿元")
    assert table.rows[2] == ("进出口总额", "万元", "500", "100.0%", "—", "—", "—")
    assert table.note == "累计值为1月至当月累计；较上期为累计增速与一季度相比的变动。"
    assert section(bulletin, "主要经济指标").charts == ()  # no history, no chart


def test_summary_falls_back_to_the_first_figures_with_growth():
    data = empty_input(indicators=(
        figure("retail_sales", "社会消费品零售总额", growth_pct=D("3.0")),
        figure("tax_revenue", "税收收入", growth_pct=None),
        figure("budget_revenue", "一般公共预算收入", growth_pct=D("-2.0")),
        figure("foreign_trade", "进出口总额", growth_pct=D("0")),
        figure("x", "其他", growth_pct=D("9")),
    ))
    assert compose(data).summary == ("今年以来，测试高新区社会消费品零售总额增长3.0%，一般公共预算收入下降2.0%，"
                                     "进出口总额与上年同期持平。")


def test_notes_name_figures_that_are_not_final():
    data = empty_input(indicators=(figure(status="初步", source=""), figure("x", "其他", status="最终", source="甲"),
                                   figure("y", "第三", status="修订", source="区统计局")))
    assert compose(data).notes[2:] == ("地区生产总值为初步数。", "第三为修订数（来源：区统计局）。")


def test_growth_chart_orders_months_whatever_indicator_names_them_first():
    data = empty_input(month=5, indicators=(
        figure(history=(("一季度", D("4.0")),)),
        figure("industrial_value_added", "规上工业增加值",
               history=(("1—2月", D("3.0")), ("一季度", None), ("1—5月", D("5.55")))),
        figure("fixed_asset_investment", "无历史", history=(("1—4月", None),)),
        figure("retail_sales", "社会消费品零售总额", history=(("1—4月", D("1.0")),)),  # not a headline figure
    ))
    chart = section(compose(data), "主要经济指标").charts[0]
    assert chart.categories == ("1—2月", "一季度", "1—5月")
    assert [s.name for s in chart.series] == ["地区生产总值", "规上工业增加值"]
    assert chart.series[1].values == (3.0, None, 5.6)
    assert chart.table.rows == (("1—2月", "—", "3.0"), ("一季度", "4.0", "—"), ("1—5月", "—", "5.6"))


def test_transformation_counts_of_zero_are_left_out():
    data = empty_input(transformation=TransformationFigures(started=(("智能化改造", 0),), institution_enterprises=0))
    assert "产业转型" not in headings(compose(data))
    data = empty_input(transformation=TransformationFigures(
        started=(("智能化改造", 3), ("绿色化改造", 1)),
        certified=(("市级", "智能工厂", 1, "个"), ("区级", "数字化生产线", 4, "条"), ("区级", "数字化车间", 0, "个"))))
    assert section(compose(data), "产业转型").paragraphs == (
        "今年以来，实施智能化改造项目3个、绿色化改造项目1个，新建市级智能工厂1个，区级数字化生产线4条。",)


def test_transformation_showcase_alone_and_full_year():
    case = Showcase("某公司总装车间", ("生产效率提高8.00%",))
    data = dataclasses.replace(empty_input(transformation=TransformationFigures(
        certified=(("市级", "智能工厂", 2, "个"),), showcases=(case,))), month=12)
    assert section(compose(data), "产业转型").paragraphs == ("全年，新建市级智能工厂2个。", "某公司总装车间生产效率提高8.00%。")


def test_full_year_bulletin():
    data = dataclasses.replace(sample_input(), month=12)
    bulletin = compose(data)
    assert bulletin.title == "示范科学城高新区2024年经济运行简报"
    assert bulletin.notes[0] == "统计范围：示范科学城高新区；数据为2024年1—12月累计，增速为与上年同期相比。"
    # the 工业投资 level target: 98.76 of 180 at the year's end is behind the whole-year time progress
    assert "工业投资98.8亿元，增长32.9%，增速较一季度回落2.1个百分点，完成年度计划的54.9%，慢于时序进度45.1个百分点。" in \
        section(bulletin, "主要经济指标").paragraphs


def test_growth_chart_takes_other_indicators_when_no_headline_one_has_a_history():
    data = empty_input(month=5, indicators=(
        figure(history=()),
        figure("retail_sales", "社会消费品零售总额", history=(("1—4月", D("1.0")), ("1—5月", D("-0.5")))),
    ))
    chart = section(compose(data), "主要经济指标").charts[0]
    assert [s.name for s in chart.series] == ["社会消费品零售总额"]
    assert chart.series[0].values == (1.0, -0.5)
