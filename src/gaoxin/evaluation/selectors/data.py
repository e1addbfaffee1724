"""The evaluation data of a zone and year, as the engine reads it: one Polars row per enterprise.

`evaluation_inputs` is what a run freezes and what the completeness page shows, so the two can never
disagree. Its columns (the names a scheme's expressions use) are listed in docs/evaluation-data.md.
"""

import datetime as dt
from dataclasses import dataclass

import polars as pl
from django.db.models import Q
from django.utils.translation import gettext as _

from gaoxin.core import industry
from gaoxin.enterprises.models import Enterprise, EnterpriseStatus
from gaoxin.land.selectors import enterprise_land_areas

from ..models import DATA_FIELDS, DataSource, EvaluationData

# 门类 of the enterprises evaluated by default: 采矿业, 制造业, 电力热力燃气及水生产和供应业 (工业).
INDUSTRIAL_SECTIONS = ("B", "C", "D")
# 大类 44–46 (电力、热力、燃气、水的生产和供应，含污水处理) are public utilities: listed as 不参评.
UTILITY_DIVISIONS = ("44", "45", "46")
NEW_FIRM_YEARS = 3
BOOLEAN_FIELDS = ("env_violation", "illegal_land", "major_accident")
NUMBER_FIELDS = tuple(f for f in DATA_FIELDS if f not in BOOLEAN_FIELDS)
# Each agency's short name in URLs and import kinds (`evaluation-<slug>`), in the order pages list them.
SOURCE_SLUGS: dict[str, str] = {
    DataSource.TAX: "tax", DataSource.STATISTICS: "statistics", DataSource.POWER: "power",
    DataSource.ENVIRONMENT: "environment", DataSource.NATURAL_RESOURCES: "land",
}


def source_fields(source: str) -> tuple[str, ...]:
    """The EvaluationData fields one agency's file delivers, in the model's order."""
    return tuple(f for f, s in DATA_FIELDS.items() if s == source)

# Column → dtype of the frame, in the order the completeness page and the frozen inputs show them.
SCHEMA: dict[str, pl.DataType] = {
    "uscc": pl.String, "enterprise_id": pl.Int64, "name": pl.String, "size": pl.String,
    "industry": pl.String, "division": pl.String, "area": pl.String, "status": pl.String,
    "age_years": pl.Float64, "land_mu": pl.Float64, "land_mu_register": pl.Float64, "land_source": pl.String,
    **{f: pl.Float64 for f in NUMBER_FIELDS},
    **{f: pl.Boolean for f in BOOLEAN_FIELDS},
    "exempt_reason": pl.String, "has_data": pl.Boolean,
}


@dataclass(frozen=True)
class EvaluationInputs:
    year: int
    land_as_of: dt.date
    frame: pl.DataFrame  # SCHEMA; every enterprise of the year's population, exempt ones included

    @property
    def evaluated(self) -> pl.DataFrame:
        return self.frame.filter(pl.col("exempt_reason") == "")

    @property
    def exempt(self) -> pl.DataFrame:
        return self.frame.filter(pl.col("exempt_reason") != "")


def land_as_of(year: int) -> dt.date:
    """Land is measured on the last day of the evaluated year."""
    return dt.date(year, 12, 31)


def _number(value) -> float | None:
    # str() first: float(Decimal) is exact to the nearest double as well, but this keeps one path for ints
    return None if value is None else float(str(value))


def _age_years(registered: dt.date | None, as_of: dt.date) -> float | None:
    return None if registered is None else (as_of - registered).days / 365.25


def exempt_reason(*, industry_code: str, registered: dt.date | None, as_of: dt.date, manual: str = "") -> str:
    """Why an enterprise is 不参评 for the year ending `as_of`, or "" when it is evaluated.

    An officer's reason (e.g. a major project in its transition period) comes first; then public utilities
    (大类 44–46); then firms registered less than three years before the end of the year.
    """
    if manual.strip():
        return manual.strip()
    if industry_code[:2] in UTILITY_DIVISIONS:
        return _("公用事业（电力、热力、燃气及水的生产和供应业）")
    if registered is not None:
        try:
            threshold = as_of.replace(year=as_of.year - NEW_FIRM_YEARS)
        except ValueError:  # 29 February
            threshold = as_of.replace(year=as_of.year - NEW_FIRM_YEARS, day=28)
        if registered > threshold:
            return _("成立未满 %(n)s 年（%(date)s 成立）") % {"n": NEW_FIRM_YEARS, "date": registered.isoformat()}
    return ""


def evaluation_population(*, zone, year: int):
    """The enterprises of a year: industrial ones in operation or suspended, plus any with data that year."""
    with_data = EvaluationData.objects.filter(zone=zone, year=year).values("enterprise_id")
    industrial = Q(status__in=[EnterpriseStatus.OPERATING, EnterpriseStatus.SUSPENDED],
                   industry_code__regex=_industrial_pattern())
    return Enterprise.objects.filter(zone=zone).filter(industrial | Q(pk__in=with_data))


def _industrial_pattern() -> str:
    divisions = sorted(c.code for c in industry.categories("大类") if c.section in INDUSTRIAL_SECTIONS)
    return r"^(" + "|".join(divisions) + r")"


def evaluation_inputs(*, zone, year: int) -> EvaluationInputs:
    """Every enterprise of the year's population with its figures, land area and 不参评 reason."""
    as_of = land_as_of(year)
    enterprises = list(evaluation_population(zone=zone, year=year)
                       .values_list("id", "uscc", "name", "size", "industry_code", "area", "status",
                                    "registration_date").order_by("uscc"))
    data = {d.enterprise_id: d for d in EvaluationData.objects.filter(zone=zone, year=year)}
    land = enterprise_land_areas(zone=zone, as_of=as_of)
    rows = []
    for pk, uscc, name, size, code, area, status, registered in enterprises:
        record = data.get(pk)
        register_mu = land[pk].land_mu if pk in land else None
        if record is not None and record.land_mu_override is not None:
            land_mu, source = record.land_mu_override, _("调整：%(reason)s") % {"reason": record.land_mu_reason}
        elif register_mu is not None:
            land_mu, source = register_mu, _("土地台账")
        else:
            land_mu, source = None, _("土地台账无记录")
        rows.append((
            uscc, pk, name, size, code, code[:2], area, status, _age_years(registered, as_of),
            _number(land_mu), _number(register_mu), source,
            *(_number(getattr(record, f)) if record else None for f in NUMBER_FIELDS),
            *(getattr(record, f) if record else None for f in BOOLEAN_FIELDS),
            exempt_reason(industry_code=code, registered=registered, as_of=as_of,
                          manual=record.exempt_reason if record else ""),
            record is not None,
        ))
    return EvaluationInputs(year=year, land_as_of=as_of, frame=pl.DataFrame(rows, schema=SCHEMA, orient="row"))
