"""Incentive policies (惠企政策) and their payment: policies, clauses as rules, match runs, awards through the
免申即享 flow, applications for clauses data cannot decide, and publicity batches.

An award is the unit of money: one enterprise, one clause, one year. Its life is
待推送 → 已推送 (notice to the enterprise) → 已确认 (the enterprise confirms and gives its bank account) →
已审核 (an officer approves) → 已兑付 (payment recorded) → 公示中 → 已归档, with 已放弃 (the enterprise declines)
and 未通过 (the officer rejects, with a reason) as ends. At most one live award exists per clause,
enterprise and year (a database constraint), so nothing is paid twice.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gaoxin.core.models_base import BusinessRecord
from gaoxin.core.permissions import ScopeRule

AMOUNT = {"max_digits": 14, "decimal_places": 2}
NON_NEGATIVE = [MinValueValidator(Decimal("0"))]


class PolicyStatus(models.TextChoices):
    DRAFT = "草稿", _("草稿")
    IN_FORCE = "实施中", _("实施中")
    ENDED = "已停止", _("已停止")


class Policy(BusinessRecord):
    """A policy document (e.g. 《推动制造业高质量发展十条措施》) with its budget and caps."""

    code = models.CharField(_("政策编号"), max_length=30, help_text=_("如 GX-2024-10，规则文件中的 policy.code"))
    name = models.CharField(_("政策名称"), max_length=200)
    document_number = models.CharField(_("文号"), max_length=100, blank=True, help_text=_("如：渝高新发〔2024〕12号"))
    issuer = models.CharField(_("发文单位"), max_length=100, blank=True)
    valid_from = models.DateField(_("有效期起"))
    valid_until = models.DateField(_("有效期止"), null=True, blank=True)
    budget_wan = models.DecimalField(_("预算（万元）"), **AMOUNT, null=True, blank=True, validators=NON_NEGATIVE,
                                     help_text=_("留空表示不设总额"))
    entity_cap_wan = models.DecimalField(_("单户上限（万元）"), **AMOUNT, null=True, blank=True,
                                         validators=NON_NEGATIVE, help_text=_("一家企业在本政策下最多获得的金额"))
    summary = models.TextField(_("政策概要"), blank=True)
    status = models.CharField(_("状态"), max_length=3, choices=PolicyStatus.choices, default=PolicyStatus.DRAFT)
    department = models.ForeignKey("accounts.Department", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("主管部门"))

    scope = ScopeRule(zone="zone", department="department", enterprise=None)

    class Meta:
        ordering = ["-valid_from", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "code"], name="policy_code_unique_in_zone",
                                    violation_error_message=_("本园区已有该编号的政策。")),
        ]
        verbose_name = _("惠企政策")
        verbose_name_plural = _("惠企政策")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("policies:policy_detail", args=[self.pk])

    def clean(self):
        if self.valid_until and self.valid_from and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": _("有效期止不能早于有效期起。")})


class ClauseMode(models.TextChoices):
    AUTOMATIC = "免申即享", _("免申即享")
    APPLICATION = "依申请", _("依申请")


class Clause(BusinessRecord):
    """One measure (条款) of a policy. A 免申即享 clause is a rule over the facts (`when`, `amount_wan`, SQL as
    in the rules contract); a 依申请 clause is decided on the evidence an enterprise uploads, up to `cap_wan`.
    `version` goes up with every change of the rule, and each award keeps the version that produced it."""

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="clauses", verbose_name=_("政策"))
    order = models.PositiveSmallIntegerField(_("序号"), help_text=_("规则按序号依次计算（影响单户上限的扣减顺序）"))
    code = models.CharField(_("条款代码"), max_length=50, help_text=_("字母、数字和下划线，如 smart_factory"))
    name = models.CharField(_("条款名称"), max_length=200)
    text = models.TextField(_("条款原文"), blank=True)
    mode = models.CharField(_("兑现方式"), max_length=4, choices=ClauseMode.choices, default=ClauseMode.AUTOMATIC)
    when = models.TextField(_("适用条件"), blank=True, help_text=_("对事实表各列的 SQL 条件，如 smart_factory_city_new >= 1"))
    amount_wan = models.TextField(_("奖励金额（万元）"), blank=True,
                                  help_text=_("SQL 数值表达式，如 200 或 smart_retrofit_equipment_wan * 0.1"))
    cap_wan = models.DecimalField(_("单项上限（万元）"), **AMOUNT, null=True, blank=True, validators=NON_NEGATIVE)
    evidence = models.TextField(_("申请材料"), blank=True, help_text=_("依申请条款须提交的材料，每行一项"))
    active = models.BooleanField(_("启用"), default=True)
    version = models.PositiveIntegerField(_("规则版本"), default=1)
    department = models.ForeignKey("accounts.Department", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("主管部门"))

    scope = ScopeRule(zone="zone", department="department", enterprise=None)

    class Meta:
        ordering = ["policy", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "code"], name="clause_code_unique_in_policy",
                                    violation_error_message=_("本政策已有该代码的条款。")),
        ]
        verbose_name = _("政策条款")
        verbose_name_plural = _("政策条款")

    def __str__(self):
        return f"{self.policy.code} {self.name}"

    def get_absolute_url(self):
        return reverse("policies:clause_edit", args=[self.pk])

    def clean(self):
        import re

        errors = {}
        if self.code and not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", self.code):
            errors["code"] = _("条款代码只能包含字母、数字和下划线，并以字母开头。")
        if self.mode == ClauseMode.AUTOMATIC:
            if not (self.when or "").strip():
                errors["when"] = _("免申即享条款须填写适用条件。")
            if not (self.amount_wan or "").strip():
                errors["amount_wan"] = _("免申即享条款须填写奖励金额。")
        if self.mode == ClauseMode.APPLICATION and self.cap_wan is None:
            errors["cap_wan"] = _("依申请条款须填写单项上限，作为核定金额的上限。")
        if errors:
            raise ValidationError(errors)


class MatchRunStatus(models.TextChoices):
    MATCHED = "已比对", _("已比对")
    NOTIFIED = "已推送", _("已推送")
    CANCELLED = "已作废", _("已作废")


class MatchRun(BusinessRecord):
    """One 系统比对 of a policy's 免申即享 clauses against the facts of a year. The rules (as TOML, with the
    budget and entity cap left at that moment) and the facts of every matched enterprise are frozen here and
    on the awards, so each amount can be recomputed from what produced it."""

    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="runs", verbose_name=_("政策"))
    year = models.PositiveSmallIntegerField(_("事实年度"))
    number = models.PositiveIntegerField(_("批次"), help_text=_("同一政策同一事实年度内的序号"))
    rules_toml = models.TextField(_("规则（冻结）"))
    facts_columns = models.JSONField(_("事实表列"), default=list)
    entities = models.PositiveIntegerField(_("参与比对企业数"), default=0)
    matched = models.PositiveIntegerField(_("匹配条数"), default=0)
    granted_wan = models.DecimalField(_("核定金额合计（万元）"), **AMOUNT, default=Decimal("0"))
    paid_wan = models.DecimalField(_("拟兑现金额合计（万元）"), **AMOUNT, default=Decimal("0"))
    budget_scaled = models.BooleanField(_("按预算核减"), default=False)
    status = models.CharField(_("状态"), max_length=3, choices=MatchRunStatus.choices, default=MatchRunStatus.MATCHED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("比对人"))
    notified_at = models.DateTimeField(_("推送时间"), null=True, blank=True)
    department = models.ForeignKey("accounts.Department", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("主管部门"))

    scope = ScopeRule(zone="zone", department="department", enterprise=None)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "year", "number"], name="match_run_number_unique",
                                    violation_error_message=_("该批次号已存在。")),
        ]
        verbose_name = _("比对批次")
        verbose_name_plural = _("比对批次")

    def __str__(self):
        return _("%(policy)s %(year)s年度第%(number)s批") % {"policy": self.policy.code, "year": self.year,
                                                         "number": self.number}

    def get_absolute_url(self):
        return reverse("policies:run_detail", args=[self.pk])


class AwardSource(models.TextChoices):
    MATCH = "免申即享", _("免申即享")
    APPLICATION = "依申请", _("依申请")


class AwardStatus(models.TextChoices):
    PENDING = "待推送", _("待推送")
    NOTIFIED = "已推送", _("已推送")
    CONFIRMED = "已确认", _("企业已确认")
    APPROVED = "已审核", _("已审核")
    PAID = "已兑付", _("已兑付")
    PUBLICITY = "公示中", _("公示中")
    ARCHIVED = "已归档", _("已归档")
    DECLINED = "已放弃", _("企业放弃")
    REJECTED = "未通过", _("审核未通过")


# Ends that free the clause and year for the enterprise again (another run or an application may award it).
CLOSED_STATUSES = (AwardStatus.DECLINED, AwardStatus.REJECTED)
# Amounts that count against the budget: everything not closed.
COMMITTED_STATUSES = tuple(s for s in AwardStatus if s not in CLOSED_STATUSES)
PAID_STATUSES = (AwardStatus.PAID, AwardStatus.PUBLICITY, AwardStatus.ARCHIVED)


class Award(BusinessRecord):
    """One enterprise's reward under one clause for one year (兑现记录), with everything that produced it."""

    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="awards", verbose_name=_("政策"))
    clause = models.ForeignKey(Clause, on_delete=models.PROTECT, related_name="awards", verbose_name=_("条款"))
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("企业"))
    year = models.PositiveSmallIntegerField(_("年度"))
    source = models.CharField(_("来源"), max_length=4, choices=AwardSource.choices)
    run = models.ForeignKey(MatchRun, on_delete=models.PROTECT, null=True, blank=True, related_name="awards",
                            verbose_name=_("比对批次"))
    application = models.OneToOneField("Application", on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="award", verbose_name=_("申请"))
    clause_version = models.PositiveIntegerField(_("规则版本"))
    rule_when = models.TextField(_("适用条件（冻结）"), blank=True)
    rule_amount = models.TextField(_("金额公式（冻结）"), blank=True)
    facts = models.JSONField(_("比对事实（冻结）"), default=dict, blank=True)
    raw_wan = models.DecimalField(_("计算金额（万元）"), **AMOUNT)
    granted_wan = models.DecimalField(_("核定金额（万元）"), **AMOUNT)
    amount_wan = models.DecimalField(_("兑现金额（万元）"), **AMOUNT)
    note = models.CharField(_("核减说明"), max_length=300, blank=True)
    status = models.CharField(_("状态"), max_length=3, choices=AwardStatus.choices, default=AwardStatus.PENDING)
    notified_at = models.DateTimeField(_("推送时间"), null=True, blank=True)
    # the enterprise's confirmation (意愿确认)
    account_name = models.CharField(_("开户名称"), max_length=200, blank=True)
    bank_name = models.CharField(_("开户银行"), max_length=200, blank=True)
    account_number = models.CharField(_("银行账号"), max_length=40, blank=True)
    contact = models.CharField(_("经办人及电话"), max_length=100, blank=True)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("确认人"))
    decline_reason = models.CharField(_("放弃原因"), max_length=300, blank=True)
    # the officer's review
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("审核人"))
    review_note = models.CharField(_("审核意见"), max_length=300, blank=True)
    # payment
    paid_on = models.DateField(_("兑付日期"), null=True, blank=True)
    voucher = models.CharField(_("支付凭证号"), max_length=100, blank=True)
    publicity = models.ForeignKey("Publicity", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="awards", verbose_name=_("公示批次"))
    department = models.ForeignKey("accounts.Department", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("主管部门"))

    scope = ScopeRule(zone="zone", department="department", enterprise="enterprise")

    class Meta:
        ordering = ["policy", "clause__order", "enterprise__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["clause", "enterprise", "year"], condition=~Q(status__in=["已放弃", "未通过"]),
                                    name="award_once_per_clause_and_year",
                                    violation_error_message=_("该企业本年度已享受过该条款，不能重复兑现。")),
        ]
        indexes = [models.Index(fields=["policy", "status"]), models.Index(fields=["enterprise", "year"])]
        verbose_name = _("兑现记录")
        verbose_name_plural = _("兑现记录")

    def __str__(self):
        return f"{self.enterprise} {self.clause.name} {self.year}"

    def get_absolute_url(self):
        return reverse("policies:award_detail", args=[self.pk])


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "已提交", _("已提交")
    RETURNED = "已退回", _("退回补正")
    APPROVED = "已通过", _("审核通过")
    REJECTED = "未通过", _("不予支持")


