"""gaoxin approvals scan [--zone CODE] [--date YYYY-MM-DD] [--dry-run]: the daily warnings scan.

Refreshes the legal clock of every open approval item, notifies the responsible department (e-mail, 企业微信 /
钉钉 group robots) once per item and clock state (预警, then 逾期), marks missed 容缺 supplements, reminds of
due 告知承诺 verifications, and retries failed notices. Idempotent and cron-friendly: a second run the same
day creates nothing new. Prints one summary line per zone; exit 0 (failed deliveries are reported in the
summary and retried by the next run, they are not an error of the run). A bad date or an unknown zone exits
2 with the reason on stderr. --dry-run computes and reports without writing or sending anything.
"""

import datetime as dt
import re

from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.accounts.management.commands._cli import EXIT_USAGE, GaoxinCommand, cli_actor
from gaoxin.accounts.models import Zone

from ...services.notices import notices_scan

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class Command(GaoxinCommand):
    help = "审批服务定时任务：scan 刷新在办事项的法定时限，向办理部门发送预警、逾期通知，并重试发送失败的通知。"

    def add_arguments(self, parser):
        actions = self.add_actions(parser)
        scan = actions.add_parser("scan", help="扫描在办事项并发送预警通知（可重复运行）")
        scan.add_argument("--zone", help="园区代码；省略则扫描全部园区")
        scan.add_argument("--date", help="按该日期计算时限状态（YYYY-MM-DD，默认今天）")
        scan.add_argument("--dry-run", action="store_true", dest="dry_run",
                          help="只计算并报告，不写入、不发送")

    def handle(self, *args, action, **options):
        if action == "scan":
            self.scan(zone=options.get("zone"), date=options.get("date"), dry_run=options.get("dry_run", False))

    def scan(self, *, zone: str | None, date: str | None, dry_run: bool):
        if date:
            try:
                if not ISO_DATE.fullmatch(date):
                    raise ValueError(date)  # fromisoformat would also take 20251020 or 2025-W43
                today = dt.date.fromisoformat(date)
            except ValueError:
                raise CommandError(_("日期“%(raw)s”格式错误，应为 YYYY-MM-DD。") % {"raw": date},
                                   returncode=EXIT_USAGE) from None
        else:
            today = timezone.localdate()
        target = None
        if zone:
            target = Zone.objects.filter(code=zone).first()
            if target is None:
                raise CommandError(_("园区代码“%(code)s”不存在。") % {"code": zone}, returncode=EXIT_USAGE)
        with cli_actor():
            result = notices_scan(zone=target, today=today, dry_run=dry_run)
        prefix = _("［试运行，未写入、未发送］") if dry_run else ""
        for scan in result.zones:
            self.stdout.write(prefix + scan.summary())
            for error in scan.errors:
                self.stderr.write(_("  未处理：%(error)s") % {"error": error})
