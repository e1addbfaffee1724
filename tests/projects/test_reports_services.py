"""Plans, monthly reports and reporting periods: permission, validation, closed periods, bulk upserts."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gaoxin.core.audit.models import ObjectChange
from gaoxin.projects.models import AnnualPlan, MonthlyInvestment, ReportPeriod
from gaoxin.projects.services.reports import (
    investment_upsert,
    period_close,
    period_reopen,
    plan_delete,
    plan_save,
    plans_upsert,
    report_delete,
    report_save,
)


def test_plan_save_creates_then_updates_and_audits(project_world):
    pw = project_world
    a1, staff = pw.projects["a1"], pw.users["staff_a"]
    plan = plan_save(user=staff, project=a1, year=2026, plan_wan=Decimal("500"))
    assert plan.plan_wan == Decimal("500")
    plan_save(user=staff, project=a1, year=2026, plan_wan=Decimal("600.5"))
    plan.refresh_from_db()
    assert plan.plan_wan == Decimal("600.50")
    actions = list(ObjectChange.objects.filter(object_id=plan.pk, object_repr__startswith="XM-A1")
                   .values_list("action", flat=True))
    assert sorted(actions) == ["create", "update"]
    plan_delete(user=staff, plan=plan)
    assert not AnnualPlan.objects.filter(pk=plan.pk).exists()


@pytest.mark.parametrize("who", ["staff_b", "leader", "enterprise", "system_admin"])
def test_only_the_owner_department_writes_plans_and_reports(project_world, who):
    pw = project_world
    user = pw.users[who]
    with pytest.raises(PermissionDenied):
        plan_save(user=user, project=pw.projects["a1"], year=2026, plan_wan=Decimal("1"))
    with pytest.raises(PermissionDenied):
        report_save(user=user, project=pw.projects["a1"], year=2024, month=7, completed_wan=Decimal("1"))
    assert not MonthlyInvestment.objects.filter(year=2024, month=7).exists()


def test_plan_rejects_negative_and_bad_year(project_world):
    pw = project_world
    with pytest.raises(ValidationError):
        plan_save(user=pw.users["staff_a"], project=pw.projects["a1"], year=2026, plan_wan=Decimal("-1"))
    with pytest.raises(ValidationError, match="年度"):
        plan_save(user=pw.users["staff_a"], project=pw.projects["a1"], year=1999, plan_wan=Decimal("1"))
    assert not AnnualPlan.objects.filter(year=2026).exists()


def test_report_save_updates_month_and_refuses_future_and_bad_month(project_world, monkeypatch):
    pw = project_world
    a1, staff = pw.projects["a1"], pw.users["staff_a"]
    report = report_save(user=staff, project=a1, year=2024, month=6, completed_wan=Decimal("1500"), progress="封顶")
    assert report.completed_wan == Decimal("1500") and report.progress == "封顶"
    assert MonthlyInvestment.objects.filter(project=a1, year=2024, month=6).count() == 1
    from datetime import date

    from gaoxin.projects.services import reports
    monkeypatch.setattr(reports.timezone, "localdate", lambda: date(2025, 3, 31))
    report_save(user=staff, project=a1, year=2025, month=3, completed_wan=Decimal("1"))  # this month is fine
    with pytest.raises(ValidationError, match="尚未到来"):
        report_save(user=staff, project=a1, year=2025, month=4, completed_wan=Decimal("1"))
    with pytest.raises(ValidationError, match="月份"):
        report_save(user=staff, project=a1, year=2025, month=13, completed_wan=Decimal("1"))
    with pytest.raises(ValidationError):
        report_save(user=staff, project=a1, year=2025, month=2, completed_wan=Decimal("-0.01"))


def test_closed_period_refuses_reports_until_reopened(project_world):
    pw = project_world
    a1, staff = pw.projects["a1"], pw.users["staff_a"]
    period = period_close(user=staff, year=2024, month=6)
    assert period.is_closed and period.closed_by == staff and period.closed_at is not None
    assert period.department == pw.dept_a
    with pytest.raises(ValidationError, match="已关账"):
        report_save(user=staff, project=a1, year=2024, month=6, completed_wan=Decimal("9"))
    with pytest.raises(ValidationError, match="已关账"):
        report_delete(user=staff, report=MonthlyInvestment.objects.get(project=a1, year=2024, month=6))
    with pytest.raises(ValidationError, match="已关账"):
        period_close(user=staff, year=2024, month=6)
    # another department's period is its own: dept_b's June is still open
    report_save(user=pw.users["staff_b"], project=pw.projects["b1"], year=2024, month=6, completed_wan=Decimal("1"))
    # a new month in a closed period is refused too
    with pytest.raises(ValidationError, match="已关账"):
        report_save(user=staff, project=pw.projects["a2"], year=2024, month=6, completed_wan=Decimal("1"))
    assert MonthlyInvestment.objects.get(project=a1, year=2024, month=6).completed_wan == Decimal("1000")

    period_reopen(user=staff, year=2024, month=6, reason="数据更正")
    report_save(user=staff, project=a1, year=2024, month=6, completed_wan=Decimal("9"))
    assert MonthlyInvestment.objects.get(project=a1, year=2024, month=6).completed_wan == Decimal("9")


def test_reopen_needs_a_reason_and_is_audited_with_it(project_world):
    pw = project_world
    staff = pw.users["staff_a"]
    period = period_close(user=staff, year=2024, month=5)
    with pytest.raises(ValidationError, match="原因"):
        period_reopen(user=staff, year=2024, month=5, reason="  ")
    assert ReportPeriod.objects.get(pk=period.pk).is_closed
    period_reopen(user=staff, year=2024, month=5, reason="统计口径调整")
    period.refresh_from_db()
    assert not period.is_closed and period.closed_by is None and period.closed_at is None
    change = ObjectChange.objects.filter(object_id=period.pk, action="update").first()
    assert change.message == "统计口径调整"
    assert change.prechange_data["is_closed"] is True and change.postchange_data["is_closed"] is False
    with pytest.raises(ValidationError, match="未关账"):
        period_reopen(user=staff, year=2024, month=5, reason="再开")


@pytest.mark.parametrize("who", ["leader", "enterprise"])
def test_only_staff_close_periods(project_world, who):
    with pytest.raises(PermissionDenied):
        period_close(user=project_world.users[who], year=2024, month=1)


def test_plans_upsert_creates_updates_and_keeps_unchanged(project_world):
    pw = project_world
    rows = [{"code": "XM-A1", "year": 2024, "plan_wan": Decimal("12000")},
            {"code": "XM-A1", "year": 2026, "plan_wan": Decimal("800")},
            {"code": "XM-A2", "year": 2024, "plan_wan": Decimal("3500")}]
    result = plans_upsert(zone=pw.zone, department=pw.dept_a, rows=rows, user=pw.users["staff_a"], message="导入")
    assert (result.created, result.updated, result.unchanged) == (1, 1, 1)
    assert AnnualPlan.objects.get(project=pw.projects["a2"], year=2024).plan_wan == Decimal("3500")
    created = AnnualPlan.objects.get(project=pw.projects["a1"], year=2026)
    assert ObjectChange.objects.filter(object_id=created.pk, action="create", message="导入").exists()
    again = plans_upsert(zone=pw.zone, department=pw.dept_a, rows=rows)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)


def test_plans_upsert_refuses_unknown_foreign_and_duplicate_codes(project_world):
    pw = project_world
    with pytest.raises(ValidationError, match="XM-NONE"):
        plans_upsert(zone=pw.zone, department=pw.dept_a, rows=[
            {"code": "XM-A1", "year": 2027, "plan_wan": Decimal("1")},
            {"code": "XM-NONE", "year": 2027, "plan_wan": Decimal("1")}])
    with pytest.raises(ValidationError, match="XM-B1"):
        plans_upsert(zone=pw.zone, department=pw.dept_a, rows=[
            {"code": "XM-A1", "year": 2027, "plan_wan": Decimal("1")},
            {"code": "XM-B1", "year": 2027, "plan_wan": Decimal("1")}])
    with pytest.raises(ValidationError, match="重复"):
        plans_upsert(zone=pw.zone, department=pw.dept_a, rows=[
            {"code": "XM-A1", "year": 2027, "plan_wan": Decimal("1")},
            {"code": "XM-A1", "year": 2027, "plan_wan": Decimal("2")}])
    with pytest.raises(ValidationError, match="XM-A1"):
        plans_upsert(zone=pw.zone, department=pw.dept_a, rows=[
            {"code": "XM-A1", "year": 2027, "plan_wan": Decimal("-5")}])
    with pytest.raises(PermissionDenied):
        plans_upsert(zone=pw.zone, department=pw.dept_a, user=pw.users["staff_b"], rows=[
            {"code": "XM-A1", "year": 2027, "plan_wan": Decimal("1")}])
    assert not AnnualPlan.objects.filter(year=2027).exists()


def test_investment_upsert_refuses_closed_periods_and_accepts_after_reopen(project_world):
    pw = project_world
    staff = pw.users["staff_a"]
    rows = [{"code": "XM-A1", "year": 2024, "month": 7, "completed_wan": Decimal("900")},
            {"code": "XM-A1", "year": 2024, "month": 1, "completed_wan": Decimal("1100"), "progress": "桩基"},
            {"code": "XM-A2", "year": 2024, "month": 7, "completed_wan": Decimal("50")}]
    period_close(user=staff, year=2024, month=7)
    with pytest.raises(ValidationError) as exc:
        investment_upsert(zone=pw.zone, department=pw.dept_a, rows=rows, user=staff)
    assert "2024年7月" in exc.value.messages[0] and "XM-A2 2024-07" in exc.value.messages[0]
    assert not MonthlyInvestment.objects.filter(year=2024, month=7).exists()
    assert MonthlyInvestment.objects.get(project=pw.projects["a1"], year=2024, month=1).completed_wan == 1000
    period_reopen(user=staff, year=2024, month=7, reason="补报")
    result = investment_upsert(zone=pw.zone, department=pw.dept_a, rows=rows, user=staff)
    assert (result.created, result.updated, result.unchanged) == (2, 1, 0)
    jan = MonthlyInvestment.objects.get(project=pw.projects["a1"], year=2024, month=1)
    assert jan.completed_wan == Decimal("1100") and jan.progress == "桩基"


def test_investment_upsert_refuses_unknown_code_and_other_department(project_world):
    pw = project_world
    with pytest.raises(ValidationError, match="XM-ZZ"):
        investment_upsert(zone=pw.zone, department=pw.dept_b, rows=[
            {"code": "XM-ZZ", "year": 2024, "month": 1, "completed_wan": Decimal("1")}])
    with pytest.raises(ValidationError, match="XM-A1"):
        investment_upsert(zone=pw.zone, department=pw.dept_b, rows=[
            {"code": "XM-A1", "year": 2024, "month": 8, "completed_wan": Decimal("1")}])
    with pytest.raises(ValidationError, match="月份"):
        investment_upsert(zone=pw.zone, department=pw.dept_b, rows=[
            {"code": "XM-B1", "year": 2024, "month": 0, "completed_wan": Decimal("1")}])
    assert not MonthlyInvestment.objects.filter(year=2024, month=8).exists()
