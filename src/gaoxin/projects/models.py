"""The project library (项目库): projects and their milestones, annual plans, monthly investment reports,
task forces (专班), journals and issue lists (问题清单), and each zone's warning settings.

Amounts are 万元 with two decimals. A project's stage is derived from its actual milestone dates
(clean() keeps it in step), so lists can filter on it without recomputing.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gaoxin.core.models_base import BusinessRecord
from gaoxin.core.permissions import ScopeRule

AMOUNT = {"max_digits": 14, "decimal_places": 2}
NON_NEGATIVE = [MinValueValidator(Decimal("0"))]
POSITIVE = [MinValueValidator(Decimal("0.01"))]
MIN_YEAR, MAX_YEAR = 2000, 2100
YEAR = [MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)]
MONTH = [MinValueValidator(1), MaxValueValidator(12)]

# The industries a zone promotes (产业方向) until it configures its own list.
DEFAULT_INDUSTRY_DIRECTIONS = (
    "集成电路", "智能网联新能源汽车", "新型智能终端", "新能源及新型储能", "生物医药", "先进材料",
    "软件和信息服务", "科技服务", "现代服务业", "城市配套", "其他",
)


class ProjectType(models.TextChoices):
    INDUSTRIAL = "产业项目", _("产业项目")
    INFRASTRUCTURE = "基础设施", _("基础设施")
    SOCIAL = "社会事业", _("社会事业")
    OTHER = "其他", _("其他")


class KeyLevel(models.TextChoices):
    CITY = "市级", _("市级")
    DISTRICT = "区级", _("区级")


class ProjectStage(models.TextChoices):
    """Where a project stands, from its actual milestones (签约即入库: a project enters at signing)."""

    REGISTERED = "入库", _("签约入库")
    LAND = "供地", _("已供地")
    BUILDING = "在建", _("在建")
    COMPLETED = "竣工", _("已竣工")
    PRODUCING = "投产", _("已投产")


# (label, planned field, actual field) in lifecycle order; 签约 comes from the signing record.
MILESTONES = (
    (_("供地"), "planned_land_date", "land_date"),
    (_("开工"), "planned_start_date", "start_date"),
    (_("竣工"), "planned_completion_date", "completion_date"),
    (_("投产/投用"), "planned_commission_date", "commission_date"),
)


class ProjectSettings(models.Model):
    """A zone's warning thresholds and industry directions; absent rows mean the defaults."""

    zone = models.OneToOneField("accounts.Zone", on_delete=models.CASCADE, related_name="+", verbose_name=_("园区"))
    industry_directions = models.JSONField(_("产业方向"), default=list, blank=True,
                                           help_text=_("每行一个；线索、签约和项目的产业方向从中选择。"))
    yellow_behind_pp = models.DecimalField(
        _("黄灯：落后时序进度（个百分点）≥"), max_digits=5, decimal_places=1, default=Decimal("10"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))])
    red_behind_pp = models.DecimalField(
        _("红灯：落后时序进度（个百分点）>"), max_digits=5, decimal_places=1, default=Decimal("30"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))])
    red_not_started_months = models.PositiveSmallIntegerField(
        _("红灯：超过计划开工（月）未开工"), default=3, validators=[MinValueValidator(1), MaxValueValidator(24)])
    issue_due_soon_days = models.PositiveSmallIntegerField(
        _("问题临期提醒（天）"), default=3, validators=[MaxValueValidator(90)],
        help_text=_("距办理时限不超过该天数的未解决问题显示为黄灯。"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    audit_exclude = ("updated_at",)

    class Meta:
        verbose_name = _("项目预警设置")
        verbose_name_plural = _("项目预警设置")

    def __str__(self):
        return str(_("项目预警设置"))

    def clean(self):
        errors = {}
        if self.yellow_behind_pp is not None and self.red_behind_pp is not None \
                and self.yellow_behind_pp > self.red_behind_pp:
            errors["red_behind_pp"] = _("红灯阈值不能小于黄灯阈值。")
        names = [str(n).strip() for n in self.industry_directions or []]
        if any(not n for n in names) or len(set(names)) != len(names):
            errors["industry_directions"] = _("产业方向不能为空或重复。")
        if errors:
            raise ValidationError(errors)

    @property
    def directions(self) -> list[str]:
        return list(self.industry_directions or DEFAULT_INDUSTRY_DIRECTIONS)


class TaskForce(BusinessRecord):
    """A 护航专班: a leader, member departments and people, and the projects it escorts."""

    name = models.CharField(_("专班名称"), max_length=100)
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+", verbose_name=_("组长"))
    leader_title = models.CharField(_("组长职务"), max_length=100, blank=True, help_text=_("如：管委会副主任"))
    member_departments = models.ManyToManyField("accounts.Department", blank=True, related_name="+",
                                                verbose_name=_("成员单位"))
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="task_forces",
                                     verbose_name=_("成员"))
    duties = models.TextField(_("工作职责"), blank=True)
    established_on = models.DateField(_("成立日期"), null=True, blank=True)
    is_active = models.BooleanField(_("运行中"), default=True)
    department = models.ForeignKey("accounts.Department", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("牵头部门"))

    scope = ScopeRule(zone="zone", department="department", enterprise=None)

    class Meta:
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["zone", "name"], name="task_force_name_unique_in_zone",
                                               violation_error_message=_("本园区已有同名专班。"))]
        verbose_name = _("专班")
        verbose_name_plural = _("专班")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("projects:task_force_detail", args=[self.pk])


