"""The approval engine (approvals.md §5.4): a declarative catalog, a small state machine per item and a
clock ledger — not a general BPMN engine.

- Catalog, per zone and versioned: `Catalog` → `StageDef` → `ItemDef` (department, statutory and promised
  limits in working days, prerequisites, 容缺 / 告知承诺 / 区域评估 rules), route templates per project type
  (`RouteTemplate`) and 一件事 bundles (`BundleDef`). A case keeps the catalog version it was opened on.
- Cases: an `ApprovalCase` instantiates a route (construction) or a bundle (enterprise service) into
  `ItemInstance` rows. Every state change is an `ItemEvent` (time, actor, 帮办 flag), never edited; the
  instance's state and dates are the fold of its events, cached on the row for queries.
- The clock of an item is a ledger of `ClockSegment` rows (pauses with reason and the party waited on,
  extensions); the arithmetic is `approvals/clock.py`, the same engine `gaoxin timeline` runs.
- `Obligation`: the 容缺 material still owed, or the 告知承诺 post-verification, with due dates.
- `Notice`: what the daily scan sent, through which channel, with retries; one per item and state.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gaoxin.core.models_base import BusinessRecord
from gaoxin.core.permissions import ScopeRule

LIMIT = [MinValueValidator(0), MaxValueValidator(3650)]


# --- catalog -------------------------------------------------------------------------------------------

class CatalogStatus(models.TextChoices):
    DRAFT = "草稿", _("草稿")
    ACTIVE = "生效", _("生效")
    RETIRED = "停用", _("停用")


class Catalog(models.Model):
    """One version of a zone's approval catalog. Exactly one is 生效 at a time; cases keep theirs."""

    zone = models.ForeignKey("accounts.Zone", on_delete=models.CASCADE, related_name="+", verbose_name=_("园区"))
    version = models.PositiveIntegerField(_("版本"))
    name = models.CharField(_("名称"), max_length=100)
    status = models.CharField(_("状态"), max_length=2, choices=CatalogStatus.choices, default=CatalogStatus.DRAFT)
    warn_ratio = models.DecimalField(_("预警比例"), max_digits=3, decimal_places=2, default="0.20",
                                     validators=[MinValueValidator(0), MaxValueValidator(1)],
                                     help_text=_("剩余工作日 ≤ 向上取整(比例 × 时限) 时预警"))
    note = models.CharField(_("说明"), max_length=500, blank=True)
    activated_at = models.DateTimeField(_("生效时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    audit_exclude = ("created_at", "updated_at")

    class Meta:
        ordering = ["zone", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "version"], name="catalog_version_unique"),
            models.UniqueConstraint(fields=["zone"], condition=Q(status="生效"), name="catalog_one_active"),
        ]
        verbose_name = _("审批事项目录")
        verbose_name_plural = _("审批事项目录")

    def __str__(self):
        return f"{self.name}（v{self.version}）"

    def get_absolute_url(self):
        return reverse("approvals:catalog_detail", args=[self.pk])


class StageDef(models.Model):
    """A stage: 1 立项用地规划许可, 2 工程建设许可, 3 施工许可, 4 竣工验收, 5 并行推进 (the national codes)."""

    catalog = models.ForeignKey(Catalog, on_delete=models.CASCADE, related_name="stages", verbose_name=_("目录"))
    code = models.PositiveSmallIntegerField(_("阶段序号"), validators=[MinValueValidator(1), MaxValueValidator(9)])
    name = models.CharField(_("阶段名称"), max_length=50)
    lead_department = models.ForeignKey("accounts.Department", on_delete=models.PROTECT, null=True, blank=True,
                                        related_name="+", verbose_name=_("牵头部门"))
    limit_wd = models.PositiveSmallIntegerField(_("阶段时限（工作日）"), null=True, blank=True, validators=LIMIT)

    class Meta:
        ordering = ["catalog", "code"]
        constraints = [models.UniqueConstraint(fields=["catalog", "code"], name="stage_code_unique_in_catalog")]
        verbose_name = _("审批阶段")
        verbose_name_plural = _("审批阶段")

    def __str__(self):
        return self.name


class PauseMode(models.TextChoices):
    RESUME = "resume", _("暂停后接续计算")
    RESTART = "restart", _("暂停后重新计算")


