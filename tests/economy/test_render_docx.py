"""The Word bulletin: GB/T 9704 page, fonts named for Word (w:eastAsia), tables, pictures, page numbers."""

import dataclasses
import io
import zipfile

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from gaoxin.economy.document import Section
from gaoxin.economy.render import docx as renderer
from gaoxin.economy.render.charts import cjk_font_available
from gaoxin.economy.render.docx import CHAR_SPACE, column_widths, render_docx, title_lines
from gaoxin.economy.render.layout import cn_date, cn_number

from .bulletin_data import (
    CHANNEL_TABLE,
    GROWTH_CHART,
    INDICATOR_TABLE,
    INDUSTRY_TABLE,
    KEY_CHART,
    KEY_TABLE,
    NOTES,
    PLACEHOLDER_TEXT,
    sample_bulletin,
)

needs_cjk = pytest.mark.skipif(not cjk_font_available(), reason="no CJK font installed (apt-get install fonts-noto-cjk)")
TABLES = (INDICATOR_TABLE, CHANNEL_TABLE, INDUSTRY_TABLE, KEY_TABLE)
NO_FONT = "（本机未安装中文字体，图表以表格代替。）"


def open_docx(data: bytes):
    return Document(io.BytesIO(data))


@pytest.fixture(scope="module")
def doc():
    return open_docx(render_docx(sample_bulletin()))


@pytest.fixture
def no_font(monkeypatch):
    monkeypatch.setattr(renderer, "chart_png", lambda chart: None)


def east_asia(run_or_style) -> str | None:
    return run_or_style._element.rPr.rFonts.get(qn("w:eastAsia"))


def paragraph(doc, text: str):
    return next(p for p in doc.paragraphs if p.text == text)


def test_a4_with_the_gbt_9704_margins(doc):
    section = doc.sections[0]
    def mm(length):
        return pytest.approx(Mm(length), abs=Mm(0.05))  # Word stores twips

    assert (section.page_width, section.page_height) == (mm(210), mm(297))
    assert (section.top_margin, section.bottom_margin) == (mm(37), mm(35))
    assert (section.left_margin, section.right_margin) == (mm(28), mm(26))
    assert section.page_width - section.left_margin - section.right_margin == mm(156)  # the 版心


def test_22_lines_of_28_characters(doc):
    grid = doc.sections[0]._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars"
    assert grid.get(qn("w:linePitch")) == "579"
    assert grid.get(qn("w:charSpace")) == str(CHAR_SPACE)
    pitch = 16 + CHAR_SPACE / 4096  # pt per character on the grid
    assert 28 * pitch == pytest.approx(156 / 25.4 * 72, abs=0.1)
    normal = doc.styles["Normal"].paragraph_format
    assert normal.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert normal.line_spacing == Pt(28.95)
    assert 22 * 28.95 / 72 * 25.4 == pytest.approx(225, abs=0.5)  # 22 lines fill the 225 mm 版心
    # 28 characters of 3号 condensed by 0.25 pt fit the line.
    condense = doc.styles["Normal"].element.rPr.find(qn("w:spacing")).get(qn("w:val"))
    assert 28 * (16 + int(condense) / 20) <= 156 / 25.4 * 72


def test_normal_style_is_3hao_fangsong_named_for_word(doc):
    normal = doc.styles["Normal"]
    assert normal.font.size == Pt(16)
    assert east_asia(normal) == "仿宋_GB2312"
    assert normal.font.name == "Times New Roman"  # ascii/hAnsi: digits and Latin letters
    lang = normal.element.rPr.find(qn("w:lang"))
    assert lang.get(qn("w:eastAsia")) == "zh-CN"


def test_title_2hao_xiaobiaosong_centred(doc):
    title = doc.paragraphs[0]
    assert title.text.replace("\n", "") == "示范科学城高新区2024年上半年经济运行简报"
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    run = title.runs[0]
    assert run.font.size == Pt(22)
    assert east_asia(run) == "方正小标宋简体"
    issuer = doc.paragraphs[1]
    assert issuer.text == "示范科学城高新区管委会　　2024年7月15日"
    assert east_asia(issuer.runs[0]) == "楷体_GB2312"


