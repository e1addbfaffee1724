from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gaoxin.core.models_base import BusinessRecord
from gaoxin.core.permissions import ScopeRule
from gaoxin.core.units import m2_to_mu

POSITIVE = [MinValueValidator(Decimal("0.01"))]


class LandUse(models.TextChoices):
    # GB/T 21010-2017 一级/二级 classes that a zone's parcels actually carry
    INDUSTRIAL = "工业用地", _("工业用地")
    WAREHOUSE = "仓储用地", _("仓储用地")
    RESEARCH = "科研用地", _("科研用地")
    COMMERCIAL = "商服用地", _("商服用地")
    RESIDENTIAL = "住宅用地", _("住宅用地")
    PUBLIC = "公共管理与公共服务用地", _("公共管理与公共服务用地")
    TRANSPORT = "交通运输用地", _("交通运输用地")
    OTHER = "其他用地", _("其他用地")


class SupplyMethod(models.TextChoices):
    TRANSFER = "出让", _("出让")
    ALLOCATION = "划拨", _("划拨")
    LEASE = "租赁", _("租赁")


class ParcelStatus(models.TextChoices):
    RESERVE = "储备", _("储备")
    SUPPLIED = "已供", _("已供")
    UNDER_CONSTRUCTION = "在建", _("在建")
    PRODUCING = "投产", _("投产")
    IDLE = "闲置", _("闲置")


class Parcel(BusinessRecord):
    code = models.CharField(_("地块编号"), max_length=50)
    location = models.CharField(_("位置"), max_length=200, blank=True)
    area_m2 = models.DecimalField(_("面积（平方米）"), max_digits=14, decimal_places=2, validators=POSITIVE)
    land_use = models.CharField(_("用地性质"), max_length=20, choices=LandUse.choices)
    supply_method = models.CharField(_("供地方式"), max_length=4, choices=SupplyMethod.choices, blank=True)
    holder = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="parcels", verbose_name=_("使用企业"))
    supply_date = models.DateField(_("供地日期"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=4, choices=ParcelStatus.choices, default=ParcelStatus.RESERVE)
    department = models.ForeignKey("accounts.Department", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("主管部门"))

    scope = ScopeRule(zone="zone", department="department", enterprise="holder")

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "code"], name="parcel_code_unique_in_zone",
                                    violation_error_message=_("本园区已有该地块编号。")),
        ]
        indexes = [models.Index(fields=["zone", "status"])]
        verbose_name = _("地块")
        verbose_name_plural = _("地块")

    def __str__(self):
        return self.code

    def get_absolute_url(self):
        return reverse("land:parcel_detail", args=[self.pk])

    @property
    def area_mu(self) -> Decimal:
        return m2_to_mu(self.area_m2)

    def clean(self):
        errors = {}
        if self.status == ParcelStatus.RESERVE and self.holder_id:
            errors["holder"] = _("储备地块不应有使用企业；供地后请将状态改为已供。")
        if self.status != ParcelStatus.RESERVE and not self.supply_method:
            errors["supply_method"] = _("已供地块必须填写供地方式。")
        if self.holder_id and self.zone_id and self.holder.zone_id != self.zone_id:
            errors["holder"] = _("使用企业不属于该园区。")
        if errors:
            raise ValidationError(errors)


class Building(BusinessRecord):
    """A space carrier (载体): a building, e.g. a standard factory (标准厂房) or an incubator."""

    code = models.CharField(_("楼栋编号"), max_length=50)
    name = models.CharField(_("名称"), max_length=100)
    parcel = models.ForeignKey(Parcel, on_delete=models.PROTECT, null=True, blank=True, related_name="buildings",
                               verbose_name=_("所在地块"))
    address = models.CharField(_("地址"), max_length=200, blank=True)
    department = models.ForeignKey("accounts.Department", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("主管部门"))

    scope = ScopeRule(zone="zone", department="department", enterprise=None)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "code"], name="building_code_unique_in_zone",
                                    violation_error_message=_("本园区已有该楼栋编号。")),
        ]
        verbose_name = _("载体楼栋")
        verbose_name_plural = _("载体楼栋")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("land:building_detail", args=[self.pk])


class Floor(BusinessRecord):
    building = models.ForeignKey(Building, on_delete=models.CASCADE, related_name="floors", verbose_name=_("楼栋"))
    number = models.SmallIntegerField(_("楼层"), help_text=_("地下层用负数"))
    department = models.ForeignKey("accounts.Department", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("主管部门"))

    scope = ScopeRule(zone="zone", department="department", enterprise=None)

    class Meta:
        ordering = ["building", "number"]
        constraints = [models.UniqueConstraint(fields=["building", "number"], name="floor_unique_in_building")]
        verbose_name = _("楼层")
        verbose_name_plural = _("楼层")

    def __str__(self):
        return f"{self.building} {self.number}F"


class Unit(BusinessRecord):
    floor = models.ForeignKey(Floor, on_delete=models.CASCADE, related_name="units", verbose_name=_("楼层"))
    code = models.CharField(_("单元号"), max_length=30)
    floor_area_m2 = models.DecimalField(_("建筑面积（平方米）"), max_digits=12, decimal_places=2, validators=POSITIVE)
    department = models.ForeignKey("accounts.Department", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("主管部门"))

    scope = ScopeRule(zone="zone", department="department", enterprise=None)

    class Meta:
        ordering = ["floor", "code"]
        constraints = [models.UniqueConstraint(fields=["floor", "code"], name="unit_unique_on_floor")]
        verbose_name = _("单元")
        verbose_name_plural = _("单元")

    def __str__(self):
        return f"{self.floor} {self.code}"


class Lease(BusinessRecord):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="leases", verbose_name=_("单元"))
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="leases",
                                   verbose_name=_("承租企业"))
    area_m2 = models.DecimalField(_("租赁面积（平方米）"), max_digits=12, decimal_places=2, validators=POSITIVE)
    start_date = models.DateField(_("起租日期"))
    end_date = models.DateField(_("到期日期"), null=True, blank=True)
    department = models.ForeignKey("accounts.Department", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("主管部门"))

    scope = ScopeRule(zone="zone", department="department", enterprise="enterprise")

    class Meta:
        ordering = ["-start_date", "id"]
        verbose_name = _("租赁")
        verbose_name_plural = _("租赁")

    def __str__(self):
        return f"{self.enterprise} @ {self.unit}"

    def clean(self):
        errors = {}
        if self.end_date and self.start_date and self.end_date < self.start_date:
            errors["end_date"] = _("到期日期不能早于起租日期。")
        if self.unit_id and self.area_m2 and self.area_m2 > self.unit.floor_area_m2:
            errors["area_m2"] = _("租赁面积不能超过单元建筑面积。")
        if errors:
            raise ValidationError(errors)
