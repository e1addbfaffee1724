"""The facts table (事实表) of a zone and year: one row per enterprise, the columns a policy clause's rule reads.

Every column is documented in FACT_COLUMNS (shown on the facts page and in docs/policies.md). The table is
built with a handful of aggregate queries over the registers, never one query per enterprise, and computed
over the whole zone whatever department keeps the records: a fact is the zone's one figure for the firm.

Missing data stays null where it means "not reported" (tax, revenue, the 亩均 class …); counts and sums of
register records are 0 when the enterprise has none.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import polars as pl
from django.db.models import Case, Count, IntegerField, Max, Q, Sum, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gaoxin.core import industry
from gaoxin.enterprises.models import Enterprise, EnterpriseStatus
from gaoxin.evaluation.models import EvaluationData, EvaluationResult, RunStatus
from gaoxin.investment.models import Signing
from gaoxin.land.selectors import enterprise_land_areas
from gaoxin.transformation.models import (
    InstitutionLevel,
    Kind,
    Level,
    Recognition,
    RecognitionKind,
    RndInstitution,
    TransformationProject,
)

MIN_YEAR = 2000
CENTS = Decimal("0.01")
# Enterprises that are in the zone's register at the end of the year (the register keeps no status history:
# a firm that moved out or was cancelled is left out of every year).
LIVE_STATUSES = (EnterpriseStatus.OPERATING, EnterpriseStatus.SUSPENDED)
# MIIT's 智能工厂梯度培育 levels as the numbers smart_factory_miit_level holds
MIIT_LEVELS = {Level.BASIC: 1, Level.ADVANCED: 2, Level.EXCELLENT: 3, Level.LEADING: 4}
DTYPES = {"int": pl.Int64, "decimal": pl.Float64, "text": pl.String}


@dataclass(frozen=True)
class FactColumn:
    name: str
    label: str
    dtype: str  # "int" | "decimal" | "text"
    source: str
    description: str


ENTERPRISES = _("企业库")
PROJECTS = _("智改数转项目")
INSTITUTIONS = _("研发机构")
RECOGNITIONS = _("企业认定")
EVALUATION = _("亩均评价结果（已定稿）")
SIGNINGS = _("签约项目")
DATA = _("亩均评价数据")
LAND = _("土地与租赁台账")

FACT_COLUMNS: tuple[FactColumn, ...] = (
    FactColumn("name", _("企业名称"), "text", ENTERPRISES, _("企业库中的企业名称。")),
    FactColumn("industry_code", _("行业代码"), "text", ENTERPRISES, _("GB/T 4754-2017 小类代码（4 位数字）。")),
    FactColumn("industry_division", _("行业大类"), "text", ENTERPRISES, _("行业代码的前两位（大类），如 39。")),
    FactColumn("industry_section", _("行业门类"), "text", ENTERPRISES, _("行业代码所属门类字母，如制造业为 C。")),
    FactColumn("size", _("规模"), "text", ENTERPRISES, _("规上或规下。")),
    FactColumn("area", _("所属片区"), "text", ENTERPRISES, _("企业所属片区或街道；未填写为空。")),
    FactColumn("smart_retrofit_started", _("当年开始的智能化改造项目数"), "int", PROJECTS,
       _("项目类型为智能化改造、开始实施日期在当年的项目个数。")),
    FactColumn("smart_retrofit_equipment_wan", _("当年完成的智能化改造设备投资（万元）"), "decimal", PROJECTS,
       _("项目类型为智能化改造、完成日期在当年的项目设备投资之和；没有为 0。")),
    FactColumn("digital_retrofit_started", _("当年开始的数字化改造项目数"), "int", PROJECTS,
       _("项目类型为数字化改造、开始实施日期在当年的项目个数。")),
    FactColumn("digital_retrofit_investment_wan", _("当年完成的数字化改造投资（万元）"), "decimal", PROJECTS,
       _("项目类型为数字化改造、完成日期在当年的项目设备投资与软件投资之和；没有为 0。")),
    FactColumn("green_retrofit_started", _("当年开始的绿色化改造项目数"), "int", PROJECTS,
       _("项目类型为绿色化改造、开始实施日期在当年的项目个数。")),
    FactColumn("green_retrofit_equipment_wan", _("当年完成的绿色化改造设备投资（万元）"), "decimal", PROJECTS,
       _("项目类型为绿色化改造、完成日期在当年的项目设备投资之和；没有为 0。")),
    FactColumn("smart_factory_new", _("当年新认定智能工厂数"), "int", PROJECTS,
       _("项目类型为智能工厂、认定日期在当年的项目个数（任何级别）。")),
    FactColumn("smart_factory_city_new", _("当年新认定市级智能工厂数"), "int", PROJECTS,
       _("其中认定级别为市级的个数。")),
    FactColumn("digital_workshop_new", _("当年新认定数字化车间数"), "int", PROJECTS,
       _("项目类型为数字化车间、认定日期在当年的项目个数（任何级别）。")),
    FactColumn("digital_workshop_city_new", _("当年新认定市级数字化车间数"), "int", PROJECTS,
       _("其中认定级别为市级的个数。")),
    FactColumn("digital_line_new", _("当年新认定数字化生产线数"), "int", PROJECTS,
       _("项目类型为数字化生产线、认定日期在当年的项目个数（任何级别）。")),
    FactColumn("digital_line_city_new", _("当年新认定市级数字化生产线数"), "int", PROJECTS,
       _("其中认定级别为市级的个数。")),
    FactColumn("smart_factory_miit_level", _("智能工厂最高梯度级别"), "int", PROJECTS,
       _("截至当年 12 月 31 日认定的智能工厂（工信部梯度培育）最高级别：0 无，1 基础级，2 先进级，3 卓越级，4 领航级。")),
    FactColumn("rnd_new", _("当年新认定研发机构数"), "int", INSTITUTIONS, _("认定日期在当年的研发机构个数（任何级别）。")),
    FactColumn("rnd_new_national", _("当年新认定国家级研发机构数"), "int", INSTITUTIONS, _("其中级别为国家级的个数。")),
    FactColumn("rnd_new_provincial", _("当年新认定省级研发机构数"), "int", INSTITUTIONS, _("其中级别为省级（直辖市级）的个数。")),
    FactColumn("rnd_new_city", _("当年新认定市级研发机构数"), "int", INSTITUTIONS, _("其中级别为市级的个数。")),
    FactColumn("rnd_new_district", _("当年新认定区级研发机构数"), "int", INSTITUTIONS, _("其中级别为区级的个数。")),
    FactColumn("high_tech", _("高新技术企业（年末有效）"), "int", RECOGNITIONS,
       _("当年 12 月 31 日有有效的高新技术企业认定为 1（认定日期不晚于该日，有效期至为空或不早于该日），否则为 0。")),
    FactColumn("high_tech_new", _("当年新认定高新技术企业"), "int", RECOGNITIONS, _("认定日期在当年的高新技术企业认定个数。")),
    FactColumn("specialized_new", _("当年新认定专精特新中小企业"), "int", RECOGNITIONS,
       _("认定日期在当年的专精特新中小企业认定个数。")),
    FactColumn("little_giant_new", _("当年新认定专精特新“小巨人”"), "int", RECOGNITIONS,
       _("认定日期在当年的专精特新“小巨人”企业认定个数。")),
    FactColumn("mu_class", _("当年亩均评价档次"), "text", EVALUATION,
       _("当年已定稿的亩均评价中该企业的最终档次（如 A）；未定稿、未参评或不参评为空。")),
    FactColumn("mu_class_prev", _("上年亩均评价档次"), "text", EVALUATION, _("上一年已定稿的亩均评价中的最终档次；没有为空。")),
    FactColumn("signed_projects", _("当年签约项目数"), "int", SIGNINGS, _("项目公司为该企业、签约日期在当年的签约项目个数。")),
    FactColumn("signed_investment_wan", _("当年签约合同投资额（万元）"), "decimal", SIGNINGS,
       _("上述签约项目的合同投资额之和；没有为 0。")),
    FactColumn("tax_wan", _("实缴税收（万元）"), "decimal", DATA, _("当年评价数据中的实缴税收；未报送为空。")),
    FactColumn("revenue_wan", _("营业收入（万元）"), "decimal", DATA, _("当年评价数据中的营业收入；未报送为空。")),
    FactColumn("output_wan", _("工业总产值（万元）"), "decimal", DATA, _("当年评价数据中的工业总产值；未报送为空。")),
    FactColumn("value_added_wan", _("工业增加值（万元）"), "decimal", DATA, _("当年评价数据中的工业增加值；未报送为空。")),
    FactColumn("rd_wan", _("研发经费支出（万元）"), "decimal", DATA, _("当年评价数据中的研发经费支出；未报送为空。")),
    FactColumn("land_mu", _("用地面积（亩）"), "decimal", LAND,
       _("当年 12 月 31 日的评价用地面积（土地台账：持有的已供地块，扣除出租分摊，加上承租分摊）；没有为 0。")),
    FactColumn("leased_area_m2", _("租赁面积（平方米）"), "decimal", LAND, _("当年 12 月 31 日仍在租期内的租赁建筑面积之和；没有为 0。")),
)
# figures an enterprise reports: null when it did not (a sum of register records is 0 instead)
REPORTED = frozenset({"tax_wan", "revenue_wan", "output_wan", "value_added_wan", "rd_wan"})
COLUMN_NAMES = tuple(c.name for c in FACT_COLUMNS)
COLUMNS_BY_NAME = {c.name: c for c in FACT_COLUMNS}
FACTS_SCHEMA: dict[str, pl.DataType] = {"entity": pl.String, **{c.name: DTYPES[c.dtype] for c in FACT_COLUMNS}}


@dataclass(frozen=True)
class FactRow:
    enterprise_id: int
    values: dict  # "entity" (USCC) then every FACT_COLUMNS name: int, Decimal (two places), str or None


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def latest_year() -> int:
    """The newest year whose facts can exist: the current one (usually incomplete)."""
    return timezone.localdate().year


def default_year() -> int:
    """Rewards are decided on a finished year: last year's facts."""
    return latest_year() - 1


