"""Reads of the evaluation schemes, scoped once here."""

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from ..models import EvaluationScheme, SchemeStatus
from ..presets import preset_list
from ..scheme import SchemeError, parse_scheme


def schemes_for_user(*, user, filters: dict | None = None) -> QuerySet[EvaluationScheme]:
    """The schemes a user may read (leaders: the zone's; staff: their department's), optionally of one year."""
    qs = EvaluationScheme.objects.visible_to(user).select_related("department")
    year = str((filters or {}).get("year", "")).strip()
    if year.isdigit():
        qs = qs.filter(year=int(year))
    status = (filters or {}).get("status", "")
    if status in SchemeStatus.values:
        qs = qs.filter(status=status)
    return qs


def scheme_get_for_user(*, user, pk: int) -> EvaluationScheme | None:
    return schemes_for_user(user=user).filter(pk=pk).first()


def scheme_years(*, user) -> list[int]:
    return list(schemes_for_user(user=user).order_by("-year").values_list("year", flat=True).distinct())


def active_scheme(*, zone, year: int) -> EvaluationScheme | None:
    """The zone's scheme in force for `year` (what a run uses); callers check the reader's scope."""
    return EvaluationScheme.objects.filter(zone=zone, year=year, status=SchemeStatus.ACTIVE).first()


def preset_label(key: str) -> str:
    return next((str(p.label) for p in preset_list() if p.key == key), key)


def _number(value: float) -> str:
    return f"{value:g}"


def scheme_outline(*, scheme: EvaluationScheme) -> dict:
    """A readable summary of the text: groups → indicators (weight, benchmark, direction…), classes, vetoes.

    `problems` is non-empty only when a text saved earlier no longer passes today's rules.
    """
    try:
        parsed = parse_scheme(scheme.toml)
    except SchemeError as exc:
        return {"problems": exc.problems, "groups": [], "vetoes": []}
    benchmarks = {"aggregate": _("组内汇总值（Σ分子÷Σ分母）"), "mean": _("组内算术平均")}
    directions = {"higher": _("越高越好"), "lower": _("越低越好")}
    missing = {"zero": _("记 0 分"), "group_mean": _("按组内该项平均得分")}
    groups = []
    for g in parsed.groups:
        indicators = []
        for ind in g.indicators:
            benchmark = benchmarks[ind.benchmark] if isinstance(ind.benchmark, str) else _number(ind.benchmark)
            if ind.benchmark_factor != 1.0:
                benchmark = f"{benchmark} × {_number(ind.benchmark_factor)}"
            bounds = []
            if ind.floor is not None:
                bounds.append(_("下限 %(x)s 倍权重") % {"x": _number(ind.floor)})
            if ind.cap is not None:
                bounds.append(_("上限 %(x)s 倍权重") % {"x": _number(ind.cap)})
            indicators.append({
                "code": ind.code, "label": ind.label, "formula": f"{ind.numerator} ÷ {ind.denominator}",
                "weight": _number(ind.weight), "benchmark": benchmark, "direction": directions[ind.direction],
                "bounds": "，".join(bounds) or "—", "missing": missing[ind.missing],
            })
        if g.class_kind == "top":
            classes, previous = [], 0.0
            for c in g.classes:
                classes.append(_("%(label)s：名次前 %(a)s%%–%(b)s%%") % {
                    "label": c.label, "a": _number(previous * 100), "b": _number(c.top * 100)})
                previous = c.top
        else:
            classes = [_("%(label)s：得分 ≥ %(x)s") % {"label": c.label, "x": _number(c.min_score)} for c in g.classes]
        groups.append({
            "code": g.code, "label": g.label, "where": g.where or _("全部企业"), "classes": classes,
            "indicators": indicators, "total_weight": _number(sum(i.weight for i in g.indicators)),
        })
    vetoes = [{"column": v.column, "class": v.class_label, "label": v.label} for v in parsed.vetoes]
    return {"problems": [], "groups": groups, "vetoes": vetoes}
