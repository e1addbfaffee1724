"""How complete a year's evaluation data is, per enterprise, before anything is run.

Built on `evaluation_inputs` (what a run freezes) and the engine itself: the year's active scheme is
evaluated over the population and an indicator counts as missing for an enterprise exactly when the
run would find its `<code>_value` missing (an input is empty, or the denominator is not positive). So
this page can never disagree with the run. Only enterprises in one of the scheme's groups are checked;
exempt ones (不参评) are listed with their reason.

Scope: leaders read the whole zone. Department staff read the rows their department keeps and the
population's enterprises that have no row yet (so that whoever runs the evaluation sees who is missing);
a row kept by another department is not shown to them. Administrators and enterprise users read nothing
here (the pages refuse them).
"""

import datetime as dt
import re
from dataclasses import dataclass, field

import polars as pl
from django.utils.translation import gettext as _

from gaoxin.core.permissions import Role, can_write
from gaoxin.enterprises.models import Enterprise

from ..engine import InputError, evaluate
from ..models import DATA_FIELDS, EvaluationData, EvaluationScheme, SchemeStatus
from ..scheme import Scheme, SchemeError, parse_expression, parse_scheme
from .data import SOURCE_SLUGS, evaluation_inputs, source_fields
from .schemes import active_scheme

IMPORTED, MANUAL, MISSING = "imported", "manual", ""
SHOW_CHOICES = ("incomplete", "complete", "exempt", "nodata")
SORTS = {"uscc": "uscc", "name": "name", "size": "size", "land_mu": "land_mu", "sources": "sources_delivered",
         "missing": "missing_count", "exempt": "exempt_reason"}


@dataclass(frozen=True)
class Completeness:
    year: int
    land_as_of: dt.date
    scheme: EvaluationScheme | None
    # why the indicator check could not run (no active scheme, a scheme or input problem); empty when it ran
    problems: list[str]
    checked: bool  # whether `missing` reflects the scheme
    frame: pl.DataFrame  # one row per enterprise the reader may see, see `_frame`
    summary: dict = field(default_factory=dict)


def input_labels() -> dict[str, str]:
    """Short Chinese names of the input columns, for "缺：…" (units dropped: they are on the data page)."""
    labels = {f: re.sub(r"（[^）]*）$", "", str(EvaluationData._meta.get_field(f).verbose_name))
              for f in (*DATA_FIELDS, "major_accident")}
    labels.update({
        "land_mu": _("用地面积"), "size": _("规模"), "industry": _("行业代码"), "division": _("行业大类"),
        "area": _("所属片区"), "age_years": _("成立年限"), "status": _("经营状态"), "uscc": _("统一社会信用代码"),
    })
    return labels


def _records(*, zone, year: int) -> pl.DataFrame:
    """Who keeps each row of the year and which agencies' files delivered it (when, which file)."""
    rows = []
    for pk, enterprise_id, department_id, department, override, sources in (
            EvaluationData.objects.filter(zone=zone, year=year)
            .values_list("pk", "enterprise_id", "department_id", "department__name", "land_mu_override", "sources")):
        sources = sources or {}
        rows.append((enterprise_id, pk, department_id, department, override is not None,
                     *((sources.get(s) or {}).get("at", "") if s in sources else None for s in SOURCE_SLUGS)))
    schema = {"enterprise_id": pl.Int64, "data_id": pl.Int64, "keeper_id": pl.Int64, "keeper": pl.String,
              "land_adjusted": pl.Boolean, **{f"at_{slug}": pl.String for slug in SOURCE_SLUGS.values()}}
    return pl.DataFrame(rows, schema=schema, orient="row")


def _missing_expr(scheme: Scheme, columns: list[str]) -> pl.Expr:
    """Per row, the texts of the indicators of its group whose value the engine found missing."""
    labels = input_labels()
    parts = []
    for group in scheme.groups:
        for ind in group.indicators:
            roots = [c for c in dict.fromkeys(parse_expression(ind.numerator).meta.root_names()
                                              + parse_expression(ind.denominator).meta.root_names())
                     if c in columns]
            empties = [pl.when(pl.col(c).is_null()).then(pl.lit(labels.get(c, c))) for c in roots]
            cause = pl.concat_str(empties, separator="、", ignore_nulls=True) if empties else pl.lit("")
            text = (pl.when(cause == "")
                    .then(pl.lit(_("%(label)s（分母为 0 或数值无效）") % {"label": ind.label}))
                    .otherwise(pl.format(_("{}（缺：{}）"), pl.lit(ind.label), cause)))
            parts.append(pl.when((pl.col("__group") == group.code) & pl.col(f"__v_{ind.code}").is_null())
                         .then(text))
    if not parts:
        return pl.lit([], dtype=pl.List(pl.String))
    return pl.concat_list(parts).list.drop_nulls()


