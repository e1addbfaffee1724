"""render_markdown: the sample bulletin in full — every number of the hand-made input checked in the text."""

import dataclasses
import datetime as dt

import pytest

from gaoxin.economy.bulletin import compose
from gaoxin.economy.document import Bulletin, Section, Table
from gaoxin.economy.render.markdown import chinese_ordinal, render_markdown

from .bulletin_data import sample_bulletin, sample_input

# Written out by hand from bulletin_data.sample_input(); the comments there say which rule each figure shows.
EXPECTED = "\n".join([
    "# 示范科学城高新区2024年上半年经济运行简报",
    "",
    "示范科学城高新区管委会\u30002024年7月15日",
    "",
    "今年以来，示范科学城高新区地区生产总值增长8.2%，规上工业增加值增长8.6%，固定资产投资增长12.2%，工业投资增长32.9%；签约项目47个、合同投资额514亿元，到位资金190亿元、增长41.5%；41个项目实现开工、30个项目正式投用。",
    "",
    "## 一、主要经济指标",
    "",
    "地区生产总值514.3亿元，增长8.2%，增速较一季度提高0.3个百分点，高于全市2.1个百分点，高于年度目标1.2个百分点。",
    "",
    "规上工业增加值215.6亿元，增长8.6%，增速较一季度回落0.5个百分点，高于全市1.4个百分点，高于年度目标0.6个百分点。",
    "",
    "固定资产投资增长12.2%，较一季度由降转增，高于全市8.2个百分点，高于年度目标2.2个百分点。",
    "",
    "工业投资98.8亿元，增长32.9%，增速较一季度回落2.1个百分点，完成年度计划的54.9%，超时序进度4.9个百分点。",
    "",
    "社会消费品零售总额85.4亿元，下降2.3%，降幅较一季度收窄1.8个百分点，低于全市5.8个百分点。",
    "",
    "一般公共预算收入4567万元，与上年同期持平，增速较一季度回落1.2个百分点。",
    "",
    "税收收入3.2亿元。",
    "",
    "进出口总额3085.9亿元，增长1.3倍，增速较一季度提高45.0个百分点，高于全市115.0个百分点。",
    "",
    "**表1\u3000主要经济指标（2024年1—6月）**",
    "",
    "| 指标 | 单位 | 累计值 | 累计增速 | 较上期（个百分点） | 全市增速 | 年度目标 |",
    "| --- | --- | ---: | ---: | ---: | ---: | --- |",
    "| 地区生产总值 | 亿元 | 514.3 | 8.2% | +0.3 | 6.1% | 增长7.0% |",
    "| 规上工业增加值 | 亿元 | 215.6 | 8.6% | -0.5 | 7.2% | 增长8.0% |",
    "| 固定资产投资 | 亿元 | — | 12.2% | +15.7 | 4.0% | 增长10.0%；600亿元 |",
    "| 工业投资 | 亿元 | 98.8 | 32.9% | -2.1 | — | 180亿元 |",
    "| 社会消费品零售总额 | 亿元 | 85.4 | -2.3% | +1.8 | 3.5% | — |",
    "| 一般公共预算收入 | 万元 | 4567 | 0.0% | -1.2 | — | — |",
    "| 税收收入 | 亿元 | 3.2 | — | — | — | — |",
    "| 进出口总额 | 亿元 | 3085.9 | 125.0% | +45.0 | 10.0% | — |",
    "",
    "注：累计值为1月至当月累计；较上期为累计增速与一季度相比的变动。",
    "",
    "**图1\u3000主要指标累计增速**（单位：%）",
    "",
    "| 期间 | 地区生产总值 | 规上工业增加值 | 固定资产投资 | 工业投资 |",
    "| --- | ---: | ---: | ---: | ---: |",
    "| 1—2月 | — | 6.5 | -8.0 | — |",
    "| 一季度 | 7.9 | 9.1 | -3.5 | 35.0 |",
    "| 1—4月 | — | 8.9 | 2.1 | — |",
    "| 1—5月 | — | 8.8 | 9.4 | — |",
    "| 上半年 | 8.2 | 8.6 | 12.2 | 32.9 |",
    "",
    "## 二、招商引资",
    "",
    "签约项目47个、合同投资额514亿元，其中百亿级1个、50亿级5个；到位资金190亿元、增长41.5%。",
    "",
    "分渠道看，以商招商签约12个、合同投资额120.3亿元，委托招商签约5个、合同投资额86.1亿元，驻点招商签约30个、合同投资额307.6亿元。",
    "",
    "分产业看，电子信息签约20个、合同投资额250亿元，生物医药签约15个、合同投资额164亿元，先进材料签约12个、合同投资额100亿元。",
    "",
    "**表2\u3000签约项目分渠道情况**",
    "",
    "| 渠道 | 签约项目（个） | 合同投资额 |",
    "| --- | ---: | ---: |",
    "| 以商招商 | 12 | 120.3亿元 |",
    "| 委托招商 | 5 | 86.1亿元 |",
    "| 驻点招商 | 30 | 307.6亿元 |",
    "| 合计 | 47 | 514亿元 |",
    "",
    "**表3\u3000签约项目分产业情况**",
    "",
    "| 产业 | 签约项目（个） | 合同投资额 |",
    "| --- | ---: | ---: |",
    "| 电子信息 | 20 | 250亿元 |",
    "| 生物医药 | 15 | 164亿元 |",
    "| 先进材料 | 12 | 100亿元 |",
    "",
    "## 三、项目建设",
    "",
    "41个项目实现开工、30个项目正式投用；32个市级重点项目投资完成率118.2%，超时序进度68.2个百分点。",
    "",
    "**表4\u3000重点项目投资完成情况**",
    "",
    "| 级别 | 项目数（个） | 年度计划投资 | 累计完成投资 | 投资完成率 | 时序进度 | 较时序进度（个百分点） |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    "| 市级 | 32 | 220亿元 | 260亿元 | 118.2% | 50.0% | +68.2 |",
    "",
    "**图2\u3000重点项目投资完成率与时序进度**（单位：%）",
    "",
    "| 级别 | 投资完成率 | 时序进度 |",
    "| --- | ---: | ---: |",
    "| 市级 | 118.2 | 50.0 |",
    "",
    "## 四、产业转型",
    "",
    "智能工厂12个，数字化车间30个、增长25.0%，高技术制造业增加值占规上工业比重41.3%。",
    "",
    "## 五、存在问题与下步工作",
    "",
    "> 【待填写】",
    ">",
    "> 【请填写：当前经济运行中需要关注的主要问题，以及下一阶段的重点工作和措施。】",
    "",
    "## 附注",
    "",
    "1. 统计范围：示范科学城高新区；数据为2024年1—6月累计，增速为与上年同期相比。",
    "2. 官方统计数据的增速按可比价/可比口径计算，为公布值，不由累计值推算；招商和项目数据来自本平台业务记录。",
    "3. 地区生产总值为初步数（来源：区统计局）。",
    "4. 社会消费品零售总额为修订数（来源：区商务局）。",
    "5. 税收收入为初步数（来源：区税务局）。",
]) + "\n"


