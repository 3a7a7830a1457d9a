"""A notification for one person, and how they want to hear about them by e-mail."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column

from academy.db import Base, UTCDateTime, str_enum, utcnow


class NotificationKind(enum.StrEnum):
    """What happened; each kind words its own message from the notification's params."""

    PROPOSAL_TO_REVIEW = "proposal_to_review"
    CHANGE_APPROVED = "change_approved"
    CHANGE_RETURNED = "change_returned"
    SUBMISSION_TO_GRADE = "submission_to_grade"
    MARKS_RELEASED = "marks_released"
    MARKET_EVENT = "market_event"
    SITTING_REMINDER = "sitting_reminder"
    EXPORT_READY = "export_ready"

    @property
    def message(self) -> Any:
        """The message template (a lazy string with %(name)s parameters)."""
        return MESSAGES[self]


MESSAGES = {
    NotificationKind.PROPOSAL_TO_REVIEW: _l(
        "%(author)s proposed a change to “%(title)s” for your review."
    ),
    NotificationKind.CHANGE_APPROVED: _l("Your change to “%(title)s” was approved and published."),
    NotificationKind.CHANGE_RETURNED: _l("Your change to “%(title)s” was sent back: %(comment)s"),
    NotificationKind.SUBMISSION_TO_GRADE: _l(
        "%(student)s handed in “%(title)s”; it is waiting for your grade."
    ),
    NotificationKind.MARKS_RELEASED: _l("Your marks for “%(title)s” are released."),
    NotificationKind.MARKET_EVENT: _l("Market “%(market)s”: %(event)s"),
    NotificationKind.SITTING_REMINDER: _l("Your sitting “%(title)s” starts on %(when)s."),
    NotificationKind.EXPORT_READY: _l("Your export “%(title)s” is ready to download."),
}


class EmailMode(enum.StrEnum):
    IMMEDIATE = "immediate"
    DIGEST = "digest"
    NONE = "none"


class Notification(Base):
    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )
    kind: Mapped[NotificationKind] = mapped_column(
        str_enum(NotificationKind, "notification_kind"),
        nullable=False,
    )
    params: Mapped[dict[str, Any]] = mapped_column(
        sa.JSON,
        nullable=False,
        default=dict,
    )
    url: Mapped[str] = mapped_column(
        sa.String(500),
        nullable=False,
        default="",
    )
    is_read: Mapped[bool] = mapped_column(
        nullable=False,
        default=False,
    )
    created_dt: Mapped[datetime] = mapped_column(
        UTCDateTime,
        nullable=False,
        default=utcnow,
    )
    emailed_dt: Mapped[datetime | None] = mapped_column(
        UTCDateTime,
        nullable=True,
    )

    @property
    def text(self) -> str:
        """The message in the current language."""
        return str(self.kind.message) % {key: str(value) for key, value in self.params.items()}


class NotificationSetting(Base):
    """A person's choice of e-mail: each notification at once, a daily digest, or none."""

    __tablename__ = "notification_settings"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"),
        primary_key=True,
    )
    email_mode: Mapped[EmailMode] = mapped_column(
        str_enum(EmailMode, "email_mode"),
        nullable=False,
        default=EmailMode.DIGEST,
    )