class Application(BusinessRecord):
    """An enterprise's 申请 under a 依申请 clause, with its evidence; approving it creates the award."""

    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="applications", verbose_name=_("政策"))
    clause = models.ForeignKey(Clause, on_delete=models.PROTECT, related_name="applications", verbose_name=_("条款"))
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("企业"))
    year = models.PositiveSmallIntegerField(_("年度"))
    requested_wan = models.DecimalField(_("申请金额（万元）"), **AMOUNT, validators=NON_NEGATIVE)
    statement = models.TextField(_("申请说明"))
    account_name = models.CharField(_("开户名称"), max_length=200)
    bank_name = models.CharField(_("开户银行"), max_length=200)
    account_number = models.CharField(_("银行账号"), max_length=40)
    contact = models.CharField(_("经办人及电话"), max_length=100)
    status = models.CharField(_("状态"), max_length=3, choices=ApplicationStatus.choices,
                              default=ApplicationStatus.SUBMITTED)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("申请人"))
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("审核人"))
    approved_wan = models.DecimalField(_("核定金额（万元）"), **AMOUNT, null=True, blank=True)
    review_note = models.CharField(_("审核意见"), max_length=500, blank=True)
    department = models.ForeignKey("accounts.Department", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("主管部门"))

    scope = ScopeRule(zone="zone", department="department", enterprise="enterprise")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("政策申请")
        verbose_name_plural = _("政策申请")

    def __str__(self):
        return f"{self.enterprise} {self.clause.name} {self.year}"

    def get_absolute_url(self):
        return reverse("policies:application_detail", args=[self.pk])


