"""Password rules of 等保2.0 (GB/T 22239-2019 8.1.4.1 a), as Django password validators.

Configured in settings.AUTH_PASSWORD_VALIDATORS, with a minimum length of 10.
"""

import string

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

CLASS_NAMES = {
    "upper": gettext_lazy("大写字母"),
    "lower": gettext_lazy("小写字母"),
    "digit": gettext_lazy("数字"),
    "symbol": gettext_lazy("符号"),
}


def character_classes(password: str) -> set[str]:
    """Which of the four classes a password uses; anything not an ASCII letter or digit is a symbol."""
    found = set()
    for ch in password:
        if ch in string.ascii_uppercase:
            found.add("upper")
        elif ch in string.ascii_lowercase:
            found.add("lower")
        elif ch in string.digits:
            found.add("digit")
        elif not ch.isspace():
            found.add("symbol")
    return found


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's rule with a Chinese message (Django 5.2's reworded message has no zh-hans translation yet)."""

    def get_error_message(self):
        return _("密码太短：至少需要 %(min)d 个字符。") % {"min": self.min_length}

    def get_help_text(self):
        return _("密码至少 %(min)d 个字符。") % {"min": self.min_length}


class CharacterClassValidator:
    """At least `min_classes` of: upper-case letters, lower-case letters, digits, symbols."""

    def __init__(self, min_classes: int = 3):
        if not 1 <= min_classes <= 4:
            raise ValueError("min_classes must be between 1 and 4")
        self.min_classes = min_classes

    def validate(self, password, user=None):
        used = character_classes(password)
        if len(used) < self.min_classes:
            missing = "、".join(str(CLASS_NAMES[c]) for c in CLASS_NAMES if c not in used)
            raise ValidationError(
                _("密码须包含大写字母、小写字母、数字、符号中的至少 %(min)d 类，当前只有 %(count)d 类（缺少：%(missing)s）。")
                % {"min": self.min_classes, "count": len(used), "missing": missing},
                code="password_too_simple",
            )

    def get_help_text(self):
        return _("密码须包含大写字母、小写字母、数字、符号中的至少 %(min)d 类。") % {"min": self.min_classes}


class NoUsernameValidator:
    """The password must not contain the username (case-insensitive)."""

    def validate(self, password, user=None):
        username = (getattr(user, "username", "") or "").strip()
        if username and username.casefold() in password.casefold():
            raise ValidationError(_("密码不能包含用户名。"), code="password_contains_username")

    def get_help_text(self):
        return _("密码不能包含用户名。")


class PasswordHistoryValidator:
    """Not one of the user's last `history` passwords (the current one included)."""

    def __init__(self, history: int = 5):
        if history < 1:
            raise ValueError("history must be at least 1")
        self.history = history

    def recent_hashes(self, user) -> list[str]:
        if user is None or not getattr(user, "pk", None):
            return []
        stored = list(user.password_history.values_list("password", flat=True)[: self.history])
        current = user.password
        if current and current not in stored:
            # Set outside our services (factories, createsuperuser): it still counts as the newest.
            stored = [current, *stored[: self.history - 1]]
        return stored

    def validate(self, password, user=None):
        from django.contrib.auth.hashers import check_password

        for encoded in self.recent_hashes(user):
            if check_password(password, encoded):
                raise ValidationError(
                    _("新密码不能与最近 %(n)d 次使用过的密码相同。") % {"n": self.history}, code="password_reused"
                )

    def get_help_text(self):
        return _("不能使用最近 %(n)d 次用过的密码。") % {"n": self.history}
