"""Reads of evaluation runs and results, scoped once here: lists, filters, class distributions, history.

A year may have several versions; the one that counts is decided by `services.runs.current_run` (the
final run, else the newest open one), and every year-over-year figure here is read from that run only.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gaoxin.core import industry

from ..models import DATA_FIELDS, EvaluationData, EvaluationResult, EvaluationRun, RunStatus
from ..scheme import SchemeError, parse_scheme
from ..services.runs import OPEN, current_run

BENCHMARK_RULES = {"aggregate": gettext_lazy("组内汇总值（Σ分子÷Σ分母）"), "mean": gettext_lazy("组内算术平均"),
                   "fixed": gettext_lazy("固定值")}
DIRECTIONS = {"higher": gettext_lazy("越高越好"), "lower": gettext_lazy("越低越好")}


def rounded_score(score: float | None) -> Decimal | None:
    """A score as shown and exported: two decimals, rounded half-up (四舍五入) only here."""
    if score is None:
        return None
    return Decimal(repr(score)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) + 0


def runs_for_user(*, user, filters: dict | None = None) -> QuerySet[EvaluationRun]:
    """The runs a user may read (leaders: the zone's; staff: their department's), with result counts."""
    qs = EvaluationRun.objects.visible_to(user).select_related("department", "scheme")
    filters = filters or {}
    year = str(filters.get("year", "")).strip()
    if year.isdigit():
        qs = qs.filter(year=int(year))
    status = filters.get("status", "")
    if status in RunStatus.values:
        qs = qs.filter(status=status)
    return qs.annotate(
        result_count=Count("results"),
        exempt_count=Count("results", filter=~Q(results__exempt_reason="")),
        override_count=Count("results", filter=~Q(results__override_kind="")),
    )


def run_get_for_user(*, user, pk: int) -> EvaluationRun | None:
    return runs_for_user(user=user).filter(pk=pk).first()


def run_years(*, user) -> list[int]:
    return list(EvaluationRun.objects.visible_to(user).order_by("-year").values_list("year", flat=True).distinct())


def run_successor(*, user, run: EvaluationRun) -> EvaluationRun | None:
    """The version that replaced `run`, if the user may read it."""
    return EvaluationRun.objects.visible_to(user).filter(previous=run).order_by("version").first()


def run_is_open(run: EvaluationRun) -> bool:
    """Whether classes of the run may still be adjusted (the override service's own rule)."""
    return run.status in OPEN


def results_for_user(*, user, run: EvaluationRun, filters: dict | None = None) -> QuerySet[EvaluationResult]:
    """The run's results the user may read, narrowed by the list's filters.

    Filters: `group` (code), `class` (final class), `division` (GB/T 4754 大类, two digits), `area` (片区),
    `q` (part of the USCC or name), `exempt` ("1" only 不参评, "0" only evaluated). Unknown values match nothing
    rather than erroring, so a hand-edited URL shows an empty list.
    """
    qs = EvaluationResult.objects.visible_to(user).filter(run=run)
    filters = filters or {}
    group = str(filters.get("group", "")).strip()
    if group:
        qs = qs.filter(group_code=group)
    klass = str(filters.get("class", "")).strip()
    if klass:
        qs = qs.filter(final_class=klass)
    division = str(filters.get("division", "")).strip()
    if division:
        qs = qs.filter(industry_code__startswith=division[:2])
    area = str(filters.get("area", "")).strip()
    if area:
        qs = qs.filter(area=area)
    q = str(filters.get("q", "")).strip()
    if q:
        qs = qs.filter(Q(uscc__icontains=q) | Q(name__icontains=q))
    exempt = str(filters.get("exempt", "")).strip()
    if exempt == "1":
        qs = qs.exclude(exempt_reason="")
    elif exempt == "0":
        qs = qs.filter(exempt_reason="")
    return qs


def result_get_for_user(*, user, pk: int) -> EvaluationResult | None:
    return (EvaluationResult.objects.visible_to(user).select_related("run", "run__department", "enterprise")
            .filter(pk=pk).first())


def division_label(code: str) -> str:
    category = industry.division_of(code)
    return category.label if category else code[:2]


def result_filter_options(*, run: EvaluationRun) -> dict:
    """What the run's result filters offer: its groups, classes, 大类 and 片区, each only if present."""
    results = run.results.all()
    groups = list(results.exclude(group_code="").values_list("group_code", "group_label").distinct()
                  .order_by("group_code"))
    classes = class_order(run, set(results.exclude(final_class="").values_list("final_class", flat=True)))
    codes = sorted({c[:2] for c in results.values_list("industry_code", flat=True).distinct()})
    areas = sorted(set(results.exclude(area="").values_list("area", flat=True)))
    return {"groups": groups, "classes": classes, "divisions": [(c, division_label(c)) for c in codes],
            "areas": areas}


def _scheme_class_order(run: EvaluationRun) -> list[str]:
    """Every class label of the run's scheme, best first, groups in their order (a label once)."""
    try:
        scheme = parse_scheme(run.scheme_toml)
    except SchemeError:  # text frozen under older rules: fall back to alphabetical order
        return []
    labels = [c.label for g in scheme.groups for c in g.classes] + [v.class_label for v in scheme.vetoes]
    return list(dict.fromkeys(labels))


def class_order(run: EvaluationRun, present, *, declared_too: bool = False) -> list[str]:
    """The labels in `present`, best first as the run's scheme declares them (unknown ones last, sorted);
    with `declared_too`, every declared label as well, present or not."""
    declared = _scheme_class_order(run)
    return ([label for label in declared if declared_too or label in present]
            + sorted(set(present) - set(declared)))


@dataclass
class GroupSummary:
    """One group of a run: size, benchmarks (from the frozen report) and final class counts."""

    code: str
    label: str
    n: int
    indicators: list[dict]
    classes: list[tuple[str, int]]  # every label the group declares, best first, with its count
    overridden: int
    vetoed: int
    unclassified: int

    @property
    def chart(self) -> dict:
        return {"code": self.code, "label": self.label, "classes": [label for label, _n in self.classes],
                "counts": [n for _label, n in self.classes]}


@dataclass
class RunSummary:
    groups: list[GroupSummary]
    evaluated: int
    exempt: int
    overridden: int
    classes: list[tuple[str, int]] = field(default_factory=list)  # all groups together


def run_summary(*, run: EvaluationRun) -> RunSummary:
    """Per group: n, every indicator's benchmark with how it was set, and final class counts.

    Benchmarks come from the report frozen with the run, labels and weights from its frozen scheme text,
    and class counts from the results' final classes, so overrides show.
    """
    try:
        scheme = parse_scheme(run.scheme_toml)
        declared = {g.code: g for g in scheme.groups}
    except SchemeError:
        declared = {}
    counts = defaultdict(Counter)
    overridden, vetoed, labels = Counter(), Counter(), {}
    evaluated = exempt = 0
    rows = (run.results.values("group_code", "group_label", "final_class", "exempt_reason")
            .annotate(n=Count("id"), overrides=Count("id", filter=~Q(override_kind="")),
                      vetoes=Count("id", filter=~Q(veto=""))).order_by())
    for row in rows:
        if row["exempt_reason"]:
            exempt += row["n"]
            continue
        evaluated += row["n"]
        code = row["group_code"]
        labels[code] = row["group_label"]
        counts[code][row["final_class"]] += row["n"]
        overridden[code] += row["overrides"]
        vetoed[code] += row["vetoes"]
    report = run.report.get("groups", {})
    groups = []
    for code in list(dict.fromkeys([*declared, *report, *counts])):
        group = declared.get(code)
        details = report.get(code, {}).get("benchmark_details", {})
        indicators = []
        for ind in (group.indicators if group else ()):
            detail = details.get(ind.code, {})
            indicators.append({
                "code": ind.code, "label": ind.label, "weight": ind.weight,
                "direction": str(DIRECTIONS.get(ind.direction, ind.direction)), "formula": f"{ind.numerator} ÷ {ind.denominator}",
                "rule": str(BENCHMARK_RULES.get(detail.get("rule", ""), detail.get("rule", ""))),
                "base": detail.get("base"), "factor": detail.get("factor", 1.0),
                "benchmark": detail.get("benchmark"), "benchmark_shown": figure(detail.get("benchmark")),
                "rows_with_value": detail.get("rows_with_value"),
            })
        own = [c.label for c in group.classes] if group else []
        present = counts[code]
        labels_in_order = own + class_order(run, {k for k in present if k and k not in own})
        groups.append(GroupSummary(
            code=code, label=labels.get(code) or (group.label if group else report.get(code, {}).get("label", code)),
            n=sum(present.values()), indicators=indicators,
            classes=[(label, present.get(label, 0)) for label in labels_in_order],
            overridden=overridden[code], vetoed=vetoed[code], unclassified=present.get("", 0),
        ))
    total = Counter()
    for code in counts:
        total.update({k: v for k, v in counts[code].items() if k})
    return RunSummary(groups=groups, evaluated=evaluated, exempt=exempt, overridden=sum(overridden.values()),
                      classes=[(label, total[label]) for label in class_order(run, set(total))])


# --- year over year ----------------------------------------------------------------------------------------

@dataclass
class YearDistribution:
    year: int
    run: EvaluationRun
    counts: dict[str, int]  # final class → enterprises
    evaluated: int
    exempt: int
    overridden: int


@dataclass
class ZoneHistory:
    labels: list[str]  # every class label of any year, best first
    years: list[YearDistribution]  # oldest first

    @property
    def chart(self) -> dict:
        return {
            "years": [str(y.year) for y in self.years],
            "series": [{"name": label, "data": [y.counts.get(label, 0) for y in self.years]} for label in self.labels],
        }


def counting_runs(*, user, zone=None) -> list[EvaluationRun]:
    """For every year of the zone, the run that counts, if the user may read it; oldest year first."""
    zone = zone if zone is not None else user.zone
    visible = EvaluationRun.objects.visible_to(user).filter(zone=zone)
    years = sorted(set(visible.values_list("year", flat=True)))
    ids = set(visible.values_list("pk", flat=True))
    runs = []
    for year in years:
        run = current_run(zone=zone, year=year)
        if run is not None and run.pk in ids:
            runs.append(run)
    return runs


def zone_history(*, user, zone=None) -> ZoneHistory:
    """The zone's final class distribution in each year's counting run (不参评 and overrides counted apart)."""
    runs = counting_runs(user=user, zone=zone)
    by_run = defaultdict(Counter)
    stats = defaultdict(Counter)
    rows = (EvaluationResult.objects.filter(run__in=runs).values("run_id", "final_class", "exempt_reason")
            .annotate(n=Count("id"), overrides=Count("id", filter=~Q(override_kind=""))).order_by())
    for row in rows:
        if row["exempt_reason"]:
            stats[row["run_id"]]["exempt"] += row["n"]
            continue
        stats[row["run_id"]]["evaluated"] += row["n"]
        stats[row["run_id"]]["overridden"] += row["overrides"]
        if row["final_class"]:
            by_run[row["run_id"]][row["final_class"]] += row["n"]
    labels: list[str] = []
    years = []
    for run in runs:
        labels += class_order(run, set(by_run[run.pk]))
        years.append(YearDistribution(year=run.year, run=run, counts=dict(by_run[run.pk]),
                                      evaluated=stats[run.pk]["evaluated"], exempt=stats[run.pk]["exempt"],
                                      overridden=stats[run.pk]["overridden"]))
    return ZoneHistory(labels=list(dict.fromkeys(labels)), years=years)


def enterprise_history(*, user, enterprise_id: int) -> list[EvaluationResult]:
    """The enterprise's result in each year's counting run that the user may read, oldest year first."""
    results = (EvaluationResult.objects.visible_to(user).filter(enterprise_id=enterprise_id)
               .select_related("run").order_by("run__year", "-run__version"))
    by_year: dict[tuple[int, int], list[EvaluationResult]] = defaultdict(list)
    for result in results:
        by_year[(result.run.zone_id, result.run.year)].append(result)
    history = []
    for (zone_id, year), candidates in by_year.items():
        run = current_run(zone=zone_id, year=year)
        chosen = next((r for r in candidates if run is not None and r.run_id == run.pk), None)
        if chosen is not None:
            history.append(chosen)
    return history


def enterprise_history_chart(history: list[EvaluationResult]) -> dict:
    """Score and class per year for the result page's small line chart (不参评 years have no score)."""
    return {
        "years": [str(r.run.year) for r in history],
        "scores": [None if r.score is None else float(rounded_score(r.score)) for r in history],
        "classes": [r.final_class if r.evaluated else _("不参评") for r in history],
    }


# --- one result explained ----------------------------------------------------------------------------------

def figure(value) -> str:
    """An input or indicator figure as shown: up to four decimals, no trailing zeros; booleans as 是/否."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, (int, float)):
        return f"{value:,.4f}".rstrip("0").rstrip(".")
    return str(value)


def _input_labels() -> dict[str, str]:
    labels = {
        "size": _("企业规模"), "industry": _("行业代码"), "division": _("行业大类"), "area": _("所属片区"),
        "status": _("经营状态"), "age_years": _("成立年限（年）"), "land_mu": _("评价用地面积（亩）"),
        "land_mu_register": _("土地台账面积（亩）"), "land_source": _("用地面积来源"),
    }
    for name in [*DATA_FIELDS, "major_accident"]:
        labels[name] = str(EvaluationData._meta.get_field(name).verbose_name)
    return labels


def frozen_inputs(*, result: EvaluationResult) -> list[dict]:
    """The figures the result was computed from, as frozen with the run: column, label, shown value."""
    labels = _input_labels()
    return [{"column": column, "label": labels.get(column, column), "value": figure(value)}
            for column, value in result.inputs.items()]


def result_indicators(*, result: EvaluationResult) -> list[dict]:
    """Each indicator of the result: formula, the frozen figures it divides, value, benchmark, weight, partial."""
    rows = []
    for ind in result.indicators:
        numerator, denominator = ind.get("numerator", ""), ind.get("denominator", "")
        figures = ""
        if numerator in result.inputs and denominator in result.inputs:
            figures = f"{figure(result.inputs[numerator])} ÷ {figure(result.inputs[denominator])}"
        rows.append({
            **ind, "formula": f"{numerator} ÷ {denominator}", "figures": figures,
            "direction_label": str(DIRECTIONS.get(ind.get("direction"), ind.get("direction", ""))),
            "value_shown": figure(ind.get("value")), "benchmark_shown": figure(ind.get("benchmark")),
            "score_shown": rounded_score(ind.get("score")),
        })
    return rows
