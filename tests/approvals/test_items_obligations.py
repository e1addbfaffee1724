"""容缺受理 (deferred materials, held certificate, missed → 终止) and 告知承诺 (post-verification, failed → 撤销 with
the dependants flagged)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gaoxin.approvals.models import CaseStatus, ItemInstance, ItemState, Obligation, ObligationStatus
from gaoxin.approvals.selectors.cases import case_timeline, item_page
from gaoxin.approvals.services.cases import case_open, item_act, obligation_resolve, obligations_expire

from .cases_data import TODAY, build_cases, build_catalog

D = dt.date


@pytest.fixture
def data(world):
    return build_cases(world)


@pytest.fixture
def setup(world):
    catalog, _depts, users = build_catalog(world)
    case = case_open(user=users["staff_zwzx"], route=catalog.routes.get(project_type="社会投资"), title="容缺测试",
                     start_date=D(2025, 9, 1))
    for action, extra in (("receive", {}), ("accept", {}), ("decide", {"outcome": "通过"})):
        item_act(user=users["staff_gfj"], item=ItemInstance.objects.get(case=case, code="filing"), action=action,
                 on=D(2025, 9, 1), **extra)
    site = ItemInstance.objects.get(case=case, code="site")
    item_act(user=users["staff_jsj"], item=site, action="receive", on=D(2025, 9, 26))
    return users, case, site


def accept(users, site, **fields):
    return item_act(user=users["staff_jsj"], item=site, action="accept", on=D(2025, 9, 26), **fields)


# -- 容缺 -----------------------------------------------------------------------------------------------

def test_rongque_refused_where_the_item_does_not_allow_it(world):
    catalog, _depts, users = build_catalog(world)
    case = case_open(user=users["staff_zwzx"], route=catalog.routes.get(project_type="社会投资"), title="x",
                     start_date=D(2025, 9, 1))
    filing = ItemInstance.objects.get(case=case, code="filing")
    item_act(user=users["staff_gfj"], item=filing, action="receive", on=D(2025, 9, 1))
    with pytest.raises(ValidationError, match="不适用容缺受理"):
        item_act(user=users["staff_gfj"], item=filing, action="accept", on=D(2025, 9, 1), mode="容缺",
                 deferred=["企业营业执照"])
    with pytest.raises(ValidationError, match="不适用告知承诺"):
        item_act(user=users["staff_gfj"], item=filing, action="accept", on=D(2025, 9, 1), mode="告知承诺")
    with pytest.raises(ValidationError, match="办理方式"):
        item_act(user=users["staff_gfj"], item=filing, action="accept", on=D(2025, 9, 1), mode="加急")


def test_deferred_materials_must_be_deferrable(setup):
    users, site = setup[0], setup[2]
    with pytest.raises(ValidationError) as exc:
        accept(users, site, mode="容缺", deferred=["用地预审与选址申请表", "土地权属证明材料"])
    assert "用地预审与选址申请表" in str(exc.value) and "可容缺：土地权属证明材料" in str(exc.value)
    with pytest.raises(ValidationError, match="列明容缺的材料"):
        accept(users, site, mode="容缺", deferred=[])
    with pytest.raises(ValidationError, match="只有容缺受理"):
        accept(users, site, deferred=["土地权属证明材料"])
    site.refresh_from_db()
    assert site.state == ItemState.RECEIVED and not Obligation.objects.exists()


def test_supplement_deadline_defaults_to_the_promised_limit_and_may_not_exceed_it(setup):
    """site: 5 WD. Accepted Fri 09-26 → 09-28 (Sun make-up), 09-29, 09-30, 10-09, 10-10: latest 10-10."""
    users, site = setup[0], setup[2]
    with pytest.raises(ValidationError) as exc:
        accept(users, site, mode="容缺", deferred=["土地权属证明材料"], due=D(2025, 10, 11))
    assert "2025-10-10" in str(exc.value)
    with pytest.raises(ValidationError, match="早于受理日期"):
        accept(users, site, mode="容缺", deferred=["土地权属证明材料"], due=D(2025, 9, 25))
    accept(users, site, mode="容缺", deferred="土地权属证明材料")  # text from a form works too
    obligation = Obligation.objects.get()
    assert (obligation.kind, obligation.subject, obligation.due_on, obligation.status) == (
        "容缺补正", "土地权属证明材料", D(2025, 10, 10), ObligationStatus.OPEN)
    site.refresh_from_db()
    assert site.mode == "容缺" and site.events.get(kind="accept").data["deferred"] == ["土地权属证明材料"]


def test_rongque_decision_holds_the_certificate_until_met(setup):
    users, site = setup[0], setup[2]
    accept(users, site, mode="容缺", deferred=["土地权属证明材料"], due=D(2025, 10, 9))
    staff = users["staff_jsj"]
    with pytest.raises(ValidationError, match="只能以“容缺通过”办结"):
        item_act(user=staff, item=site, action="decide", on=D(2025, 9, 30), outcome="通过")
    item_act(user=staff, item=site, action="decide", on=D(2025, 9, 30), outcome="容缺通过")
    site.refresh_from_db()
    assert (site.state, site.certificate_held, site.clock_status) == ("容缺通过", True, "按期办结")
    obligation = Obligation.objects.get()
    with pytest.raises(PermissionDenied):
        obligation_resolve(user=users["staff_zwzx"], obligation=obligation, outcome="met", on=D(2025, 10, 9))
    with pytest.raises(ValidationError, match="结果应为"):
        obligation_resolve(user=staff, obligation=obligation, outcome="failed", on=D(2025, 10, 9))
    obligation_resolve(user=staff, obligation=obligation, outcome="met", on=D(2025, 10, 9), note="已补交")
    site.refresh_from_db()
    obligation.refresh_from_db()
    assert not site.certificate_held and site.state == "容缺通过"
    assert (obligation.status, obligation.resolved_on, obligation.note) == ("已履行", D(2025, 10, 9), "已补交")
    assert site.events.order_by("-id").first().kind == "obligation_met"
    with pytest.raises(ValidationError, match="不能重复登记"):
        obligation_resolve(user=staff, obligation=obligation, outcome="met", on=D(2025, 10, 9))


def test_met_before_the_decision_means_a_plain_approval(setup):
    users, site = setup[0], setup[2]
    accept(users, site, mode="容缺", deferred=["土地权属证明材料"])
    staff = users["staff_jsj"]
    obligation_resolve(user=staff, obligation=Obligation.objects.get(), outcome="met", on=D(2025, 9, 29))
    with pytest.raises(ValidationError, match="请以“通过”办结"):
        item_act(user=staff, item=site, action="decide", on=D(2025, 9, 30), outcome="容缺通过")
    item_act(user=staff, item=site, action="decide", on=D(2025, 9, 30), outcome="通过")
    site.refresh_from_db()
    assert (site.state, site.certificate_held) == ("通过", False)


def test_missed_supplement_terminates(setup):
    users, site = setup[0], setup[2]
    accept(users, site, mode="容缺", deferred=["土地权属证明材料"], due=D(2025, 10, 9))
    staff = users["staff_jsj"]
    item_act(user=staff, item=site, action="decide", on=D(2025, 9, 30), outcome="容缺通过")
    obligation = Obligation.objects.get()
    with pytest.raises(ValidationError, match="尚未届满"):
        obligation_resolve(user=staff, obligation=obligation, outcome="missed", on=D(2025, 10, 9))
    with pytest.raises(ValidationError, match="应登记为逾期未补"):
        obligation_resolve(user=staff, obligation=obligation, outcome="met", on=D(2025, 10, 10))
    obligation_resolve(user=staff, obligation=obligation, outcome="missed", on=D(2025, 10, 10))
    site.refresh_from_db()
    obligation.refresh_from_db()
    assert (site.state, site.certificate_held) == (ItemState.TERMINATED, False)
    assert obligation.status == ObligationStatus.MISSED
    last = site.events.order_by("-id").first()
    assert (last.kind, last.from_state, last.to_state, last.on) == ("terminate", "容缺通过", "终止", D(2025, 10, 10))
    assert site.clock_status == "按期办结"  # it was decided in time; the termination is its own fact


def test_missed_before_the_decision_terminates_the_open_item(setup):
    users, site = setup[0], setup[2]
    accept(users, site, mode="容缺", deferred=["土地权属证明材料"], due=D(2025, 9, 29))
    item_act(user=users["staff_jsj"], item=site, action="correction_start", on=D(2025, 9, 29))
    obligation_resolve(user=None, obligation=Obligation.objects.get(), outcome=ObligationStatus.MISSED,
                       on=D(2025, 9, 30))
    site.refresh_from_db()
    assert site.state == ItemState.TERMINATED and site.clock_status == ""
    assert site.segments.get().end == D(2025, 9, 30)


def test_the_scan_helper_marks_past_due_obligations(data):
    """cases_data: site's obligation is due 09-09 and still open."""
    assert obligations_expire(zone=data.world.zone, today=D(2025, 9, 9)) == []  # due today: not yet missed
    done = obligations_expire(zone=data.world.zone, today=TODAY)
    assert len(done) == 1 and done[0].status == ObligationStatus.MISSED
    assert data.item("social", "site").state == ItemState.TERMINATED
    assert obligations_expire(zone=data.world.zone, today=TODAY) == []  # idempotent


