"""The notifications page, the bell's unread count, and the e-mail choice."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import RadioField

from academy.auth.permissions import login_required
from academy.db import db
from academy.forms import ConfirmForm
from academy.notifications import operations
from academy.notifications.models import EmailMode, Notification

bp = Blueprint("notifications", __name__, template_folder="templates", url_prefix="/notifications")

PAGE_SIZE = 50


class EmailModeForm(FlaskForm):
    email_mode = RadioField(_l("E-mail me"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Choices are set here: WTForms warns about choices given to the field's constructor.
        self.email_mode.choices = [
            (EmailMode.IMMEDIATE.value, str(_l("each notification at once"))),
            (EmailMode.DIGEST.value, str(_l("a daily digest"))),
            (EmailMode.NONE.value, str(_l("never (only the bell)"))),
        ]


def unread_count(user) -> int:
    return db.session.execute(
        sa.select(sa.func.count(Notification.id)).where(
            Notification.user_id == user.id, Notification.is_read.is_(False)
        )
    ).scalar_one()


@bp.app_context_processor
def bell():
    """The header's bell: how many notifications the person has not read."""
    if not current_user.is_authenticated:
        return {"unread_notifications": None}
    return {"unread_notifications": unread_count(current_user)}


@bp.route("/")
@login_required
def list_notifications():
    notifications = db.session.scalars(
        sa.select(Notification)
        .where(Notification.user_id == current_user.id)
        .order_by(Notification.id.desc())
        .limit(PAGE_SIZE)
    ).all()
    form = EmailModeForm(email_mode=operations.email_mode_of(current_user).value)
    return render_template(
        "notifications/list.html", notifications=notifications, form=form, action=ConfirmForm()
    )


@bp.route("/read", methods=["POST"])
@login_required
def read_notifications():
    if ConfirmForm().validate_on_submit():
        operations.mark_all_read(current_user)
    return redirect(url_for("notifications.list_notifications"))


@bp.route("/email", methods=["POST"])
@login_required
def choose_email():
    form = EmailModeForm()
    if form.validate_on_submit():
        operations.set_email_mode(current_user, EmailMode(form.email_mode.data))
        flash(_("Your e-mail choice has been saved."), "success")
    else:
        flash(_("Choose how you want to be e-mailed."), "error")
    return redirect(url_for("notifications.list_notifications"))
