"""The land register's import and export: parcels by 地块编号, holders by their USCC."""

import datetime as dt
from decimal import Decimal

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gaoxin.core.imports import Column, Counts, ImportSpec, register
from gaoxin.core.imports.parsers import USCC, Choice, Code, Date, DecimalNumber
from gaoxin.core.imports.validation import LOOKUP_CHUNK
from gaoxin.enterprises.models import Enterprise

from .models import LandUse, Parcel, ParcelStatus, SupplyMethod
from .selectors import parcels_for_user
from .services import parcels_upsert

_area = Parcel._meta.get_field("area_m2")


class ParcelImport(ImportSpec):
    kind = "parcels"
    label = gettext_lazy("地块")
    model = Parcel
    key = "code"
    sheet_name = "地块"
    list_url = "land:parcel_list"
    default_department_code = "jsj"  # 建设局 keeps the land register in most zones
    existing_related = ("department", "holder")
    # headers and choice values are the file format users' spreadsheets carry: never translated
    columns = (
        Column("地块编号", "code", Code(Parcel._meta.get_field("code").max_length), required=True, width=16,
               example="GX-2024-001", help=gettext_lazy("本园区内唯一的地块编号：已登记的更新，未登记的新增。")),
        Column("面积（平方米）", "area_m2",
               DecimalNumber(max_digits=_area.max_digits, places=_area.decimal_places, minimum=Decimal("0.01"),
                             unit=gettext_lazy("平方米")),
               required=True, width=14, example="6666.67", help=gettext_lazy("地块面积，单位平方米（1 亩 ≈ 666.67 平方米）。")),
        Column("用地性质", "land_use", Choice(LandUse), required=True, width=20, example="工业用地",
               help=gettext_lazy("按国土空间调查用地分类（GB/T 21010-2017）选择。")),
        Column("供地方式", "supply_method", Choice(SupplyMethod), width=10, example="出让",
               help=gettext_lazy("出让、划拨或租赁；已供地块（状态不是“储备”）必须填写。")),
        Column("使用企业统一社会信用代码", "holder_uscc", USCC(), model_field="holder", width=24,
               example="91350100M000100Y43",
               export=lambda p: p.holder.uscc if p.holder_id else "",
               help=gettext_lazy("用地企业的统一社会信用代码，该企业须已在本园区登记；储备地块留空。")),
        Column("供地日期", "supply_date", Date(), width=12, example=dt.date(2024, 3, 5), help=gettext_lazy("供地合同或批文的日期。")),
        Column("状态", "status", Choice(ParcelStatus), width=8, example="已供",
               help=gettext_lazy("储备、已供、在建、投产或闲置；留空时按有无使用企业确定，见填表说明。")),
    )
    notes = (
        gettext_lazy("7. 使用企业须先在本园区登记（可先导入企业），按统一社会信用代码关联；储备地块不能有使用企业。"),
        gettext_lazy("8. 状态留空：新地块有使用企业为“已供”，没有为“储备”；已登记地块保持原状态，"
                     "但原为“储备”而本次填写了使用企业时改为“已供”。"),
        gettext_lazy("9. 面积单位为平方米，最多两位小数（多余小数四舍五入）。"),
    )

    def prepare(self, *, zone, rows):
        """The zone's enterprises named as holders, by USCC (the holder may belong to any department)."""
        codes = sorted({r["holder_uscc"] for r in rows if r.get("holder_uscc")})
        holders = {}
        qs = Enterprise.objects.filter(zone=zone).only("id", "zone_id", "uscc")
        for start in range(0, len(codes), LOOKUP_CHUNK):
            for enterprise in qs.filter(uscc__in=codes[start:start + LOOKUP_CHUNK]):
                holders[enterprise.uscc] = enterprise
        return holders

    def complete(self, row, *, existing, context):
        if "holder_uscc" in row:
            code = row["holder_uscc"]
            holder = context.get(code) if code else None
            if code and holder is None:
                return [("holder", _("本园区没有统一社会信用代码为“%(code)s”的企业，请先登记或导入该企业。") % {
                    "code": code})]
            row["holder_id"] = holder.pk if holder else None
        holder_id = row["holder_id"] if "holder_id" in row else (existing.holder_id if existing else None)
        if not row.get("status"):
            if existing is not None and not (existing.status == ParcelStatus.RESERVE and holder_id):
                row["status"] = existing.status
            else:
                row["status"] = ParcelStatus.SUPPLIED if holder_id else ParcelStatus.RESERVE
        return []

    def instance(self, row, *, existing, zone, department, context):
        obj = super().instance(row, existing=existing, zone=zone, department=department, context=context)
        # clean() reads parcel.holder: give it the cached row, never a query
        if "holder_uscc" in row:
            obj.holder = context.get(row["holder_uscc"]) if row["holder_uscc"] else None
        elif existing is not None and existing.holder_id:
            obj.holder = existing.holder
        return obj

    def write(self, *, zone, department, rows, user, message) -> Counts:
        result = parcels_upsert(zone=zone, department=department, rows=rows, user=user, message=message)
        return Counts(result.created, result.updated, result.unchanged)

    def queryset_for_user(self, *, user, filters) -> QuerySet:
        return parcels_for_user(user=user, filters=filters)

    def queryset_for_zone(self, *, zone) -> QuerySet:
        return Parcel.objects.filter(zone=zone).select_related("holder").order_by("code")


PARCELS = register(ParcelImport())
