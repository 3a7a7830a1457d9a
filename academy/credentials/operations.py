"""Every write of the credentials domain: issue, revoke, reissue, rotate keys.

The talent pool's writes are in :mod:`academy.credentials.talent`. Operations flush,
never commit; the request (or the CLI's unit of work) commits.
"""

from __future__ import annotations

import logging
import re
import secrets
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from academy.audit.models import AuditAction
from academy.audit.operations import record_event
from academy.auth.models import Organisation, OrganisationKind, User
from academy.credentials import keys, signing
from academy.credentials.models import (
    Certificate,
    CertificateStatus,
    CredentialIssuer,
    IssuerKey,
    SerialSequence,
    VerificationLookup,
)
from academy.db import db, utcnow
from academy.errors import OperationError

logger = logging.getLogger("academy.credentials")

#: Letters and digits that cannot be misread for one another (no 0/O, 1/I/L, U).
SERIAL_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
SERIAL_CHECK_LENGTH = 5
SERIAL_PATTERN = re.compile(r"^[A-Z0-9]{2,8}-\d{4}-\d{6,}-[2-9A-HJKMNP-TV-Z]{5}$")


@dataclass(frozen=True)
class Unit:
    """A unit of a standard achieved by the holder, in both languages."""

    code: str
    title_en: str
    title_zh: str


def normalise_serial(text: str) -> str:
    """The serial as stored: upper case, without spaces around or inside."""
    return re.sub(r"\s+", "", text or "").upper()


def surname_key(surname: str) -> str:
    """The surname as the verification page compares it (case and spaces ignored)."""
    return re.sub(r"\s+", "", surname or "").casefold()


def surname_matches(holder_name: str, surname: str) -> bool:
    """Whether ``surname`` is the surname in the printed name.

    A Chinese name written in characters starts with the surname (one or two
    characters, 欧阳 included); a name in Latin letters may be written either way round
    ("Li Wei", "Wei Li"), so its first or last word counts.
    """
    entered = surname_key(surname)
    name = holder_name.strip()
    if not entered or not name:
        return False
    if " " not in name and "\u4e00" <= name[0] <= "\u9fff":
        return len(entered) <= 2 and surname_key(name).startswith(entered)
    words = [surname_key(word) for word in name.split()]
    return entered in {words[0], words[-1]}


def holder_surname(holder_name: str) -> str:
    """The surname in a printed name: a Chinese name's first character, else the last word."""
    name = holder_name.strip()
    if name and "\u4e00" <= name[0] <= "\u9fff" and " " not in name:
        return name[0]
    return name.split()[-1] if name else ""


def _issuer_for(association: Organisation) -> CredentialIssuer:
    issuer = db.session.scalar(
        sa.select(CredentialIssuer)
        .where(CredentialIssuer.organisation_id == association.id)
        .with_for_update()
    )
    if issuer is not None:
        return issuer
    if association.kind != OrganisationKind.ASSOCIATION:
        raise OperationError(
            _("Only an industry association issues certificates."), code="not_an_association"
        )
    base = re.sub(r"[^A-Z0-9]", "", association.slug.upper())[:6] or "CERT"
    prefix, number = base, 1
    while db.session.scalar(
        sa.select(CredentialIssuer.id).where(CredentialIssuer.serial_prefix == prefix)
    ):
        number += 1
        prefix = f"{base[:6]}{number}"
    issuer = CredentialIssuer(organisation_id=association.id, serial_prefix=prefix)
    db.session.add(issuer)
    db.session.flush()
    return issuer


def _next_serial(issuer: CredentialIssuer, year: int) -> str:
    sequence = db.session.scalar(
        sa.select(SerialSequence)
        .where(SerialSequence.issuer_id == issuer.id, SerialSequence.year == year)
        .with_for_update()
    )
    if sequence is None:
        sequence = SerialSequence(issuer_id=issuer.id, year=year, last_value=0)
        db.session.add(sequence)
    sequence.last_value += 1
    check = "".join(secrets.choice(SERIAL_ALPHABET) for _ in range(SERIAL_CHECK_LENGTH))
    return f"{issuer.serial_prefix}-{year}-{sequence.last_value:06d}-{check}"


def _validate(
    holder_name: str, level_code: str, units: list[Unit], issued: date, expires: date | None
) -> None:
    if not holder_name.strip():
        raise OperationError(
            _("The holder's name as printed is required."),
            field="holder_name",
            code="holder_name_missing",
        )
    if not level_code.strip():
        raise OperationError(_("The level is required."), field="level_code", code="level_missing")
    if len({unit.code for unit in units}) != len(units):
        raise OperationError(_("A unit is listed twice."), field="units", code="duplicate_unit")
    if expires is not None and expires < issued:
        raise OperationError(
            _("The expiry date is before the issue date."),
            field="expires_date",
            code="expires_before_issue",
        )


