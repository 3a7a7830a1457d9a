from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField


class LanguageForm(FlaskForm):
    # A free string, not a select: an unknown value must fall back to English, not fail.
    locale = StringField(_l("Language"))
    next = HiddenField()
