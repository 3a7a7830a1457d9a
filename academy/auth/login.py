"""Flask-Login wiring: loading the user from the session and the remember-me cookie."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_login import LoginManager

from academy.auth.models import User

login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = _l("Please log in to open that page.")
login_manager.login_message_category = "info"
login_manager.session_protection = "basic"


@login_manager.user_loader
def load_user(user_key: str) -> User | None:
    """Load by ``id:session_version:token``, only while that session is open (sessions.py)."""
    from academy.auth.sessions import load_session_user

    return load_session_user(user_key)
