from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional


class UserFlagsForm(FlaskForm):
    is_site_admin = BooleanField(_l("Site administrator"))
    is_enabled = BooleanField(_l("Account enabled"))


class EditOrganisationForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(_l("Enter a name.")), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=2000)])
    description_zh = TextAreaField(
        _l("Chinese description"), validators=[Optional(), Length(max=2000)]
    )
    time_zone = SelectField(
        _l("Time zone"),
        choices=[],
        description=_l("Members see times in this zone unless they choose their own."),
    )
    is_active = BooleanField(_l("Active"))
