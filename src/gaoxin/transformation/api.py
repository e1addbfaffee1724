"""/api/v1/transformation: the 智改数转 register read-only — projects with their measurements, R&D
institutions, recognitions — with the list pages' filters and the user's data scope, and the period counts
the bulletin states. Amounts are decimal strings (万元, two decimals); a change is given unrounded and as
shown (two decimals)."""

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from gaoxin.api.errors import ApiError
from gaoxin.api.lists import ListParams, order, ordering_choices, paginate, validated_filters
from gaoxin.api.schemas import ERROR_RESPONSES, DepartmentRef, PageOut, Text
from gaoxin.core.permissions import Role
from gaoxin.economy.bulletin import transformation_paragraphs
from gaoxin.projects.engine import PERIOD_HELP, PeriodError, parse_period

from .filters import MAX_YEAR, MIN_YEAR, InstitutionFilterSet, ProjectFilterSet, RecognitionFilterSet
from .models import (
    InstitutionKind,
    InstitutionLevel,
    Kind,
    Level,
    Measurement,
    RecognitionKind,
)
from .selectors import counts as count_selectors
from .selectors.institutions import institutions_for_user
from .selectors.projects import METRIC_ORDER, improvement_of, projects_for_user
from .selectors.recognitions import recognitions_for_user

router = Router(tags=["智改数转"])
CENTS = Decimal("0.01")

KindValue = Literal[tuple(Kind.values)]
LevelValue = Literal[tuple(Level.values)]
InstitutionKindValue = Literal[tuple(InstitutionKind.values)]
InstitutionLevelValue = Literal[tuple(InstitutionLevel.values)]
RecognitionKindValue = Literal[tuple(RecognitionKind.values)]


def _money(value) -> str:
    return str(Decimal(value).quantize(CENTS))


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


class EnterpriseRef(Schema):
    id: int
    uscc: str
    name: str


class MeasurementOut(Schema):
    id: int
    metric: str = Field(..., description=_("指标：效率/不良率/运营成本/单位能耗"))
    label: str = Field(..., description=_("简报中的指标名称"))
    unit: str = Field(..., description=_("计量单位"))
    before_value: str = Field(..., description=_("改造前数值，十进制字符串"))
    before_from: dt.date
    before_to: dt.date
    after_value: str = Field(..., description=_("改造后数值，十进制字符串"))
    after_from: dt.date
    after_to: dt.date
    change_pct: str | None = Field(None, description=_("（改造后 − 改造前）÷ 改造前 × 100，未取舍"))
    change_pct_shown: str | None = Field(None, description=_("变化幅度，两位小数（四舍五入）"))
    better: bool = Field(..., description=_("是否向好：效率提高，或不良率、运营成本、单位能耗降低"))
    phrase: str = Field(..., description=_("简报表述，如“检测效率提高12.14%”"))
    source: str

    @staticmethod
    def resolve_label(obj) -> str:
        return obj.display_label

    @staticmethod
    def resolve_before_value(obj) -> str:
        return _plain(obj.before_value)

    @staticmethod
    def resolve_after_value(obj) -> str:
        return _plain(obj.after_value)

    @staticmethod
    def resolve_change_pct(obj) -> str | None:
        pct = improvement_of(obj).pct
        return None if pct is None else _plain(pct)

    @staticmethod
    def resolve_change_pct_shown(obj) -> str | None:
        shown = improvement_of(obj).pct_2
        return None if shown is None else str(shown)

    @staticmethod
    def resolve_better(obj) -> bool:
        return improvement_of(obj).better

    @staticmethod
    def resolve_phrase(obj) -> str:
        return improvement_of(obj).phrase


