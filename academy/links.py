"""Absolute links for e-mails, built from the configured base URL, never from the request.

A link in a password-reset or invitation mail built from the request's ``Host`` header
can be pointed at an attacker's site by whoever asks for the mail. ``ACADEMY_BASE_URL``
(required in production) fixes the scheme, host and path prefix of every such link.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app, url_for


def external_url(endpoint: str, **values: Any) -> str:
    """The absolute URL of ``endpoint`` under the configured ``BASE_URL``.

    Works inside a request or a background job alike. Without a base URL
    (development only) the request's own host is used.
    """
    base = current_app.config.get("BASE_URL")
    if not base:
        return url_for(endpoint, _external=True, **values)
    # Bound to the base URL itself, so it works the same inside a request or a job.
    parts = urlsplit(base)
    adapter = current_app.url_map.bind(
        parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme
    )
    return adapter.build(endpoint, values, force_external=True)
