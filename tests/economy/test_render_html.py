"""The HTML bulletin: a standalone file that works offline, and the preview fragment with no inline script."""

import dataclasses
import html as html_lib
import json
import re

import pytest

from gaoxin.economy.document import Chart, Section, Series, Table
from gaoxin.economy.render.html import BULLETIN_JS, chart_dom_id, render_html

from .bulletin_data import (
    GROWTH_CHART,
    INDICATOR_TABLE,
    KEY_CHART,
    NOTES,
    PLACEHOLDER_TEXT,
    sample_bulletin,
)


@pytest.fixture(scope="module")
def standalone():
    return render_html(sample_bulletin(), standalone=True)


@pytest.fixture(scope="module")
def fragment():
    return render_html(sample_bulletin(), standalone=False)


def bulletin_js() -> str:
    return BULLETIN_JS.read_text(encoding="utf-8")


def all_cells(bulletin):
    for section in bulletin.sections:
        for table in section.tables + tuple(c.table for c in section.charts):
            yield from table.columns
            for row in table.rows:
                yield from row


def test_standalone_is_a_complete_utf8_document(standalone):
    assert standalone.lstrip().lower().startswith("<!doctype html>")
    assert '<meta charset="utf-8">' in standalone
    assert "<title>示范科学城高新区2024年上半年经济运行简报</title>" in standalone
    assert standalone.rstrip().endswith("</html>")


def test_standalone_states_every_text_and_table_number(standalone):
    bulletin = sample_bulletin()
    texts = [bulletin.title, bulletin.issuer, "2024年7月15日", bulletin.summary, *NOTES]
    texts += [p for s in bulletin.sections for p in s.paragraphs]
    for text in [*texts, *all_cells(bulletin)]:
        assert html_lib.escape(text, quote=False) in standalone, text
    assert "表1　主要经济指标（2024年1—6月）" in standalone and "表4　重点项目投资完成情况" in standalone
    assert "图1　主要指标累计增速" in standalone and "图2　重点项目投资完成率与时序进度" in standalone
    for heading in ("一、主要经济指标", "二、招商引资", "三、项目建设", "四、产业转型", "五、存在问题与下步工作"):
        assert f"<h2>{heading}</h2>" in standalone


def test_standalone_loads_nothing_from_outside(standalone):
    # No element fetches anything: no script/link/img/iframe with a src or href, no CSS import or url().
    markup = re.sub(r"(<script\b[^>]*>).*?(</script>)", r"\1\2", standalone, flags=re.S)
    assert not re.search(r"<(script|link|img|iframe|object|embed|source)\b[^>]*\b(src|href)\s*=", markup, re.I)
    assert "@import" not in markup and "url(" not in markup
    assert "http" not in bulletin_js()
    # The vendored ECharts and the drawing script are inside the file.
    assert "echarts" in standalone and len(standalone) > 500_000
    assert "[data-chart]" in standalone
    # Each script element closes once: the inlined code holds no "</script" of its own.
    assert standalone.lower().count("</script") == standalone.lower().count("<script")


def test_numeric_columns_are_marked_for_right_alignment(standalone):
    row = re.search(r"<tr><th scope=\"row\"[^>]*>地区生产总值</th>(.*?)</tr>", standalone).group(1)
    cells = re.findall(r"<td(?: class=\"([^\"]*)\")?>([^<]*)</td>", row)
    # columns 1… of INDICATOR_TABLE: 单位 is text, 累计值 to 全市增速 numeric, 年度目标 text
    numeric = ["num" in classes.split() for classes, _text in cells]
    assert numeric == [c in INDICATOR_TABLE.numeric_columns for c in range(1, 7)]
    assert [text for _classes, text in cells] == list(INDICATOR_TABLE.rows[0][1:])
    # short columns never wrap; 年度目标 (增长10.0%；600亿元 is long) may
    assert ["nowrap" in classes.split() for classes, _text in cells] == [True] * 5 + [False]


def chart_payload(html: str, key: str) -> dict:
    match = re.search(rf'<script id="{chart_dom_id(key)}" type="application/json">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


@pytest.mark.parametrize("chart", [GROWTH_CHART, KEY_CHART], ids=["line", "bar"])
def test_each_chart_has_its_element_data_and_table(fragment, chart):
    assert f'data-chart="{chart.key}" data-source="{chart_dom_id(chart.key)}"' in fragment
    data = chart_payload(fragment, chart.key)
    assert data["kind"] == chart.kind and data["categories"] == list(chart.categories)
    assert data["unit"] == chart.unit and data["unit_label"] == f"单位：{chart.unit}"
    assert [s["name"] for s in data["series"]] == [s.name for s in chart.series]
    assert [s["values"] for s in data["series"]] == [list(s.values) for s in chart.series]  # None → null
    assert f"<caption>{chart.table.caption}</caption>" in fragment


def test_fragment_has_no_executable_inline_script(fragment):
    assert "<html" not in fragment and "<body" not in fragment
    scripts = re.findall(r"<script\b([^>]*)>", fragment)
    assert scripts and all('type="application/json"' in attributes for attributes in scripts)
    assert "window.echarts" not in fragment


def test_placeholder_looks_editable(fragment):
    assert re.search(r'<div class="bulletin-placeholder"[^>]*>' + re.escape(PLACEHOLDER_TEXT) + "</div>", fragment)
    bare = dataclasses.replace(sample_bulletin(), sections=(Section("存在问题与下步工作", placeholder=True),))
    assert "【待填写：存在问题与下步工作】" in render_html(bare, standalone=False)


def test_everything_is_escaped():
    evil = "<script>alert(1)</script>&"
    chart = Chart("x</script>", evil, "bar", (evil,), (Series(evil, (1.0,)),), "%",
                  Table(evil, ("a", "b"), ((evil, "1"),)))
    bulletin = dataclasses.replace(sample_bulletin(), title=evil, summary=evil, notes=(evil,), sections=(
        Section(evil, paragraphs=(evil,), tables=(Table(evil, (evil,), ((evil,),), note=evil),), charts=(chart,)),))
    for standalone in (False, True):
        out = render_html(bulletin, standalone=standalone)
        body = out.split("<script>", 1)[0]  # before the inlined libraries
        assert "<script>alert" not in body
        assert "&lt;script&gt;alert(1)&lt;/script&gt;&amp;" in body
        # The JSON payload escapes < > & too, so it cannot close its <script> element.
        assert "\\u003Cscript\\u003E" in body
        assert 'data-chart="x&lt;/script&gt;"' in body and 'id="bulletin-chart-x--script-"' in body
