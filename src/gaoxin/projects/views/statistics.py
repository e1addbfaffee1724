"""The statistics page (period figures with drill-down, .xlsx download) and the records behind each figure.

Leaders read the zone's figures, department staff their department's; enterprise users and administrators
get 403. A period that cannot be read is a 400 with the reason, never a 500.
"""

import datetime as dt
import tempfile
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlencode

from django.http import FileResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from gaoxin.core.imports.workbooks import CONTENT_TYPES
from gaoxin.core.pages import business_page

from ..engine import KEY_LEVELS, PERIOD_HELP, SIZE_BUCKETS, Period, PeriodError, parse_period
from ..selectors import statistics as selectors
from ..services.statistics import statistics_export

stats_page = business_page(enterprise_users=False)
ONE_DECIMAL = Decimal("0.1")


def default_period(today: dt.date | None = None) -> Period:
    """The last complete month: monthly reports of a month arrive after it ends."""
    today = today or timezone.localdate()
    last = today.replace(day=1) - dt.timedelta(days=1)
    return Period(last.year, last.month)


def _period(request) -> tuple[Period | None, str]:
    raw = request.GET.get("period", "").strip()
    if not raw:
        return default_period(), ""
    try:
        return parse_period(raw), ""
    except PeriodError as exc:
        return None, str(exc)


def _yi(wan) -> str:
    """亿元 to one decimal, rounded half-up (the 万元 value stays exact in the title attribute)."""
    return f"{(Decimal(str(wan)) / 10000).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP):,}"


def _wan(wan) -> str:
    return f"{Decimal(str(wan)).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,}"


def _pct(value) -> str:
    return "—" if value is None else str(Decimal(str(value)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP))


def _records_url(period: Period, figure: str) -> str:
    return reverse("projects:statistics_records") + "?" + urlencode({"period": period.label, "figure": figure})


def _quick_periods(today: dt.date) -> list[dict]:
    periods = []
    for year in (today.year, today.year - 1):
        for label, suffix in ((_("一季度"), "Q1"), (_("上半年"), "H1"), (_("前三季度"), "Q3"), (_("全年"), "")):
            periods.append({"year": year, "label": label, "value": f"{year}{suffix}",
                            "period": parse_period(f"{year}{suffix}")})
    return periods


def _bad_period(request, message: str):
    return render(request, "projects/statistics.html", {
        "error": message, "period": None, "period_value": request.GET.get("period", ""),
        "quick": _quick_periods(timezone.localdate()), "help": PERIOD_HELP}, status=400)


