"""services.cases: opening a case, item_act through the state machine, dates, prerequisites, permissions, the
帮办员, audit, and the append-only events."""

import datetime as dt
import inspect

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError

from gaoxin.approvals.models import (
    ApprovalCase,
    CaseStatus,
    Catalog,
    CatalogStatus,
    ItemEvent,
    ItemInstance,
    ItemState,
)
from gaoxin.approvals.services import cases as services
from gaoxin.approvals.services.cases import case_assign_agent, case_open, item_act
from gaoxin.core.audit.models import ObjectChange
from gaoxin.core.permissions import Role
from tests.factories import make_user

from .cases_data import build_cases, build_catalog

D = dt.date


@pytest.fixture
def data(world):
    return build_cases(world)


@pytest.fixture
def setup(world):
    catalog, depts, users = build_catalog(world)
    return world, catalog, depts, users


def open_social(setup, **extra):
    world, catalog, _depts, users = setup
    route = catalog.routes.get(project_type="社会投资")
    kwargs = dict(user=users["staff_zwzx"], route=route, title="测试项目", start_date=D(2025, 9, 1),
                  enterprise=world.enterprises["a1"])
    kwargs.update(extra)
    return case_open(**kwargs)


def item(case, code) -> ItemInstance:
    return ItemInstance.objects.get(case=case, code=code)


def act(users, who, case, code, action, on, **fields):
    return item_act(user=users[who], item=item(case, code), action=action, on=on, **fields)


# -- case_open ------------------------------------------------------------------------------------------

def test_case_open_instantiates_the_route(setup):
    world, catalog, depts, _users = setup
    case = open_social(setup)
    route = catalog.routes.get(project_type="社会投资")
    assert case.zone == world.zone and case.department == depts["zwzx"] and case.catalog == catalog
    assert case.kind == "工程建设" and case.status == CaseStatus.OPEN
    assert case.code == "SP20250901001"
    items = list(case.items.order_by("id"))
    assert {i.code for i in items} == set(route.items.values_list("code", flat=True))
    for i in items:
        d = i.item_def
        assert (i.limit_wd, i.pause_mode, i.stage_code, i.department_id, i.name) == (
            d.promised_limit_wd, d.pause_mode, d.stage.code, d.department_id, d.name)
        assert i.state == ItemState.WAITING and i.accepted_on is None and i.clock_status == ""
    assert item(case, "drawing_review").pause_mode == "restart"
    # the sequence goes on per zone and start date
    assert open_social(setup).code == "SP20250901002"
    assert open_social(setup, start_date=D(2025, 9, 2)).code == "SP20250902001"


def test_area_assessment_waives_the_covered_items(setup):
    case = open_social(setup, area_assessment=True)
    energy = item(case, "energy")
    assert energy.state == ItemState.WAIVED
    event = energy.events.get()
    assert (event.kind, event.from_state, event.to_state, event.on) == ("waive", "待启动", "免办", D(2025, 9, 1))
    assert item(open_social(setup), "energy").state == ItemState.WAITING  # off: nothing waived


def test_case_open_refusals(setup, world):
    world, catalog, _depts, users = setup
    route = catalog.routes.get(project_type="社会投资")
    with pytest.raises(PermissionDenied):
        case_open(user=users["leader"], route=route, title="x", start_date=D(2025, 9, 1))
    with pytest.raises(PermissionDenied):
        case_open(user=users["enterprise"], route=route, title="x", start_date=D(2025, 9, 1))
    with pytest.raises(ValidationError, match="不属于本园区"):  # another zone's staff, this zone's route
        case_open(user=users["other_staff"], route=route, title="x", start_date=D(2025, 9, 1))
    with pytest.raises(ValidationError) as exc:
        case_open(user=users["staff_zwzx"], route=route, title="x", start_date=D(2099, 1, 1))
    assert "晚于今天" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        case_open(user=users["staff_zwzx"], route=route, title="  ", start_date=D(2025, 9, 1))
    assert "办件名称" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        case_open(user=users["staff_zwzx"], route=route, title="x", start_date=D(2025, 9, 1),
                  enterprise=world.enterprises["other"])
    assert "企业不属于本园区" in str(exc.value)
    # a draft catalog's route cannot open a case
    Catalog.objects.filter(pk=catalog.pk).update(status=CatalogStatus.DRAFT)
    with pytest.raises(ValidationError) as exc:
        case_open(user=users["staff_zwzx"], route=route, title="x", start_date=D(2025, 9, 1))
    assert "生效" in str(exc.value)
    Catalog.objects.filter(pk=catalog.pk).update(status=CatalogStatus.ACTIVE)
    # duplicate code
    case_open(user=users["staff_zwzx"], route=route, title="x", start_date=D(2025, 9, 1), code="A-1")
    with pytest.raises(ValidationError) as exc:
        case_open(user=users["staff_zwzx"], route=route, title="y", start_date=D(2025, 9, 1), code="A-1")
    assert "办件编号" in str(exc.value)
    assert ApprovalCase.objects.filter(code="A-1").count() == 1  # nothing half-written


