"""Hand-made bulletin fixtures shared by the composer's and the renderers' tests.

`sample_input()` is a BulletinInput shaped like the demo zone's 2024-06 figures, chosen so that every wording
rule shows up once: 提高 / 回落 / 由降转增 / 降幅收窄, 高于 / 低于全市, a growth target and a level target
(超时序进度), 持平, a figure with a level but no growth, growth ≥ 100 % (增长1.3倍, ROUND_HALF_UP on 1.25),
an amount below 1亿元 (shown in 万元), a half-way rounding of an amount (86.05亿元 → 86.1亿元), an indicator
with no figure at all (规上工业总产值: must not appear anywhere), a quarterly indicator, figures that are not
final (notes), the projects statistics, signings by industry and the 产业转型 section.

`sample_bulletin()` is a hand-written Bulletin — not produced by the composer, so renderer tests do not depend
on it — with every kind of content a renderer must lay out: paragraphs, tables with numeric columns and a
note, a line chart with gaps (None), a bar chart, a placeholder section and notes. It is what
`compose(sample_input())` is expected to return (test_bulletin_compose checks that), so its text is also the
written-out expectation of the composer. Keep both stable: other tests rely on them.
"""

import datetime as dt
from decimal import Decimal as D

from gaoxin.economy.document import (
    Bulletin,
    BulletinInput,
    Chart,
    IndicatorFigure,
    Section,
    Series,
    Showcase,
    Table,
    TransformationFigures,
)

ZONE = "示范科学城高新区"
TITLE = "示范科学城高新区2024年上半年经济运行简报"
ISSUER = "示范科学城高新区管委会"
ISSUED_ON = dt.date(2024, 7, 15)

MONTHLY_LABELS = ("1—2月", "一季度", "1—4月", "1—5月", "上半年")


def sample_projects() -> dict:
    """The `gaoxin stats` contract of 2024-06 (amounts in 万元 as JSON numbers, percentages unrounded)."""
    return {
        "period": "2024-06",
        "from": "2024-01-01",
        "to": "2024-06-30",
        "signed_projects": 47,
        "contract_investment_wan": 5140000,
        "signed_by_size": {"百亿级": 1, "50亿级": 5, "10亿级": 12, "亿元级": 20, "亿元以下": 9},
        "signed_by_channel": {
            "以商招商": {"count": 12, "contract_investment_wan": 1203000},
            "委托招商": {"count": 5, "contract_investment_wan": 860500.5},
            "驻点招商": {"count": 30, "contract_investment_wan": 3076499.5},
        },
        "funds_in_place_wan": 1900000,
        "funds_in_place_prev_wan": 1342756,
        "funds_in_place_growth_pct": 41.50001936316055,
        "projects_started": 41,
        "projects_completed": 35,
        "projects_commissioned": 30,
        "key_projects": {
            "市级": {"count": 32, "plan_wan": 2200000, "completed_wan": 2600000,
                     "completion_pct": 118.18181818181819, "time_progress_pct": 50.0,
                     "ahead_pp": 68.18181818181819},
            "区级": {"count": 0, "plan_wan": 0, "completed_wan": 0, "completion_pct": None,
                     "time_progress_pct": 50.0, "ahead_pp": None},
        },
    }


def _history(*values) -> tuple:
    return tuple((label, None if v is None else D(v)) for label, v in zip(MONTHLY_LABELS, values, strict=True))


