"""Environment for `gaoxin demo`: a local secret key under var/ and plain-HTTP cookies on 127.0.0.1."""

import os
import secrets
from pathlib import Path


def prepare_demo_environment() -> None:
    var = Path(os.environ.get("GAOXIN_VAR_DIR", Path.cwd() / "var"))
    (var / "static").mkdir(parents=True, exist_ok=True)  # STATIC_ROOT; WhiteNoise warns when it is missing
    if "GAOXIN_SECRET_KEY" not in os.environ:
        key_file = var / "secret_key"
        if not key_file.exists():
            key_file.write_text(secrets.token_urlsafe(50))
            key_file.chmod(0o600)
        os.environ["GAOXIN_SECRET_KEY"] = key_file.read_text().strip()
    # The demo serves http://127.0.0.1:8000, so secure-only cookies would never be sent back.
    os.environ.setdefault("GAOXIN_SECURE_COOKIES", "0")
