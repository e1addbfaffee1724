"""The evaluation data's imports and exports: one kind per agency file, joined on USCC and year.

Each agency (税务, 统计, 电力, 生态环境, 自然资源) sends its own file; `evaluation-<slug>` imports it into the
year rows of EvaluationData, setting only that agency's fields (see services/data.py for the merge and
the land-area rule). A row is keyed by (统一社会信用代码, 评价年度); the enterprise must be registered in
the zone, whichever department keeps it.
"""

from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gaoxin.core.imports import Column, Counts, ImportSpec, register
from gaoxin.core.imports.parsers import USCC, Boolean, DecimalNumber, Integer, Text
from gaoxin.core.imports.validation import LOOKUP_CHUNK
from gaoxin.core.permissions import Role
from gaoxin.enterprises.models import Enterprise

from .models import DataSource, EvaluationData
from .selectors.data import SOURCE_SLUGS, source_fields
from .services.data import MAX_YEAR, MIN_YEAR, evaluation_data_upsert

ZERO = Decimal(0)


def _number(field: str, *, minimum: Decimal | None = ZERO, unit: str = "") -> DecimalNumber:
    model_field = EvaluationData._meta.get_field(field)
    return DecimalNumber(max_digits=model_field.max_digits, places=model_field.decimal_places, minimum=minimum,
                         unit=unit)


def _flag(field: str):
    return lambda record: Boolean.text(getattr(record, field))


WAN = gettext_lazy("万元")
# The agencies' columns: headers and the 是/否 values are the file format, never translated.
SOURCE_COLUMNS: dict[str, tuple[Column, ...]] = {
    DataSource.TAX: (
        Column("实缴税收（万元）", "tax", _number("tax", minimum=None, unit=WAN), width=16, example="600.00",
               help=gettext_lazy("评价年度内实际缴纳的税收合计（含各税种，扣除退税），万元。")),
    ),
    DataSource.STATISTICS: (
        Column("营业收入（万元）", "revenue", _number("revenue", unit=WAN), width=16, example="10000.00",
               help=gettext_lazy("主营业务收入，万元。")),
        Column("工业增加值（万元）", "value_added", _number("value_added", minimum=None, unit=WAN), width=16,
               example="2000.00", help=gettext_lazy("工业增加值（现价），万元。")),
        Column("工业总产值（万元）", "output", _number("output", unit=WAN), width=16, example="9800.00",
               help=gettext_lazy("工业总产值（现价），万元。")),
        Column("研发经费支出（万元）", "rd", _number("rd", unit=WAN), width=16, example="300.00",
               help=gettext_lazy("R&D 经费内部支出，万元。")),
        Column("年平均职工人数（人）", "staff", Integer(minimum=0, maximum=9_999_999, unit=gettext_lazy("人")),
               width=14, example="100", help=gettext_lazy("全部从业人员年平均人数。")),
        Column("综合能耗（吨标准煤）", "energy_tce", _number("energy_tce", unit=gettext_lazy("吨标准煤")), width=16,
               example="800.000", help=gettext_lazy("综合能源消费量（等价值），吨标准煤。")),
    ),
    DataSource.POWER: (
        Column("用电量（万千瓦时）", "electricity", _number("electricity", unit=gettext_lazy("万千瓦时")), width=16,
               example="2500.000", help=gettext_lazy("评价年度的全年用电量，万千瓦时。")),
    ),
    DataSource.ENVIRONMENT: (
        Column("主要污染物排放量（吨）", "emission_t", _number("emission_t", unit=gettext_lazy("吨")), width=18,
               example="0.500", help=gettext_lazy("化学需氧量、氨氮、二氧化硫、氮氧化物等主要污染物排放量合计，吨。")),
        Column("重大环境违法", "env_violation", Boolean(), width=12, example="否", export=_flag("env_violation"),
               help=gettext_lazy("评价年度内是否有重大环境违法行为。")),
    ),
    DataSource.NATURAL_RESOURCES: (
        Column("核定用地面积（亩）", "land_mu_verified", _number("land_mu_verified", unit=gettext_lazy("亩")),
               width=16, example="20.00",
               help=gettext_lazy("自然资源部门核定的用地面积，亩；填写后作为评价用地面积（经办人员手工调整的除外）。")),
        Column("违法用地", "illegal_land", Boolean(), width=10, example="否", export=_flag("illegal_land"),
               help=gettext_lazy("评价年度内是否有违法用地。")),
    ),
}

SOURCE_NOTES: dict[str, tuple] = {
    DataSource.NATURAL_RESOURCES: (
        gettext_lazy("10. 填写核定用地面积的企业，评价用地面积按核定面积计算（原因记为“自然资源部门核定”），但经办人员"
                     "已手工调整的评价用地面积不变；留空则按土地台账计算。"),
    ),
}


def _notes(source: str) -> tuple:
    return (
        gettext_lazy("7. 企业按统一社会信用代码识别，须已在本园区登记（可先导入企业）；每家企业每个评价年度一行。"
                     "企业名称仅供核对，不导入。"),
        format_lazy(gettext_lazy("8. 本文件只更新{source}部门报送的数据项，其他部门报送的数据保持不变。某项留空表示"
                                 "未报送（评价时按方案的缺失数据规则处理），不是 0；整列删去时该项保持原值。"),
                    source=DataSource(source).label),
        gettext_lazy("9. 金额单位为万元，保留两位小数；能耗、用电量、排放量保留三位小数；多余小数四舍五入。"),
        *SOURCE_NOTES.get(source, ()),
    )


