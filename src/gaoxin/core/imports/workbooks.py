"""Writing workbooks with xlsxwriter: the import template, the error list and exports (.xlsx or .csv).

Every workbook is opened with strings_to_formulas off: a value such as "=HYPERLINK(...)" typed by
a user must stay text when somebody else opens the file.
"""

import csv
import datetime as dt
import io
from collections.abc import Iterable
from decimal import Decimal

import xlsxwriter
from django.utils.translation import gettext as _

from .reader import AUXILIARY_SHEETS, FORMULA_START
from .spec import Column, ImportSpec, RowError

# sheet names are part of the file format (the reader looks for them), so they are not translated
INSTRUCTIONS_SHEET, OPTIONS_SHEET = AUXILIARY_SHEETS
ERRORS_SHEET = "错误清单"
LAST_ROW = 1_048_575  # Excel's last row (0-based)
SAFE = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
HEADER = {"bold": True, "bg_color": "#DCE6F1", "border": 1, "text_wrap": True, "valign": "vcenter"}
KIND_FORMATS = {"code": {"num_format": "@"}, "date": {"num_format": "yyyy-mm-dd"}, "decimal": {"num_format": "0.00"},
                "integer": {"num_format": "0"}}
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def _cell_formats(wb, spec: ImportSpec) -> list:
    """Each column's cell format: by the parser's kind, a decimal column showing exactly its places."""
    made: dict[str, object] = {}
    formats = []
    for column in spec.columns:
        parser = column.parser
        fmt = KIND_FORMATS.get(parser.kind)
        if parser.kind == "decimal" and getattr(parser, "places", 2) != 2:
            fmt = {"num_format": "0." + "0" * parser.places if parser.places else "0"}
        if fmt is None:
            formats.append(None)
            continue
        key = fmt["num_format"]
        if key not in made:
            made[key] = wb.add_format(fmt)
        formats.append(made[key])
    return formats


def _comment(column: Column) -> str:
    lines = [column.title]
    if column.help:
        lines.append(str(column.help))
    if column.parser.describe():
        lines.append(column.parser.describe())
    lines.append(_("必填") if column.required else _("选填"))
    return "\n".join(lines)


def template_workbook(spec: ImportSpec, *, zone=None) -> bytes:
    """The blank import template: data sheet (headers only), 填表说明, and a hidden sheet of drop-down values."""
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True, **SAFE})
    header = wb.add_format(HEADER)
    required = wb.add_format({**HEADER, "font_color": "#C00000"})
    cell_formats = _cell_formats(wb, spec)

    data = wb.add_worksheet(spec.sheet_name)
    instructions = wb.add_worksheet(INSTRUCTIONS_SHEET)
    options = wb.add_worksheet(OPTIONS_SHEET)
    options.hide()
    data.activate()

    option_col = 0
    for index, column in enumerate(spec.columns):
        data.set_column(index, index, column.width, cell_formats[index])
        data.write_string(0, index, column.title, required if column.required else header)
        data.write_comment(0, index, _comment(column), {"x_scale": 2.2, "y_scale": 1.6})
        values, strict = (), True
        if column.parser.kind == "choice":
            values = column.parser.values
        elif column.suggestions is not None and zone is not None:
            values, strict = column.suggestions(zone), False
        if values:
            options.write_string(0, option_col, column.header)
            for r, value in enumerate(values, start=1):
                options.write_string(r, option_col, value)
            letter = xlsxwriter.utility.xl_col_to_name(option_col)
            data.data_validation(1, index, LAST_ROW, index, {
                "validate": "list",
                "source": f"='{OPTIONS_SHEET}'!${letter}$2:${letter}${len(values) + 1}",
                "error_type": "stop" if strict else "warning",
                "error_title": column.header,
                "error_message": (_("请从下拉列表中选择：%(choices)s") % {"choices": "、".join(values)})[:255]
                if strict else _("该值不在已有列表中，确定要使用新名称吗？"),
            })
            option_col += 1
    data.set_row(0, 30)
    data.freeze_panes(1, 0)
    _write_instructions(wb, instructions, spec)
    wb.close()
    return out.getvalue()


