"""Imports and exports of signings (签约项目, keyed by 项目编号; an unknown code creates its project) and funds in
place (到位资金, keyed by 项目编号 and 到位日期; the project must exist)."""

import datetime as dt
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gaoxin.core.imports import Column, Counts, ImportSpec, register
from gaoxin.core.imports.parsers import Choice, Code, Date, DecimalNumber, Text
from gaoxin.core.imports.validation import LOOKUP_CHUNK
from gaoxin.projects.models import Project

from .models import Channel, FundTranche, Signing
from .selectors import funds_for_user, industry_choices, signings_for_user
from .services import funds_upsert, signings_upsert

WAN = gettext_lazy("万元")
CODE_LENGTH = Project._meta.get_field("code").max_length


def _amount() -> DecimalNumber:
    return DecimalNumber(max_digits=14, places=2, minimum=Decimal("0.01"), unit=WAN)


def _projects_by_code(zone, codes) -> dict:
    codes = sorted(set(codes))
    found = {}
    qs = Project.objects.filter(zone=zone).only("id", "zone_id", "code", "name", "department_id")
    for start in range(0, len(codes), LOOKUP_CHUNK):
        for project in qs.filter(code__in=codes[start:start + LOOKUP_CHUNK]):
            found[project.code] = project
    return found


class _ProjectKeyed(ImportSpec):
    """Rows refer to a project by 项目编号; the project is cached on the instance that clean() checks."""

    existing_related = ("department", "project")

    def instance(self, row, *, existing, zone, department, context):
        obj = super().instance(row, existing=existing, zone=zone, department=department, context=context)
        project = context["projects"].get(row.get("code"))
        if project is not None:
            obj.project_id = project.pk
            self.model._meta.get_field("project").set_cached_value(obj, project)
        return obj


class SigningImport(_ProjectKeyed):
    kind = "signings"
    label = gettext_lazy("签约项目")
    model = Signing
    key = "code"
    sheet_name = "签约项目"
    list_url = "investment:signing_list"
    default_department_code = "tzcj"  # 投资促进局 records signings in most zones
    # headers and choice values are the file format of issue 5: never translated
    columns = (
        Column("项目编号", "code", Code(CODE_LENGTH), required=True, width=16, example="QY2025-001",
               export=lambda s: s.project.code,
               help=gettext_lazy("项目库中的项目编号；本园区没有该编号时，签约即新建项目（签约即入库）。")),
        Column("项目名称", "name", Text(Project._meta.get_field("name").max_length), required=True, width=30,
               example="新型储能电池生产基地项目", export=lambda s: s.project.name,
               help=gettext_lazy("新建项目时作为项目名称；项目已在库时仅供核对。")),
        Column("签约日期", "date", Date(), required=True, width=12, example=dt.date(2025, 3, 18),
               help=gettext_lazy("合同签订日期。")),
        Column("合同投资额（万元）", "contract_investment_wan", _amount(), required=True, width=16,
               example="500000.00", help=gettext_lazy("合同约定的投资额，万元，大于 0。")),
        Column("招商方式", "channel", Choice(Channel), required=True, width=12, example="专班招商"),
        Column("产业方向", "industry", Text(50), width=18, example="新能源及新型储能",
               suggestions=lambda zone: industry_choices(zone=zone),
               help=gettext_lazy("本园区的产业方向之一，可留空。")),
    )
    notes = (
        gettext_lazy("7. 签约按项目编号识别：已有签约的更新，没有的新增；项目编号不在项目库中时，按项目名称和合同投资额"
                     "新建产业项目（签约即入库）。"),
        gettext_lazy("8. 其他部门项目的签约可由本部门导入，但由其他部门登记的签约记录不能通过本部门导入修改。"),
    )

    def existing_for(self, *, zone, rows):
        codes = sorted({r["code"] for r in rows})
        found = {}
        qs = Signing.objects.filter(zone=zone).select_related(*self.existing_related)
        for start in range(0, len(codes), LOOKUP_CHUNK):
            for signing in qs.filter(project__code__in=codes[start:start + LOOKUP_CHUNK]):
                found[signing.project.code] = signing
        return found

    def prepare(self, *, zone, rows):
        return {"projects": _projects_by_code(zone, [r["code"] for r in rows]),
                "directions": set(industry_choices(zone=zone))}

    def complete(self, row, *, existing, context):
        industry = row.get("industry") or ""
        if industry and industry not in context["directions"]:
            return [("industry", _("“%(value)s”不是本园区的产业方向，应为：%(choices)s。") % {
                "value": industry, "choices": "、".join(sorted(context["directions"]))})]
        return []

    def write(self, *, zone, department, rows, user, message) -> Counts:
        result = signings_upsert(zone=zone, department=department, rows=rows, user=user, message=message)
        return Counts(result.created, result.updated, result.unchanged)

    def queryset_for_user(self, *, user, filters) -> QuerySet:
        return signings_for_user(user=user, filters=filters).order_by("project__code")

    def queryset_for_zone(self, *, zone) -> QuerySet:
        return Signing.objects.filter(zone=zone).select_related("project").order_by("project__code")