def test_case_open_by_a_trusted_caller_needs_zone_and_department(setup):
    world, catalog, depts, _users = setup
    route = catalog.routes.get(project_type="简易低风险")
    with pytest.raises(ValidationError):
        case_open(user=None, route=route, title="x", start_date=D(2025, 9, 1))
    case = case_open(user=None, route=route, title="x", start_date=D(2025, 9, 1), zone=world.zone,
                     department=depts["jsj"])
    assert case.department == depts["jsj"] and case.items.count() == route.items.count()


# -- item_act: dates, permission, fields ----------------------------------------------------------------

def test_business_dates(setup):
    users = setup[3]
    case = open_social(setup)
    with pytest.raises(ValidationError) as exc:
        act(users, "staff_gfj", case, "filing", "receive", D(2099, 1, 1))
    assert "晚于今天" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        act(users, "staff_gfj", case, "filing", "receive", D(2025, 8, 31))
    assert "启动日期" in str(exc.value)
    act(users, "staff_gfj", case, "filing", "receive", D(2025, 9, 3))
    with pytest.raises(ValidationError) as exc:
        act(users, "staff_gfj", case, "filing", "accept", D(2025, 9, 2))
    assert "上一次办理记录的日期（2025-09-03）" in str(exc.value)
    # the same day and later are fine; back-entry of a past date too
    act(users, "staff_gfj", case, "filing", "accept", D(2025, 9, 3))
    assert item(case, "filing").accepted_on == D(2025, 9, 3)
    with pytest.raises(ValidationError):
        act(users, "staff_gfj", case, "filing", "decide", "2025-13-01", outcome="通过")


def test_unknown_action_and_fields(setup):
    users = setup[3]
    case = open_social(setup)
    with pytest.raises(ValidationError, match="未知的办理操作"):
        act(users, "staff_gfj", case, "filing", "approve", D(2025, 9, 1))
    with pytest.raises(ValidationError, match="不接受"):
        act(users, "staff_gfj", case, "filing", "receive", D(2025, 9, 1), outcome="通过")


def test_refused_transition_names_state_and_action(setup):
    users = setup[3]
    case = open_social(setup)
    with pytest.raises(ValidationError) as exc:
        act(users, "staff_gfj", case, "filing", "decide", D(2025, 9, 1), outcome="通过")
    assert "“待启动”" in str(exc.value) and "办结" in str(exc.value)
    assert not item(case, "filing").events.exists()  # nothing written


def test_department_actions_need_the_items_department(setup):
    users = setup[3]
    case = open_social(setup)
    # 收件 (applicant side) by the window (zwzx, the case's department) is allowed on a jsj item
    act(users, "staff_zwzx", case, "eia_report", "receive", D(2025, 9, 1))
    # 受理 needs jsj
    for who in ("staff_zwzx", "staff_b", "staff_a", "leader", "enterprise", "other_staff"):
        with pytest.raises(PermissionDenied):
            act(users, who, case, "eia_report", "accept", D(2025, 9, 1))
    act(users, "staff_jsj", case, "eia_report", "accept", D(2025, 9, 1))
    with pytest.raises(PermissionDenied) as exc:
        act(users, "staff_b", case, "eia_report", "decide", D(2025, 9, 2), outcome="通过")
    assert "建设局" in str(exc.value)
    # a department that is neither the item's nor the window cannot even receive
    with pytest.raises(PermissionDenied):
        act(users, "staff_b", case, "site", "receive", D(2025, 9, 1))
    assert item(case, "eia_report").state == ItemState.ACCEPTED