def parse_year(raw) -> int | None:
    """A year the facts can be built for, from user input; None when it is not one."""
    try:
        year = int(str(raw).strip())
    except (TypeError, ValueError):
        return None
    return year if MIN_YEAR <= year <= latest_year() else None


def empty_frame() -> pl.DataFrame:
    """No rows, the facts' columns and types: enough to check that a rule's SQL can be computed."""
    return pl.DataFrame(schema=FACTS_SCHEMA)


def _in_year(field: str, start: dt.date, end: dt.date) -> Q:
    return Q(**{f"{field}__gte": start, f"{field}__lte": end})


def _money(value) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(CENTS)


def _transformation(zone, ids, start, end) -> dict[int, dict]:
    started = _in_year("started_on", start, end)
    completed = _in_year("completed_on", start, end)
    certified = _in_year("certified_on", start, end)
    city = Q(level=Level.CITY)
    miit = Case(*(When(level=level, then=n) for level, n in MIIT_LEVELS.items()), default=0,
                output_field=IntegerField())

    def count(kind, extra: Q):
        return Count("pk", filter=Q(kind=kind) & extra)

    def total(field, kind):
        return Sum(field, filter=Q(kind=kind) & completed)

    rows = (TransformationProject.objects.filter(zone=zone, enterprise_id__in=ids)
            .filter(started | completed | Q(certified_on__lte=end))
            .values("enterprise_id").order_by()
            .annotate(smart_retrofit_started=count(Kind.SMART_RETROFIT, started),
                      smart_retrofit_equipment_wan=total("equipment_investment_wan", Kind.SMART_RETROFIT),
                      digital_retrofit_started=count(Kind.DIGITAL_RETROFIT, started),
                      digital_equipment=total("equipment_investment_wan", Kind.DIGITAL_RETROFIT),
                      digital_software=total("software_investment_wan", Kind.DIGITAL_RETROFIT),
                      green_retrofit_started=count(Kind.GREEN_RETROFIT, started),
                      green_retrofit_equipment_wan=total("equipment_investment_wan", Kind.GREEN_RETROFIT),
                      smart_factory_new=count(Kind.SMART_FACTORY, certified),
                      smart_factory_city_new=count(Kind.SMART_FACTORY, certified & city),
                      digital_workshop_new=count(Kind.DIGITAL_WORKSHOP, certified),
                      digital_workshop_city_new=count(Kind.DIGITAL_WORKSHOP, certified & city),
                      digital_line_new=count(Kind.DIGITAL_LINE, certified),
                      digital_line_city_new=count(Kind.DIGITAL_LINE, certified & city),
                      smart_factory_miit_level=Max(miit, filter=Q(kind=Kind.SMART_FACTORY, certified_on__lte=end))))
    result = {}
    for row in rows:
        pk = row.pop("enterprise_id")
        equipment, software = row.pop("digital_equipment"), row.pop("digital_software")
        row["digital_retrofit_investment_wan"] = (equipment or 0) + (software or 0)
        row["smart_factory_miit_level"] = row["smart_factory_miit_level"] or 0
        result[pk] = row
    return result


