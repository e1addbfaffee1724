"""The period statistics as a workbook (统计表), for the people who report them upwards.

The sheet says on its first rows which zone, period and data scope the figures come from; every download
is recorded as a security event, like every other export.
"""

import xlsxwriter
from django.utils.translation import gettext as _

from gaoxin.core.audit.models import SecurityEventKind
from gaoxin.core.audit.services import security_event_record
from gaoxin.core.imports.workbooks import HEADER, SAFE
from gaoxin.core.permissions import Role

from ..engine import Period
from ..selectors.statistics import AMOUNT, COUNT, figure_rows, period_statistics_for_user, unit_of


def statistics_title(*, user, period: Period) -> str:
    return _("%(zone)s招商引资与项目建设统计表（%(from)s 至 %(to)s）") % {
        "zone": user.zone.name, "from": period.start.isoformat(), "to": period.end.isoformat()}


def statistics_export(*, user, period: Period, out) -> dict:
    """Write the user's figures for `period` as .xlsx to the binary file `out`; returns the contract JSON."""
    data = period_statistics_for_user(user=user, period=period).as_contract()
    scope = _("全区") if user.role == Role.ZONE_LEADER else (user.department.name if user.department else "")
    wb = xlsxwriter.Workbook(out, {**SAFE})
    ws = wb.add_worksheet(_("统计表"))
    ws.set_column(0, 0, 30)
    ws.set_column(1, 1, 18)
    ws.set_column(2, 2, 12)
    title_format = wb.add_format({"bold": True, "font_size": 13})
    header = wb.add_format(HEADER)
    formats = {COUNT: wb.add_format({"num_format": "0"}), AMOUNT: wb.add_format({"num_format": "#,##0.00"})}
    ratio = wb.add_format({"num_format": "0.0"})
    ws.write_string(0, 0, statistics_title(user=user, period=period), title_format)
    ws.write_string(1, 0, _("数据范围：%(scope)s；期间自 1 月 1 日起累计；金额单位万元，百分比保留一位小数（四舍五入）。")
                    % {"scope": scope})
    for col, name in enumerate((_("指标"), _("数值"), _("单位"))):
        ws.write_string(2, col, name, header)
    ws.freeze_panes(3, 0)
    for row, (label, value, kind, indent) in enumerate(figure_rows(data), start=3):
        ws.write_string(row, 0, "　" * indent + label)
        if value is None:
            ws.write_string(row, 1, "—")
        else:
            ws.write_number(row, 1, value, formats.get(kind, ratio))
        ws.write_string(row, 2, unit_of(kind))
    wb.close()
    security_event_record(kind=SecurityEventKind.EXPORT, user=user, zone=user.zone,
                          detail=f"project_statistics: {period.label}, xlsx; 范围 {scope}")
    return data
