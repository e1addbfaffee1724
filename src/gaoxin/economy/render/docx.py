"""The bulletin as a Word document in the 公文 layout of GB/T 9704-2012 (economy.md §3.2 and §4).

A4, margins 37/35/28/26 mm, a 22 lines × 28 characters grid, 3号仿宋 body, 2号小标宋 title, 3号黑体 headings,
page numbers "— N —" in 4号宋体 on the outer side (odd pages right, even pages left).

Chinese fonts are named on `w:rFonts w:eastAsia`: python-docx's `font.name` writes only the Latin slots, and
Word then renders Chinese in the theme font. 仿宋_GB2312, 楷体_GB2312 and 方正小标宋简体 are proprietary; they
are referenced by name so Word on a government PC uses them, and nothing is embedded.

The section defines the 22 × 28 document grid (w:docGrid linesAndChars, as the standard's Word templates do),
but paragraphs do not snap to its character cells: snapping pads every run of digits to whole cells ("514.3
亿元" with a gap) and spreads the 22 pt title over two cells a character. The 22 lines come from the exact
28.95 pt line spacing, the 28 characters from 3号 condensed by 0.25 pt; the layout was checked by converting
to PDF with LibreOffice.

Charts are pictures from charts.chart_png; without a CJK font their data tables take their place.
"""

import datetime as dt
import io

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from ..document import Bulletin, Chart, Section, Table
from .charts import chart_png
from .layout import cn_date, cn_number

# Fonts (GB/T 9704 §7.3: 3号仿宋 everywhere unless stated otherwise).
LATIN = "Times New Roman"
FANGSONG = "仿宋_GB2312"
HEITI = "黑体"
KAITI = "楷体_GB2312"
XIAOBIAOSONG = "方正小标宋简体"
SONGTI = "宋体"
# Chinese type sizes: 二号 22 pt, 三号 16 pt, 四号 14 pt, 小四 12 pt.
SIZE_2, SIZE_3, SIZE_4, SIZE_SMALL_4 = Pt(22), Pt(16), Pt(14), Pt(12)

# Page: A4 and the margins that leave a 版心 of 156 × 225 mm.
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
TOP, BOTTOM, LEFT, RIGHT = Mm(37), Mm(35), Mm(28), Mm(26)
TEXT_WIDTH_MM = 156
# 22 lines fill the 225 mm 版心: 225 mm / 22 = 28.95 pt = 579 twips.
LINE_PITCH_TWIPS = 579
LINE = Pt(LINE_PITCH_TWIPS / 20)
# 28 characters fill the 156 mm line: the grid's character pitch is the 16 pt font plus charSpace/4096 pt.
CHAR_SPACE = round((TEXT_WIDTH_MM / 25.4 * 72 / 28 - 16) * 4096)
# The page number's em-dash sits 7 mm under the 版心: footer text ≈ 5 mm high, so 35 − 7 − 5 mm from the edge.
FOOTER_DISTANCE = Mm(23)
PICTURE_WIDTH = Mm(150)  # ≤ the 156 mm 版心

# --- low-level formatting -------------------------------------------------------------------------------

def set_fonts(target, east_asia: str, *, latin: str = LATIN, size=None, bold: bool | None = None) -> None:
    """Fonts of a run or a style, with the east-Asian slot that python-docx does not write."""
    font = target.font
    font.name = latin
    if size is not None:
        font.size = size
    if bold is not None:
        font.bold = bold
    font.color.rgb = RGBColor(0, 0, 0)
    rpr = target._element.get_or_add_rPr()
    rfonts = rpr.get_or_add_rFonts()
    rfonts.set(qn("w:eastAsia"), east_asia)
    rfonts.set(qn("w:hint"), "eastAsia")


def _fixed_lines(paragraph_format, spacing=LINE) -> None:
    paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    paragraph_format.line_spacing = spacing
    paragraph_format.space_before = Pt(0)
    paragraph_format.space_after = Pt(0)


def _single_lines(paragraph_format) -> None:
    paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    paragraph_format.space_before = Pt(0)
    paragraph_format.space_after = Pt(0)


