"""Language and time zone of a page.

Language: the session's choice, then the user's, then the browser's. Time zone: the
user's choice, then their organisation's, then the platform's ``ACADEMY_TIME_ZONE``.
"""

from __future__ import annotations

from flask import Flask, current_app, has_request_context, request, session
from flask_babel import Babel
from flask_login import current_user

from academy.timezones import is_time_zone

babel = Babel()

SESSION_KEY = "locale"


def supported_locales() -> dict[str, str]:
    return current_app.config["LANGUAGES"]


def normalise_locale(value: str | None) -> str | None:
    """Map what browsers and forms send ("zh-CN", "zh_hans", "zh") to a supported locale."""
    if not value:
        return None
    cleaned = value.strip().replace("-", "_").lower()
    for locale in supported_locales():
        if cleaned == locale.lower():
            return locale
    if cleaned == "zh" or cleaned.startswith(("zh_cn", "zh_sg", "zh_hans")):
        return "zh_Hans"
    if cleaned == "en" or cleaned.startswith("en_"):
        return "en"
    return None


def select_locale() -> str:
    if not has_request_context():  # CLI commands and jobs speak English
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = normalise_locale(session.get(SESSION_KEY))
    if chosen:
        return chosen
    if current_user and current_user.is_authenticated:
        chosen = normalise_locale(current_user.preferred_locale)
        if chosen:
            return chosen
    for language, _quality in request.accept_languages:
        chosen = normalise_locale(language)
        if chosen:
            return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    """The zone a page shows times in (Flask-Babel formats every date filter with it)."""
    default = current_app.config["BABEL_DEFAULT_TIMEZONE"]
    if not has_request_context() or not (current_user and current_user.is_authenticated):
        return default
    if is_time_zone(current_user.time_zone):
        return current_user.time_zone
    for membership in current_user.memberships:
        if is_time_zone(membership.organisation.time_zone):
            return membership.organisation.time_zone
    return default


def time_zone_name() -> str:
    """The zone of this page, to say which zone its times are in ("Asia/Shanghai")."""
    from flask_babel import get_timezone

    return str(get_timezone())


def html_lang(locale: str) -> str:
    """The value for ``<html lang>``: BCP 47 uses a hyphen."""
    return locale.replace("_", "-")


def current_language() -> str:
    """The language of the page: "zh" for Chinese, otherwise "en"."""
    from flask_babel import get_locale

    locale = get_locale()
    return "zh" if locale is not None and locale.language == "zh" else "en"


def is_chinese() -> bool:
    """True when the reader reads Chinese; False outside a request (CLI, jobs, tests)."""
    try:
        return current_language() == "zh"
    except (RuntimeError, AttributeError):
        return False


def pick(english: str | None, chinese: str | None) -> str:
    """The text in the reader's language, falling back to the other one."""
    if is_chinese() and chinese:
        return chinese
    return english or chinese or ""


def localized(obj: object, name: str) -> str:
    """The Chinese or English version of ``obj.<name>``, falling back to the other one.

    Authored content carries ``name`` (English) and ``name_zh`` (Chinese); a learner
    sees their language where the author wrote it, and the other language where not.
    """
    return pick(getattr(obj, name, "") or "", getattr(obj, f"{name}_zh", "") or "")


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    app.jinja_env.globals["localized"] = localized
    app.jinja_env.globals["pick"] = pick
    app.jinja_env.globals["current_language"] = current_language
    app.jinja_env.globals["time_zone_name"] = time_zone_name