def test_agent_acts_for_the_applicant_and_is_marked(setup):
    users = setup[3]
    case = open_social(setup)
    agent = users["staff_a"]  # 经信局: neither the item's department nor the window
    with pytest.raises(PermissionDenied):
        act(users, "staff_a", case, "site", "receive", D(2025, 9, 1))
    case_assign_agent(user=users["staff_zwzx"], case=case, agent=agent)
    case.refresh_from_db()
    act(users, "staff_a", case, "site", "receive", D(2025, 9, 1))
    event = item(case, "site").events.get()
    assert event.as_agent and event.actor == agent
    # department actions stay with the department
    with pytest.raises(PermissionDenied):
        act(users, "staff_a", case, "site", "accept", D(2025, 9, 1))
    # the department's own receive is not marked
    act(users, "staff_jsj", case, "land_planning", "receive", D(2025, 9, 1))
    assert not item(case, "land_planning").events.get().as_agent
    # supplement (补正结束) and withdraw by the agent are marked too
    act(users, "staff_gfj", case, "filing", "receive", D(2025, 9, 1))
    act(users, "staff_gfj", case, "filing", "accept", D(2025, 9, 1))
    act(users, "staff_gfj", case, "filing", "decide", D(2025, 9, 1), outcome="通过")
    act(users, "staff_jsj", case, "site", "accept", D(2025, 9, 2))
    act(users, "staff_jsj", case, "site", "correction_start", D(2025, 9, 3))
    act(users, "staff_a", case, "site", "correction_end", D(2025, 9, 4))
    act(users, "staff_a", case, "site", "withdraw", D(2025, 9, 5))
    marks = list(item(case, "site").events.order_by("id").values_list("kind", "as_agent"))
    assert marks == [("receive", True), ("accept", False), ("correction_start", False),
                     ("correction_end", True), ("withdraw", True)]


def test_assign_agent_rules_and_audit(setup):
    users = setup[3]
    case = open_social(setup)
    with pytest.raises(PermissionDenied):
        case_assign_agent(user=users["staff_jsj"], case=case, agent=users["staff_a"])
    with pytest.raises(ValidationError):
        case_assign_agent(user=users["staff_zwzx"], case=case, agent=users["enterprise"])
    with pytest.raises(ValidationError):
        case_assign_agent(user=users["staff_zwzx"], case=case, agent=users["other_staff"])
    case_assign_agent(user=users["staff_zwzx"], case=case, agent=users["staff_a"])
    change = ObjectChange.objects.filter(content_type=ContentType.objects.get_for_model(ApprovalCase),
                                         object_id=case.pk).latest("id")
    assert "帮办员" in change.message and change.postchange_data["agent_id"] == users["staff_a"].pk
    case_assign_agent(user=users["staff_zwzx"], case=case, agent=None)
    case.refresh_from_db()
    assert case.agent is None


# -- prerequisites --------------------------------------------------------------------------------------

def test_acceptance_waits_for_prerequisites(setup):
    users = setup[3]
    case = open_social(setup)
    act(users, "staff_jsj", case, "site", "receive", D(2025, 9, 1))  # receiving is always possible
    with pytest.raises(ValidationError) as exc:
        act(users, "staff_jsj", case, "site", "accept", D(2025, 9, 1))
    assert "“企业投资项目备案”（待启动）" in str(exc.value)
    act(users, "staff_gfj", case, "filing", "receive", D(2025, 9, 1))
    act(users, "staff_gfj", case, "filing", "accept", D(2025, 9, 1))
    with pytest.raises(ValidationError, match="（受理）"):
        act(users, "staff_jsj", case, "site", "accept", D(2025, 9, 1))
    act(users, "staff_gfj", case, "filing", "decide", D(2025, 9, 2), outcome="通过")
    with pytest.raises(ValidationError) as exc:  # before the prerequisite's decision date
        act(users, "staff_jsj", case, "site", "accept", D(2025, 9, 1))
    assert "2025-09-02" in str(exc.value)
    act(users, "staff_jsj", case, "site", "accept", D(2025, 9, 2))
    assert item(case, "site").state == ItemState.ACCEPTED


