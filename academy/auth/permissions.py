"""The permission layer: access rules on every view, and ``can(user, action, obj)``.

Every view function carries an access rule, set by one of the decorators below
(``public``, ``login_required``, ``require_role``, ``site_admin_required``). The app
factory refuses to start if a registered endpoint has none, and the role × route test
checks each rule against an explicit table, so a new route cannot slip through.

Object-level questions ("may this teacher edit this course?") go through ``can``,
which dispatches to small rule functions registered per action.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeGuard, TypeVar

from flask import Flask, abort, request
from flask_login import current_user

from academy.auth.models import Role, User

ACCESS_ATTRIBUTE = "academy_access"

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class AccessRule:
    """Who may reach a view: ``public``, any logged-in user, some roles, or site admins."""

    kind: str
    roles: frozenset[Role] = frozenset()

    def allows(self, user: Any) -> bool:
        if self.kind == "public":
            return True
        if not getattr(user, "is_authenticated", False):
            return False
        if user.is_site_admin or self.kind == "login":
            return True
        if self.kind == "roles":
            return bool(self.roles & user.roles())
        return False  # "site_admin" and anything unknown


def _guard(rule: AccessRule) -> Callable[[F], F]:
    def decorate(view: F) -> F:
        if rule.kind == "public":
            setattr(view, ACCESS_ATTRIBUTE, rule)
            return view

        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                from academy.auth.login import login_manager

                return login_manager.unauthorized()
            if not rule.allows(current_user):
                abort(403)
            return view(*args, **kwargs)

        setattr(guarded, ACCESS_ATTRIBUTE, rule)
        return guarded  # type: ignore[return-value]

    return decorate


def public(view: F) -> F:
    """Anyone, logged in or not, may use this view."""
    return _guard(AccessRule("public"))(view)


def login_required(view: F) -> F:
    """Any logged-in user may use this view."""
    return _guard(AccessRule("login"))(view)


def require_role(*roles: Role) -> Callable[[F], F]:
    """Users holding any of ``roles`` in any organisation (and site admins) may use it."""
    if not roles:
        raise ValueError("require_role needs at least one role")
    return _guard(AccessRule("roles", frozenset(roles)))


def site_admin_required(view: F) -> F:
    """Only site admins may use this view."""
    return _guard(AccessRule("site_admin"))(view)


def access_rule_for(app: Flask, endpoint: str) -> AccessRule | None:
    view = app.view_functions.get(endpoint)
    return getattr(view, ACCESS_ATTRIBUTE, None)


def check_every_route_has_a_rule(app: Flask) -> None:
    """Refuse to start an app with a route that has no access rule."""
    missing = sorted(
        endpoint
        for endpoint in app.view_functions
        if endpoint != "static" and access_rule_for(app, endpoint) is None
    )
    if missing:
        raise RuntimeError(f"routes without an access rule: {', '.join(missing)}")


# --- object-level permissions -------------------------------------------------------

_RULES: dict[str, Callable[[User, Any], bool]] = {}


def rule(action: str) -> Callable[[Callable[[User, Any], bool]], Callable[[User, Any], bool]]:
    """Register the function that answers ``can(user, action, obj)``."""

    def register(func: Callable[[User, Any], bool]) -> Callable[[User, Any], bool]:
        if action in _RULES:
            raise ValueError(f"a rule for {action!r} is already registered")
        _RULES[action] = func
        return func

    return register


def can(user: Any, action: str, obj: Any = None) -> bool:
    """Whether ``user`` may perform ``action`` on ``obj``; unknown actions are refused."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_site_admin:
        return True
    check = _RULES.get(action)
    if check is None:
        raise KeyError(f"no permission rule for action {action!r}")
    return check(user, obj)


def require(allowed: bool) -> None:
    """Abort with 403 unless ``allowed``; views use it as ``require(can(...))``."""
    if not allowed:
        abort(403)


def registered_actions() -> list[str]:
    return sorted(_RULES)


def is_safe_redirect(target: str | None) -> TypeGuard[str]:
    """Only same-site relative paths are safe ``next`` targets."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return False
    return "\\" not in target and not any(ord(ch) < 32 for ch in target)


def safe_next(default: str) -> str:
    """The ``next`` parameter of this request if it is safe, else ``default``."""
    target = request.values.get("next")
    return target if is_safe_redirect(target) else default
