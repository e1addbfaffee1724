"""The 智改数转 register: transformation projects with their certifications and before/after measurements,
R&D institutions (研发机构), and recognitions (专精特新, 高新技术企业) per enterprise.

These are the zone's own records of what enterprises did; the policies app reads them (as facts) to find who
qualifies for a reward, and the bulletin counts them per period (selectors.counts).
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gaoxin.core.models_base import BusinessRecord
from gaoxin.core.permissions import ScopeRule

AMOUNT = {"max_digits": 14, "decimal_places": 2}
NON_NEGATIVE = [MinValueValidator(Decimal("0"))]


class Kind(models.TextChoices):
    """项目类型. The first three are retrofits (改造: counted when they start); the last three are built and then
    recognised (认定: counted when certified)."""

    SMART_RETROFIT = "智能化改造", _("智能化改造")
    DIGITAL_RETROFIT = "数字化改造", _("数字化改造")
    GREEN_RETROFIT = "绿色化改造", _("绿色化改造")
    SMART_FACTORY = "智能工厂", _("智能工厂")
    DIGITAL_WORKSHOP = "数字化车间", _("数字化车间")
    DIGITAL_LINE = "数字化生产线", _("数字化生产线")


RETROFIT_KINDS = (Kind.SMART_RETROFIT, Kind.DIGITAL_RETROFIT, Kind.GREEN_RETROFIT)
CERTIFIED_KINDS = (Kind.SMART_FACTORY, Kind.DIGITAL_WORKSHOP, Kind.DIGITAL_LINE)
# the measure word a count of each kind takes in a sentence: 数字化生产线84条
KIND_UNITS = {Kind.DIGITAL_LINE: "条"}


class Level(models.TextChoices):
    """认定级别: the local recognitions, and MIIT's 智能工厂梯度培育 levels (基础级 … 领航级)."""

    CITY = "市级", _("市级")
    DISTRICT = "区级", _("区级")
    BASIC = "基础级", _("基础级")
    ADVANCED = "先进级", _("先进级")
    EXCELLENT = "卓越级", _("卓越级")
    LEADING = "领航级", _("领航级")


class TransformationProject(BusinessRecord):
    """One 智改数转 project of an enterprise: a retrofit, or a smart factory / digital workshop / line."""

    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("企业"))
    name = models.CharField(_("项目名称"), max_length=200)
    kind = models.CharField(_("项目类型"), max_length=6, choices=Kind.choices)
    started_on = models.DateField(_("开始实施日期"))
    completed_on = models.DateField(_("完成日期"), null=True, blank=True)
    equipment_investment_wan = models.DecimalField(_("设备投资（万元）"), **AMOUNT, default=Decimal("0"),
                                                   validators=NON_NEGATIVE)
    software_investment_wan = models.DecimalField(_("软件投资（万元）"), **AMOUNT, default=Decimal("0"),
                                                  validators=NON_NEGATIVE)
    level = models.CharField(_("认定级别"), max_length=3, choices=Level.choices, blank=True)
    certified_on = models.DateField(_("认定日期"), null=True, blank=True)
    certificate = models.CharField(_("认定文件"), max_length=200, blank=True, help_text=_("认定文件的文号或名称"))
    description = models.TextField(_("建设内容"), blank=True)
    featured = models.BooleanField(_("典型案例"), default=False,
                                   help_text=_("写入经济运行简报的产业转型部分（须有改造前后的测量数据）"))
    department = models.ForeignKey("accounts.Department", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("主管部门"))

    scope = ScopeRule(zone="zone", department="department", enterprise="enterprise")

    class Meta:
        ordering = ["-started_on", "-id"]
        indexes = [models.Index(fields=["zone", "kind", "started_on"]),
                   models.Index(fields=["zone", "kind", "certified_on"])]
        verbose_name = _("智改数转项目")
        verbose_name_plural = _("智改数转项目")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("transformation:project_detail", args=[self.pk])

    @property
    def total_investment_wan(self) -> Decimal:
        return (self.equipment_investment_wan or Decimal("0")) + (self.software_investment_wan or Decimal("0"))

    def clean(self):
        errors = {}
        if self.completed_on and self.started_on and self.completed_on < self.started_on:
            errors["completed_on"] = _("完成日期不能早于开始实施日期。")
        if bool(self.level) != bool(self.certified_on):
            errors["certified_on" if self.level else "level"] = _("认定级别和认定日期须同时填写。")
        if self.certified_on and self.started_on and self.certified_on < self.started_on:
            errors["certified_on"] = _("认定日期不能早于开始实施日期。")
        if self.enterprise_id and self.zone_id and self.enterprise.zone_id != self.zone_id:
            errors["enterprise"] = _("企业不属于该园区。")
        if errors:
            raise ValidationError(errors)


