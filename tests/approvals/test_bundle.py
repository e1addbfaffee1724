"""一件事一次办: one unified form fanned out to every item, one delivery when the last item is decided."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gaoxin.approvals.models import ApprovalCase, CaseStatus, Catalog, CatalogStatus, ItemEvent, ItemState
from gaoxin.approvals.services.cases import bundle_open, item_act

from .cases_data import build_cases, build_catalog

D = dt.date


@pytest.fixture
def setup(world):
    catalog, _depts, users = build_catalog(world)
    return world, catalog, users, catalog.bundles.get(code="enterprise_change")


def form(enterprise, **extra):
    data = {"uscc": enterprise.uscc, "old_name": enterprise.name, "new_name": "新名称科技有限公司",
            "legal_representative": "李四", "phone": "13800000000"}
    data.update(extra)
    return data


def test_fan_out(setup):
    world, _catalog, users, bundle = setup
    enterprise = world.enterprises["a1"]
    case = bundle_open(user=users["staff_zwzx"], bundle=bundle, enterprise=enterprise, start_date=D(2025, 10, 9),
                       form_data=form(enterprise, extra_field="ignored", phone="  13800000000 "))
    assert case.kind == "一件事" and case.bundle == bundle and case.enterprise == enterprise
    assert case.title == f"企业变更一件事（{enterprise.name}）" and case.code == "SP20251009001"
    assert case.form_data["phone"] == "13800000000" and "extra_field" not in case.form_data
    items = list(case.items.order_by("id"))
    assert [i.code for i in items] == ["name_change", "seal_filing", "bank_account_change", "tax_info_change"]
    for i in items:
        assert (i.state, i.received_on, i.accepted_on, i.mode) == (ItemState.ACCEPTED, D(2025, 10, 9),
                                                                  D(2025, 10, 9), "一般")
        events = list(i.events.order_by("id"))
        assert [e.kind for e in events] == ["receive", "accept"]
        for e in events:  # one form and one set of materials, copied to every item
            assert e.data["form_data"] == case.form_data and e.data["materials"] == list(bundle.materials)
            assert e.actor == users["staff_zwzx"] and e.on == D(2025, 10, 9)
    # limits from the catalog: name change 1 WD (due 10-10), seal filing 即办 (due the same day)
    assert {i.code: i.due_on for i in items}["name_change"] == D(2025, 10, 10)
    assert {i.code: i.due_on for i in items}["seal_filing"] == D(2025, 10, 9)


def test_single_delivery_when_the_last_item_is_decided(setup):
    world, _catalog, users, bundle = setup
    enterprise = world.enterprises["a1"]
    case = bundle_open(user=users["staff_zwzx"], bundle=bundle, enterprise=enterprise, start_date=D(2025, 10, 9),
                       form_data=form(enterprise))
    staff = users["staff_zwzx"]
    codes = ["name_change", "seal_filing", "bank_account_change"]
    for code in codes:
        item_act(user=staff, item=case.items.get(code=code), action="decide", on=D(2025, 10, 10), outcome="通过")
        case.refresh_from_db()
        assert case.result_delivered_on is None and case.status == CaseStatus.OPEN
    item_act(user=staff, item=case.items.get(code="tax_info_change"), action="decide", on=D(2025, 10, 13),
             outcome="通过")
    case.refresh_from_db()
    assert (case.status, case.result_delivered_on) == (CaseStatus.DONE, D(2025, 10, 13))
    # delivered once: a later change does not deliver again
    item_act(user=staff, item=case.items.get(code="seal_filing"), action="revoke", on=D(2025, 10, 20),
             note="印章信息有误")
    case.refresh_from_db()
    assert (case.status, case.result_delivered_on) == (CaseStatus.DONE, D(2025, 10, 13))


def test_delivery_in_the_shared_data(world):
    data = build_cases(world)
    case = data.cases["bundle"]
    assert case.result_delivered_on is None
    item_act(user=data.users["staff_zwzx"], item=data.item("bundle", "tax_info_change"), action="decide",
             on=D(2025, 10, 20), outcome="通过")
    case.refresh_from_db()
    assert case.result_delivered_on == D(2025, 10, 20)


def test_unified_form_is_validated(setup):
    world, _catalog, users, bundle = setup
    enterprise = world.enterprises["a1"]
    with pytest.raises(ValidationError) as exc:
        bundle_open(user=users["staff_zwzx"], bundle=bundle, enterprise=enterprise, start_date=D(2025, 10, 9),
                    form_data=form(enterprise, new_name="  ", phone=None))
    errors = exc.value.message_dict
    assert errors == {"new_name": ["请填写“新名称”。"], "phone": ["请填写“联系电话”。"]}
    with pytest.raises(ValidationError, match="500"):
        bundle_open(user=users["staff_zwzx"], bundle=bundle, enterprise=enterprise, start_date=D(2025, 10, 9),
                    form_data=form(enterprise, new_name="名" * 501))
    with pytest.raises(ValidationError, match="无法识别"):
        bundle_open(user=users["staff_zwzx"], bundle=bundle, enterprise=enterprise, start_date=D(2025, 10, 9),
                    form_data=["not", "a", "dict"])
    assert not ApprovalCase.objects.exists()  # nothing half-written


def test_bundle_refusals(setup):
    world, catalog, users, bundle = setup
    a1 = world.enterprises["a1"]
    with pytest.raises(ValidationError, match="企业不属于本园区"):
        bundle_open(user=users["staff_zwzx"], bundle=bundle, enterprise=world.enterprises["other"],
                    start_date=D(2025, 10, 9), form_data=form(a1))
    with pytest.raises(ValidationError, match="申请企业"):
        bundle_open(user=users["staff_zwzx"], bundle=bundle, enterprise=None, start_date=D(2025, 10, 9),
                    form_data=form(a1))
    with pytest.raises(PermissionDenied):
        bundle_open(user=users["enterprise"], bundle=bundle, enterprise=a1, start_date=D(2025, 10, 9),
                    form_data=form(a1))
    with pytest.raises(ValidationError, match="启动日期"):
        bundle_open(user=users["staff_zwzx"], bundle=bundle, enterprise=a1, start_date=D(2099, 1, 1),
                    form_data=form(a1))
    Catalog.objects.filter(pk=catalog.pk).update(status=CatalogStatus.RETIRED)
    with pytest.raises(ValidationError, match="生效"):
        bundle_open(user=users["staff_zwzx"], bundle=bundle, enterprise=a1, start_date=D(2025, 10, 9),
                    form_data=form(a1))
    assert not ItemEvent.objects.exists()
