"""Certificates, issuer keys and the talent pool.

A ``Certificate`` snapshots everything it shows (the holder's name as printed, the
standard, level and units in both languages), so it stays true whatever later happens
to the certification data it came from; ``certification_result_id`` points back at
that result without a foreign key (the certification domain wires it).
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.auth.models import Organisation, User
from academy.db import Base, UTCDateTime, str_enum, utcnow


class CertificateStatus(enum.StrEnum):
    """What was done to a certificate; "expired" is read from its dates, not stored."""

    ISSUED = "issued"
    REVOKED = "revoked"
    SUPERSEDED = "superseded"


class Validity(enum.StrEnum):
    """What the public verification page says about a certificate today."""

    VALID = "valid"
    REVOKED = "revoked"
    SUPERSEDED = "superseded"
    EXPIRED = "expired"

    @property
    def title(self) -> Any:
        return VALIDITY_TITLES[self]


VALIDITY_TITLES = {
    Validity.VALID: _l("Valid"),
    Validity.REVOKED: _l("Revoked"),
    Validity.SUPERSEDED: _l("Superseded"),
    Validity.EXPIRED: _l("Expired"),
}


class Availability(enum.StrEnum):
    """When a holder in the talent pool could start."""

    NOW = "now"
    WITHIN_3_MONTHS = "within_3_months"
    OPEN = "open"

    @property
    def title(self) -> Any:
        return AVAILABILITY_TITLES[self]


AVAILABILITY_TITLES = {
    Availability.NOW: _l("Available now"),
    Availability.WITHIN_3_MONTHS: _l("Within three months"),
    Availability.OPEN: _l("Open to offers"),
}


class ContactStatus(enum.StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"

    @property
    def title(self) -> Any:
        return CONTACT_TITLES[self]


CONTACT_TITLES = {
    ContactStatus.PENDING: _l("Waiting for an answer"),
    ContactStatus.ACCEPTED: _l("Accepted"),
    ContactStatus.DECLINED: _l("Declined"),
}


class CredentialIssuer(Base):
    """An association as an issuer: its serial prefix and its counters."""

    __tablename__ = "credential_issuers"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE"),
        nullable=False,
        unique=True,
    )
    serial_prefix: Mapped[str] = mapped_column(
        sa.String(12),
        nullable=False,
        unique=True,
    )
    # The next free position in the association's status lists (one bit per certificate).
    next_status_index: Mapped[int] = mapped_column(
        nullable=False,
        default=0,
    )
    created_dt: Mapped[datetime] = mapped_column(
        UTCDateTime,
        nullable=False,
        default=utcnow,
    )

    organisation: Mapped[Organisation] = relationship()


class SerialSequence(Base):
    """The last sequence number used in an issuer's serials of one year."""

    __tablename__ = "credential_serial_sequences"

    id: Mapped[int] = mapped_column(primary_key=True)
    issuer_id: Mapped[int] = mapped_column(
        sa.ForeignKey("credential_issuers.id", ondelete="CASCADE"),
        nullable=False,
    )
    year: Mapped[int] = mapped_column(
        nullable=False,
    )
    last_value: Mapped[int] = mapped_column(
        nullable=False,
        default=0,
    )

    __table_args__ = (sa.UniqueConstraint("issuer_id", "year"),)


