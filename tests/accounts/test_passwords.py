"""Password policy (等保2.0 8.1.4.1 a): length, character classes, no username, no reuse of the last five."""

import itertools

import pytest
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError

from gaoxin.accounts import services
from gaoxin.accounts.models import PasswordHistory
from gaoxin.accounts.passwords import CharacterClassValidator, NoUsernameValidator, PasswordHistoryValidator
from gaoxin.core.audit.models import SecurityEvent
from tests.factories import PASSWORD


def codes(password, user=None) -> set[str]:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        return {e.code for e in exc.error_list}
    return set()


@pytest.mark.parametrize("password,ok", [
    ("Abcdefgh12", True),        # upper, lower, digit
    ("abcdefgh1#", True),        # lower, digit, symbol
    ("ABCDEFGH#1", True),        # upper, digit, symbol
    ("Abcdefghij", False),       # two classes
    ("abcdefgh12", False),
    ("1234567890", False),
    ("密码密码密码密码12ab", True),  # CJK counts as a symbol
])
def test_character_classes(password, ok):
    validator = CharacterClassValidator(min_classes=3)
    if ok:
        validator.validate(password)
    else:
        with pytest.raises(ValidationError) as exc:
            validator.validate(password)
        assert exc.value.code == "password_too_simple"
        assert "至少 3 类" in exc.value.messages[0]


def test_minimum_length_is_ten():
    assert "password_too_short" in codes("Ab1#Ab1#A")
    assert codes("Ab1#Ab1#Ab") == set()


def test_password_must_not_contain_username(world):
    user = world.users["staff_a"]  # username staff_a
    assert "password_contains_username" in codes("XX-Staff_A-2026", user)
    NoUsernameValidator().validate("Completely#Other9", user)


def test_help_texts_are_chinese():
    texts = password_validation.password_validators_help_texts()
    assert any("至少 3 类" in t for t in texts)
    assert any("用户名" in t for t in texts)
    assert any("最近 5 次" in t for t in texts)


def change(user, old, new):
    services.user_set_password(user=user, old_password=old, password=new)
    user.refresh_from_db()


def test_last_five_passwords_cannot_be_reused(world):
    user = world.users["staff_b"]
    passwords = [PASSWORD] + [f"Rotate#{i}Pass2026" for i in range(1, 6)]
    for old, new in itertools.pairwise(passwords):
        change(user, old, new)
    # History keeps exactly the last five hashes.
    assert PasswordHistory.objects.filter(user=user).count() == 5
    current = passwords[-1]
    for recent in passwords[-5:]:  # the current one and the four before it
        with pytest.raises(ValidationError) as exc:
            services.user_set_password(user=user, old_password=current, password=recent)
        assert "最近 5 次" in str(exc.value)
    # The sixth most recent may be used again.
    change(user, current, passwords[0])
    assert user.check_password(passwords[0])


def test_history_validator_counts_a_password_set_outside_the_services(world):
    user = world.users["leader"]  # factory password, no history rows
    assert not PasswordHistory.objects.filter(user=user).exists()
    with pytest.raises(ValidationError):
        PasswordHistoryValidator(history=5).validate(PASSWORD, user)


def test_set_password_records_time_event_and_history(world):
    user = world.users["staff_a"]
    user.password_changed_at = None
    user.save(update_fields=["password_changed_at"])
    change(user, PASSWORD, "Brand#New2026pw")
    assert user.password_changed_at is not None
    assert user.password_history.count() == 1
    assert user.check_password("Brand#New2026pw")
    event = SecurityEvent.objects.get(kind="password_changed")
    assert event.user == user


def test_wrong_old_password_changes_nothing(world):
    user = world.users["staff_a"]
    before = user.password
    with pytest.raises(ValidationError) as exc:
        services.user_set_password(user=user, old_password="wrong", password="Brand#New2026pw")
    assert "old_password" in exc.value.message_dict
    user.refresh_from_db()
    assert user.password == before
    assert not SecurityEvent.objects.filter(kind="password_changed").exists()


def test_every_policy_error_is_reported_at_once(world):
    user = world.users["staff_a"]
    with pytest.raises(ValidationError) as exc:
        services.user_set_password(user=user, old_password=PASSWORD, password="staff_a")
    messages = exc.value.message_dict["password"]
    assert len(messages) == 3  # too short, too few classes, contains the username


def test_minimum_length_message_is_chinese():
    from gaoxin.accounts.passwords import MinimumLengthValidator

    with pytest.raises(ValidationError) as exc:
        MinimumLengthValidator(min_length=10).validate("Ab1#")
    assert exc.value.messages == ["密码太短：至少需要 10 个字符。"]
    assert exc.value.error_list[0].code == "password_too_short"
