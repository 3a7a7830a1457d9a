from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from academy.auth.models import STAFF_ROLES, OrganisationKind, Role
from academy.auth.operations import kind_label, role_label
from academy.forms import OnceForm
from academy.validators import EmailAddress, strip_whitespace


class InvitationForm(OnceForm):
    email = EmailField(
        _l("E-mail address"),
        validators=[
            DataRequired(_l("Enter the e-mail address to invite.")),
            EmailAddress(),
            Length(max=254),
        ],
        filters=[strip_whitespace],
    )
    role = SelectField(_l("Role"), validators=[DataRequired()])

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.role.choices = [(role.value, role_label(role)) for role in STAFF_ROLES]


class OrganisationForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(_l("Enter a name.")), Length(max=200)])
    slug = StringField(
        _l("Short name"),
        validators=[DataRequired(_l("Enter a short name.")), Length(max=64)],
        description=_l(
            "Used in addresses: lowercase letters, digits and hyphens, e.g. henan-college."
        ),
    )
    kind = SelectField(_l("Kind"), validators=[DataRequired()])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=2000)])

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = [(kind.value, kind_label(kind)) for kind in OrganisationKind]


class MembershipForm(FlaskForm):
    organisation = SelectField(_l("Organisation"), coerce=int, validators=[DataRequired()])
    role = SelectField(_l("Role"), validators=[DataRequired()])

    def __init__(self, *args, organisations=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.organisation.choices = [(org.id, org.name) for org in organisations]
        self.role.choices = [(role.value, role_label(role)) for role in Role]
