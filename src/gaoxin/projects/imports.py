"""The project library's imports and exports: projects (项目), annual plans (年度投资计划) and monthly completed
investment (月度完成投资), tied together by 项目编号. Headers are the file format of issue 5: never translated.
"""

from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gaoxin.core.imports import Column, Counts, ImportSpec, register
from gaoxin.core.imports.parsers import USCC, Choice, Code, Date, DecimalNumber, Integer, Text
from gaoxin.core.imports.validation import LOOKUP_CHUNK
from gaoxin.enterprises.models import Enterprise

from .models import (
    AMOUNT,
    MAX_YEAR,
    MIN_YEAR,
    AnnualPlan,
    KeyLevel,
    MonthlyInvestment,
    Project,
    ProjectType,
    ReportPeriod,
)
from .selectors.projects import projects_for_user
from .services.projects import projects_upsert
from .services.reports import investment_upsert, plans_upsert

WAN = gettext_lazy("万元")
CODE_HELP = gettext_lazy("项目的唯一编号，用于识别项目：已登记的更新，未登记的新增。")


def _max_length(name: str) -> int:
    return Project._meta.get_field(name).max_length


def _amount(minimum: Decimal) -> DecimalNumber:
    return DecimalNumber(max_digits=AMOUNT["max_digits"], places=AMOUNT["decimal_places"], minimum=minimum, unit=WAN)


def _directions(zone) -> list[str]:
    from .selectors.settings import project_settings_for

    return project_settings_for(zone).directions


def _chunks(values: list):
    for start in range(0, len(values), LOOKUP_CHUNK):
        yield values[start:start + LOOKUP_CHUNK]


def _date_column(header: str, field: str, help_text) -> Column:
    return Column(header, field, Date(), width=12, help=help_text)


class ProjectImport(ImportSpec):
    kind = "projects"
    label = gettext_lazy("项目")
    model = Project
    key = "code"
    sheet_name = "项目"
    list_url = "projects:project_list"
    default_department_code = "tzcj"  # 投资促进局 keeps the project library in most zones
    existing_related = ("department", "enterprise", "task_force")
    columns = (
        Column("项目编号", "code", Code(_max_length("code")), required=True, width=16, example="XM-2025-001",
               help=CODE_HELP),
        Column("项目名称", "name", Text(_max_length("name")), required=True, width=30, example="新型储能电池生产基地",
               help=gettext_lazy("项目的正式名称。")),
        Column("总投资（万元）", "total_investment_wan", _amount(Decimal("0.01")), required=True, width=14,
               example="50000.00", help=gettext_lazy("项目计划总投资，万元，大于 0。")),
        Column("项目类型", "project_type", Choice(ProjectType), keep_if_blank=True, width=10, example="产业项目",
               help=gettext_lazy("产业项目、基础设施、社会事业或其他；留空时新项目为“产业项目”，已登记项目保持原类型。")),
        Column("重点项目级别", "key_level", Choice(KeyLevel), width=10, example="市级",
               help=gettext_lazy("市级、区级，或留空（非重点项目）。")),
        Column("产业方向", "industry", Text(_max_length("industry")), width=16, example="新能源及新型储能",
               suggestions=_directions, help=gettext_lazy("本园区配置的产业方向之一。")),
        Column("统一社会信用代码", "enterprise_uscc", USCC(), model_field="enterprise", width=22,
               example="91350100M000100Y43", export=lambda p: p.enterprise.uscc if p.enterprise_id else "",
               help=gettext_lazy("项目公司的统一社会信用代码；企业须已在本园区登记。留空表示暂无项目公司。")),
        _date_column("供地日期", "land_date", gettext_lazy("实际供地日期。")),
        _date_column("计划开工日期", "planned_start_date", gettext_lazy("计划开工日期。")),
        _date_column("实际开工日期", "start_date", gettext_lazy("实际开工日期；未开工留空。")),
        _date_column("计划竣工日期", "planned_completion_date", gettext_lazy("计划竣工日期，不早于计划开工日期。")),
        _date_column("实际竣工日期", "completion_date", gettext_lazy("实际竣工日期，须先有实际开工日期。")),
        _date_column("计划投产日期", "planned_commission_date", gettext_lazy("计划投产（投用）日期。")),
        _date_column("实际投产日期", "commission_date", gettext_lazy("实际投产（投用）日期，须先有实际开工日期。")),
    )
    notes = (
        gettext_lazy("7. 项目按项目编号识别；由其他部门维护的项目不能通过本部门导入修改。"),
        gettext_lazy("8. 项目公司按统一社会信用代码关联，须先在本园区登记（可先导入企业）。"),
        gettext_lazy("9. 项目阶段由实际供地、开工、竣工、投产日期自动确定；金额单位为万元，保留两位小数。"),
    )

    def prepare(self, *, zone, rows):
        """The zone's enterprises named as project companies, by USCC (whichever department keeps them)."""
        codes = sorted({r["enterprise_uscc"] for r in rows if r.get("enterprise_uscc")})
        found = {}
        qs = Enterprise.objects.filter(zone=zone).only("id", "zone_id", "uscc", "name")
        for chunk in _chunks(codes):
            for enterprise in qs.filter(uscc__in=chunk):
                found[enterprise.uscc] = enterprise
        return found

    def complete(self, row, *, existing, context):
        if "enterprise_uscc" in row:
            code = row.pop("enterprise_uscc")
            enterprise = context.get(code) if code else None
            if code and enterprise is None:
                return [("enterprise", _("本园区没有统一社会信用代码为“%(code)s”的企业，请先登记或导入该企业。") % {
                    "code": code})]
            row["enterprise_id"] = enterprise.pk if enterprise else None
        return []

    def instance(self, row, *, existing, zone, department, context):
        obj = super().instance(row, existing=existing, zone=zone, department=department, context=context)
        # clean() reads the company's and the task force's zone: give it cached rows, never a query
        enterprise_id = row.get("enterprise_id", existing.enterprise_id if existing else None)
        if enterprise_id:
            obj.enterprise = next((e for e in context.values() if e.pk == enterprise_id), None) \
                if "enterprise_id" in row else existing.enterprise
        if existing is not None and existing.task_force_id:
            obj.task_force = existing.task_force
        return obj

    def write(self, *, zone, department, rows, user, message) -> Counts:
        result = projects_upsert(zone=zone, department=department, rows=rows, user=user, message=message)
        return Counts(result.created, result.updated, result.unchanged)

    def queryset_for_user(self, *, user, filters) -> QuerySet:
        return projects_for_user(user=user, filters=filters).order_by("code")

    def queryset_for_zone(self, *, zone) -> QuerySet:
        return Project.objects.filter(zone=zone).select_related("enterprise").order_by("code")


