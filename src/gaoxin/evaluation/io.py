"""Reading evaluation inputs (.csv, .xlsx, .parquet) into Polars and writing results, all or nothing.

No Django here either, so the engine and its benchmark run without it. Errors are `TableError`s with
a Chinese message naming the file and what is wrong.

Reading
- The first row holds the column names (spaces around them trimmed; a UTF-8 BOM dropped).
- .csv: comma-, tab- or semicolon-separated (whichever the header line has most of); UTF-8 (with or
  without BOM), else GB18030 (a superset of the GBK that Excel in a Chinese locale
  writes). Every cell is read as text first, then typed as below, so a code such as "0610" is not
  turned into 610 behind the user's back.
- .xlsx: the first visible worksheet, through python-calamine. Numeric cells stay numbers; text cells
  are typed as below.
- .parquet: the file's own types; only `uscc` is turned into text.
- Typing text columns (csv, and text cells of xlsx): spaces trimmed, an empty cell is null; a column
  all of whose non-empty cells are numbers (thousands separators allowed, e.g. "1,234.5") becomes
  Int64 when they are all whole and Float64 otherwise — unless one of them has a leading zero ("0610"),
  which marks a code; a column of only true/false becomes Boolean; anything else stays text. `uscc`
  always stays text.
- Rows whose cells are all empty are dropped.

Writing
- .csv in plain UTF-8 without a BOM (the output is a contract that programs read: a BOM would become part
  of the first column's name for many readers; people who open results in Excel ask for .xlsx), numbers at
  full precision.
- .parquet as is.
- .xlsx through xlsxwriter; note that xlsxwriter writes numbers with 16 significant digits, which is
  one digit short of an exact round trip of a Float64: use .csv or .parquet when the last bit matters.
- `write_all` writes every output to a temporary file beside its target and renames them only when
  all of them have been written, so a failure leaves no output and no temporary file behind.
"""

import csv
import io
import math
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path

import polars as pl
import python_calamine

