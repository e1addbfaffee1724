"""/api/v1/economy: the indicator catalog and the current official figures, read-only, in the pages' scope
(leaders: the zones they may read; department staff: their zone; enterprise users and administrators: 403).
Figures are decimal strings exactly as stored (growth rates as published, never recomputed)."""

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from gaoxin.api.lists import ListParams, paginate
from gaoxin.api.schemas import ERROR_RESPONSES, Text

from .models import MAX_YEAR, MIN_YEAR, Region
from .selectors.indicators import indicators_visible_to, observations_visible_to, readable_zone_ids

router = Router(tags=["经济运行"])
RegionValue = Literal[tuple(Region.values)]


def _decimal(value) -> str | None:
    """The stored figure without the column's padding zeros (120.5000 → "120.5", 12.20 → "12.2")."""
    if value is None:
        return None
    text = format(Decimal(value).normalize(), "f")
    return text


def _require_reader(user) -> None:
    if not readable_zone_ids(user):
        raise PermissionDenied(gettext("只有园区领导和部门工作人员可以查看经济运行数据。"))


class ZoneRef(Schema):
    id: int
    code: str
    name: str


class IndicatorOut(Schema):
    id: int
    zone: ZoneRef
    code: str = Field(..., description=_("指标代码"))
    name: str = Field(..., description=_("指标名称"))
    unit: str = Field(..., description=_("累计值的计量单位"))
    kind: str = Field(..., description=_("来源类型：官方（导入）/计算（平台根据业务记录计算）"))
    frequency: str = Field(..., description=_("频率：月度/季度"))
    computed_key: str = Field(..., description=_("计算口径（仅计算类指标）"))
    aggregation: str = Field(..., description=_("汇总方式说明"))
    is_headline: bool
    order: int
    is_active: bool


class IndicatorRef(Schema):
    id: int
    code: str
    name: str
    unit: str


class ObservationOut(Schema):
    id: int
    zone_id: int
    indicator: IndicatorRef
    region: str = Field(..., description=_("范围：本区/全市"))
    year: int
    month: int = Field(..., description=_("截至月份（1 月至该月累计）"))
    period: str = Field(..., description=_("期间 YYYY-MM"))
    value: str | None = Field(None, description=_("累计值（指标的计量单位），十进制字符串"))
    growth_pct: str | None = Field(None, description=_("官方公布的累计同比增速（%），十进制字符串"))
    source: str
    status: str = Field(..., description=_("状态：初步/修订/最终"))
    revision: int = Field(..., description=_("版次：每次修订加 1，历史版次保留"))
    updated_at: dt.datetime

    @staticmethod
    def resolve_period(obj) -> str:
        return obj.period_label

    @staticmethod
    def resolve_value(obj) -> str | None:
        return _decimal(obj.value)

    @staticmethod
    def resolve_growth_pct(obj) -> str | None:
        return _decimal(obj.growth_pct)


class IndicatorPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[IndicatorOut]


class ObservationPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[ObservationOut]


class IndicatorQuery(ListParams):
    zone: Text | None = Field(None, max_length=32, description=_("园区代码（可查看多个园区时）"))
    active: bool | None = Field(None, description=_("只列启用（true）或停用（false）的指标；默认全部"))


class ObservationQuery(ListParams):
    indicator: Text | None = Field(None, max_length=60, description=_("指标代码"))
    year: int | None = Field(None, ge=MIN_YEAR, le=MAX_YEAR, description=_("年度"))
    region: RegionValue = Field(Region.ZONE, description=_("范围：本区（默认）或全市"))
    zone: Text | None = Field(None, max_length=32, description=_("园区代码（可查看多个园区时）"))


@router.get("/indicators", response={200: IndicatorPage, **ERROR_RESPONSES}, summary=_("指标目录"),
            description=_("可查看园区的经济指标目录，按园区和排序列出。"))
def indicator_list(request: HttpRequest, params: Query[IndicatorQuery]):
    _require_reader(request.auth)
    qs = indicators_visible_to(request.auth).select_related("zone")
    if params.zone:
        qs = qs.filter(zone__code=params.zone)
    if params.active is not None:
        qs = qs.filter(is_active=params.active)
    qs = qs.order_by("zone__code", "order", "id")
    return Status(200, paginate(qs, page=params.page, page_size=params.page_size))


@router.get("/observations", response={200: ObservationPage, **ERROR_RESPONSES}, summary=_("指标数据（现行版次）"),
            description=_("官方统计指标的现行数据（每个指标、范围和期间一条，即最新版次），按指标和期间排序。"))
def observation_list(request: HttpRequest, params: Query[ObservationQuery]):
    _require_reader(request.auth)
    qs = (observations_visible_to(request.auth).filter(region=params.region, is_current=True)
          .select_related("indicator"))
    if params.indicator:
        qs = qs.filter(indicator__code=params.indicator)
    if params.year is not None:
        qs = qs.filter(year=params.year)
    if params.zone:
        qs = qs.filter(zone__code=params.zone)
    qs = qs.order_by("zone_id", "indicator__order", "indicator_id", "year", "month")
    return Status(200, paginate(qs, page=params.page, page_size=params.page_size))
