"""Reading the 智改数转 projects and their measurements with data scope, and the improvements a project's
measurements show (the same arithmetic and wording as the bulletin)."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum

from .. import engine
from ..models import HIGHER_IS_BETTER, Measurement, Metric, TransformationProject

ZERO = Decimal("0")
# The order a project's measurements are shown and worded in: 效率, 不良率, 运营成本, 单位能耗.
METRIC_ORDER = {metric: index for index, metric in enumerate(Metric.values)}


def projects_for_user(*, user, filters: dict | None = None) -> QuerySet[TransformationProject]:
    """The projects a user may read, optionally narrowed by ProjectFilterSet parameters.

    An invalid `ids` list gives no rows rather than all of them: a drill-down must never over-report.
    """
    from ..filters import ProjectFilterSet

    qs = TransformationProject.objects.visible_to(user).select_related("enterprise", "department")
    if filters:
        filterset = ProjectFilterSet(filters, queryset=qs)
        if "ids" in filterset.errors:
            return qs.none()
        qs = filterset.qs
    return qs


def project_get_for_user(*, user, pk: int) -> TransformationProject | None:
    return projects_for_user(user=user).filter(pk=pk).first()


def projects_total(qs: QuerySet[TransformationProject]) -> dict:
    """The list's total row: count and Σ equipment and software investment (万元)."""
    row = qs.order_by().aggregate(count=Count("pk"), equipment=Sum("equipment_investment_wan"),
                                  software=Sum("software_investment_wan"))
    equipment, software = row["equipment"] or ZERO, row["software"] or ZERO
    return {"count": row["count"], "equipment_wan": equipment, "software_wan": software,
            "total_wan": equipment + software}


def measurements_of(*, project: TransformationProject) -> list[Measurement]:
    """The project's measurements in metric order; callers have checked that the user may see the project."""
    return sorted(project.measurements.all(), key=lambda m: (METRIC_ORDER.get(m.metric, len(METRIC_ORDER)), m.pk))


def measurement_get_for_user(*, user, pk: int) -> Measurement | None:
    return (Measurement.objects.visible_to(user).select_related("project", "project__enterprise", "department")
            .filter(pk=pk).first())


@dataclass(frozen=True)
class Improvement:
    """A measurement's change: pct unrounded (None without a base), pct_2 as shown, the bulletin's phrase, and
    whether the change is for the better (a higher efficiency, a lower defect rate, cost or energy use)."""

    measurement: Measurement
    pct: Decimal | None
    pct_2: Decimal | None
    phrase: str
    better: bool

    @property
    def worse(self) -> bool:
        return self.pct is not None and self.pct != 0 and not self.better


def improvement_of(measurement: Measurement) -> Improvement:
    pct = engine.improvement_pct(measurement.before_value, measurement.after_value)
    higher = HIGHER_IS_BETTER.get(measurement.metric, True)
    better = pct is not None and (pct > 0 if higher else pct < 0)
    return Improvement(
        measurement=measurement,
        pct=pct,
        pct_2=None if pct is None else engine.two_decimals(pct),
        phrase=engine.improvement_phrase(measurement.display_label, measurement.metric, pct),
        better=better,
    )


def improvements(*, project: TransformationProject) -> list[Improvement]:
    """Every measurement of the project with its improvement, in metric order (效率, 不良率, 运营成本, 单位能耗)."""
    return [improvement_of(m) for m in measurements_of(project=project)]


def enterprise_choices(*, user) -> QuerySet:
    """Any enterprise of the user's zone may have transformation records, whichever department keeps it."""
    from gaoxin.enterprises.models import Enterprise

    return Enterprise.objects.filter(zone_id=user.zone_id).only("id", "name", "uscc").order_by("name", "id")


def area_choices(*, user) -> list[str]:
    from gaoxin.enterprises.selectors import enterprise_areas

    return list(enterprise_areas(zone=user.zone_id))


def enterprise_visible(*, user, enterprise) -> bool:
    """Whether the project's enterprise page may be linked for this user (it may be another department's)."""
    from gaoxin.enterprises.models import Enterprise

    return Enterprise.objects.visible_to(user).filter(pk=enterprise.pk).exists()