class ProjectOut(Schema):
    id: int
    zone_id: int
    enterprise: EnterpriseRef
    name: str = Field(..., description=_("项目名称"))
    kind: str = Field(..., description=_("项目类型"))
    started_on: dt.date = Field(..., description=_("开始实施日期"))
    completed_on: dt.date | None = Field(None, description=_("完成日期"))
    equipment_investment_wan: str = Field(..., description=_("设备投资（万元），十进制字符串"))
    software_investment_wan: str = Field(..., description=_("软件投资（万元），十进制字符串"))
    level: str = Field(..., description=_("认定级别；未认定为空"))
    certified_on: dt.date | None = Field(None, description=_("认定日期"))
    certificate: str
    description: str
    featured: bool = Field(..., description=_("典型案例"))
    measurements: list[MeasurementOut] = Field(..., description=_("改造前后测量，按指标顺序"))
    department: DepartmentRef
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_equipment_investment_wan(obj) -> str:
        return _money(obj.equipment_investment_wan)

    @staticmethod
    def resolve_software_investment_wan(obj) -> str:
        return _money(obj.software_investment_wan)

    @staticmethod
    def resolve_measurements(obj) -> list:
        return sorted(obj.measurements.all(), key=lambda m: (METRIC_ORDER.get(m.metric, len(METRIC_ORDER)), m.pk))


class InstitutionOut(Schema):
    id: int
    zone_id: int
    enterprise: EnterpriseRef
    name: str = Field(..., description=_("机构名称"))
    kind: str = Field(..., description=_("机构类型"))
    level: str = Field(..., description=_("级别"))
    recognized_on: dt.date = Field(..., description=_("认定日期"))
    certificate: str
    department: DepartmentRef
    created_at: dt.datetime
    updated_at: dt.datetime


class RecognitionOut(Schema):
    id: int
    zone_id: int
    enterprise: EnterpriseRef
    kind: str = Field(..., description=_("认定类型"))
    level: str = Field(..., description=_("级别"))
    recognized_on: dt.date = Field(..., description=_("认定日期"))
    valid_until: dt.date | None = Field(None, description=_("有效期至"))
    certificate: str
    department: DepartmentRef
    created_at: dt.datetime
    updated_at: dt.datetime


class ProjectPage(PageOut):
    results: list[ProjectOut]


class InstitutionPage(PageOut):
    results: list[InstitutionOut]


class RecognitionPage(PageOut):
    results: list[RecognitionOut]


class ProjectQuery(ListParams):
    q: Text | None = Field(None, max_length=200, description=_("按项目名称、企业名称或统一社会信用代码搜索"))
    kind: KindValue | None = Field(None, description=_("项目类型"))
    level: LevelValue | None = Field(None, description=_("认定级别"))
    started_year: int | None = Field(None, ge=MIN_YEAR, le=MAX_YEAR, description=_("开始实施年度"))
    certified_year: int | None = Field(None, ge=MIN_YEAR, le=MAX_YEAR, description=_("认定年度"))
    area: Text | None = Field(None, max_length=100, description=_("企业所属片区（完全一致）"))
    started_after: dt.date | None = Field(None, description=_("开始实施日期起（含）"))
    started_before: dt.date | None = Field(None, description=_("开始实施日期止（含）"))
    certified_after: dt.date | None = Field(None, description=_("认定日期起（含）"))
    certified_before: dt.date | None = Field(None, description=_("认定日期止（含）"))
    ordering: ordering_choices("started_on", "certified_on", "name", "kind", "equipment_investment_wan", "id") | None \
        = Field(None, description=_("排序字段，前加“-”为降序；默认按开始实施日期倒序"))


class InstitutionQuery(ListParams):
    q: Text | None = Field(None, max_length=200, description=_("按机构名称、企业名称或统一社会信用代码搜索"))
    kind: InstitutionKindValue | None = Field(None, description=_("机构类型"))
    level: InstitutionLevelValue | None = Field(None, description=_("级别"))
    year: int | None = Field(None, ge=MIN_YEAR, le=MAX_YEAR, description=_("认定年度"))
    area: Text | None = Field(None, max_length=100, description=_("企业所属片区（完全一致）"))
    recognized_after: dt.date | None = Field(None, description=_("认定日期起（含）"))
    recognized_before: dt.date | None = Field(None, description=_("认定日期止（含）"))
    ordering: ordering_choices("recognized_on", "name", "kind", "level", "id") | None = \
        Field(None, description=_("排序字段，前加“-”为降序；默认按认定日期倒序"))