def _checked(scheme_record: EvaluationScheme | None, inputs) -> tuple[pl.DataFrame | None, list[str], Scheme | None]:
    """(uscc → group, indicator values) of the evaluated rows under the active scheme, or the problems."""
    if scheme_record is None:
        return None, [_("%(year)s 年度没有启用的评价方案：启用方案后才能检查各企业缺少哪些指标。") % {
            "year": inputs.year}], None
    try:
        scheme = parse_scheme(scheme_record.toml)
    except SchemeError as exc:
        return None, [_("启用的方案按现行规则检查不通过：") + p for p in exc.problems], None
    evaluated = inputs.evaluated
    if evaluated.is_empty():
        return None, [], scheme
    try:
        table = evaluate(scheme, evaluated).table
    except InputError as exc:
        return None, exc.problems, scheme
    return table.select(
        pl.col("uscc"), pl.col("group").cast(pl.String).alias("__group"),
        *(pl.col(f"{code}_value").alias(f"__v_{code}") for code in scheme.indicator_codes),
    ), [], scheme


def year_completeness(*, zone, year: int, user=None) -> Completeness:
    """Every enterprise of the year's population the user may see, with its sources, land, 不参评 reason and
    the active scheme's indicators it would miss. `user=None` is a trusted caller: the whole zone."""
    inputs = evaluation_inputs(zone=zone, year=year)
    scheme_record = active_scheme(zone=zone, year=year)
    values, problems, scheme = _checked(scheme_record, inputs)
    frame = inputs.frame.join(_records(zone=zone, year=year), on="enterprise_id", how="left")

    group_labels = {g.code: g.label for g in scheme.groups} if scheme else {}
    checked = values is not None
    if checked:
        frame = frame.join(values, on="uscc", how="left")
        frame = frame.with_columns(
            _missing_expr(scheme, inputs.frame.columns).alias("missing"),
            pl.col("__group").replace_strict(group_labels, default=None, return_dtype=pl.String).alias("group"),
        )
    else:
        frame = frame.with_columns(pl.lit(None, dtype=pl.String).alias("__group"),
                                   pl.lit(None, dtype=pl.String).alias("group"),
                                   pl.lit([], dtype=pl.List(pl.String)).alias("missing"))
    exempt = pl.col("exempt_reason") != ""
    frame = frame.with_columns(
        pl.when(exempt).then(pl.lit([], dtype=pl.List(pl.String))).otherwise(pl.col("missing")).alias("missing"),
        *(_source_state(source, slug) for source, slug in SOURCE_SLUGS.items()),
        pl.col("land_adjusted").fill_null(False),
    )
    frame = frame.with_columns(
        pl.col("missing").list.len().alias("missing_count"),
        pl.sum_horizontal(*(pl.col(f"src_{slug}") != MISSING for slug in SOURCE_SLUGS.values()))
        .alias("sources_delivered"),
        (~exempt & pl.col("__group").is_null() & pl.lit(checked)).alias("ungrouped"),
    )
    frame = frame.with_columns(
        (~exempt & ((pl.col("missing_count") > 0) if checked else (pl.col("sources_delivered") < len(SOURCE_SLUGS))))
        .alias("incomplete"),
    )
    if user is not None and user.role != Role.ZONE_LEADER:
        frame = frame.filter(pl.col("keeper_id").is_null() | (pl.col("keeper_id") == user.department_id))
    return Completeness(year=year, land_as_of=inputs.land_as_of, scheme=scheme_record, problems=problems,
                        checked=checked, frame=frame, summary=_summary(frame, checked=checked))


def _source_state(source: str, slug: str) -> pl.Expr:
    """imported (a file delivered it), manual (figures typed in by an officer), or missing."""
    typed = pl.any_horizontal(*(pl.col(f).is_not_null() for f in source_fields(source)))
    return (pl.when(pl.col(f"at_{slug}").is_not_null()).then(pl.lit(IMPORTED))
            .when(typed).then(pl.lit(MANUAL)).otherwise(pl.lit(MISSING)).alias(f"src_{slug}"))


