"""`gaoxin calendar check YEAR`: is the year's holiday arrangement known, and how many workdays has it."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from gaoxin.core.calendar import work_calendar
from gaoxin.core.models import CalendarYear
from gaoxin.core.workcal import PACKAGE_VERSION, UnknownCalendarYear


class Command(BaseCommand):
    help = _("工作日历：检查某年的节假日安排是否已录入。")

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        check = actions.add_parser("check", help=_("显示该年的数据来源和全年工作日数；未录入时退出码为 1。"))
        check.add_argument("year", type=int)

    def handle(self, *args, action, year, **options):
        calendar = work_calendar()
        try:
            count = calendar.workday_count(year)
        except UnknownCalendarYear as e:
            raise CommandError(str(e), returncode=1) from None
        except ValueError as e:
            raise CommandError(str(e), returncode=2) from None
        if calendar.source_of(year) == "admin":
            source = CalendarYear.objects.get(year=year).source or _("未注明依据")
            origin = _("管理员录入（%(source)s）") % {"source": source}
        else:
            origin = _("内置数据（chinesecalendar %(version)s）") % {"version": PACKAGE_VERSION}
        self.stdout.write(_("%(year)s 年：%(origin)s，全年工作日 %(count)s 天。") % {
            "year": year, "origin": origin, "count": count})
