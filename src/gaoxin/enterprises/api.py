"""/api/v1/enterprises: the enterprise register over HTTP. Reads through selectors, writes through services."""

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Path, Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from gaoxin.api.errors import NotFound
from gaoxin.api.lists import ListParams, order, ordering_choices, paginate, validated_filters
from gaoxin.api.schemas import ERROR_RESPONSES, MAX_PK, DepartmentRef, InputSchema, OptText, PageOut, Text
from gaoxin.core import industry

from . import selectors, services
from .filters import EnterpriseFilterSet
from .models import Enterprise, EnterpriseSize, EnterpriseStatus

router = Router(tags=["企业"])

SizeValue = Literal[tuple(EnterpriseSize.values)]
StatusValue = Literal[tuple(EnterpriseStatus.values)]
Ordering = ordering_choices("name", "uscc", "industry_code", "size", "registration_date", "area", "status",
                            "created_at", "updated_at", "id")
FILTERS = ("q", "size", "status", "area", "industry", "department_id", "registered_after", "registered_before")


class EnterpriseOut(Schema):
    id: int
    zone_id: int
    uscc: str = Field(..., description=_("统一社会信用代码"))
    name: str = Field(..., description=_("企业名称"))
    industry_code: str = Field(..., description=_("GB/T 4754-2017 小类代码（4 位）"))
    industry_name: str = Field(..., description=_("行业小类名称"))
    industry_version: str = Field(..., description=_("行业分类标准版本"))
    size: str = Field(..., description=_("规模：规上/规下"))
    registration_date: dt.date | None = Field(None, description=_("成立日期"))
    area: str = Field(..., description=_("所属片区/街道"))
    address: str
    contact_person: str
    contact_phone: str
    status: str = Field(..., description=_("状态：在营/停产/迁出/注销"))
    department: DepartmentRef = Field(..., description=_("主管部门"))
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_industry_name(obj) -> str:
        category = industry.lookup(obj.industry_code)
        return category.name if category else ""


class EnterprisePage(PageOut):
    results: list[EnterpriseOut]


class EnterpriseIn(InputSchema):
    """Body of POST and PUT: optional fields left out become blank or their default (PUT replaces)."""

    uscc: Text = Field(..., description=_("统一社会信用代码，18 位"), examples=["91350100M000100Y43"])
    name: Text = Field(..., description=_("企业名称"))
    industry_code: Text = Field(..., description=_("GB/T 4754-2017 小类代码，4 位数字，如 3971"))
    size: SizeValue = Field(..., description=_("规模"))
    registration_date: dt.date | None = Field(None, description=_("成立日期，YYYY-MM-DD"))
    area: OptText = Field("", description=_("所属片区/街道"))
    address: OptText = ""
    contact_person: OptText = ""
    contact_phone: OptText = ""
    status: StatusValue = Field(EnterpriseStatus.OPERATING.value, description=_("状态"))


class EnterprisePatch(InputSchema):
    """Body of PATCH: only the fields sent are changed."""

    # Defaults of None only mark "not sent" (exclude_unset); a null that is sent means blank.
    uscc: OptText = None
    name: OptText = None
    industry_code: OptText = None
    size: SizeValue = None
    registration_date: dt.date | None = None
    area: OptText = None
    address: OptText = None
    contact_person: OptText = None
    contact_phone: OptText = None
    status: StatusValue = None


class EnterpriseQuery(ListParams):
    q: Text | None = Field(None, max_length=200, description=_("按名称、统一社会信用代码或地址搜索"))
    size: SizeValue | None = Field(None, description=_("规模"))
    status: StatusValue | None = Field(None, description=_("状态"))
    area: Text | None = Field(None, max_length=50, description=_("所属片区（完全一致）"))
    industry: Text | None = Field(None, max_length=5,
                                  description=_("行业：门类字母（C）、大类（39）、中类（397）或小类（3971）"))
    department_id: int | None = Field(None, ge=1, le=MAX_PK, description=_("主管部门编号"))
    registered_after: dt.date | None = Field(None, description=_("成立日期起（含）"))
    registered_before: dt.date | None = Field(None, description=_("成立日期止（含）"))
    ordering: Ordering | None = Field(None, description=_("排序字段，前加“-”为降序；默认按名称"))


EnterpriseId = Path(..., ge=1, le=MAX_PK, description=_("企业编号"))


def _get(request: HttpRequest, pk: int) -> Enterprise:
    enterprise = selectors.enterprise_get_for_user(user=request.auth, pk=pk)
    if enterprise is None:
        raise NotFound()
    return enterprise


@router.get("", response={200: EnterprisePage, **ERROR_RESPONSES}, summary=_("企业列表"),
            description=_("当前用户数据范围内的企业，支持筛选、排序和分页。"))
def enterprise_list(request: HttpRequest, params: Query[EnterpriseQuery]):
    filters = validated_filters(EnterpriseFilterSet, params.model_dump(include=set(FILTERS)))
    qs = order(selectors.enterprises_for_user(user=request.auth, filters=filters), params.ordering)
    return Status(200, paginate(qs, page=params.page, page_size=params.page_size))


@router.post("", response={201: EnterpriseOut, **ERROR_RESPONSES}, summary=_("新增企业"),
             description=_("仅部门工作人员可新增；园区和主管部门取其本人所在园区和部门。"))
def enterprise_create(request: HttpRequest, payload: EnterpriseIn):
    enterprise = services.enterprise_create(user=request.auth, data=payload.model_dump())
    return Status(201, enterprise)


@router.get("/{id}", response={200: EnterpriseOut, **ERROR_RESPONSES}, summary=_("企业详情"))
def enterprise_detail(request: HttpRequest, id: int = EnterpriseId):
    return Status(200, _get(request, id))


@router.put("/{id}", response={200: EnterpriseOut, **ERROR_RESPONSES}, summary=_("修改企业（整体替换）"),
            description=_("未提供的可选字段取空值或默认值。"))
def enterprise_replace(request: HttpRequest, payload: EnterpriseIn, id: int = EnterpriseId):
    enterprise = services.enterprise_update(user=request.auth, enterprise=_get(request, id),
                                            data=payload.model_dump())
    return Status(200, enterprise)


@router.patch("/{id}", response={200: EnterpriseOut, **ERROR_RESPONSES}, summary=_("修改企业（部分字段）"),
              description=_("只修改提供的字段；可选字段传 null 表示清空。"))
def enterprise_patch(request: HttpRequest, payload: EnterprisePatch, id: int = EnterpriseId):
    enterprise = services.enterprise_update(user=request.auth, enterprise=_get(request, id),
                                            data=payload.model_dump(exclude_unset=True))
    return Status(200, enterprise)


@router.delete("/{id}", response={204: None, **ERROR_RESPONSES}, summary=_("删除企业"),
               description=_("仍有关联地块、租赁或用户的企业不能删除，可将状态改为“注销”或“迁出”。"))
def enterprise_remove(request: HttpRequest, id: int = EnterpriseId):
    services.enterprise_delete(user=request.auth, enterprise=_get(request, id))
    return Status(204, None)
