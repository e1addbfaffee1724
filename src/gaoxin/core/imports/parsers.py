"""Cell parsers: turn what a spreadsheet cell holds into a Python value, or say in Chinese why not.

A parser receives a non-empty raw value as python-calamine or the csv module delivers it (str,
float, int, bool, date, datetime) and returns the typed value, or raises CellError. Its `kind`
tells the template and the export how to format the column (text, code, date, decimal, integer, choice).
"""

import datetime as dt
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

from gaoxin.core import industry, uscc

# Excel's day 0 for serial date numbers (the 1900 leap-year bug makes 1899-12-30 right from 1900-03-01 on).
EXCEL_EPOCH = dt.date(1899, 12, 30)
MAX_EXCEL_SERIAL = 2958465  # 9999-12-31
# Excel keeps 15 significant digits: any longer digit string that passed through a number cell is damaged.
EXCEL_DIGITS = 15
SCIENTIFIC = re.compile(r"^[+-]?\d+(\.\d+)?E[+-]?\d+$")
DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]00:00(?::00(?:\.0+)?)?)?$")
PHONE = re.compile(r"^[0-9+\-()（）\s/、,，;；转]+$")


class CellError(ValueError):
    """A cell's value is not acceptable; `reason` is the Chinese explanation shown to the user."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def is_blank(value) -> bool:
    return value is None or value == "" or (isinstance(value, str) and not value.strip())


def display(value) -> str:
    """A raw cell value as the user sees it in Excel (3971 not 3971.0, 9.13501E+17, 2024-03-05)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 10**EXCEL_DIGITS:
            return str(int(value))
        return f"{value:.15g}".upper()
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def halfwidth(text: str) -> str:
    """Full-width letters, digits and punctuation to half-width (NFKC), surrounding spaces removed."""
    return unicodedata.normalize("NFKC", text).strip()


def too_long(limit: int, length: int) -> str:
    return _("不能超过 %(limit)s 个字符（当前 %(length)s 个）。") % {"limit": limit, "length": length}


