from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField


class UserFlagsForm(FlaskForm):
    is_site_admin = BooleanField(_l("Site administrator"))
    is_enabled = BooleanField(_l("Account enabled"))
