"""Re-authentication before sensitive actions, and the operator's two-factor requirement.

A session that has been open a while may be someone else's at an unlocked desk, so
actions that change who may do what (roles, accounts, two-factor, revocation, releasing
results) ask for the password again — and the two-factor code, when it is on — unless
this session proved it within ``REAUTH_MINUTES``. The proof is kept on the session's
server-side row (``UserSession.confirmed_dt``), not in the cookie.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import abort, current_app, redirect, request, url_for
from flask_login import current_user

from academy.auth import sessions, two_factor
from academy.auth.permissions import is_safe_redirect

F = TypeVar("F", bound=Callable[..., Any])

#: Pages a user who must set up two-factor can still reach.
_OPEN_WHILE_SETTING_UP = frozenset(
    {
        "static",
        "auth.logout",
        "auth.show_two_factor",
        "auth.begin_two_factor",
        "auth.enable_two_factor",
        "auth.confirm_identity",
        "main.set_language",
        "main.healthz",
        "observability.show_metrics",
    }
)


def _return_to() -> str:
    """Where to come back to: this page for GET, the page the form was on for POST."""
    if request.method in ("GET", "HEAD"):
        return request.full_path.rstrip("?")
    referrer = urlsplit(request.referrer or "")
    target = referrer.path + (f"?{referrer.query}" if referrer.query else "")
    if referrer.netloc == request.host and is_safe_redirect(target):
        return target
    return url_for("main.dashboard")


def confirm_recent_authentication() -> None:
    """Stop here and ask for the password unless this session proved it lately.

    Raises an HTTP redirect to the confirmation page, which comes back to the page the
    action started from; the user repeats the action after confirming.
    """
    if current_user.is_authenticated and sessions.is_recently_confirmed(current_user):
        return
    abort(redirect(url_for("auth.confirm_identity", next=_return_to())))


def recent_authentication_required(view: F) -> F:
    """Ask for re-authentication before a view changes anything (GET pages pass)."""

    @wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if request.method not in ("GET", "HEAD"):
            confirm_recent_authentication()
        return view(*args, **kwargs)

    return guarded  # type: ignore[return-value]


def must_set_up_two_factor() -> Any:
    """``before_request``: send admins without two-factor to set it up, if it is required."""
    # The switch and the endpoint first: most requests never load the user here.
    if (
        not current_app.config["TWO_FACTOR_REQUIRED_FOR_ADMINS"]
        or request.endpoint in _OPEN_WHILE_SETTING_UP
        or not current_user.is_authenticated
        or current_user.has_two_factor
        or not two_factor.is_required_for(current_user, True)
    ):
        return None
    return redirect(url_for("auth.show_two_factor"))
