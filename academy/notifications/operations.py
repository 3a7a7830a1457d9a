"""Writes of the notifications domain: notify someone, read, choose e-mail, send digests."""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import has_request_context, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from academy.auth.models import User
from academy.db import db, utcnow
from academy.mail import send_mail
from academy.notifications.models import (
    EmailMode,
    Notification,
    NotificationKind,
    NotificationSetting,
)

logger = logging.getLogger("academy.notifications")


def link(endpoint: str, **values: Any) -> str:
    """The path of a page for a notification ("" outside a request, e.g. in the CLI)."""
    return url_for(endpoint, **values) if has_request_context() else ""


def email_mode_of(user: User) -> EmailMode:
    setting = db.session.get(NotificationSetting, user.id)
    return setting.email_mode if setting is not None else EmailMode.DIGEST


def notify(user: User, kind: NotificationKind, *, url: str = "", **params: Any) -> Notification:
    """Tell ``user`` that something happened: in the bell, and by e-mail if they chose so.

    Args:
        user: Who is told.
        kind: What happened; it words the message.
        url: Where the notification leads (a path of this site).
        **params: The message's parameters (titles, names), stored as text.

    Returns:
        The notification (flushed).
    """
    notification = Notification(
        user_id=user.id,
        kind=kind,
        url=url,
        params={key: str(value) for key, value in params.items()},
    )
    db.session.add(notification)
    db.session.flush()
    if email_mode_of(user) == EmailMode.IMMEDIATE:
        with force_locale(user.preferred_locale or "en"):
            send_mail(
                user.email,
                _("Silk Road Academy: %(what)s", what=notification.text),
                _mail_line(notification),
            )
        notification.emailed_dt = utcnow()
        db.session.flush()
    logger.info("notification %s (%s) for user %s", notification.id, kind.value, user.id)
    return notification


def _mail_line(notification: Notification) -> str:
    if not has_request_context():
        return notification.text
    page = url_for("notifications.list_notifications", _external=True)
    return f"{notification.text}\n{page}"


def mark_all_read(user: User) -> int:
    """Mark every unread notification of ``user`` read; returns how many."""
    result = db.execute_dml(
        sa.update(Notification)
        .where(Notification.user_id == user.id, Notification.is_read.is_(False))
        .values(is_read=True)
        .execution_options(synchronize_session=False)
    )
    db.session.flush()
    return result.rowcount


def set_email_mode(user: User, mode: EmailMode) -> None:
    setting = db.session.get(NotificationSetting, user.id)
    if setting is None:
        setting = NotificationSetting(user_id=user.id)
        db.session.add(setting)
    setting.email_mode = mode
    db.session.flush()


def send_digests(now: datetime | None = None) -> int:
    """One e-mail per digest reader with everything not yet e-mailed; returns mails sent."""
    now = now or utcnow()
    immediate_or_none = sa.select(NotificationSetting.user_id).where(
        NotificationSetting.email_mode != EmailMode.DIGEST
    )
    # Locked rows are another scheduler's digest in progress: skip them, never mail twice.
    pending = db.session.scalars(
        sa.select(Notification)
        .where(Notification.emailed_dt.is_(None), Notification.user_id.not_in(immediate_or_none))
        .order_by(Notification.user_id, Notification.id)
        .with_for_update(skip_locked=True)
    ).all()
    by_user: dict[int, list[Notification]] = defaultdict(list)
    for notification in pending:
        by_user[notification.user_id].append(notification)
    for user_id, notifications in by_user.items():
        user = db.session.get_one(User, user_id)
        with force_locale(user.preferred_locale or "en"):
            body = "\n\n".join(_mail_line(n) for n in notifications)
            send_mail(user.email, _("Silk Road Academy: your notifications"), body)
        for notification in notifications:
            notification.emailed_dt = now
    db.session.flush()
    return len(by_user)


__all__ = ["NotificationKind", "mark_all_read", "notify", "send_digests", "set_email_mode"]
