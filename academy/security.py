"""Production headers: HSTS, and no caching of pages that carry grades or account data.

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
    "orgs.",
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
    return bool(endpoint) and any(
        endpoint.startswith(name) if name.endswith(".") else endpoint == name
        for name in NO_STORE_ENDPOINTS
    )


def init_app(app: Flask) -> None:
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
