"""Reading an uploaded .xlsx (python-calamine) or .csv (csv module) into header + rows.

Row numbers are those the user sees: in Excel the sheet's row number, in a CSV the record number
(the header line is 1). Empty rows are skipped but keep the numbering of the rows around them.
"""

import codecs
import csv
import io
import unicodedata
from dataclasses import dataclass
from pathlib import PurePath

import python_calamine
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .parsers import display, is_blank

EXTENSIONS = (".xlsx", ".csv")
MAX_BYTES = 50 * 1024 * 1024
MAX_ROWS = 200_000
# sheets of our own template that never hold data
AUXILIARY_SHEETS = ("填表说明", "选项")
HEADER_SEARCH_ROWS = 10
# CSV cells our export protected against formula injection start with an apostrophe
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class ImportFileError(ValueError):
    """The file as a whole cannot be read; the message says why in Chinese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Table:
    header_row: int
    headers: list
    rows: list[tuple[int, list]]  # (row number, cells), non-empty rows only
    sheet: str = ""


def header_key(text) -> str:
    """A header as compared: NFKC (full-width brackets → half-width), no spaces, no required mark."""
    return "".join(unicodedata.normalize("NFKC", display(text)).split()).strip("*")


def extension(filename: str) -> str:
    return PurePath(filename or "").suffix.lower()


def check_upload(filename: str, size: int) -> None:
    if extension(filename) not in EXTENSIONS:
        raise ImportFileError(_("只能导入 .xlsx 或 .csv 文件；旧版 .xls 请在 Excel 中另存为 .xlsx。"))
    if size == 0:
        raise ImportFileError(_("文件是空的。"))
    if size > MAX_BYTES:
        raise ImportFileError(_("文件超过 %(n)s MB，请拆分后分批导入。") % {"n": MAX_BYTES // (1024 * 1024)})


def read_table(data: bytes, *, filename: str, sheet_name: str = "", known_headers: frozenset[str] = frozenset()) -> Table:
    """Header and non-empty rows of the file; raises ImportFileError for a file that cannot be used.

    The header row is the first of the first few non-empty rows that holds a known header, so a
    title row above it does no harm; without any known header it is the first non-empty row.
    """
    check_upload(filename, len(data))
    if extension(filename) == ".csv":
        rows, sheet = _csv_rows(data), ""
    else:
        rows, sheet = _xlsx_rows(data, sheet_name)
    return _table(rows, sheet, known_headers)


def _blank_row(cells) -> bool:
    return all(is_blank(c) for c in cells)


def _table(rows, sheet: str, known_headers: frozenset[str]) -> Table:
    rows = iter(rows)
    buffered: list[tuple[int, list]] = []
    try:
        for number, cells in rows:
            if _blank_row(cells):
                continue
            buffered.append((number, cells))
            if any(header_key(c) in known_headers for c in cells) or len(buffered) >= HEADER_SEARCH_ROWS:
                break
        if not buffered:
            raise ImportFileError(_("文件中没有任何内容。"))
        at = next(
            (i for i, (_n, cells) in enumerate(buffered) if any(header_key(c) in known_headers for c in cells)), 0
        )
        header_row, headers = buffered[at]
        body = buffered[at + 1:]
        for number, cells in rows:
            if _blank_row(cells):
                continue
            body.append((number, cells))
            if len(body) > MAX_ROWS:
                raise ImportFileError(_("文件超过 %(n)s 行数据，请拆分后分批导入。") % {"n": MAX_ROWS})
    except python_calamine.CalamineError:
        raise ImportFileError(str(UNREADABLE_XLSX)) from None
    if not body:
        raise ImportFileError(_("文件中只有表头，没有数据行。"))
    return Table(header_row=header_row, headers=list(headers), rows=body, sheet=sheet)


UNREADABLE_XLSX = gettext_lazy("无法读取该 Excel 文件：文件已损坏或不是 .xlsx 格式；请在 Excel 中打开后另存为 .xlsx 再导入。")


def _xlsx_rows(data: bytes, sheet_name: str):
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        visible = [
            m.name for m in workbook.sheets_metadata
            if m.visible == python_calamine.SheetVisibleEnum.Visible and m.typ == python_calamine.SheetTypeEnum.WorkSheet
        ]
        if sheet_name and sheet_name in visible:
            name = sheet_name
        else:
            name = next((n for n in visible if n not in AUXILIARY_SHEETS), None)
        if name is None:
            raise ImportFileError(_("工作簿中没有可导入的工作表。"))
        sheet = workbook.get_sheet_by_name(name)
    except python_calamine.PasswordError:
        raise ImportFileError(_("文件设置了打开密码，请取消密码后再导入。")) from None
    except python_calamine.CalamineError:
        raise ImportFileError(str(UNREADABLE_XLSX)) from None
    # iter_rows starts at the sheet's first row even when the used range starts lower
    return ((i + 1, cells) for i, cells in enumerate(sheet.iter_rows())), name


def _decode(data: bytes) -> str:
    if data.startswith(b"PK\x03\x04"):
        raise ImportFileError(_("这是一个 Excel 文件而不是 CSV：请把扩展名改为 .xlsx 后再导入。"))
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ("utf-16",)
    else:
        # Excel in a Chinese locale saves “CSV (逗号分隔)” in GBK, of which GB18030 is a superset
        encodings = ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break
        return text
    raise ImportFileError(_("无法识别 CSV 文件的编码：请在 Excel 中另存为“CSV UTF-8（逗号分隔）”后再导入。"))


def _unprotect(value: str) -> str:
    if value.startswith("'") and value[1:2] in FORMULA_START:
        return value[1:]
    return value


def _csv_rows(data: bytes):
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", "\t", ";"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)

    def rows():
        try:
            for number, cells in enumerate(reader, start=1):
                yield number, [_unprotect(c) for c in cells]
        except csv.Error:
            raise ImportFileError(_("CSV 文件格式错误（引号不配对或含有非法字符），请在 Excel 中打开后重新保存。")) from None

    return rows()