def issue_certificate(
    *,
    association: Organisation,
    holder: User,
    holder_name: str,
    standard_code: str,
    standard_version: str,
    standard_title_en: str,
    standard_title_zh: str,
    level_code: str,
    level_name_en: str,
    level_name_zh: str,
    units: list[Unit],
    issued_date: date,
    expires_date: date | None = None,
    criteria_en: str = "",
    certification_result_id: int | None = None,
) -> Certificate:
    """Issue (and flush) a certificate with its signed Open Badges 3.0 credential.

    Everything the certificate shows is copied in, so it never changes when the
    certification data it came from does. The association's signing key is made on
    first use.

    Args:
        association: the issuing industry association.
        holder: the user who reached the level.
        holder_name: the name as printed on the certificate.
        standard_code: the standard's code, with ``standard_version`` and titles.
        level_code: the level reached, with its names in both languages.
        units: the units achieved.
        issued_date: the date printed; ``expires_date`` when the standard sets one.
        criteria_en: the criteria narrative of the level (a default one otherwise).
        certification_result_id: the certification result it was issued for.

    Raises:
        OperationError: not an association, a name or level missing, units repeated,
            or an expiry before the issue date.
    """
    _validate(holder_name, level_code, units, issued_date, expires_date)
    issuer = _issuer_for(association)
    key = keys.active_key(issuer)
    status_index = issuer.next_status_index
    issuer.next_status_index += 1
    certificate = Certificate(
        serial=_next_serial(issuer, issued_date.year),
        issuer=issuer,
        association_name=association.name,
        holder_id=holder.id,
        holder_name=holder_name.strip(),
        holder_surname_key=surname_key(holder_surname(holder_name)),
        standard_code=standard_code,
        standard_version=standard_version,
        standard_title_en=standard_title_en,
        standard_title_zh=standard_title_zh,
        level_code=level_code,
        level_name_en=level_name_en,
        level_name_zh=level_name_zh,
        criteria_en=criteria_en,
        units=[{"code": u.code, "title_en": u.title_en, "title_zh": u.title_zh} for u in units],
        issued_date=issued_date,
        expires_date=expires_date,
        status=CertificateStatus.ISSUED,
        status_index=status_index,
        certification_result_id=certification_result_id,
        credential_jwt="",
    )
    certificate.credential_jwt = signing.sign(signing.build_credential(certificate), key)
    db.session.add(certificate)
    db.session.flush()
    _refresh_pool(holder.id)
    record_event(
        AuditAction.CERTIFICATE_ISSUED,
        subject=certificate,
        organisation=association,
        holder=holder.email,
        level=level_code,
    )
    logger.info("certificate %s issued to user %s", certificate.serial, holder.id)
    return certificate


def revoke_certificate(certificate: Certificate, *, reason: str, by: User) -> Certificate:
    """Revoke a certificate: its page says so and its credential's status bit is set.

    Raises:
        OperationError: no reason given, or the certificate is not in force.
    """
    reason = (reason or "").strip()
    if not reason:
        raise OperationError(
            _("Give the reason for the revocation."), field="reason", code="reason_missing"
        )
    if certificate.status != CertificateStatus.ISSUED:
        raise OperationError(_("Only a certificate in force can be revoked."), code="not_in_force")
    certificate.status = CertificateStatus.REVOKED
    certificate.revocation_reason = reason
    certificate.revoked_dt = utcnow()
    db.session.flush()
    _refresh_pool(certificate.holder_id)
    record_event(
        AuditAction.CERTIFICATE_REVOKED,
        actor=by,
        subject=certificate,
        organisation=certificate.issuer.organisation,
        reason=reason,
    )
    logger.info("certificate %s revoked by user %s: %s", certificate.serial, by.id, reason)
    return certificate


def reissue_certificate(
    certificate: Certificate, *, by: User, holder_name: str | None = None
) -> Certificate:
    """Issue a corrected certificate under a new serial; the old one becomes superseded.

    Args:
        certificate: the certificate to correct (in force).
        by: the association admin correcting it.
        holder_name: the corrected name as printed (the old one if not given).

    Raises:
        OperationError: the certificate is revoked or already superseded.
    """
    if certificate.status != CertificateStatus.ISSUED:
        raise OperationError(_("Only a certificate in force can be reissued."), code="not_in_force")
    replacement = issue_certificate(
        association=certificate.issuer.organisation,
        holder=certificate.holder,
        holder_name=holder_name or certificate.holder_name,
        standard_code=certificate.standard_code,
        standard_version=certificate.standard_version,
        standard_title_en=certificate.standard_title_en,
        standard_title_zh=certificate.standard_title_zh,
        level_code=certificate.level_code,
        level_name_en=certificate.level_name_en,
        level_name_zh=certificate.level_name_zh,
        units=[Unit(**unit) for unit in certificate.units],
        issued_date=utcnow().date(),
        expires_date=certificate.expires_date,
        criteria_en=certificate.criteria_en,
        certification_result_id=certificate.certification_result_id,
    )
    certificate.status = CertificateStatus.SUPERSEDED
    certificate.superseded_by_id = replacement.id
    db.session.flush()
    _refresh_pool(certificate.holder_id)
    record_event(
        AuditAction.CERTIFICATE_REISSUED,
        actor=by,
        subject=certificate,
        organisation=certificate.issuer.organisation,
        replacement=replacement.serial,
    )
    logger.info(
        "certificate %s superseded by %s (user %s)", certificate.serial, replacement.serial, by.id
    )
    return replacement


def rotate_issuer_key(association: Organisation, *, by: User | None = None) -> IssuerKey:
    """Give the association a new signing key; the old one stays published.

    Returns:
        The new active key.
    """
    issuer = _issuer_for(association)
    key = keys.rotate_key(issuer)
    record_event(
        AuditAction.SIGNING_KEY_ROTATED,
        actor=by,
        subject=association,
        organisation=association,
        kid=key.kid,
    )
    logger.info("signing key of %s rotated to %s", association.slug, key.kid)
    return key


def record_lookup(ip_address: str) -> None:
    """Count a lookup on the public verification page (for its rate limit)."""
    values = {"ip_address": ip_address[:64], "looked_up_dt": utcnow()}
    db.session.add(VerificationLookup(**values))
    # A "not found" answers 404, which rolls the request back; the count must stay.
    db.keep_after_rollback(VerificationLookup, values)
    db.session.flush()


def _refresh_pool(user_id: int) -> None:
    from academy.credentials import talent

    talent.refresh_units(user_id)
