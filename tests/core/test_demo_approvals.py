"""The demo's approval cases: every item state and every clock status appears, relative to the day the demo is
built; a 帮办员's events are marked; the 一件事 is delivered once; the scan has notified; fast."""

import datetime as dt
import time
from decimal import Decimal

import pytest
from django.utils import timezone

from gaoxin.accounts.services import zone_create
from gaoxin.approvals.models import (
    ApprovalCase,
    CaseStatus,
    ClockStatus,
    ItemEvent,
    ItemInstance,
    ItemState,
    Notice,
    NoticeStatus,
    NotificationChannel,
    Obligation,
    ObligationStatus,
)
from gaoxin.core.demo.approvals import build_approvals_demo
from gaoxin.core.permissions import Role
from gaoxin.projects.models import Project, ProjectType
from tests.factories import make_enterprise, make_user


def demo_zone():
    zone = zone_create(user=None, code="demo", name="示范科学城高新区")
    departments = {d.code: d for d in zone.departments.all()}
    firms = [make_enterprise(zone, departments["jxj"], n) for n in range(1, 7)]
    projects = [Project.objects.create(zone=zone, department=departments["tzcj"], code=f"XM-{n}",
                                       name=f"演示项目{n}", project_type=ProjectType.INDUSTRIAL,
                                       total_investment_wan=Decimal("50000.00"), enterprise=firms[n])
                for n in range(4)]  # fewer projects than cases: the others run without one
    users = {
        "tzcj": make_user("tzcj", zone=zone, role=Role.DEPARTMENT_STAFF, department=departments["tzcj"]),
        "jsj": make_user("jsj", zone=zone, role=Role.DEPARTMENT_STAFF, department=departments["jsj"]),
        "qiye": make_user("qiye", zone=zone, role=Role.ENTERPRISE, enterprise=firms[1]),
    }
    return zone, departments, users, projects


@pytest.mark.parametrize("today", [None, dt.date(2026, 1, 5), dt.date(2025, 10, 9)])
def test_every_state_and_clock_status_appears(db, today, monkeypatch):
    if today is not None:  # the services refuse future business dates: pretend the demo is built that day
        monkeypatch.setattr(timezone, "localdate", lambda *a, **k: today)
    zone, departments, users, projects = demo_zone()
    started = time.perf_counter()
    cases = build_approvals_demo(zone=zone, departments=departments, users=users)
    elapsed = time.perf_counter() - started
    assert elapsed < 3, f"the approvals demo took {elapsed:.1f} s"

    items = ItemInstance.objects.filter(zone=zone)
    assert set(items.values_list("state", flat=True)) == set(ItemState.values)
    assert set(items.values_list("clock_status", flat=True)) - {""} == set(ClockStatus.values)

    def item(key, code):
        return items.get(case=cases[key], code=code)

    assert item("A", "utilities").state == ItemState.APPROVED_DEFICIENT and item("A", "utilities").certificate_held
    assert item("A", "energy").state == ItemState.WAIVED and cases["A"].area_assessment
    assert item("B", "eia_report").segments.get(end__isnull=True).reason == "补正"
    assert item("A", "drawing_review").segments.get(end__isnull=True).reason == "特别程序"
    assert item("C", "construction_planning").state == ItemState.REVOKED
    assert item("C", "drawing_review").events.filter(kind="prereq_revoked").exists()
    assert item("D", "site").state == ItemState.TERMINATED
    assert Obligation.objects.get(item=item("D", "site")).status == ObligationStatus.MISSED
    assert item("A", "eia_report").clock_status == ClockStatus.WARNING
    assert item("D", "eia_report").clock_status == ClockStatus.NORMAL
    assert item("A", "land_planning").clock_status == ClockStatus.LATE

    # the 帮办员 and their marked events
    assert cases["A"].agent == users["tzcj"]
    marked = ItemEvent.objects.filter(item__case=cases["A"], as_agent=True)
    assert marked.count() >= 3 and set(marked.values_list("actor", flat=True)) == {users["tzcj"].pk}
    assert set(marked.values_list("kind", flat=True)) <= {"receive", "correction_end", "withdraw"}

    # the 一件事: one case, four items, delivered once, for the demo enterprise
    bundle = cases["F"]
    assert bundle.kind == "一件事" and bundle.enterprise == users["qiye"].enterprise
    assert bundle.status == CaseStatus.DONE and bundle.result_delivered_on is not None
    assert bundle.items.count() == 4 and set(bundle.items.values_list("state", flat=True)) == {ItemState.APPROVED}
    assert bundle.form_data["new_name"].endswith("科技集团有限公司")

    # construction cases across the projects; E done within its target
    assert {c.project_id for c in cases.values() if c.project_id} == {p.pk for p in projects}
    assert cases["A"].project.enterprise == users["qiye"].enterprise  # the demo enterprise's own timeline
    assert cases["E"].status == CaseStatus.DONE
    assert ApprovalCase.objects.filter(zone=zone).count() == 6

    # the scan ran: warnings and overdue items notified, webhooks failed offline, e-mail sent
    assert NotificationChannel.objects.filter(zone=zone).count() == 3
    notices = Notice.objects.filter(zone=zone)
    assert set(notices.values_list("clock_status", flat=True)) == {ClockStatus.WARNING, ClockStatus.OVERDUE}
    assert set(notices.filter(kind="email").values_list("status", flat=True)) == {NoticeStatus.SENT}
    failed = notices.filter(kind="wecom")
    assert failed.exists() and set(failed.values_list("status", flat=True)) == {NoticeStatus.FAILED}
    assert all("演示环境" in n.last_error for n in failed)
    assert notices.filter(key__contains=":核查").exists()  # the 告知承诺 verification due in 3 working days
