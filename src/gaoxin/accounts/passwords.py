"""PENDING: password validators."""


class _Pass:
    def __init__(self, **kwargs):
        pass

    def validate(self, password, user=None):
        pass

    def get_help_text(self):
        return ""


CharacterClassValidator = NoUsernameValidator = PasswordHistoryValidator = _Pass