def test_missed_on_a_refused_item_only_records_the_obligation(setup):
    users, site = setup[0], setup[2]
    accept(users, site, mode="容缺", deferred=["土地权属证明材料"], due=D(2025, 9, 29))
    item_act(user=users["staff_jsj"], item=site, action="decide", on=D(2025, 9, 29), outcome="不予许可")
    obligation_resolve(user=None, obligation=Obligation.objects.get(), outcome="missed", on=D(2025, 9, 30))
    site.refresh_from_db()
    assert site.state == "不予许可" and site.events.order_by("-id").first().kind == "obligation_missed"


# -- 告知承诺 -------------------------------------------------------------------------------------------

def _commitment_case(data):
    """eia_report (告知承诺, verify 20 WD 书面核查、实地调查) decided 通过 on 10-16 in the social case."""
    eia = data.item("social", "eia_report")
    item_act(user=data.users["staff_jsj"], item=eia, action="decide", on=D(2025, 10, 16), outcome="通过")
    return eia, Obligation.objects.get(item=eia)


def test_commitment_approval_creates_the_verification(data):
    """20 WD after Thu 10-16: 10-17 (1), 10-20…10-24 (6), 10-27…10-31 (11), 11-03…11-07 (16), 11-10…11-13 (20)."""
    eia, obligation = _commitment_case(data)
    assert (obligation.kind, obligation.method, obligation.due_on, obligation.status) == (
        "承诺核查", "书面核查、实地调查", D(2025, 11, 13), ObligationStatus.OPEN)
    eia.refresh_from_db()
    assert not eia.certificate_held and eia.state == "通过"