def _summary(frame: pl.DataFrame, *, checked: bool) -> dict:
    exempt = pl.col("exempt_reason") != ""
    counts = frame.select(
        pl.len().alias("total"),
        (~exempt).sum().alias("evaluated"),
        exempt.sum().alias("exempt"),
        (~exempt & ~pl.col("incomplete") & ~pl.col("ungrouped")).sum().alias("complete"),
        pl.col("incomplete").sum().alias("incomplete"),
        pl.col("ungrouped").sum().alias("ungrouped"),
        (~pl.col("has_data")).sum().alias("no_data"),
        (~exempt & pl.col("land_mu").is_null()).sum().alias("no_land"),
        pl.col("land_adjusted").sum().alias("land_adjusted"),
        *((pl.col(f"src_{slug}") != MISSING).sum().alias(f"src_{slug}") for slug in SOURCE_SLUGS.values()),
    ).row(0, named=True)
    counts["sources"] = [(source, slug, counts.pop(f"src_{slug}")) for source, slug in SOURCE_SLUGS.items()]
    counts["checked"] = checked
    return counts


def filter_rows(frame: pl.DataFrame, *, filters) -> pl.DataFrame:
    """The completeness rows a list page shows: `q` (name or USCC), `missing` (an agency whose data is
    absent), `show` (incomplete / complete / exempt / nodata). Unknown values are ignored."""
    text = str(filters.get("q", "") or "").strip()
    if text:
        frame = frame.filter(pl.col("name").str.contains(text, literal=True)
                             | pl.col("uscc").str.contains(text.upper(), literal=True))
    slug = SOURCE_SLUGS.get(str(filters.get("missing", "") or ""))
    if slug:
        frame = frame.filter(pl.col(f"src_{slug}") == MISSING)
    show = filters.get("show", "")
    exempt = pl.col("exempt_reason") != ""
    if show == "incomplete":
        frame = frame.filter(pl.col("incomplete"))
    elif show == "complete":
        frame = frame.filter(~exempt & ~pl.col("incomplete") & ~pl.col("ungrouped"))
    elif show == "exempt":
        frame = frame.filter(exempt)
    elif show == "nodata":
        frame = frame.filter(~pl.col("has_data"))
    return frame


def sort_rows(frame: pl.DataFrame, *, key: str, descending: bool) -> pl.DataFrame:
    """Sorted by a SORTS key (uscc breaks ties, so pages are stable); empty values last either way."""
    column = SORTS[key]
    by = [column] if column == "uscc" else [column, "uscc"]
    return frame.sort(by, descending=[descending] + [False] * (len(by) - 1), nulls_last=True)


def completeness_row(completeness: Completeness, *, enterprise_id: int) -> dict | None:
    """One enterprise's row (as for the list page), or None when it is not in the year's population."""
    rows = completeness.frame.filter(pl.col("enterprise_id") == enterprise_id).to_dicts()
    return rows[0] if rows else None


def data_for_user(*, user, enterprise_pk: int, year: int):
    """(enterprise, its row of the year or None) when the user may read them, else None.

    The enterprise must be in a zone the user reads; a row that exists must be in the user's scope (a row
    kept by another department is not theirs to see). A year outside 2000–2100 is nobody's.
    """
    if not 2000 <= year <= 2100 or user.role not in (Role.ZONE_LEADER, Role.DEPARTMENT_STAFF):
        return None
    zones = user.readable_zone_ids() if user.role == Role.ZONE_LEADER else [user.zone_id]
    enterprise = Enterprise.objects.filter(pk=enterprise_pk, zone_id__in=zones).first()
    if enterprise is None:
        return None
    record = (EvaluationData.objects.filter(zone_id=enterprise.zone_id, year=year, enterprise=enterprise)
              .select_related("department").first())
    if record is not None and not EvaluationData.objects.visible_to(user).filter(pk=record.pk).exists():
        return None
    return enterprise, record


def data_editable(*, user, enterprise, record: EvaluationData | None) -> bool:
    """Staff of the department keeping the row; with no row yet, staff of the enterprise's zone."""
    if record is not None:
        return EvaluationData.objects.editable_by(user).filter(pk=record.pk).exists()
    return can_write(user, EvaluationData) and enterprise.zone_id == user.zone_id


def data_years(*, zone) -> list[int]:
    """Years with data or a scheme in the zone, newest first (the year selector)."""
    years = set(EvaluationData.objects.filter(zone=zone).values_list("year", flat=True).distinct())
    years |= set(EvaluationScheme.objects.filter(zone=zone).values_list("year", flat=True).distinct())
    return sorted(years, reverse=True)


def default_year(*, zone, today: dt.date) -> int:
    """The latest year with data or an active scheme; the year before `today` when there is neither."""
    years = set(EvaluationData.objects.filter(zone=zone).values_list("year", flat=True).distinct())
    years |= set(EvaluationScheme.objects.filter(zone=zone, status=SchemeStatus.ACTIVE).values_list("year", flat=True))
    return max(years) if years else today.year - 1