def _institutions(zone, ids, start, end) -> dict[int, dict]:
    levels = {"rnd_new_national": InstitutionLevel.NATIONAL, "rnd_new_provincial": InstitutionLevel.PROVINCIAL,
              "rnd_new_city": InstitutionLevel.CITY, "rnd_new_district": InstitutionLevel.DISTRICT}
    rows = (RndInstitution.objects.filter(zone=zone, enterprise_id__in=ids).filter(_in_year("recognized_on", start, end))
            .values("enterprise_id").order_by()
            .annotate(rnd_new=Count("pk"), **{k: Count("pk", filter=Q(level=v)) for k, v in levels.items()}))
    return {row.pop("enterprise_id"): row for row in rows}


def _recognitions(zone, ids, start, end) -> dict[int, dict]:
    new = _in_year("recognized_on", start, end)
    valid = Q(kind=RecognitionKind.HIGH_TECH, recognized_on__lte=end) & (
        Q(valid_until__isnull=True) | Q(valid_until__gte=end))
    rows = (Recognition.objects.filter(zone=zone, enterprise_id__in=ids).filter(new | valid)
            .values("enterprise_id").order_by()
            .annotate(high_tech=Count("pk", filter=valid),
                      high_tech_new=Count("pk", filter=new & Q(kind=RecognitionKind.HIGH_TECH)),
                      specialized_new=Count("pk", filter=new & Q(kind=RecognitionKind.SPECIALIZED)),
                      little_giant_new=Count("pk", filter=new & Q(kind=RecognitionKind.LITTLE_GIANT))))
    result = {}
    for row in rows:
        row["high_tech"] = 1 if row["high_tech"] else 0
        result[row.pop("enterprise_id")] = row
    return result


