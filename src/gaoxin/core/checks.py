from django.conf import settings
from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured


def uses_default_secret_key() -> bool:
    from gaoxin.settings import DEFAULT_SECRET_KEY

    return not settings.DEBUG and settings.SECRET_KEY == DEFAULT_SECRET_KEY


def refuse_default_secret_key() -> None:
    """Called before serving (runserver, WSGI): with debug off, the default key is a hard error."""
    if uses_default_secret_key():
        raise ImproperlyConfigured(
            "GAOXIN_SECRET_KEY is not set and debug is off: refusing to serve with the default secret key. "
            "Set GAOXIN_SECRET_KEY to a long random value, e.g. "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'."
        )


@register(deploy=True)
def secret_key_check(app_configs, **kwargs):
    if uses_default_secret_key():
        return [Error("GAOXIN_SECRET_KEY is not set and debug is off.", id="gaoxin.E001")]
    return []
