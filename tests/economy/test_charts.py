"""Chart pictures for the Word bulletin: PNG of the right size, a real CJK font or no picture at all."""

import copy
import io
import warnings

import matplotlib
import pytest
from matplotlib import font_manager
from PIL import Image

from gaoxin.economy.document import Chart, Series, Table
from gaoxin.economy.render import charts
from gaoxin.economy.render.charts import chart_png, cjk_font_available, pick_cjk_font, value_label

from .bulletin_data import GROWTH_CHART, KEY_CHART

needs_cjk = pytest.mark.skipif(not cjk_font_available(), reason="no CJK font installed (apt-get install fonts-noto-cjk)")
PNG = b"\x89PNG\r\n\x1a\n"


@needs_cjk
@pytest.mark.parametrize("chart", [GROWTH_CHART, KEY_CHART], ids=["line", "bar"])
def test_a_png_of_16_by_9_cm_at_200_dpi(chart):
    png = chart_png(chart)
    assert png.startswith(PNG)
    with Image.open(io.BytesIO(png)) as image:
        width, height = image.size
    assert abs(width - 16 / 2.54 * 200) <= 1 and abs(height - 9 / 2.54 * 200) <= 1
    assert len(png) < 200_000  # small enough for a Word file with several charts


@needs_cjk
def test_the_same_chart_gives_the_same_bytes():
    assert chart_png(GROWTH_CHART) == chart_png(GROWTH_CHART)
    assert chart_png(GROWTH_CHART) != chart_png(KEY_CHART)


@needs_cjk
def test_every_chinese_label_has_its_glyph_and_global_state_is_untouched():
    family_before = list(matplotlib.rcParams["font.family"])
    chart = Chart("c", "图", "bar", ("签约项目", "开工项目", "投产项目"),
                  (Series("上年同期", (40, None, 22)), Series("本期", (47, 41, -3))), "个",
                  Table("表", ("项目", "本期"), ()))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert chart_png(chart).startswith(PNG)
    assert not [w for w in caught if "missing from" in str(w.message) or "Glyph" in str(w.message)]
    assert list(matplotlib.rcParams["font.family"]) == family_before


def test_no_cjk_font_no_picture(monkeypatch):
    monkeypatch.setattr(charts, "cjk_font", lambda: None)
    assert chart_png(GROWTH_CHART) is None
    assert not cjk_font_available()


def test_font_choice_needs_the_glyphs_not_just_the_name():
    assert pick_cjk_font(["DejaVu Sans"]) is None
    assert pick_cjk_font(["Imaginary Hei SC", "Nonexistent CJK Song"]) is None  # names that hint, no font behind


@needs_cjk
def test_font_choice_prefers_simplified_chinese_noto():
    found = charts.cjk_font()
    assert found is not None
    names = ["DejaVu Sans", "Noto Sans CJK JP", found]
    if found == "Noto Sans CJK SC":
        assert pick_cjk_font(names) == "Noto Sans CJK SC"
    assert pick_cjk_font(["DejaVu Sans", found]) == found


@pytest.mark.parametrize(("value", "unit", "text"), [
    (8.2, "%", "8.2"),
    (12.0, "%", "12.0"),  # percentages keep .0
    (0.05, "%", "0.1"),  # half-up, not banker's rounding
    (514.0, "亿元", "514"),  # amounts drop a trailing .0
    (3085.94, "亿元", "3085.9"),
    (47.0, "个", "47"),
    (-3.5, "%", "-3.5"),
    (-0.04, "%", "0.0"),
])
def test_value_labels_follow_the_number_rules(value, unit, text):
    assert value_label(value, unit) == text


@needs_cjk
def test_a_font_installed_after_matplotlib_built_its_cache_is_found_through_fontconfig(monkeypatch):
    if not charts.fontconfig_chinese_files():
        pytest.skip("fontconfig lists no Chinese font")
    stale = copy.deepcopy(font_manager.fontManager)
    stale.ttflist = [e for e in stale.ttflist if pick_cjk_font([e.name], stale) is None]
    assert pick_cjk_font([e.name for e in stale.ttflist], stale) is None  # the cache knows no CJK font
    monkeypatch.setattr(font_manager, "fontManager", stale)
    charts.cjk_font.cache_clear()
    try:
        assert charts.cjk_font() is not None
        assert pick_cjk_font([e.name for e in stale.ttflist], stale) is not None
    finally:
        charts.cjk_font.cache_clear()


def test_no_fontconfig_no_crash(monkeypatch):
    monkeypatch.setattr(charts.subprocess, "run", lambda *a, **k: (_ for _ in ()).throw(FileNotFoundError("fc-list")))
    assert charts.fontconfig_chinese_files() == []
