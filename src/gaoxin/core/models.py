from django.db import models
from django.utils.translation import gettext_lazy as _

from .audit.models import ObjectChange, SecurityEvent

__all__ = ["CalendarYear", "ObjectChange", "SecurityEvent"]


class CalendarYear(models.Model):
    """Holidays and make-up workdays of a year the chinesecalendar package does not know yet.

    The State Council publishes each year's arrangement (国务院办公厅关于…部分节假日安排的通知) in
    November or December; an administrator enters it here until the package catches up.
    """

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    holidays = models.JSONField(_("法定节假日（含调休放假）"), default=list, help_text=_("YYYY-MM-DD 日期列表"))
    workdays = models.JSONField(_("调休上班日"), default=list, blank=True, help_text=_("周末需上班的日期，YYYY-MM-DD"))
    source = models.CharField(_("依据"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("工作日历年度")
        verbose_name_plural = _("工作日历年度")

    def __str__(self):
        return str(self.year)
