"""Settings: the only module that reads `os.environ`.

Unset `DATABASE_URL` / `REDIS_URL` mean "start embedded servers" (see `core.embedded`); the
commands that do so export the resulting URLs to every process they start.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


class SettingsError(ValueError):
    """An environment variable has a value that cannot be used."""


@dataclass(frozen=True, slots=True)
class Settings:
    database_url: str | None
    redis_url: str | None
    base_url: str
    secret_key: str
    data_dir: Path
    smtp_host: str
    smtp_port: int
    smtp_user: str | None
    smtp_password: str | None
    smtp_starttls: bool
    mail_from: str
    webhook_timeout: float
    today: date | None
    public_read: bool
    case_retention_months: int = 24
    # the login session's runtime directory (XDG); the embedded PostgreSQL's lock lives there
    xdg_runtime_dir: Path | None = None


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, got {raw!r}") from None


def _float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw in (None, ""):
        return default
    try:
        return float(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a number, got {raw!r}") from None


def _bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw in (None, ""):
        return default
    if raw.lower() in ("1", "true", "yes", "on"):
        return True
    if raw.lower() in ("0", "false", "no", "off"):
        return False
    raise SettingsError(f"{name} must be true or false, got {raw!r}")


def _date(name: str) -> date | None:
    raw = os.environ.get(name)
    if raw in (None, ""):
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a date like 2026-11-23, got {raw!r}") from None


def load_settings() -> Settings:
    return Settings(
        database_url=os.environ.get("DATABASE_URL") or None,
        redis_url=os.environ.get("REDIS_URL") or None,
        base_url=(os.environ.get("BASE_URL") or "http://127.0.0.1:8000").rstrip("/"),
        secret_key=os.environ.get("SECRET_KEY") or "dev-only-secret-change-me",
        data_dir=Path(os.environ.get("SAMVERKAN_DATA_DIR") or REPO_ROOT / ".data"),
        smtp_host=os.environ.get("SMTP_HOST") or "127.0.0.1",
        smtp_port=_int("SMTP_PORT", 1025),
        smtp_user=os.environ.get("SMTP_USER") or None,
        smtp_password=os.environ.get("SMTP_PASSWORD") or None,
        smtp_starttls=_bool("SMTP_STARTTLS", False),
        mail_from=os.environ.get("MAIL_FROM") or "samverkan <noreply@samverkan.local>",
        webhook_timeout=_float("WEBHOOK_TIMEOUT", 10.0),
        today=_date("SAMVERKAN_TODAY"),
        public_read=_bool("PUBLIC_READ", True),
        # gallring of samverkansbrister: months after closing that free text and e-mail are kept
        case_retention_months=_int("CASE_RETENTION_MONTHS", 24),
        xdg_runtime_dir=Path(os.environ["XDG_RUNTIME_DIR"]) if os.environ.get("XDG_RUNTIME_DIR") else None,
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()
