"""Logging in and out, registration, password reset, invitations, the profile."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from academy.audit.models import AuditAction
from academy.audit.operations import record_event
from academy.auth import operations, reauth, resets, sessions, verification
from academy.auth.forms import (
    AcceptInvitationForm,
    ChangePasswordForm,
    ForgotPasswordForm,
    LoginForm,
    ProfileForm,
    RegistrationForm,
    ResetPasswordForm,
)
from academy.auth.permissions import login_required, public, safe_next
from academy.db import reads_first
from academy.errors import OperationError
from academy.forms import ConfirmForm, required, show_operation_error
from academy.i18n import SESSION_KEY, normalise_locale
from academy.timezones import time_zone_names

bp = Blueprint("auth", __name__, template_folder="templates")
bp.before_app_request(reauth.must_set_up_two_factor)


def _start_session(user, remember: bool = False) -> None:
    sessions.start_session(
        user,
        remember=remember,
        ip_address=request.remote_addr or "",
        user_agent=request.user_agent.string,
    )
    login_user(user, remember=remember)
    record_event(AuditAction.LOGIN, actor=user, subject=user, remembered=remember)
    # The account's language wins over what was picked before logging in, unless the
    # account has none yet: then the current choice becomes its preference.
    if user.preferred_locale:
        session[SESSION_KEY] = user.preferred_locale
    elif normalise_locale(session.get(SESSION_KEY)):
        operations.set_preferred_locale(user, session[SESSION_KEY])


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    if current_user.is_authenticated:
        return redirect(safe_next(url_for("main.dashboard")))
    form = LoginForm(next=request.args.get("next", ""))
    status = 200
    reads_first()  # on SQLite the password hash is checked before the write lock is taken
    if form.validate_on_submit():
        result = operations.authenticate(
            required(form.email.data), required(form.password.data), request.remote_addr or ""
        )
        if result.is_throttled:
            form.form_errors.append(
                _(
                    "Too many failed attempts. Try again in %(minutes)d minutes or reset your password.",
                    minutes=result.retry_after_minutes,
                )
            )
            status = 429
        elif result.user is None:
            form.form_errors.append(_("The e-mail address or password is not correct."))
        elif result.user.has_two_factor:
            return security_views.begin_second_factor(
                result.user, form.remember.data, safe_next(url_for("main.dashboard"))
            )
        else:
            _start_session(result.user, remember=form.remember.data)
            return redirect(safe_next(url_for("main.dashboard")))
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@public
def logout():
    if ConfirmForm().validate_on_submit():
        if current_user.is_authenticated:
            sessions.end_session(current_user)
        logout_user()
        session.pop(SESSION_KEY, None)
        flash(_("You have logged out."), "success")
    return redirect(url_for("main.index"))


@bp.route("/account/sessions/end", methods=["POST"])
@login_required
def end_all_sessions():
    """Log out everywhere: every session of this account ends, this one included."""
    if ConfirmForm().validate_on_submit():
        sessions.end_all_sessions(current_user)
        record_event(AuditAction.LOGOUT_EVERYWHERE, subject=current_user)
        logout_user()
        session.pop(SESSION_KEY, None)
        flash(_("You have been logged out on every device."), "success")
    return redirect(url_for("auth.login"))


@bp.route("/register", methods=["GET", "POST"])
@public
def register():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = RegistrationForm()
    if form.validate_on_submit():
        try:
            user = operations.register_student(
                required(form.email.data),
                required(form.display_name.data),
                required(form.password.data),
                join_code=form.join_code.data or "",
                preferred_locale=session.get(SESSION_KEY),
                ip_address=request.remote_addr or "",
            )
        except OperationError as error:
            show_operation_error(form, error)
            return render_template("auth/register.html", form=form), _status_of(error)
        else:
            _start_session(user)
            verification.send_verification_mail(user)
            flash(_("Welcome, %(name)s! Your account is ready.", name=user.display_name), "success")
            flash(_("We have sent you a link to confirm your e-mail address."), "info")
            return redirect(url_for("main.dashboard"))
    return render_template("auth/register.html", form=form)


def _status_of(error: OperationError) -> int:
    return 429 if error.code == "throttled" else 200


@bp.route("/password/forgot", methods=["GET", "POST"])
@public
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        try:
            resets.request_password_reset(required(form.email.data), request.remote_addr or "")
        except OperationError as error:
            show_operation_error(form, error)
            return render_template("auth/forgot_password.html", form=form), 429
        flash(
            _("If an account uses that address, we have sent it a link to reset the password."),
            "info",
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot_password.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@public
def reset_password(token: str):
    try:
        resets.load_reset_token(token)
    except OperationError as error:
        return render_template("auth/token_problem.html", message=error.message), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            resets.reset_password(token, required(form.password.data))
        except OperationError as error:
            show_operation_error(form, error)
        else:
            logout_user()
            flash(_("Your password has been changed. Log in with the new one."), "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form)


@bp.route("/invitations/<token>", methods=["GET", "POST"])
@public
def accept_invitation(token: str):
    try:
        invitation = operations.load_invitation(token)
    except OperationError as error:
        return render_template("auth/token_problem.html", message=error.message), 400
    existing = operations.queries.get_user_by_email(invitation.email)
    if existing is not None:
        if not current_user.is_authenticated:
            flash(
                _("Log in as %(email)s to accept the invitation.", email=invitation.email), "info"
            )
            return redirect(url_for("auth.login", next=request.path))
        form = ConfirmForm()
    else:
        form = AcceptInvitationForm()
    if form.validate_on_submit():
        try:
            if existing is None:
                user = operations.accept_invitation(
                    token, display_name=form.display_name.data, password=form.password.data
                )
            else:
                user = operations.accept_invitation(token, user=current_user)
        except OperationError as error:
            show_operation_error(form, error)
        else:
            if existing is None:
                _start_session(user)
            flash(
                _("You have joined %(organisation)s.", organisation=invitation.organisation.name),
                "success",
            )
            return redirect(url_for("main.dashboard"))
    return render_template(
        "auth/accept_invitation.html",
        form=form,
        invitation=invitation,
        has_account=existing is not None,
        wrong_account=existing is not None and current_user.id != existing.id,
        role_label=operations.role_label(invitation.role),
    )


def _profile_form(**kwargs) -> ProfileForm:
    form = ProfileForm(
        data={
            "display_name": current_user.display_name,
            "preferred_locale": current_user.preferred_locale or "",
            "time_zone": current_user.time_zone or "",
        },
        **kwargs,
    )
    form.preferred_locale.choices = [
        ("", _("Same as the browser")),
        *current_app.config["LANGUAGES"].items(),
    ]
    form.time_zone.choices = [
        ("", _("Same as my organisation")),
        *((name, name) for name in time_zone_names()),
    ]
    return form


@bp.route("/account", methods=["GET", "POST"])
@login_required
def profile():
    form = _profile_form()
    if form.validate_on_submit():
        try:
            operations.update_profile(
                current_user,
                required(form.display_name.data),
                form.preferred_locale.data,
                time_zone=form.time_zone.data,
            )
        except OperationError as error:
            show_operation_error(form, error)
        else:
            if current_user.preferred_locale:
                session[SESSION_KEY] = current_user.preferred_locale
            else:
                session.pop(SESSION_KEY, None)
            flash(_("Your profile has been saved."), "success")
            return redirect(url_for("auth.profile"))
    return render_template("auth/profile.html", form=form, password_form=ChangePasswordForm())


@bp.route("/account/password", methods=["POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            operations.change_password(
                current_user,
                required(form.current_password.data),
                required(form.new_password.data),
                request.remote_addr or "",
            )
        except OperationError as error:
            show_operation_error(form, error)
        else:
            # The session version moved on; log this session in again with the new one.
            login_user(current_user._get_current_object())
            flash(
                _("Your password has been changed. Other devices have been logged out."), "success"
            )
            return redirect(url_for("auth.profile"))
    return render_template(
        "auth/profile.html", form=_profile_form(formdata=None), password_form=form
    ), 400


# The second factor, re-authentication and e-mail verification add their pages to ``bp``.
from academy.auth import security_views  # noqa: E402
