"""The bulletin as Markdown (GitHub-flavoured tables): for review, diffs, and pasting into other systems.

Charts cannot be drawn here, so each is given as its data table under the chart's title; the section the
office writes itself is a blockquote marked 【待填写】.
"""

import datetime as dt

from ..document import Bulletin, Chart, Section, Table

NUMERALS = "一二三四五六七八九十"


def chinese_ordinal(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十 (enough for a bulletin's sections)."""
    if not 1 <= n <= 99:
        raise ValueError(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else NUMERALS[tens - 1] + "十")
    return head + ("" if ones == 0 else NUMERALS[ones - 1])


def chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _grid(table: Table) -> list[str]:
    align = ["---:" if i in table.numeric_columns else "---" for i in range(len(table.columns))]
    lines = ["| " + " | ".join(_cell(c) for c in table.columns) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in table.rows]
    return lines


class _Counter:
    def __init__(self):
        self.tables = 0
        self.charts = 0


def _table(table: Table, counter: _Counter) -> list[str]:
    counter.tables += 1
    lines = [f"**表{counter.tables}　{table.caption}**", "", *_grid(table)]
    if table.note:
        lines += ["", f"注：{table.note}"]
    return lines


def _chart(chart: Chart, counter: _Counter) -> list[str]:
    counter.charts += 1
    lines = [f"**图{counter.charts}　{chart.title}**（单位：{chart.unit}）", "", *_grid(chart.table)]
    if chart.table.note:
        lines += ["", f"注：{chart.table.note}"]
    return lines


def _section(number: int, section: Section, counter: _Counter) -> list[str]:
    blocks: list[list[str]] = [[f"## {chinese_ordinal(number)}、{section.heading}"]]
    if section.placeholder:
        quoted = ["> 【待填写】"]
        for paragraph in section.paragraphs:
            quoted += [">", f"> {paragraph}"]
        blocks.append(quoted)
    else:
        blocks += [[p] for p in section.paragraphs]
    blocks += [_table(t, counter) for t in section.tables]
    blocks += [_chart(c, counter) for c in section.charts]
    return _join(blocks)


def _join(blocks: list[list[str]]) -> list[str]:
    lines: list[str] = []
    for block in blocks:
        if lines:
            lines.append("")
        lines += block
    return lines


def render_markdown(bulletin: Bulletin) -> str:
    counter = _Counter()
    blocks = [[f"# {bulletin.title}"], [f"{bulletin.issuer}　{chinese_date(bulletin.issued_on)}"],
              [bulletin.summary]]
    blocks += [_section(i, s, counter) for i, s in enumerate(bulletin.sections, start=1)]
    if bulletin.notes:
        blocks.append(["## 附注", "", *(f"{i}. {note}" for i, note in enumerate(bulletin.notes, start=1))])
    return "\n".join(_join(blocks)) + "\n"
