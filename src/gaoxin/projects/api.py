"""/api/v1/projects: the project library over HTTP (read-only), scoped like the web pages.

`stats_router` (mounted at /api/v1/statistics) belongs to the statistics helper: its endpoints are added
in the statistics section at the end of this module.
"""

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Path, Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from gaoxin.api.errors import NotFound
from gaoxin.api.lists import ListParams, order, ordering_choices, paginate, validated_filters
from gaoxin.api.schemas import ERROR_RESPONSES, MAX_PK, DepartmentRef, Text

from .filters import ProjectFilterSet
from .models import KeyLevel, ProjectStage, ProjectType
from .selectors import projects as selectors
from .selectors import reports as report_selectors

router = Router(tags=["项目"])
stats_router = Router(tags=["统计"])  # the statistics helper's endpoints; see the end of this module

CENTS = Decimal("0.01")
StageValue = Literal[tuple(ProjectStage.values)]
KeyLevelValue = Literal[tuple(KeyLevel.values)]
TypeValue = Literal[tuple(ProjectType.values)]
Ordering = ordering_choices("code", "name", "stage", "key_level", "total_investment_wan", "start_date",
                            "completion_date", "commission_date", "updated_at", "id")
FILTERS = ("q", "stage", "key_level", "project_type", "industry", "task_force", "started_after", "started_before",
           "completed_after", "completed_before", "commissioned_after", "commissioned_before", "plan_year", "ids")


def _money(value) -> str | None:
    return None if value is None else str(Decimal(value).quantize(CENTS))


class CompanyRef(Schema):
    id: int
    uscc: str
    name: str


class ProjectOut(Schema):
    id: int
    zone_id: int
    code: str = Field(..., description=_("项目编号"))
    name: str = Field(..., description=_("项目名称"))
    project_type: str = Field(..., description=_("项目类型"))
    key_level: str = Field(..., description=_("重点项目级别：市级/区级/空"))
    industry: str = Field(..., description=_("产业方向"))
    total_investment_wan: str = Field(..., description=_("总投资（万元），十进制字符串"), examples=["50000.00"])
    stage: str = Field(..., description=_("阶段：入库/供地/在建/竣工/投产"))
    enterprise: CompanyRef | None = Field(None, description=_("项目公司"))
    task_force_id: int | None = Field(None, description=_("护航专班编号"))
    version: int = Field(..., description=_("版本（乐观锁）"))
    department: DepartmentRef = Field(..., description=_("主管部门"))
    planned_land_date: dt.date | None = None
    land_date: dt.date | None = None
    planned_start_date: dt.date | None = None
    start_date: dt.date | None = None
    planned_completion_date: dt.date | None = None
    completion_date: dt.date | None = None
    planned_commission_date: dt.date | None = None
    commission_date: dt.date | None = None
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_total_investment_wan(obj) -> str:
        return _money(obj.total_investment_wan)


class PlanOut(Schema):
    year: int
    plan_wan: str | None = Field(None, description=_("年度计划投资（万元）"))
    completed_wan: str = Field(..., description=_("该年度月报合计（万元）"))


class MonthOut(Schema):
    year: int
    month: int
    completed_wan: str = Field(..., description=_("当月完成投资（万元）"))
    progress: str = Field(..., description=_("形象进度"))


class ProjectDetailOut(ProjectOut):
    location: str
    content: str
    plans: list[PlanOut] = Field(..., description=_("各年度计划与完成（新年度在前）"))
    monthly_reports: list[MonthOut] = Field(..., description=_("月度完成投资（按年月升序）"))

    @staticmethod
    def resolve_plans(obj) -> list[dict]:
        return [{"year": r.year, "plan_wan": _money(r.plan_wan), "completed_wan": _money(r.completed_wan)}
                for r in report_selectors.project_plan_rows(project=obj)]

    @staticmethod
    def resolve_monthly_reports(obj) -> list[dict]:
        return [{"year": r.year, "month": r.month, "completed_wan": _money(r.completed_wan), "progress": r.progress}
                for r in obj.monthly_reports.order_by("year", "month")]


class ProjectPage(Schema):
    count: int
    page: int
    page_size: int
    total_investment_wan: str = Field(..., description=_("符合条件的项目总投资合计（万元）"))
    results: list[ProjectOut]


