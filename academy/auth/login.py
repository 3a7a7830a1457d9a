"""Flask-Login wiring: loading the user from the session and the remember-me cookie."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager

from academy.auth.models import User
from academy.db import db

login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = _l("Please log in to open that page.")
login_manager.login_message_category = "info"
login_manager.session_protection = "basic"


@login_manager.user_loader
def load_user(user_key: str) -> User | None:
    """Load by ``id:session_version``; an old version means the password has changed."""
    user_id, _, version = user_key.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.scalar(
        sa.select(User)
        .where(User.id == int(user_id))
        .options(sa.orm.selectinload(User.memberships))
    )
    if user is None or user.session_version != int(version) or not user.is_enabled:
        return None
    return user
