"""gaoxin projects scan [--zone CODE] [--date YYYY-MM-DD]: the daily pass over the issue lists.

Every unresolved issue past its deadline that is not yet escalated is escalated to the zone's leaders
(提请领导协调, note "逾期自动提请领导协调"), audited as done by the operator via the CLI. Idempotent and
cron-friendly: a second run the same day escalates nothing new. Prints one summary line per zone; exit 0.
A bad date or an unknown zone exits 1 with the reason; wrong usage exits 2.
"""

import datetime as dt

from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.accounts.management.commands._cli import EXIT_BAD_INPUT, GaoxinCommand, cli_actor
from gaoxin.accounts.models import Zone

from ...models import UNRESOLVED_ISSUE_STATUSES, ProjectIssue
from ...services.issues import issues_escalate_overdue


class Command(GaoxinCommand):
    help = "项目调度定时任务：scan 将逾期未解决的项目问题自动提请领导协调。"

    def add_arguments(self, parser):
        actions = self.add_actions(parser)
        scan = actions.add_parser("scan", help="逾期问题自动提请领导协调（可重复运行）")
        scan.add_argument("--zone", help="园区代码；省略则扫描全部园区")
        scan.add_argument("--date", help="按该日期判断逾期（YYYY-MM-DD，默认今天）")

    def handle(self, *args, action, **options):
        if action == "scan":
            self.scan(zone=options.get("zone"), date=options.get("date"))

    def scan(self, *, zone: str | None, date: str | None):
        if date:
            try:
                as_of = dt.date.fromisoformat(date)
            except ValueError:
                raise CommandError(_("日期“%(raw)s”格式错误，应为 YYYY-MM-DD。") % {"raw": date},
                                   returncode=EXIT_BAD_INPUT) from None
        else:
            as_of = timezone.localdate()
        zones = Zone.objects.order_by("code")
        if zone:
            zones = zones.filter(code=zone)
            if not zones.exists():
                raise CommandError(_("园区代码“%(code)s”不存在。") % {"code": zone}, returncode=EXIT_BAD_INPUT)
        with cli_actor():
            for z in zones:
                escalated = issues_escalate_overdue(zone=z, as_of=as_of)
                overdue = ProjectIssue.objects.filter(zone=z, status__in=UNRESOLVED_ISSUE_STATUSES,
                                                      deadline__lt=as_of).count()
                self.stdout.write(_("%(code)s %(name)s（%(date)s）：逾期未解决问题 %(overdue)s 个，本次提请领导协调 %(new)s 个")
                                  % {"code": z.code, "name": z.name, "date": as_of.isoformat(),
                                     "overdue": overdue, "new": len(escalated)})