class _ByProjectCode(ImportSpec):
    """A project's yearly or monthly figures: keyed by 项目编号 and period; the project must exist in the zone
    and belong to the importing department (it owns the project's plans and reports)."""

    key = "code"  # the column a duplicate-key error points at; the key itself includes the period (key_of)
    list_url = "projects:project_list"
    default_department_code = "tzcj"
    period_fields: tuple[str, ...] = ()

    def key_of(self, values: dict):
        parts = [values.get("code"), *(values.get(f) for f in self.period_fields)]
        return None if any(p is None for p in parts) else tuple(parts)

    def _projects(self, *, zone, codes) -> dict[str, Project]:
        found = {}
        qs = Project.objects.filter(zone=zone).select_related("department").only(
            "id", "zone_id", "code", "department_id", "department__name", "department__zone_id")
        for chunk in _chunks(sorted(set(codes))):
            for project in qs.filter(code__in=chunk):
                found[project.code] = project
        return found

    def existing_for(self, *, zone, rows: list[dict]) -> dict:
        """Existing rows by key; for another department's project a stand-in carrying that department, so
        the framework names the row that the department may not change."""
        projects = self._projects(zone=zone, codes=[r["code"] for r in rows])
        found = {}
        ids = sorted(p.pk for p in projects.values())
        by_id = {p.pk: p for p in projects.values()}
        for chunk in _chunks(ids):
            for obj in self.model.objects.filter(project_id__in=chunk):
                project = by_id[obj.project_id]
                found[(project.code, *(getattr(obj, f) for f in self.period_fields))] = obj
        for row in rows:
            key = self.key_of(row)
            project = projects.get(row["code"])
            if project is None:
                continue
            obj = found.get(key)
            if obj is None and key is not None:
                obj = found[key] = self.model(zone_id=zone.pk, project=project)
            if obj is not None:
                obj.department_id, obj.department = project.department_id, project.department
        # A stand-in is never written: complete() and instance() work from the row and its project.
        return found

    def prepare(self, *, zone, rows):
        return {"projects": self._projects(zone=zone, codes=[r["code"] for r in rows])}

    def complete(self, row, *, existing, context):
        project = context["projects"].get(row["code"])
        if project is None:
            return [("code", _("本园区没有项目编号为“%(code)s”的项目，请先登记或导入该项目。") % {"code": row["code"]})]
        row["project"] = project
        return []

    def instance(self, row, *, existing, zone, department, context):
        fields = {k: v for k, v in row.items() if k in {f.attname for f in self.model._meta.concrete_fields}}
        return self.model(zone_id=zone.pk, project=row["project"], **fields)

    def _rows(self, rows):
        return [{k: v for k, v in r.items() if k != "project"} for r in rows]

    def queryset_for_zone(self, *, zone) -> QuerySet:
        return self.model.objects.filter(zone=zone).select_related("project").order_by(
            "project__code", *self.period_fields)