class Project(BusinessRecord):
    code = models.CharField(_("项目编号"), max_length=50)
    name = models.CharField(_("项目名称"), max_length=200)
    project_type = models.CharField(_("项目类型"), max_length=4, choices=ProjectType.choices,
                                    default=ProjectType.INDUSTRIAL)
    key_level = models.CharField(_("重点项目级别"), max_length=2, choices=KeyLevel.choices, blank=True)
    industry = models.CharField(_("产业方向"), max_length=50, blank=True)
    total_investment_wan = models.DecimalField(_("总投资（万元）"), **AMOUNT, validators=POSITIVE)
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="projects", verbose_name=_("项目公司"))
    location = models.CharField(_("建设地点"), max_length=200, blank=True)
    content = models.TextField(_("建设内容"), blank=True)
    planned_land_date = models.DateField(_("计划供地日期"), null=True, blank=True)
    land_date = models.DateField(_("供地日期"), null=True, blank=True)
    planned_start_date = models.DateField(_("计划开工日期"), null=True, blank=True)
    start_date = models.DateField(_("实际开工日期"), null=True, blank=True)
    planned_completion_date = models.DateField(_("计划竣工日期"), null=True, blank=True)
    completion_date = models.DateField(_("实际竣工日期"), null=True, blank=True)
    planned_commission_date = models.DateField(_("计划投产日期"), null=True, blank=True)
    commission_date = models.DateField(_("实际投产日期"), null=True, blank=True)
    stage = models.CharField(_("阶段"), max_length=2, choices=ProjectStage.choices, default=ProjectStage.REGISTERED,
                             editable=False)
    task_force = models.ForeignKey(TaskForce, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="projects", verbose_name=_("护航专班"))
    # Optimistic locking: every save through the services increments it; a stale form is refused.
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)
    department = models.ForeignKey("accounts.Department", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("主管部门"))

    scope = ScopeRule(zone="zone", department="department", enterprise="enterprise")
    audit_exclude = ("created_at", "updated_at", "version")

    class Meta:
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["zone", "code"], name="project_code_unique_in_zone",
                                               violation_error_message=_("本园区已有该项目编号。"))]
        indexes = [models.Index(fields=["zone", "key_level"]), models.Index(fields=["zone", "stage"])]
        verbose_name = _("项目")
        verbose_name_plural = _("项目")

    def __str__(self):
        return f"{self.code} {self.name}"

    def get_absolute_url(self):
        return reverse("projects:project_detail", args=[self.pk])

    def derived_stage(self) -> str:
        if self.commission_date:
            return ProjectStage.PRODUCING
        if self.completion_date:
            return ProjectStage.COMPLETED
        if self.start_date:
            return ProjectStage.BUILDING
        if self.land_date:
            return ProjectStage.LAND
        return ProjectStage.REGISTERED

    def clean(self):
        errors = {}
        if self.completion_date and not self.start_date:
            errors["completion_date"] = _("填写实际竣工日期前须先填写实际开工日期。")
        elif self.completion_date and self.start_date and self.completion_date < self.start_date:
            errors["completion_date"] = _("实际竣工日期不能早于实际开工日期。")
        if self.commission_date and not self.start_date:
            errors["commission_date"] = _("填写实际投产日期前须先填写实际开工日期。")
        elif self.commission_date and self.start_date and self.commission_date < self.start_date:
            errors["commission_date"] = _("实际投产日期不能早于实际开工日期。")
        for planned, later, field in (
            (self.planned_start_date, self.planned_completion_date, "planned_completion_date"),
            (self.planned_start_date, self.planned_commission_date, "planned_commission_date"),
        ):
            if planned and later and later < planned:
                errors.setdefault(field, _("计划日期不能早于计划开工日期。"))
        if self.enterprise_id and self.zone_id and self.enterprise.zone_id != self.zone_id:
            errors["enterprise"] = _("项目公司不属于该园区。")
        if self.task_force_id and self.zone_id and self.task_force.zone_id != self.zone_id:
            errors["task_force"] = _("专班不属于该园区。")
        if errors:
            raise ValidationError(errors)
        self.stage = self.derived_stage()


