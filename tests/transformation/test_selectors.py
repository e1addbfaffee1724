"""Period counts for a zone and a user, the ids behind them, the bulletin's 产业转型 figures, and a project's
improvements."""

import datetime as dt
from decimal import Decimal

import pytest

from gaoxin.economy.bulletin import transformation_paragraphs
from gaoxin.economy.document import Showcase
from gaoxin.projects.engine import Period
from gaoxin.transformation.selectors.counts import (
    bulletin_figures,
    period_counts_for_user,
    period_counts_for_zone,
    period_record_ids,
    period_record_ids_for_user,
)
from gaoxin.transformation.selectors.projects import improvements, projects_for_user, projects_total

from .conftest import make_measurement, make_project

pytestmark = pytest.mark.django_db
H1 = Period(2024, 6)


def test_zone_counts_of_the_half_year(tw):
    counts = period_counts_for_zone(zone=tw.zone, period=H1)
    assert counts.started == {"智能化改造": 2, "绿色化改造": 1}
    assert counts.certified == {("先进级", "智能工厂"): 1, ("市级", "数字化车间"): 1, ("市级", "数字化生产线"): 1}
    assert (counts.institutions, counts.institution_enterprises) == (3, 2)
    assert period_counts_for_zone(zone=tw.zone.pk, period=H1) == counts  # a zone id does as well
    # cumulative from 1 January: May stops before the 2024-05-20 certification's month ends, so it is in
    may = period_counts_for_zone(zone=tw.zone, period=Period(2024, 5))
    assert may.started == {"智能化改造": 1, "绿色化改造": 1}
    assert may.certified == {("市级", "数字化车间"): 1, ("市级", "数字化生产线"): 1}
    assert period_counts_for_zone(zone=tw.other_zone, period=H1).started == {"智能化改造": 1}


def test_record_ids_reconcile_with_counts(tw):
    ids = period_record_ids(zone=tw.zone, period=H1)
    assert ids == {
        ("started", "智能化改造"): tuple(sorted((tw.r1.pk, tw.r2.pk))),
        ("started", "绿色化改造"): (tw.r5.pk,),
        ("certified", "先进级", "智能工厂"): (tw.c4.pk,),
        ("certified", "市级", "数字化车间"): (tw.c1.pk,),
        ("certified", "市级", "数字化生产线"): (tw.c2.pk,),
        "institutions": tuple(sorted((tw.i1.pk, tw.i2.pk, tw.i4.pk))),
        "institution_enterprises": tuple(sorted((tw.enterprises["a1"].pk, tw.enterprises["b1"].pk))),
    }
    counts = period_counts_for_zone(zone=tw.zone, period=H1)
    assert {k: len(v) for k, v in ids.items() if k[0] == "started"} == \
        {("started", k): n for k, n in counts.started.items()}


def test_user_scope(tw):
    staff_a = period_counts_for_user(user=tw.users["staff_a"], period=H1)
    assert staff_a.started == {"智能化改造": 2}  # the 绿色化改造 is dept_b's
    assert (staff_a.institutions, staff_a.institution_enterprises) == (2, 1)
    assert period_counts_for_user(user=tw.users["leader"], period=H1) == period_counts_for_zone(zone=tw.zone,
                                                                                                period=H1)
    assert period_counts_for_user(user=tw.users["system_admin"], period=H1).empty
    assert period_record_ids_for_user(user=tw.users["staff_b"], period=H1) == {
        ("started", "绿色化改造"): (tw.r5.pk,), "institutions": (tw.i4.pk,),
        "institution_enterprises": (tw.enterprises["b1"].pk,)}


def test_bulletin_figures_and_the_sentence(tw):
    figures = bulletin_figures(zone=tw.zone, year=2024, month=6)
    assert figures.started == (("智能化改造", 2), ("绿色化改造", 1))
    assert figures.certified == (("先进级", "智能工厂", 1, "个"), ("市级", "数字化车间", 1, "个"),
                                 ("市级", "数字化生产线", 1, "条"))
    assert figures.institution_enterprises == 2
    assert figures.showcases == (Showcase(
        subject="测试企业1有限公司可靠性检测数字化车间",
        improvements=("检测效率提高12.14%", "产品不良率下降44.54%", "运营成本降低18.27%")),)
    assert transformation_paragraphs(figures, 6) == (
        "今年以来，实施智能化改造项目2个、绿色化改造项目1个，新建先进级智能工厂1个，市级数字化车间1个、数字化生产线1条，"
        "2家企业新设立研发机构。",
        "测试企业1有限公司可靠性检测数字化车间检测效率提高12.14%，产品不良率下降44.54%，运营成本降低18.27%。",
    )


