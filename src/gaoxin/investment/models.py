"""Investment attraction (招商引资): leads and their follow-ups, signings, and funds in place (到位资金).

A signing always belongs to a project of the project library (签约即入库): signing a lead creates the
project, and an imported signing with an unknown 项目编号 creates it too. Funds in place here are the
investment-promotion concept (money actually put into signed projects), not FAI funding sources.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gaoxin.core.models_base import BusinessRecord
from gaoxin.core.permissions import ScopeRule

AMOUNT = {"max_digits": 14, "decimal_places": 2}
POSITIVE = [MinValueValidator(Decimal("0.01"))]


class Channel(models.TextChoices):
    """招商方式, as the zone's statistics report them."""

    TASK_FORCE = "专班招商", _("专班招商")
    RESIDENT = "驻外招商", _("驻外招商")
    FUND = "基金招商", _("基金招商")
    BUSINESS = "以商招商", _("以商招商")
    PLATFORM = "平台招商", _("平台招商")
    OTHER = "其他", _("其他")


class LeadStage(models.TextChoices):
    LEAD = "线索", _("线索")
    NEGOTIATING = "洽谈", _("洽谈")
    SIGNED = "签约", _("已签约")
    DROPPED = "终止", _("已终止")


OPEN_LEAD_STAGES = (LeadStage.LEAD, LeadStage.NEGOTIATING)


class Lead(BusinessRecord):
    """A 招商线索: a possible project, followed up until it is signed or dropped."""

    name = models.CharField(_("项目名称"), max_length=200)
    investor = models.CharField(_("投资方"), max_length=200)
    investor_region = models.CharField(_("投资方所在地"), max_length=100, blank=True)
    channel = models.CharField(_("招商方式"), max_length=4, choices=Channel.choices)
    source = models.CharField(_("线索来源"), max_length=200, blank=True, help_text=_("如：展会、商协会、基金推荐"))
    industry = models.CharField(_("产业方向"), max_length=50, blank=True)
    expected_investment_wan = models.DecimalField(_("预计投资（万元）"), **AMOUNT, null=True, blank=True,
                                                  validators=POSITIVE)
    content = models.TextField(_("项目内容"), blank=True)
    contact = models.CharField(_("联系人及方式"), max_length=200, blank=True)
    stage = models.CharField(_("阶段"), max_length=2, choices=LeadStage.choices, default=LeadStage.LEAD)
    drop_reason = models.CharField(_("终止原因"), max_length=500, blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+", verbose_name=_("负责人"))
    received_on = models.DateField(_("获取日期"))
    department = models.ForeignKey("accounts.Department", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("主管部门"))

    scope = ScopeRule(zone="zone", department="department", enterprise=None)

    class Meta:
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["zone", "stage"])]
        verbose_name = _("招商线索")
        verbose_name_plural = _("招商线索")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("investment:lead_detail", args=[self.pk])

    def clean(self):
        if self.stage == LeadStage.DROPPED and not (self.drop_reason or "").strip():
            raise ValidationError({"drop_reason": _("终止线索须填写原因。")})


class FollowUpMethod(models.TextChoices):
    VISIT = "外出拜访", _("外出拜访")
    RECEPTION = "来访接待", _("来访接待")
    PHONE = "电话/视频", _("电话/视频")
    MEETING = "洽谈会", _("洽谈会")
    SITE = "实地考察", _("实地考察")
    OTHER = "其他", _("其他")


class LeadFollowUp(BusinessRecord):
    """One entry of a lead's 跟进记录. Written once; never edited."""

    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("线索"))
    date = models.DateField(_("日期"))
    method = models.CharField(_("方式"), max_length=5, choices=FollowUpMethod.choices)
    content = models.TextField(_("跟进情况"), max_length=4000)
    next_step = models.CharField(_("下步计划"), max_length=500, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+", verbose_name=_("记录人"))

    scope = ScopeRule(zone="zone", department="lead__department", enterprise=None)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("跟进记录")
        verbose_name_plural = _("跟进记录")

    def __str__(self):
        return f"{self.lead} {self.date}"


class Signing(BusinessRecord):
    """The signed contract of a project (one per project; a supplementary agreement updates it)."""

    project = models.OneToOneField("projects.Project", on_delete=models.PROTECT, related_name="signing",
                                   verbose_name=_("项目"))
    lead = models.OneToOneField(Lead, on_delete=models.SET_NULL, null=True, blank=True, related_name="signing",
                                verbose_name=_("来源线索"))
    date = models.DateField(_("签约日期"))
    contract_investment_wan = models.DecimalField(_("合同投资额（万元）"), **AMOUNT, validators=POSITIVE)
    channel = models.CharField(_("招商方式"), max_length=4, choices=Channel.choices)
    industry = models.CharField(_("产业方向"), max_length=50, blank=True)
    investor = models.CharField(_("投资方"), max_length=200, blank=True)
    department = models.ForeignKey("accounts.Department", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("主管部门"))

    scope = ScopeRule(zone="zone", department="department", enterprise="project__enterprise")

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["zone", "date"])]
        verbose_name = _("签约项目")
        verbose_name_plural = _("签约项目")

    def __str__(self):
        return str(self.project)

    def get_absolute_url(self):
        return reverse("investment:signing_detail", args=[self.pk])

    def clean(self):
        if self.project_id and self.zone_id and self.project.zone_id != self.zone_id:
            raise ValidationError({"project": _("项目不属于该园区。")})


class FundTranche(BusinessRecord):
    """Money actually put into a signed project on one day (one row per project and date)."""

    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="fund_tranches",
                                verbose_name=_("项目"))
    date = models.DateField(_("到位日期"))
    amount_wan = models.DecimalField(_("到位金额（万元）"), **AMOUNT, validators=POSITIVE)
    note = models.CharField(_("说明"), max_length=200, blank=True, help_text=_("如：固定资产投资、流动资金"))
    department = models.ForeignKey("accounts.Department", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("主管部门"))

    scope = ScopeRule(zone="zone", department="department", enterprise="project__enterprise")

    class Meta:
        ordering = ["-date", "-id"]
        constraints = [models.UniqueConstraint(fields=["project", "date"], name="fund_tranche_unique_per_day",
                                               violation_error_message=_("该项目在该日期已有到位资金记录。"))]
        indexes = [models.Index(fields=["zone", "date"])]
        verbose_name = _("到位资金")
        verbose_name_plural = _("到位资金")

    def __str__(self):
        return f"{self.project.code} {self.date}"

    def clean(self):
        if self.project_id and self.zone_id and self.project.zone_id != self.zone_id:
            raise ValidationError({"project": _("项目不属于该园区。")})