class ApplicationEvidence(models.Model):
    """A file attached to an application, kept under GAOXIN_VAR_DIR/media."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="evidence",
                                    verbose_name=_("申请"))
    file = models.FileField(_("文件"), upload_to="policies/applications/%Y/")
    original_name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小（字节）"))
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")

    def __str__(self):
        return self.original_name


class PublicityStatus(models.TextChoices):
    OPEN = "公示中", _("公示中")
    ARCHIVED = "已归档", _("已归档")


class Publicity(BusinessRecord):
    """A 公示 of paid awards (名单: enterprise, clause, amount) for a window; archived once it is over."""

    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="publicities", verbose_name=_("政策"))
    title = models.CharField(_("公示标题"), max_length=200)
    start = models.DateField(_("公示开始"))
    end = models.DateField(_("公示截止"))
    status = models.CharField(_("状态"), max_length=3, choices=PublicityStatus.choices, default=PublicityStatus.OPEN)
    archived_at = models.DateTimeField(_("归档时间"), null=True, blank=True)
    department = models.ForeignKey("accounts.Department", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("主管部门"))

    scope = ScopeRule(zone="zone", department="department", enterprise=None)

    class Meta:
        ordering = ["-start", "-id"]
        verbose_name = _("兑现公示")
        verbose_name_plural = _("兑现公示")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("policies:publicity_detail", args=[self.pk])

    def clean(self):
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("公示截止不能早于公示开始。")})
