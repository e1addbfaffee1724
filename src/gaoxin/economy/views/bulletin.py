"""The 经济运行简报 page: pick a period, read the bulletin, download it as Word, HTML or Markdown.

Leaders and department staff of the zone read the zone's bulletin; enterprise users and administrators get
403. A period that cannot be read is a 400 with the reason; a period without any figure is a message on the
page (and a 404 for a download, since there is no file), never a 500.
"""

import datetime as dt
from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from gaoxin.core.pages import business_page
from gaoxin.projects.engine import PERIOD_HELP, Period, PeriodError, parse_period

from ..bulletin import compose
from ..render.charts import cjk_font_available
from ..render.html import render_html
from ..selectors.bulletin import NoBulletinData, bulletin_input
from ..services.bulletin import FORMATS, bulletin_export, require_bulletin_reader

bulletin_page = business_page(enterprise_users=False)
TEMPLATE = "economy/bulletin.html"
DOWNLOADS = (("docx", gettext_lazy("下载 Word（.docx）")), ("html", gettext_lazy("下载网页（.html）")),
             ("md", gettext_lazy("下载 Markdown（.md）")))


def default_period(today: dt.date | None = None) -> Period:
    """The last complete month: a month's figures are published after it ends."""
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


def _quick_periods(today: dt.date) -> list[dict]:
    periods = []
    for year in (today.year, today.year - 1):
        for label, suffix in ((_("一季度"), "Q1"), (_("上半年"), "H1"), (_("前三季度"), "Q3"), (_("全年"), "")):
            periods.append({"year": year, "label": label, "value": f"{year}{suffix}",
                            "period": parse_period(f"{year}{suffix}")})
    return periods


def _page(request, *, period: Period | None, status: int = 200, **extra):
    context = {
        "period": period,
        "period_value": period.label if period else request.GET.get("period", ""),
        "quick": _quick_periods(timezone.localdate()),
        "help": PERIOD_HELP,
        **extra,
    }
    return render(request, TEMPLATE, context, status=status)


@bulletin_page
@require_GET
def bulletin_preview(request):
    require_bulletin_reader(request.user)
    period, error = _period(request)
    if period is None:
        return _page(request, period=None, status=400, error=error)
    try:
        data = bulletin_input(zone=request.user.zone, period=period)
    except NoBulletinData as exc:
        return _page(request, period=period, empty=str(exc))
    bulletin = compose(data)
    base = reverse("economy:bulletin_download")
    downloads = [{"format": fmt, "label": label,
                  "url": base + "?" + urlencode({"period": period.label, "format": fmt})}
                 for fmt, label in DOWNLOADS]
    return _page(request, period=period, bulletin=bulletin, preview=render_html(bulletin, standalone=False),
                 downloads=downloads, charts=any(s.charts for s in bulletin.sections),
                 cjk_font=cjk_font_available())


@bulletin_page
@require_GET
def bulletin_download(request):
    require_bulletin_reader(request.user)
    period, error = _period(request)
    if period is None:
        return _page(request, period=None, status=400, error=error)
    fmt = request.GET.get("format", "").strip().lower()
    if fmt not in FORMATS:
        return _page(request, period=period, status=400,
                     error=_("下载格式“%(fmt)s”无法识别，应为 docx、html 或 md。") % {"fmt": fmt})
    try:
        file = bulletin_export(user=request.user, period=period, fmt=fmt)
    except NoBulletinData as exc:
        return _page(request, period=period, status=404, empty=str(exc))
    response = HttpResponse(file.content, content_type=file.content_type)
    response["Content-Disposition"] = content_disposition_header(True, file.filename)
    return response
