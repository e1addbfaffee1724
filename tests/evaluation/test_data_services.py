"""The evaluation data services: the officer's edit (audited, reasons required) and the per-source bulk merge."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gaoxin.core.audit.models import ObjectChange
from gaoxin.evaluation.models import EvaluationData, EvaluationRun, RunStatus
from gaoxin.evaluation.selectors.data import evaluation_inputs
from gaoxin.evaluation.services.data import evaluation_data_save, evaluation_data_upsert


def changes(record):
    return ObjectChange.objects.filter(content_type__model="evaluationdata", object_id=record.pk).order_by("pk")


def test_save_creates_the_row_in_the_users_department(world):
    staff = world.users["staff_a"]
    b1 = world.enterprises["b1"]  # kept by another department in the register: anyone evaluating may add data
    record = evaluation_data_save(user=staff, enterprise=b1, year=2025,
                                  data={"tax": Decimal("12.5"), "major_accident": True, "zone": 99}, message="补录")
    assert (record.zone, record.department, record.tax, record.major_accident, record.sources) == (
        world.zone, world.dept_a, Decimal("12.5"), True, {})
    change = changes(record).get()
    assert (change.action, change.message, change.postchange_data["tax"]) == ("create", "补录", "12.50")


def test_save_updates_and_a_no_op_writes_nothing(world):
    staff = world.users["staff_a"]
    a1 = world.enterprises["a1"]
    evaluation_data_save(user=staff, enterprise=a1, year=2025, data={"tax": Decimal("600")})
    record = evaluation_data_save(user=staff, enterprise=a1, year=2025, data={"tax": Decimal("650"), "staff": 80})
    assert (record.tax, record.staff) == (Decimal("650"), 80)
    update = changes(record).last()
    assert (update.prechange_data["tax"], update.postchange_data["tax"]) == ("600.00", "650.00")
    evaluation_data_save(user=staff, enterprise=a1, year=2025, data={"tax": Decimal("650.00")})
    assert changes(record).count() == 2
    assert EvaluationData.objects.count() == 1


def test_land_override_needs_a_reason_and_clearing_it_clears_the_reason(world):
    staff = world.users["staff_a"]
    a1 = world.enterprises["a1"]
    with pytest.raises(ValidationError) as exc:
        evaluation_data_save(user=staff, enterprise=a1, year=2025,
                             data={"land_mu_override": Decimal("8"), "land_mu_reason": "  "})
    assert exc.value.message_dict == {"land_mu_reason": ["调整评价用地面积须说明原因。"]}
    assert not EvaluationData.objects.exists()

    record = evaluation_data_save(user=staff, enterprise=a1, year=2025,
                                  data={"land_mu_override": Decimal("8"), "land_mu_reason": "部分厂房拆除"})
    frame = evaluation_inputs(zone=world.zone, year=2025).frame
    row = frame.filter(frame["enterprise_id"] == a1.pk).row(0, named=True)
    assert (row["land_mu"], row["land_mu_register"], row["land_source"]) == (8.0, 10.0, "调整：部分厂房拆除")

    record = evaluation_data_save(user=staff, enterprise=a1, year=2025,
                                  data={"land_mu_override": None, "land_mu_reason": "部分厂房拆除"})
    assert (record.land_mu_override, record.land_mu_reason) == (None, "")


@pytest.mark.parametrize("role", ["leader", "enterprise", "system_admin", "other_staff"])
def test_only_staff_of_the_zone_may_save(world, role):
    with pytest.raises(PermissionDenied):
        evaluation_data_save(user=world.users[role], enterprise=world.enterprises["a1"], year=2025,
                             data={"tax": Decimal("1")})
    assert not EvaluationData.objects.exists()


def test_another_departments_row_is_not_theirs_to_change(world):
    evaluation_data_save(user=world.users["staff_a"], enterprise=world.enterprises["a1"], year=2025,
                         data={"tax": Decimal("1")})
    with pytest.raises(PermissionDenied):
        evaluation_data_save(user=world.users["staff_b"], enterprise=world.enterprises["a1"], year=2025,
                             data={"tax": Decimal("2")})
    assert EvaluationData.objects.get().tax == Decimal("1.00")


def test_refusals_empty_rows_bad_years_and_final_years(world):
    staff, a1 = world.users["staff_a"], world.enterprises["a1"]
    with pytest.raises(ValidationError, match="没有填写任何数据"):
        evaluation_data_save(user=staff, enterprise=a1, year=2025, data={"tax": None, "exempt_reason": " "})
    with pytest.raises(ValidationError, match="2000 到 2100"):
        evaluation_data_save(user=staff, enterprise=a1, year=1999, data={"tax": Decimal("1")})
    EvaluationRun.objects.create(zone=world.zone, department=world.dept_a, year=2025, version=1, scheme_name="x",
                                 scheme_version=1, scheme_toml="", land_as_of="2025-12-31", status=RunStatus.FINAL)
    with pytest.raises(ValidationError, match="已定稿"):
        evaluation_data_save(user=staff, enterprise=a1, year=2025, data={"tax": Decimal("1")})
    assert not EvaluationData.objects.exists()


def test_upsert_merges_only_the_sources_fields(world):
    a1, a2 = world.enterprises["a1"], world.enterprises["a2"]
    rows = [{"uscc": a1.uscc, "year": 2025, "tax": Decimal("600"), "revenue": Decimal("1")},  # revenue: not 税务's
            {"enterprise_id": a2.pk, "year": 2025, "tax": None}]
    result = evaluation_data_upsert(zone=world.zone, department=world.dept_a, rows=rows, user=None, source="税务",
                                    filename="tax.xlsx", message="demo")
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    first = EvaluationData.objects.get(enterprise=a1)
    assert (first.tax, first.revenue, first.sources["税务"]["file"]) == (Decimal("600.00"), None, "tax.xlsx")
    stats = [{"uscc": a1.uscc, "year": 2025, "revenue": Decimal("10000"), "staff": 100}]
    result = evaluation_data_upsert(zone=world.zone, department=world.dept_a, rows=stats, user=None, source="统计")
    first.refresh_from_db()
    assert (result.updated, first.tax, first.revenue, first.staff) == (1, Decimal("600.00"), Decimal("10000.00"), 100)
    assert set(first.sources) == {"税务", "统计"}
    assert changes(first).count() == 2


def test_upsert_refuses_whole_batches(world):
    a1, other = world.enterprises["a1"], world.enterprises["other"]
    upsert = evaluation_data_upsert
    with pytest.raises(ValidationError, match=other.uscc):
        upsert(zone=world.zone, department=world.dept_a, rows=[{"uscc": a1.uscc, "year": 2025},
                                                               {"uscc": other.uscc, "year": 2025}], user=None,
               source="电力")
    with pytest.raises(ValidationError, match="出现了两次"):
        upsert(zone=world.zone, department=world.dept_a, rows=[{"uscc": a1.uscc, "year": 2025}] * 2, user=None,
               source="电力")
    with pytest.raises(ValidationError, match="评价年度应为"):
        upsert(zone=world.zone, department=world.dept_a, rows=[{"uscc": a1.uscc, "year": 25}], user=None,
               source="电力")
    with pytest.raises(ValidationError, match="用地面积不能为负数"):
        upsert(zone=world.zone, department=world.dept_a, user=None, source="自然资源",
               rows=[{"uscc": a1.uscc, "year": 2025, "land_mu_verified": Decimal("-1")}])
    with pytest.raises(PermissionDenied):
        upsert(zone=world.zone, department=world.dept_a, rows=[{"uscc": a1.uscc, "year": 2025}],
               user=world.users["staff_b"], source="电力")
    assert not EvaluationData.objects.exists()
    upsert(zone=world.zone, department=world.dept_b, rows=[{"uscc": a1.uscc, "year": 2025}], user=None, source="电力")
    with pytest.raises(ValidationError, match="由其他部门维护"):
        upsert(zone=world.zone, department=world.dept_a, rows=[{"uscc": a1.uscc, "year": 2025,
                                                                "electricity": Decimal("1")}], user=None, source="电力")
    assert EvaluationData.objects.get().electricity is None