def _classes(zone, ids, year) -> dict[int, dict]:
    rows = (EvaluationResult.objects.filter(run__zone=zone, run__status=RunStatus.FINAL,
                                            run__year__in=[year, year - 1], enterprise_id__in=ids)
            .values_list("enterprise_id", "run__year", "final_class"))
    result: dict[int, dict] = {}
    for pk, run_year, label in rows:
        key = "mu_class" if run_year == year else "mu_class_prev"
        result.setdefault(pk, {})[key] = label or None  # 不参评: no class
    return result


def _signings(zone, ids, start, end) -> dict[int, dict]:
    rows = (Signing.objects.filter(zone=zone, project__enterprise_id__in=ids).filter(_in_year("date", start, end))
            .values("project__enterprise_id").order_by()
            .annotate(signed_projects=Count("pk"), signed_investment_wan=Sum("contract_investment_wan")))
    return {row.pop("project__enterprise_id"): row for row in rows}


def _figures(zone, ids, year) -> dict[int, dict]:
    rows = (EvaluationData.objects.filter(zone=zone, year=year, enterprise_id__in=ids)
            .values_list("enterprise_id", "tax", "revenue", "output", "value_added", "rd"))
    return {pk: {"tax_wan": tax, "revenue_wan": revenue, "output_wan": output, "value_added_wan": va, "rd_wan": rd}
            for pk, tax, revenue, output, va, rd in rows}