class RecognitionQuery(ListParams):
    q: Text | None = Field(None, max_length=200, description=_("按企业名称、统一社会信用代码或证书编号搜索"))
    kind: RecognitionKindValue | None = Field(None, description=_("认定类型"))
    level: InstitutionLevelValue | None = Field(None, description=_("级别"))
    year: int | None = Field(None, ge=MIN_YEAR, le=MAX_YEAR, description=_("认定年度"))
    area: Text | None = Field(None, max_length=100, description=_("企业所属片区（完全一致）"))
    recognized_after: dt.date | None = Field(None, description=_("认定日期起（含）"))
    recognized_before: dt.date | None = Field(None, description=_("认定日期止（含）"))
    ordering: ordering_choices("recognized_on", "valid_until", "kind", "id") | None = \
        Field(None, description=_("排序字段，前加“-”为降序；默认按认定日期倒序"))


class CountsQuery(Schema):
    period: str = Field(..., max_length=20, description=_("统计期间（1 月 1 日起累计）：") + PERIOD_HELP)


def _filters(filterset, params, names) -> dict:
    return validated_filters(filterset, params.model_dump(include=set(names)))


@router.get("/projects", response={200: ProjectPage, **ERROR_RESPONSES}, summary=_("智改数转项目列表"),
            description=_("当前用户数据范围内的智改数转项目，含改造前后测量及变化幅度。"))
def project_list(request: HttpRequest, params: Query[ProjectQuery]):
    filters = _filters(ProjectFilterSet, params, ("q", "kind", "level", "started_year", "certified_year", "area",
                                                  "started_after", "started_before", "certified_after",
                                                  "certified_before"))
    qs = projects_for_user(user=request.auth, filters=filters).prefetch_related(
        Prefetch("measurements", queryset=Measurement.objects.order_by("pk")))
    return Status(200, paginate(order(qs, params.ordering), page=params.page, page_size=params.page_size))


@router.get("/institutions", response={200: InstitutionPage, **ERROR_RESPONSES}, summary=_("研发机构列表"),
            description=_("当前用户数据范围内的研发机构。"))
def institution_list(request: HttpRequest, params: Query[InstitutionQuery]):
    filters = _filters(InstitutionFilterSet, params, ("q", "kind", "level", "year", "area", "recognized_after",
                                                      "recognized_before"))
    qs = order(institutions_for_user(user=request.auth, filters=filters), params.ordering)
    return Status(200, paginate(qs, page=params.page, page_size=params.page_size))


@router.get("/recognitions", response={200: RecognitionPage, **ERROR_RESPONSES}, summary=_("企业认定列表"),
            description=_("当前用户数据范围内的企业认定（高新技术企业、专精特新等）。"))
def recognition_list(request: HttpRequest, params: Query[RecognitionQuery]):
    filters = _filters(RecognitionFilterSet, params, ("q", "kind", "level", "year", "area", "recognized_after",
                                                      "recognized_before"))
    qs = order(recognitions_for_user(user=request.auth, filters=filters), params.ordering)
    return Status(200, paginate(qs, page=params.page, page_size=params.page_size))


@router.get("/counts", response={200: dict, **ERROR_RESPONSES}, summary=_("智改数转期间统计"),
            description=_("自 1 月 1 日起累计：按类型的实施改造项目数、按级别和类型的新认定数、新设立研发机构数及企业数，"
                          "以及简报的“产业转型”表述。园区领导为全区数据，部门工作人员为本部门数据。"))
def counts(request: HttpRequest, params: Query[CountsQuery]):
    user = request.auth
    if user.role not in (Role.ZONE_LEADER, Role.DEPARTMENT_STAFF):
        raise PermissionDenied(gettext("只有园区领导和部门工作人员可以查看智改数转统计。"))
    try:
        period = parse_period(params.period)
    except PeriodError as exc:
        raise ApiError(400, "invalid_request", str(exc), [{"field": "period", "message": str(exc)}]) from None
    result = count_selectors.period_counts_for_user(user=user, period=period)
    figures = count_selectors.figures_for_user(user=user, period=period)
    return Status(200, {
        "period": period.label,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "started": dict(result.started),
        "certified": [{"level": level, "kind": kind, "count": count} for (level, kind), count
                      in result.certified.items()],
        "institutions": result.institutions,
        "institution_enterprises": result.institution_enterprises,
        "bulletin": list(transformation_paragraphs(figures, period.month)) if figures else [],
    })
