"""``/metrics``: the Prometheus exposition, for the scraper only."""

from __future__ import annotations

import hmac
import ipaddress

from flask import Blueprint, Response, abort, current_app, request

from academy.auth.permissions import public
from academy.observability import metrics

bp = Blueprint("observability", __name__)


def _scraper_allowed() -> bool:
    token = current_app.config.get("METRICS_TOKEN") or ""
    if token:
        offered = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        return hmac.compare_digest(offered.encode(), token.encode())
    try:
        return ipaddress.ip_address(request.remote_addr or "").is_loopback
    except ValueError:
        return False


@bp.route("/metrics")
@public  # guarded by METRICS_TOKEN or the loopback address, not by a login
def show_metrics():
    if not _scraper_allowed():
        abort(403)
    # Flask annotates current_app as a Flask; it is a LocalProxy (wrong stub for the method).
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    body, content_type = metrics.render(app)
    return Response(body, content_type=content_type)
