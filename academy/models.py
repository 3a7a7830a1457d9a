"""Imports every domain's models so the metadata is complete (Alembic, tests)."""

from academy.auth.models import (  # noqa: F401
    Invitation,
    LoginAttempt,
    Membership,
    Organisation,
    PasswordResetToken,
    User,
)