def sample_input() -> BulletinInput:
    indicators = (
        IndicatorFigure("gdp", "地区生产总值", "亿元", D("514.27"), D("8.2"), previous_growth_pct=D("7.9"),
                        previous_label="一季度", city_growth_pct=D("6.1"), target_growth_pct=D("7.0"),
                        source="区统计局", status="初步", frequency="季度",
                        history=(("一季度", D("7.9")), ("上半年", D("8.2")))),
        IndicatorFigure("industrial_value_added", "规上工业增加值", "亿元", D("215.64"), D("8.6"),
                        previous_growth_pct=D("9.1"), previous_label="一季度", city_growth_pct=D("7.2"),
                        target_growth_pct=D("8.0"), source="区统计局", status="最终",
                        history=_history("6.5", "9.1", "8.9", "8.8", "8.6")),
        IndicatorFigure("industrial_output", "规上工业总产值", "亿元", None, None, source="区统计局", status="初步"),
        IndicatorFigure("fixed_asset_investment", "固定资产投资", "亿元", None, D("12.2"),
                        previous_growth_pct=D("-3.5"), previous_label="一季度", city_growth_pct=D("4.0"),
                        target_growth_pct=D("10.0"), target_value=D("600"), source="区统计局", status="最终",
                        history=_history("-8.0", "-3.5", "2.1", "9.4", "12.2")),
        IndicatorFigure("industrial_investment", "工业投资", "亿元", D("98.76"), D("32.9"),
                        previous_growth_pct=D("35.0"), previous_label="一季度", target_value=D("180"),
                        source="区统计局", status="最终",
                        history=_history(None, "35.0", None, None, "32.9")),
        IndicatorFigure("retail_sales", "社会消费品零售总额", "亿元", D("85.43"), D("-2.3"),
                        previous_growth_pct=D("-4.1"), previous_label="一季度", city_growth_pct=D("3.5"),
                        source="区商务局", status="修订"),
        IndicatorFigure("budget_revenue", "一般公共预算收入", "亿元", D("0.4567"), D("0.0"),
                        previous_growth_pct=D("1.2"), previous_label="一季度", source="区财政局", status="最终"),
        IndicatorFigure("tax_revenue", "税收收入", "亿元", D("3.21"), None, source="区税务局", status="初步"),
        IndicatorFigure("foreign_trade", "进出口总额", "亿元", D("3085.94"), D("125.0"),
                        previous_growth_pct=D("80.0"), previous_label="一季度", city_growth_pct=D("10.0"),
                        source="海关", status="最终"),
    )
    return BulletinInput(
        zone_name=ZONE,
        year=2024,
        month=6,
        issued_on=ISSUED_ON,
        issuer=ISSUER,
        indicators=indicators,
        projects=sample_projects(),
        signed_by_industry={
            "电子信息": {"count": 20, "contract_investment_wan": 2500000},
            "生物医药": {"count": 15, "contract_investment_wan": 1640000},
            "先进材料": {"count": 12, "contract_investment_wan": 1000000},
        },
        transformation=TransformationFigures(
            started=(("智能化改造", 26), ("绿色化改造", 0)),
            certified=(("市级", "智能工厂", 2, "个"), ("市级", "数字化车间", 5, "个"), ("市级", "数字化生产线", 84, "条")),
            institution_enterprises=11,
            showcases=(Showcase("国芯微（重庆）科技有限公司功率半导体与集成电路可靠性检测数字化车间",
                                ("检测效率提高12.14%", "产品不良率下降44.54%", "运营成本降低18.27%")),),
        ),
    )


# --- the expected bulletin --------------------------------------------------------------------------------

SUMMARY = ("今年以来，示范科学城高新区地区生产总值增长8.2%，规上工业增加值增长8.6%，固定资产投资增长12.2%，"
           "工业投资增长32.9%；签约项目47个、合同投资额514亿元，到位资金190亿元、增长41.5%；"
           "41个项目实现开工、30个项目正式投用。")

INDICATOR_PARAGRAPHS = (
    "地区生产总值514.3亿元，增长8.2%，增速较一季度提高0.3个百分点，高于全市2.1个百分点，高于年度目标1.2个百分点。",
    "规上工业增加值215.6亿元，增长8.6%，增速较一季度回落0.5个百分点，高于全市1.4个百分点，高于年度目标0.6个百分点。",
    "固定资产投资增长12.2%，较一季度由降转增，高于全市8.2个百分点，高于年度目标2.2个百分点。",
    "工业投资98.8亿元，增长32.9%，增速较一季度回落2.1个百分点，完成年度计划的54.9%，超时序进度4.9个百分点。",
    "社会消费品零售总额85.4亿元，下降2.3%，降幅较一季度收窄1.8个百分点，低于全市5.8个百分点。",
    "一般公共预算收入4567万元，与上年同期持平，增速较一季度回落1.2个百分点。",
    "税收收入3.2亿元。",
    "进出口总额3085.9亿元，增长1.3倍，增速较一季度提高45.0个百分点，高于全市115.0个百分点。",
)

INDICATOR_TABLE = Table(
    caption="主要经济指标（2024年1—6月）",
    columns=("指标", "单位", "累计值", "累计增速", "较上期（个百分点）", "全市增速", "年度目标"),
    rows=(
        ("地区生产总值", "亿元", "514.3", "8.2%", "+0.3", "6.1%", "增长7.0%"),
        ("规上工业增加值", "亿元", "215.6", "8.6%", "-0.5", "7.2%", "增长8.0%"),
        ("固定资产投资", "亿元", "—", "12.2%", "+15.7", "4.0%", "增长10.0%；600亿元"),
        ("工业投资", "亿元", "98.8", "32.9%", "-2.1", "—", "180亿元"),
        ("社会消费品零售总额", "亿元", "85.4", "-2.3%", "+1.8", "3.5%", "—"),
        ("一般公共预算收入", "万元", "4567", "0.0%", "-1.2", "—", "—"),
        ("税收收入", "亿元", "3.2", "—", "—", "—", "—"),
        ("进出口总额", "亿元", "3085.9", "125.0%", "+45.0", "10.0%", "—"),
    ),
    note="累计值为1月至当月累计；较上期为累计增速与一季度相比的变动。",
    numeric_columns=(2, 3, 4, 5),
)

