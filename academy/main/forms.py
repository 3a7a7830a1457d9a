from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField


class LanguageForm(FlaskForm):
    # A free string, not a select: an unknown value must fall back to English, not fail.
    locale = StringField(_l("Language"))
    next = HiddenField()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The header renders this token twice (language switch, log out): no ids.
        if "csrf_token" in self:  # absent where CSRF is switched off (tests)
            self.csrf_token.id = False
