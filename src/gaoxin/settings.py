"""Settings read from the environment.

GAOXIN_DATABASE_URL  database (default: SQLite in WAL mode under var/)
GAOXIN_SECRET_KEY    required when GAOXIN_DEBUG is off
GAOXIN_DEBUG         1/true to enable debug (default off)
GAOXIN_ALLOWED_HOSTS comma-separated host names
GAOXIN_VAR_DIR       where the SQLite database, uploads and exports live (default ./var)
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("GAOXIN_VAR_DIR", Path.cwd() / "var")).resolve()

DEFAULT_SECRET_KEY = "gaoxin-insecure-default-key-change-me"


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = _flag("GAOXIN_DEBUG")
SECRET_KEY = os.environ.get("GAOXIN_SECRET_KEY", DEFAULT_SECRET_KEY)
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("GAOXIN_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()]

INSTALLED_APPS = [
    "gaoxin.core",  # first: its runserver (which refuses the default secret key) wins over staticfiles'
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_htmx",
    "ninja",
    "gaoxin.accounts",
    "gaoxin.enterprises",
    "gaoxin.land",
    "gaoxin.evaluation",
    "gaoxin.projects",
    "gaoxin.investment",
    "gaoxin.economy",
    "gaoxin.approvals",
    "gaoxin.policies",
    "gaoxin.transformation",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Serves /static/ itself: intranet deployments often have no separate web server for assets.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "gaoxin.core.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "gaoxin.core.audit.middleware.RequestContextMiddleware",
    "gaoxin.accounts.middleware.PasswordExpiryMiddleware",
]

ROOT_URLCONF = "gaoxin.urls"
WSGI_APPLICATION = "gaoxin.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gaoxin.core.context_processors.navigation",
            ],
        },
    },
]

# SQLite (WAL) by default so that `make demo` runs anywhere; PostgreSQL in production.
DATABASE_URL = os.environ.get("GAOXIN_DATABASE_URL") or f"sqlite:///{VAR_DIR / 'gaoxin.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["gaoxin.accounts.backends.LockoutModelBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# 等保2.0 8.1.4.1: complexity, no username, no reuse of the last 5 passwords.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "gaoxin.accounts.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "gaoxin.accounts.passwords.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "gaoxin.accounts.passwords.NoUsernameValidator"},
    {"NAME": "gaoxin.accounts.passwords.PasswordHistoryValidator", "OPTIONS": {"history": 5}},
]

# Defaults for the security policy; a security admin changes them in the UI (accounts.SecurityPolicy).
GAOXIN_PASSWORD_MAX_AGE_DAYS = int(os.environ.get("GAOXIN_PASSWORD_MAX_AGE_DAYS", 90))
GAOXIN_LOCKOUT_THRESHOLD = 5
GAOXIN_LOCKOUT_MINUTES = 15
GAOXIN_AUDIT_RETENTION_DAYS = 180  # 网络安全法 art. 21: at least six months

# Idle timeout: the session expires after 30 minutes without a request.
SESSION_COOKIE_AGE = int(os.environ.get("GAOXIN_SESSION_IDLE_SECONDS", 30 * 60))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "gaoxin.core.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    # Production runs behind HTTPS; `gaoxin demo` and tests relax this (see gaoxin.core.checks).
    SESSION_COOKIE_SECURE = _flag("GAOXIN_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_HSTS_SECONDS = int(os.environ.get("GAOXIN_HSTS_SECONDS", 0)) or (31536000 if SESSION_COOKIE_SECURE else 0)
    SECURE_SSL_REDIRECT = _flag("GAOXIN_SSL_REDIRECT")
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if _flag("GAOXIN_BEHIND_PROXY") else None

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Serve straight from the package's static folders, so a deployment works without `collectstatic`.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = VAR_DIR / "media"
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10000

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("GAOXIN_LOG_LEVEL", "WARNING")},
}
