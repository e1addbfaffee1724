"""The 智改数转 arithmetic: improvements to two decimals, their wording, and the period counts' boundaries."""

import datetime as dt
from decimal import Decimal as Dec

from hypothesis import given
from hypothesis import strategies as st

from gaoxin.transformation import engine
from gaoxin.transformation.engine import InstitutionRow, ProjectRow

D = dt.date
START, END = D(2024, 1, 1), D(2024, 6, 30)


def shown(before: str, after: str) -> Dec:
    return engine.two_decimals(engine.improvement_pct(Dec(before), Dec(after)))


def test_the_articles_three_improvements_from_hand_made_values():
    # 1000 → 1121.4 tests per hour; 0.92 % → 0.5102 %; 2000 → 1634.6 元 per batch
    assert engine.improvement_pct(Dec("1000"), Dec("1121.4")) == Dec("12.14")
    assert shown("1000", "1121.4") == Dec("12.14")
    assert shown("0.92", "0.5102") == Dec("-44.54")  # −44.5434…
    assert shown("2000", "1634.6") == Dec("-18.27")


def test_no_base_no_improvement():
    assert engine.improvement_pct(Dec("0"), Dec("5")) is None
    assert engine.improvement_pct(None, Dec("5")) is None
    assert engine.improvement_phrase("检测效率", "效率", None) == ""


def test_unrounded_until_shown_and_half_up_at_the_edge():
    pct = engine.improvement_pct(Dec("1000"), Dec("1000.05"))  # exactly 0.005 %
    assert pct == Dec("0.005")
    assert engine.two_decimals(pct) == Dec("0.01")  # half up, not to even
    assert engine.two_decimals(engine.improvement_pct(Dec("1000"), Dec("999.95"))) == Dec("-0.01")
    assert engine.two_decimals(engine.improvement_pct(Dec("1000"), Dec("1000.0499"))) == Dec("0.00")
    assert engine.improvement_phrase("检测效率", "效率", Dec("0.0049")) == "检测效率持平"


def test_phrases_per_metric():
    assert engine.improvement_phrase("检测效率", "效率", Dec("12.14")) == "检测效率提高12.14%"
    assert engine.improvement_phrase("检测效率", "效率", Dec("-3.5")) == "检测效率下降3.50%"
    assert engine.improvement_phrase("产品不良率", "不良率", Dec("-44.5434")) == "产品不良率下降44.54%"
    assert engine.improvement_phrase("产品不良率", "不良率", Dec("2")) == "产品不良率上升2.00%"
    assert engine.improvement_phrase("运营成本", "运营成本", Dec("-18.27")) == "运营成本降低18.27%"
    assert engine.improvement_phrase("运营成本", "运营成本", Dec("1")) == "运营成本增加1.00%"
    assert engine.improvement_phrase("单位产品能耗", "单位能耗", Dec("-7.125")) == "单位产品能耗降低7.13%"


def test_period_boundaries_first_and_last_day_in_the_day_after_out():
    projects = [
        ProjectRow("智能化改造", D(2024, 1, 1)),
        ProjectRow("智能化改造", D(2024, 6, 30)),
        ProjectRow("智能化改造", D(2024, 7, 1)),
        ProjectRow("智能化改造", D(2023, 12, 31)),
        ProjectRow("绿色化改造", D(2024, 2, 1)),
        ProjectRow("数字化车间", D(2023, 1, 1), "市级", D(2024, 6, 30)),
        ProjectRow("数字化车间", D(2023, 1, 1), "市级", D(2024, 7, 1)),
        ProjectRow("数字化生产线", D(2024, 1, 1), "市级", D(2024, 1, 1)),
        ProjectRow("智能工厂", D(2024, 2, 1)),  # started in the period, not certified: not 新建
        ProjectRow("智能工厂", D(2024, 2, 1), "", D(2024, 3, 1)),  # a date without a level does not count
        ProjectRow("智能工厂", D(2022, 2, 1), "卓越级", D(2024, 3, 1)),
        ProjectRow("智能化改造", D(2024, 3, 1), "区级", D(2024, 3, 1)),  # a retrofit counts when it starts, once
    ]
    institutions = [InstitutionRow(1, D(2024, 1, 1)), InstitutionRow(1, D(2024, 6, 30)),
                    InstitutionRow(2, D(2024, 7, 1)), InstitutionRow(3, D(2024, 3, 3))]
    counts = engine.period_counts(projects, institutions, start=START, end=END)
    assert counts.started == {"智能化改造": 3, "绿色化改造": 1}
    assert list(counts.started) == ["智能化改造", "绿色化改造"]
    assert counts.certified == {("卓越级", "智能工厂"): 1, ("市级", "数字化车间"): 1, ("市级", "数字化生产线"): 1}
    assert list(counts.certified) == [("卓越级", "智能工厂"), ("市级", "数字化车间"), ("市级", "数字化生产线")]
    assert (counts.institutions, counts.institution_enterprises) == (3, 2)  # counted by enterprise as well
    assert not counts.empty
    assert engine.period_counts([], [], start=START, end=END).empty