def _write_instructions(wb, ws, spec: ImportSpec) -> None:
    title = wb.add_format({"bold": True, "font_size": 14})
    bold = wb.add_format({"bold": True})
    header = wb.add_format(HEADER)
    cell = wb.add_format({"text_wrap": True, "valign": "top", "border": 1})
    red = wb.add_format({"text_wrap": True, "valign": "top", "border": 1, "font_color": "#C00000"})
    grey = wb.add_format({"font_color": "#808080", "border": 1, "num_format": "@"})
    ws.set_column(0, 0, 24)
    ws.set_column(1, 1, 10)
    ws.set_column(2, 2, 48)
    ws.set_column(3, 3, 40)
    names = {"label": spec.label, "sheet": spec.sheet_name, "key": spec.key_label}
    ws.write_string(0, 0, _("%(label)s导入模板 · 填表说明") % names, title)
    rules = [
        _("1. 在“%(sheet)s”工作表中从第 2 行起逐行填写，每行一条%(label)s；不要修改第 1 行的列名，"
          "不要在本说明页填写数据。") % names,
        _("2. 列名带 * 且为红色的是必填列，其余列可以留空；选填列整列删去时，已登记记录的对应字段保持不变。"),
        _("3. 按“%(key)s”更新或新增：文件中的%(key)s在本园区已登记时更新该记录，否则新增；"
          "同一%(key)s在文件中只能出现一次。") % names,
        _("4. 导入要么全部成功，要么一条也不写入：只要有一处错误，系统列出全部错误（行号、列、值、原因），"
          "改正后重新导入整个文件即可。"),
        _("5. 代码列（如统一社会信用代码）已设为文本格式，请勿改成数字格式，否则 Excel 会把长数字截断；"
          "日期按 YYYY-MM-DD 填写，如 2024-03-05。"),
        _("6. 也可以导入 CSV 文件（UTF-8 或 GBK 编码），第一行为同样的列名。"),
        *(str(note) for note in spec.notes),
    ]
    row = 2
    for rule in rules:
        ws.write_string(row, 0, rule)
        row += 1
    row += 1
    ws.write_string(row, 0, _("各列说明"), bold)
    row += 1
    for col, text in enumerate((_("列名"), _("是否必填"), _("含义"), _("格式"))):
        ws.write_string(row, col, text, header)
    for column in spec.columns:
        row += 1
        ws.write_string(row, 0, column.title, red if column.required else cell)
        ws.write_string(row, 1, _("必填") if column.required else _("选填"), cell)
        ws.write_string(row, 2, str(column.help), cell)
        ws.write_string(row, 3, column.parser.describe(), cell)
    row += 2
    ws.write_string(row, 0, _("示例（仅供参考，请在“%(sheet)s”工作表中填写）") % names, bold)
    row += 1
    for col, column in enumerate(spec.columns):
        ws.write_string(row, col, column.title, header)
        ws.write_string(row + 1, col, _text(column.example), grey)
    ws.set_column(4, len(spec.columns), 18)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def errors_workbook(errors: Iterable[RowError], *, title: str) -> bytes:
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True, **SAFE})
    header = wb.add_format(HEADER)
    ws = wb.add_worksheet(ERRORS_SHEET)
    ws.write_string(0, 0, title, wb.add_format({"bold": True}))
    for col, (text, width) in enumerate(((_("行号"), 8), (_("列"), 24), (_("值"), 28), (_("原因"), 80))):
        ws.write_string(2, col, text, header)
        ws.set_column(col, col, width)
    for r, error in enumerate(errors, start=3):
        if error.row is None:
            ws.write_string(r, 0, "—")
        else:
            ws.write_number(r, 0, error.row)
        ws.write_string(r, 1, error.column)
        ws.write_string(r, 2, error.value)
        ws.write_string(r, 3, error.reason)
    ws.freeze_panes(3, 0)
    wb.close()
    return out.getvalue()


def write_export(spec: ImportSpec, objects: Iterable, *, fmt: str, out) -> int:
    """Write `objects` with the import's headers to the binary file `out`; returns the row count."""
    if fmt == "csv":
        return _write_csv(spec, objects, out)
    return _write_xlsx(spec, objects, out)


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    # Excel runs a cell starting with = + - @ as a formula; the reader strips this apostrophe again
    return "'" + text if text.startswith(FORMULA_START) else text


def _write_csv(spec: ImportSpec, objects: Iterable, out) -> int:
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
    writer = csv.writer(text)
    writer.writerow([c.title for c in spec.columns])
    count = 0
    for obj in objects:
        writer.writerow([_csv_cell(v) for v in spec.export_row(obj)])
        count += 1
    text.flush()
    text.detach()  # leave `out` open for the caller
    return count


def _write_xlsx(spec: ImportSpec, objects: Iterable, out) -> int:
    # constant_memory: rows are flushed as written, so a 100,000-row export does not sit in memory
    wb = xlsxwriter.Workbook(out, {"constant_memory": True, **SAFE})
    header = wb.add_format(HEADER)
    required = wb.add_format({**HEADER, "font_color": "#C00000"})
    formats = _cell_formats(wb, spec)
    ws = wb.add_worksheet(spec.sheet_name)
    for index, column in enumerate(spec.columns):
        ws.set_column(index, index, column.width, formats[index])
        ws.write_string(0, index, column.title, required if column.required else header)
    ws.freeze_panes(1, 0)
    count = 0
    for r, obj in enumerate(objects, start=1):
        for c, value in enumerate(spec.export_row(obj)):
            if value is None or value == "":
                continue
            if isinstance(value, dt.date):
                ws.write_datetime(r, c, dt.datetime.combine(value, dt.time()), formats[c])
            elif isinstance(value, (Decimal, int, float)) and not isinstance(value, bool):
                ws.write_number(r, c, float(value), formats[c])
            else:
                ws.write_string(r, c, str(value), formats[c])
        count = r
    wb.close()
    return count
