"""Settings from the environment: secret key refusal, SQLite WAL, security headers and cookies, languages."""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import override_settings
from django.urls import reverse

import gaoxin.settings as project_settings
from gaoxin.core.checks import refuse_default_secret_key, secret_key_check

GAOXIN = Path(sys.executable).with_name("gaoxin")


def gaoxin_env(tmp_path, **extra) -> dict:
    """The environment of a fresh `gaoxin` process: no secret key, debug off, SQLite under tmp_path."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GAOXIN_") and k != "DJANGO_SETTINGS_MODULE"}
    env["GAOXIN_VAR_DIR"] = str(tmp_path / "var")
    env.update(extra)
    return env


def load_settings(monkeypatch, tmp_path, **env):
    """A fresh copy of gaoxin/settings.py evaluated under `env` (the running settings stay untouched)."""
    for name in list(os.environ):
        if name.startswith("GAOXIN_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("GAOXIN_VAR_DIR", str(tmp_path / "var"))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location("gaoxin_settings_probe", project_settings.__file__)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- the secret key -------------------------------------------------------------------------------

@override_settings(DEBUG=False, SECRET_KEY=project_settings.DEFAULT_SECRET_KEY)
def test_default_secret_key_with_debug_off_is_refused():
    with pytest.raises(ImproperlyConfigured, match="GAOXIN_SECRET_KEY"):
        refuse_default_secret_key()
    assert [e.id for e in secret_key_check(None)] == ["gaoxin.E001"]


@override_settings(DEBUG=False, SECRET_KEY="a-real-secret-key-from-the-environment-0123456789")
def test_a_set_secret_key_is_accepted():
    refuse_default_secret_key()
    assert secret_key_check(None) == []


@override_settings(DEBUG=True, SECRET_KEY=project_settings.DEFAULT_SECRET_KEY)
def test_debug_may_use_the_default_key():
    refuse_default_secret_key()


def test_settings_read_the_secret_key_and_debug_from_the_environment(monkeypatch, tmp_path):
    unset = load_settings(monkeypatch, tmp_path)
    assert unset.DEBUG is False
    assert unset.SECRET_KEY == unset.DEFAULT_SECRET_KEY
    configured = load_settings(monkeypatch, tmp_path, GAOXIN_SECRET_KEY="k" * 50, GAOXIN_DEBUG="1",
                               GAOXIN_ALLOWED_HOSTS="gaoxin.example.cn, 10.0.0.5")
    assert configured.SECRET_KEY == "k" * 50
    assert configured.DEBUG is True
    assert configured.ALLOWED_HOSTS == ["gaoxin.example.cn", "10.0.0.5"]


def test_runserver_refuses_to_start_without_a_secret_key(tmp_path):
    assert GAOXIN.exists(), f"the console script is missing: {GAOXIN}"
    try:
        result = subprocess.run(
            [str(GAOXIN), "runserver", "--noreload", "127.0.0.1:8765"],
            env=gaoxin_env(tmp_path), cwd=tmp_path, capture_output=True, text=True, timeout=120,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("runserver started serving with the default secret key")
    assert result.returncode != 0
    assert "GAOXIN_SECRET_KEY is not set" in result.stdout + result.stderr


# --- the database ---------------------------------------------------------------------------------

@pytest.mark.skipif(connection.vendor != "sqlite", reason="WAL is SQLite's; this run uses another database")
def test_default_database_is_sqlite_in_wal_mode_under_var(tmp_path):
    probe = (
        "from django.db import connection\n"
        "with connection.cursor() as c:\n"
        "    c.execute('PRAGMA journal_mode')\n"
        "    print('journal_mode=' + c.fetchone()[0])\n"
    )
    result = subprocess.run(
        [str(GAOXIN), "shell", "-c", probe],
        env=gaoxin_env(tmp_path), cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "journal_mode=wal" in result.stdout
    assert (tmp_path / "var" / "gaoxin.sqlite3").exists()


def test_database_url_selects_postgresql(monkeypatch, tmp_path):
    module = load_settings(monkeypatch, tmp_path, GAOXIN_DATABASE_URL="postgres://gaoxin:pw@db.internal:5432/gaoxin")
    db = module.DATABASES["default"]
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["HOST"], db["NAME"], db["USER"]) == ("db.internal", "gaoxin", "gaoxin")


# --- security headers and cookies ----------------------------------------------------------------

def test_security_headers_and_httponly_session_cookie(client, world):
    client.force_login(world.users["leader"])
    response = client.get(reverse("home"))
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "cdn" not in csp.lower()
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    # the session is saved on every request (idle timeout), so the cookie is set again here
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


@pytest.mark.django_db
def test_headers_are_set_for_anonymous_responses_too(client):
    response = client.get("/no-such-page/")
    assert response["X-Frame-Options"] == "DENY"
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_production_cookies_are_secure(monkeypatch, tmp_path):
    production = load_settings(monkeypatch, tmp_path, GAOXIN_SECRET_KEY="k" * 50)
    assert production.DEBUG is False
    assert production.SESSION_COOKIE_SECURE is True
    assert production.CSRF_COOKIE_SECURE is True
    assert production.SESSION_COOKIE_HTTPONLY is True
    assert production.SECURE_HSTS_SECONDS > 0


def test_secure_cookies_can_be_switched_off_for_plain_http(monkeypatch, tmp_path):
    plain = load_settings(monkeypatch, tmp_path, GAOXIN_SECRET_KEY="k" * 50, GAOXIN_SECURE_COOKIES="0")
    assert plain.SESSION_COOKIE_SECURE is False
    assert plain.CSRF_COOKIE_SECURE is False
    assert plain.SECURE_HSTS_SECONDS == 0


def test_idle_timeout_defaults_to_thirty_minutes(monkeypatch, tmp_path):
    module = load_settings(monkeypatch, tmp_path)
    assert module.SESSION_COOKIE_AGE == 30 * 60
    assert module.SESSION_SAVE_EVERY_REQUEST is True


# --- languages -----------------------------------------------------------------------------------

def test_simplified_chinese_is_the_default_and_english_is_offered():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert [code for code, _name in settings.LANGUAGES] == ["zh-hans", "en"]
    assert "django.middleware.locale.LocaleMiddleware" in settings.MIDDLEWARE


def test_pages_are_chinese_unless_the_browser_asks_otherwise(client, world):
    client.force_login(world.users["leader"])
    assert '<html lang="zh-hans">' in client.get(reverse("home")).content.decode()
    english = client.get(reverse("home"), headers={"accept-language": "en"})
    assert '<html lang="en">' in english.content.decode()


def test_language_switch_posts_to_set_language(client, world):
    client.force_login(world.users["leader"])
    text = client.get(reverse("home")).content.decode()
    assert f'<form action="{reverse("set_language")}" method="post"' in text
    assert 'name="language"' in text
    assert '<option value="en"' in text

    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("home")})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert '<html lang="en">' in client.get(reverse("home")).content.decode()
