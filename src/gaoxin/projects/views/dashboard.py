"""项目总览: one page per role (leaders: the zone's key projects; staff: their to-dos and projects)."""

from django.shortcuts import redirect, render
from django.utils import timezone

from gaoxin.core.pages import business_page
from gaoxin.core.permissions import Role

from .. import engine
from ..selectors import dashboard as selectors
from ..selectors.warnings import default_period


def period_from_request(request, *, user, today):
    """(period, error): a bad ?period= falls back to the default with a message, never an error page."""
    raw = request.GET.get("period", "").strip()
    if raw:
        try:
            return engine.parse_period(raw), None
        except engine.PeriodError as exc:
            return default_period(user=user, today=today), str(exc)
    return default_period(user=user, today=today), None


@business_page()
def dashboard(request):
    user = request.user
    if user.role == Role.ENTERPRISE:
        return redirect("projects:project_list")
    today = timezone.localdate()
    period, period_error = period_from_request(request, user=user, today=today)
    context = {"period": period, "period_error": period_error, "today": today}
    if user.role == Role.ZONE_LEADER:
        context["board"] = selectors.leader_dashboard(user=user, period=period, as_of=today)
        return render(request, "projects/dashboard_leader.html", context)
    context["board"] = selectors.staff_dashboard(user=user, period=period, as_of=today)
    return render(request, "projects/dashboard_staff.html", context)
