"""Configuration read from ``ACADEMY_*`` environment variables.

Every setting has a default that suits the embedded SQLite set-up, so ``make run``
works on a fresh machine with nothing configured. ``ProductionConfig`` refuses to start
with a missing or demo secret key.
"""

from __future__ import annotations

import math
import os
import secrets
import warnings
from datetime import timedelta
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urlsplit

from academy.timezones import is_time_zone

ENV_PREFIX = "ACADEMY_"

#: Secret keys that must never protect a production deployment.
INSECURE_SECRET_KEYS = frozenset({"", "dev", "change-me", "demo", "demo-secret-key"})

#: Ways to run the sandbox's scheduled clock (``ACADEMY_SANDBOX_CLOCK``).
SANDBOX_CLOCK_MODES = ("thread", "off")


class ConfigurationError(RuntimeError):
    """The configuration cannot be used; the message says which setting is wrong."""


def _env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(ENV_PREFIX + name, default)


def _flag(raw: str | None) -> bool:
    return raw is not None and raw.strip().lower() in {"1", "true", "yes", "on"}


def _env_bool(name: str, default: bool) -> bool:
    raw = _env(name)
    if raw is None or raw.strip() == "":
        return default
    return _flag(raw)


def _env_int(name: str, default: int) -> int:
    raw = _env(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigurationError(f"{ENV_PREFIX}{name} must be a whole number, got {raw!r}") from exc


class Config:
    """Settings shared by every environment; values come from the environment."""

    ENV_NAME = "default"
    TESTING = False
    DEBUG = False

    # Filled in by ``load`` because they depend on the instance folder.
    SECRET_KEY: str | None = None
    DATABASE_URL: str | None = None

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = 8 * 3600

    # Server-side sessions (academy/auth/sessions.py).
    SESSION_IDLE_MINUTES = 120
    SESSION_IDLE_MINUTES_STAFF = 30
    SESSION_ABSOLUTE_HOURS = 12
    REMEMBER_DAYS = 14
    # Sensitive actions (roles, revocations, releasing results, two-factor, resets) ask
    # for the password again when the session last proved it longer ago than this.
    REAUTH_MINUTES = 10
    # Site and organisation admins must turn on two-factor authentication (an operator
    # switch, ACADEMY_TWO_FACTOR_REQUIRED); other staff may.
    TWO_FACTOR_REQUIRED_FOR_ADMINS = False
    # How long an e-mail verification link works.
    EMAIL_VERIFICATION_MAX_AGE = 3 * 24 * 3600

    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "UTC"
    LANGUAGES: ClassVar[dict[str, str]] = {"en": "English", "zh_Hans": "简体中文"}

    # werkzeug.security method string; scrypt is salted and memory-hard.
    PASSWORD_HASH_METHOD = "scrypt"
    PASSWORD_MIN_LENGTH = 10

    LOGIN_WINDOW_MINUTES = 15
    LOGIN_MAX_FAILURES_PER_ACCOUNT = 5
    # Distinct accounts failing from one address (and not logging in since).
    LOGIN_MAX_ACCOUNTS_PER_ADDRESS = 30

    PASSWORD_RESET_MAX_AGE = 3600
    INVITATION_MAX_AGE = 7 * 24 * 3600

    MAIL_BACKEND = "console"
    MAIL_SENDER = "Silk Road Academy <no-reply@academy.test>"

    PAGE_SIZE = 50

    # Absolute links in e-mails are built from this, never from the request's Host
    # header (required in production); TRUSTED_HOSTS refuses requests for other hosts.
    BASE_URL: str | None = None
    TRUSTED_HOSTS: list[str] | None = None
    # The largest request body accepted at all (uploads have their own, smaller limits).
    MAX_CONTENT_LENGTH = 25 * 1024 * 1024
    # Form fields other than files, per field (Werkzeug's own default is 500 KB).
    MAX_FORM_MEMORY_SIZE = 2 * 1024 * 1024

    # The sandbox's scheduled clock: "thread" runs it inside the web process, "off"
    # leaves it to cron (``academy sandbox tick``) or ``academy sandbox clock``.
    SANDBOX_CLOCK = "thread"
    # Engine markets kept in memory between commands (0 turns the cache off).
    LABS_MARKET_CACHE_SIZE = 16
    # Lookups one address may make on the public verification page per 10 minutes.
    CREDENTIALS_LOOKUPS_PER_WINDOW = 30

    # Beyond one machine (docs/operators.md): the task queue, SMTP, logs, metrics.
    BROKER_URL = ""  # e.g. redis://127.0.0.1:6379/0; empty runs jobs inline
    JOBS_VISIBILITY_TIMEOUT = 300  # seconds before a dead worker's task runs again
    JOBS_CLOCK_SECONDS = 30  # the scheduler's clock and relay interval
    EXPORT_INLINE_ROWS = 300  # larger CSV exports are built on the queue, with a link
    EXPORT_KEEP_DAYS = 7  # then the scheduler deletes them
    DIGEST_HOUR_UTC = 23  # the daily notification digest: 07:00 in China
    MAIL_HOST = "localhost"
    MAIL_PORT = 25
    MAIL_USERNAME = ""
    MAIL_PASSWORD = ""
    MAIL_SECURITY = "none"  # none, starttls or tls
    MAIL_TIMEOUT = 10
    LOG_FORMAT = "text"  # text or json (production's default)
    LOG_LEVEL = "INFO"
    METRICS_TOKEN = ""  # empty: /metrics answers only the local machine
    FILES_DIR = ""  # generated and uploaded files; empty: <instance>/files

    @classmethod
    def load(cls, instance_path: str) -> dict[str, Any]:
        """Return this config as a mapping, with environment overrides applied."""
        values = {key: getattr(cls, key) for key in dir(cls) if key.isupper()}
        values["SECRET_KEY"] = _env("SECRET_KEY") or cls._instance_secret(instance_path)
        values["DATABASE_URL"] = _env("DATABASE_URL") or cls.default_database_url(instance_path)
        values["SESSION_COOKIE_SECURE"] = _env_bool("SECURE_COOKIES", False)
        values["REMEMBER_COOKIE_SECURE"] = values["SESSION_COOKIE_SECURE"]
        values["MAIL_BACKEND"] = _env("MAIL_BACKEND", cls.MAIL_BACKEND)
        values["MAIL_SENDER"] = _env("MAIL_SENDER", cls.MAIL_SENDER)
        values["PASSWORD_HASH_METHOD"] = _env("PASSWORD_HASH_METHOD", cls.PASSWORD_HASH_METHOD)
        values["LOGIN_MAX_FAILURES_PER_ACCOUNT"] = _env_int(
            "LOGIN_MAX_FAILURES_PER_ACCOUNT", cls.LOGIN_MAX_FAILURES_PER_ACCOUNT
        )
        values["LOGIN_MAX_ACCOUNTS_PER_ADDRESS"] = _env_int(
            "LOGIN_MAX_ACCOUNTS_PER_ADDRESS", cls.LOGIN_MAX_ACCOUNTS_PER_ADDRESS
        )
        values["PROXY_HOPS"] = _env_int("PROXY_HOPS", 0)
        zone = _env("TIME_ZONE", cls.BABEL_DEFAULT_TIMEZONE) or cls.BABEL_DEFAULT_TIMEZONE
        if not is_time_zone(zone):
            raise ConfigurationError(
                f"{ENV_PREFIX}TIME_ZONE must be an IANA time zone such as Asia/Shanghai, got {zone!r}"
            )
        values["BABEL_DEFAULT_TIMEZONE"] = zone
        for name in (
            "SESSION_IDLE_MINUTES",
            "SESSION_IDLE_MINUTES_STAFF",
            "SESSION_ABSOLUTE_HOURS",
            "REMEMBER_DAYS",
        ):
            values[name] = _env_int(name, getattr(cls, name))
        values["REMEMBER_COOKIE_DURATION"] = timedelta(days=values["REMEMBER_DAYS"])
        values["BASE_URL"] = _base_url(_env("BASE_URL") or _deprecated_public_url())
        hosts = [h.strip() for h in (_env("TRUSTED_HOSTS") or "").split(",") if h.strip()]
        values["TRUSTED_HOSTS"] = hosts or None
        values["MAX_CONTENT_LENGTH"] = _env_int("MAX_CONTENT_LENGTH", cls.MAX_CONTENT_LENGTH)
        values["REAUTH_MINUTES"] = _env_int("REAUTH_MINUTES", cls.REAUTH_MINUTES)
        values["TWO_FACTOR_REQUIRED_FOR_ADMINS"] = _env_bool(
            "TWO_FACTOR_REQUIRED", cls.TWO_FACTOR_REQUIRED_FOR_ADMINS
        )
        clock = (_env("SANDBOX_CLOCK") or cls.SANDBOX_CLOCK).strip().lower()
        if clock not in SANDBOX_CLOCK_MODES:
            raise ConfigurationError(
                f"{ENV_PREFIX}SANDBOX_CLOCK must be one of {', '.join(SANDBOX_CLOCK_MODES)}, "
                f"got {clock!r}"
            )
        values["SANDBOX_CLOCK"] = clock
        values["LABS_MARKET_CACHE_SIZE"] = _env_int(
            "LABS_MARKET_CACHE_SIZE", cls.LABS_MARKET_CACHE_SIZE
        )
        values.update(_scale_out_settings(cls))
        if values["BROKER_URL"] and _env("SANDBOX_CLOCK") is None:
            values["SANDBOX_CLOCK"] = "off"  # ``academy scheduler`` runs the clock
        return values

    @staticmethod
    def default_database_url(instance_path: str) -> str:
        return "sqlite:///" + str(Path(instance_path) / "academy.sqlite3")

    @staticmethod
    def _instance_secret(instance_path: str) -> str:
        """Read the generated secret key, creating it on first run (never committed)."""
        path = Path(instance_path) / "secret_key"
        if path.exists():
            return path.read_text(encoding="utf-8").strip()
        path.parent.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        # Create with owner-only permissions before writing the secret into it.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(key)
        return key


def _deprecated_public_url() -> str | None:
    """``ACADEMY_PUBLIC_URL``, the credentials' old name for the base URL (deprecated)."""
    legacy = _env("PUBLIC_URL")
    if legacy and legacy.strip():
        warnings.warn(
            f"{ENV_PREFIX}PUBLIC_URL is deprecated; set {ENV_PREFIX}BASE_URL instead "
            "(it names the site's address for e-mails and credentials alike)",
            DeprecationWarning,
            stacklevel=2,
        )
    return legacy


def _base_url(raw: str | None) -> str | None:
    if raw is None or not raw.strip():
        return None
    parts = urlsplit(raw.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query:
        raise ConfigurationError(
            f"{ENV_PREFIX}BASE_URL must be an absolute http(s) URL such as "
            f"https://academy.example.edu, got {raw!r}"
        )
    return raw.strip().rstrip("/")


def secret_key_bits(key: str) -> float:
    """A rough upper bound of a key's entropy: length × log2(distinct characters).

    A key that repeats a shorter pattern ("abab…") counts only its pattern.
    """
    period = next((p for p in range(1, len(key) // 2 + 1) if key[p:] == key[:-p]), len(key))
    distinct = len(set(key))
    return period * math.log2(distinct) if distinct > 1 else 0.0


#: The least entropy a production secret key must show (a 32-character hex key has 128).
MIN_SECRET_KEY_BITS = 128


def _scale_out_settings(cls: type[Config]) -> dict[str, Any]:
    values: dict[str, Any] = {
        name: _env(name, getattr(cls, name))
        for name in (
            "BROKER_URL",
            "MAIL_HOST",
            "MAIL_USERNAME",
            "MAIL_PASSWORD",
            "METRICS_TOKEN",
            "FILES_DIR",
        )
    }
    for name in (
        "JOBS_VISIBILITY_TIMEOUT",
        "JOBS_CLOCK_SECONDS",
        "MAIL_PORT",
        "MAIL_TIMEOUT",
        "EXPORT_INLINE_ROWS",
        "EXPORT_KEEP_DAYS",
        "DIGEST_HOUR_UTC",
    ):
        values[name] = _env_int(name, getattr(cls, name))
    for name, choices in (
        ("MAIL_SECURITY", ("none", "starttls", "tls")),
        ("LOG_FORMAT", ("text", "json")),
        ("LOG_LEVEL", ("DEBUG", "INFO", "WARNING", "ERROR")),
    ):
        value = (_env(name) or getattr(cls, name)).strip()
        value = value.upper() if name == "LOG_LEVEL" else value.lower()
        if value not in choices:
            raise ConfigurationError(
                f"{ENV_PREFIX}{name} must be one of {', '.join(choices)}, got {value!r}"
            )
        values[name] = value
    return values


class DevelopmentConfig(Config):
    ENV_NAME = "development"


class ProductionConfig(Config):
    """Production refuses a generated, missing or demo secret key."""

    ENV_NAME = "production"
    LOG_FORMAT = "json"

    @classmethod
    def load(cls, instance_path: str) -> dict[str, Any]:
        key = _env("SECRET_KEY")
        if (
            key is None
            or key.strip() in INSECURE_SECRET_KEYS
            or len(key) < 32
            or secret_key_bits(key) < MIN_SECRET_KEY_BITS
        ):
            raise ConfigurationError(
                f"{ENV_PREFIX}SECRET_KEY must be set to a random value of at least 32 characters "
                "in production (make one with: python -c 'import secrets; "
                "print(secrets.token_urlsafe(48))')"
            )
        if _flag(os.environ.get("FLASK_DEBUG")):
            raise ConfigurationError(
                "FLASK_DEBUG is on: the debugger runs code for anyone; unset it in production"
            )
        values = super().load(instance_path)
        if not values["BASE_URL"]:
            raise ConfigurationError(
                f"{ENV_PREFIX}BASE_URL must be set in production (the address users open, "
                "e.g. https://academy.example.edu): e-mailed links are built from it"
            )
        values["TRUSTED_HOSTS"] = values["TRUSTED_HOSTS"] or [urlsplit(values["BASE_URL"]).hostname]
        values["SESSION_COOKIE_SECURE"] = _env_bool("SECURE_COOKIES", True)
        values["REMEMBER_COOKIE_SECURE"] = values["SESSION_COOKIE_SECURE"]
        values["HSTS_SECONDS"] = _env_int("HSTS_SECONDS", 365 * 24 * 3600)
        return values


class TestConfig(Config):
    """Fast hashing, memory mail; the database URL is supplied by the test fixtures."""

    ENV_NAME = "test"
    TESTING = True
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"
    MAIL_BACKEND = "memory"
    # Tests drive the clock with explicit times; no thread ticks behind their back.
    SANDBOX_CLOCK = "off"

    @classmethod
    def load(cls, instance_path: str) -> dict[str, Any]:
        values = super().load(instance_path)
        values["SECRET_KEY"] = "test-secret-key-not-for-production"
        values["BASE_URL"] = "http://localhost"
        values["PASSWORD_HASH_METHOD"] = cls.PASSWORD_HASH_METHOD
        values["MAIL_BACKEND"] = cls.MAIL_BACKEND
        values["SANDBOX_CLOCK"] = cls.SANDBOX_CLOCK
        values["BROKER_URL"] = ""  # jobs inline unless a test asks for the queue
        values["LOGIN_MAX_FAILURES_PER_ACCOUNT"] = cls.LOGIN_MAX_FAILURES_PER_ACCOUNT
        values["LOGIN_MAX_ACCOUNTS_PER_ADDRESS"] = cls.LOGIN_MAX_ACCOUNTS_PER_ADDRESS
        return values


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "production": ProductionConfig,
    "test": TestConfig,
}


def config_from_environment() -> type[Config]:
    """Pick the config class named by ``ACADEMY_ENV`` (default: development)."""
    name = (_env("ENV") or "development").strip().lower()
    try:
        return CONFIGS[name]
    except KeyError:
        raise ConfigurationError(
            f"{ENV_PREFIX}ENV must be one of {', '.join(sorted(CONFIGS))}, got {name!r}"
        ) from None
