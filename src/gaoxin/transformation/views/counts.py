"""The period counts page (`counts/?period=2024-06`): retrofits started by kind, new certifications by level
and kind, new R&D institutions and their enterprises — cumulative from 1 January — each number linking to
the list of exactly the records it counts, and the sentence the bulletin prints for the period.

Leaders read the zone's counts, department staff their department's (the lists they link to are scoped the
same way, so a number and its list always agree). A period that cannot be read is said so, and the default
period is shown instead; never a 500.
"""

import datetime as dt
from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from gaoxin.core.permissions import Role
from gaoxin.economy.bulletin import transformation_paragraphs
from gaoxin.projects.engine import PERIOD_HELP, Period, PeriodError, parse_period

from ..engine import CERTIFIED_KINDS, RETROFIT_KINDS
from ..models import Kind, Level
from ..selectors import counts as selectors
from .common import transformation_page


def default_period(today: dt.date | None = None) -> Period:
    """The last complete month: records of a month are entered after it ends."""
    today = today or timezone.localdate()
    last = today.replace(day=1) - dt.timedelta(days=1)
    return Period(last.year, last.month)


def _url(name: str, **params) -> str:
    return reverse(name) + "?" + urlencode(params)


def started_url(period: Period, kind: str) -> str:
    return _url("transformation:project_list", kind=kind, started_after=period.start.isoformat(),
                started_before=period.end.isoformat())


def certified_url(period: Period, level: str, kind: str) -> str:
    return _url("transformation:project_list", kind=kind, level=level, certified_after=period.start.isoformat(),
                certified_before=period.end.isoformat())


def institutions_url(period: Period) -> str:
    return _url("transformation:institution_list", recognized_after=period.start.isoformat(),
                recognized_before=period.end.isoformat())


@transformation_page
@require_GET
def period_counts(request):
    user = request.user
    raw = request.GET.get("period", "").strip()
    period, error = default_period(), ""
    if raw:
        try:
            period = parse_period(raw)
        except PeriodError as exc:
            error = str(exc)
    counts = selectors.period_counts_for_user(user=user, period=period)
    figures = selectors.figures_for_user(user=user, period=period)
    # rows carry the choices' labels, which the English pages translate; the stored values are Chinese
    started = [{"kind": Kind(kind).label, "count": counts.started.get(kind, 0), "url": started_url(period, kind)}
               for kind in RETROFIT_KINDS]
    certified = [{"level": Level(level).label, "kind": Kind(kind).label, "count": count,
                  "url": certified_url(period, level, kind)} for (level, kind), count in counts.certified.items()]
    by_kind = [{"kind": Kind(kind).label,
                "count": sum(c for (_level, k), c in counts.certified.items() if k == kind)} for kind in CERTIFIED_KINDS]
    return render(request, "transformation/counts.html", {
        "period": period,
        "period_value": period.label if not error else raw,
        "error": error,
        "help": PERIOD_HELP,
        "counts": counts,
        "started": started,
        "started_total": sum(row["count"] for row in started),
        "certified": certified,
        "certified_by_kind": by_kind,
        "institutions_url": institutions_url(period),
        "paragraphs": transformation_paragraphs(figures, period.month) if figures else (),
        "showcases": figures.showcases if figures else (),
        "is_leader": user.role == Role.ZONE_LEADER,
    })
