"""The bulletin's charts as PNG pictures for the Word document.

matplotlib draws them through its object API (`Figure` + the Agg canvas), never pyplot: pyplot keeps
global figures and rcParams that would leak between requests. The font is passed to every text element
for the same reason, instead of changing `rcParams["font.family"]`.

Chinese labels need a CJK font. Without one matplotlib would draw empty boxes (tofu), which is worse than
no picture, so `chart_png` returns None and the Word renderer puts the chart's table in its place.
"""

import io
import subprocess
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from django.utils.translation import gettext as _
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from ..document import Chart

# 16 × 9 cm at 200 dpi: sharp when printed at the width of the 版心 (156 mm), and a small file.
WIDTH_CM, HEIGHT_CM, DPI = 16.0, 9.0, 200
CM = 1 / 2.54
# Fonts known to carry simplified Chinese, best first; any other font whose name hints at CJK comes after.
PREFERRED_FONTS = ("Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN", "WenQuanYi Zen Hei",
                   "WenQuanYi Micro Hei", "Microsoft YaHei", "SimHei", "Noto Serif CJK SC", "Source Han Serif SC",
                   "SimSun")
NAME_HINTS = ("CJK", "SC", "Hei", "Song", "Kai", "Fang", "GB", "Han")
# Characters every chart uses (units, period names, the word 增长); a font must have them all.
PROBE = "中国增长亿元季度上半年"
# Muted, print-friendly colours that stay apart in greyscale.
COLOURS = ("#1f4e9c", "#c0392b", "#2e8b57", "#d68910", "#6c3483", "#5d6d7e")
COUNT_UNITS = {"个", "项", "家", "户"}


def _covers_chinese(name: str, manager) -> bool:
    try:
        path = manager.findfont(font_manager.FontProperties(family=name), fallback_to_default=False)
        font = font_manager.get_font(path)
    except (ValueError, RuntimeError, OSError):
        return False
    return all(font.get_char_index(ord(ch)) for ch in PROBE)


def pick_cjk_font(names, manager=None) -> str | None:
    """The first usable Chinese font among `names` (font family names as matplotlib knows them)."""
    manager = manager or font_manager.fontManager
    names = list(dict.fromkeys(names))
    hinted = sorted((n for n in names if n not in PREFERRED_FONTS and any(h in n for h in NAME_HINTS)),
                    key=lambda n: (" SC" not in n and "CN" not in n and "GB" not in n, "Mono" in n, n))
    for name in [n for n in PREFERRED_FONTS if n in names] + hinted:
        if _covers_chinese(name, manager):
            return name
    return None


def fontconfig_chinese_files() -> list[str]:
    """Font files fontconfig says cover Chinese (`fc-list :lang=zh file`); none when fontconfig is absent."""
    try:
        listing = subprocess.run(["fc-list", ":lang=zh", "file"], capture_output=True, text=True, timeout=20,
                                 check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return sorted({line.split(":")[0].strip() for line in listing.splitlines() if line.strip()})


@lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """The CJK font family the charts use, or None; looked up once per process."""
    manager = font_manager.fontManager
    found = pick_cjk_font((entry.name for entry in manager.ttflist), manager)
    if found is None:
        # matplotlib keeps its font list in a cache built on first use: a font installed later (apt-get install
        # fonts-noto-cjk after the first run) is known to fontconfig only, so ask it and add what it finds.
        for path in fontconfig_chinese_files():
            try:
                manager.addfont(path)
            except (OSError, RuntimeError, ValueError):
                continue
        found = pick_cjk_font((entry.name for entry in manager.ttflist), manager)
    return found


def cjk_font_available() -> bool:
    return cjk_font() is not None


def value_label(value: float, unit: str) -> str:
    """A value as printed on the chart: counts whole, percentages with one decimal (12.0), amounts with one
    decimal and a trailing .0 dropped (514, 3085.9) — the bulletin's number rules, rounded half-up."""
    number = Decimal(repr(float(value)))
    rounded = number.quantize(Decimal(1) if unit in COUNT_UNITS else Decimal("0.1"), rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = rounded.copy_abs()  # no "-0.0"
    text = str(rounded)
    if unit != "%" and text.endswith(".0"):
        text = text[:-2]
    return text


def _draw(figure: Figure, chart: Chart, font: font_manager.FontProperties,
          small: font_manager.FontProperties) -> None:
    ax = figure.add_subplot()
    positions = list(range(len(chart.categories)))
    count = max(len(chart.series), 1)
    width = 0.8 / count
    negative = False
    for index, series in enumerate(chart.series):
        colour = COLOURS[index % len(COLOURS)]
        values = [float("nan") if v is None else float(v) for v in series.values]
        values = (values + [float("nan")] * len(positions))[: len(positions)]
        negative = negative or any(v < 0 for v in values if v == v)
        if chart.kind != "line":  # "bar", and anything unknown, as html.py does
            offset = (index - (count - 1) / 2) * width
            xs = [p + offset for p in positions]
            bars = ax.bar(xs, [0 if v != v else v for v in values], width * 0.9, color=colour, label=series.name)
            labels = ["" if v != v else value_label(v, chart.unit) for v in values]
            ax.bar_label(bars, labels=labels, padding=2, fontproperties=small)
        else:
            # Missing months are skipped, not gaps: a quarterly figure (GDP) joins its quarters.
            points = [(x, v) for x, v in zip(positions, values, strict=True) if v == v]
            ax.plot([x for x, _v in points], [v for _x, v in points], color=colour, marker="o", markersize=4,
                    linewidth=1.8, label=series.name)
            for x, v in points:
                ax.annotate(value_label(v, chart.unit), (x, v), textcoords="offset points",
                            xytext=(0, 6 if v >= 0 else -12), ha="center", fontproperties=small, color=colour)
    if negative:
        ax.axhline(0, color="#555555", linewidth=0.8)
    ax.set_xticks(positions)
    ax.set_xticklabels(chart.categories, fontproperties=font)
    for label in ax.get_yticklabels():
        label.set_fontproperties(small)
    ax.margins(y=0.18)
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if chart.unit:
        ax.set_title(_("单位：%(unit)s") % {"unit": chart.unit}, loc="left", fontproperties=small, color="#444444")
    if any(s.name for s in chart.series):
        # Below the plot, so it never hides a value.
        figure.legend(prop=small, frameon=False, loc="outside lower center", ncol=min(len(chart.series), 4))


def chart_png(chart: Chart) -> bytes | None:
    """The chart as a PNG (16 × 9 cm), or None when no CJK font is installed. The title is not drawn: the
    documents print it as the caption."""
    family = cjk_font()
    if family is None:
        return None
    font = font_manager.FontProperties(family=family, size=10)
    small = font_manager.FontProperties(family=family, size=9)
    figure = Figure(figsize=(WIDTH_CM * CM, HEIGHT_CM * CM), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    _draw(figure, chart, font, small)
    out = io.BytesIO()
    # No software/date metadata: the same chart gives the same bytes.
    figure.savefig(out, format="png", dpi=DPI, metadata={"Software": None}, facecolor="white")
    return out.getvalue()