def test_the_sample_bulletin_in_markdown():
    assert render_markdown(compose(sample_input())) == EXPECTED


def test_the_hand_written_bulletin_renders_the_same():
    assert render_markdown(sample_bulletin()) == EXPECTED


def test_no_missing_value_is_printed():
    text = render_markdown(compose(sample_input()))
    assert "None" not in text and "nan" not in text.lower()
    assert "规上工业总产值" not in text


@pytest.mark.parametrize(("n", "expected"), [(1, "一"), (5, "五"), (10, "十"), (11, "十一"), (20, "二十"),
                                             (23, "二十三")])
def test_chinese_ordinal(n, expected):
    assert chinese_ordinal(n) == expected


def test_cells_are_escaped_and_sections_numbered_in_order():
    table = Table(caption="甲|乙", columns=("名称", "数"), rows=(("a|b", "1"),), numeric_columns=(1,))
    bulletin = Bulletin(title="标题", issuer="单位", issued_on=dt.date(2025, 1, 2), summary="总述。",
                        sections=(*(Section(f"节{i}", paragraphs=("段。",)) for i in range(1, 12)),
                                  Section("表", tables=(table,))))
    text = render_markdown(bulletin)
    assert text.startswith("# 标题\n\n单位\u30002025年1月2日\n\n总述。\n\n## 一、节1\n\n段。\n")
    assert "## 十一、节11" in text and "## 十二、表" in text
    assert "| a\\|b | 1 |" in text and "| --- | ---: |" in text
    assert "附注" not in text  # no notes, no heading


def test_placeholder_is_a_marked_blockquote():
    bulletin = dataclasses.replace(sample_bulletin(), sections=(
        Section("存在问题与下步工作", paragraphs=("【一】", "【二】"), placeholder=True),))
    assert "## 一、存在问题与下步工作\n\n> 【待填写】\n>\n> 【一】\n>\n> 【二】\n" in render_markdown(bulletin)
