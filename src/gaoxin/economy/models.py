"""Economic monitoring: each zone's indicator catalog, the official observations with their revisions, the
city's figures for comparison, and yearly targets.

Official growth rates are facts (economy.md §0): an observation stores the published cumulative level and
the published cumulative YoY growth side by side, and nothing recomputes one from the other. A revision
never overwrites: it adds a row with the next revision number and marks the previous one as no longer
current, so the history of every figure stays readable.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gaoxin.core.models_base import BusinessRecord
from gaoxin.core.permissions import ScopeRule

MIN_YEAR, MAX_YEAR = 2000, 2100
YEAR = [MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)]
MONTH = [MinValueValidator(1), MaxValueValidator(12)]


class IndicatorKind(models.TextChoices):
    OFFICIAL = "官方", _("官方统计（导入）")
    COMPUTED = "计算", _("平台计算（来自业务记录）")


class Frequency(models.TextChoices):
    MONTHLY = "月度", _("月度")
    QUARTERLY = "季度", _("季度")


class ComputedKey(models.TextChoices):
    """The platform's own figures (projects issue statistics) an indicator of kind 计算 shows."""

    SIGNED_PROJECTS = "signed_projects", _("签约项目数")
    CONTRACT_INVESTMENT = "contract_investment_wan", _("合同投资额")
    FUNDS_IN_PLACE = "funds_in_place_wan", _("到位资金")
    PROJECTS_STARTED = "projects_started", _("开工项目数")
    PROJECTS_COMPLETED = "projects_completed", _("竣工项目数")
    PROJECTS_COMMISSIONED = "projects_commissioned", _("投产项目数")
    CITY_KEY_COMPLETION = "key_projects.市级.completion_pct", _("市级重点项目投资完成率")
    DISTRICT_KEY_COMPLETION = "key_projects.区级.completion_pct", _("区级重点项目投资完成率")


class Indicator(models.Model):
    """One line of a zone's indicator catalog. Zones start from DEFAULT_INDICATORS (economy/catalog.py)."""

    zone = models.ForeignKey("accounts.Zone", on_delete=models.CASCADE, related_name="+", verbose_name=_("园区"))
    code = models.SlugField(_("指标代码"), max_length=60)
    name = models.CharField(_("指标名称"), max_length=60)
    unit = models.CharField(_("计量单位"), max_length=20, help_text=_("累计值的单位，如 亿元、万元、个、%"))
    kind = models.CharField(_("来源类型"), max_length=2, choices=IndicatorKind.choices)
    frequency = models.CharField(_("频率"), max_length=2, choices=Frequency.choices, default=Frequency.MONTHLY)
    computed_key = models.CharField(_("计算口径"), max_length=60, choices=ComputedKey.choices, blank=True)
    aggregation = models.CharField(_("汇总方式"), max_length=200, blank=True,
                                   help_text=_("如：1 月至当月累计；增速按可比价计算"))
    is_headline = models.BooleanField(_("首页指标"), default=False)
    order = models.PositiveSmallIntegerField(_("排序"), default=100)
    is_active = models.BooleanField(_("启用"), default=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    audit_exclude = ("updated_at",)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "code"], name="indicator_code_unique_in_zone",
                                    violation_error_message=_("本园区已有该指标代码。")),
            models.UniqueConstraint(fields=["zone", "name"], name="indicator_name_unique_in_zone",
                                    violation_error_message=_("本园区已有同名指标。")),
        ]
        verbose_name = _("经济指标")
        verbose_name_plural = _("经济指标")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("economy:indicator_detail", args=[self.pk])

    def clean(self):
        if self.kind == IndicatorKind.COMPUTED and not self.computed_key:
            raise ValidationError({"computed_key": _("平台计算的指标须选择计算口径。")})
        if self.kind == IndicatorKind.OFFICIAL and self.computed_key:
            raise ValidationError({"computed_key": _("官方统计指标不设计算口径。")})


class Region(models.TextChoices):
    ZONE = "本区", _("本区")
    CITY = "全市", _("全市")


class ObservationStatus(models.TextChoices):
    PRELIMINARY = "初步", _("初步")
    REVISED = "修订", _("修订")
    FINAL = "最终", _("最终")


class Observation(BusinessRecord):
    """A published figure of one indicator for one cumulative period (1 January … end of `month`)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="observations",
                                  verbose_name=_("指标"))
    region = models.CharField(_("范围"), max_length=2, choices=Region.choices, default=Region.ZONE)
    year = models.PositiveSmallIntegerField(_("年度"), validators=YEAR)
    month = models.PositiveSmallIntegerField(_("截至月份"), validators=MONTH)
    value = models.DecimalField(_("累计值"), max_digits=18, decimal_places=4, null=True, blank=True)
    growth_pct = models.DecimalField(_("累计增速（%）"), max_digits=9, decimal_places=2, null=True, blank=True)
    source = models.CharField(_("来源"), max_length=200, blank=True)
    status = models.CharField(_("状态"), max_length=2, choices=ObservationStatus.choices,
                              default=ObservationStatus.PRELIMINARY)
    revision = models.PositiveSmallIntegerField(_("版次"), default=1)
    is_current = models.BooleanField(_("现行"), default=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("录入人"))
    note = models.CharField(_("说明"), max_length=500, blank=True)
    department = models.ForeignKey("accounts.Department", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("主管部门"))

    scope = ScopeRule(zone="zone", department="department", enterprise=None)

    class Meta:
        ordering = ["indicator", "-year", "-month", "-revision"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "region", "year", "month", "revision"],
                                    name="observation_revision_unique"),
            models.UniqueConstraint(fields=["indicator", "region", "year", "month"], condition=Q(is_current=True),
                                    name="observation_one_current"),
        ]
        indexes = [models.Index(fields=["zone", "year", "month"])]
        verbose_name = _("指标数据")
        verbose_name_plural = _("指标数据")

    def __str__(self):
        return f"{self.indicator} {self.year}-{self.month:02d}"

    @property
    def period_label(self) -> str:
        return f"{self.year}-{self.month:02d}"

    def clean(self):
        errors = {}
        if self.value is None and self.growth_pct is None:
            errors["value"] = _("累计值和累计增速至少填写一项。")
        if self.indicator_id and self.zone_id and self.indicator.zone_id != self.zone_id:
            errors["indicator"] = _("指标不属于该园区。")
        if self.indicator_id and self.indicator.kind == IndicatorKind.COMPUTED:
            errors["indicator"] = _("“%(name)s”由平台根据业务记录计算，不能录入。") % {"name": self.indicator.name}
        if (self.indicator_id and self.indicator.frequency == Frequency.QUARTERLY and self.month
                and self.month % 3):
            errors["month"] = _("季度指标的期间应为季末月份（3、6、9、12 月）。")
        if errors:
            raise ValidationError(errors)


class Target(BusinessRecord):
    """A year's target for an indicator: a growth rate (e.g. GDP +7 %) and/or a level."""

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="targets",
                                  verbose_name=_("指标"))
    year = models.PositiveSmallIntegerField(_("年度"), validators=YEAR)
    growth_pct = models.DecimalField(_("目标增速（%）"), max_digits=9, decimal_places=2, null=True, blank=True)
    value = models.DecimalField(_("目标值"), max_digits=18, decimal_places=4, null=True, blank=True)
    note = models.CharField(_("说明"), max_length=500, blank=True)
    department = models.ForeignKey("accounts.Department", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("主管部门"))

    scope = ScopeRule(zone="zone", department="department", enterprise=None)

    class Meta:
        ordering = ["-year", "indicator"]
        constraints = [models.UniqueConstraint(fields=["indicator", "year"], name="target_unique_per_year",
                                               violation_error_message=_("该指标已有该年度的目标。"))]
        verbose_name = _("年度目标")
        verbose_name_plural = _("年度目标")

    def __str__(self):
        return f"{self.indicator} {self.year}"

    def clean(self):
        if self.growth_pct is None and self.value is None:
            raise ValidationError({"growth_pct": _("目标增速和目标值至少填写一项。")})
        if self.indicator_id and self.zone_id and self.indicator.zone_id != self.zone_id:
            raise ValidationError({"indicator": _("指标不属于该园区。")})