def test_bulletin_figures_none_when_the_period_is_empty(tw):
    assert bulletin_figures(zone=tw.zone, year=2022, month=6) is None
    assert bulletin_figures(zone=tw.other_zone, year=2024, month=1) is None  # its project started in February


def test_showcase_selection(tw):
    # April: the measurements' after-period ends 2024-05-31, after the period: no showcase yet
    april = bulletin_figures(zone=tw.zone, year=2024, month=4)
    assert april.showcases == ()
    # a featured project without measurements, and a measured one not featured, are no showcases
    bare = make_project(tw, tw.enterprises["a2"], "无测量的典型案例", "数字化车间", tw.c1.started_on, featured=True)
    plain = make_project(tw, tw.enterprises["a2"], "未标典型", "数字化生产线", tw.c1.started_on)
    make_measurement(plain, "效率", "10", "11")
    # metric order 效率, 不良率, 运营成本, 单位能耗 whatever the order of entry; a label falls back to the metric's
    late = make_project(tw, tw.enterprises["a2"], "SMT数字化车间", "数字化车间", tw.c1.started_on, featured=True)
    make_measurement(late, "单位能耗", "2", "1.5")
    make_measurement(late, "效率", "100", "100.004")
    cases = bulletin_figures(zone=tw.zone, year=2024, month=6).showcases
    assert [c.subject for c in cases] == ["测试企业1有限公司可靠性检测数字化车间", "测试企业2有限公司SMT数字化车间"]
    assert cases[1].improvements == ("生产/检测效率持平", "单位产品能耗降低25.00%")
    assert bare.pk and not any("无测量" in c.subject for c in cases)
    # only the showcase: no counts in 2025, but a measurement that ends in 2025 makes the section
    make_measurement(late, "运营成本", "10", "9", after_from=dt.date(2025, 1, 1), after_to=dt.date(2025, 3, 1))
    only = bulletin_figures(zone=tw.zone, year=2025, month=3)
    assert only.started == () and only.certified == () and only.institution_enterprises == 0
    assert only.showcases == (Showcase("测试企业2有限公司SMT数字化车间", ("运营成本降低10.00%",)),)


def test_improvements_of_a_project(tw):
    rows = improvements(project=tw.c1)
    assert [r.measurement.metric for r in rows] == ["效率", "不良率", "运营成本"]
    assert [r.pct_2 for r in rows] == [Decimal("12.14"), Decimal("-44.54"), Decimal("-18.27")]
    assert rows[1].pct != rows[1].pct_2  # unrounded until shown
    assert [r.better for r in rows] == [True, True, True]
    assert [r.phrase for r in rows] == ["检测效率提高12.14%", "产品不良率下降44.54%", "运营成本降低18.27%"]
    worse = make_measurement(tw.r1, "不良率", "1", "1.2")
    same = make_measurement(tw.r1, "效率", "1", "1")
    by_metric = {r.measurement.pk: r for r in improvements(project=tw.r1)}
    assert (by_metric[worse.pk].better, by_metric[worse.pk].worse) == (False, True)
    assert (by_metric[same.pk].better, by_metric[same.pk].worse, by_metric[same.pk].phrase) == (False, False, "生产/检测效率持平")


def test_list_filters_and_totals(tw):
    leader = tw.users["leader"]
    qs = projects_for_user(user=leader, filters={"kind": "智能化改造", "started_year": "2024"})
    assert set(qs) == {tw.r1, tw.r2, tw.r3}
    assert set(projects_for_user(user=leader, filters={"q": tw.enterprises["a2"].uscc})) == {tw.r2, tw.c2, tw.c3}
    assert set(projects_for_user(user=leader, filters={"area": "二号片区"})) == {tw.r2, tw.c2, tw.c3}
    assert set(projects_for_user(user=leader, filters={"level": "市级", "certified_year": "2024"})) == {tw.c1, tw.c2}
    assert set(projects_for_user(user=leader, filters={"ids": f"{tw.r1.pk},{tw.po.pk}"})) == {tw.r1}  # scope holds
    assert not projects_for_user(user=leader, filters={"ids": "1,x"}).exists()  # a bad id list never over-reports
    total = projects_total(projects_for_user(user=tw.users["staff_a"]))
    assert total["count"] == 8
    assert total["equipment_wan"] == Decimal("100.00") * 7 + Decimal("2380.00")
    assert total["software_wan"] == Decimal("10.00") * 7 + Decimal("420.00")