class ItemDef(models.Model):
    catalog = models.ForeignKey(Catalog, on_delete=models.CASCADE, related_name="items", verbose_name=_("目录"))
    stage = models.ForeignKey(StageDef, on_delete=models.CASCADE, related_name="items", verbose_name=_("阶段"))
    code = models.SlugField(_("事项代码"), max_length=40)
    name = models.CharField(_("事项名称"), max_length=100)
    department = models.ForeignKey("accounts.Department", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("办理部门"))
    statutory_limit_wd = models.PositiveSmallIntegerField(_("法定时限（工作日）"), null=True, blank=True,
                                                          validators=LIMIT)
    promised_limit_wd = models.PositiveSmallIntegerField(_("承诺时限（工作日）"), validators=LIMIT,
                                                         help_text=_("0 表示即办"))
    requires = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="required_by",
                                      verbose_name=_("前置事项"))
    pause_mode = models.CharField(_("暂停计时方式"), max_length=7, choices=PauseMode.choices,
                                  default=PauseMode.RESUME)
    rongque_allowed = models.BooleanField(_("可容缺受理"), default=False)
    deferrable_materials = models.JSONField(_("可容缺材料"), default=list, blank=True)
    commitment_allowed = models.BooleanField(_("可告知承诺"), default=False)
    commitment_verify_wd = models.PositiveSmallIntegerField(_("承诺核查时限（工作日）"), null=True, blank=True,
                                                            validators=LIMIT)
    commitment_method = models.CharField(_("核查方式"), max_length=100, blank=True,
                                         help_text=_("如：书面核查、网络核验、实地调查、公示核查"))
    area_assessment_waivable = models.BooleanField(_("区域评估可免"), default=False,
                                                   help_text=_("园区已完成区域评估时，本事项可免予单独办理"))
    materials = models.JSONField(_("申报材料"), default=list, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=100)

    class Meta:
        ordering = ["catalog", "stage__code", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["catalog", "code"], name="item_code_unique_in_catalog")]
        verbose_name = _("审批事项")
        verbose_name_plural = _("审批事项")

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if self.commitment_allowed and self.commitment_verify_wd is None:
            errors["commitment_verify_wd"] = _("可告知承诺的事项须填写承诺核查时限。")
        if self.statutory_limit_wd is not None and self.promised_limit_wd is not None \
                and self.promised_limit_wd > self.statutory_limit_wd:
            errors["promised_limit_wd"] = _("承诺时限不能超过法定时限。")
        if self.stage_id and self.catalog_id and self.stage.catalog_id != self.catalog_id:
            errors["stage"] = _("阶段不属于该目录。")
        if errors:
            raise ValidationError(errors)


class ProjectType(models.TextChoices):
    GOVERNMENT = "政府投资", _("政府投资")
    SOCIAL = "社会投资", _("社会投资")
    LOW_RISK = "简易低风险", _("社会投资简易低风险")
    WITH_PLAN = "带方案出让", _("带方案出让/拿地即开工")


class RouteTemplate(models.Model):
    """Which items a project type goes through, and the zone's whole-process target."""

    catalog = models.ForeignKey(Catalog, on_delete=models.CASCADE, related_name="routes", verbose_name=_("目录"))
    project_type = models.CharField(_("项目类型"), max_length=5, choices=ProjectType.choices)
    name = models.CharField(_("名称"), max_length=100)
    items = models.ManyToManyField(ItemDef, related_name="routes", verbose_name=_("事项"))
    target_wd = models.PositiveSmallIntegerField(_("全流程目标（工作日）"), validators=LIMIT)

    class Meta:
        ordering = ["catalog", "project_type"]
        constraints = [models.UniqueConstraint(fields=["catalog", "project_type"], name="route_unique_per_type")]
        verbose_name = _("审批路线")
        verbose_name_plural = _("审批路线")

    def __str__(self):
        return self.name


class BundleDef(models.Model):
    """A 一件事一次办: one form, one set of materials, fanned out to its items; one result delivered."""

    catalog = models.ForeignKey(Catalog, on_delete=models.CASCADE, related_name="bundles", verbose_name=_("目录"))
    code = models.SlugField(_("代码"), max_length=40)
    name = models.CharField(_("名称"), max_length=100)
    anchor = models.ForeignKey(ItemDef, on_delete=models.PROTECT, related_name="anchored_bundles",
                               verbose_name=_("主办事项"))
    items = models.ManyToManyField(ItemDef, related_name="bundles", verbose_name=_("联办事项"))
    form_fields = models.JSONField(_("统一表单字段"), default=list, blank=True,
                                   help_text=_("[{\"name\": …, \"label\": …, \"required\": true}]"))
    materials = models.JSONField(_("统一材料清单"), default=list, blank=True)

    class Meta:
        ordering = ["catalog", "code"]
        constraints = [models.UniqueConstraint(fields=["catalog", "code"], name="bundle_code_unique_in_catalog")]
        verbose_name = _("一件事")
        verbose_name_plural = _("一件事")

    def __str__(self):
        return self.name


