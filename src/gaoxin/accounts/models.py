import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.hashers import acheck_password as hashers_acheck_password
from django.contrib.auth.hashers import check_password as hashers_check_password
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gaoxin.core.permissions import ADMIN_ROLES, BUSINESS_ROLES, Role

code_validator = RegexValidator(r"^[a-z0-9][a-z0-9_-]{0,31}$", _("代码只能包含小写字母、数字、下划线和连字符，最长 32 位。"))


class Zone(models.Model):
    """A high-tech zone or park: the tenant every business record belongs to."""

    code = models.CharField(_("代码"), max_length=32, unique=True, validators=[code_validator])
    name = models.CharField(_("名称"), max_length=100)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("园区")
        verbose_name_plural = _("园区")

    def __str__(self):
        return self.name


class Department(models.Model):
    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="departments", verbose_name=_("园区"))
    code = models.CharField(_("代码"), max_length=32, validators=[code_validator])
    name = models.CharField(_("名称"), max_length=100)

    class Meta:
        ordering = ["zone", "code"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "code"], name="department_code_unique_in_zone",
                                    violation_error_message=_("该园区已有此部门代码。")),
        ]
        verbose_name = _("部门")
        verbose_name_plural = _("部门")

    def __str__(self):
        return self.name


class User(AbstractUser):
    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, null=True, blank=True, related_name="users",
                             verbose_name=_("所属园区"))
    # A city-level account may read further zones besides its own.
    extra_zones = models.ManyToManyField(Zone, blank=True, related_name="+", verbose_name=_("可查看的其他园区"))
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, null=True, blank=True, related_name="users",
                                   verbose_name=_("部门"))
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="users", verbose_name=_("企业"))
    display_name = models.CharField(_("姓名"), max_length=50, blank=True)
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True)
    failed_logins = models.PositiveSmallIntegerField(_("连续登录失败次数"), default=0)
    locked_until = models.DateTimeField(_("锁定至"), null=True, blank=True)

    objects = UserManager()
    # Login bookkeeping changes on every attempt and is recorded as security events instead; the name
    # fields and date_joined of AbstractUser are unused (display_name) or never change.
    audit_exclude = ("password", "last_login", "failed_logins", "locked_until", "password_changed_at",
                     "first_name", "last_name", "date_joined")

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self):
        return self.display_name or self.username

    def clean(self):
        super().clean()
        if self.role in BUSINESS_ROLES and not self.zone_id:
            raise ValidationError({"zone": _("该角色必须指定所属园区。")})
        if self.role == Role.DEPARTMENT_STAFF and not self.department_id:
            raise ValidationError({"department": _("部门工作人员必须指定部门。")})
        if self.role == Role.ENTERPRISE and not self.enterprise_id:
            raise ValidationError({"enterprise": _("企业用户必须关联企业。")})
        if self.role in ADMIN_ROLES | {Role.ZONE_LEADER} and (self.department_id or self.enterprise_id):
            raise ValidationError({"role": _("该角色不属于部门或企业。")})
        if self.department_id and self.zone_id and self.department.zone_id != self.zone_id:
            raise ValidationError({"department": _("部门不属于该用户的园区。")})
        if self.enterprise_id and self.zone_id and self.enterprise.zone_id != self.zone_id:
            raise ValidationError({"enterprise": _("企业不属于该用户的园区。")})

    def set_password(self, raw_password):
        super().set_password(raw_password)
        # Expiry counts from here; services that want a change at next login clear it afterwards.
        self.password_changed_at = timezone.now()

    def check_password(self, raw_password):
        def rehash(raw):
            # A hasher upgrade stores the same password anew: not a password change, so the age is kept.
            AbstractUser.set_password(self, raw)
            self._password = None
            self.save(update_fields=["password"])

        return hashers_check_password(raw_password, self.password, rehash)

    async def acheck_password(self, raw_password):
        async def rehash(raw):
            AbstractUser.set_password(self, raw)
            self._password = None
            await self.asave(update_fields=["password"])

        return await hashers_acheck_password(raw_password, self.password, rehash)

    def readable_zone_ids(self) -> list[int]:
        """Own zone plus extra zones; kept on the instance, which lives for one request (scope is asked often)."""
        cached = self.__dict__.get("_readable_zone_ids")
        if cached is not None and cached[0] == self.zone_id:
            return list(cached[1])
        ids = [self.zone_id] if self.zone_id else []
        if self.pk:
            ids += list(self.extra_zones.values_list("id", flat=True))
        self.__dict__["_readable_zone_ids"] = (self.zone_id, tuple(ids))
        return ids

    @property
    def is_locked(self) -> bool:
        return bool(self.locked_until and self.locked_until > timezone.now())


class PasswordHistory(models.Model):
    """Hashes of a user's previous passwords, so the last five are not reused."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.user_id} @ {self.created_at:%Y-%m-%d %H:%M}"


class SecurityPolicy(models.Model):
    """The security admin's settings; one row (pk=1), created with the defaults on first use."""

    password_max_age_days = models.PositiveSmallIntegerField(_("密码有效期（天，0 为不过期）"), default=90)
    lockout_threshold = models.PositiveSmallIntegerField(_("连续失败锁定次数"), default=5)
    lockout_minutes = models.PositiveSmallIntegerField(_("锁定时长（分钟）"), default=15)
    session_idle_minutes = models.PositiveSmallIntegerField(_("空闲超时（分钟）"), default=30)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("安全策略")
        verbose_name_plural = _("安全策略")

    def __str__(self):
        return str(_("安全策略"))

    @classmethod
    def current(cls) -> "SecurityPolicy":
        """The policy row; created on first use from the deployment's settings."""
        policy, _created = cls.objects.get_or_create(pk=1, defaults={
            "password_max_age_days": settings.GAOXIN_PASSWORD_MAX_AGE_DAYS,
            "lockout_threshold": settings.GAOXIN_LOCKOUT_THRESHOLD,
            "lockout_minutes": settings.GAOXIN_LOCKOUT_MINUTES,
            "session_idle_minutes": max(1, settings.SESSION_COOKIE_AGE // 60),
        })
        return policy


def _token_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token acting as its user, with that user's role and data scope. Only the hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("用户"))
    name = models.CharField(_("用途"), max_length=100)
    prefix = models.CharField(_("前缀"), max_length=8)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    expires_at = models.DateTimeField(_("过期时间"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def new_key() -> str:
        return "gx_" + secrets.token_urlsafe(32)

    @staticmethod
    def hash_key(key: str) -> str:
        return _token_hash(key)

    @property
    def is_valid(self) -> bool:
        now = timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)
