from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gaoxin.core import industry, uscc
from gaoxin.core.models_base import BusinessRecord
from gaoxin.core.permissions import ScopeRule


class EnterpriseSize(models.TextChoices):
    ABOVE = "规上", _("规上")
    BELOW = "规下", _("规下")


class EnterpriseStatus(models.TextChoices):
    OPERATING = "在营", _("在营")
    SUSPENDED = "停产", _("停产")
    MOVED_OUT = "迁出", _("迁出")
    DEREGISTERED = "注销", _("注销")


class Enterprise(BusinessRecord):
    uscc = models.CharField(_("统一社会信用代码"), max_length=18)
    name = models.CharField(_("企业名称"), max_length=200)
    industry_code = models.CharField(_("行业代码"), max_length=4, help_text=_("GB/T 4754-2017 小类代码，4 位数字"))
    industry_version = models.CharField(_("行业分类标准"), max_length=30, default=industry.STANDARD_VERSION)
    size = models.CharField(_("规模"), max_length=4, choices=EnterpriseSize.choices)
    registration_date = models.DateField(_("成立日期"), null=True, blank=True)
    area = models.CharField(_("所属片区"), max_length=50, blank=True, help_text=_("片区或街道"))
    address = models.CharField(_("地址"), max_length=200, blank=True)
    contact_person = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    status = models.CharField(_("状态"), max_length=4, choices=EnterpriseStatus.choices, default=EnterpriseStatus.OPERATING)
    department = models.ForeignKey("accounts.Department", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("主管部门"))

    scope = ScopeRule(zone="zone", department="department", enterprise="pk")

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "uscc"], name="enterprise_uscc_unique_in_zone",
                                    violation_error_message=_("本园区已登记该统一社会信用代码。")),
        ]
        indexes = [models.Index(fields=["zone", "industry_code"]), models.Index(fields=["zone", "area"])]
        verbose_name = _("企业")
        verbose_name_plural = _("企业")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("enterprises:detail", args=[self.pk])

    def clean_fields(self, exclude=None):
        # Normalise first, so that max_length judges "C3971" or a USCC typed with spaces by its tidy form.
        self.uscc = uscc.normalise(self.uscc)
        try:
            self.industry_code = industry.normalise_class_code(self.industry_code)
        except industry.InvalidIndustryCode:
            pass  # clean() reports it with the reason
        super().clean_fields(exclude=exclude)

    def clean(self):
        errors = {}
        try:
            self.uscc = uscc.validate(self.uscc)
        except uscc.InvalidUSCC as exc:
            errors["uscc"] = str(exc)
        try:
            self.industry_code = industry.normalise_class_code(self.industry_code)
        except industry.InvalidIndustryCode as exc:
            errors["industry_code"] = str(exc)
        if self.department_id and self.zone_id and self.department.zone_id != self.zone_id:
            errors["department"] = _("部门不属于该园区。")
        if errors:
            raise ValidationError(errors)

    @property
    def industry(self):
        return industry.lookup(self.industry_code)
