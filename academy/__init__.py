"""Silk Road Academy: the Flask application factory."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from flask import Flask, Response, g
from flask_login import current_user
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from academy.config import Config, config_from_environment

csrf = CSRFProtect()

__version__ = "0.1.0"

PACKAGE_DIR = Path(__file__).resolve().parent


def domain_packages() -> list[str]:
    """The domain subpackages of ``academy`` (folders with an ``__init__.py``), sorted."""
    return sorted(
        path.parent.name
        for path in PACKAGE_DIR.glob("*/__init__.py")
        if not path.parent.name.startswith("_")
    )


def create_app(config: type[Config] | dict[str, Any] | None = None) -> Flask:
    """Build the application.

    Args:
        config: a ``Config`` class, or a mapping of overrides applied on top of the
            class named by ``ACADEMY_ENV`` (tests pass ``TestConfig`` plus a database URL).
    """
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder="../templates",
        static_folder="../static",
    )
    overrides: dict[str, Any] = {}
    if isinstance(config, dict):
        overrides = config
        config_class = overrides.pop("CONFIG_CLASS", None) or config_from_environment()
    else:
        config_class = config or config_from_environment()
    app.config.update(config_class.load(app.instance_path))
    app.config.update(overrides)

    if app.config.get("PROXY_HOPS"):
        hops = app.config["PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]

    _init_extensions(app)
    _register_blueprints(app)
    _init_request_cycle(app)

    from academy.auth.permissions import check_every_route_has_a_rule

    check_every_route_has_a_rule(app)
    return app


def _init_extensions(app: Flask) -> None:
    from academy import errors, http_cache, i18n, jobs, mail, security
    from academy.auth.login import login_manager
    from academy.db import db
    from academy.observability import logs, metrics

    logs.init_app(app)
    db.init_app(app)
    jobs.init_app(app)
    metrics.init_app(app)
    csrf.init_app(app)
    login_manager.init_app(app)
    i18n.init_app(app)
    mail.init_app(app)
    errors.init_app(app)
    # after_request handlers run last-registered first: security marks private pages
    # no-store before http_cache decides on ETags and default caching.
    http_cache.init_app(app)
    security.init_app(app)

    from academy.labs import cache, clock

    cache.init_app(app)
    clock.init_app(app)

    from academy.cli import register_commands

    register_commands(app)


def _register_blueprints(app: Flask) -> None:
    # Every domain package with views (a module or a subpackage) exposes its blueprint as ``bp``.
    # All are imported before any is registered: a domain may add pages to another's blueprint
    # (learning serves the learner's lesson pages under ``catalog.``).
    modules = [
        importlib.import_module(f"academy.{domain}.views")
        for domain in domain_packages()
        if (PACKAGE_DIR / domain / "views.py").exists()
        or (PACKAGE_DIR / domain / "views" / "__init__.py").exists()
    ]
    for module in modules:
        app.register_blueprint(module.bp)


def _init_request_cycle(app: Flask) -> None:
    from academy.db import db
    from academy.i18n import html_lang
    from academy.navigation import nav_items_for

    @app.after_request
    def commit_unit_of_work(response: Response) -> Response:
        # One unit of work per request: keep it if the request succeeded.
        if response.status_code < 400 and not g.get("rollback_only"):
            db.commit()
        else:
            db.rollback()
        return response

    @app.after_request
    def security_headers(response: Response) -> Response:
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "frame-ancestors 'none'; form-action 'self'; base-uri 'self'",
        )
        return response

    @app.context_processor
    def layout_context() -> dict[str, Any]:
        from flask_babel import get_locale

        locale = str(get_locale() or "en")
        return {
            "nav_items": nav_items_for(current_user),
            "current_locale": locale,
            "html_lang": html_lang(locale),
            "languages": app.config["LANGUAGES"],
        }