def test_headings_numbered_in_heiti(doc):
    expected = ["一、主要经济指标", "二、招商引资", "三、项目建设", "四、产业转型", "五、存在问题与下步工作"]
    headings = [p for p in doc.paragraphs if p.text in expected]
    assert [p.text for p in headings] == expected
    for heading in headings:
        assert all(east_asia(run) == "黑体" and run.font.size == Pt(16) for run in heading.runs)
        assert heading._p.pPr.find(qn("w:outlineLvl")).get(qn("w:val")) == "0"
        assert heading.paragraph_format.keep_with_next


def test_body_justified_with_a_two_character_indent(doc):
    body = paragraph(doc, sample_bulletin().sections[0].paragraphs[0])
    assert body.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert body._p.pPr.ind.get(qn("w:firstLineChars")) == "200"
    assert body.paragraph_format.first_line_indent == Pt(32)
    assert east_asia(body.runs[0]) == "仿宋_GB2312"
    summary = paragraph(doc, sample_bulletin().summary)
    assert summary.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY


def cell_texts(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


@needs_cjk
def test_tables_with_captions_bold_headers_and_right_aligned_numbers(doc):
    assert len(doc.tables) == len(TABLES)
    for number, (table, expected) in enumerate(zip(doc.tables, TABLES, strict=True), start=1):
        assert cell_texts(table) == [list(expected.columns), *map(list, expected.rows)]
        caption = paragraph(doc, f"表{number}　{expected.caption}")
        assert east_asia(caption.runs[0]) == "黑体"
        # the caption sits right above its table
        assert caption._p.getnext() is table._tbl
        header = table.rows[0]
        assert all(run.font.bold for cell in header.cells for run in cell.paragraphs[0].runs)
        assert header._tr.trPr.find(qn("w:tblHeader")) is not None  # repeated on a new page
        for row in table.rows[1:]:
            for col, cell in enumerate(row.cells):
                align = cell.paragraphs[0].alignment
                wanted = WD_ALIGN_PARAGRAPH.RIGHT if col in expected.numeric_columns else WD_ALIGN_PARAGRAPH.LEFT
                assert align == wanted, (expected.caption, col)
                run = cell.paragraphs[0].runs[0]
                assert east_asia(run) == "仿宋_GB2312" and run.font.size == Pt(12)
    note = paragraph(doc, f"注：{INDICATOR_TABLE.note}")
    assert note.runs[0].font.size == Pt(12)


@needs_cjk
def test_a_picture_per_chart_with_its_caption_below(doc):
    shapes = doc.inline_shapes
    assert len(shapes) == 2
    for shape in shapes:
        assert shape.width <= Mm(156)
    texts = [p.text for p in doc.paragraphs]
    for number, chart in enumerate((GROWTH_CHART, KEY_CHART), start=1):
        index = texts.index(f"图{number}　{chart.title}")
        above = doc.paragraphs[index - 1]
        assert above._p.xpath(".//pic:pic")  # the picture is right above its caption
        # an inline picture needs single spacing: exact 28.95 pt would crop it to one line
        assert above.paragraph_format.line_spacing_rule == WD_LINE_SPACING.SINGLE
    assert NO_FONT not in texts


def test_without_a_cjk_font_charts_become_tables_and_say_so(no_font):
    doc = open_docx(render_docx(sample_bulletin()))
    assert len(doc.inline_shapes) == 0
    assert len(doc.tables) == len(TABLES) + 2
    texts = [p.text for p in doc.paragraphs]
    assert texts.count(NO_FONT) == 2
    captions = [t for t in texts if t.startswith("表")]
    assert f"表2　{GROWTH_CHART.table.caption}" in captions  # numbered with the other tables, in reading order
    assert f"表6　{KEY_CHART.table.caption}" in captions
    replaced = [cell_texts(t) for t in doc.tables]
    assert [list(GROWTH_CHART.table.columns), *map(list, GROWTH_CHART.table.rows)] in replaced
    assert not any(t.startswith("图") for t in texts)


def test_placeholder_is_highlighted_for_the_office(doc, no_font):
    placeholder = paragraph(doc, PLACEHOLDER_TEXT)
    assert placeholder.runs[0].font.highlight_color == WD_COLOR_INDEX.YELLOW
    bulletin = sample_bulletin()
    bare = dataclasses.replace(bulletin, sections=(Section("存在问题与下步工作", placeholder=True),
                                                   Section("其他", paragraphs=("问题一", ), placeholder=True)))
    other = open_docx(render_docx(bare))
    texts = [p.text for p in other.paragraphs]
    assert "【待填写：存在问题与下步工作】" in texts and "【待填写：问题一】" in texts


def test_notes_at_the_end_in_4hao(doc):
    texts = [p.text for p in doc.paragraphs]
    start = texts.index("附注：")
    assert texts[start + 1:start + 1 + len(NOTES)] == [f"{i}. {n}" for i, n in enumerate(NOTES, start=1)]
    for p in doc.paragraphs[start:start + 1 + len(NOTES)]:
        assert p.runs[0].font.size == Pt(14)
    assert all(not t for t in texts[start + 1 + len(NOTES):])


def footer_xml(footer) -> str:
    return footer._element.xml


def test_page_numbers_outside_odd_right_even_left(doc):
    assert doc.settings.odd_and_even_pages_header_footer
    section = doc.sections[0]
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer,
                                                                         WD_ALIGN_PARAGRAPH.LEFT)):
        assert not footer.is_linked_to_previous
        p = footer.paragraphs[0]
        assert p.alignment == align
        xml = footer_xml(footer)
        assert 'w:fldCharType="begin"' in xml and "PAGE" in xml and 'w:fldCharType="end"' in xml
        assert p.text.startswith("— ") and p.text.endswith(" —")
        assert all(east_asia(run) == "宋体" and run.font.size == Pt(14) for run in p.runs)
    assert section.footer.paragraphs[0].paragraph_format.right_indent == Pt(14)  # one character in
    assert section.even_page_footer.paragraphs[0].paragraph_format.left_indent == Pt(14)


