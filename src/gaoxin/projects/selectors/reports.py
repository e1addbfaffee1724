"""Reading a project's plans and monthly reports, and the reporting periods of a department."""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.core.audit.models import ObjectChange
from gaoxin.core.permissions import Role

from ..models import AnnualPlan, MonthlyInvestment, Project, ReportPeriod

ZERO = Decimal("0")


@dataclass
class PlanRow:
    year: int
    plan: AnnualPlan | None
    plan_wan: Decimal | None
    completed_wan: Decimal

    @property
    def completion_pct(self) -> Decimal | None:
        if not self.plan_wan:
            return None
        return self.completed_wan * 100 / self.plan_wan


@dataclass
class MonthRow:
    month: int
    report: MonthlyInvestment | None
    cumulative_wan: Decimal
    closed: bool
    future: bool

    @property
    def completed_wan(self) -> Decimal | None:
        return self.report.completed_wan if self.report else None


def closed_months(*, department_id: int, year: int) -> set[int]:
    return set(ReportPeriod.objects.filter(department_id=department_id, year=year, is_closed=True)
               .values_list("month", flat=True))


def project_plan_rows(*, project: Project) -> list[PlanRow]:
    """Every year with a plan or a report, newest first, with the year's completed sum."""
    plans = {p.year: p for p in AnnualPlan.objects.filter(project=project)}
    completed = dict(MonthlyInvestment.objects.filter(project=project).values("year")
                     .annotate(s=Sum("completed_wan")).values_list("year", "s"))
    years = sorted(set(plans) | set(completed), reverse=True)
    return [PlanRow(year=y, plan=plans.get(y), plan_wan=plans[y].plan_wan if y in plans else None,
                    completed_wan=completed.get(y) or ZERO) for y in years]


def project_report_years(*, project: Project) -> list[int]:
    """Years to offer on the detail page: those with plans or reports, and the current year."""
    years = set(AnnualPlan.objects.filter(project=project).values_list("year", flat=True))
    years |= set(MonthlyInvestment.objects.filter(project=project).values_list("year", flat=True))
    years.add(timezone.localdate().year)
    return sorted(years, reverse=True)


def project_month_rows(*, project: Project, year: int) -> list[MonthRow]:
    """The twelve months of `year`: the report (if any), the cumulative sum, closed and future flags."""
    reports = {r.month: r for r in MonthlyInvestment.objects.filter(project=project, year=year)}
    closed = closed_months(department_id=project.department_id, year=year)
    today = timezone.localdate()
    rows, running = [], ZERO
    for month in range(1, 13):
        report = reports.get(month)
        if report:
            running += report.completed_wan
        rows.append(MonthRow(month=month, report=report, cumulative_wan=running, closed=month in closed,
                             future=(year, month) > (today.year, today.month)))
    return rows


def month_chart(*, rows: list[MonthRow], plan_wan: Decimal | None) -> dict:
    """ECharts data: monthly amounts, cumulative completion % of plan and time progress % by month."""
    return {
        "months": [_("%(month)s月") % {"month": r.month} for r in rows],
        "monthly": [float(r.completed_wan) if r.report else None for r in rows],
        "cumulative_pct": [round(float(r.cumulative_wan * 100 / plan_wan), 1) if plan_wan else None for r in rows],
        "time_pct": [round(r.month * 100 / 12, 1) for r in rows],
    }


def period_department_for_user(*, user, department_id=None):
    """Whose periods the user looks at: staff their own department; a leader any department of the zone."""
    from gaoxin.accounts.models import Department

    if user.role == Role.DEPARTMENT_STAFF:
        return user.department
    if user.role == Role.ZONE_LEADER:
        departments = Department.objects.filter(zone_id=user.zone_id).order_by("code")
        if department_id:
            return departments.filter(pk=department_id).first()
        return departments.first()
    return None


def period_rows(*, department, year: int) -> list[dict]:
    periods = {p.month: p for p in ReportPeriod.objects.filter(department=department, year=year)
               .select_related("closed_by")}
    today = timezone.localdate()
    return [{"month": m, "period": periods.get(m), "closed": bool(periods.get(m) and periods[m].is_closed),
             "future": (year, m) > (today.year, today.month)} for m in range(1, 13)]


def period_history(*, department, year: int | None = None) -> QuerySet[ObjectChange]:
    """Closings and reopenings of the department's periods, from the audit trail."""
    ids = ReportPeriod.objects.filter(department=department)
    if year is not None:
        ids = ids.filter(year=year)
    ct = ContentType.objects.get_for_model(ReportPeriod)
    return ObjectChange.objects.filter(content_type=ct, object_id__in=list(ids.values_list("pk", flat=True)))


def period_departments(*, user) -> list:
    """Departments whose periods a leader may look at (staff: only their own)."""
    from gaoxin.accounts.models import Department

    if user.role == Role.ZONE_LEADER:
        return list(Department.objects.filter(zone_id=user.zone_id).order_by("code"))
    return []
