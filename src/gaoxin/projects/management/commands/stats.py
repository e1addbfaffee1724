"""gaoxin stats --zone CODE --period P [--format json|table]: the period statistics of issue 5.

P is cumulative from 1 January: `2025-06` is 2025-01-01 … 2025-06-30; `2025Q1` = `2025-03`, `2025H1` =
`2025-06`, `2025Q3` = `2025-09`, `2025` = `2025-12`. The JSON (the default; UTF-8, indent 2) carries the
keys of `engine.PeriodStatistics.as_contract()`: amounts in 万元 as numbers, percentages unrounded.
`table` prints the same figures for people, rounded half-up, aligned.

Exit 0; a bad period or an unknown zone exits 2 with the reason on stderr (as `gaoxin evaluate` does),
and so does wrong usage. The command reads the whole zone: a trusted caller, no user scope.
"""

import json
import unicodedata
from decimal import ROUND_HALF_UP, Decimal

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from gaoxin.accounts.management.commands._cli import GaoxinCommand
from gaoxin.accounts.models import Zone

from ...engine import PERIOD_HELP, PeriodError, parse_period
from ...selectors.statistics import (
    AMOUNT,
    COUNT,
    PERCENT,
    POINTS,
    figure_rows,
    period_statistics_for_zone,
    unit_of,
)

EXIT_BAD_INPUT = 2


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, *, right: bool = False) -> str:
    fill = " " * max(0, width - _width(text))
    return fill + text if right else text + fill


def _amount(value) -> str:
    return f"{Decimal(str(value)).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,}"


def _pct(value) -> str:
    if value is None:
        return "—"
    return str(Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def table_rows(data: dict) -> list[tuple[str, str, str]]:
    """(label, value, unit) for every figure, rounded half-up for reading."""
    shown = {COUNT: str, AMOUNT: _amount, PERCENT: _pct, POINTS: _pct}
    return [("  " * indent + label, shown[kind](value), unit_of(kind)) for label, value, kind, indent in figure_rows(data)]


def render_table(title: str, rows: list[tuple[str, str, str]]) -> str:
    head = (_("项目"), _("数值"), _("单位"))
    widths = [max(_width(r[i]) for r in [head, *rows]) for i in range(3)]
    header = "  ".join(_pad(h, w, right=i == 1) for i, (h, w) in enumerate(zip(head, widths, strict=True)))
    lines = [title, header.rstrip(), "  ".join("-" * w for w in widths)]
    for label, value, unit in rows:
        lines.append(f"{_pad(label, widths[0])}  {_pad(value, widths[1], right=True)}  {unit}".rstrip())
    return "\n".join(lines)


class Command(GaoxinCommand):
    @property
    def help(self):  # argparse needs a real str
        return _("按期间（自 1 月 1 日起累计）统计签约、到位资金、开工竣工投产和重点项目投资完成情况。")

    def add_arguments(self, parser):
        parser.add_argument("--zone", required=True, metavar="CODE", help=_("园区代码"))
        parser.add_argument("--period", required=True, metavar="P", help=PERIOD_HELP)
        parser.add_argument("--format", dest="output_format", choices=("json", "table"), default="json",
                            help=_("输出格式：json（默认）或 table"))

    def handle(self, *args, zone, period, output_format="json", **options):
        try:
            parsed = parse_period(period)
        except PeriodError as exc:
            raise CommandError(str(exc), returncode=EXIT_BAD_INPUT) from None
        target = Zone.objects.filter(code=zone).first()
        if target is None:
            raise CommandError(_("园区代码“%(code)s”不存在。") % {"code": zone}, returncode=EXIT_BAD_INPUT)
        data = period_statistics_for_zone(zone=target, period=parsed).as_contract()
        if output_format == "table":
            title = _("%(zone)s %(from)s 至 %(to)s 项目统计") % {"zone": target.name, "from": data["from"],
                                                               "to": data["to"]}
            self.stdout.write(render_table(title, table_rows(data)))
        else:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False))
