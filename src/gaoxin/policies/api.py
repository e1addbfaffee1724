"""/api/v1/policies: policies with their clauses and budget, and match runs — read-only, in the user's scope
(leaders: the zone; department staff: their department's; enterprise users and administrators: nothing).
Amounts are decimal strings (万元, two decimals)."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Path, Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from gaoxin.api.errors import NotFound
from gaoxin.api.lists import ListParams, order, ordering_choices, paginate
from gaoxin.api.schemas import ERROR_RESPONSES, MAX_PK, DepartmentRef, PageOut, Text

from .models import ClauseMode, MatchRunStatus, PolicyStatus
from .selectors import policies as selectors
from .selectors import runs as run_selectors
from .selectors.budget import budget_for_policy

router = Router(tags=["惠企政策"])
CENTS = Decimal("0.01")

StatusValue = Literal[tuple(PolicyStatus.values)]
RunStatusValue = Literal[tuple(MatchRunStatus.values)]
ModeValue = Literal[tuple(ClauseMode.values)]


def _money(value) -> str | None:
    return None if value is None else str(Decimal(value).quantize(CENTS, rounding=ROUND_HALF_UP))


class ClauseOut(Schema):
    id: int
    order: int = Field(..., description=_("序号：规则按序号依次计算"))
    code: str = Field(..., description=_("条款代码（规则文件中的 rule.code）"))
    name: str
    text: str = Field(..., description=_("条款原文"))
    mode: str = Field(..., description=_("兑现方式：免申即享/依申请"))
    when: str = Field(..., description=_("适用条件：对事实表各列的 SQL 条件（免申即享）"))
    amount_wan: str = Field(..., description=_("奖励金额：SQL 数值表达式，万元（免申即享）"))
    cap_wan: str | None = Field(None, description=_("单项上限（万元）"))
    evidence: str = Field(..., description=_("申请材料（依申请），每行一项"))
    active: bool
    version: int = Field(..., description=_("规则版本：条件、金额、上限、方式或启用状态每改一次加 1"))

    @staticmethod
    def resolve_cap_wan(obj) -> str | None:
        return _money(obj.cap_wan)


class BudgetOut(Schema):
    budget_wan: str | None = Field(None, description=_("预算（万元）；空为不设总额"))
    committed_wan: str = Field(..., description=_("已承诺：待推送至已归档的兑现金额合计"))
    approved_wan: str = Field(..., description=_("已审核待兑付"))
    paid_wan: str = Field(..., description=_("已兑付（含公示中、已归档）"))
    remaining_wan: str | None = Field(None, description=_("余额 = 预算 − 已承诺"))


class PolicyOut(Schema):
    id: int
    zone_id: int
    code: str = Field(..., description=_("政策编号"))
    name: str = Field(..., description=_("政策名称"))
    document_number: str = Field(..., description=_("文号"))
    issuer: str
    valid_from: dt.date
    valid_until: dt.date | None = None
    budget_wan: str | None = Field(None, description=_("预算（万元）"))
    entity_cap_wan: str | None = Field(None, description=_("单户上限（万元）"))
    summary: str
    status: str = Field(..., description=_("状态：草稿/实施中/已停止"))
    clause_count: int = Field(..., description=_("条款数"))
    department: DepartmentRef
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_budget_wan(obj) -> str | None:
        return _money(obj.budget_wan)

    @staticmethod
    def resolve_entity_cap_wan(obj) -> str | None:
        return _money(obj.entity_cap_wan)


class PolicyDetailOut(PolicyOut):
    clauses: list[ClauseOut]
    budget: BudgetOut

    @staticmethod
    def resolve_clauses(obj) -> list:
        return list(obj.clauses.order_by("order", "id"))

    @staticmethod
    def resolve_budget(obj) -> dict:
        budget = budget_for_policy(policy=obj)
        return {"budget_wan": _money(budget.budget_wan), "committed_wan": _money(budget.committed_wan),
                "approved_wan": _money(budget.approved_wan), "paid_wan": _money(budget.paid_wan),
                "remaining_wan": _money(budget.remaining_wan)}


class PolicyRef(Schema):
    id: int
    code: str
    name: str


class RunOut(Schema):
    id: int
    policy: PolicyRef
    year: int = Field(..., description=_("事实年度"))
    number: int = Field(..., description=_("批次号（每项政策从 1 起）"))
    status: str = Field(..., description=_("状态：已比对/已推送/已作废"))
    entities: int = Field(..., description=_("参与比对企业数"))
    matched: int = Field(..., description=_("匹配条数（含被单户上限或预算核减为 0 的）"))
    award_count: int = Field(..., description=_("生成的兑现记录数"))
    granted_wan: str
    paid_wan: str
    budget_scaled: bool = Field(..., description=_("是否按预算余额比例核减"))
    created_at: dt.datetime
    notified_at: dt.datetime | None = None

    @staticmethod
    def resolve_granted_wan(obj) -> str:
        return _money(obj.granted_wan)

    @staticmethod
    def resolve_paid_wan(obj) -> str:
        return _money(obj.paid_wan)


class RunDetailOut(RunOut):
    rules_toml: str = Field(..., description=_("冻结的规则（TOML），与 gaoxin policies match 的规则文件格式相同"))
    facts_columns: list[str]


class PolicyPage(PageOut):
    results: list[PolicyOut]


class RunPage(PageOut):
    results: list[RunOut]


class PolicyQuery(ListParams):
    q: Text | None = Field(None, max_length=100, description=_("按编号、名称或文号搜索"))
    status: StatusValue | None = Field(None, description=_("状态"))
    year: int | None = Field(None, ge=2000, le=2100, description=_("在该年度内有效的政策"))
    ordering: ordering_choices("code", "name", "valid_from", "status", "id") | None = \
        Field(None, description=_("排序字段，前加“-”为降序；默认按生效日期倒序"))


class RunQuery(ListParams):
    policy: int | None = Field(None, ge=1, le=MAX_PK, description=_("政策编号（id）"))
    year: int | None = Field(None, ge=2000, le=2100, description=_("事实年度"))
    status: RunStatusValue | None = Field(None, description=_("状态"))
    ordering: ordering_choices("created_at", "year", "number", "id") | None = \
        Field(None, description=_("排序字段，前加“-”为降序；默认按比对时间倒序"))


PolicyId = Path(..., ge=1, le=MAX_PK, description=_("政策编号（id）"))
RunId = Path(..., ge=1, le=MAX_PK, description=_("比对批次编号（id）"))


@router.get("", response={200: PolicyPage, **ERROR_RESPONSES}, summary=_("政策列表"),
            description=_("当前用户数据范围内的惠企政策（企业用户无权查看，返回空列表）。"))
def policy_list(request: HttpRequest, params: Query[PolicyQuery]):
    filters = params.model_dump(include={"q", "status", "year"}, exclude_none=True)
    qs = order(selectors.policies_for_user(user=request.auth, filters=filters), params.ordering)
    return Status(200, paginate(qs, page=params.page, page_size=params.page_size))


@router.get("/runs", response={200: RunPage, **ERROR_RESPONSES}, summary=_("比对批次列表"),
            description=_("当前用户数据范围内的比对批次。"))
def run_list(request: HttpRequest, params: Query[RunQuery]):
    filters = params.model_dump(include={"policy", "year", "status"}, exclude_none=True)
    qs = order(run_selectors.runs_for_user(user=request.auth, filters=filters), params.ordering)
    return Status(200, paginate(qs, page=params.page, page_size=params.page_size))


@router.get("/runs/{id}", response={200: RunDetailOut, **ERROR_RESPONSES}, summary=_("比对批次详情"),
            description=_("含冻结的规则（TOML）和事实表列名。"))
def run_detail(request: HttpRequest, id: int = RunId):
    run = run_selectors.runs_for_user(user=request.auth).filter(pk=id).first()
    if run is None:
        raise NotFound()
    return Status(200, run)


@router.get("/{id}", response={200: PolicyDetailOut, **ERROR_RESPONSES}, summary=_("政策详情"),
            description=_("含全部条款（按序号）和预算执行情况。"))
def policy_detail(request: HttpRequest, id: int = PolicyId):
    policy = selectors.policies_for_user(user=request.auth).filter(pk=id).first()
    if policy is None:
        raise NotFound()
    return Status(200, policy)