class IssuerKey(Base):
    """An Ed25519 signing key of an issuer; the private half encrypted with the app secret."""

    __tablename__ = "credential_issuer_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    issuer_id: Mapped[int] = mapped_column(
        sa.ForeignKey("credential_issuers.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )
    kid: Mapped[str] = mapped_column(
        sa.String(64),
        nullable=False,
        unique=True,
    )
    public_jwk: Mapped[dict[str, Any]] = mapped_column(
        sa.JSON,
        nullable=False,
    )
    private_key_encrypted: Mapped[str] = mapped_column(
        sa.Text,
        nullable=False,
    )
    is_active: Mapped[bool] = mapped_column(
        nullable=False,
        default=True,
    )
    created_dt: Mapped[datetime] = mapped_column(
        UTCDateTime,
        nullable=False,
        default=utcnow,
    )
    retired_dt: Mapped[datetime | None] = mapped_column(
        UTCDateTime,
        nullable=True,
    )


class Certificate(Base):
    """A certificate as printed, with its signed Open Badges 3.0 credential."""

    __tablename__ = "certificates"

    id: Mapped[int] = mapped_column(primary_key=True)
    serial: Mapped[str] = mapped_column(
        sa.String(40),
        nullable=False,
        unique=True,
    )
    issuer_id: Mapped[int] = mapped_column(
        sa.ForeignKey("credential_issuers.id", ondelete="RESTRICT"),
        nullable=False,
        index=True,
    )
    association_name: Mapped[str] = mapped_column(
        sa.String(200),
        nullable=False,
    )
    holder_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="RESTRICT"),
        nullable=False,
        index=True,
    )
    holder_name: Mapped[str] = mapped_column(
        sa.String(120),
        nullable=False,
    )
    # The surname as the verification page compares it (case-folded, spaces removed).
    holder_surname_key: Mapped[str] = mapped_column(
        sa.String(120),
        nullable=False,
    )
    standard_code: Mapped[str] = mapped_column(
        sa.String(40),
        nullable=False,
    )
    standard_version: Mapped[str] = mapped_column(
        sa.String(20),
        nullable=False,
    )
    standard_title_en: Mapped[str] = mapped_column(
        sa.String(200),
        nullable=False,
    )
    standard_title_zh: Mapped[str] = mapped_column(
        sa.String(200),
        nullable=False,
    )
    level_code: Mapped[str] = mapped_column(
        sa.String(20),
        nullable=False,
        index=True,
    )
    level_name_en: Mapped[str] = mapped_column(
        sa.String(120),
        nullable=False,
    )
    level_name_zh: Mapped[str] = mapped_column(
        sa.String(120),
        nullable=False,
    )
    criteria_en: Mapped[str] = mapped_column(
        sa.Text,
        nullable=False,
        default="",
    )
    # [{"code": ..., "title_en": ..., "title_zh": ...}, ...]
    units: Mapped[list[dict[str, str]]] = mapped_column(
        sa.JSON,
        nullable=False,
        default=list,
    )
    issued_date: Mapped[date] = mapped_column(
        sa.Date,
        nullable=False,
    )
    expires_date: Mapped[date | None] = mapped_column(
        sa.Date,
        nullable=True,
    )
    status: Mapped[CertificateStatus] = mapped_column(
        str_enum(CertificateStatus, "certificate_status"),
        nullable=False,
        default=CertificateStatus.ISSUED,
    )
    superseded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("certificates.id", ondelete="SET NULL"),
        nullable=True,
    )
    revocation_reason: Mapped[str | None] = mapped_column(
        sa.Text,
        nullable=True,
    )
    revoked_dt: Mapped[datetime | None] = mapped_column(
        UTCDateTime,
        nullable=True,
    )
    status_index: Mapped[int] = mapped_column(
        nullable=False,
    )
    certification_result_id: Mapped[int | None] = mapped_column(
        nullable=True,
        index=True,
    )
    credential_jwt: Mapped[str] = mapped_column(
        sa.Text,
        nullable=False,
    )
    created_dt: Mapped[datetime] = mapped_column(
        UTCDateTime,
        nullable=False,
        default=utcnow,
    )

    issuer: Mapped[CredentialIssuer] = relationship()
    holder: Mapped[User] = relationship()
    superseded_by: Mapped[Certificate | None] = relationship(remote_side=[id])

    __table_args__ = (
        sa.UniqueConstraint("issuer_id", "status_index"),
        sa.CheckConstraint(
            "status <> 'revoked' OR revocation_reason IS NOT NULL", name="revoked_has_reason"
        ),
    )

    def validity(self, today: date) -> Validity:
        if self.status == CertificateStatus.REVOKED:
            return Validity.REVOKED
        if self.status == CertificateStatus.SUPERSEDED:
            return Validity.SUPERSEDED
        if self.expires_date is not None and self.expires_date < today:
            return Validity.EXPIRED
        return Validity.VALID


