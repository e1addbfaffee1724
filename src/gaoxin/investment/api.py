"""/api/v1/investment: leads, signings and funds in place, read-only, with the list pages' filters and the
user's data scope. Amounts are decimal strings (万元, two decimals)."""

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from gaoxin.api.lists import ListParams, order, ordering_choices, paginate, validated_filters
from gaoxin.api.schemas import ERROR_RESPONSES, MAX_PK, DepartmentRef, PageOut, Text

from . import selectors
from .filters import SIZE_CHOICES, FundFilterSet, LeadFilterSet, SigningFilterSet
from .models import Channel, LeadStage

router = Router(tags=["招商"])
CENTS = Decimal("0.01")

ChannelValue = Literal[tuple(Channel.values)]
StageValue = Literal[tuple(LeadStage.values)]
SizeValue = Literal[tuple(name for name, _label in SIZE_CHOICES)]


def _money(value) -> str | None:
    return None if value is None else str(Decimal(value).quantize(CENTS))


class ProjectRef(Schema):
    id: int
    code: str
    name: str


class OwnerRef(Schema):
    id: int
    name: str

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.display_name or obj.username


class LeadOut(Schema):
    id: int
    zone_id: int
    name: str = Field(..., description=_("项目名称"))
    investor: str = Field(..., description=_("投资方"))
    investor_region: str
    channel: str = Field(..., description=_("招商方式"))
    source: str = Field(..., description=_("线索来源"))
    industry: str = Field(..., description=_("产业方向"))
    expected_investment_wan: str | None = Field(None, description=_("预计投资（万元），十进制字符串"))
    stage: str = Field(..., description=_("阶段：线索/洽谈/签约/终止"))
    drop_reason: str
    owner: OwnerRef | None = Field(None, description=_("负责人"))
    received_on: dt.date = Field(..., description=_("获取日期"))
    last_follow_up: dt.date | None = Field(None, description=_("最近一次跟进日期"))
    department: DepartmentRef
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_expected_investment_wan(obj) -> str | None:
        return _money(obj.expected_investment_wan)


class SigningOut(Schema):
    id: int
    zone_id: int
    project: ProjectRef
    lead_id: int | None = Field(None, description=_("来源线索编号"))
    date: dt.date = Field(..., description=_("签约日期"))
    contract_investment_wan: str = Field(..., description=_("合同投资额（万元），十进制字符串"))
    channel: str = Field(..., description=_("招商方式"))
    industry: str = Field(..., description=_("产业方向"))
    investor: str
    funds_wan: str = Field(..., description=_("该项目累计到位资金（万元）"))
    department: DepartmentRef
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_contract_investment_wan(obj) -> str:
        return _money(obj.contract_investment_wan)

    @staticmethod
    def resolve_funds_wan(obj) -> str:
        return _money(obj.funds_wan)


class FundOut(Schema):
    id: int
    zone_id: int
    project: ProjectRef
    date: dt.date = Field(..., description=_("到位日期"))
    amount_wan: str = Field(..., description=_("到位金额（万元），十进制字符串"))
    note: str
    department: DepartmentRef
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_amount_wan(obj) -> str:
        return _money(obj.amount_wan)


class LeadPage(PageOut):
    results: list[LeadOut]


class SigningPage(PageOut):
    results: list[SigningOut]


class FundPage(PageOut):
    results: list[FundOut]


class LeadQuery(ListParams):
    q: Text | None = Field(None, max_length=200, description=_("按项目名称、投资方或线索来源搜索"))
    stage: StageValue | None = Field(None, description=_("阶段"))
    channel: ChannelValue | None = Field(None, description=_("招商方式"))
    industry: Text | None = Field(None, max_length=50, description=_("产业方向（完全一致）"))
    owner: int | None = Field(None, ge=1, le=MAX_PK, description=_("负责人用户编号"))
    received_after: dt.date | None = Field(None, description=_("获取日期起（含）"))
    received_before: dt.date | None = Field(None, description=_("获取日期止（含）"))
    ordering: ordering_choices("name", "received_on", "expected_investment_wan", "stage", "channel", "id") | None = \
        Field(None, description=_("排序字段，前加“-”为降序；默认按获取日期倒序"))


class SigningQuery(ListParams):
    q: Text | None = Field(None, max_length=200, description=_("按项目编号、项目名称或投资方搜索"))
    channel: ChannelValue | None = Field(None, description=_("招商方式"))
    industry: Text | None = Field(None, max_length=50, description=_("产业方向（完全一致）"))
    size: SizeValue | None = Field(None, description=_("按合同投资额分档：百亿级/50亿级/10亿级/亿元级/亿元以下"))
    date_after: dt.date | None = Field(None, description=_("签约日期起（含）"))
    date_before: dt.date | None = Field(None, description=_("签约日期止（含）"))
    ordering: ordering_choices("date", "contract_investment_wan", "project__code", "channel", "id") | None = \
        Field(None, description=_("排序字段，前加“-”为降序；默认按签约日期倒序"))


class FundQuery(ListParams):
    q: Text | None = Field(None, max_length=200, description=_("按项目编号、项目名称或说明搜索"))
    code: Text | None = Field(None, max_length=50, description=_("项目编号（完全一致）"))
    date_after: dt.date | None = Field(None, description=_("到位日期起（含）"))
    date_before: dt.date | None = Field(None, description=_("到位日期止（含）"))
    ordering: ordering_choices("date", "amount_wan", "project__code", "id") | None = \
        Field(None, description=_("排序字段，前加“-”为降序；默认按到位日期倒序"))


def _filters(filterset, params, names) -> dict:
    return validated_filters(filterset, params.model_dump(include=set(names)))


@router.get("/leads", response={200: LeadPage, **ERROR_RESPONSES}, summary=_("招商线索列表"),
            description=_("当前用户数据范围内的招商线索（企业用户无权查看，返回空列表）。"))
def lead_list(request: HttpRequest, params: Query[LeadQuery]):
    filters = _filters(LeadFilterSet, params, ("q", "stage", "channel", "industry", "owner", "received_after",
                                               "received_before"))
    qs = order(selectors.leads_for_user(user=request.auth, filters=filters), params.ordering)
    return Status(200, paginate(qs, page=params.page, page_size=params.page_size))


@router.get("/signings", response={200: SigningPage, **ERROR_RESPONSES}, summary=_("签约项目列表"),
            description=_("当前用户数据范围内的签约记录，含该项目累计到位资金。"))
def signing_list(request: HttpRequest, params: Query[SigningQuery]):
    filters = _filters(SigningFilterSet, params, ("q", "channel", "industry", "size", "date_after", "date_before"))
    qs = order(selectors.signings_for_user(user=request.auth, filters=filters), params.ordering)
    return Status(200, paginate(qs, page=params.page, page_size=params.page_size))


@router.get("/funds", response={200: FundPage, **ERROR_RESPONSES}, summary=_("到位资金列表"),
            description=_("当前用户数据范围内的到位资金记录。"))
def fund_list(request: HttpRequest, params: Query[FundQuery]):
    filters = _filters(FundFilterSet, params, ("q", "code", "date_after", "date_before"))
    qs = order(selectors.funds_for_user(user=request.auth, filters=filters), params.ordering)
    return Status(200, paginate(qs, page=params.page, page_size=params.page_size))