def test_prerequisite_outside_the_route_is_bypassed(setup):
    """带方案出让 has no 用地预审与选址: 建设用地规划许可 then needs what site needed, i.e. 备案."""
    catalog, users = setup[1], setup[3]
    route = catalog.routes.get(project_type="带方案出让")
    case = case_open(user=users["staff_zwzx"], route=route, title="拿地即开工", start_date=D(2025, 9, 1))
    assert services.case_requires(case)["land_planning"] == ("filing",)
    act(users, "staff_jsj", case, "land_planning", "receive", D(2025, 9, 1))
    with pytest.raises(ValidationError, match="企业投资项目备案"):
        act(users, "staff_jsj", case, "land_planning", "accept", D(2025, 9, 1))
    for action, extra in (("receive", {}), ("accept", {}), ("decide", {"outcome": "通过"})):
        act(users, "staff_gfj", case, "filing", action, D(2025, 9, 1), **extra)
    act(users, "staff_jsj", case, "land_planning", "accept", D(2025, 9, 1))


def test_waived_prerequisite_satisfies(setup):
    case = open_social(setup, area_assessment=True)
    # construction_permit needs drawing_review, eia_report and energy; energy is 免办
    assert "energy" in services.case_requires(case)["construction_permit"]
    assert item(case, "energy").state == ItemState.WAIVED


# -- the whole life of items, events and audit ---------------------------------------------------------

def test_decide_refuse_withdraw_and_case_closing(setup):
    catalog, users = setup[1], setup[3]
    route = catalog.routes.get(project_type="简易低风险")
    case = case_open(user=users["staff_zwzx"], route=route, title="小项目", start_date=D(2025, 9, 1))
    for action, extra in (("receive", {}), ("accept", {}), ("decide", {"outcome": "通过"})):
        act(users, "staff_gfj", case, "filing", action, D(2025, 9, 1), **extra)
    act(users, "staff_jsj", case, "low_risk_permit", "receive", D(2025, 9, 2))
    act(users, "staff_jsj", case, "low_risk_permit", "accept", D(2025, 9, 2))
    with pytest.raises(ValidationError, match="容缺通过"):
        act(users, "staff_jsj", case, "low_risk_permit", "decide", D(2025, 9, 3), outcome="容缺通过")
    act(users, "staff_jsj", case, "low_risk_permit", "decide", D(2025, 9, 3), outcome="不予许可")
    permit = item(case, "low_risk_permit")
    assert (permit.state, permit.decided_on, permit.certificate_held) == ("不予许可", D(2025, 9, 3), False)
    act(users, "staff_jsj", case, "eia_registration", "receive", D(2025, 9, 2))
    act(users, "staff_jsj", case, "eia_registration", "withdraw", D(2025, 9, 3), note="申请人撤回")
    act(users, "staff_zwzx", case, "utilities", "receive", D(2025, 9, 2))
    act(users, "staff_zwzx", case, "utilities", "accept", D(2025, 9, 2))
    act(users, "staff_zwzx", case, "utilities", "special_start", D(2025, 9, 3), reason="中介服务")
    act(users, "staff_zwzx", case, "utilities", "withdraw", D(2025, 9, 4))
    utilities = item(case, "utilities")
    assert utilities.state == "撤回" and utilities.clock_status == ""  # ended without a decision
    assert utilities.segments.get().end == D(2025, 9, 4)  # the open pause closed with the withdrawal
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN  # low_risk_acceptance still waits
    act(users, "staff_jsj", case, "low_risk_acceptance", "receive", D(2025, 9, 5))
    act(users, "staff_jsj", case, "low_risk_acceptance", "withdraw", D(2025, 9, 5))
    case.refresh_from_db()
    assert case.status == CaseStatus.DONE and case.result_delivered_on is None  # not a bundle


def test_every_change_writes_an_event_and_an_audit_record(setup):
    users = setup[3]
    case = open_social(setup)
    filing = item(case, "filing")
    act(users, "staff_gfj", case, "filing", "receive", D(2025, 9, 1), materials="项目备案信息表、企业营业执照",
        note="窗口收件")
    act(users, "staff_gfj", case, "filing", "accept", D(2025, 9, 1), message="当场受理")
    act(users, "staff_gfj", case, "filing", "decide", D(2025, 9, 1), outcome="通过")
    events = list(filing.events.order_by("id"))
    assert [(e.kind, e.from_state, e.to_state) for e in events] == [
        ("receive", "待启动", "收件"), ("accept", "收件", "受理"), ("decide", "受理", "通过")]
    assert events[0].data == {"materials": ["项目备案信息表", "企业营业执照"]} and events[0].note == "窗口收件"
    assert all(e.actor == users["staff_gfj"] and e.on == D(2025, 9, 1) for e in events)
    changes = list(ObjectChange.objects.filter(content_type=ContentType.objects.get_for_model(ItemInstance),
                                               object_id=filing.pk).order_by("id"))
    assert [c.action for c in changes] == ["create", "update", "update", "update"]
    assert changes[1].message == "收件" and changes[2].message == "当场受理" and "通过" in changes[3].message
    assert changes[3].prechange_data["state"] == "受理" and changes[3].postchange_data["state"] == "通过"