def test_period_ids_are_the_counted_records():
    projects = [(10, ProjectRow("智能化改造", D(2024, 1, 1))), (11, ProjectRow("智能化改造", D(2024, 7, 1))),
                (12, ProjectRow("数字化生产线", D(2024, 1, 1), "市级", D(2024, 2, 2))),
                (13, ProjectRow("智能工厂", D(2024, 1, 1)))]
    institutions = [(20, InstitutionRow(5, D(2024, 1, 1))), (21, InstitutionRow(5, D(2024, 2, 1))),
                    (22, InstitutionRow(6, D(2025, 1, 1)))]
    assert engine.period_ids(projects, institutions, start=START, end=END) == {
        ("started", "智能化改造"): (10,),
        ("certified", "市级", "数字化生产线"): (12,),
        "institutions": (20, 21),
        "institution_enterprises": (5,),
    }


KINDS = st.sampled_from(engine.RETROFIT_KINDS + engine.CERTIFIED_KINDS)
LEVELS = st.sampled_from(("", *engine.LEVEL_ORDER))
DAYS = st.dates(min_value=D(2023, 6, 1), max_value=D(2024, 9, 30))


@st.composite
def project_rows(draw):
    started = draw(DAYS)
    certified = draw(st.none() | DAYS)
    return ProjectRow(draw(KINDS), started, draw(LEVELS), certified)


@given(st.lists(project_rows(), max_size=40), st.lists(st.tuples(st.integers(1, 6), DAYS), max_size=20),
       DAYS, DAYS)
def test_counts_and_ids_always_reconcile(projects, institutions, a, b):
    start, end = min(a, b), max(a, b)
    rows = [InstitutionRow(e, day) for e, day in institutions]
    counts = engine.period_counts(projects, rows, start=start, end=end)
    ids = engine.period_ids(list(enumerate(projects)), list(enumerate(rows)), start=start, end=end)
    for kind, n in counts.started.items():
        assert len(ids[("started", kind)]) == n > 0
    for (level, kind), n in counts.certified.items():
        assert len(ids[("certified", level, kind)]) == n > 0
    assert len(ids.get("institutions", ())) == counts.institutions
    assert len(ids.get("institution_enterprises", ())) == counts.institution_enterprises
    expected_keys = len(counts.started) + len(counts.certified) + (2 if counts.institutions else 0)
    assert len(ids) == expected_keys
    # every counted record is in the period; a retrofit never counts as certified nor the other way round
    for key, members in ids.items():
        if isinstance(key, tuple) and key[0] == "started":
            assert all(start <= projects[i].started_on <= end and projects[i].kind in engine.RETROFIT_KINDS
                       for i in members)
        elif isinstance(key, tuple):
            assert all(projects[i].kind in engine.CERTIFIED_KINDS and projects[i].level == key[1]
                       and start <= projects[i].certified_on <= end for i in members)


@given(st.decimals(min_value=Dec("0.0001"), max_value=Dec("1e9"), places=4),
       st.decimals(min_value=Dec("0"), max_value=Dec("1e9"), places=4))
def test_improvement_sign_and_phrase_agree(before, after):
    pct = engine.improvement_pct(before, after)
    assert (pct > 0) == (after > before) and (pct < 0) == (after < before)
    phrase = engine.improvement_phrase("检测效率", "效率", pct)
    shown_value = engine.two_decimals(pct)
    if shown_value > 0:
        assert phrase == f"检测效率提高{shown_value}%"
    elif shown_value < 0:
        assert phrase == f"检测效率下降{-shown_value}%"
    else:
        assert phrase == "检测效率持平"
