"""Pages of the second factor, re-authentication and e-mail verification (``auth.``)."""

from __future__ import annotations

import time

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from academy.audit.models import AuditAction
from academy.audit.operations import record_event
from academy.auth import sessions, throttle, two_factor, verification
from academy.auth.forms import ConfirmIdentityForm, EnableTwoFactorForm, SecondFactorForm
from academy.auth.models import User
from academy.auth.passwords import verify_password
from academy.auth.permissions import is_safe_redirect, login_required, public
from academy.auth.reauth import recent_authentication_required
from academy.auth.views import _start_session, bp
from academy.db import db
from academy.errors import OperationError
from academy.forms import ConfirmForm, required, show_operation_error

#: Flask-session key of a login waiting for its second factor.
PENDING_KEY = "two_factor_pending"
#: Seconds between the password and the code before the login must start again.
PENDING_SECONDS = 300


def begin_second_factor(user: User, remember: bool, next_url: str):
    """After a correct password: remember who is logging in and ask for the code."""
    session[PENDING_KEY] = {
        "user": user.id,
        "version": user.session_version,
        "remember": bool(remember),
        "next": next_url,
        "at": int(time.time()),
    }
    return redirect(url_for("auth.login_second_factor"))


def _pending_user() -> tuple[User | None, dict]:
    pending = session.get(PENDING_KEY) or {}
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None, {}
    user = db.session.get(User, pending.get("user", 0))
    if user is None or user.session_version != pending.get("version") or not user.is_enabled:
        return None, {}
    return user, pending


@bp.route("/login/two-factor", methods=["GET", "POST"])
@public
def login_second_factor():
    user, pending = _pending_user()
    if user is None:
        session.pop(PENDING_KEY, None)
        flash(_("Log in again to continue."), "info")
        return redirect(url_for("auth.login"))
    form = SecondFactorForm()
    status = 200
    if form.validate_on_submit():
        ip_address = request.remote_addr or ""
        minutes = throttle.retry_after_minutes(user.email, ip_address)
        if minutes:
            form.code.errors = [
                *form.code.errors,
                _("Too many wrong codes. Try again in %(minutes)d minutes.", minutes=minutes),
            ]
            status = 429
        elif two_factor.check_second_factor(user, required(form.code.data)):
            session.pop(PENDING_KEY, None)
            _start_session(user, remember=pending["remember"])
            target = pending.get("next", "")
            return redirect(target if is_safe_redirect(target) else url_for("main.dashboard"))
        else:
            throttle.record_failure(user.email, ip_address)
            record_event(
                AuditAction.LOGIN_FAILED,
                actor=user,
                subject=user,
                reason="second_factor",
                keep=True,
            )
            form.code.errors = [*form.code.errors, _("That code is not right.")]
            status = 400
    return render_template("auth/second_factor.html", form=form), status


@bp.route("/account/confirm", methods=["GET", "POST"])
@login_required
def confirm_identity():
    form = ConfirmIdentityForm(next=request.args.get("next", ""))
    user = current_user._get_current_object()
    status = 200
    if form.validate_on_submit():
        ip_address = request.remote_addr or ""
        minutes = throttle.retry_after_minutes(user.email, ip_address)
        if minutes:
            form.password.errors = [
                *form.password.errors,
                _("Too many failed attempts. Try again in %(minutes)d minutes.", minutes=minutes),
            ]
            status = 429
        elif not verify_password(user.password_hash, required(form.password.data)):
            form.password.errors = [*form.password.errors, _("Your password is not correct.")]
        elif user.has_two_factor and not two_factor.check_second_factor(user, form.code.data or ""):
            form.code.errors = [*form.code.errors, _("That code is not right.")]
        else:
            sessions.confirm_session(user)
            record_event(AuditAction.REAUTHENTICATED, subject=user)
            target = form.next.data
            return redirect(target if is_safe_redirect(target) else url_for("main.dashboard"))
        if status == 200:
            throttle.record_failure(user.email, ip_address)
            record_event(AuditAction.REAUTHENTICATION_FAILED, subject=user, keep=True)
            status = 400
    return render_template("auth/confirm_identity.html", form=form), status


def _required() -> bool:
    return two_factor.is_required_for(
        current_user, current_app.config["TWO_FACTOR_REQUIRED_FOR_ADMINS"]
    )


def _render_two_factor(form=None, codes=None, status=200):
    user = current_user._get_current_object()
    setting_up = user.totp_secret is not None and not user.has_two_factor
    uri = two_factor.provisioning_uri(user) if setting_up else ""
    return render_template(
        "auth/two_factor.html",
        form=form or EnableTwoFactorForm(),
        action_form=ConfirmForm(),
        setting_up=setting_up,
        secret=user.totp_secret if setting_up else "",
        qr_svg=two_factor.qr_code_svg(uri) if setting_up else "",
        codes=codes,
        remaining=two_factor.remaining_recovery_codes(user) if user.has_two_factor else 0,
        required=_required(),
    ), status


@bp.route("/account/two-factor")
@login_required
def show_two_factor():
    return _render_two_factor()


@bp.route("/account/two-factor/setup", methods=["POST"])
@login_required
@recent_authentication_required
def begin_two_factor():
    if ConfirmForm().validate_on_submit():
        try:
            two_factor.begin_setup(current_user)
        except OperationError as error:
            flash(str(error.message), "error")
    return redirect(url_for("auth.show_two_factor"))


@bp.route("/account/two-factor/enable", methods=["POST"])
@login_required
@recent_authentication_required
def enable_two_factor():
    form = EnableTwoFactorForm()
    if form.validate_on_submit():
        try:
            codes = two_factor.enable_two_factor(current_user, required(form.code.data))
        except OperationError as error:
            show_operation_error(form, error)
        else:
            flash(_("Two-factor authentication is on."), "success")
            return _render_two_factor(codes=codes)
    return _render_two_factor(form=form, status=400)


@bp.route("/account/two-factor/disable", methods=["POST"])
@login_required
@recent_authentication_required
def disable_two_factor():
    if ConfirmForm().validate_on_submit():
        try:
            two_factor.disable_two_factor(current_user, required=_required())
        except OperationError as error:
            flash(str(error.message), "error")
        else:
            flash(_("Two-factor authentication is off."), "success")
    return redirect(url_for("auth.show_two_factor"))


@bp.route("/account/two-factor/recovery-codes", methods=["POST"])
@login_required
@recent_authentication_required
def renew_recovery_codes():
    if ConfirmForm().validate_on_submit():
        try:
            codes = two_factor.renew_recovery_codes(current_user)
        except OperationError as error:
            flash(str(error.message), "error")
        else:
            return _render_two_factor(codes=codes)
    return redirect(url_for("auth.show_two_factor"))


@bp.route("/account/verify/<token>")
@public
def verify_email(token: str):
    try:
        verification.verify_email(token)
    except OperationError as error:
        return render_template("auth/token_problem.html", message=error.message), 400
    flash(_("Your e-mail address is confirmed. Thank you."), "success")
    return redirect(url_for("main.dashboard"))


@bp.route("/account/verify", methods=["POST"])
@login_required
def resend_verification():
    if ConfirmForm().validate_on_submit() and current_user.email_verified_dt is None:
        try:
            verification.send_verification_mail(current_user)
        except OperationError as error:
            flash(str(error.message), "error")
        else:
            flash(_("We have sent you a new confirmation link."), "info")
    return redirect(url_for("auth.profile"))
