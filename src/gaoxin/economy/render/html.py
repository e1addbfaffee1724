"""The bulletin as HTML: a standalone file that works offline, or the fragment the bulletin page previews.

Both come from the same Django template (autoescaped: every text of the bulletin is data). Charts are
`<div class="chart" data-chart="key">` elements whose figures travel as `json_script` data and are drawn by
static/gaoxin/bulletin.js with ECharts; the same figures sit in a table under each chart for readers and
printers without scripts.

- standalone=True: a complete UTF-8 document; the vendored ECharts and bulletin.js are inlined, so the file
  opens from a USB stick on an intranet PC with no server and no internet.
- standalone=False: the fragment only; the page loads the two scripts as static files, because the site's
  Content-Security-Policy forbids inline scripts.
"""

import re
from functools import lru_cache
from pathlib import Path

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from ..document import Bulletin, Chart, Table
from .layout import cn_date, cn_number

STATIC = Path(__file__).resolve().parents[2] / "static"
ECHARTS = STATIC / "vendor" / "echarts" / "echarts.min.js"
BULLETIN_JS = STATIC / "gaoxin" / "bulletin.js"


@lru_cache(maxsize=4)
def _script(path: Path) -> str:
    # Inlined inside <script>: a literal "</script" would end the element early.
    text = path.read_text(encoding="utf-8")
    return re.sub(r"</(script)", r"<\\/\1", text, flags=re.IGNORECASE)


def chart_dom_id(key: str) -> str:
    return "bulletin-chart-" + re.sub(r"[^A-Za-z0-9_-]", "-", key)


# Cells up to this many characters never wrap (units, numbers, short names); the header and longer text may.
NOWRAP_CHARS = 10


def _table(table: Table, number: int | None) -> dict:
    numeric = set(table.numeric_columns)
    width = len(table.columns)
    rows = [[row[col] if col < len(row) else "" for col in range(width)] for row in table.rows]
    classes = []
    for col in range(width):
        names = (["num"] if col in numeric else []) + (
            ["nowrap"] if all(len(r[col]) <= NOWRAP_CHARS for r in rows) else [])
        classes.append(" ".join(names))
    return {
        "caption": table.caption if number is None else _("表%(n)s　%(caption)s") % {"n": number,
                                                                                   "caption": table.caption},
        "columns": [{"name": name, "num": col in numeric} for col, name in enumerate(table.columns)],
        "rows": [[{"text": text, "class": classes[col]} for col, text in enumerate(row)] for row in rows],
        "note": table.note,
    }


def chart_data(chart: Chart) -> dict:
    """What bulletin.js needs to draw the chart (json_script payload)."""
    return {
        "key": chart.key,
        "kind": chart.kind if chart.kind in ("line", "bar") else "bar",
        "title": chart.title,
        "unit": chart.unit,
        "unit_label": _("单位：%(unit)s") % {"unit": chart.unit} if chart.unit else "",
        "categories": list(chart.categories),
        "series": [{"name": s.name, "values": [None if v is None else float(v) for v in s.values]}
                   for s in chart.series],
    }


def _chart(chart: Chart, number: int) -> dict:
    return {
        "key": chart.key,
        "dom_id": chart_dom_id(chart.key),
        "caption": _("图%(n)s　%(title)s") % {"n": number, "title": chart.title},
        "title": chart.title,
        "data": chart_data(chart),
        "table": _table(chart.table, None),
    }


def bulletin_context(bulletin: Bulletin) -> dict:
    tables = figures = 0
    sections = []
    for number, section in enumerate(bulletin.sections, start=1):
        rendered_tables = []
        for table in section.tables:
            tables += 1
            rendered_tables.append(_table(table, tables))
        charts = []
        for chart in section.charts:
            figures += 1
            charts.append(_chart(chart, figures))
        paragraphs = section.paragraphs
        if section.placeholder:
            paragraphs = tuple(p if p.startswith("【") else _("【待填写：%(text)s】") % {"text": p}
                               for p in (section.paragraphs or (section.heading,)))
        sections.append({"number": cn_number(number), "heading": section.heading, "paragraphs": paragraphs,
                         "placeholder": section.placeholder, "tables": rendered_tables, "charts": charts})
    return {"bulletin": bulletin, "issued_on": cn_date(bulletin.issued_on), "sections": sections}


def render_html(bulletin: Bulletin, *, standalone: bool) -> str:
    context = bulletin_context(bulletin)
    if not standalone:
        return render_to_string("economy/render/bulletin.html", context)
    # Our own vendored files, inlined as code (escaped, they would not run).
    context.update(standalone=True, echarts_js=mark_safe(_script(ECHARTS)), bulletin_js=mark_safe(_script(BULLETIN_JS)))
    return render_to_string("economy/render/standalone.html", context)