def test_core_properties(doc):
    assert doc.core_properties.title == "示范科学城高新区2024年上半年经济运行简报"
    assert doc.core_properties.author == "示范科学城高新区管委会"


def test_deterministic_apart_from_timestamps():
    def parts(data):
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return {name: z.read(name) for name in z.namelist() if name != "docProps/core.xml"}

    assert parts(render_docx(sample_bulletin())) == parts(render_docx(sample_bulletin()))


def test_markup_in_the_text_is_text():
    bulletin = dataclasses.replace(sample_bulletin(), summary="A<B & C>D 的“引号”")
    doc = open_docx(render_docx(bulletin))
    assert "A<B & C>D 的“引号”" in [p.text for p in doc.paragraphs]


def test_title_lines_break_where_the_meaning_allows():
    assert title_lines("测试高新区2024年上半年经济运行简报") == ["测试高新区2024年上半年经济运行简报"]
    assert title_lines("示范科学城高新区2024年上半年经济运行简报") == ["示范科学城高新区2024年上半年", "经济运行简报"]
    long = "某某省某某市国家级高新技术产业开发区管理委员会2024年前三季度经济运行简报"
    lines = title_lines(long)
    assert lines == ["某某省某某市国家级高新技术产业开发区", "管理委员会2024年前三季度经济运行简报"]
    assert "".join(title_lines("甲" * 50)) == "甲" * 50 and len(title_lines("甲" * 50)) == 3


def test_numeric_columns_keep_their_width():
    widths = column_widths(INDICATOR_TABLE)
    assert sum(widths) == pytest.approx(156)
    # 累计值 (3085.9) and the growth columns are not squeezed below their widest number plus padding
    char_mm = 12 * 25.4 / 72
    assert widths[2] >= (3 + 1.2) * char_mm - 0.01


@pytest.mark.parametrize(("n", "text"), [(1, "一"), (9, "九"), (10, "十"), (12, "十二"), (20, "二十"), (23, "二十三")])
def test_section_numbers(n, text):
    assert cn_number(n) == text


def test_issue_date_without_zero_padding():
    import datetime as dt

    assert cn_date(dt.date(2025, 7, 5)) == "2025年7月5日"
