"""经济运行总览 (economy:dashboard): one zone's headline figures, growth lines, target progress, key projects and
signings for a period; a zone switcher and the zones ranked per indicator for a city-level user.

Leaders and department staff of the zone; enterprise users and administrators get 403, a zone outside the
user's scope 404. A period that cannot be read falls back to the default with the reason shown.
"""

import datetime as dt

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from gaoxin.core.pages import business_page, found
from gaoxin.projects.engine import PERIOD_HELP, Period, PeriodError, parse_period

from ..selectors import dashboard as selectors

dashboard_page = business_page(enterprise_users=False)


def _quick_periods(today: dt.date) -> list[dict]:
    quick = []
    for year in (today.year, today.year - 1):
        for label, month in ((_("一季度"), 3), (_("上半年"), 6), (_("前三季度"), 9), (_("全年"), 12)):
            quick.append({"label": f"{year}{label}", "period": Period(year, month)})
    return quick


@dashboard_page
@require_GET
def dashboard(request):
    user = request.user
    zone = found(selectors.dashboard_zone(user, request.GET.get("zone", "")))
    today = timezone.localdate()
    raw = request.GET.get("period", "").strip()
    period_error = ""
    period = None
    if raw:
        try:
            period = parse_period(raw)
        except PeriodError as exc:
            period_error = str(exc)
    if period is None:
        period = selectors.default_period(zone=zone, today=today)
    board = selectors.economy_dashboard(user=user, zone=zone, period=period)
    zones = selectors.readable_zones(user)
    return render(request, "economy/dashboard.html", {
        "board": board, "period": period, "period_error": period_error, "period_help": PERIOD_HELP,
        "zones": zones if len(zones) > 1 else [], "zone_param": zone.code if zone.pk != user.zone_id else "",
        "quick": _quick_periods(today),
    })