class ProjectParcel(BusinessRecord):
    """A parcel of the land register that a project builds on."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="parcel_links",
                                verbose_name=_("项目"))
    parcel = models.ForeignKey("land.Parcel", on_delete=models.PROTECT, related_name="project_links",
                               verbose_name=_("地块"))

    scope = ScopeRule(zone="zone", department="project__department", enterprise="project__enterprise")

    class Meta:
        ordering = ["parcel__code"]
        constraints = [models.UniqueConstraint(fields=["project", "parcel"], name="project_parcel_unique")]
        verbose_name = _("项目用地")
        verbose_name_plural = _("项目用地")

    def __str__(self):
        return f"{self.project.code} — {self.parcel.code}"

    def clean(self):
        if self.parcel_id and self.zone_id and self.parcel.zone_id != self.zone_id:
            raise ValidationError({"parcel": _("地块不属于该园区。")})


class AnnualPlan(BusinessRecord):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="annual_plans",
                                verbose_name=_("项目"))
    year = models.PositiveSmallIntegerField(_("年度"), validators=YEAR)
    plan_wan = models.DecimalField(_("年度计划投资（万元）"), **AMOUNT, validators=NON_NEGATIVE)

    scope = ScopeRule(zone="zone", department="project__department", enterprise="project__enterprise")

    class Meta:
        ordering = ["project", "-year"]
        constraints = [models.UniqueConstraint(fields=["project", "year"], name="annual_plan_unique",
                                               violation_error_message=_("该项目已有该年度的计划。"))]
        verbose_name = _("年度投资计划")
        verbose_name_plural = _("年度投资计划")

    def __str__(self):
        return f"{self.project.code} {self.year}"


class MonthlyInvestment(BusinessRecord):
    """完成投资 reported for one month (the month's own amount, not the year-to-date sum)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="monthly_reports",
                                verbose_name=_("项目"))
    year = models.PositiveSmallIntegerField(_("年度"), validators=YEAR)
    month = models.PositiveSmallIntegerField(_("月份"), validators=MONTH)
    completed_wan = models.DecimalField(_("当月完成投资（万元）"), **AMOUNT, validators=NON_NEGATIVE)
    progress = models.CharField(_("形象进度"), max_length=500, blank=True)

    scope = ScopeRule(zone="zone", department="project__department", enterprise="project__enterprise")

    class Meta:
        ordering = ["project", "-year", "-month"]
        constraints = [models.UniqueConstraint(fields=["project", "year", "month"], name="monthly_investment_unique",
                                               violation_error_message=_("该项目已有该月的完成投资。"))]
        indexes = [models.Index(fields=["zone", "year", "month"])]
        verbose_name = _("月度完成投资")
        verbose_name_plural = _("月度完成投资")

    def __str__(self):
        return f"{self.project.code} {self.year}-{self.month:02d}"


