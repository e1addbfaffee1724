"""Numbering and dates as the bulletin prints them, shared by the HTML and Word renderers."""

import datetime as dt

CN_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 23 → 二十三: the section numbers 一、二、… (up to 99)."""
    if not 0 < n < 100:
        raise ValueError(f"section number {n} out of range 1–99")
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")


def cn_date(day: dt.date) -> str:
    """2024年7月15日: Arabic numerals, the year in full, no zero padding (GB/T 9704 成文日期)."""
    return f"{day.year}年{day.month}月{day.day}日"
