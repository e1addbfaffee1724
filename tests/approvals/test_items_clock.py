"""The cached clock fields of an item after pauses and extensions, hand-computed around 2025 National Day.

2025 calendar: holidays 10-01…10-08; make-up workdays Sunday 09-28 and Saturday 10-11; 10-18/19 weekend.
"""

import datetime as dt

import pytest

from gaoxin.approvals.models import ClockStatus, ItemInstance
from gaoxin.approvals.services.cases import case_open, item_act, item_refresh_clock
from gaoxin.core.calendar import work_calendar

from .cases_data import TODAY, build_cases, build_catalog

D = dt.date


@pytest.fixture
def setup(world):
    return build_catalog(world)


def _open(world, catalog, users):
    return case_open(user=users["staff_zwzx"], route=catalog.routes.get(project_type="社会投资"), title="时钟测试",
                     start_date=D(2025, 9, 1))


def _item(case, code):
    return ItemInstance.objects.get(case=case, code=code)


def _pass(users, case, code, who, on):
    for action, extra in (("receive", {}), ("accept", {}), ("decide", {"outcome": "通过"})):
        item_act(user=users[who], item=_item(case, code), action=action, on=on, **extra)


def test_resume_with_a_correction_and_an_extension(world, setup):
    """市政报装 (utilities, 5 WD, resume) accepted Fri 2025-09-26.

    Counted: 09-28 (Sun, make-up) = 1. 补正 09-29…10-10 (inclusive) is not counted. Then 10-11 (Sat, make-up)
    = 2, 10-13 = 3, 10-14 = 4, 10-15 = 5 → due 10-15. An extension of 2 WD on 10-13 → 10-16 = 6, 10-17 = 7 →
    due 10-17. On 10-16: used 6 (09-28, 10-11, 10-13, 10-14, 10-15, 10-16), remaining 1 ≤ ceil(0.2 × 7) = 2 →
    预警; on 10-14 remaining 3 → 正常; on 10-20 → 逾期; decided 10-17 → 按期办结, decided 10-20 → 逾期办结.
    """
    catalog, _depts, users = setup
    case = _open(world, catalog, users)
    staff = users["staff_zwzx"]
    utilities = _item(case, "utilities")
    item_act(user=staff, item=utilities, action="receive", on=D(2025, 9, 26))
    item_act(user=staff, item=utilities, action="accept", on=D(2025, 9, 26))
    utilities.refresh_from_db()
    assert utilities.due_on == D(2025, 10, 10)  # without a pause: 09-28, 09-29, 09-30, 10-09, 10-10
    item_act(user=staff, item=utilities, action="correction_start", on=D(2025, 9, 29), note="补充负荷信息")
    utilities.refresh_from_db()
    pause = utilities.segments.get()
    assert (pause.reason, pause.waiting_on, pause.start, pause.end) == ("补正", "申请人", D(2025, 9, 29), None)
    item_act(user=staff, item=utilities, action="correction_end", on=D(2025, 10, 10))
    item_refresh_clock(utilities, today=D(2025, 10, 13))
    assert utilities.due_on == D(2025, 10, 15)
    item_act(user=staff, item=utilities, action="extend", on=D(2025, 10, 13), wd=2, reason="联合踏勘")
    for today, status in ((D(2025, 10, 14), ClockStatus.NORMAL), (D(2025, 10, 16), ClockStatus.WARNING),
                          (D(2025, 10, 17), ClockStatus.WARNING), (D(2025, 10, 20), ClockStatus.OVERDUE)):
        utilities.refresh_from_db()
        item_refresh_clock(utilities, today=today)
        utilities.refresh_from_db()  # the refresh saved the two fields
        assert (utilities.due_on, utilities.clock_status, utilities.extension_wd) == (D(2025, 10, 17), status, 2), today
    item_act(user=staff, item=utilities, action="decide", on=D(2025, 10, 17), outcome="通过")
    utilities.refresh_from_db()
    item_refresh_clock(utilities, today=D(2025, 11, 30))
    assert utilities.clock_status == ClockStatus.ON_TIME  # a decided item keeps its result whatever today is


def test_resume_decided_late(world, setup):
    catalog, _depts, users = setup
    case = _open(world, catalog, users)
    staff = users["staff_zwzx"]
    utilities = _item(case, "utilities")
    item_act(user=staff, item=utilities, action="receive", on=D(2025, 9, 26))
    item_act(user=staff, item=utilities, action="accept", on=D(2025, 9, 26))
    item_act(user=staff, item=utilities, action="decide", on=D(2025, 10, 11), outcome="通过")  # due 10-10
    utilities.refresh_from_db()
    assert (utilities.due_on, utilities.clock_status) == (D(2025, 10, 10), ClockStatus.LATE)