class ReportPeriod(BusinessRecord):
    """A department's monthly reporting period; once closed, that month's reports cannot change until reopened."""

    year = models.PositiveSmallIntegerField(_("年度"), validators=YEAR)
    month = models.PositiveSmallIntegerField(_("月份"), validators=MONTH)
    is_closed = models.BooleanField(_("已关账"), default=False)
    closed_at = models.DateTimeField(_("关账时间"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("关账人"))
    department = models.ForeignKey("accounts.Department", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("部门"))

    scope = ScopeRule(zone="zone", department="department", enterprise=None)

    class Meta:
        ordering = ["-year", "-month"]
        constraints = [models.UniqueConstraint(fields=["department", "year", "month"], name="report_period_unique")]
        verbose_name = _("月报期间")
        verbose_name_plural = _("月报期间")

    def __str__(self):
        return f"{self.year}-{self.month:02d}"


class JournalKind(models.TextChoices):
    MEETING = "调度会", _("调度会")
    VISIT = "现场走访", _("现场走访")
    COORDINATION = "协调", _("协调")
    PROGRESS = "进展", _("进展")
    OTHER = "其他", _("其他")


class ProjectJournalEntry(BusinessRecord):
    """One line of a project's journal (项目日志). Written once; never edited."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="journal",
                                verbose_name=_("项目"))
    date = models.DateField(_("日期"))
    kind = models.CharField(_("类型"), max_length=4, choices=JournalKind.choices, default=JournalKind.PROGRESS)
    content = models.TextField(_("内容"), max_length=4000)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+", verbose_name=_("记录人"))

    scope = ScopeRule(zone="zone", department="project__department", enterprise="project__enterprise")

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("项目日志")
        verbose_name_plural = _("项目日志")

    def __str__(self):
        return f"{self.project.code} {self.date}"


class IssueStatus(models.TextChoices):
    OPEN = "待办", _("待办")
    IN_PROGRESS = "办理中", _("办理中")
    RESOLVED = "已解决", _("已解决")
    CLOSED = "已销号", _("已销号")


UNRESOLVED_ISSUE_STATUSES = (IssueStatus.OPEN, IssueStatus.IN_PROGRESS)


class IssueCategory(models.TextChoices):
    LAND = "要素保障", _("要素保障")
    APPROVAL = "审批手续", _("审批手续")
    FUNDS = "资金", _("资金")
    POLICY = "政策", _("政策")
    CONSTRUCTION = "施工建设", _("施工建设")
    OTHER = "其他", _("其他")


class ProjectIssue(BusinessRecord):
    """An item of a project's 问题清单: 待办 → 办理中 → 已解决 → 已销号; escalated to the leader when overdue."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="issues", verbose_name=_("项目"))
    category = models.CharField(_("类别"), max_length=4, choices=IssueCategory.choices, default=IssueCategory.OTHER)
    description = models.TextField(_("问题描述"), max_length=2000)
    responsible_department = models.ForeignKey("accounts.Department", on_delete=models.PROTECT, related_name="+",
                                               verbose_name=_("责任单位"))
    deadline = models.DateField(_("办理时限"))
    status = models.CharField(_("状态"), max_length=3, choices=IssueStatus.choices, default=IssueStatus.OPEN)
    raised_on = models.DateField(_("提出日期"))
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("提出人"))
    resolution = models.TextField(_("办理结果"), blank=True, max_length=2000)
    resolved_on = models.DateField(_("解决日期"), null=True, blank=True)
    closed_on = models.DateField(_("销号日期"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("提请领导协调时间"), null=True, blank=True)
    escalation_note = models.CharField(_("提请协调说明"), max_length=500, blank=True)

    scope = ScopeRule(zone="zone", department="project__department", enterprise="project__enterprise")

    class Meta:
        ordering = ["deadline", "id"]
        indexes = [models.Index(fields=["zone", "status", "deadline"])]
        verbose_name = _("项目问题")
        verbose_name_plural = _("项目问题")

    def __str__(self):
        return self.description[:40]

    def get_absolute_url(self):
        return reverse("projects:issue_detail", args=[self.pk])

    def clean(self):
        errors = {}
        if self.deadline and self.raised_on and self.deadline < self.raised_on:
            errors["deadline"] = _("办理时限不能早于提出日期。")
        if self.responsible_department_id and self.zone_id \
                and self.responsible_department.zone_id != self.zone_id:
            errors["responsible_department"] = _("责任单位不属于该园区。")
        if errors:
            raise ValidationError(errors)
