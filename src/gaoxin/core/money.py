"""Money: Decimal throughout, stored in 万元 with two decimals, rounded half-up (四舍五入) only when shown.

Why 万元 with two decimals: every input form, import and statistic the zone handles (contract
investment, funds in place, plans, rewards) is stated in 万元, and 0.01 万元 = 100 元 is finer
than any of them; 亿元 are derived for display.
"""

import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

STORAGE_PLACES = 2
WAN_PER_YI = Decimal(10000)


class InvalidAmount(ValueError):
    pass


def parse_wan(raw, *, field: str = "金额") -> Decimal:
    """Parse a user-entered amount in 万元 (accepts thousands separators and full-width digits)."""
    if isinstance(raw, Decimal):
        value = raw
    elif isinstance(raw, int):
        value = Decimal(raw)
    elif isinstance(raw, float):
        value = Decimal(repr(raw))
    else:
        text = unicodedata.normalize("NFKC", str(raw or "")).replace(",", "").replace(" ", "")
        text = text.removesuffix("万元")
        if not text:
            raise InvalidAmount(f"{field}为空。")
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise InvalidAmount(f"{field}“{raw}”不是数字。") from None
    if not value.is_finite():
        raise InvalidAmount(f"{field}“{raw}”不是有限数字。")
    return value


def quantize(value: Decimal, places: int = STORAGE_PLACES) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def wan_to_yi(wan: Decimal) -> Decimal:
    return wan / WAN_PER_YI


def _shown(value: Decimal, places: int) -> Decimal:
    # Adding zero turns the "-0.00" that quantize leaves for tiny negatives into "0.00".
    return quantize(Decimal(value), places) + 0


def format_wan(wan: Decimal | int | None, places: int = 2) -> str:
    if wan is None:
        return ""
    return f"{_shown(wan, places):,}万元"


def format_yi(wan: Decimal | int | None, places: int = 2) -> str:
    if wan is None:
        return ""
    return f"{_shown(wan_to_yi(Decimal(wan)), places):,}亿元"


def format_auto(wan: Decimal | int | None, places: int = 2) -> str:
    """亿元 from 10000 万元 upwards (after rounding, so 9999.999 万元 reads 1.00亿元), as bulletins write it."""
    if wan is None:
        return ""
    if abs(quantize(Decimal(wan), places)) >= WAN_PER_YI:
        return format_yi(wan, places)
    return format_wan(wan, places)
