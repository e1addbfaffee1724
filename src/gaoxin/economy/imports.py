"""Official figures by import: `indicators` (本区) and `city-indicators` (全市), one row per indicator and
cumulative period. Headers are the file format of issue 6 and never translated.

A row whose figure differs from the current one becomes a new revision (the old one stays in the history);
the same figure again is counted as unchanged, so an export imports back without changing anything.
"""

import datetime as dt
import re

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gaoxin.core.imports import CellError, Column, Counts, ImportSpec, register
from gaoxin.core.imports.parsers import Choice, Code, DecimalNumber, Text, display, halfwidth

from .models import Indicator, IndicatorKind, Observation, ObservationStatus, Region
from .selectors.indicators import observations_visible_to
from .services.observations import observation_problems, observations_upsert

PERIOD_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")
SHOWN_NAMES = 6  # valid names listed in an unknown-indicator error


class PeriodCell(Code):
    """YYYY-MM, cumulative from January. A cell Excel turned into a date (2024-06 → 2024-06-01) is accepted."""

    def __init__(self):
        super().__init__(7)

    def parse(self, value):
        if isinstance(value, dt.datetime | dt.date):
            return (value.year, value.month)
        text = halfwidth(display(value))
        match = PERIOD_TEXT.match(text)
        if not match:
            raise CellError(_("期间应为 YYYY-MM（1 月至该月累计），如 2024-06。"))
        year, month = int(match.group(1)), int(match.group(2))
        if not 1 <= month <= 12:
            raise CellError(_("期间的月份应为 01–12，实际为 %(month)s。") % {"month": month})
        if not 2000 <= year <= 2100:
            raise CellError(_("期间的年份应在 2000–2100 之间。"))
        return (year, month)

    def describe(self) -> str:
        return _("YYYY-MM，文本格式，如 2024-06（1 月至 6 月累计）")


def _official_names(zone) -> list[str]:
    return list(Indicator.objects.filter(zone=zone, kind=IndicatorKind.OFFICIAL, is_active=True)
                .order_by("order", "id").values_list("name", flat=True))


def _period_export(obs) -> str:
    return obs.period_label


