"""Every write to zones, departments, accounts, API tokens and the security policy.

`user` is always the acting user (None only from the command line, see rules.py). Each write leaves
a SecurityEvent; zones, departments and user rows also get an ObjectChange with the field diff.
"""

import datetime as dt
import secrets
import string
from dataclasses import dataclass

from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.core.audit.models import ChangeAction, SecurityEventKind
from gaoxin.core.audit.services import change_record, security_event_record, snapshot
from gaoxin.core.permissions import BUSINESS_ROLES, Role
from gaoxin.core.services import audited_create, audited_update

from .models import ApiToken, Department, PasswordHistory, SecurityPolicy, User, Zone
from .passwords import PasswordHistoryValidator, character_classes
from .rules import require_role, require_zone


@dataclass(frozen=True)
class DefaultDepartment:
    code: str
    name: str


# The departments every new zone starts with (`gaoxin zone add`); codes are pinyin initials.
DEFAULT_DEPARTMENTS = (
    DefaultDepartment("gfj", "改革发展局"),
    DefaultDepartment("tzcj", "投资促进局"),
    DefaultDepartment("jsj", "建设局"),
    DefaultDepartment("zwzx", "政务服务中心"),
    DefaultDepartment("jxj", "经信局"),
)

# Account fields a system admin sets; passwords, lockout and tokens have their own services.
USER_FIELDS = ("username", "display_name", "email", "zone", "role", "department", "enterprise", "is_active")
DEPARTMENT_FIELDS = ("code", "name")
POLICY_LIMITS = {
    "password_max_age_days": (0, 365),
    "lockout_threshold": (3, 10),
    "lockout_minutes": (1, 1440),
    "session_idle_minutes": (5, 480),
}


