"""Forms for logging in, registering, passwords, invitations and the profile."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from academy.validators import EmailAddress, strip_whitespace


def _email_field() -> EmailField:
    return EmailField(
        _l("E-mail address"),
        validators=[
            DataRequired(_l("Enter your e-mail address.")),
            EmailAddress(),
            Length(max=254),
        ],
        filters=[strip_whitespace],
        render_kw={"autocomplete": "email"},
    )


def _new_password_fields(label: str = "") -> tuple[PasswordField, PasswordField]:
    password = PasswordField(
        label or _l("Password"),
        validators=[DataRequired(_l("Choose a password."))],
        description=_l("At least 10 characters; avoid common passwords."),
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(_l("Repeat the password."))],
        render_kw={"autocomplete": "new-password"},
    )
    return password, confirm


def _display_name_field() -> StringField:
    return StringField(
        _l("Display name"),
        validators=[DataRequired(_l("Enter a display name.")), Length(max=120)],
        render_kw={"autocomplete": "name"},
    )


class _RepeatedPassword(FlaskForm):
    """Checks that ``confirm`` repeats the field named by ``repeated_field``."""

    repeated_field = "password"

    def validate_confirm(self, field: PasswordField) -> None:
        EqualTo(self.repeated_field, _l("The two passwords do not match."))(self, field)


class LoginForm(FlaskForm):
    email = _email_field()
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(_l("Enter your password."))],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField(_l("Keep me logged in on this device"))
    next = HiddenField()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The page is for typing an e-mail address: the cursor starts there.
        self.email.render_kw = {**(self.email.render_kw or {}), "autofocus": True}


class RegistrationForm(_RepeatedPassword, FlaskForm):
    display_name = _display_name_field()
    email = _email_field()
    password, confirm = _new_password_fields()
    join_code = StringField(
        _l("Class join code (optional)"),
        validators=[Optional(), Length(max=32)],
        description=_l("If your teacher gave you a code, enter it to join the class."),
    )


class ForgotPasswordForm(FlaskForm):
    email = _email_field()


class ResetPasswordForm(_RepeatedPassword, FlaskForm):
    password, confirm = _new_password_fields(_l("New password"))


class AcceptInvitationForm(_RepeatedPassword, FlaskForm):
    display_name = _display_name_field()
    password, confirm = _new_password_fields()


class ProfileForm(FlaskForm):
    display_name = _display_name_field()
    preferred_locale = SelectField(_l("Preferred language"), choices=[])
    time_zone = SelectField(
        _l("Time zone"),
        choices=[],
        description=_l("Deadlines and other times are shown in this zone."),
    )


class ChangePasswordForm(_RepeatedPassword, FlaskForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired(_l("Enter your current password."))],
        render_kw={"autocomplete": "current-password"},
    )
    new_password, confirm = _new_password_fields(_l("New password"))

    repeated_field = "new_password"


def _code_field(required: bool = True) -> StringField:
    return StringField(
        _l("Authentication code"),
        validators=[
            DataRequired(_l("Enter the code from your authenticator app."))
            if required
            else Optional(),
            Length(max=20),
        ],
        description=_l("The 6 digits your authenticator app shows, or a recovery code."),
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )


class SecondFactorForm(FlaskForm):
    code = _code_field()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.code.render_kw = {**(self.code.render_kw or {}), "autofocus": True}


class ConfirmIdentityForm(FlaskForm):
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(_l("Enter your password."))],
        render_kw={"autocomplete": "current-password", "autofocus": True},
    )
    code = _code_field(required=False)
    next = HiddenField()


class EnableTwoFactorForm(FlaskForm):
    code = StringField(
        _l("Code from the app"),
        validators=[
            DataRequired(_l("Enter the code from your authenticator app.")),
            Length(max=20),
        ],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )
