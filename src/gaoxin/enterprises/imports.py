"""The enterprise register's import and export: columns, key (USCC) and writer."""

import datetime as dt

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from gaoxin.core.imports import Column, Counts, ImportSpec, register
from gaoxin.core.imports.parsers import USCC, Choice, Date, IndustryCode, Phone, Text

from .models import Enterprise, EnterpriseSize, EnterpriseStatus
from .selectors import enterprise_areas, enterprises_for_user
from .services import enterprises_upsert


def _max_length(name: str) -> int:
    return Enterprise._meta.get_field(name).max_length


class EnterpriseImport(ImportSpec):
    kind = "enterprises"
    label = gettext_lazy("企业")
    model = Enterprise
    key = "uscc"
    sheet_name = "企业"
    list_url = "enterprises:list"
    default_department_code = "jxj"  # 经信局 keeps the enterprise register in most zones
    # headers and choice values are the file format users' spreadsheets carry: never translated
    columns = (
        Column("统一社会信用代码", "uscc", USCC(), required=True, width=22, example="91350100M000100Y43",
               help=gettext_lazy("企业的 18 位统一社会信用代码，用于识别企业：已登记的更新，未登记的新增。")),
        Column("企业名称", "name", Text(_max_length("name")), required=True, width=30, example="示范科技有限公司",
               help=gettext_lazy("营业执照上的企业名称。")),
        Column("行业代码", "industry_code", IndustryCode(), required=True, width=12, example="C3971",
               help=gettext_lazy("国民经济行业分类（GB/T 4754-2017）小类代码。")),
        Column("规模", "size", Choice(EnterpriseSize), required=True, width=8, example="规上",
               help=gettext_lazy("规上：达到国家统计规模标准、纳入统计联网直报的规模以上企业；其余填规下。")),
        Column("成立日期", "registration_date", Date(), width=12, example=dt.date(2018, 6, 1),
               help=gettext_lazy("营业执照上的成立日期。")),
        Column("所属片区", "area", Text(_max_length("area")), width=14, example="一号片区",
               suggestions=lambda zone: enterprise_areas(zone=zone),
               help=gettext_lazy("企业所在的片区或街道；下拉列表为本园区已有的名称，也可填写新名称。")),
        Column("地址", "address", Text(_max_length("address")), width=30, example="科学大道 1 号",
               help=gettext_lazy("生产经营地址。")),
        Column("联系人", "contact_person", Text(_max_length("contact_person")), width=10, example="张三"),
        Column("联系电话", "contact_phone", Phone(_max_length("contact_phone")), width=16, example="0512-12345678"),
        Column("状态", "status", Choice(EnterpriseStatus), keep_if_blank=True, width=8, example="在营",
               help=gettext_lazy("在营、停产、迁出或注销；留空时新企业为“在营”，已登记企业保持原状态。")),
    )
    notes = (
        gettext_lazy("7. 企业按统一社会信用代码识别；由其他部门登记维护的企业不能通过本部门导入修改。"),
        gettext_lazy("8. 行业代码可写 4 位数字（3971）或带门类字母（C3971），系统统一保存为 4 位数字。"),
    )

    def write(self, *, zone, department, rows, user, message) -> Counts:
        result = enterprises_upsert(zone=zone, department=department, rows=rows, user=user, message=message)
        return Counts(result.created, result.updated, result.unchanged)

    def queryset_for_user(self, *, user, filters) -> QuerySet:
        return enterprises_for_user(user=user, filters=filters)

    def queryset_for_zone(self, *, zone) -> QuerySet:
        return Enterprise.objects.filter(zone=zone).order_by("uscc")


ENTERPRISES = register(EnterpriseImport())