class ProjectQuery(ListParams):
    q: Text | None = Field(None, max_length=200, description=_("按项目编号、名称或项目公司名称搜索"))
    stage: StageValue | None = Field(None, description=_("阶段"))
    key_level: KeyLevelValue | None = Field(None, description=_("重点项目级别"))
    project_type: TypeValue | None = Field(None, description=_("项目类型"))
    industry: Text | None = Field(None, max_length=50, description=_("产业方向（完全一致）"))
    task_force: int | None = Field(None, ge=1, le=MAX_PK, description=_("护航专班编号"))
    started_after: dt.date | None = Field(None, description=_("实际开工日期起（含）"))
    started_before: dt.date | None = Field(None, description=_("实际开工日期止（含）"))
    completed_after: dt.date | None = Field(None, description=_("实际竣工日期起（含）"))
    completed_before: dt.date | None = Field(None, description=_("实际竣工日期止（含）"))
    commissioned_after: dt.date | None = Field(None, description=_("实际投产日期起（含）"))
    commissioned_before: dt.date | None = Field(None, description=_("实际投产日期止（含）"))
    plan_year: int | None = Field(None, ge=2000, le=2100, description=_("该年度有正数年度计划的项目"))
    ids: str | None = Field(None, max_length=40000, description=_("项目编号（id）列表，英文逗号分隔，最多 2000 个"))
    ordering: Ordering | None = Field(None, description=_("排序字段，前加“-”为降序；默认按项目编号"))


ProjectId = Path(..., ge=1, le=MAX_PK, description=_("项目编号（id）"))


@router.get("", response={200: ProjectPage, **ERROR_RESPONSES}, summary=_("项目列表"),
            description=_("当前用户数据范围内的项目（含所在专班成员单位、问题责任单位可查看的项目），支持筛选、排序和分页。"))
def project_list(request: HttpRequest, params: Query[ProjectQuery]):
    filters = validated_filters(ProjectFilterSet, params.model_dump(include=set(FILTERS)))
    qs = selectors.projects_for_user(user=request.auth, filters=filters)
    total = selectors.projects_total(qs)
    page = paginate(order(qs, params.ordering or "code"), page=params.page, page_size=params.page_size)
    return Status(200, {**page, "total_investment_wan": _money(total["total_investment_wan"])})


@router.get("/{id}", response={200: ProjectDetailOut, **ERROR_RESPONSES}, summary=_("项目详情"),
            description=_("含里程碑（计划与实际日期）、年度计划及完成情况、月度完成投资。"))
def project_detail(request: HttpRequest, id: int = ProjectId):
    project = selectors.project_get_for_user(user=request.auth, pk=id)
    if project is None:
        raise NotFound()
    return Status(200, project)


# --- statistics (the statistics helper) ------------------------------------------------------------------

from django.core.exceptions import PermissionDenied  # noqa: E402 - the statistics section keeps to itself
from django.utils.translation import gettext  # noqa: E402

from gaoxin.api.errors import ApiError  # noqa: E402
from gaoxin.core.permissions import BUSINESS_ROLES, Role  # noqa: E402

from .engine import PERIOD_HELP, PeriodError, parse_period  # noqa: E402
from .selectors.statistics import period_statistics_for_user  # noqa: E402


class StatisticsQuery(Schema):
    period: str = Field(..., max_length=20, description=_("统计期间：") + PERIOD_HELP)


# The issue writes the address with a trailing slash; the other lists of the API have none: both answer.
@stats_router.get("/", response={200: dict, **ERROR_RESPONSES}, include_in_schema=False)
@stats_router.get("", response={200: dict, **ERROR_RESPONSES}, summary=_("期间统计"),
                  description=_("自 1 月 1 日起累计的签约、到位资金、开工竣工投产和重点项目投资完成情况，与 `gaoxin stats` "
                                "的 JSON 相同（金额单位万元，为数值；百分比未取舍）。园区领导为全区数据，部门工作人员为本部门数据。"))
def statistics(request: HttpRequest, params: Query[StatisticsQuery]):
    user = request.auth
    if user.role not in BUSINESS_ROLES or user.role == Role.ENTERPRISE:
        raise PermissionDenied(gettext("只有园区领导和部门工作人员可以查看项目统计。"))
    try:
        period = parse_period(params.period)
    except PeriodError as exc:
        raise ApiError(400, "invalid_request", str(exc), [{"field": "period", "message": str(exc)}]) from None
    return Status(200, period_statistics_for_user(user=user, period=period).as_contract())