def test_restart_after_a_correction(world, setup):
    """施工图审查 (drawing_review, 10 WD, restart) accepted Mon 2025-09-22, 补正 09-24…09-30.

    Restart: the count begins again after 09-30: 10-09 = 1, 10-10 = 2, 10-11 (Sat make-up) = 3, 10-13 = 4,
    10-14 = 5, 10-15 = 6, 10-16 = 7, 10-17 = 8, 10-20 = 9, 10-21 = 10 → due 10-21. (Resume would give 10-20:
    09-23 counted once before the pause.) On 10-20: used 9, remaining 1 ≤ ceil(0.2 × 10) = 2 → 预警; with an
    open 特别程序 since 10-16 the due date moves as the pause lasts (restart counts again from today).
    """
    catalog, _depts, users = setup
    case = _open(world, catalog, users)
    for code, who in (("filing", "staff_gfj"), ("site", "staff_jsj"), ("land_planning", "staff_jsj"),
                      ("design_scheme", "staff_jsj"), ("construction_planning", "staff_jsj")):
        _pass(users, case, code, who, D(2025, 9, 1))
    staff = users["staff_jsj"]
    review = _item(case, "drawing_review")
    assert review.pause_mode == "restart"
    item_act(user=staff, item=review, action="receive", on=D(2025, 9, 22))
    item_act(user=staff, item=review, action="accept", on=D(2025, 9, 22))
    item_act(user=staff, item=review, action="correction_start", on=D(2025, 9, 24))
    item_act(user=staff, item=review, action="correction_end", on=D(2025, 9, 30))
    review.refresh_from_db()
    item_refresh_clock(review, today=TODAY)
    assert (review.due_on, review.clock_status) == (D(2025, 10, 21), ClockStatus.WARNING)
    item_refresh_clock(review, today=D(2025, 10, 17))  # used 8, remaining 2 → still 预警 (2 ≤ 2)
    assert review.clock_status == ClockStatus.WARNING
    item_refresh_clock(review, today=D(2025, 10, 16))  # used 7, remaining 3 → 正常
    assert review.clock_status == ClockStatus.NORMAL
    # the same dates in resume mode end a day earlier
    ItemInstance.objects.filter(pk=review.pk).update(pause_mode="resume")
    review.refresh_from_db()
    item_refresh_clock(review, today=TODAY)
    assert review.due_on == D(2025, 10, 20)


def test_open_pause_keeps_the_clock_stopped(world, setup):
    """An open 补正 from 10-14: on 10-20 the pause still lasts, so the due date of a 5 WD item accepted 10-13
    (10-14 would be day 1) lies 5 WD after today's end of the pause: 10-21…10-27 → 10-27, status 正常."""
    catalog, _depts, users = setup
    case = _open(world, catalog, users)
    staff = users["staff_zwzx"]
    utilities = _item(case, "utilities")
    item_act(user=staff, item=utilities, action="receive", on=D(2025, 10, 13))
    item_act(user=staff, item=utilities, action="accept", on=D(2025, 10, 13))
    item_act(user=staff, item=utilities, action="correction_start", on=D(2025, 10, 14))
    utilities.refresh_from_db()
    item_refresh_clock(utilities, today=TODAY)
    assert (utilities.due_on, utilities.clock_status) == (D(2025, 10, 27), ClockStatus.NORMAL)


def test_states_without_a_running_clock_have_no_status(world):
    data = build_cases(world)
    for case, code in (("social", "energy"), ("social", "utilities"), ("social", "design_scheme"),
                       ("low_risk", "utilities")):
        item = data.item(case, code)
        item_refresh_clock(item, today=TODAY)
        assert item.clock_status == "" and item.due_on is None, code
    # accepted then withdrawn: due kept for the record, no status
    item = data.item("low_risk", "low_risk_permit")
    item_act(user=data.users["staff_jsj"], item=item, action="withdraw", on=TODAY)
    item.refresh_from_db()
    item_refresh_clock(item, today=TODAY)
    assert (item.due_on, item.clock_status) == (D(2025, 9, 30), "")


def test_refresh_saves_only_on_change(world, django_assert_num_queries):
    data = build_cases(world)
    item = data.item("social", "land_planning")
    item_refresh_clock(item, today=TODAY)
    item = data.item("social", "land_planning")
    item._warn_ratio = data.catalog.warn_ratio
    calendar = work_calendar()
    with django_assert_num_queries(1):  # the segments only; no UPDATE when nothing changed
        item_refresh_clock(item, today=TODAY, calendar=calendar)
    with django_assert_num_queries(2):  # a new day: segments, then one UPDATE of the two fields
        item_refresh_clock(item, today=D(2025, 10, 21), calendar=calendar)
    item.refresh_from_db()
    assert item.clock_status == ClockStatus.OVERDUE