@stats_page
@require_GET
def statistics(request):
    period, error = _period(request)
    if period is None:
        return _bad_period(request, error)
    user = request.user
    if request.GET.get("export") == "xlsx":
        out = tempfile.TemporaryFile()
        statistics_export(user=user, period=period, out=out)
        out.seek(0)
        filename = _("项目统计表_%(from)s至%(to)s.xlsx") % {"from": period.start.isoformat(),
                                                        "to": period.end.isoformat()}
        return FileResponse(out, as_attachment=True, filename=filename, content_type=CONTENT_TYPES["xlsx"])

    stats = selectors.period_statistics_for_user(user=user, period=period)
    data = stats.as_contract()
    link = lambda figure: _records_url(period, figure)  # noqa: E731 - a short local alias reads best here
    growth = data["funds_in_place_growth_pct"]
    city = data["key_projects"][KEY_LEVELS[0]]
    tiles = [
        {"label": _("签约项目"), "value": data["signed_projects"], "unit": _("个"), "url": link("signed"),
         "sub": _("其中50亿级以上 %(n)s 个") % {
             "n": data["signed_by_size"].get("百亿级", 0) + data["signed_by_size"].get("50亿级", 0)},
         "id": "tile-signed"},
        {"label": _("合同投资额"), "value": _yi(data["contract_investment_wan"]), "unit": _("亿元"), "url": link("signed"),
         "title": _("%(wan)s 万元") % {"wan": _wan(data["contract_investment_wan"])}, "id": "tile-contract",
         "sub": _("%(wan)s 万元") % {"wan": _wan(data["contract_investment_wan"])}},
        {"label": _("到位资金"), "value": _yi(data["funds_in_place_wan"]), "unit": _("亿元"), "url": link("funds"),
         "title": _("%(wan)s 万元") % {"wan": _wan(data["funds_in_place_wan"])}, "id": "tile-funds",
         "sub": _("同比 %(growth)s") % {"growth": "—" if growth is None else f"{'+' if growth >= 0 else ''}{_pct(growth)}%"}},
        {"label": _("开工项目"), "value": data["projects_started"], "unit": _("个"), "url": link("started"),
         "id": "tile-started"},
        {"label": _("竣工项目"), "value": data["projects_completed"], "unit": _("个"), "url": link("completed"),
         "id": "tile-completed"},
        {"label": _("投产项目"), "value": data["projects_commissioned"], "unit": _("个"), "url": link("commissioned"),
         "id": "tile-commissioned"},
        {"label": _("市级重点项目"), "value": city["count"], "unit": _("个"), "url": link(f"key:{KEY_LEVELS[0]}"),
         "id": "tile-key", "sub": _("完成年度计划 %(pct)s%%") % {"pct": _pct(city["completion_pct"])}},
    ]
    sizes = [{"name": name, "count": data["signed_by_size"].get(name, 0), "url": link(f"size:{name}")}
             for name, _floor in SIZE_BUCKETS]
    total_contract = Decimal(str(data["contract_investment_wan"]))
    channels = [{
        "name": name, "count": f["count"], "yi": _yi(f["contract_investment_wan"]), "wan": _wan(f["contract_investment_wan"]),
        "share": _pct(Decimal(str(f["contract_investment_wan"])) * 100 / total_contract) if total_contract else "—",
        "url": link(f"channel:{name}"),
    } for name, f in data["signed_by_channel"].items()]
    keys = [{
        "level": level, "count": f["count"], "plan": _wan(f["plan_wan"]), "completed": _wan(f["completed_wan"]),
        "completion": _pct(f["completion_pct"]), "time_progress": _pct(f["time_progress_pct"]),
        "ahead": _pct(f["ahead_pp"]), "behind": f["ahead_pp"] is not None and f["ahead_pp"] < 0,
        "url": link(f"key:{level}"),
    } for level, f in data["key_projects"].items()]
    chart = {"title": _("签约项目按招商方式"), "unit": _("亿元"), "channels": [
        {"name": name, "value": float(_yi(f["contract_investment_wan"]).replace(",", "")), "count": f["count"],
         "url": link(f"channel:{name}")} for name, f in data["signed_by_channel"].items()]}
    return render(request, "projects/statistics.html", {
        "period": period, "period_value": period.label, "data": data, "tiles": tiles, "sizes": sizes,
        "channels": channels, "keys": keys, "chart": chart, "quick": _quick_periods(timezone.localdate()),
        "funds": {"current": _yi(data["funds_in_place_wan"]), "current_wan": _wan(data["funds_in_place_wan"]),
                  "prev": _yi(data["funds_in_place_prev_wan"]), "prev_wan": _wan(data["funds_in_place_prev_wan"]),
                  "growth": _pct(growth), "url": link("funds"), "prev_url": link("funds_prev"),
                  "prev_period": period.previous_year()},
        "milestones": [(_("开工项目"), data["projects_started"], link("started")),
                       (_("竣工项目"), data["projects_completed"], link("completed")),
                       (_("投产项目"), data["projects_commissioned"], link("commissioned"))],
        "contract_yi": _yi(data["contract_investment_wan"]), "contract_wan": _wan(data["contract_investment_wan"]),
        "help": PERIOD_HELP,
    })


@stats_page
@require_GET
def statistics_records(request):
    """The records behind one figure, with a total row that reconciles with it."""
    period, error = _period(request)
    if period is None:
        return _bad_period(request, error)
    user = request.user
    stats = selectors.period_statistics_for_user(user=user, period=period)
    try:
        records = selectors.drill_down_records(user=user, stats=stats, figure=request.GET.get("figure", ""))
    except selectors.UnknownFigure as exc:
        return _bad_period(request, str(exc))
    return render(request, "projects/statistics_records.html", {
        "period": period, "records": records, "drill": records.drill, "kind": records.drill.kind,
        "back_url": reverse("projects:statistics") + "?" + urlencode({"period": period.label}),
        "amount": _wan(records.amount), "plan": _wan(records.plan_wan) if records.plan_wan is not None else "",
        "completed": _wan(records.completed_wan) if records.completed_wan is not None else "",
        "completion": _pct(records.completed_wan * 100 / records.plan_wan)
        if records.plan_wan else "—",
    })
