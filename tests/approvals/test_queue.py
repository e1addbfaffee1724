"""我的待办: urgency order (逾期 by days overdue, 预警 by working days left, 正常 by due date, then 收件) and the
leaders' zone overview."""

import datetime as dt

import pytest

from gaoxin.approvals.selectors.cases import queue_for_user, zone_overview
from gaoxin.approvals.services.cases import case_open, item_act

from .cases_data import TODAY, build_cases

D = dt.date


@pytest.fixture
def data(world):
    data = build_cases(world)
    users = data.users
    # a second case: one more overdue item (older), one more 预警 (more days left), one item only received
    case = case_open(user=users["staff_zwzx"], route=data.route("简易低风险"), title="排序测试",
                     start_date=D(2025, 9, 19), code="SP-ORDER")
    data.cases["order"] = case
    jsj = users["staff_jsj"]
    for action, extra in (("receive", {}), ("accept", {}), ("decide", {"outcome": "通过"})):
        item_act(user=users["staff_gfj"], item=data.item("order", "filing"), action=action, on=D(2025, 9, 19),
                 **extra)
    # low_risk_permit, 3 WD, accepted Mon 09-22 → due 09-25: 25 days overdue on 10-20 (the other: 20 days)
    item_act(user=jsj, item=data.item("order", "low_risk_permit"), action="receive", on=D(2025, 9, 22))
    item_act(user=jsj, item=data.item("order", "low_risk_permit"), action="accept", on=D(2025, 9, 22))
    item_act(user=jsj, item=data.item("order", "eia_registration"), action="receive", on=D(2025, 10, 13))
    # a second route for a 7 WD item: eia_report in a 社会投资 case accepted 10-13 → due 10-22, 2 left → 预警
    other = case_open(user=users["staff_zwzx"], route=data.route("社会投资"), title="排序测试二",
                      start_date=D(2025, 10, 13), code="SP-ORDER2")
    data.cases["order2"] = other
    item_act(user=jsj, item=data.item("order2", "eia_report"), action="receive", on=D(2025, 10, 13))
    item_act(user=jsj, item=data.item("order2", "eia_report"), action="accept", on=D(2025, 10, 13))
    return data


def test_department_queue_is_sorted_by_urgency(data):
    rows = queue_for_user(user=data.users["staff_jsj"], today=TODAY)
    got = [(r.item.case.code, r.item.code, r.status, r.remaining_wd, r.due, r.days_overdue) for r in rows]
    assert got == [
        ("SP-ORDER", "low_risk_permit", "逾期", -13, D(2025, 9, 25), 25),  # 16 WD used of 3
        ("SP-LOWRISK", "low_risk_permit", "逾期", -9, D(2025, 9, 30), 20),  # 12 used
        ("SP-SOCIAL", "land_planning", "预警", 0, D(2025, 10, 20), 0),
        ("SP-ORDER2", "eia_report", "预警", 2, D(2025, 10, 22), 0),
        ("SP-SOCIAL", "eia_report", "正常", 3, D(2025, 10, 23), 0),
        ("SP-ORDER", "eia_registration", "", None, None, 0),
    ]
    # the elapsed calendar days run from acceptance to today
    assert rows[2].elapsed_days == (TODAY - D(2025, 9, 24)).days


def test_queue_filters_and_scope(data):
    staff = data.users["staff_jsj"]
    assert [r.item.code for r in queue_for_user(user=staff, today=TODAY, status="预警")] == \
        ["land_planning", "eia_report"]
    assert [r.item.code for r in queue_for_user(user=staff, today=TODAY, status="收件")] == ["eia_registration"]
    zwzx = [(r.item.code, r.status) for r in queue_for_user(user=data.users["staff_zwzx"], today=TODAY)]
    assert zwzx == [("tax_info_change", "逾期"), ("utilities", "")]
    assert queue_for_user(user=data.users["staff_a"], today=TODAY) == []  # 经信局 has no approval items
    assert queue_for_user(user=data.users["enterprise"], today=TODAY) == []
    assert queue_for_user(user=data.users["other_staff"], today=TODAY) == []
    # decided items leave the queue
    item_act(user=staff, item=data.item("social", "eia_report"), action="decide", on=TODAY, outcome="通过")
    assert "eia_report" not in [r.item.code for r in queue_for_user(user=staff, today=TODAY)
                                if r.item.case.code == "SP-SOCIAL"]


def test_paused_items_stay_in_the_queue_marked(data):
    staff = data.users["staff_jsj"]
    item_act(user=staff, item=data.item("social", "eia_report"), action="correction_start", on=TODAY)
    row = next(r for r in queue_for_user(user=staff, today=TODAY) if r.item.code == "eia_report"
               and r.item.case.code == "SP-SOCIAL")
    assert row.item.state == "补正" and row.paused is not None and row.paused.waiting_on == "申请人"


def test_leader_sees_the_zone_and_the_overview(data):
    leader = data.users["leader"]
    rows = queue_for_user(user=leader, today=TODAY)
    assert len(rows) == 8 and rows[0].item.code == "low_risk_permit"  # every department's open items
    overview = {r.department.code: r for r in zone_overview(user=leader, today=TODAY)}
    assert set(overview) == {"jsj", "zwzx"}
    jsj = overview["jsj"]
    assert (jsj.overdue, jsj.warning, jsj.normal, jsj.received, jsj.paused, jsj.total) == (2, 2, 1, 1, 0, 6)
    zwzx = overview["zwzx"]
    assert (zwzx.overdue, zwzx.warning, zwzx.normal, zwzx.received, zwzx.total) == (1, 0, 0, 1, 2)
    assert next(iter(overview)) == "jsj"  # most overdue first
    assert zone_overview(user=data.users["staff_jsj"], today=TODAY) == []