def test_events_are_never_edited(data):
    """No service updates or deletes an event; later actions leave earlier events exactly as they were."""
    source = inspect.getsource(services)
    for forbidden in ("events.update", "events.all().delete", "ItemEvent.objects.filter", ".delete()"):
        assert forbidden not in source
    public = [name for name, f in inspect.getmembers(services, inspect.isfunction)
              if f.__module__ == services.__name__ and not name.startswith("_")]
    assert public and not [name for name in public if "event" in name]
    land = data.item("social", "land_planning")
    before = list(ItemEvent.objects.filter(item=land).order_by("id").values())
    item_act(user=data.users["staff_jsj"], item=land, action="extend", on=D(2025, 10, 14), wd=2, reason="专家论证")
    item_act(user=data.users["staff_jsj"], item=land, action="decide", on=D(2025, 10, 16), outcome="通过")
    after = list(ItemEvent.objects.filter(item=land).order_by("id").values())
    assert after[:len(before)] == before and len(after) == len(before) + 2


def test_extend_needs_days_and_a_reason(data):
    land = data.item("social", "land_planning")
    staff = data.users["staff_jsj"]
    with pytest.raises(ValidationError, match="工作日数"):
        item_act(user=staff, item=land, action="extend", on=D(2025, 10, 14), wd="x", reason="r")
    with pytest.raises(ValidationError, match="1 至"):
        item_act(user=staff, item=land, action="extend", on=D(2025, 10, 14), wd=0, reason="r")
    with pytest.raises(ValidationError, match="理由"):
        item_act(user=staff, item=land, action="extend", on=D(2025, 10, 14), wd=2)
    item_act(user=staff, item=land, action="extend", on=D(2025, 10, 14), wd=2, reason="需专家评审")
    land.refresh_from_db()
    segment = land.segments.get(kind="延长")
    assert (land.extension_wd, segment.extension_wd, segment.start, segment.note) == (2, 2, D(2025, 10, 14), "需专家评审")


def test_special_procedure_reason_and_waiting_on(data):
    eia = data.item("social", "eia_report")
    staff = data.users["staff_jsj"]
    with pytest.raises(ValidationError, match="特别程序的原因"):
        item_act(user=staff, item=eia, action="special_start", on=D(2025, 10, 15), reason="补正")
    with pytest.raises(ValidationError, match="等待对象"):
        item_act(user=staff, item=eia, action="special_start", on=D(2025, 10, 15), waiting_on="申请人")
    item_act(user=staff, item=eia, action="special_start", on=D(2025, 10, 15), reason="特别程序", note="专家评审")
    segment = eia.segments.get()
    assert (segment.reason, segment.waiting_on, segment.end) == ("特别程序", "部门", None)
    item_act(user=staff, item=eia, action="special_end", on=D(2025, 10, 17))
    segment.refresh_from_db()
    assert segment.end == D(2025, 10, 17)
    item_act(user=staff, item=eia, action="special_start", on=D(2025, 10, 17), reason="中介服务")
    assert eia.segments.order_by("-id").first().waiting_on == "中介"


def test_revoke_needs_a_reason(data):
    filing = data.item("social", "filing")
    with pytest.raises(ValidationError, match="理由"):
        item_act(user=data.users["staff_gfj"], item=filing, action="revoke", on=D(2025, 10, 1))


def test_other_zone_staff_cannot_act(data, world):
    other = make_user("other_zwzx", zone=world.other_zone, role=Role.DEPARTMENT_STAFF,
                      department=world.users["other_staff"].department)
    with pytest.raises(PermissionDenied):
        item_act(user=other, item=data.item("social", "utilities"), action="withdraw", on=D(2025, 10, 1))
