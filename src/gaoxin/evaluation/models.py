from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gaoxin.core.models_base import BusinessRecord
from gaoxin.core.permissions import ScopeRule


class SchemeStatus(models.TextChoices):
    DRAFT = "草稿", _("草稿")
    ACTIVE = "已启用", _("已启用")


class EvaluationScheme(BusinessRecord):
    """A zone's 亩均 evaluation scheme for one year: the TOML text the engine and the CLI accept.

    `name` and `year` are read from the text on every save (the text is the single source of truth), so the
    record and the TOML can never disagree. History needs no version table: every change of the text goes
    through the audited services, and ObjectChange keeps the TOML before and after each version.
    """

    department = models.ForeignKey("accounts.Department", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("主管部门"))
    year = models.PositiveSmallIntegerField(_("评价年度"))
    name = models.CharField(_("方案名称"), max_length=200)
    toml = models.TextField(_("方案内容（TOML）"))
    version = models.PositiveIntegerField(_("版本"), default=1)
    based_on = models.CharField(_("来源预设"), max_length=30, blank=True)
    status = models.CharField(_("状态"), max_length=4, choices=SchemeStatus.choices, default=SchemeStatus.DRAFT)

    scope = ScopeRule(zone="zone", department="department", enterprise=None)

    class Meta:
        ordering = ["-year", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "year"], condition=Q(status="已启用"), name="evaluation_scheme_one_active_per_year",
                violation_error_message=_("本园区该年度已有启用的评价方案：每个年度只能启用一个方案。"),
            ),
        ]
        verbose_name = _("评价方案")
        verbose_name_plural = _("评价方案")

    def __str__(self):
        return f"{self.year} {self.name}"

    def get_absolute_url(self):
        return reverse("evaluation:scheme_detail", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.status == SchemeStatus.ACTIVE
