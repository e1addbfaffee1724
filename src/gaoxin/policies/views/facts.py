"""The facts page (事实表): what each column means, the zone's table for a year, and its download (.xlsx or
.csv), which `gaoxin policies match --facts` reads as it is.

Leaders and department staff read it (it is the zone's one table, whoever keeps the records behind it);
enterprise users and administrators get 403.
"""

import csv
import io
from decimal import Decimal

import xlsxwriter
from django.contrib import messages
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from gaoxin.core.audit.models import SecurityEventKind
from gaoxin.core.audit.services import security_event_record
from gaoxin.core.imports.workbooks import CONTENT_TYPES, SAFE
from gaoxin.core.pages import business_page, paginate

from ..forms import year_choices
from ..selectors.facts import FACT_COLUMNS, FACTS_SCHEMA, default_year, fact_rows, parse_year

facts_page = business_page(enterprise_users=False)
FORMATS = ("xlsx", "csv")


def _cell(value) -> str:
    if value is None:
        return ""
    return str(value)  # Decimal keeps its two places: "1500.00"


@facts_page
@require_GET
def facts_table(request):
    raw = request.GET.get("year", "")
    year = parse_year(raw) if raw else default_year()
    if year is None:
        messages.warning(request, _("“%(year)s”不是可查看的年度，已显示 %(default)s 年的事实表。") % {
            "year": raw[:20], "default": default_year()})
        year = default_year()
    rows = fact_rows(zone=request.user.zone_id, year=year)
    page = paginate(request, rows)
    return render(request, "policies/facts.html", {
        "year": year,
        "years": year_choices(),
        "columns": FACT_COLUMNS,
        "page_obj": page,
        "table": [[_cell(row.values[c]) for c in FACTS_SCHEMA] for row in page.object_list],
    })


@facts_page
@require_GET
def facts_download(request):
    raw = request.GET.get("year", "")
    year = parse_year(raw) if raw else default_year()
    fmt = request.GET.get("format", "xlsx")
    if year is None:
        return HttpResponseBadRequest(_("“%(year)s”不是可下载的年度。") % {"year": raw[:20]},
                                      content_type="text/plain; charset=utf-8")
    if fmt not in FORMATS:
        return HttpResponseBadRequest(_("format 只能是 xlsx 或 csv。"), content_type="text/plain; charset=utf-8")
    rows = fact_rows(zone=request.user.zone_id, year=year)
    body = _csv(rows) if fmt == "csv" else _xlsx(rows)
    # the facts carry every firm's reported tax and revenue: leaving the platform is a security event
    security_event_record(kind=SecurityEventKind.EXPORT, user=request.user, zone=request.user.zone,
                          detail=f"policy_facts: {year} 年, {len(rows)} 家企业, {fmt}")
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="facts-{year}.{fmt}"'
    return response


def _csv(rows) -> bytes:
    # with a BOM, as the platform's other exports: Excel then reads the Chinese text; the CLI skips it
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(list(FACTS_SCHEMA))
    for row in rows:
        writer.writerow([_cell(row.values[c]) for c in FACTS_SCHEMA])
    return out.getvalue().encode("utf-8-sig")


def _xlsx(rows) -> bytes:
    """The facts on the first sheet (what the CLI reads), the column documentation on the second."""
    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(out, {"in_memory": True, **SAFE})
    header = workbook.add_format({"bold": True, "bg_color": "#DCE6F1", "border": 1})
    money = workbook.add_format({"num_format": "0.00"})
    text = workbook.add_format({"num_format": "@"})
    sheet = workbook.add_worksheet("facts")
    names = list(FACTS_SCHEMA)
    sheet.write_row(0, 0, names, header)
    sheet.freeze_panes(1, 2)
    for r, row in enumerate(rows, start=1):
        for c, name in enumerate(names):
            value = row.values[name]
            if value is None:
                continue
            if isinstance(value, Decimal):
                sheet.write_number(r, c, float(value), money)  # two decimals survive a float as shown
            elif isinstance(value, int):
                sheet.write_number(r, c, value)
            else:
                sheet.write_string(r, c, value, text)
    doc = workbook.add_worksheet(_("列说明"))
    doc.write_row(0, 0, [_("列名"), _("含义"), _("类型"), _("来源"), _("说明")], header)
    for r, column in enumerate(FACT_COLUMNS, start=1):
        doc.write_row(r, 0, [column.name, str(column.label), column.dtype, str(column.source),
                             str(column.description)])
    workbook.close()
    return out.getvalue()