def _code_export(obj) -> str:
    return obj.project.code


YEAR_HELP = gettext_lazy("4 位年份，如 2025。")


class PlanImport(_ByProjectCode):
    kind = "plans"
    label = gettext_lazy("年度投资计划")
    model = AnnualPlan
    sheet_name = "年度投资计划"
    period_fields = ("year",)
    columns = (
        Column("项目编号", "code", Code(_max_length("code")), required=True, width=16, example="XM-2025-001",
               export=_code_export, help=gettext_lazy("项目编号；项目须已在本园区登记并由本部门维护。")),
        Column("年度", "year", Integer(minimum=MIN_YEAR, maximum=MAX_YEAR), required=True, width=8, example="2025",
               help=YEAR_HELP),
        Column("年度计划投资（万元）", "plan_wan", _amount(Decimal("0")), required=True, width=18, example="12000.00",
               help=gettext_lazy("该年度计划完成的投资，万元。")),
    )
    notes = (
        gettext_lazy("7. 每个项目每个年度一行；已有的年度计划按本次数据更新。"),
        gettext_lazy("8. 金额单位为万元，保留两位小数；多余小数四舍五入。"),
    )

    @property
    def key_label(self) -> str:
        return _("项目编号和年度")

    def write(self, *, zone, department, rows, user, message) -> Counts:
        result = plans_upsert(zone=zone, department=department, rows=self._rows(rows), user=user, message=message)
        return Counts(result.created, result.updated, result.unchanged)

    def queryset_for_user(self, *, user, filters) -> QuerySet:
        return AnnualPlan.objects.filter(project__in=projects_for_user(user=user, filters=filters).values("pk")) \
            .select_related("project").order_by("project__code", "year")


class InvestmentImport(_ByProjectCode):
    kind = "investment"
    label = gettext_lazy("月度完成投资")
    model = MonthlyInvestment
    sheet_name = "月度完成投资"
    period_fields = ("year", "month")
    columns = (
        Column("项目编号", "code", Code(_max_length("code")), required=True, width=16, example="XM-2025-001",
               export=_code_export, help=gettext_lazy("项目编号；项目须已在本园区登记并由本部门维护。")),
        Column("年度", "year", Integer(minimum=MIN_YEAR, maximum=MAX_YEAR), required=True, width=8, example="2025",
               help=YEAR_HELP),
        Column("月份", "month", Integer(minimum=1, maximum=12), required=True, width=6, example="6",
               help=gettext_lazy("1 至 12。")),
        Column("当月完成投资（万元）", "completed_wan", _amount(Decimal("0")), required=True, width=18,
               example="1500.00", help=gettext_lazy("该月当月完成的投资（不是年初至今累计），万元。")),
    )
    notes = (
        gettext_lazy("7. 每个项目每月一行，填当月完成数（不是累计数）；已有的月报按本次数据更新。"),
        gettext_lazy("8. 已关账的月份不能导入，须先在“月报期间”页面重新开放；尚未到来的月份不能填报。"),
    )

    @property
    def key_label(self) -> str:
        return _("项目编号、年度和月份")

    def prepare(self, *, zone, rows):
        context = super().prepare(zone=zone, rows=rows)
        departments = {p.department_id for p in context["projects"].values()}
        years = {r["year"] for r in rows}
        context["closed"] = set(ReportPeriod.objects.filter(
            zone=zone, department_id__in=departments, year__in=years, is_closed=True,
        ).values_list("department_id", "year", "month"))
        return context

    def complete(self, row, *, existing, context):
        problems = super().complete(row, existing=existing, context=context)
        if problems:
            return problems
        year, month = row["year"], row["month"]
        today = timezone.localdate()
        if (year, month) > (today.year, today.month):
            return [("month", _("%(year)s年%(month)s月尚未到来，不能填报完成投资。") % {"year": year, "month": month})]
        if (row["project"].department_id, year, month) in context["closed"]:
            return [("month", _("%(year)s年%(month)s月的月报期间已关账；请先在“月报期间”页面重新开放。") % {
                "year": year, "month": month})]
        return []

    def write(self, *, zone, department, rows, user, message) -> Counts:
        result = investment_upsert(zone=zone, department=department, rows=self._rows(rows), user=user,
                                   message=message)
        return Counts(result.created, result.updated, result.unchanged)

    def queryset_for_user(self, *, user, filters) -> QuerySet:
        return MonthlyInvestment.objects.filter(
            project__in=projects_for_user(user=user, filters=filters).values("pk"),
        ).select_related("project").order_by("project__code", "year", "month")


PROJECTS = register(ProjectImport())
PLANS = register(PlanImport())
INVESTMENT = register(InvestmentImport())