# --- cases ---------------------------------------------------------------------------------------------

class CaseKind(models.TextChoices):
    CONSTRUCTION = "工程建设", _("工程建设项目审批")
    BUNDLE = "一件事", _("一件事一次办")


class CaseStatus(models.TextChoices):
    OPEN = "办理中", _("办理中")
    DONE = "已办结", _("已办结")
    CLOSED = "已终止", pgettext_lazy("approval", "已终止")


class ApprovalCase(BusinessRecord):
    catalog = models.ForeignKey(Catalog, on_delete=models.PROTECT, related_name="cases", verbose_name=_("目录版本"))
    kind = models.CharField(_("类型"), max_length=4, choices=CaseKind.choices)
    code = models.CharField(_("办件编号"), max_length=40)
    title = models.CharField(_("名称"), max_length=200)
    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="approval_cases", verbose_name=_("项目"))
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="approval_cases", verbose_name=_("申请企业"))
    route = models.ForeignKey(RouteTemplate, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="cases", verbose_name=_("审批路线"))
    bundle = models.ForeignKey(BundleDef, on_delete=models.PROTECT, null=True, blank=True, related_name="cases",
                               verbose_name=_("一件事"))
    form_data = models.JSONField(_("统一表单"), default=dict, blank=True)
    area_assessment = models.BooleanField(_("适用区域评估成果"), default=False)
    start_date = models.DateField(_("启动日期"))
    status = models.CharField(_("状态"), max_length=3, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="agent_cases", verbose_name=_("帮办员"))
    result_delivered_on = models.DateField(_("结果送达日期"), null=True, blank=True)
    department = models.ForeignKey("accounts.Department", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("受理部门"))

    scope = ScopeRule(zone="zone", department="department", enterprise="enterprise")

    class Meta:
        ordering = ["-start_date", "-id"]
        constraints = [models.UniqueConstraint(fields=["zone", "code"], name="approval_case_code_unique",
                                               violation_error_message=_("本园区已有该办件编号。"))]
        verbose_name = _("审批办件")
        verbose_name_plural = _("审批办件")

    def __str__(self):
        return f"{self.code} {self.title}"

    def get_absolute_url(self):
        return reverse("approvals:case_detail", args=[self.pk])

    def clean(self):
        errors = {}
        if self.kind == CaseKind.CONSTRUCTION and not self.route_id:
            errors["route"] = _("工程建设项目审批须选择审批路线。")
        if self.kind == CaseKind.BUNDLE and not self.bundle_id:
            errors["bundle"] = _("一件事办件须选择一件事。")
        if errors:
            raise ValidationError(errors)


class ItemState(models.TextChoices):
    """The national vocabulary (SPGL item states), in the order an item usually goes through them."""

    RECEIVED = "收件", _("已收件")
    ACCEPTED = "受理", _("已受理")
    CORRECTION = "补正", _("补正中")
    SPECIAL = "特别程序", _("特别程序中")
    APPROVED = "通过", _("办结（通过）")
    APPROVED_DEFICIENT = "容缺通过", _("办结（容缺通过）")
    REFUSED = "不予许可", _("办结（不予许可）")
    WITHDRAWN = "撤回", _("已撤回")
    REVOKED = "撤销", _("已撤销")
    TERMINATED = "终止", pgettext_lazy("approval", "已终止")
    WAIVED = "免办", _("区域评估免办")
    WAITING = "待启动", _("待启动")


class ItemMode(models.TextChoices):
    NORMAL = "一般", _("一般办理")
    RONGQUE = "容缺", _("容缺受理")
    COMMITMENT = "告知承诺", _("告知承诺")


class ClockStatus(models.TextChoices):
    NORMAL = "正常", _("正常")
    WARNING = "预警", _("预警")
    OVERDUE = "逾期", _("逾期")
    ON_TIME = "按期办结", _("按期办结")
    LATE = "逾期办结", _("逾期办结")