GROWTH_CHART = Chart(
    key="growth-lines",
    title="主要指标累计增速",
    kind="line",
    categories=MONTHLY_LABELS,
    series=(
        Series("地区生产总值", (None, 7.9, None, None, 8.2)),
        Series("规上工业增加值", (6.5, 9.1, 8.9, 8.8, 8.6)),
        Series("固定资产投资", (-8.0, -3.5, 2.1, 9.4, 12.2)),
        Series("工业投资", (None, 35.0, None, None, 32.9)),
    ),
    unit="%",
    table=Table(
        caption="主要指标累计增速（%）",
        columns=("期间", "地区生产总值", "规上工业增加值", "固定资产投资", "工业投资"),
        rows=(
            ("1—2月", "—", "6.5", "-8.0", "—"),
            ("一季度", "7.9", "9.1", "-3.5", "35.0"),
            ("1—4月", "—", "8.9", "2.1", "—"),
            ("1—5月", "—", "8.8", "9.4", "—"),
            ("上半年", "8.2", "8.6", "12.2", "32.9"),
        ),
        numeric_columns=(1, 2, 3, 4),
    ),
)

INVESTMENT_PARAGRAPHS = (
    "签约项目47个、合同投资额514亿元，其中百亿级1个、50亿级5个；到位资金190亿元、增长41.5%。",
    "分渠道看，以商招商签约12个、合同投资额120.3亿元，委托招商签约5个、合同投资额86.1亿元，"
    "驻点招商签约30个、合同投资额307.6亿元。",
    "分产业看，电子信息签约20个、合同投资额250亿元，生物医药签约15个、合同投资额164亿元，"
    "先进材料签约12个、合同投资额100亿元。",
)

CHANNEL_TABLE = Table(
    caption="签约项目分渠道情况",
    columns=("渠道", "签约项目（个）", "合同投资额"),
    rows=(("以商招商", "12", "120.3亿元"), ("委托招商", "5", "86.1亿元"), ("驻点招商", "30", "307.6亿元"),
          ("合计", "47", "514亿元")),
    numeric_columns=(1, 2),
)

INDUSTRY_TABLE = Table(
    caption="签约项目分产业情况",
    columns=("产业", "签约项目（个）", "合同投资额"),
    rows=(("电子信息", "20", "250亿元"), ("生物医药", "15", "164亿元"), ("先进材料", "12", "100亿元")),
    numeric_columns=(1, 2),
)

PROJECT_PARAGRAPHS = (
    "41个项目实现开工、30个项目正式投用；32个市级重点项目投资完成率118.2%，超时序进度68.2个百分点。",
)

KEY_TABLE = Table(
    caption="重点项目投资完成情况",
    columns=("级别", "项目数（个）", "年度计划投资", "累计完成投资", "投资完成率", "时序进度", "较时序进度（个百分点）"),
    rows=(("市级", "32", "220亿元", "260亿元", "118.2%", "50.0%", "+68.2"),),
    numeric_columns=(1, 2, 3, 4, 5, 6),
)

KEY_CHART = Chart(
    key="key-progress",
    title="重点项目投资完成率与时序进度",
    kind="bar",
    categories=("市级",),
    series=(Series("投资完成率", (118.2,)), Series("时序进度", (50.0,))),
    unit="%",
    table=Table(
        caption="重点项目投资完成率与时序进度（%）",
        columns=("级别", "投资完成率", "时序进度"),
        rows=(("市级", "118.2", "50.0"),),
        numeric_columns=(1, 2),
    ),
)

TRANSFORMATION_PARAGRAPHS = (
    "今年以来，实施智能化改造项目26个，新建市级智能工厂2个、数字化车间5个、数字化生产线84条，11家企业新设立研发机构。",
    "国芯微（重庆）科技有限公司功率半导体与集成电路可靠性检测数字化车间检测效率提高12.14%，产品不良率下降44.54%，运营成本降低18.27%。",
)

PLACEHOLDER_TEXT = "【请填写：当前经济运行中需要关注的主要问题，以及下一阶段的重点工作和措施。】"