def _indent_chars(paragraph, chars: int = 2, size=SIZE_3) -> None:
    """First-line indent in characters (w:firstLineChars, which Word prefers) with a twips fallback."""
    paragraph.paragraph_format.first_line_indent = size * chars
    ind = paragraph._p.get_or_add_pPr().get_or_add_ind()
    ind.set(qn("w:firstLineChars"), str(chars * 100))


def _outline_level(paragraph, level: int) -> None:
    # Headings stay Normal-styled (Word's Heading styles are blue Calibri) but still show in the navigation pane.
    paragraph._p.get_or_add_pPr().get_or_add_outlineLvl().set(qn("w:val"), str(level))


def _off_grid(ppr) -> None:
    """Paragraphs do not snap to the character grid: on it every Latin run is padded to whole cells (a gap
    after 514.3 and 8.2%) and a 22 pt title character takes two cells. 28 characters a line come instead
    from the 0.25 pt condensing of the 3号 body (see _setup)."""
    element = OxmlElement("w:snapToGrid")
    element.set(qn("w:val"), "0")
    ppr.insert_element_before(
        element, "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
        "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle",
        "w:rPr", "w:sectPr", "w:pPrChange")


def _keep_with_next(paragraph) -> None:
    paragraph.paragraph_format.keep_with_next = True


def _paragraph(doc, text: str, *, font: str = FANGSONG, size=SIZE_3, bold: bool = False,
               align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent: int = 2, spacing=LINE):
    paragraph = doc.add_paragraph()
    paragraph.alignment = align
    _fixed_lines(paragraph.paragraph_format, spacing)
    if indent:
        _indent_chars(paragraph, indent, size)
    if text:
        set_fonts(paragraph.add_run(text), font, size=size, bold=bold or None)
    return paragraph


def _page_number_run(paragraph, text: str = "", field: bool = False) -> None:
    """A 4号宋体 run: literal text, or a PAGE field (begin / instruction / separate / '1' / end)."""
    if not field:
        set_fonts(paragraph.add_run(text), SONGTI, latin=SONGTI, size=SIZE_4)
        return
    for kind, instruction in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        run = paragraph.add_run()
        set_fonts(run, SONGTI, latin=SONGTI, size=SIZE_4)
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
            run._r.append(element)
        elif instruction == " PAGE ":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = instruction
            run._r.append(element)
        else:
            run.text = instruction  # the cached result Word shows until it updates the field


def _page_number(footer, align) -> None:
    """"— N —" on the outer side, one character in from the margin (GB/T 9704 §7.5)."""
    paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    paragraph.alignment = align
    _single_lines(paragraph.paragraph_format)
    if align == WD_ALIGN_PARAGRAPH.RIGHT:
        paragraph.paragraph_format.right_indent = SIZE_4
    else:
        paragraph.paragraph_format.left_indent = SIZE_4
    _page_number_run(paragraph, "— ")
    _page_number_run(paragraph, field=True)
    _page_number_run(paragraph, " —")


# --- page and styles ------------------------------------------------------------------------------------

def _setup(doc, bulletin: Bulletin) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = TOP, BOTTOM
    section.left_margin, section.right_margin = LEFT, RIGHT
    section.header_distance, section.footer_distance = Mm(15), FOOTER_DISTANCE
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))
    grid.set(qn("w:charSpace"), str(CHAR_SPACE))

    normal = doc.styles["Normal"]
    set_fonts(normal, FANGSONG, size=SIZE_3)
    _fixed_lines(normal.paragraph_format)
    _off_grid(normal.element.get_or_add_pPr())
    rpr = normal.element.get_or_add_rPr()
    # 28 characters of 3号 (16 pt) are 448 pt, the 版心 line 442 pt: condensed by 0.25 pt they fit.
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), "-5")
    rpr.insert_element_before(spacing, "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u",
                              "w:effect", "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em",
                              "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath")
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    rpr.append(lang)
    # The built-in footer style would otherwise carry Calibri into the page number's line height.
    set_fonts(doc.styles["Footer"], SONGTI, latin=SONGTI, size=SIZE_4)

    doc.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)

    props = doc.core_properties
    props.title = bulletin.title
    props.author = bulletin.issuer
    props.last_modified_by = bulletin.issuer
    props.subject = _("经济运行简报")
    props.language = "zh-CN"
    props.keywords = ""
    props.comments = ""
    props.revision = 1
    now = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
    props.created = props.modified = now