class VerificationLookup(Base):
    """A lookup on the public verification page, counted per address for rate limits."""

    __tablename__ = "certificate_lookups"

    id: Mapped[int] = mapped_column(primary_key=True)
    ip_address: Mapped[str] = mapped_column(
        sa.String(64),
        nullable=False,
    )
    looked_up_dt: Mapped[datetime] = mapped_column(
        UTCDateTime,
        nullable=False,
        default=utcnow,
    )

    __table_args__ = (sa.Index("ix_certificate_lookups_ip_dt", "ip_address", "looked_up_dt"),)


class TalentProfile(Base):
    """A certified holder's entry in the talent pool, and what they chose to show."""

    __tablename__ = "talent_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"),
        nullable=False,
        unique=True,
    )
    is_opted_in: Mapped[bool] = mapped_column(
        nullable=False,
        default=False,
    )
    consented_dt: Mapped[datetime | None] = mapped_column(
        UTCDateTime,
        nullable=True,
    )
    city: Mapped[str] = mapped_column(
        sa.String(80),
        nullable=False,
        default="",
    )
    province: Mapped[str] = mapped_column(
        sa.String(40),
        nullable=False,
        default="",
    )
    # Language codes between commas (",en,zh,") so one LIKE finds a language.
    languages: Mapped[str] = mapped_column(
        sa.String(120),
        nullable=False,
        default="",
    )
    availability: Mapped[Availability] = mapped_column(
        str_enum(Availability, "talent_availability"),
        nullable=False,
        default=Availability.OPEN,
    )
    statement: Mapped[str] = mapped_column(
        sa.Text,
        nullable=False,
        default="",
    )
    show_name: Mapped[bool] = mapped_column(nullable=False, default=True)
    show_location: Mapped[bool] = mapped_column(nullable=False, default=True)
    show_highlights: Mapped[bool] = mapped_column(nullable=False, default=True)
    show_courses: Mapped[bool] = mapped_column(nullable=False, default=True)
    # Ranking weight, refreshed with the holder's units: units held and graded highlights.
    score: Mapped[int] = mapped_column(
        nullable=False,
        default=0,
    )
    updated_dt: Mapped[datetime] = mapped_column(
        UTCDateTime,
        nullable=False,
        default=utcnow,
    )

    user: Mapped[User] = relationship()

    __table_args__ = (
        sa.Index("ix_talent_profiles_search", "is_opted_in", "province", "score"),
        sa.Index("ix_talent_profiles_ranked", "is_opted_in", "score"),
    )


class TalentUnit(Base):
    """A unit a pooled holder achieved at a level (from valid certificates), for search."""

    __tablename__ = "talent_units"

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(
        sa.ForeignKey("talent_profiles.id", ondelete="CASCADE"),
        nullable=False,
    )
    level_code: Mapped[str] = mapped_column(
        sa.String(20),
        nullable=False,
    )
    unit_code: Mapped[str] = mapped_column(
        sa.String(40),
        nullable=False,
    )

    __table_args__ = (
        sa.UniqueConstraint("profile_id", "level_code", "unit_code"),
        sa.Index("ix_talent_units_level_profile", "level_code", "profile_id"),
        sa.Index("ix_talent_units_unit_profile", "unit_code", "profile_id"),
    )


class ContactRequest(Base):
    """A recruiter's request to contact a pooled holder; the e-mail is shared on accept."""

    __tablename__ = "talent_contact_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(
        sa.ForeignKey("talent_profiles.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )
    recruiter_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE"),
        nullable=False,
    )
    message: Mapped[str] = mapped_column(
        sa.Text,
        nullable=False,
    )
    status: Mapped[ContactStatus] = mapped_column(
        str_enum(ContactStatus, "contact_status"),
        nullable=False,
        default=ContactStatus.PENDING,
    )
    created_dt: Mapped[datetime] = mapped_column(
        UTCDateTime,
        nullable=False,
        default=utcnow,
    )
    answered_dt: Mapped[datetime | None] = mapped_column(
        UTCDateTime,
        nullable=True,
    )

    profile: Mapped[TalentProfile] = relationship()
    recruiter: Mapped[User] = relationship()
    organisation: Mapped[Organisation] = relationship()