class Metric(models.TextChoices):
    """What a before/after measurement measures, and which way is better (see `HIGHER_IS_BETTER`)."""

    EFFICIENCY = "效率", _("生产/检测效率")
    DEFECT_RATE = "不良率", _("产品不良率")
    OPERATING_COST = "运营成本", _("运营成本")
    ENERGY = "单位能耗", _("单位产品能耗")


HIGHER_IS_BETTER = {Metric.EFFICIENCY: True, Metric.DEFECT_RATE: False, Metric.OPERATING_COST: False,
                    Metric.ENERGY: False}


class Measurement(BusinessRecord):
    """A before/after KPI of a workshop or line, each side with its measurement period. The improvement is
    not stored: engine.improvement_pct computes it from these two values, so it always traces back to them."""

    project = models.ForeignKey(TransformationProject, on_delete=models.CASCADE, related_name="measurements",
                                verbose_name=_("项目"))
    metric = models.CharField(_("指标"), max_length=4, choices=Metric.choices)
    label = models.CharField(_("指标名称"), max_length=50, blank=True,
                             help_text=_("简报中的说法，如“检测效率”；留空用指标名"))
    unit = models.CharField(_("计量单位"), max_length=30, help_text=_("如：件/小时、%、元/件、千克标准煤/件"))
    before_value = models.DecimalField(_("改造前"), max_digits=16, decimal_places=4)
    before_from = models.DateField(_("改造前测量起"))
    before_to = models.DateField(_("改造前测量止"))
    after_value = models.DecimalField(_("改造后"), max_digits=16, decimal_places=4)
    after_from = models.DateField(_("改造后测量起"))
    after_to = models.DateField(_("改造后测量止"))
    source = models.CharField(_("数据来源"), max_length=200, blank=True, help_text=_("如：企业MES系统月报、第三方检测报告"))
    department = models.ForeignKey("accounts.Department", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("主管部门"))

    scope = ScopeRule(zone="zone", department="department", enterprise="project__enterprise")

    class Meta:
        ordering = ["project", "metric"]
        constraints = [
            models.UniqueConstraint(fields=["project", "metric"], name="transformation_one_measurement_per_metric",
                                    violation_error_message=_("该项目已有该指标的测量数据。")),
        ]
        verbose_name = _("改造前后测量")
        verbose_name_plural = _("改造前后测量")

    def __str__(self):
        return f"{self.project} {self.display_label}"

    @property
    def display_label(self) -> str:
        return self.label or self.get_metric_display()

    def clean(self):
        errors = {}
        if self.before_from and self.before_to and self.before_to < self.before_from:
            errors["before_to"] = _("测量止日不能早于起日。")
        if self.after_from and self.after_to and self.after_to < self.after_from:
            errors["after_to"] = _("测量止日不能早于起日。")
        if self.before_to and self.after_from and self.after_from <= self.before_to:
            errors["after_from"] = _("改造后的测量期须在改造前的测量期之后。")
        if self.before_value is not None and self.before_value <= 0:
            errors["before_value"] = _("改造前的数值须大于0，否则无法计算变化幅度。")
        if self.after_value is not None and self.after_value < 0:
            errors["after_value"] = _("数值不能为负数。")
        if errors:
            raise ValidationError(errors)


class InstitutionLevel(models.TextChoices):
    NATIONAL = "国家级", _("国家级")
    PROVINCIAL = "省级", _("省级（直辖市级）")
    CITY = "市级", _("市级")
    DISTRICT = "区级", _("区级")


class InstitutionKind(models.TextChoices):
    TECH_CENTRE = "企业技术中心", _("企业技术中心")
    ENGINEERING_CENTRE = "工程技术研究中心", _("工程技术研究中心")
    KEY_LAB = "重点实验室", _("重点实验室")
    NEW_RND = "新型研发机构", _("新型研发机构")
    DESIGN_CENTRE = "工业设计中心", _("工业设计中心")
    RND_CENTRE = "企业研发中心", _("企业研发中心")


class RndInstitution(BusinessRecord):
    """A 研发机构 an enterprise set up and had recognised; counted in the period of its recognition date."""

    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("企业"))
    name = models.CharField(_("机构名称"), max_length=200)
    kind = models.CharField(_("机构类型"), max_length=10, choices=InstitutionKind.choices)
    level = models.CharField(_("级别"), max_length=3, choices=InstitutionLevel.choices)
    recognized_on = models.DateField(_("认定日期"))
    certificate = models.CharField(_("认定文件"), max_length=200, blank=True)
    department = models.ForeignKey("accounts.Department", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("主管部门"))

    scope = ScopeRule(zone="zone", department="department", enterprise="enterprise")

    class Meta:
        ordering = ["-recognized_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "enterprise", "name"], name="transformation_institution_unique",
                                    violation_error_message=_("该企业已登记同名研发机构。")),
        ]
        indexes = [models.Index(fields=["zone", "recognized_on"])]
        verbose_name = _("研发机构")
        verbose_name_plural = _("研发机构")

    def __str__(self):
        return self.name

    def clean(self):
        if self.enterprise_id and self.zone_id and self.enterprise.zone_id != self.zone_id:
            raise ValidationError({"enterprise": _("企业不属于该园区。")})


class RecognitionKind(models.TextChoices):
    HIGH_TECH = "高新技术企业", _("高新技术企业")
    SPECIALIZED = "专精特新中小企业", _("专精特新中小企业")
    LITTLE_GIANT = "专精特新小巨人", _("专精特新“小巨人”企业")
    INNOVATIVE_SME = "创新型中小企业", _("创新型中小企业")
    TECH_SME = "科技型中小企业", _("科技型中小企业")


class Recognition(BusinessRecord):
    """A recognition of the enterprise itself (专精特新, 高新技术企业 …), valid from its date to `valid_until`."""

    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("企业"))
    kind = models.CharField(_("认定类型"), max_length=8, choices=RecognitionKind.choices)
    level = models.CharField(_("级别"), max_length=3, choices=InstitutionLevel.choices, blank=True)
    recognized_on = models.DateField(_("认定日期"))
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    certificate = models.CharField(_("证书编号"), max_length=100, blank=True)
    department = models.ForeignKey("accounts.Department", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("主管部门"))

    scope = ScopeRule(zone="zone", department="department", enterprise="enterprise")

    class Meta:
        ordering = ["-recognized_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "enterprise", "kind", "recognized_on"],
                                    name="transformation_recognition_unique",
                                    violation_error_message=_("该企业在该日期已登记同类认定。")),
        ]
        verbose_name = _("企业认定")
        verbose_name_plural = _("企业认定")

    def __str__(self):
        return f"{self.enterprise} {self.get_kind_display()}"

    def clean(self):
        errors = {}
        if self.valid_until and self.recognized_on and self.valid_until < self.recognized_on:
            errors["valid_until"] = _("有效期不能早于认定日期。")
        if self.enterprise_id and self.zone_id and self.enterprise.zone_id != self.zone_id:
            errors["enterprise"] = _("企业不属于该园区。")
        if errors:
            raise ValidationError(errors)
