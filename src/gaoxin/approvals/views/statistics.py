"""The approval statistics page: a window of months, charts (ECharts, data via json_script) and the tables
they are drawn from, the whole-process time of each construction case against its route's target, and the
decided items behind each figure (?figure=…).

Leaders read their zones' figures, department staff their department's; enterprise users and administrators
get 403. A window that cannot be read is a 400 with the reason, never a 500.
"""

from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from gaoxin.core.pages import business_page

from ..selectors.statistics import StatisticsPeriodError, Window, approval_statistics, parse_window

stats_page = business_page(enterprise_users=False)


def _quick(today) -> list[dict]:
    last_year = today.year - 1
    index = today.year * 12 + today.month - 1 - 11  # the month eleven months back: twelve months in all
    twelve = f"{index // 12}-{index % 12 + 1:02d}"
    return [
        {"label": _("本年"), "from": f"{today.year}-01", "to": f"{today:%Y-%m}"},
        {"label": _("上年"), "from": f"{last_year}-01", "to": f"{last_year}-12"},
        {"label": _("近 12 个月"), "from": twelve, "to": f"{today:%Y-%m}"},
    ]


def _url(window: Window, **extra) -> str:
    return reverse("approvals:statistics") + "?" + urlencode({"from": window.first_month, "to": window.last_month,
                                                             **extra})


def _num(value) -> float | None:
    return None if value is None else float(value)


@stats_page
@require_GET
def statistics(request):
    today = timezone.localdate()
    quick = _quick(today)
    try:
        window = parse_window(request.GET.get("from"), request.GET.get("to"), today=today)
    except StatisticsPeriodError as exc:
        return render(request, "approvals/statistics.html", {
            "error": str(exc), "quick": quick, "from_value": request.GET.get("from", ""),
            "to_value": request.GET.get("to", "")}, status=400)
    stats = approval_statistics(user=request.user, window=window, today=today)
    base = {"window": window, "quick": quick, "from_value": window.first_month, "to_value": window.last_month,
            "back_url": _url(window), "provisional_years": sorted(stats.provisional_years)}

    figure = request.GET.get("figure")
    if figure is not None:
        try:
            label, rows = stats.drill(figure)
        except StatisticsPeriodError as exc:
            return render(request, "approvals/statistics.html", {**base, "error": str(exc)}, status=400)
        return render(request, "approvals/statistics_records.html", {
            **base, "label": label, "rows": rows, "total_used": sum(r.used_wd for r in rows),
            "on_time": sum(1 for r in rows if r.status == "按期办结")})

    stages = [{"group": g, "url": _url(window, figure=f"stage:{g.key}")} for g in stats.by_stage]
    items = [{"group": g, "url": _url(window, figure=f"item:{g.key}")} for g in stats.by_item]
    chart = {
        "unit": _("工作日"),
        "stages": {"title": _("各阶段平均办理用时（工作日）"), "used": _("平均用时"), "limit": _("平均时限"),
                   "rows": [{"name": s["group"].label, "used": _num(s["group"].avg_wd),
                             "limit": _num(s["group"].avg_limit), "url": s["url"]} for s in stages]},
        "cases": {"title": _("工程建设项目全流程用时（工作日）"), "used": _("全流程用时"), "target": _("目标"),
                  "rows": [{"name": r.case.code, "title": r.case.title, "used": r.total_wd, "target": r.target_wd,
                            "url": r.case.get_absolute_url()} for r in stats.finished_cases]},
    }
    return render(request, "approvals/statistics.html", {
        **base, "stats": stats, "stages": stages, "items": items, "chart": chart,
        "all_url": _url(window, figure="all"), "on_time_url": _url(window, figure="on_time"),
        "late_url": _url(window, figure="late"),
    })
