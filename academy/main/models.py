"""Records shared by every domain: the one-time keys of create forms."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from academy.db import Base, UTCDateTime, utcnow


class FormSubmission(Base):
    """A create form's one-time key, claimed by its first submit.

    A repeat of the same rendering (a double click, two parallel posts, a resent request)
    finds the key taken and is sent to ``result_url``, what the first submit made.
    """

    __tablename__ = "form_submissions"

    key: Mapped[str] = mapped_column(
        sa.String(64),
        primary_key=True,
    )
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"),
        nullable=True,
        index=True,
    )
    purpose: Mapped[str] = mapped_column(
        sa.String(100),
        nullable=False,
    )
    result_url: Mapped[str] = mapped_column(
        sa.String(500),
        nullable=False,
        default="",
    )
    created_dt: Mapped[datetime] = mapped_column(
        UTCDateTime,
        nullable=False,
        default=utcnow,
    )