def _merge(errors: dict, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    else:
        errors.setdefault("__all__", []).extend(exc.messages)


def _field_label(model, name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except Exception:
        return name


def _zone_code_label(zone: Zone | None) -> str:
    return f"{zone.name}（{zone.code}）" if zone else _("全部园区")


# ---------------------------------------------------------------- zones and departments


@transaction.atomic
def zone_create(*, user, code: str, name: str, with_default_departments: bool = True) -> Zone:
    """Create a zone and, by default, its five standard departments. Only an admin without a zone."""
    require_role(user, Role.SYSTEM_ADMIN)
    if user is not None and user.zone_id is not None:
        raise PermissionDenied(_("只有不隶属于具体园区的系统管理员才能新建园区。"))
    code = (code or "").strip()
    name = (name or "").strip()
    zone = Zone(code=code, name=name)
    errors: dict = {}
    try:
        zone.full_clean()
    except ValidationError as exc:
        _merge(errors, exc)
    if code and Zone.objects.filter(code=code).exists():
        errors["code"] = [_("园区代码“%(code)s”已存在。") % {"code": code}]
    if errors:
        raise ValidationError(errors)
    audited_create(zone)
    if with_default_departments:
        for dept in DEFAULT_DEPARTMENTS:
            audited_create(Department(zone=zone, code=dept.code, name=dept.name))
    return zone


@transaction.atomic
def department_create(*, user, zone: Zone, code: str, name: str) -> Department:
    require_role(user, Role.SYSTEM_ADMIN)
    require_zone(user, zone.pk)
    return audited_create(Department(zone=zone, code=(code or "").strip(), name=(name or "").strip()))


@transaction.atomic
def department_update(*, user, department: Department, data: dict) -> Department:
    require_role(user, Role.SYSTEM_ADMIN)
    require_zone(user, department.zone_id)
    clean = {k: (v.strip() if isinstance(v, str) else v) for k, v in data.items() if k in DEPARTMENT_FIELDS}
    return audited_update(department, clean)


# ---------------------------------------------------------------- passwords


def history_length() -> int:
    for validator in password_validation.get_default_password_validators():
        if isinstance(validator, PasswordHistoryValidator):
            return validator.history
    return 5


def _store_password(target: User, password: str, *, must_change: bool) -> None:
    """Hash, save, remember the hash; the caller validated `password` against the policy."""
    target.set_password(password)
    if must_change:
        # Never "set by the user": PasswordExpiryMiddleware sends them to the change page at next login.
        target.password_changed_at = None
    if target.pk:
        target.save(update_fields=["password", "password_changed_at"])
    else:
        target.save()
    PasswordHistory.objects.create(user=target, password=target.password)
    keep = list(target.password_history.values_list("pk", flat=True)[: history_length()])
    PasswordHistory.objects.filter(user=target).exclude(pk__in=keep).delete()


def _validate_password(password: str, target: User, field: str = "password") -> None:
    try:
        password_validation.validate_password(password, target)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from None


def generate_password(*, username: str = "", length: int = 14) -> str:
    """A random password meeting the policy (all four classes, no username), for resets."""
    alphabet = string.ascii_letters + string.digits + "#%+=@!?"
    while True:
        password = "".join(secrets.choice(alphabet) for _i in range(length))
        if len(character_classes(password)) == 4 and (not username or username.casefold() not in password.casefold()):
            return password


@transaction.atomic
def user_set_password(*, user: User, old_password: str, password: str) -> None:
    """A user changes their own password: old one checked, policy applied, history kept."""
    if not (user.is_authenticated and user.is_active):
        raise PermissionDenied(_("请先登录。"))
    if not user.check_password(old_password):
        raise ValidationError({"old_password": [_("原密码不正确。")]})
    _validate_password(password, user)
    _store_password(user, password, must_change=False)
    security_event_record(kind=SecurityEventKind.PASSWORD_CHANGED, user=user)


@transaction.atomic
def user_reset_password(*, user, target: User, password: str | None = None) -> str:
    """Security admin sets a temporary password (generated unless given); the user must change it at next login."""
    require_role(user, Role.SECURITY_ADMIN)
    require_zone(user, target.zone_id)
    if user is not None and user.pk == target.pk:
        raise PermissionDenied(_("不能重置自己的密码，请使用“修改密码”。"))
    if password is None:
        password = generate_password(username=target.username)
    _validate_password(password, target)
    _store_password(target, password, must_change=True)
    security_event_record(kind=SecurityEventKind.PASSWORD_RESET, zone=target.zone,
                          detail=lambda: _("重置账户 %(name)s 的密码") % {"name": target.username})
    return password


@transaction.atomic
def user_unlock(*, user, target: User) -> None:
    require_role(user, Role.SECURITY_ADMIN)
    require_zone(user, target.zone_id)
    User.objects.filter(pk=target.pk).update(failed_logins=0, locked_until=None)
    target.failed_logins, target.locked_until = 0, None
    security_event_record(kind=SecurityEventKind.UNLOCKED, zone=target.zone,
                          detail=lambda: _("解锁账户 %(name)s") % {"name": target.username})


# ---------------------------------------------------------------- accounts


def _check_assignable(user, target: User, errors: dict) -> None:
    """Role-dependent rules the model's clean() does not know about."""
    if target.zone_id is not None:
        try:
            require_zone(user, target.zone_id)
        except PermissionDenied as exc:
            errors.setdefault("zone", []).append(str(exc))
    elif user is not None and user.zone_id is not None:
        errors.setdefault("zone", []).append(_("您只能管理本园区的账户，请选择所属园区。"))
    if target.role in BUSINESS_ROLES and target.zone_id is None:
        errors.setdefault("zone", []).append(_("该角色必须指定所属园区。"))


def _describe_user(target: User) -> str:
    parts = [target.username, str(target.get_role_display())]
    if target.zone_id:
        parts.append(target.zone.code)
    if target.department_id:
        parts.append(target.department.name)
    if target.enterprise_id:
        parts.append(target.enterprise.name)
    return " · ".join(parts)


@transaction.atomic
def user_create(*, user, data: dict, password: str, must_change_password: bool = False,
                extra_zones: list[Zone] | None = None) -> User:
    """Create an account. Every problem (fields, role rules, password policy) is reported at once."""
    require_role(user, Role.SYSTEM_ADMIN)
    target = User(**{k: v for k, v in data.items() if k in USER_FIELDS})
    errors: dict = {}
    try:
        target.full_clean(exclude=["password"])
    except ValidationError as exc:
        _merge(errors, exc)
    _check_assignable(user, target, errors)
    try:
        password_validation.validate_password(password or "", target)
    except ValidationError as exc:
        errors.setdefault("password", []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    _store_password(target, password, must_change=must_change_password)
    if extra_zones:
        target.extra_zones.set(extra_zones)
    change_record(obj=target, action=ChangeAction.CREATE)
    security_event_record(kind=SecurityEventKind.USER_CREATED, zone=target.zone,
                          detail=lambda: _("创建账户 %(desc)s") % {"desc": _describe_user(target)})
    return target


@transaction.atomic
def user_update(*, user, target: User, data: dict, extra_zones: list[Zone] | None = None) -> User:
    """Change an account's profile, role, department, enterprise or active flag."""
    require_role(user, Role.SYSTEM_ADMIN)
    require_zone(user, target.zone_id)
    data = {k: v for k, v in data.items() if k in USER_FIELDS}
    own = user is not None and user.pk == target.pk
    errors: dict = {}
    if own and "role" in data and data["role"] != target.role:
        errors["role"] = [_("不能修改自己的角色。")]
    if own and data.get("is_active") is False:
        errors["is_active"] = [_("不能停用自己的账户。")]
    if errors:
        raise ValidationError(errors)
    before = snapshot(target)
    old_role = target.role
    old_extra = set(target.extra_zones.values_list("pk", flat=True))
    for field, value in data.items():
        setattr(target, field, value)
    try:
        target.full_clean(exclude=["password"])
    except ValidationError as exc:
        _merge(errors, exc)
    _check_assignable(user, target, errors)
    if errors:
        raise ValidationError(errors)
    new_extra = old_extra if extra_zones is None else {z.pk for z in extra_zones}
    after = snapshot(target)
    if after == before and new_extra == old_extra:
        return target
    target.save()
    if new_extra != old_extra:
        target.extra_zones.set(new_extra)
        target.__dict__.pop("_readable_zone_ids", None)
    changed = [k for k in after if before.get(k) != after.get(k)]
    if changed:
        change_record(obj=target, action=ChangeAction.UPDATE, before=before)
    if target.role != old_role:
        security_event_record(
            kind=SecurityEventKind.ROLE_CHANGED, zone=target.zone,
            detail=lambda: _("账户 %(name)s 的角色：%(old)s → %(new)s")
            % {"name": target.username, "old": Role(old_role).label, "new": Role(target.role).label},
        )
    fields = [k.removesuffix("_id") for k in changed if k != "role"] + (["extra_zones"] if new_extra != old_extra else [])
    if fields:
        def detail():
            state = ""
            if "is_active" in changed:
                state = _("（已启用）") if target.is_active else _("（已停用）")
            return _("修改账户 %(name)s：%(fields)s%(state)s") % {
                "name": target.username, "fields": "、".join(_field_label(User, f) for f in fields), "state": state}

        security_event_record(kind=SecurityEventKind.USER_CHANGED, zone=target.zone, detail=detail)
    return target


def user_deactivate(*, user, target: User) -> User:
    """Accounts are never deleted (their audit trail refers to them); they are deactivated."""
    return user_update(user=user, target=target, data={"is_active": False})


# ---------------------------------------------------------------- API tokens


TOKEN_MAX_PER_USER = 20


@transaction.atomic
def api_token_create(*, user: User, name: str, expires_at: dt.datetime | None = None) -> tuple[ApiToken, str]:
    """A new token for `user`; the plain key is returned once and only its hash is stored."""
    if not (user is not None and user.is_authenticated and user.is_active):
        raise PermissionDenied(_("请先登录。"))
    name = (name or "").strip()
    errors: dict = {}
    if not name:
        errors["name"] = [_("请填写令牌用途。")]
    elif len(name) > 100:
        errors["name"] = [_("用途最多 100 个字。")]
    if expires_at is not None and expires_at <= timezone.now():
        errors["expires_at"] = [_("过期时间必须晚于现在。")]
    active = ApiToken.objects.filter(user=user, revoked_at__isnull=True).count()
    if active >= TOKEN_MAX_PER_USER:
        errors["__all__"] = [_("每个账户最多保留 %(n)d 个有效令牌，请先撤销不用的令牌。") % {"n": TOKEN_MAX_PER_USER}]
    if errors:
        raise ValidationError(errors)
    key = ApiToken.new_key()
    token = ApiToken.objects.create(user=user, name=name, prefix=key[:8], key_hash=ApiToken.hash_key(key),
                                    expires_at=expires_at)
    security_event_record(kind=SecurityEventKind.TOKEN_CREATED, user=user,
                          detail=lambda: _("令牌“%(name)s”（%(prefix)s…）") % {"name": name, "prefix": token.prefix})
    return token, key


@transaction.atomic
def api_token_revoke(*, user: User, token: ApiToken) -> ApiToken:
    """The owner revokes a token; revoking twice changes nothing."""
    if not (user is not None and user.is_authenticated and user.is_active and token.user_id == user.pk):
        raise PermissionDenied(_("只能撤销自己的令牌。"))
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    security_event_record(kind=SecurityEventKind.TOKEN_REVOKED, user=user,
                          detail=lambda: _("令牌“%(name)s”（%(prefix)s…）") % {"name": token.name, "prefix": token.prefix})
    return token


# ---------------------------------------------------------------- security policy


@transaction.atomic
def security_policy_update(*, user, data: dict) -> SecurityPolicy:
    require_role(user, Role.SECURITY_ADMIN)
    policy = SecurityPolicy.current()
    errors: dict = {}
    changes = []
    for field, (low, high) in POLICY_LIMITS.items():
        if field not in data:
            continue
        value = data[field]
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            errors[field] = [_("请输入 %(low)d 到 %(high)d 之间的整数。") % {"low": low, "high": high}]
            continue
        old = getattr(policy, field)
        if old != value:
            changes.append(f"{_field_label(SecurityPolicy, field)}：{old} → {value}")
            setattr(policy, field, value)
    if errors:
        raise ValidationError(errors)
    if changes:
        policy.save()
        security_event_record(kind=SecurityEventKind.POLICY_CHANGED, detail="；".join(changes))
    return policy