def _number_cell(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


class Parser:
    kind = "text"
    blank = ""  # the value an empty optional cell stands for

    def parse(self, value):
        return display(value)

    def describe(self) -> str:
        """The format rule, for the template's header comment and instructions sheet."""
        return ""


class Text(Parser):
    def __init__(self, max_length: int):
        self.max_length = max_length

    def parse(self, value):
        text = display(value)
        if len(text) > self.max_length:
            raise CellError(too_long(self.max_length, len(text)))
        return text

    def describe(self) -> str:
        return _("文本，最多 %(n)s 个字符") % {"n": self.max_length}


class Code(Text):
    """An identifier typed as text: half-width, no spaces; numbers Excel made of it are turned back."""

    kind = "code"

    def __init__(self, max_length: int, *, upper: bool = False):
        super().__init__(max_length)
        self.upper = upper

    def code_text(self, value) -> str:
        if _number_cell(value):
            if isinstance(value, float) and not value.is_integer():
                raise CellError(_("应为文本代码，不能是带小数的数字；请把该列设置为文本格式。"))
            if abs(value) >= 10**EXCEL_DIGITS:
                raise CellError(_("代码超过 15 位数字，已被 Excel 当作数字截断；请把该列设置为文本格式后重新填写。"))
            return str(int(value))
        text = "".join(halfwidth(display(value)).split())
        return text.upper() if self.upper else text

    def parse(self, value):
        text = self.code_text(value)
        if len(text) > self.max_length:
            raise CellError(too_long(self.max_length, len(text)))
        return text

    def describe(self) -> str:
        return _("文本格式的代码，最多 %(n)s 个字符") % {"n": self.max_length}


class USCC(Parser):
    kind = "code"

    def parse(self, value):
        if _number_cell(value) or SCIENTIFIC.match(halfwidth(display(value)).upper()):
            raise CellError(_(
                "统一社会信用代码被 Excel 存成了数字，后几位已经丢失；请把该列设置为“文本”格式，"
                "重新粘贴原始代码后再导入。"
            ))
        try:
            return uscc.validate(display(value))
        except uscc.InvalidUSCC as exc:
            raise CellError(str(exc)) from None

    def describe(self) -> str:
        return _("18 位统一社会信用代码（GB 32100-2015），文本格式")


class IndustryCode(Code):
    def __init__(self):
        super().__init__(5, upper=True)

    def parse(self, value):
        try:
            return industry.normalise_class_code(self.code_text(value))
        except industry.InvalidIndustryCode as exc:
            raise CellError(str(exc)) from None

    def describe(self) -> str:
        return _("%(standard)s 小类代码，4 位数字，可带门类字母，如 3971 或 C3971") % {"standard": industry.STANDARD_VERSION}


class Phone(Code):
    def __init__(self, max_length: int):
        super().__init__(max_length)

    def parse(self, value):
        if _number_cell(value):
            text = self.code_text(value)
        else:
            text = halfwidth(display(value))
        if not PHONE.match(text):
            raise CellError(_("电话号码只能包含数字、空格、“-”“+”、括号和“转”；多个号码用“、”分隔。"))
        if len(text) > self.max_length:
            raise CellError(too_long(self.max_length, len(text)))
        return text

    def describe(self) -> str:
        return _("电话号码，文本格式，如 0512-12345678 或 13800000000")


class Choice(Parser):
    kind = "choice"

    def __init__(self, choices):
        # a TextChoices class or a sequence of values
        self.values = tuple(getattr(c, "value", c) for c in choices)

    def parse(self, value):
        text = "".join(halfwidth(display(value)).split())
        if text not in self.values:
            raise CellError(_("“%(value)s”不是可选值，应为：%(choices)s。") % {
                "value": display(value), "choices": "、".join(self.values)})
        return text

    def describe(self) -> str:
        return _("从下拉列表中选择：%(choices)s") % {"choices": "、".join(self.values)}


class Date(Parser):
    kind = "date"
    blank = None

    def parse(self, value):
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if _number_cell(value):
            # a date cell that lost its format arrives as Excel's serial day number
            if 1 <= value <= MAX_EXCEL_SERIAL:
                return EXCEL_EPOCH + dt.timedelta(days=int(value))
            raise CellError(_("不是有效日期，应为 YYYY-MM-DD，如 2024-03-05。"))
        text = halfwidth(display(value))
        match = DATE_TEXT.match(text)
        if not match:
            raise CellError(_("日期格式应为 YYYY-MM-DD，如 2024-03-05。"))
        year, month, day = (int(g) for g in match.groups())
        if not 1 <= month <= 12:
            raise CellError(_("日期不存在：月份应在 1–12 之间，实际为 %(month)s。") % {"month": month})
        try:
            return dt.date(year, month, day)
        except ValueError:
            raise CellError(_("日期不存在：%(year)s 年 %(month)s 月没有 %(day)s 日。") % {
                "year": year, "month": month, "day": day}) from None

    def describe(self) -> str:
        return _("日期，格式 YYYY-MM-DD，如 2024-03-05")


class DecimalNumber(Parser):
    kind = "decimal"
    blank = None

    def __init__(self, *, max_digits: int, places: int, minimum: Decimal | None = None, unit: str = ""):
        self.max_digits = max_digits
        self.places = places
        self.quantum = Decimal(1).scaleb(-places)
        self.minimum = minimum
        self.unit = unit

    def parse(self, value):
        if isinstance(value, bool):
            raise CellError(_("应为数字。"))
        if _number_cell(value):
            # 15 significant digits is what Excel stored; repr-style text avoids binary noise (0.1 → 0.1)
            text = f"{value:.15g}" if isinstance(value, float) else str(value)
        else:
            text = "".join(halfwidth(display(value)).replace(",", "").split())
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise CellError(_("应为数字，如 6666.67。")) from None
        if not number.is_finite():
            raise CellError(_("应为数字，如 6666.67。"))
        number = number.quantize(self.quantum, rounding=ROUND_HALF_UP)
        if abs(number) >= Decimal(10) ** (self.max_digits - self.places):
            raise CellError(_("数值过大：整数部分最多 %(n)s 位。") % {"n": self.max_digits - self.places})
        if self.minimum is not None and number < self.minimum:
            if self.minimum == self.quantum:
                raise CellError(_("应大于 0。"))
            raise CellError(_("应不小于 %(minimum)s。") % {"minimum": self.minimum})
        return number

    def describe(self) -> str:
        text = _("数字，保留 %(places)s 位小数（多余小数四舍五入）") % {"places": self.places}
        return text + (_("，单位：%(unit)s") % {"unit": self.unit} if self.unit else "")


class Integer(Parser):
    kind = "integer"
    blank = None

    def __init__(self, *, minimum: int | None = None, maximum: int | None = None, unit: str = ""):
        self.minimum = minimum
        self.maximum = maximum
        self.unit = unit

    def parse(self, value):
        if isinstance(value, bool):
            raise CellError(_("应为整数。"))
        if _number_cell(value):
            number = Decimal(f"{value:.15g}") if isinstance(value, float) else Decimal(value)
        else:
            try:
                number = Decimal("".join(halfwidth(display(value)).replace(",", "").split()))
            except InvalidOperation:
                raise CellError(_("应为整数。")) from None
        if not number.is_finite() or number != number.to_integral_value():
            raise CellError(_("应为整数。"))
        number = int(number)
        if self.minimum is not None and self.maximum is not None and not self.minimum <= number <= self.maximum:
            raise CellError(_("应为 %(minimum)s 到 %(maximum)s 之间的整数。") % {
                "minimum": self.minimum, "maximum": self.maximum})
        if self.minimum is not None and number < self.minimum:
            raise CellError(_("应不小于 %(minimum)s。") % {"minimum": self.minimum})
        if self.maximum is not None and number > self.maximum:
            raise CellError(_("应不大于 %(maximum)s。") % {"maximum": self.maximum})
        return number

    def describe(self) -> str:
        text = _("整数")
        if self.minimum is not None and self.maximum is not None:
            text = _("整数，%(minimum)s 到 %(maximum)s") % {"minimum": self.minimum, "maximum": self.maximum}
        elif self.minimum is not None:
            text = _("整数，不小于 %(minimum)s") % {"minimum": self.minimum}
        return text + (_("，单位：%(unit)s") % {"unit": self.unit} if self.unit else "")


class Boolean(Parser):
    """是/否. Offered as a drop-down; also takes what other systems write for yes and no (TRUE, 1, Y, 有…)."""

    kind = "choice"
    blank = None
    values = ("是", "否")  # the drop-down, and what an export writes
    TRUE_WORDS = frozenset({"是", "有", "Y", "YES", "T", "TRUE", "1"})
    FALSE_WORDS = frozenset({"否", "无", "N", "NO", "F", "FALSE", "0"})

    def parse(self, value):
        if isinstance(value, bool):
            return value
        if _number_cell(value):
            if value in (0, 1):
                return bool(value)
            raise CellError(_("应填“是”或“否”。"))
        text = "".join(halfwidth(display(value)).split()).upper()
        if text in self.TRUE_WORDS:
            return True
        if text in self.FALSE_WORDS:
            return False
        raise CellError(_("“%(value)s”无法识别，应填“是”或“否”。") % {"value": display(value)})

    def describe(self) -> str:
        return _("从下拉列表中选择“是”或“否”")

    @staticmethod
    def text(value: bool | None) -> str:
        """How a stored value is written back to a sheet (export), so that it imports again."""
        return "" if value is None else ("是" if value else "否")
