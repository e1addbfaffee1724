"""The statistics selectors: facts from the database, the user's scope, and drill-down that reconciles."""

from decimal import Decimal

import pytest

from gaoxin.projects.engine import Period
from gaoxin.projects.selectors.statistics import (
    UnknownFigure,
    drill_down,
    drill_down_records,
    figure_names,
    period_statistics_for_user,
    period_statistics_for_zone,
)

from .statistics_data import build_statistics_world

P = Period(2024, 6)


@pytest.fixture
def sw(project_world):
    project_world.made = build_statistics_world(project_world)
    return project_world


def test_zone_statistics_in_a_handful_of_queries(sw, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        stats = period_statistics_for_zone(zone=sw.zone, period=P)
    assert len(stats.signing_ids) == 3
    assert set(stats.signing_ids) == {sw.made[k].pk for k in ("s1", "s2", "s5")}
    assert set(stats.tranche_ids) == {sw.made[k].pk for k in ("t1", "t2", "t3")}
    assert set(stats.prev_tranche_ids) == {sw.made[k].pk for k in ("t4", "t5")}
    assert stats.started_ids == (sw.projects["a1"].pk,)


def test_other_zone_sees_nothing(sw):
    data = period_statistics_for_zone(zone=sw.other_zone, period=P).as_contract()
    assert data["signed_projects"] == 0 and data["funds_in_place_wan"] == 0
    assert data["key_projects"]["市级"]["count"] == 0


def test_staff_see_their_department_and_the_leader_the_zone(sw):
    leader = period_statistics_for_user(user=sw.users["leader"], period=P).as_contract()
    assert leader == period_statistics_for_zone(zone=sw.zone, period=P).as_contract()
    a = period_statistics_for_user(user=sw.users["staff_a"], period=P).as_contract()
    assert a["signed_projects"] == 2 and a["contract_investment_wan"] == 999999.99
    assert (a["funds_in_place_wan"], a["funds_in_place_prev_wan"]) == (141.5, 100)
    assert a["funds_in_place_growth_pct"] == pytest.approx(41.5)
    assert a["key_projects"]["市级"] == {"count": 1, "plan_wan": 12000, "completed_wan": 6000, "completion_pct": 50.0,
                                       "time_progress_pct": 50.0, "ahead_pp": 0.0}
    b = period_statistics_for_user(user=sw.users["staff_b"], period=P).as_contract()
    assert b["signed_projects"] == 1 and b["signed_by_channel"] == {
        "基金招商": {"count": 1, "contract_investment_wan": 20000}}
    assert (b["funds_in_place_wan"], b["funds_in_place_prev_wan"], b["funds_in_place_growth_pct"]) == (58.5, 0, None)
    assert b["projects_started"] == 0
    assert b["key_projects"]["市级"]["count"] == 1 and b["key_projects"]["区级"]["count"] == 0


def test_enterprise_and_admin_scopes(sw):
    # the enterprise user's company is a1's project company: its project is all it may count
    e = period_statistics_for_user(user=sw.users["enterprise"], period=P)
    assert e.signing_ids == () and e.key_projects["市级"].project_ids == (sw.projects["a1"].pk,)
    admin = period_statistics_for_user(user=sw.users["system_admin"], period=P).as_contract()
    assert admin["signed_projects"] == 0 and admin["key_projects"]["市级"]["count"] == 0


@pytest.mark.parametrize("role", ["leader", "staff_a", "staff_b"])
def test_every_figure_drills_down_to_records_that_reconcile(sw, role):
    user = sw.users[role]
    stats = period_statistics_for_user(user=user, period=P)
    data = stats.as_contract()
    expected = {
        "signed": (data["signed_projects"], data["contract_investment_wan"]),
        "funds": (None, data["funds_in_place_wan"]),
        "funds_prev": (None, data["funds_in_place_prev_wan"]),
        "started": (data["projects_started"], None),
        "completed": (data["projects_completed"], None),
        "commissioned": (data["projects_commissioned"], None),
    }
    for name in figure_names(stats):
        records = drill_down_records(user=user, stats=stats, figure=name)
        assert records.count == len(records.drill.ids) == len(records.rows), name
        if name in expected:
            count, amount = expected[name]
            assert count is None or records.count == count, name
            assert amount is None or records.amount == Decimal(str(amount)), name
        kind, _sep, arg = name.partition(":")
        if kind == "size":
            assert records.count == data["signed_by_size"].get(arg, 0)
        if kind == "channel":
            assert records.amount == Decimal(str(data["signed_by_channel"][arg]["contract_investment_wan"]))
        if kind == "key":
            figures = data["key_projects"][arg]
            assert records.count == figures["count"]
            assert records.plan_wan == Decimal(str(figures["plan_wan"]))
            assert records.completed_wan == Decimal(str(figures["completed_wan"]))


def test_key_drill_down_lists_a_project_without_reports_with_zero(sw):
    stats = period_statistics_for_user(user=sw.users["leader"], period=P)
    records = drill_down_records(user=sw.users["leader"], stats=stats, figure="key:区级")
    assert [(r.obj.code, r.plan_wan, r.completed_wan) for r in records.rows] == [("XM-A2", Decimal("3000.00"), 0)]


def test_drill_down_names_the_register_lists(sw):
    stats = period_statistics_for_zone(zone=sw.zone, period=P)
    assert drill_down(stats, "signed").list_url == "/investment/signings/?date_after=2024-01-01&date_before=2024-06-30"
    assert "size=50%E4%BA%BF%E7%BA%A7" in drill_down(stats, "size:50亿级").list_url
    prev = drill_down(stats, "funds_prev")
    assert prev.window == (Period(2023, 6).start, Period(2023, 6).end) and "date_before=2023-06-30" in prev.list_url
    assert drill_down(stats, "started").list_url.endswith("?started_after=2024-01-01&started_before=2024-06-30")
    assert "plan_year=2024" in drill_down(stats, "key:市级").list_url
    assert drill_down(stats, "channel:不存在").ids == ()


@pytest.mark.parametrize("figure", ["", "bogus", "size:200亿级", "key:省级", "channel:", "funds:x"])
def test_unknown_figures_are_refused(sw, figure):
    stats = period_statistics_for_zone(zone=sw.zone, period=P)
    with pytest.raises(UnknownFigure):
        drill_down(stats, figure)
