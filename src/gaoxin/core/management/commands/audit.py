"""`gaoxin audit prune [--days N]`: remove audit rows older than the retention period (at least 180 days).

网络安全法 art. 21 requires network logs to be kept for at least six months; the service refuses less.
"""

import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.core.audit.services import prune_audit_trail


class Command(BaseCommand):
    help = _("审计日志：按保留期清理过期的审计记录。")

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
        prune = actions.add_parser(
            "prune", help=_("删除早于保留期的变更记录和安全事件；保留期不得少于 %(min)d 天")
            % {"min": settings.GAOXIN_AUDIT_RETENTION_DAYS},
        )
        prune.add_argument("--days", type=int, default=settings.GAOXIN_AUDIT_RETENTION_DAYS, metavar="N",
                           help=_("保留最近 N 天（默认 %(min)d）") % {"min": settings.GAOXIN_AUDIT_RETENTION_DAYS})

    def handle(self, *args, action, days, **options):
        minimum = settings.GAOXIN_AUDIT_RETENTION_DAYS
        if days < minimum:
            raise CommandError(
                _("保留期不得少于 %(min)d 天（网络安全法第二十一条：网络日志留存不少于六个月），收到 %(days)d 天，未删除任何记录。")
                % {"min": minimum, "days": days},
                returncode=1,
            )
        removed = prune_audit_trail(retention_days=days)
        cutoff = timezone.localdate() - dt.timedelta(days=days)
        self.stdout.write(_("已删除 %(n)d 条早于 %(date)s 的审计记录（保留 %(days)d 天）。")
                          % {"n": removed, "date": cutoff.isoformat(), "days": days})
