"""Writes of the talent pool: consent, the holder's profile, contact requests.

The pool follows the Personal Information Protection Law's principles: a holder is in
it only after consenting to a stated purpose, shows only the fields they pick, and
leaves it at once by opting out (their profile stops matching any search in the same
request). Recruiters see a holder's e-mail only when the holder accepts their request.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from academy.auth.models import Organisation, OrganisationKind, Role, User
from academy.credentials.models import (
    Availability,
    Certificate,
    CertificateStatus,
    ContactRequest,
    ContactStatus,
    TalentProfile,
    TalentUnit,
)
from academy.db import db, utcnow
from academy.errors import OperationError

logger = logging.getLogger("academy.credentials")

#: Pending requests one recruiter may have open at once (a brake on bulk messaging).
MAX_PENDING_REQUESTS = 50
MESSAGE_LIMIT = 1000


@dataclass(frozen=True)
class ProfileChoices:
    """What a holder enters and chooses to show."""

    city: str = ""
    province: str = ""
    languages: tuple[str, ...] = ()
    availability: Availability = Availability.OPEN
    statement: str = ""
    show_name: bool = True
    show_location: bool = True
    show_highlights: bool = True
    show_courses: bool = True


def _valid_certificates(user_id: int) -> list[Certificate]:
    return list(
        db.session.scalars(
            sa.select(Certificate).where(
                Certificate.holder_id == user_id,
                Certificate.status == CertificateStatus.ISSUED,
            )
        )
    )


def profile_of(user: User) -> TalentProfile | None:
    return db.session.scalar(sa.select(TalentProfile).where(TalentProfile.user_id == user.id))


def opt_in(user: User, choices: ProfileChoices) -> TalentProfile:
    """Put a certified holder in the talent pool with the fields they chose.

    Raises:
        OperationError: the user holds no certificate in force.
    """
    if not _valid_certificates(user.id):
        raise OperationError(
            _("Only holders of a certificate in force can join the talent pool."),
            code="no_certificate_in_force",
        )
    profile = profile_of(user)
    if profile is None:
        profile = TalentProfile(user_id=user.id)
        db.session.add(profile)
    _apply(profile, choices)
    profile.is_opted_in = True
    profile.consented_dt = utcnow()
    db.session.flush()
    refresh_units(user.id)
    logger.info("user %s joined the talent pool", user.id)
    return profile


def update_profile(user: User, choices: ProfileChoices) -> TalentProfile:
    """Change what a pooled holder shows (their consent stays as given)."""
    profile = profile_of(user)
    if profile is None or not profile.is_opted_in:
        raise OperationError(_("Join the talent pool first."), code="not_in_pool")
    _apply(profile, choices)
    db.session.flush()
    refresh_units(user.id)
    return profile


def opt_out(user: User) -> None:
    """Leave the talent pool: out of every search at once, pending requests declined."""
    profile = profile_of(user)
    if profile is None:
        return
    profile.is_opted_in = False
    profile.consented_dt = None
    profile.updated_dt = utcnow()
    db.session.execute(sa.delete(TalentUnit).where(TalentUnit.profile_id == profile.id))
    for request in db.session.scalars(
        sa.select(ContactRequest).where(
            ContactRequest.profile_id == profile.id,
            ContactRequest.status == ContactStatus.PENDING,
        )
    ):
        request.status = ContactStatus.DECLINED
        request.answered_dt = utcnow()
    db.session.flush()
    logger.info("user %s left the talent pool", user.id)


def _apply(profile: TalentProfile, choices: ProfileChoices) -> None:
    if len(choices.statement) > 600:
        raise OperationError(
            _("Keep the statement under 600 characters."),
            field="statement",
            code="statement_too_long",
        )
    profile.city = choices.city.strip()[:80]
    profile.province = choices.province
    codes = sorted({code.strip() for code in choices.languages if code.strip()})
    profile.languages = "," + ",".join(codes) + "," if codes else ""
    profile.availability = choices.availability
    profile.statement = choices.statement.strip()
    profile.show_name = choices.show_name
    profile.show_location = choices.show_location
    profile.show_highlights = choices.show_highlights
    profile.show_courses = choices.show_courses
    profile.updated_dt = utcnow()


def refresh_units(user_id: int) -> None:
    """Rebuild the searchable units and rank of a pooled holder from valid certificates."""
    from academy.credentials.queries import highlight_score

    profile = db.session.scalar(sa.select(TalentProfile).where(TalentProfile.user_id == user_id))
    if profile is None:
        return
    db.session.execute(sa.delete(TalentUnit).where(TalentUnit.profile_id == profile.id))
    if not profile.is_opted_in:
        db.session.flush()
        return
    pairs = {
        (certificate.level_code, unit["code"])
        for certificate in _valid_certificates(user_id)
        for unit in certificate.units
    }
    db.session.add_all(
        TalentUnit(profile_id=profile.id, level_code=level, unit_code=unit)
        for level, unit in sorted(pairs)
    )
    profile.score = 10 * len(pairs) + highlight_score(user_id)
    db.session.flush()


def recruiting_organisation(user: User) -> Organisation:
    """The enterprise on whose behalf ``user`` recruits.

    Raises:
        OperationError: the user is not a recruiter of an enterprise organisation.
    """
    for membership in user.memberships:
        if (
            membership.role == Role.RECRUITER
            and membership.organisation.kind == OrganisationKind.ENTERPRISE
            and membership.organisation.is_active
        ):
            return membership.organisation
    raise OperationError(
        _("Recruiting needs the recruiter role in an enterprise organisation."),
        code="no_enterprise",
    )


def send_contact_request(recruiter: User, profile: TalentProfile, message: str) -> ContactRequest:
    """Ask a pooled holder for contact; they see the request and decide.

    Raises:
        OperationError: not a recruiter of an enterprise, the holder is not in the
            pool, an empty or long message, a request already waiting, or too many open.
    """
    organisation = recruiting_organisation(recruiter)
    if not profile.is_opted_in:
        raise OperationError(_("This holder is not in the talent pool."), code="not_in_pool")
    message = (message or "").strip()
    if not message:
        raise OperationError(
            _("Write what the contact is about."), field="message", code="message_missing"
        )
    if len(message) > MESSAGE_LIMIT:
        raise OperationError(
            _("Keep the message under 1000 characters."), field="message", code="message_too_long"
        )
    open_requests = db.session.scalars(
        sa.select(ContactRequest.profile_id).where(
            ContactRequest.recruiter_id == recruiter.id,
            ContactRequest.status == ContactStatus.PENDING,
        )
    ).all()
    if profile.id in open_requests:
        raise OperationError(
            _("Your earlier request to this holder is still waiting for an answer."),
            code="request_pending",
        )
    if len(open_requests) >= MAX_PENDING_REQUESTS:
        raise OperationError(
            _("Too many requests are waiting for an answer; wait for some replies."),
            code="too_many_pending",
        )
    request = ContactRequest(
        profile_id=profile.id,
        recruiter_id=recruiter.id,
        organisation_id=organisation.id,
        message=message,
    )
    db.session.add(request)
    db.session.flush()
    logger.info("contact request %s sent by user %s", request.id, recruiter.id)
    return request


def answer_contact_request(holder: User, request: ContactRequest, *, accept: bool) -> None:
    """The holder accepts (sharing their e-mail with the recruiter) or declines.

    Raises:
        OperationError: the request is not the holder's, or was answered already.
    """
    if request.profile.user_id != holder.id:
        raise OperationError(_("This request is not addressed to you."), code="not_your_request")
    if request.status != ContactStatus.PENDING:
        raise OperationError(_("This request has been answered already."), code="already_answered")
    request.status = ContactStatus.ACCEPTED if accept else ContactStatus.DECLINED
    request.answered_dt = utcnow()
    db.session.flush()
    logger.info("contact request %s %s", request.id, request.status.value)
