"""The audit trail: append-only records of data changes and security events.

Rows are never updated or deleted through the ORM; `prune_audit_trail` is the one sanctioned
way to remove rows, and only those older than the retention period (≥ 180 days).
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionDenied(_("审计记录不可修改。"))

    def delete(self):
        raise PermissionDenied(_("审计记录不可删除。"))

    _update = update


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionDenied(_("审计记录不可修改。"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied(_("审计记录不可删除。"))


class ChangeAction(models.TextChoices):
    CREATE = "create", _("新增")
    UPDATE = "update", _("修改")
    DELETE = "delete", _("删除")


class ObjectChange(AppendOnlyModel):
    time = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    zone = models.ForeignKey("accounts.Zone", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    user_name = models.CharField(_("操作人"), max_length=150)
    via = models.CharField(_("渠道"), max_length=10)
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    request_id = models.UUIDField(_("请求编号"), db_index=True)
    action = models.CharField(_("操作"), max_length=10, choices=ChangeAction.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.BigIntegerField(_("对象编号"))
    object_repr = models.CharField(_("对象"), max_length=200)
    prechange_data = models.JSONField(_("变更前"), null=True, blank=True)
    postchange_data = models.JSONField(_("变更后"), null=True, blank=True)
    message = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        ordering = ["-time", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "time"])]
        verbose_name = _("变更记录")
        verbose_name_plural = _("变更记录")

    def __str__(self):
        return f"{self.get_action_display()} {self.object_repr}"

    def diff(self) -> list[tuple[str, object, object]]:
        """(field, before, after) for every field whose value changed."""
        before = self.prechange_data or {}
        after = self.postchange_data or {}
        keys = list(dict.fromkeys([*before.keys(), *after.keys()]))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]

    def labelled_diff(self) -> list[tuple[str, str, object, object]]:
        """(field, label, before, after) per changed field, labelled with the model's verbose names.

        An empty field of a new row says nothing and is left out.
        """
        model = ContentType.objects.get_for_id(self.content_type_id).model_class()  # cached: no query per row
        out = []
        for field, before, after in self.diff():
            if before is None and after in ("", None, [], {}):
                continue
            label = field
            if model is not None:
                try:
                    label = str(model._meta.get_field(field.removesuffix("_id")).verbose_name)
                except FieldDoesNotExist:
                    pass
            out.append((field, label, before, after))
        return out


class SecurityEventKind(models.TextChoices):
    LOGIN = "login", _("登录")
    LOGOUT = "logout", _("退出")
    LOGIN_FAILED = "login_failed", _("登录失败")
    LOCKED = "locked", _("账户锁定")
    UNLOCKED = "unlocked", _("账户解锁")
    PASSWORD_CHANGED = "password_changed", _("修改密码")
    PASSWORD_RESET = "password_reset", _("重置密码")
    USER_CREATED = "user_created", _("创建用户")
    USER_CHANGED = "user_changed", _("修改用户")
    ROLE_CHANGED = "role_changed", _("角色变更")
    TOKEN_CREATED = "token_created", _("创建 API 令牌")
    TOKEN_REVOKED = "token_revoked", _("撤销 API 令牌")
    POLICY_CHANGED = "policy_changed", _("安全策略变更")
    IMPORT = "import", _("数据导入")
    EXPORT = "export", _("数据导出")
    PERMISSION_DENIED = "permission_denied", _("越权访问")
    AUDIT_PRUNED = "audit_pruned", _("清理过期审计记录")


class SecurityEvent(AppendOnlyModel):
    time = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    kind = models.CharField(_("事件"), max_length=20, choices=SecurityEventKind.choices, db_index=True)
    success = models.BooleanField(_("成功"), default=True)
    zone = models.ForeignKey("accounts.Zone", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    user_name = models.CharField(_("账户"), max_length=150, blank=True)
    via = models.CharField(_("渠道"), max_length=10)
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    user_agent = models.CharField(_("浏览器"), max_length=300, blank=True)
    request_id = models.UUIDField(_("请求编号"))
    detail = models.CharField(_("详情"), max_length=500, blank=True)

    class Meta:
        ordering = ["-time", "-id"]
        verbose_name = _("安全事件")
        verbose_name_plural = _("安全事件")

    def __str__(self):
        return f"{self.get_kind_display()} {self.user_name}"
