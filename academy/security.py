"""Request guards and production headers: NUL bytes, HSTS, no caching of private pages.

The baseline headers every response gets (CSP, nosniff, frame denial, referrer policy)
are set in the app factory; this module adds those that depend on the deployment or on
what a page holds.
"""

from __future__ import annotations

from flask import Flask, Response, request

#: Endpoints (or blueprint prefixes ending in ".") whose pages no cache may keep.
NO_STORE_ENDPOINTS = (
    "auth.",
    "admin.",
    "audit.",
    "orgs.",
    "exports.",
    "assessment.show_gradebook",
    "assessment.export_gradebook",
    "assessment.import_gradebook",
    "assessment.my_grades",
    "assessment.review_attempt",
    "assessment.mark_item",
    "assessment.marking_queue",
    "assessment.manage_quiz",
)


def is_no_store(endpoint: str | None) -> bool:
    if not endpoint:
        return False
    return any(
        endpoint.startswith(name) if name.endswith(".") else endpoint == name
        for name in NO_STORE_ENDPOINTS
    )


def has_nul(text: str) -> bool:
    return "\x00" in text


def _request_has_nul() -> bool:
    """NUL in the path, the query, form fields or a JSON body (PostgreSQL refuses it)."""
    if has_nul(request.path):
        return True
    for values in (request.args, request.form):
        for key, value in values.items(multi=True):
            if has_nul(key) or has_nul(value):
                return True
    if request.is_json:
        body = request.get_data(cache=True)
        return b"\x00" in body or b"\\u0000" in body
    return False


def _is_text_value(value: object) -> bool:
    if isinstance(value, list):
        return all(isinstance(item, str) for item in value)
    return isinstance(value, str)


def _bad_json_body() -> bool:
    """A JSON body that is not one JSON object of texts: no form or endpoint of ours takes one.

    Flask-WTF reads a JSON body as the form's data: it fails on ``false`` or ``[1]``, and a
    number, ``null`` or an object where a form expects text reaches the validators as
    such (a ``Length`` check then fails on a float). Every field of ours is text, so a
    value must be a string or a list of strings.
    """
    if request.method != "POST" or not request.is_json:
        return False
    body = request.get_json(silent=True, cache=True)
    if not isinstance(body, dict):
        return True
    return not all(_is_text_value(value) for value in body.values())


def init_app(app: Flask) -> None:
    @app.before_request
    def refuse_nul_bytes() -> Response | None:
        # A read-only check: no text field of the platform can hold a NUL character.
        if _request_has_nul():
            from flask_babel import lazy_gettext as _l

            from academy.errors import error_response

            return error_response(
                400, _l("The request contains a NUL character, which no field accepts.")
            )
        if _bad_json_body():
            from academy.errors import error_response

            return error_response(400, code="invalid_json")
        return None

    @app.after_request
    def deployment_headers(response: Response) -> Response:
        seconds = app.config.get("HSTS_SECONDS")
        if seconds:
            response.headers.setdefault(
                "Strict-Transport-Security", f"max-age={int(seconds)}; includeSubDomains"
            )
        if is_no_store(request.endpoint):
            response.headers["Cache-Control"] = "private, no-store"
        return response