class EvaluationDataImport(ImportSpec):
    model = EvaluationData
    key = "uscc"  # the column a duplicate-key error points at; the key itself is (uscc, year), see key_of
    list_url = "evaluation:data_list"
    default_department_code = "jxj"  # 经信局 runs the 亩均 evaluation in most zones
    existing_related = ("department", "enterprise")

    def __init__(self, source: str):
        self.source = source
        self.kind = f"evaluation-{SOURCE_SLUGS[source]}"
        self.label = _label(source)
        self.sheet_name = f"{source}数据"
        self.fields = source_fields(source)
        self.columns = (
            Column("统一社会信用代码", "uscc", USCC(), required=True, width=22, example="91350100M000100Y43",
                   export=lambda record: record.enterprise.uscc,
                   help=gettext_lazy("企业的 18 位统一社会信用代码；企业须已在本园区登记。")),
            Column("企业名称", "enterprise_name", Text(200), width=30, example="示范科技有限公司",
                   export=lambda record: record.enterprise.name,
                   help=gettext_lazy("仅供核对，不导入：企业以统一社会信用代码为准。")),
            Column("评价年度", "year", Integer(minimum=MIN_YEAR, maximum=MAX_YEAR), required=True, width=10,
                   example="2025", help=gettext_lazy("数据所属的年度（4 位年份），如 2025。")),
            *SOURCE_COLUMNS[source],
        )
        self.notes = _notes(source)

    @property
    def key_label(self) -> str:
        return _("统一社会信用代码和评价年度")

    def key_of(self, values: dict):
        uscc, year = values.get("uscc"), values.get("year")
        return None if uscc is None or year is None else (uscc, year)

    def existing_for(self, *, zone, rows: list[dict]) -> dict:
        codes = sorted({r["uscc"] for r in rows})
        years = sorted({r["year"] for r in rows})
        found = {}
        qs = EvaluationData.objects.filter(zone=zone, year__in=years).select_related(*self.existing_related)
        for start in range(0, len(codes), LOOKUP_CHUNK):
            for record in qs.filter(enterprise__uscc__in=codes[start:start + LOOKUP_CHUNK]):
                found[(record.enterprise.uscc, record.year)] = record
        return found

    def prepare(self, *, zone, rows):
        """The zone's enterprises the file names, by USCC (whichever department keeps them)."""
        codes = sorted({r["uscc"] for r in rows})
        enterprises = {}
        qs = Enterprise.objects.filter(zone=zone).only("id", "zone_id", "uscc", "name")
        for start in range(0, len(codes), LOOKUP_CHUNK):
            for enterprise in qs.filter(uscc__in=codes[start:start + LOOKUP_CHUNK]):
                enterprises[enterprise.uscc] = enterprise
        return enterprises

    def complete(self, row, *, existing, context):
        enterprise = context.get(row["uscc"])
        if enterprise is None:
            return [("uscc", _("本园区没有统一社会信用代码为“%(code)s”的企业，请先登记或导入该企业。") % {
                "code": row["uscc"]})]
        row["enterprise_id"] = enterprise.pk
        return []

    def write(self, *, zone, department, rows, user, message) -> Counts:
        return self.write_file(zone=zone, department=department, rows=rows, user=user, message=message, filename="")

    def write_file(self, *, zone, department, rows, user, message, filename) -> Counts:
        result = evaluation_data_upsert(zone=zone, department=department, rows=rows, user=user, message=message,
                                        source=self.source, filename=filename)
        return Counts(result.created, result.updated, result.unchanged)

    def _delivered(self) -> Q:
        """Rows this agency delivered (by file, or typed in by an officer): what its export holds."""
        q = Q(sources__has_key=self.source)
        for field in self.fields:
            q |= Q(**{f"{field}__isnull": False})
        return q

    def queryset_for_user(self, *, user, filters) -> QuerySet:
        if user.role == Role.ENTERPRISE:  # like the data pages: an enterprise sees its figures in its results only
            return EvaluationData.objects.none()
        qs = EvaluationData.objects.visible_to(user).filter(self._delivered()).select_related("enterprise")
        filters = filters or {}
        year = str(filters.get("year", "")).strip()
        if year.isdigit():
            qs = qs.filter(year=int(year))
        text = str(filters.get("q", "")).strip()
        if text:
            qs = qs.filter(Q(enterprise__name__icontains=text) | Q(enterprise__uscc__icontains=text.upper()))
        return qs.order_by("-year", "enterprise__uscc")

    def queryset_for_zone(self, *, zone) -> QuerySet:
        return (EvaluationData.objects.filter(zone=zone).filter(self._delivered()).select_related("enterprise")
                .order_by("-year", "enterprise__uscc"))


def _label(source: str):
    return format_lazy(gettext_lazy("亩均评价数据（{source}）"), source=DataSource(source).label)


EVALUATION_DATA = {source: register(EvaluationDataImport(source)) for source in SOURCE_SLUGS}