def _land(zone, ids, end, *, whole_zone: bool) -> dict[int, dict]:
    areas = enterprise_land_areas(zone=zone, as_of=end, enterprise_ids=None if whole_zone else list(ids))
    return {pk: {"land_mu": a.land_mu, "leased_area_m2": a.leased_floor_m2} for pk, a in areas.items()}


def _rows(zone, year: int, enterprises, *, whole_zone: bool) -> list[FactRow]:
    start, end = year_bounds(year)
    firms = list(enterprises.values_list("id", "uscc", "name", "industry_code", "size", "area").order_by("uscc"))
    ids = [f[0] for f in firms]
    # the population as a subquery: one list of ids sent once, whatever the size of the zone
    id_query = enterprises.values("id")
    parts = [
        _transformation(zone, id_query, start, end),
        _institutions(zone, id_query, start, end),
        _recognitions(zone, id_query, start, end),
        _classes(zone, id_query, year),
        _signings(zone, id_query, start, end),
        _figures(zone, id_query, year),
        _land(zone, ids, end, whole_zone=whole_zone),
    ]
    rows = []
    for pk, uscc, name, code, size, area in firms:
        section = _section(code)
        values = {"entity": uscc, "name": name, "industry_code": code, "industry_division": code[:2] or None,
                  "industry_section": section, "size": size, "area": area or None}
        for part in parts:
            values.update(part.get(pk, {}))
        for column in FACT_COLUMNS:
            value = values.get(column.name)
            if column.dtype == "int":
                values[column.name] = int(value or 0)
            elif column.dtype == "decimal":
                values[column.name] = _money(0 if value is None and column.name not in REPORTED else value)
            else:
                values.setdefault(column.name, None)
        rows.append(FactRow(pk, {"entity": uscc, **{c: values[c] for c in COLUMN_NAMES}}))
    return rows


def _section(code: str) -> str | None:
    category = industry.lookup(code)
    return category.section if category else None


def population(*, zone, year: int):
    """The enterprises of a year's facts: in the register and not moved out or cancelled, registered by its end."""
    _start, end = year_bounds(year)
    return Enterprise.objects.filter(zone=zone, status__in=LIVE_STATUSES).filter(
        Q(registration_date__isnull=True) | Q(registration_date__lte=end))


def fact_rows(*, zone, year: int) -> list[FactRow]:
    """Every enterprise of the year's population with its facts, ordered by USCC."""
    return _rows(zone, year, population(zone=zone, year=year), whole_zone=True)


def frame_of(rows: list[FactRow]) -> pl.DataFrame:
    """The facts as the rule engine reads them (decimals as Float64, read back through their shortest repr)."""
    def cell(value):
        return float(value) if isinstance(value, Decimal) else value

    data = [tuple(cell(row.values[c]) for c in FACTS_SCHEMA) for row in rows]
    return pl.DataFrame(data, schema=FACTS_SCHEMA, orient="row") if data else empty_frame()


def facts_frame(*, zone, year: int) -> pl.DataFrame:
    """One row per enterprise of the zone's year: `entity` (USCC), then every FACT_COLUMNS column."""
    return frame_of(fact_rows(zone=zone, year=year))


def facts_row(*, zone, year: int, enterprise) -> dict:
    """The same columns for one enterprise (whatever its status), with Python values (Decimal for amounts)."""
    zone_id = getattr(zone, "pk", zone)
    rows = _rows(zone_id, year, Enterprise.objects.filter(zone_id=zone_id, pk=enterprise.pk), whole_zone=False)
    if not rows:
        return {}
    return rows[0].values


def json_safe(values: dict) -> dict:
    """A facts row as JSON values: amounts as decimal strings ("200.00"), so nothing is lost."""
    return {k: str(v) if isinstance(v, Decimal) else v for k, v in values.items()}


def column_options() -> list[tuple[str, str, str]]:
    """(name, label, type) of every column, for the clause form's list of what a rule may use."""
    return [(c.name, str(c.label), c.dtype) for c in FACT_COLUMNS]
