"""HTTP caching and compression: what browsers and proxies may keep, and for how long.

- Static files get a fingerprint: ``url_for("static", ...)`` adds ``?v=<content hash>``,
  and a request that carries the current fingerprint is answered with a year-long
  ``immutable`` lifetime. A changed file gets a new address, so no one sees a stale one.
- Pages are personal (a name in the header, a CSRF token in every form, the learner's
  progress), so a shared cache must never keep them: every response without its own
  policy says ``private, no-cache``; the browser keeps a copy and revalidates it.
- GET answers get an ETag (a hash of the body), so a revalidation whose answer did not
  change costs a ``304 Not Modified`` instead of the answer again. A page with a form
  carries a CSRF token signed with the time, so its body differs every second: no ETag
  for those (it would never match); JSON answers (the market clock that pages poll),
  files and pages without forms get one.
- HTML, JSON, CSS and JavaScript are compressed by Flask-Compress (gzip or Brotli, as the
  browser accepts), in the app so it works the same behind any server.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from flask import Flask, Response, current_app, g, request
from flask_compress import Compress

#: How long a fingerprinted static file may be kept: a year, the longest HTTP allows.
STATIC_MAX_AGE = 365 * 24 * 3600
#: Bodies larger than this are not hashed for an ETag (downloads set their own headers).
ETAG_MAX_BYTES = 2 * 1024 * 1024

compress = Compress()


class StaticFingerprints:
    """Content hashes of the files under the static folder, read once per file."""

    def __init__(self, folder: str) -> None:
        self.folder = Path(folder)
        self._hashes: dict[str, str] = {}

    def of(self, filename: str) -> str | None:
        if filename not in self._hashes:
            path = (self.folder / filename).resolve()
            if not path.is_relative_to(self.folder.resolve()) or not path.is_file():
                return None
            self._hashes[filename] = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
        return self._hashes[filename]


def init_app(app: Flask) -> None:
    app.config.setdefault("COMPRESS_MIMETYPES", _compressed_types())
    app.config.setdefault("COMPRESS_LEVEL", 6)
    app.config.setdefault("COMPRESS_BR_LEVEL", 4)
    app.config.setdefault("COMPRESS_MIN_SIZE", 500)
    # Streamed answers (static files, downloads) stay as they are: Flask-Compress would
    # replace a file's iterator without closing the file. The reverse proxy compresses
    # static files (docs/operators.md); pages and JSON, the dynamic part, are compressed here.
    app.config.setdefault("COMPRESS_STREAMS", False)
    compress.init_app(app)
    fingerprints = StaticFingerprints(app.static_folder or "static")

    @app.url_defaults
    def fingerprint_static(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint == "static" and "v" not in values and "filename" in values:
            version = fingerprints.of(values["filename"])
            if version:
                values["v"] = version

    @app.after_request
    def caching_headers(response: Response) -> Response:
        if request.endpoint == "static":
            version = request.args.get("v")
            if version and version == fingerprints.of((request.view_args or {})["filename"]):
                response.cache_control.public = True
                response.cache_control.max_age = STATIC_MAX_AGE
                response.cache_control.immutable = True
            return response
        if "Cache-Control" not in response.headers:
            response.cache_control.private = True
            response.cache_control.no_cache = True
        _add_etag(response)
        return response


def _compressed_types() -> list[str]:
    return [
        "text/html",
        "text/css",
        "text/plain",
        "text/csv",
        "application/json",
        "application/problem+json",
        "application/javascript",
        "text/javascript",
        "image/svg+xml",
    ]


def _add_etag(response: Response) -> None:
    """An ETag for a whole GET answer, and 304 when the browser has the same body."""
    if (
        request.method not in ("GET", "HEAD")
        or response.status_code != 200
        or response.direct_passthrough
        or response.is_streamed
        or "ETag" in response.headers
        or "no-store" in response.headers.get("Cache-Control", "")
        or g.get(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"))
    ):
        return
    if (response.content_length or 0) > ETAG_MAX_BYTES:
        return
    response.add_etag()
    response.make_conditional(request)