INPUT_EXTENSIONS = (".csv", ".xlsx", ".parquet")
OUTPUT_EXTENSIONS = (".csv", ".xlsx", ".parquet")
KEEP_TEXT = ("uscc",)
NUMBER = re.compile(r"^[+-]?((\d+|\d{1,3}(,\d{3})+)(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
LEADING_ZERO = re.compile(r"^[+-]?0\d")
WHOLE = re.compile(r"^[+-]?(\d+|\d{1,3}(,\d{3})+)$")


class TableError(ValueError):
    """A file cannot be read or written; the message says which and why, in Chinese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def extension(path: Path | str) -> str:
    return Path(path).suffix.lower()


def check_extension(path: Path | str, allowed: tuple[str, ...], role: str) -> None:
    if extension(path) not in allowed:
        raise TableError(f"{role}文件 {path} 的扩展名“{extension(path) or '（无）'}”无法识别：只支持 {'、'.join(allowed)}。")


def read_table(path: Path | str) -> pl.DataFrame:
    """The file as a DataFrame with typed columns (see the module docstring)."""
    path = Path(path)
    check_extension(path, INPUT_EXTENSIONS, "输入")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise TableError(f"无法读取输入文件 {path}：{os_reason(exc)}。") from None
    if not data:
        raise TableError(f"输入文件 {path} 是空的。")
    ext = extension(path)
    try:
        if ext == ".parquet":
            frame = pl.read_parquet(data)
            if "uscc" in frame.columns:
                frame = frame.with_columns(pl.col("uscc").cast(pl.String))
        elif ext == ".csv":
            frame = _type_text_columns(_read_csv(data, path))
        else:
            frame = _type_text_columns(_read_xlsx(data, path))
        frame = frame.rename({c: c.strip().lstrip("\ufeff").strip() for c in frame.columns})
    except TableError:
        raise
    except (pl.exceptions.PolarsError, OSError, ValueError) as exc:
        kind = {".parquet": "Parquet", ".csv": "CSV", ".xlsx": "Excel (.xlsx)"}[ext]
        raise TableError(f"无法读取输入文件 {path}：不是有效的 {kind} 文件（{_first_line(exc)}）。") from None
    blank = [c for c in frame.columns if not c]
    if blank:
        raise TableError(f"输入文件 {path} 的表头有空列名：每一列都要有列名。")
    # a fully empty row is a leftover of editing, not a firm
    if frame.width:
        frame = frame.filter(~pl.all_horizontal(pl.all().is_null()))
    return frame


def _read_csv(data: bytes, path: Path) -> pl.DataFrame:
    if data.startswith(b"PK\x03\x04"):
        raise TableError(f"输入文件 {path} 是 Excel 文件而不是 CSV：请把扩展名改为 .xlsx。")
    try:
        data.decode("utf-8")
        encoded = data
    except UnicodeDecodeError:
        try:
            encoded = data.decode("gb18030").encode("utf-8")
        except UnicodeDecodeError:
            raise TableError(f"无法识别输入文件 {path} 的编码：请另存为“CSV UTF-8（逗号分隔）”。") from None
    first_line = encoded.split(b"\n", 1)[0].decode("utf-8", errors="replace")
    separator = max((",", "\t", ";"), key=first_line.count)
    # Polars renames a repeated header ("a_duplicated_0"); the user must hear about it instead
    _check_header(next(csv.reader([first_line.rstrip("\r")], delimiter=separator), []), path)
    return pl.read_csv(encoded, separator=separator, infer_schema=False)


def _check_header(columns: list[str], path: Path) -> None:
    stripped = [c.strip().lstrip("\ufeff").strip() for c in columns]
    dup = sorted({c for c in stripped if c and stripped.count(c) > 1})
    if dup:
        raise TableError(f"输入文件 {path} 的表头有重复的列名：{'、'.join(dup)}。")


def _read_xlsx(data: bytes, path: Path) -> pl.DataFrame:
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        visible = [
            m.name for m in workbook.sheets_metadata
            if m.visible == python_calamine.SheetVisibleEnum.Visible and m.typ == python_calamine.SheetTypeEnum.WorkSheet
        ]
        if not visible:
            raise TableError(f"输入文件 {path} 中没有可见的工作表。")
        rows = workbook.get_sheet_by_name(visible[0]).to_python(skip_empty_area=False)
    except python_calamine.PasswordError:
        raise TableError(f"输入文件 {path} 设置了打开密码，请取消密码后再试。") from None
    except python_calamine.CalamineError as exc:
        raise TableError(f"无法读取输入文件 {path}：文件已损坏或不是 .xlsx 格式（{_first_line(exc)}）。") from None
    # the header is the first non-empty row
    while rows and all(c == "" for c in rows[0]):
        rows.pop(0)
    if not rows:
        raise TableError(f"输入文件 {path} 的工作表“{visible[0]}”是空的。")
    header = [_cell_text(c) for c in rows[0]]
    body = rows[1:]
    # trailing columns without a header and without data are formatting leftovers
    while header and header[-1] == "" and all(len(r) < len(header) or r[len(header) - 1] == "" for r in body):
        header.pop()
    _check_header(header, path)
    if any(h == "" for h in header):
        raise TableError(f"输入文件 {path} 的表头有空列名：每一列都要有列名。")
    columns = {}
    for j, name in enumerate(header):
        cells = [r[j] if j < len(r) else "" for r in body]
        columns[name] = _xlsx_column(name, cells)
    return pl.DataFrame(columns) if columns else pl.DataFrame()


def _xlsx_column(name: str, cells: list) -> pl.Series:
    present = [c for c in cells if c != "" and c is not None]
    if name not in KEEP_TEXT and present:
        if all(isinstance(c, bool) for c in present):
            return pl.Series(name, [None if c == "" else c for c in cells], dtype=pl.Boolean)
        if all(isinstance(c, int | float) and not isinstance(c, bool) for c in present):
            values = [None if c == "" else float(c) for c in cells]
            if all(math.isfinite(v) and v == int(v) and abs(v) < 2**53 for v in values if v is not None):
                return pl.Series(name, [None if v is None else int(v) for v in values], dtype=pl.Int64)
            return pl.Series(name, values, dtype=pl.Float64)
    return pl.Series(name, [None if c == "" or c is None else _cell_text(c) for c in cells], dtype=pl.String)


def _cell_text(cell) -> str:
    if isinstance(cell, bool):
        return "true" if cell else "false"
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if hasattr(cell, "isoformat"):
        return cell.isoformat()
    return str(cell).strip()


def _type_text_columns(frame: pl.DataFrame) -> pl.DataFrame:
    """Text columns that hold only numbers (or only true/false) get a number (boolean) type."""
    changes = []
    for name, dtype in frame.schema.items():
        if dtype != pl.String:
            continue
        text = frame.get_column(name).str.strip_chars().replace("", None)
        changes.append(text if name.strip().lstrip("\ufeff").strip() in KEEP_TEXT else _typed(text))
    return frame.with_columns(changes) if changes else frame


def _typed(text: pl.Series) -> pl.Series:
    present = text.drop_nulls()
    if not present.len():
        return text
    if present.str.contains(NUMBER.pattern).all() and not present.str.contains(LEADING_ZERO.pattern).any():
        plain = text.str.replace_all(",", "", literal=True)
        if present.str.contains(WHOLE.pattern).all():
            whole = plain.cast(pl.Int64, strict=False)
            if whole.null_count() == text.null_count():
                return whole
        number = plain.cast(pl.Float64, strict=False)
        if number.null_count() == text.null_count():
            return number
        return text
    lowered = text.str.to_lowercase()
    if lowered.drop_nulls().is_in(["true", "false"]).all():
        return lowered == "true"
    return text


def write_table(frame: pl.DataFrame, path: Path) -> None:
    """Write `frame` to `path` in the format its extension names (no temporary file: see write_all)."""
    ext = extension(path)
    if ext == ".csv":
        frame.write_csv(path)
    elif ext == ".parquet":
        frame.write_parquet(path)
    elif ext == ".xlsx":
        # "General" shows the number as Excel would by itself, not rounded to polars' default 3 decimals
        frame.write_excel(path, worksheet="评价结果", autofit=False, dtype_formats={pl.Float64: "General"})
    else:  # check_extension() is called before anything is computed
        raise TableError(f"无法识别输出文件 {path} 的扩展名。")


def write_all(outputs: list[tuple[Path, Callable[[Path], None]]]) -> None:
    """Write each output through a temporary file in its directory; rename them all only at the end."""
    temporaries: list[tuple[Path, Path]] = []
    try:
        for target, write in outputs:
            target = Path(target)
            try:
                fd, name = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=f".tmp{target.suffix}",
                                            dir=target.parent if str(target.parent) else ".")
            except OSError as exc:
                raise TableError(f"无法写入输出文件 {target}：{os_reason(exc)}（请检查目录是否存在、是否可写）。") from None
            os.close(fd)
            temporaries.append((Path(name), target))
            try:
                write(Path(name))
            except TableError:
                raise
            except Exception as exc:  # whatever a writer raises, the user gets a sentence and no temporary file
                raise TableError(f"无法写入输出文件 {target}：{_first_line(exc)}。") from None
        mode = 0o666 & ~_umask()  # mkstemp makes the file private; give it the mode a plain open() would
        for temporary, target in temporaries:
            try:
                os.chmod(temporary, mode)
                os.replace(temporary, target)
            except OSError as exc:
                raise TableError(f"无法写入输出文件 {target}：{os_reason(exc)}。") from None
    finally:
        for temporary, _target in temporaries:
            temporary.unlink(missing_ok=True)


def os_reason(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "文件或目录不存在"
    if isinstance(exc, IsADirectoryError):
        return "这是一个目录，不是文件"
    if isinstance(exc, PermissionError):
        return "没有访问权限"
    return str(exc.strerror or exc)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