class _IndicatorImport(ImportSpec):
    model = Observation
    key = "indicator_ref"
    region: str
    list_url = "economy:indicator_list"
    default_department_code = "gfj"  # 改革发展局 keeps the statistics in most zones
    existing_related = ("department",)
    columns = (
        Column("指标", "indicator_ref", Text(60), required=True, model_field="indicator", width=22,
               example="固定资产投资", suggestions=_official_names, export=lambda o: o.indicator.name,
               help=gettext_lazy("本园区指标目录中已启用的官方统计指标的名称或代码，如“固定资产投资”或 fixed_asset_investment；"
                                 "平台计算的指标（签约项目等）不能导入。")),
        Column("期间", "period", PeriodCell(), required=True, model_field="month", width=10, example="2024-06",
               export=_period_export,
               help=gettext_lazy("累计期间，YYYY-MM：1 月至该月累计；季度指标（如地区生产总值）只能是 03、06、09、12 月。")),
        Column("累计值", "value", DecimalNumber(max_digits=18, places=4), width=14, example="120.5",
               help=gettext_lazy("1 月至该月的累计值，单位为该指标在指标目录中的计量单位（如亿元）；不能为负数。")),
        Column("累计增速（%）", "growth_pct", DecimalNumber(max_digits=9, places=2), width=14, example="12.2",
               help=gettext_lazy("官方公布的累计同比增速，百分数，如 12.2 表示增长 12.2%；按公布数填写，系统不由累计值推算。")),
        Column("来源", "source", Text(200), width=20, example="区统计局",
               help=gettext_lazy("数据来源，如 区统计局月报；留空时修订沿用原来源。")),
        Column("状态", "status", Choice(ObservationStatus), width=8, example="初步",
               help=gettext_lazy("初步、修订或最终；留空时首次数据为“初步”，改变已有数据时为“修订”。")),
    )
    notes = (
        gettext_lazy("7. 每个指标每个期间一行；累计值和累计增速至少填写一项；累计值的单位是该指标在指标目录中的计量单位"
                     "（默认目录中均为亿元），不要换算。"),
        gettext_lazy("8. 与现有数据不同的行作为新版次（修订）保存，原数据保留在历史中；与现有数据相同的行不做改变。"
                     "尚未到来的月份不能填报。"),
    )

    @property
    def key_label(self) -> str:
        return _("指标和期间")

    def key_of(self, values: dict):
        ref, period = values.get("indicator_ref"), values.get("period")
        return None if ref is None or period is None else (ref.casefold(), period)

    def _indicators(self, zone) -> dict[str, Indicator]:
        found = {}
        for indicator in Indicator.objects.filter(zone=zone).order_by("order", "id"):
            found.setdefault(indicator.code.casefold(), indicator)
            found.setdefault(indicator.name.casefold(), indicator)
        return found

    def existing_for(self, *, zone, rows: list[dict]) -> dict:
        """The current figure of each row's indicator and period in this region (for the department check)."""
        indicators = self._indicators(zone)
        wanted = {}
        for row in rows:
            key = self.key_of(row)
            indicator = indicators.get(key[0]) if key else None
            if indicator is not None:
                wanted[(indicator.pk, *row["period"])] = key
        if not wanted:
            return {}
        found = {}
        qs = Observation.objects.filter(zone=zone, region=self.region, is_current=True,
                                        indicator_id__in={k[0] for k in wanted}).select_related("department")
        for obs in qs:
            key = wanted.get((obs.indicator_id, obs.year, obs.month))
            if key is not None:
                found[key] = obs
        return found

    def prepare(self, *, zone, rows):
        return {"indicators": self._indicators(zone), "names": _official_names(zone), "seen": {}}

    def complete(self, row, *, existing, context):
        ref = row.pop("indicator_ref")
        indicator = context["indicators"].get(ref.casefold())
        if indicator is None or indicator.kind != IndicatorKind.OFFICIAL or not indicator.is_active:
            names = context["names"]
            listed = "、".join(names[:SHOWN_NAMES]) + ("等" if len(names) > SHOWN_NAMES else "")
            if indicator is not None and indicator.kind == IndicatorKind.COMPUTED:
                reason = _("“%(ref)s”由平台根据业务记录计算，不能导入；可导入的官方统计指标有：%(names)s。")
            elif indicator is not None:
                reason = _("指标“%(ref)s”已停用，不能导入；可导入的官方统计指标有：%(names)s。")
            else:
                reason = _("本园区没有名称或代码为“%(ref)s”的官方统计指标；可导入的有：%(names)s。")
            return [("indicator", reason % {"ref": ref, "names": listed or _("（无，请先在指标目录中添加）")})]
        year, month = row.pop("period")
        # a name and a code of the same indicator in two rows are the same key
        first = context["seen"].setdefault((indicator.pk, year, month), ref)
        if first != ref:
            return [("indicator", _("“%(ref)s”与“%(first)s”是同一指标，同一指标同一期间在文件中只能出现一次。") % {
                "ref": ref, "first": first})]
        row.update(indicator_id=indicator.pk, indicator=indicator, year=year, month=month)
        problems = observation_problems(indicator=indicator, year=year, month=month, value=row.get("value"),
                                        growth_pct=row.get("growth_pct"))
        return list(problems.items())

    def instance(self, row, *, existing, zone, department, context):
        obs = Observation(zone_id=zone.pk, department_id=department.pk, indicator=row["indicator"],
                          region=self.region, year=row["year"], month=row["month"], value=row.get("value"),
                          growth_pct=row.get("growth_pct"), source=row.get("source") or "",
                          status=row.get("status") or ObservationStatus.PRELIMINARY)
        obs.zone = zone
        return obs

    def write(self, *, zone, department, rows, user, message) -> Counts:
        fields = ("indicator_id", "year", "month", "value", "growth_pct", "source", "status")
        result = observations_upsert(zone=zone, department=department, region=self.region, user=user,
                                     message=message, rows=[{f: r.get(f) for f in fields} for r in rows])
        return Counts(result.created, result.updated, result.unchanged)

    def _current(self, qs) -> QuerySet:
        return (qs.filter(region=self.region, is_current=True, indicator__kind=IndicatorKind.OFFICIAL)
                .select_related("indicator").order_by("indicator__order", "indicator_id", "year", "month"))

    def queryset_for_user(self, *, user, filters) -> QuerySet:
        qs = self._current(observations_visible_to(user))
        filters = filters or {}
        if filters.get("indicator"):
            qs = qs.filter(indicator__code=filters.get("indicator"))
        year = str(filters.get("year") or "")
        if year.isdigit():
            qs = qs.filter(year=int(year))
        zone = filters.get("zone")
        if zone:
            qs = qs.filter(zone__code=zone)
        return qs

    def queryset_for_zone(self, *, zone) -> QuerySet:
        return self._current(Observation.objects.filter(zone=zone))


class IndicatorImport(_IndicatorImport):
    kind = "indicators"
    label = gettext_lazy("经济指标数据")
    sheet_name = "经济指标数据"
    region = Region.ZONE


class CityIndicatorImport(_IndicatorImport):
    kind = "city-indicators"
    label = gettext_lazy("全市经济指标数据")
    sheet_name = "全市经济指标数据"
    region = Region.CITY


INDICATORS = register(IndicatorImport())
CITY_INDICATORS = register(CityIndicatorImport())