# --- content --------------------------------------------------------------------------------------------

def _caption(doc, text: str, *, above: bool) -> None:
    paragraph = _paragraph(doc, text, font=HEITI, size=SIZE_4, align=WD_ALIGN_PARAGRAPH.CENTER, indent=0)
    _single_lines(paragraph.paragraph_format)
    paragraph.paragraph_format.space_before = Pt(6) if above else Pt(2)
    paragraph.paragraph_format.space_after = Pt(2) if above else Pt(6)
    if above:
        _keep_with_next(paragraph)


def _cell_text(cell, text: str, *, bold: bool, align) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.alignment = align
    _single_lines(paragraph.paragraph_format)
    set_fonts(paragraph.add_run(text), FANGSONG, size=SIZE_SMALL_4, bold=bold or None)


def _repeat_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    trpr.append(element)


def text_width(text: str) -> float:
    """Width in characters of the text's size: Chinese characters one, Latin letters and digits half."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in text)


def column_widths(table: Table, total_mm: float = TEXT_WIDTH_MM, char_mm: float = 12 * 25.4 / 72) -> list[float]:
    """Column widths in mm for a 小四 table. Each column asks for its widest cell (a header may wrap onto two
    lines) plus the cell padding; when they do not all fit, the wide text columns give way (they wrap) and
    the numeric ones keep their width, so no number is broken."""
    padding = 1.2  # characters: Word's default cell margins, 1.9 mm each side
    need = []
    for col, name in enumerate(table.columns):
        cells = [row[col] for row in table.rows if col < len(row)]
        need.append(max([text_width(c) for c in cells] + [text_width(name) / 2, 2.0]) + padding)
    available = total_mm / char_mm
    if sum(need) > available:
        numeric = set(table.numeric_columns)
        flexible = [c for c, n in enumerate(need) if c not in numeric and n > 4 + padding]
        fixed = sum(n for c, n in enumerate(need) if c not in flexible)
        room = available - fixed
        wanted = sum(need[c] for c in flexible)
        if flexible and room > 0:
            for c in flexible:
                need[c] = max(need[c] * room / wanted, 3 + padding)
    whole = sum(need)
    return [total_mm * n / whole for n in need]


def title_lines(title: str, per_line: float = TEXT_WIDTH_MM / 25.4 * 72 / 22 - 1) -> list[str]:
    """The title in lines that fit the 版心 at 2号, broken where the meaning allows (GB/T 9704 §7.3.3): before
    经济运行… when the rest fits, else after the longest fitting place name (…区, …会, …市) or year (…年),
    and only as a last resort wherever the line is full."""
    if text_width(title) <= per_line:
        return [title]
    at = title.find("经济运行")
    if not (0 < at and text_width(title[:at]) <= per_line):
        ends = [i + 1 for i, ch in enumerate(title[:-1]) if ch in "省市县区会年" and text_width(title[:i + 1]) <= per_line]
        at = ends[-1] if ends else max(i for i in range(1, len(title)) if text_width(title[:i]) <= per_line)
    return [title[:at], *title_lines(title[at:], per_line)]


def _table(doc, table: Table, number: int) -> None:
    _caption(doc, _("表%(n)s　%(caption)s") % {"n": number, "caption": table.caption}, above=True)
    grid = doc.add_table(rows=1 + len(table.rows), cols=len(table.columns))
    grid.style = doc.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    numeric = set(table.numeric_columns)
    grid.autofit = False
    for col, width in enumerate(column_widths(table)):
        grid.columns[col].width = Mm(width)
        for cell in grid.columns[col].cells:
            cell.width = Mm(width)
    for col, name in enumerate(table.columns):
        _cell_text(grid.rows[0].cells[col], name, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _repeat_header(grid.rows[0])
    for r, row in enumerate(table.rows, start=1):
        cells = grid.rows[r].cells
        for col in range(len(table.columns)):
            text = row[col] if col < len(row) else ""
            align = WD_ALIGN_PARAGRAPH.RIGHT if col in numeric else WD_ALIGN_PARAGRAPH.LEFT
            _cell_text(cells[col], text, bold=False, align=align)
    if len(table.rows) <= 15:
        # A short table stays on one page: every row keeps with the next (Word's way of saying so).
        for row in grid.rows[:-1]:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    _keep_with_next(paragraph)
    if table.note:
        note = _paragraph(doc, _("注：%(note)s") % {"note": table.note}, size=SIZE_SMALL_4, indent=0)
        _single_lines(note.paragraph_format)
        note.paragraph_format.space_before = Pt(3)
    # A table directly followed by text would touch it; one blank line separates them.
    _paragraph(doc, "", indent=0)


class _Counter:
    def __init__(self):
        self.tables = 0
        self.figures = 0

    def table(self) -> int:
        self.tables += 1
        return self.tables

    def figure(self) -> int:
        self.figures += 1
        return self.figures


def _chart(doc, chart: Chart, counter: _Counter) -> None:
    png = chart_png(chart)
    if png is None:
        _table(doc, chart.table, counter.table())
        sentence = _paragraph(doc, _("（本机未安装中文字体，图表以表格代替。）"), size=SIZE_SMALL_4, indent=0)
        _single_lines(sentence.paragraph_format)
        return
    paragraph = doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    # Exact line spacing would crop an inline picture to one line's height.
    _single_lines(paragraph.paragraph_format)
    paragraph.paragraph_format.space_before = Pt(6)
    _keep_with_next(paragraph)
    paragraph.add_run().add_picture(io.BytesIO(png), width=PICTURE_WIDTH)
    _caption(doc, _("图%(n)s　%(title)s") % {"n": counter.figure(), "title": chart.title}, above=False)


def _placeholder(doc, text: str) -> None:
    # The office writes this part: a highlighted 【待填写：…】 block that nobody can miss before sending.
    text = text if text.startswith("【") else _("【待填写：%(text)s】") % {"text": text}
    paragraph = _paragraph(doc, "")
    run = paragraph.add_run(text)
    set_fonts(run, FANGSONG, size=SIZE_3)
    run.font.highlight_color = WD_COLOR_INDEX.YELLOW


def _section(doc, number: int, section: Section, counter: _Counter) -> None:
    heading = _paragraph(doc, f"{cn_number(number)}、{section.heading}", font=HEITI)
    _outline_level(heading, 0)
    _keep_with_next(heading)
    if section.placeholder:
        for text in section.paragraphs or (section.heading,):
            _placeholder(doc, text)
    else:
        for text in section.paragraphs:
            _paragraph(doc, text)
    for table in section.tables:
        _table(doc, table, counter.table())
    for chart in section.charts:
        _chart(doc, chart, counter)


def render_docx(bulletin: Bulletin) -> bytes:
    """The bulletin as .docx bytes."""
    doc = Document()
    _setup(doc, bulletin)
    title = _paragraph(doc, "", font=XIAOBIAOSONG, size=SIZE_2, align=WD_ALIGN_PARAGRAPH.CENTER, indent=0)
    title_run = title.add_run()
    set_fonts(title_run, XIAOBIAOSONG, size=SIZE_2)
    for index, line in enumerate(title_lines(bulletin.title)):
        if index:
            title_run.add_break()
        title_run.add_text(line)
    title.paragraph_format.space_after = LINE  # the title stands apart, one line above the issuer
    _outline_level(title, 0)
    # Issuer and date under the title, in 楷体 as 简报 mastheads have them, then one blank line.
    _paragraph(doc, f"{bulletin.issuer}　　{cn_date(bulletin.issued_on)}", font=KAITI,
               align=WD_ALIGN_PARAGRAPH.CENTER, indent=0)
    _paragraph(doc, "", indent=0)
    if bulletin.summary:
        _paragraph(doc, bulletin.summary)
    counter = _Counter()
    for number, section in enumerate(bulletin.sections, start=1):
        _section(doc, number, section, counter)
    if bulletin.notes:
        _paragraph(doc, "", indent=0)
        _paragraph(doc, _("附注："), size=SIZE_4, indent=0)
        for index, note in enumerate(bulletin.notes, start=1):
            _paragraph(doc, f"{index}. {note}", size=SIZE_4)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