class ItemInstance(BusinessRecord):
    """An item of a case. State, dates and clock fields are derived from events and segments (services keep
    them in step) so that queues and scans can filter without replaying the ledger."""

    case = models.ForeignKey(ApprovalCase, on_delete=models.CASCADE, related_name="items", verbose_name=_("办件"))
    item_def = models.ForeignKey(ItemDef, on_delete=models.PROTECT, related_name="instances",
                                 verbose_name=_("事项"))
    code = models.SlugField(_("事项代码"), max_length=40)
    name = models.CharField(_("事项名称"), max_length=100)
    stage_code = models.PositiveSmallIntegerField(_("阶段序号"))
    limit_wd = models.PositiveSmallIntegerField(_("时限（工作日）"), validators=LIMIT)
    extension_wd = models.PositiveSmallIntegerField(_("延长（工作日）"), default=0, validators=LIMIT)
    pause_mode = models.CharField(_("暂停计时方式"), max_length=7, choices=PauseMode.choices)
    mode = models.CharField(_("办理方式"), max_length=4, choices=ItemMode.choices, default=ItemMode.NORMAL)
    state = models.CharField(_("状态"), max_length=4, choices=ItemState.choices, default=ItemState.WAITING)
    received_on = models.DateField(_("收件日期"), null=True, blank=True)
    accepted_on = models.DateField(_("受理日期"), null=True, blank=True)
    decided_on = models.DateField(_("办结日期"), null=True, blank=True)
    due_on = models.DateField(pgettext_lazy("approval", "到期日期"), null=True, blank=True)
    clock_status = models.CharField(_("时限状态"), max_length=4, choices=ClockStatus.choices, blank=True)
    certificate_held = models.BooleanField(_("证照暂缓发放"), default=False)
    department = models.ForeignKey("accounts.Department", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("办理部门"))

    scope = ScopeRule(zone="zone", department="department", enterprise="case__enterprise")

    class Meta:
        ordering = ["case", "stage_code", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "code"], name="item_instance_unique_in_case")]
        indexes = [models.Index(fields=["zone", "state"]), models.Index(fields=["department", "due_on"])]
        verbose_name = _("事项办理")
        verbose_name_plural = _("事项办理")

    def __str__(self):
        return f"{self.case.code} {self.name}"

    def get_absolute_url(self):
        return reverse("approvals:item_detail", args=[self.pk])