class FundImport(_ProjectKeyed):
    kind = "funds"
    label = gettext_lazy("到位资金")
    model = FundTranche
    key = "code"  # the column a duplicate-key error points at; the key itself is (code, date), see key_of
    sheet_name = "到位资金"
    list_url = "investment:fund_list"
    default_department_code = "tzcj"
    columns = (
        Column("项目编号", "code", Code(CODE_LENGTH), required=True, width=16, example="QY2025-001",
               export=lambda t: t.project.code,
               help=gettext_lazy("项目库中的项目编号；项目须已在本园区登记（可先导入项目或签约）。")),
        Column("到位日期", "date", Date(), required=True, width=12, example=dt.date(2025, 6, 30),
               help=gettext_lazy("资金实际到位的日期，不能晚于今天。")),
        Column("到位金额（万元）", "amount_wan", _amount(), required=True, width=16, example="20000.00",
               help=gettext_lazy("当日到位的金额，万元，大于 0。")),
    )
    notes = (
        gettext_lazy("7. 每个项目每天一行，按项目编号和到位日期识别：已有的更新金额，没有的新增。"),
    )

    @property
    def key_label(self) -> str:
        return _("项目编号和到位日期")

    def key_of(self, values):
        code, day = values.get("code"), values.get("date")
        return None if code is None or day is None else (code, day)

    def existing_for(self, *, zone, rows):
        codes = sorted({r["code"] for r in rows})
        dates = sorted({r["date"] for r in rows})
        found = {}
        qs = FundTranche.objects.filter(zone=zone, date__in=dates).select_related(*self.existing_related)
        for start in range(0, len(codes), LOOKUP_CHUNK):
            for tranche in qs.filter(project__code__in=codes[start:start + LOOKUP_CHUNK]):
                found[(tranche.project.code, tranche.date)] = tranche
        return found

    def prepare(self, *, zone, rows):
        return {"projects": _projects_by_code(zone, [r["code"] for r in rows]), "today": timezone.localdate()}

    def complete(self, row, *, existing, context):
        problems = []
        if row["code"] not in context["projects"]:
            problems.append(("code", _("本园区没有项目编号为“%(code)s”的项目；请先导入项目或签约。") % {"code": row["code"]}))
        if row["date"] > context["today"]:
            problems.append(("date", _("到位日期不能晚于今天（%(today)s）。") % {"today": context["today"].isoformat()}))
        return problems

    def write(self, *, zone, department, rows, user, message) -> Counts:
        result = funds_upsert(zone=zone, department=department, rows=rows, user=user, message=message)
        return Counts(result.created, result.updated, result.unchanged)

    def queryset_for_user(self, *, user, filters) -> QuerySet:
        return funds_for_user(user=user, filters=filters).order_by("project__code", "date")

    def queryset_for_zone(self, *, zone) -> QuerySet:
        return FundTranche.objects.filter(zone=zone).select_related("project").order_by("project__code", "date")


SIGNINGS = register(SigningImport())
FUNDS = register(FundImport())
