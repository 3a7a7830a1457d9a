"""Errors as part of the interface: domain errors, error pages and problem documents.

Browsers get a page in their language; JSON clients get an RFC 9457 problem document
with a stable ``code``. A database that cannot be reached is a 503, never a traceback.
"""

from __future__ import annotations

import logging
from typing import Any

import sqlalchemy.exc
from flask import Flask, Response, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, SecurityError

from academy.db import db

logger = logging.getLogger("academy.errors")


class OperationError(Exception):
    """A write refused by a business rule; nothing has been changed.

    ``field`` names the form field the message belongs to, when there is one.
    """

    def __init__(self, message: Any, field: str | None = None, code: str = "invalid") -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field
        self.code = code


ERROR_TEXTS = {
    400: (_l("Bad request"), _l("The request could not be understood. Please try again.")),
    403: (_l("Access denied"), _l("You do not have permission to open this page.")),
    404: (_l("Page not found"), _l("There is no page at this address.")),
    405: (_l("Method not allowed"), _l("This page cannot be used that way.")),
    413: (
        _l("Too large"),
        _l("What you sent is larger than this site accepts. Send a smaller file."),
    ),
    429: (_l("Too many requests"), _l("Please wait a little and try again.")),
    500: (_l("Something went wrong"), _l("An unexpected error occurred. It has been logged.")),
    503: (
        _l("Service unavailable"),
        _l("The service is temporarily unavailable. Please try again in a few minutes."),
    ),
}


def wants_json() -> bool:
    if request.path.startswith("/api/") or request.path == "/healthz":
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return (
        best == "application/json"
        and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
    )


def error_response(status: int, detail: Any = None, code: str | None = None) -> Response:
    title, default_detail = ERROR_TEXTS.get(status, ERROR_TEXTS[500])
    detail = detail or default_detail
    if wants_json():
        response = jsonify(
            type="about:blank",
            title=str(title),
            status=status,
            detail=str(detail),
            code=code or f"http_{status}",
        )
        response.status_code = status
        response.mimetype = "application/problem+json"
        return response
    html = render_template("errors/error.html", status=status, title=title, detail=detail)
    return Response(html, status=status)


def _forget_user() -> None:
    # The user cannot be loaded while the database is away; render as anonymous.
    from academy.auth.login import login_manager

    login_manager._update_request_context_with_user(None)


def _discard_work() -> None:
    """Roll back what the request did, leaving the session usable for the error page."""
    try:
        db.session.rollback()
    except sqlalchemy.exc.SQLAlchemyError:
        logger.warning("rollback failed while handling an error", exc_info=True)


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> Response:
        _discard_work()
        return error_response(
            400,
            _l(
                "The form has expired or was not sent from this site. Please reload the page and try again."
            ),
            code="csrf",
        )

    @app.errorhandler(SecurityError)
    def untrusted_host(_error: SecurityError) -> Response:
        # No page: links on it would be built for the very host that is not trusted.
        return Response("Bad Request: unknown host\n", status=400, mimetype="text/plain")

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        status = error.code or 500
        if status not in ERROR_TEXTS:
            return error  # type: ignore[return-value]  # redirects and the like
        return error_response(status)

    @app.errorhandler(sqlalchemy.exc.OperationalError)
    @app.errorhandler(sqlalchemy.exc.InterfaceError)
    def database_unavailable(error: sqlalchemy.exc.DBAPIError) -> Response:
        logger.error("database unavailable: %s", error.orig)
        _discard_work()
        _forget_user()
        return error_response(503, code="database_unavailable")

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception) -> Response:
        logger.exception("unhandled error on %s %s", request.method, request.path)
        _discard_work()
        return error_response(500)