def test_commitment_verification_met_confirms(data):
    eia, obligation = _commitment_case(data)
    obligation_resolve(user=data.users["staff_jsj"], obligation=obligation, outcome="met", on=D(2025, 11, 1))
    eia.refresh_from_db()
    assert eia.state == "通过"
    obligation.refresh_from_db()
    assert obligation.status == ObligationStatus.MET


def test_failed_verification_revokes_and_flags_the_dependants(data):
    eia, obligation = _commitment_case(data)
    obligation_resolve(user=data.users["staff_jsj"], obligation=obligation, outcome="failed", on=D(2025, 11, 1),
                       note="现场与承诺不符")
    eia.refresh_from_db()
    obligation.refresh_from_db()
    assert eia.state == ItemState.REVOKED and obligation.status == ObligationStatus.FAILED
    revoke = eia.events.get(kind="revoke")
    assert (revoke.from_state, revoke.to_state, revoke.on, revoke.note) == ("通过", "撤销", D(2025, 11, 1), "现场与承诺不符")
    # construction_permit requires eia_report; joint_acceptance and completion_filing follow it
    flagged = set(ItemInstance.objects.filter(case=eia.case, events__kind="prereq_revoked")
                  .values_list("code", flat=True))
    assert flagged == {"construction_permit", "joint_acceptance", "completion_filing"}
    event = data.item("social", "construction_permit").events.get(kind="prereq_revoked")
    assert "建设项目环境影响报告表审批" in event.note and event.from_state == event.to_state == "待启动"
    # the pages show it
    page = item_page(data.item("social", "joint_acceptance"), today=TODAY)
    assert page.revoked_prerequisites == ["建设项目环境影响报告表审批"]
    rows = {r.item.code: r for r in case_timeline(eia.case, today=TODAY).rows}
    assert rows["construction_permit"].revoked_prerequisites == ["建设项目环境影响报告表审批"]
    assert rows["land_planning"].revoked_prerequisites == []
    # and the revoked result no longer satisfies acceptance
    permit = data.item("social", "construction_permit")
    item_act(user=data.users["staff_jsj"], item=permit, action="receive", on=D(2025, 11, 2))
    with pytest.raises(ValidationError, match="“建设项目环境影响报告表审批”（撤销）"):
        item_act(user=data.users["staff_jsj"], item=permit, action="accept", on=D(2025, 11, 2))


def test_revoke_by_hand_also_flags(data):
    filing = data.item("social", "filing")
    item_act(user=data.users["staff_gfj"], item=filing, action="revoke", on=D(2025, 10, 1), note="备案信息虚假")
    flagged = set(ItemInstance.objects.filter(case=filing.case, events__kind="prereq_revoked")
                  .values_list("code", flat=True))
    assert {"site", "land_planning", "design_scheme", "construction_permit"} <= flagged
    assert "eia_report" not in flagged and "utilities" not in flagged
    case = filing.case
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN
