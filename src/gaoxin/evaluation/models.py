from django.conf import settings
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


# --- evaluation data -------------------------------------------------------------------------------------

class DataSource(models.TextChoices):
    """The agencies whose files are joined on USCC into one row per enterprise and year."""

    TAX = "税务", _("税务")
    STATISTICS = "统计", _("统计")
    POWER = "电力", _("电力")
    ENVIRONMENT = "生态环境", _("生态环境")
    NATURAL_RESOURCES = "自然资源", _("自然资源")


# The engine's input column for each field, and the source it comes from. The scheme's expressions name
# these columns (`tax`, `land_mu`, …); docs/evaluation-data.md lists them for scheme authors.
DATA_FIELDS: dict[str, DataSource] = {
    "tax": DataSource.TAX,
    "revenue": DataSource.STATISTICS,
    "value_added": DataSource.STATISTICS,
    "output": DataSource.STATISTICS,
    "rd": DataSource.STATISTICS,
    "staff": DataSource.STATISTICS,
    "energy_tce": DataSource.STATISTICS,
    "electricity": DataSource.POWER,
    "emission_t": DataSource.ENVIRONMENT,
    "env_violation": DataSource.ENVIRONMENT,
    "land_mu_verified": DataSource.NATURAL_RESOURCES,
    "illegal_land": DataSource.NATURAL_RESOURCES,
}


def _amount(label):
    return models.DecimalField(label, max_digits=16, decimal_places=2, null=True, blank=True)


def _quantity(label):
    return models.DecimalField(label, max_digits=16, decimal_places=3, null=True, blank=True)


class EvaluationData(BusinessRecord):
    """One enterprise's figures for one evaluation year, joined from the agencies' files on USCC.

    Empty means "not reported" (the scheme's `missing` rule applies), never zero. The land area is not
    stored here: a run reads it from the land register as of 31 December of the year, unless an officer
    (or the 自然资源 file) set `land_mu_override`, which always comes with its reason.
    """

    department = models.ForeignKey("accounts.Department", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("主管部门"))
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("企业"))
    year = models.PositiveSmallIntegerField(_("评价年度"))
    # 税务
    tax = _amount(_("实缴税收（万元）"))
    # 统计
    revenue = _amount(_("营业收入（万元）"))
    value_added = _amount(_("工业增加值（万元）"))
    output = _amount(_("工业总产值（万元）"))
    rd = _amount(_("研发经费支出（万元）"))
    staff = models.PositiveIntegerField(_("年平均职工人数"), null=True, blank=True)
    energy_tce = _quantity(_("综合能耗（吨标准煤）"))
    # 电力
    electricity = _quantity(_("用电量（万千瓦时）"))
    # 生态环境
    emission_t = _quantity(_("主要污染物排放量（吨）"))
    env_violation = models.BooleanField(_("重大环境违法"), null=True, blank=True)
    # 自然资源
    land_mu_verified = models.DecimalField(_("核定用地面积（亩）"), max_digits=12, decimal_places=2, null=True,
                                           blank=True)
    illegal_land = models.BooleanField(_("违法用地"), null=True, blank=True)
    # entered by the officer
    major_accident = models.BooleanField(_("重大安全事故"), null=True, blank=True)
    land_mu_override = models.DecimalField(_("评价用地面积（亩）"), max_digits=12, decimal_places=2, null=True,
                                           blank=True, help_text=_("留空则按土地台账计算"))
    land_mu_reason = models.CharField(_("用地面积调整原因"), max_length=200, blank=True)
    exempt_reason = models.CharField(_("不参评原因"), max_length=200, blank=True,
                                     help_text=_("如在建重大项目过渡期；留空则按规则判断"))
    # the sources that have delivered figures for this row, with when (ISO datetime) and from which file
    sources = models.JSONField(_("数据来源"), default=dict, blank=True)

    scope = ScopeRule(zone="zone", department="department", enterprise="enterprise")

    class Meta:
        ordering = ["-year", "enterprise__uscc"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "year", "enterprise"], name="evaluation_data_one_per_year",
                                    violation_error_message=_("该企业本年度已有评价数据。")),
        ]
        verbose_name = _("评价数据")
        verbose_name_plural = _("评价数据")

    def __str__(self):
        return f"{self.year} {self.enterprise}"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.land_mu_override is not None and not self.land_mu_reason.strip():
            raise ValidationError({"land_mu_reason": _("调整评价用地面积须说明原因。")})
        if self.land_mu_override is not None and self.land_mu_override < 0:
            raise ValidationError({"land_mu_override": _("用地面积不能为负数。")})


# --- runs and results ------------------------------------------------------------------------------------

class RunStatus(models.TextChoices):
    COMPUTED = "已计算", _("已计算")
    PUBLICITY = "公示中", _("公示中")
    FINAL = "已定稿", _("已定稿")
    SUPERSEDED = "已替代", _("已替代")


class EvaluationRun(BusinessRecord):
    """One computation of a year's classes: the scheme text, inputs and benchmarks frozen with it.

    Versions count per zone and year. A newer version (a re-run after data corrections, e.g. an accepted
    objection) supersedes the previous one; a final (已定稿) run locks the year.
    """

    department = models.ForeignKey("accounts.Department", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("主管部门"))
    year = models.PositiveSmallIntegerField(_("评价年度"))
    version = models.PositiveIntegerField(_("版本"))
    scheme = models.ForeignKey(EvaluationScheme, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="runs", verbose_name=_("评价方案"))
    scheme_name = models.CharField(_("方案名称"), max_length=200)
    scheme_version = models.PositiveIntegerField(_("方案版本"))
    scheme_toml = models.TextField(_("方案内容（冻结）"))
    land_as_of = models.DateField(_("用地面积基准日"))
    report = models.JSONField(_("计算报告"), default=dict)  # the engine's report: n, benchmarks, class counts
    status = models.CharField(_("状态"), max_length=4, choices=RunStatus.choices, default=RunStatus.COMPUTED)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    previous = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("上一版本"))
    publicity_start = models.DateField(_("公示开始"), null=True, blank=True)
    publicity_end = models.DateField(_("公示截止"), null=True, blank=True)
    finalized_at = models.DateTimeField(_("定稿时间"), null=True, blank=True)

    scope = ScopeRule(zone="zone", department="department", enterprise=None)

    class Meta:
        ordering = ["-year", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "year", "version"], name="evaluation_run_version_unique"),
            models.UniqueConstraint(fields=["zone", "year"], condition=Q(status="已定稿"),
                                    name="evaluation_run_one_final_per_year",
                                    violation_error_message=_("该年度已有定稿的评价结果。")),
        ]
        verbose_name = _("评价批次")
        verbose_name_plural = _("评价批次")

    def __str__(self):
        return _("%(year)s年度评价（第 %(version)s 版）") % {"year": self.year, "version": self.version}

    def get_absolute_url(self):
        return reverse("evaluation:run_detail", args=[self.pk])


class OverrideKind(models.TextChoices):
    FIX = "定档", _("定档")
    UP = "提档", _("提档")
    DOWN = "降档", _("降档")


class EvaluationResult(BusinessRecord):
    """One enterprise's result in a run, with the inputs it was computed from (frozen, never edited).

    `indicators` holds, per indicator code of the enterprise's group: label, weight, value, benchmark and
    partial score (floats at full precision). Exempt enterprises (不参评) have `exempt_reason` and no score.
    Only the override fields change after the run, through the audited override service.
    """

    run = models.ForeignKey(EvaluationRun, on_delete=models.CASCADE, related_name="results",
                            verbose_name=_("评价批次"))
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("企业"))
    uscc = models.CharField(_("统一社会信用代码"), max_length=18)
    name = models.CharField(_("企业名称"), max_length=200)
    industry_code = models.CharField(_("行业代码"), max_length=4)
    area = models.CharField(_("所属片区"), max_length=50, blank=True)
    exempt_reason = models.CharField(_("不参评原因"), max_length=200, blank=True)
    group_code = models.CharField(_("评价组"), max_length=50, blank=True)
    group_label = models.CharField(_("评价组名称"), max_length=100, blank=True)
    score = models.FloatField(_("综合得分"), null=True, blank=True)
    rank = models.PositiveIntegerField(_("组内名次"), null=True, blank=True)
    group_size = models.PositiveIntegerField(_("组内企业数"), null=True, blank=True)
    industry_rank = models.PositiveIntegerField(_("行业大类内名次"), null=True, blank=True)
    industry_size = models.PositiveIntegerField(_("行业大类内企业数"), null=True, blank=True)
    area_rank = models.PositiveIntegerField(_("片区内名次"), null=True, blank=True)
    area_size = models.PositiveIntegerField(_("片区内企业数"), null=True, blank=True)
    computed_class = models.CharField(_("计算档次"), max_length=20, blank=True)
    veto = models.CharField(_("否决项"), max_length=100, blank=True)
    override_kind = models.CharField(_("调档方式"), max_length=2, choices=OverrideKind.choices, blank=True)
    override_reason = models.CharField(_("调档原因"), max_length=200, blank=True)
    final_class = models.CharField(_("最终档次"), max_length=20, blank=True)
    inputs = models.JSONField(_("评价数据（冻结）"), default=dict)
    indicators = models.JSONField(_("指标明细"), default=dict)

    scope = ScopeRule(zone="zone", department="run__department", enterprise="enterprise")
    audit_exclude = ("created_at", "updated_at", "inputs", "indicators")

    class Meta:
        ordering = ["run", "group_code", "rank", "uscc"]
        constraints = [
            models.UniqueConstraint(fields=["run", "enterprise"], name="evaluation_result_one_per_run"),
        ]
        indexes = [models.Index(fields=["run", "final_class"]), models.Index(fields=["enterprise", "run"])]
        verbose_name = _("评价结果")
        verbose_name_plural = _("评价结果")

    def __str__(self):
        return f"{self.name} {self.final_class or self.exempt_reason or '—'}"

    def get_absolute_url(self):
        return reverse("evaluation:result_detail", args=[self.pk])

    @property
    def evaluated(self) -> bool:
        return not self.exempt_reason


# --- publicity and objections ----------------------------------------------------------------------------

class ObjectionStatus(models.TextChoices):
    PENDING = "待处理", _("待处理")
    ACCEPTED = "已受理", _("已受理")
    REJECTED = "已驳回", _("已驳回")


class Objection(BusinessRecord):
    """An enterprise's objection (异议) to its published result, decided by the officer with a reason.

    Accepting means the data were corrected and the year re-run: `new_run` is the version that resulted.
    """

    run = models.ForeignKey(EvaluationRun, on_delete=models.PROTECT, related_name="objections",
                            verbose_name=_("评价批次"))
    result = models.ForeignKey(EvaluationResult, on_delete=models.PROTECT, related_name="objections",
                               verbose_name=_("评价结果"))
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("企业"))
    text = models.TextField(_("异议内容"))
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("提出人"))
    status = models.CharField(_("状态"), max_length=4, choices=ObjectionStatus.choices,
                              default=ObjectionStatus.PENDING)
    decision = models.TextField(_("处理意见"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("处理人"))
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    new_run = models.ForeignKey(EvaluationRun, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                verbose_name=_("重新计算的版本"))

    scope = ScopeRule(zone="zone", department="run__department", enterprise="enterprise")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("异议")
        verbose_name_plural = _("异议")

    def __str__(self):
        return _("%(enterprise)s 对%(run)s的异议") % {"enterprise": self.enterprise, "run": self.run}

    def get_absolute_url(self):
        return reverse("evaluation:objection_detail", args=[self.pk])


class ObjectionEvidence(models.Model):
    """A file an enterprise attached to its objection (盖章的说明、证明材料), kept under GAOXIN_VAR_DIR/media."""

    objection = models.ForeignKey(Objection, on_delete=models.CASCADE, related_name="evidence",
                                  verbose_name=_("异议"))
    file = models.FileField(_("文件"), upload_to="evaluation/objections/%Y/")
    original_name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小（字节）"))
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("异议材料")
        verbose_name_plural = _("异议材料")

    def __str__(self):
        return self.original_name