class ItemEvent(models.Model):
    """One state change of an item, as it happened. Append-only: no service updates or deletes it."""

    item = models.ForeignKey(ItemInstance, on_delete=models.CASCADE, related_name="events", verbose_name=_("事项"))
    kind = models.CharField(_("事件"), max_length=20)
    from_state = models.CharField(_("原状态"), max_length=4, blank=True)
    to_state = models.CharField(_("新状态"), max_length=4, blank=True)
    on = models.DateField(_("业务日期"))
    at = models.DateTimeField(_("记录时间"), auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+", verbose_name=_("操作人"))
    as_agent = models.BooleanField(_("帮办代办"), default=False)
    note = models.CharField(_("说明"), max_length=500, blank=True)
    data = models.JSONField(_("数据"), default=dict, blank=True)

    class Meta:
        ordering = ["item", "at", "id"]
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")

    def __str__(self):
        return f"{self.item} {self.kind} {self.on}"


class PauseReason(models.TextChoices):
    CORRECTION = "补正", _("补正")
    SPECIAL = "特别程序", _("特别程序（听证、检验、检测、鉴定、专家评审）")
    INTERMEDIARY = "中介服务", _("中介服务")
    PUBLICITY = "公示", _("公示")
    OTHER = "其他", _("其他")


class WaitingOn(models.TextChoices):
    APPLICANT = "申请人", _("申请人")
    DEPARTMENT = "部门", _("部门")
    INTERMEDIARY = "中介", _("中介")


class SegmentKind(models.TextChoices):
    PAUSE = "暂停", _("暂停计时")
    EXTENSION = "延长", _("延长时限")


class ClockSegment(models.Model):
    """A pause (from/to inclusive; `to` empty while it lasts) or an extension of an item's legal clock."""

    item = models.ForeignKey(ItemInstance, on_delete=models.CASCADE, related_name="segments",
                             verbose_name=_("事项"))
    kind = models.CharField(_("类型"), max_length=2, choices=SegmentKind.choices)
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"), null=True, blank=True)
    reason = models.CharField(_("原因"), max_length=4, choices=PauseReason.choices, blank=True)
    waiting_on = models.CharField(_("等待对象"), max_length=3, choices=WaitingOn.choices, blank=True)
    extension_wd = models.PositiveSmallIntegerField(_("延长工作日"), default=0, validators=LIMIT)
    note = models.CharField(_("说明"), max_length=500, blank=True)
    event = models.ForeignKey(ItemEvent, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                              verbose_name=_("来源事件"))

    class Meta:
        ordering = ["item", "start", "id"]
        verbose_name = _("计时段")
        verbose_name_plural = _("计时段")

    def __str__(self):
        return f"{self.item} {self.kind} {self.start}"

    def clean(self):
        if self.end and self.start and self.end < self.start:
            raise ValidationError({"end": _("结束日期不能早于开始日期。")})


class ObligationKind(models.TextChoices):
    RONGQUE = "容缺补正", _("容缺材料补正")
    VERIFICATION = "承诺核查", _("告知承诺核查")


class ObligationStatus(models.TextChoices):
    OPEN = "待履行", _("待履行")
    MET = "已履行", _("已履行（材料已补齐 / 核查通过）")
    MISSED = "逾期未补", _("逾期未补正")
    FAILED = "核查不通过", _("核查不通过")


class Obligation(models.Model):
    item = models.ForeignKey(ItemInstance, on_delete=models.CASCADE, related_name="obligations",
                             verbose_name=_("事项"))
    kind = models.CharField(_("类型"), max_length=4, choices=ObligationKind.choices)
    subject = models.CharField(_("内容"), max_length=200, help_text=_("容缺的材料，或核查的承诺事项"))
    method = models.CharField(_("核查方式"), max_length=100, blank=True)
    due_on = models.DateField(_("期限"))
    status = models.CharField(_("状态"), max_length=5, choices=ObligationStatus.choices,
                              default=ObligationStatus.OPEN)
    resolved_on = models.DateField(_("办结日期"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=500, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("容缺与承诺事项")
        verbose_name_plural = _("容缺与承诺事项")

    def __str__(self):
        return f"{self.item} {self.kind}"


# --- notices -------------------------------------------------------------------------------------------

class ChannelKind(models.TextChoices):
    EMAIL = "email", _("电子邮件")
    WECOM = "wecom", _("企业微信群机器人")
    DINGTALK = "dingtalk", _("钉钉群机器人")


class NotificationChannel(models.Model):
    """Where a department's approval notices go. A zone may configure several per department."""

    zone = models.ForeignKey("accounts.Zone", on_delete=models.CASCADE, related_name="+", verbose_name=_("园区"))
    department = models.ForeignKey("accounts.Department", on_delete=models.CASCADE, related_name="+",
                                   verbose_name=_("部门"))
    kind = models.CharField(_("渠道"), max_length=8, choices=ChannelKind.choices)
    target = models.CharField(_("地址"), max_length=500, help_text=_("邮箱地址，或群机器人的 Webhook 地址"))
    secret = models.CharField(_("加签密钥"), max_length=200, blank=True, help_text=_("钉钉机器人加签（可选）"))
    is_active = models.BooleanField(_("启用"), default=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    audit_exclude = ("updated_at",)

    class Meta:
        ordering = ["zone", "department", "kind"]
        verbose_name = _("通知渠道")
        verbose_name_plural = _("通知渠道")

    def __str__(self):
        return f"{self.department} {self.get_kind_display()}"


class NoticeStatus(models.TextChoices):
    PENDING = "待发送", _("待发送")
    SENT = "已发送", _("已发送")
    FAILED = "发送失败", _("发送失败")


class Notice(models.Model):
    """One notice about one item in one clock state, to one channel. `key` makes the scan idempotent."""

    zone = models.ForeignKey("accounts.Zone", on_delete=models.CASCADE, related_name="+", verbose_name=_("园区"))
    item = models.ForeignKey(ItemInstance, on_delete=models.CASCADE, related_name="notices",
                             verbose_name=_("事项"))
    channel = models.ForeignKey(NotificationChannel, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="notices", verbose_name=_("渠道"))
    kind = models.CharField(_("渠道类型"), max_length=8, choices=ChannelKind.choices)
    target = models.CharField(_("地址"), max_length=500)
    key = models.CharField(_("去重键"), max_length=120)
    clock_status = models.CharField(_("时限状态"), max_length=4, choices=ClockStatus.choices)
    payload = models.JSONField(_("消息内容"), default=dict)
    status = models.CharField(_("状态"), max_length=4, choices=NoticeStatus.choices, default=NoticeStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    last_error = models.CharField(_("最近错误"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["key", "channel"], name="notice_once_per_channel")]
        verbose_name = _("预警通知")
        verbose_name_plural = _("预警通知")

    def __str__(self):
        return f"{self.item} {self.clock_status}"
