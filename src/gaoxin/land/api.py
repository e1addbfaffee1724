"""/api/v1/parcels: the land register over HTTP. Reads through selectors, writes through services."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from ninja import Path, Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from gaoxin.api.errors import ApiError, NotFound, invalid
from gaoxin.api.lists import ListParams, order, ordering_choices, paginate, validated_filters
from gaoxin.api.schemas import (
    ERROR_RESPONSES,
    MAX_PK,
    DepartmentRef,
    InputSchema,
    OptText,
    PageOut,
    Text,
    decimal_field,
)
from gaoxin.core import uscc
from gaoxin.core.services import require_write
from gaoxin.enterprises.selectors import enterprise_by_uscc

from . import selectors, services
from .filters import ParcelFilterSet
from .models import LandUse, Parcel, ParcelStatus, SupplyMethod

router = Router(tags=["地块"])
CENTS = Decimal("0.01")

LandUseValue = Literal[tuple(LandUse.values)]
SupplyMethodValue = Literal[(*SupplyMethod.values, "")]
StatusValue = Literal[tuple(ParcelStatus.values)]
Ordering = ordering_choices("code", "location", "area_m2", "land_use", "supply_method", "supply_date", "status",
                            "created_at", "updated_at", "id")
FILTERS = ("q", "status", "land_use", "supply_method", "holder_id", "holder_uscc", "department_id",
           "min_area_m2", "max_area_m2")
# The model says `holder`; the API sets it through `holder_uscc`.
FIELD_NAMES = {"holder": "holder_uscc", "holder_id": "holder_uscc"}

AreaM2 = decimal_field(max_digits=14, decimal_places=2, description=_("面积（平方米），两位小数，建议以字符串传递"))
AreaBound = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2, allow_inf_nan=False)]


class HolderRef(Schema):
    id: int
    uscc: str
    name: str


class ParcelOut(Schema):
    id: int
    zone_id: int
    code: str = Field(..., description=_("地块编号"))
    location: str = Field(..., description=_("位置"))
    area_m2: str = Field(..., description=_("面积（平方米），十进制字符串，两位小数"), examples=["6666.67"])
    area_mu: str = Field(..., description=_("面积（亩），1 亩 = 10000/15 平方米，四舍五入到两位小数"), examples=["10.00"])
    land_use: str = Field(..., description=_("用地性质"))
    supply_method: str = Field(..., description=_("供地方式：出让/划拨/租赁，储备地块为空"))
    holder: HolderRef | None = Field(None, description=_("使用企业"))
    supply_date: dt.date | None = Field(None, description=_("供地日期"))
    status: str = Field(..., description=_("状态：储备/已供/在建/投产/闲置"))
    department: DepartmentRef = Field(..., description=_("主管部门"))
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_area_m2(obj) -> str:
        # a row just written still holds the Decimal as sent ("100.5"); answer as stored ("100.50")
        return str(Decimal(obj.area_m2).quantize(CENTS))

    @staticmethod
    def resolve_area_mu(obj) -> str:
        return str(obj.area_mu)


class ParcelPage(PageOut):
    results: list[ParcelOut]


class ParcelIn(InputSchema):
    """Body of POST and PUT: optional fields left out become blank or their default (PUT replaces)."""

    code: Text = Field(..., description=_("地块编号"))
    location: OptText = Field("", description=_("位置"))
    area_m2: AreaM2
    land_use: LandUseValue = Field(..., description=_("用地性质"))
    supply_method: SupplyMethodValue = Field("", description=_("供地方式；储备地块留空"))
    holder_uscc: OptText = Field("", description=_("使用企业的统一社会信用代码（本园区已登记的企业）；留空表示无"))
    supply_date: dt.date | None = Field(None, description=_("供地日期，YYYY-MM-DD"))
    status: StatusValue = Field(ParcelStatus.RESERVE.value, description=_("状态"))


class ParcelPatch(InputSchema):
    """Body of PATCH: only the fields sent are changed."""

    # Defaults of None only mark "not sent" (exclude_unset); a null that is sent means blank.
    code: OptText = None
    location: OptText = None
    area_m2: AreaM2 = None
    land_use: LandUseValue = None
    supply_method: SupplyMethodValue = None
    holder_uscc: OptText = None
    supply_date: dt.date | None = None
    status: StatusValue = None


class ParcelQuery(ListParams):
    q: Text | None = Field(None, max_length=200, description=_("按地块编号、位置或使用企业名称搜索"))
    status: StatusValue | None = Field(None, description=_("状态"))
    land_use: LandUseValue | None = Field(None, description=_("用地性质"))
    supply_method: Literal[tuple(SupplyMethod.values)] | None = Field(None, description=_("供地方式"))
    holder_id: int | None = Field(None, ge=1, le=MAX_PK, description=_("使用企业编号"))
    holder_uscc: Text | None = Field(None, max_length=18, description=_("使用企业统一社会信用代码"))
    department_id: int | None = Field(None, ge=1, le=MAX_PK, description=_("主管部门编号"))
    min_area_m2: AreaBound | None = Field(None, description=_("最小面积（平方米，含）"))
    max_area_m2: AreaBound | None = Field(None, description=_("最大面积（平方米，含）"))
    ordering: Ordering | None = Field(None, description=_("排序字段，前加“-”为降序；默认按地块编号"))


ParcelId = Path(..., ge=1, le=MAX_PK, description=_("地块编号（数字 id）"))


def _get(request: HttpRequest, pk: int) -> Parcel:
    parcel = selectors.parcel_get_for_user(user=request.auth, pk=pk)
    if parcel is None:
        raise NotFound()
    return parcel


def _holder_id(user, raw: str) -> int | None:
    """The enterprise a USCC names in the user's zone — any department's: land is allotted across them."""
    if not raw:
        return None
    try:
        holder = enterprise_by_uscc(zone=user.zone_id, code=raw)
    except uscc.InvalidUSCC as exc:
        message = str(exc)
    else:
        if holder is not None:
            return holder.pk
        message = gettext("本园区没有统一社会信用代码为“%(code)s”的企业。") % {"code": uscc.normalise(raw)}
    raise ApiError(400, "invalid", gettext("提交的数据未通过校验，请按字段说明修改。"),
                   [{"field": "holder_uscc", "message": message}])


def _service_data(request: HttpRequest, data: dict) -> dict:
    if "holder_uscc" in data:
        data["holder_id"] = _holder_id(request.auth, data.pop("holder_uscc"))
    return data


@router.get("", response={200: ParcelPage, **ERROR_RESPONSES}, summary=_("地块列表"),
            description=_("当前用户数据范围内的地块，支持筛选、排序和分页；面积为十进制字符串。"))
def parcel_list(request: HttpRequest, params: Query[ParcelQuery]):
    filters = validated_filters(ParcelFilterSet, params.model_dump(include=set(FILTERS)))
    qs = order(selectors.parcels_for_user(user=request.auth, filters=filters), params.ordering)
    return Status(200, paginate(qs, page=params.page, page_size=params.page_size))


@router.post("", response={201: ParcelOut, **ERROR_RESPONSES}, summary=_("新增地块"),
             description=_("仅部门工作人员可新增；园区和主管部门取其本人所在园区和部门。"))
def parcel_create(request: HttpRequest, payload: ParcelIn):
    # Permission first, so that holder_uscc cannot be used to probe which enterprises exist.
    require_write(user=request.auth, model=Parcel)
    data = _service_data(request, payload.model_dump())
    try:
        parcel = services.parcel_create(user=request.auth, data=data)
    except ValidationError as exc:
        raise invalid(exc, rename=FIELD_NAMES) from exc
    return Status(201, parcel)


@router.get("/{id}", response={200: ParcelOut, **ERROR_RESPONSES}, summary=_("地块详情"))
def parcel_detail(request: HttpRequest, id: int = ParcelId):
    return Status(200, _get(request, id))


def _update(request: HttpRequest, pk: int, data: dict) -> Parcel:
    parcel = _get(request, pk)
    require_write(user=request.auth, model=Parcel, obj=parcel)
    data = _service_data(request, data)
    try:
        return services.parcel_update(user=request.auth, parcel=parcel, data=data)
    except ValidationError as exc:
        raise invalid(exc, rename=FIELD_NAMES) from exc


@router.put("/{id}", response={200: ParcelOut, **ERROR_RESPONSES}, summary=_("修改地块（整体替换）"),
            description=_("未提供的可选字段取空值或默认值；未提供 holder_uscc 即清除使用企业。"))
def parcel_replace(request: HttpRequest, payload: ParcelIn, id: int = ParcelId):
    return Status(200, _update(request, id, payload.model_dump()))


@router.patch("/{id}", response={200: ParcelOut, **ERROR_RESPONSES}, summary=_("修改地块（部分字段）"),
              description=_("只修改提供的字段；holder_uscc 传空字符串或 null 表示清除使用企业。"))
def parcel_patch(request: HttpRequest, payload: ParcelPatch, id: int = ParcelId):
    return Status(200, _update(request, id, payload.model_dump(exclude_unset=True)))


@router.delete("/{id}", response={204: None, **ERROR_RESPONSES}, summary=_("删除地块"),
               description=_("地块上仍有载体楼栋时不能删除。"))
def parcel_remove(request: HttpRequest, id: int = ParcelId):
    services.parcel_delete(user=request.auth, parcel=_get(request, id))
    return Status(204, None)