NOTES = (
    "统计范围：示范科学城高新区；数据为2024年1—6月累计，增速为与上年同期相比。",
    "官方统计数据的增速按可比价/可比口径计算，为公布值，不由累计值推算；招商和项目数据来自本平台业务记录。",
    "地区生产总值为初步数（来源：区统计局）。",
    "社会消费品零售总额为修订数（来源：区商务局）。",
    "税收收入为初步数（来源：区税务局）。",
)


def sample_bulletin() -> Bulletin:
    return Bulletin(
        title=TITLE,
        issuer=ISSUER,
        issued_on=ISSUED_ON,
        summary=SUMMARY,
        sections=(
            Section("主要经济指标", paragraphs=INDICATOR_PARAGRAPHS, tables=(INDICATOR_TABLE,),
                    charts=(GROWTH_CHART,)),
            Section("招商引资", paragraphs=INVESTMENT_PARAGRAPHS, tables=(CHANNEL_TABLE, INDUSTRY_TABLE)),
            Section("项目建设", paragraphs=PROJECT_PARAGRAPHS, tables=(KEY_TABLE,), charts=(KEY_CHART,)),
            Section("产业转型", paragraphs=TRANSFORMATION_PARAGRAPHS),
            Section("存在问题与下步工作", paragraphs=(PLACEHOLDER_TEXT,), placeholder=True),
        ),
        notes=NOTES,
    )


# --- database records for the selector and the command ----------------------------------------------------

def build_bulletin_world(world) -> dict:
    """Official figures, city figures and targets of 2024 for the world's zone (测试高新区, t1), on top of the
    projects tests' records (tests/projects: project_world + build_statistics_world), whose 2024-06 statistics
    are 3 signings / 1019999.99万元 / funds 200万元 vs 100万元 / 1 start / 市级 2 projects at 13501.5 of 42000万元 /
    区级 1 project without reports.

    本区: GDP 2024-03 100.12亿元 +7.9 最终 and 2024-06 214.56亿元 first +8.0 初步, then revised to +8.2 修订;
    规上工业增加值 2024-02…06 (+6.5, 9.1, 8.9, 8.8, 8.6; 2024-06 level 98.04亿元); 固定资产投资 2024-03 −3.5 and
    2024-06 +12.2 without a level; 工业投资 2024-06 98.76亿元 +32.9 only; 社会消费品零售总额 2024-05 only.
    全市: GDP 2024-06 +6.1, 固定资产投资 2024-06 +4.0. Targets 2024: GDP +7.0 %, 工业投资 180亿元.
    """
    from gaoxin.economy.models import Indicator
    from gaoxin.economy.services.catalog import indicator_catalog_install
    from gaoxin.economy.services.observations import observations_upsert
    from gaoxin.economy.services.targets import target_save
    from tests.projects.conftest import make_project_world
    from tests.projects.statistics_data import build_statistics_world

    pw = make_project_world(world)
    made = build_statistics_world(pw)
    zone, dept = world.zone, world.dept_a
    indicator_catalog_install(zone=zone)
    ind = {i.code: i for i in Indicator.objects.filter(zone=zone)}

    def row(code, month, value, growth, status="最终", source="区统计局"):
        return {"indicator_id": ind[code].pk, "year": 2024, "month": month,
                "value": None if value is None else D(value), "growth_pct": None if growth is None else D(growth),
                "source": source, "status": status}

    own = [
        row("gdp", 3, "100.12", "7.9"),
        row("gdp", 6, "214.56", "8.0", status="初步"),
        *(row("industrial_value_added", m, v, g) for m, v, g in [
            (2, "30.1", "6.5"), (3, "46.2", "9.1"), (4, "62.3", "8.9"), (5, "80.4", "8.8"), (6, "98.04", "8.6")]),
        row("fixed_asset_investment", 3, None, "-3.5"),
        row("fixed_asset_investment", 6, None, "12.2"),
        row("industrial_investment", 6, "98.76", "32.9"),
        row("retail_sales", 5, "70.5", "3.3"),
    ]
    observations_upsert(zone=zone, department=dept, rows=own, region="本区")
    observations_upsert(zone=zone, department=dept, rows=[row("gdp", 6, "214.56", "8.2", status="修订")],
                        region="本区")
    observations_upsert(zone=zone, department=dept, region="全市", rows=[
        row("gdp", 6, "5123.4", "6.1", source="市统计局"), row("fixed_asset_investment", 6, None, "4.0", source="市统计局")])
    target_save(user=None, indicator=ind["gdp"], year=2024, growth_pct=D("7.0"), value=None, zone=zone, department=dept)
    target_save(user=None, indicator=ind["industrial_investment"], year=2024, growth_pct=None, value=D("180"),
                zone=zone, department=dept)
    return {"project_world": pw, "records": made, "indicators": ind}
