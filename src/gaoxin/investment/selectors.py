"""Reads of investment attraction, scoped by the user: leads, signings, funds in place, their totals and the
lead funnel."""

from decimal import Decimal

from django.db.models import Count, DecimalField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from gaoxin.accounts.models import User
from gaoxin.core.permissions import Role
from gaoxin.projects.models import Project
from gaoxin.projects.selectors.settings import project_settings_for

from .models import OPEN_LEAD_STAGES, Channel, FundTranche, Lead, LeadFollowUp, LeadStage, Signing

ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=16, decimal_places=2)


def _filtered(filterset_class, qs, filters):
    return filterset_class(filters, queryset=qs).qs if filters else qs


# Leads -------------------------------------------------------------------------------------------------

def leads_for_user(*, user, filters: dict | None = None) -> QuerySet[Lead]:
    from .filters import LeadFilterSet

    qs = (Lead.objects.visible_to(user).select_related("department", "owner")
          .annotate(last_follow_up=Subquery(LeadFollowUp.objects.filter(lead=OuterRef("pk"))
                                            .order_by("-date", "-id").values("date")[:1])))
    return _filtered(LeadFilterSet, qs, filters)


def lead_get_for_user(*, user, pk: int) -> Lead | None:
    return leads_for_user(user=user).filter(pk=pk).first()


def lead_follow_ups(*, lead: Lead) -> QuerySet[LeadFollowUp]:
    """The lead's journal, newest first; callers have already checked that the user may see the lead."""
    return lead.follow_ups.select_related("author").order_by("-date", "-id")


def lead_funnel(*, user, filters: dict | None = None) -> dict:
    """The lead list's header: per stage (线索/洽谈/签约, and 终止) the count and Σ expected investment, and
    the open leads per channel. Computed over the list's filters except the stage, so the funnel stays whole."""
    filters = {k: v for k, v in (filters or {}).items() if k != "stage"}
    qs = leads_for_user(user=user, filters=filters)
    rows = {r["stage"]: r for r in qs.order_by().values("stage").annotate(
        count=Count("id"), expected=Coalesce(Sum("expected_investment_wan"), Value(ZERO), output_field=MONEY))}
    stages = [{"stage": stage, "label": label, "count": rows.get(stage, {}).get("count", 0),
               "expected_wan": rows.get(stage, {}).get("expected", ZERO)} for stage, label in LeadStage.choices]
    channels = {r["channel"]: r["count"] for r in qs.filter(stage__in=OPEN_LEAD_STAGES).order_by()
                .values("channel").annotate(count=Count("id"))}
    return {
        "stages": stages,
        "channels": [{"channel": value, "label": label, "count": channels.get(value, 0)}
                     for value, label in Channel.choices],
        "open_count": sum(s["count"] for s in stages if s["stage"] in OPEN_LEAD_STAGES),
    }


def owner_choices(*, zone) -> QuerySet[User]:
    """The people a lead may be assigned to: active department staff and leaders of the zone."""
    zone_id = getattr(zone, "pk", zone)
    return (User.objects.filter(zone_id=zone_id, is_active=True, role__in=(Role.DEPARTMENT_STAFF, Role.ZONE_LEADER))
            .order_by("display_name", "username"))


def industry_choices(*, zone) -> list[str]:
    return project_settings_for(zone).directions


# Signings ----------------------------------------------------------------------------------------------

def _funds_of_project():
    return Coalesce(Subquery(FundTranche.objects.filter(project=OuterRef("project_id")).order_by()
                             .values("project").annotate(total=Sum("amount_wan")).values("total")[:1]),
                    Value(ZERO), output_field=MONEY)


def signings_for_user(*, user, filters: dict | None = None) -> QuerySet[Signing]:
    """Signings the user may read, each with `funds_wan` (Σ the project's tranches)."""
    from .filters import SigningFilterSet

    qs = (Signing.objects.visible_to(user).select_related("project", "department", "lead")
          .annotate(funds_wan=_funds_of_project()))
    return _filtered(SigningFilterSet, qs, filters)


def signing_get_for_user(*, user, pk: int) -> Signing | None:
    return signings_for_user(user=user).filter(pk=pk).first()


def funds_of_project(*, project: Project) -> QuerySet[FundTranche]:
    """Every tranche of a project (the 资金到位率 counts them all), oldest first."""
    return FundTranche.objects.filter(project=project).select_related("department").order_by("date", "id")


def funds_rate(project: Project) -> Decimal | None:
    """资金到位率 as a fraction: Σ tranches / contract investment; None when the project has no signing."""
    signing = Signing.objects.filter(project=project).only("contract_investment_wan").first()
    if signing is None or not signing.contract_investment_wan:
        return None
    total = FundTranche.objects.filter(project=project).aggregate(s=Sum("amount_wan"))["s"] or ZERO
    return Decimal(total) / Decimal(signing.contract_investment_wan)


def signable_projects_for_user(*, user, include: Project | None = None) -> QuerySet[Project]:
    """Projects of the user's zone that the user can see and that have no signing yet."""
    q = Q(pk__in=Project.objects.visible_to(user).filter(zone_id=user.zone_id, signing__isnull=True).values("pk"))
    if include is not None:
        q |= Q(pk=include.pk)
    return Project.objects.filter(q).order_by("code")


# Funds in place ----------------------------------------------------------------------------------------

def funds_for_user(*, user, filters: dict | None = None) -> QuerySet[FundTranche]:
    from .filters import FundFilterSet

    qs = FundTranche.objects.visible_to(user).select_related("project", "project__signing", "department")
    return _filtered(FundFilterSet, qs, filters)


def fund_get_for_user(*, user, pk: int) -> FundTranche | None:
    return funds_for_user(user=user).filter(pk=pk).first()


def fund_project_choices(*, user) -> QuerySet[Project]:
    """Projects a tranche may be recorded for: the user's zone, within their scope."""
    return Project.objects.visible_to(user).filter(zone_id=user.zone_id).order_by("code")


def totals(qs: QuerySet, field: str) -> dict:
    """Count and Σ `field` of a (filtered) list, so a drill-down from the statistics reconciles."""
    row = qs.order_by().aggregate(count=Count("id"), total=Sum(field))
    return {"count": row["count"], "total_wan": row["total"] or ZERO}
