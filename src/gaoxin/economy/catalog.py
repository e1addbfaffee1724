"""The default indicator catalog a zone starts from (economy.md §1; the projects issue's statistics).

Codes are stable identifiers the bulletin and the dashboard refer to; names and units are what the
imports match and what people read. A zone may rename, reorder, deactivate or add indicators.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class DefaultIndicator:
    code: str
    name: str
    unit: str
    kind: str  # 官方 | 计算
    frequency: str = "月度"
    computed_key: str = ""
    aggregation: str = ""
    is_headline: bool = False


CUMULATIVE = "1 月至当月累计"
REAL = "累计值按现价，增速按可比价（官方公布，不由累计值推算）"
COMPARABLE = "累计值按现价，增速按可比口径（官方公布，不由累计值推算）"

DEFAULT_INDICATORS: tuple[DefaultIndicator, ...] = (
    DefaultIndicator("gdp", "地区生产总值", "亿元", "官方", "季度", aggregation="季度累计；" + REAL, is_headline=True),
    DefaultIndicator("industrial_value_added", "规上工业增加值", "亿元", "官方", aggregation=CUMULATIVE + "；" + REAL,
                     is_headline=True),
    DefaultIndicator("industrial_output", "规上工业总产值", "亿元", "官方", aggregation=CUMULATIVE + "；现价"),
    DefaultIndicator("fixed_asset_investment", "固定资产投资", "亿元", "官方", aggregation=CUMULATIVE + "；" + COMPARABLE,
                     is_headline=True),
    DefaultIndicator("industrial_investment", "工业投资", "亿元", "官方", aggregation=CUMULATIVE + "；" + COMPARABLE,
                     is_headline=True),
    DefaultIndicator("retail_sales", "社会消费品零售总额", "亿元", "官方", aggregation=CUMULATIVE),
    DefaultIndicator("budget_revenue", "一般公共预算收入", "亿元", "官方", aggregation=CUMULATIVE),
    DefaultIndicator("tax_revenue", "税收收入", "亿元", "官方", aggregation=CUMULATIVE),
    DefaultIndicator("foreign_trade", "进出口总额", "亿元", "官方", aggregation=CUMULATIVE),
    DefaultIndicator("signed_projects", "签约项目", "个", "计算", computed_key="signed_projects",
                     aggregation="签约日期在期间内的签约项目数", is_headline=True),
    DefaultIndicator("contract_investment", "合同投资额", "万元", "计算", computed_key="contract_investment_wan",
                     aggregation="期间内签约项目的合同投资额合计"),
    DefaultIndicator("funds_in_place", "到位资金", "万元", "计算", computed_key="funds_in_place_wan",
                     aggregation="到位日期在期间内的到位资金合计；增速与上年同期相比", is_headline=True),
    DefaultIndicator("projects_started", "开工项目", "个", "计算", computed_key="projects_started",
                     aggregation="实际开工日期在期间内的项目数"),
    DefaultIndicator("projects_commissioned", "投产项目", "个", "计算", computed_key="projects_commissioned",
                     aggregation="实际投产日期在期间内的项目数"),
    DefaultIndicator("city_key_completion", "市级重点项目投资完成率", "%", "计算",
                     computed_key="key_projects.市级.completion_pct",
                     aggregation="1 月至当月完成投资 ÷ 年度计划投资"),
)
