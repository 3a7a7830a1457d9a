"""Every write about organisations, memberships and invitations.

Split from ``academy.auth.operations`` (which re-exports these names) to keep each
module small. Operations flush, never commit; a refused operation raises
``OperationError`` before it has changed anything.
"""

from __future__ import annotations

import logging
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from academy.audit.models import AuditAction
from academy.audit.operations import record_event
from academy.auth import queries
from academy.auth.models import Invitation, Membership, Organisation, OrganisationKind, Role, User
from academy.auth.operations import (
    SLUG_PATTERN,
    create_user,
    normalise_email,
    role_label,
    token_message,
)
from academy.auth.tokens import TokenExpired, TokenInvalid, new_token_id, read_token, sign_token
from academy.db import db, utcnow
from academy.errors import OperationError
from academy.links import external_url
from academy.mail import send_mail
from academy.timezones import is_time_zone

logger = logging.getLogger("academy.auth")


def create_organisation(
    name: str,
    kind: OrganisationKind | str,
    slug: str,
    description: str = "",
    time_zone: str | None = None,
) -> Organisation:
    name = name.strip()
    slug = slug.strip().lower()
    if not name:
        raise OperationError(_l("Enter a name."), field="name", code="name_missing")
    if not SLUG_PATTERN.match(slug):
        raise OperationError(
            _l("Use lowercase letters, digits and single hyphens only."),
            field="slug",
            code="slug_format",
        )
    try:
        kind = OrganisationKind(kind)
    except ValueError:
        raise OperationError(
            _l("Choose school, enterprise or association."), field="kind", code="kind_unknown"
        ) from None
    if queries.get_organisation_by_slug(slug) is not None:
        raise OperationError(
            _l("This short name is already taken."), field="slug", code="duplicate"
        )
    if time_zone and not is_time_zone(time_zone):
        raise OperationError(
            _l("Choose a time zone from the list."), field="time_zone", code="time_zone_unknown"
        )
    organisation = Organisation(
        name=name,
        slug=slug,
        kind=kind,
        description=description.strip(),
        time_zone=time_zone or None,
    )
    db.session.add(organisation)
    db.session.flush()
    record_event(AuditAction.ORGANISATION_CREATED, subject=organisation, organisation=organisation)
    logger.info("organisation %s created", slug)
    return organisation


def update_organisation(
    organisation: Organisation,
    *,
    name: str,
    description: str = "",
    description_zh: str = "",
    time_zone: str | None = None,
    is_active: bool = True,
    acting: User | None = None,
) -> Organisation:
    """Edit an organisation's name, description, time zone and whether it is active.

    The short name (it is in every URL and signed credential) and the kind (roles
    depend on it) stay as created.
    """
    name = name.strip()
    if not name:
        raise OperationError(_l("Enter a name."), field="name", code="name_missing")
    if time_zone and not is_time_zone(time_zone):
        raise OperationError(
            _l("Choose a time zone from the list."), field="time_zone", code="time_zone_unknown"
        )
    fields = ("name", "description", "description_zh", "time_zone")
    before = [getattr(organisation, field) for field in fields]
    organisation.name = name
    organisation.description = description.strip()
    organisation.description_zh = description_zh.strip()
    organisation.time_zone = time_zone or None
    after = [getattr(organisation, field) for field in fields]
    changed = [field for field, old, new in zip(fields, before, after, strict=True) if old != new]
    if organisation.is_active != is_active:
        organisation.is_active = is_active
        changed.append("is_active")
    db.session.flush()
    if changed:
        record_event(
            AuditAction.ORGANISATION_EDITED,
            actor=acting,
            subject=organisation,
            organisation=organisation,
            changed=changed,
        )
    logger.info("organisation %s edited (%s)", organisation.slug, ", ".join(changed))
    return organisation


def add_membership(user: User, organisation: Organisation, role: Role | str) -> Membership:
    """Give ``user`` ``role`` in ``organisation``; returns the existing row if already held."""
    role = Role(role)
    for membership in user.memberships:
        if membership.organisation_id == organisation.id and membership.role == role:
            return membership
    membership = Membership(user=user, organisation=organisation, role=role)
    db.session.add(membership)
    db.session.flush()
    if role != Role.STUDENT:  # students joining classes are routine, not a rights change
        record_event(
            AuditAction.ROLE_GRANTED, subject=user, organisation=organisation, role=role.value
        )
    return membership


def remove_membership(membership: Membership, acting: User) -> None:
    if (
        membership.user_id == acting.id
        and membership.role == Role.ORG_ADMIN
        and not acting.is_site_admin
    ):
        raise OperationError(
            _l("You cannot remove your own administrator role."), code="own_admin_role"
        )
    record_event(
        AuditAction.ROLE_REMOVED,
        actor=acting,
        subject=membership.user,
        organisation=membership.organisation,
        role=membership.role.value,
    )
    membership.user.memberships.remove(membership)
    db.session.flush()


# --- invitations ---------------------------------------------------------------------


def invite_member(
    organisation: Organisation, email: str, role: Role | str, invited_by: User
) -> Invitation:
    """Create a one-time invitation link and mail it."""
    email = normalise_email(email)
    role = Role(role)
    existing = queries.get_user_by_email(email)
    if existing is not None and existing.has_role(role, organisation=organisation):
        raise OperationError(
            _l("This person already has that role in the organisation."),
            field="email",
            code="role_held",
        )
    max_age = current_app.config["INVITATION_MAX_AGE"]
    invitation = Invitation(
        token_id=new_token_id(),
        organisation=organisation,
        email=email,
        role=role,
        invited_by=invited_by,
        expires_dt=utcnow() + timedelta(seconds=max_age),
    )
    db.session.add(invitation)
    db.session.flush()
    link = invitation_link(invitation)
    with force_locale(
        existing.preferred_locale if existing and existing.preferred_locale else "en"
    ):
        send_mail(
            email,
            _(
                "You are invited to %(organisation)s on Silk Road Academy",
                organisation=organisation.name,
            ),
            _(
                "%(inviter)s invites you to join %(organisation)s as %(role)s.\n\n"
                "Open this link within %(days)d days to accept:\n\n%(link)s\n",
                inviter=invited_by.display_name,
                organisation=organisation.name,
                role=role_label(role),
                days=max_age // 86400,
                link=link,
            ),
        )
    logger.info("invitation %s to %s as %s", invitation.id, organisation.slug, role.value)
    return invitation


def invitation_link(invitation: Invitation) -> str:
    return external_url(
        "auth.accept_invitation", token=sign_token("invitation", invitation.token_id)
    )


def revoke_invitation(invitation: Invitation) -> None:
    if invitation.accepted_dt is not None:
        raise OperationError(
            _l("This invitation has already been accepted."), code="invitation_accepted"
        )
    if invitation.revoked_dt is None:
        invitation.revoked_dt = utcnow()
        db.session.flush()


def load_invitation(token: str) -> Invitation:
    """The pending invitation behind ``token``, or an ``OperationError`` saying why not."""
    try:
        token_id = read_token("invitation", token, current_app.config["INVITATION_MAX_AGE"])
    except TokenExpired:
        raise OperationError(token_message("expired"), code="token_expired") from None
    except TokenInvalid:
        raise OperationError(token_message("invalid"), code="token_invalid") from None
    invitation = db.session.scalar(sa.select(Invitation).where(Invitation.token_id == token_id))
    if invitation is None:
        raise OperationError(token_message("invalid"), code="token_invalid")
    if invitation.accepted_dt is not None:
        raise OperationError(token_message("used"), code="token_used")
    if invitation.revoked_dt is not None:
        raise OperationError(token_message("revoked"), code="token_revoked")
    if invitation.expires_dt <= utcnow():
        raise OperationError(token_message("expired"), code="token_expired")
    return invitation


def accept_invitation(
    token: str,
    *,
    user: User | None = None,
    display_name: str = "",
    password: str = "",
) -> User:
    """Accept as the logged-in ``user``, or create the invited account."""
    invitation = load_invitation(token)
    if user is None:
        user = create_user(invitation.email, display_name, password)
    elif user.email != invitation.email:
        raise OperationError(
            _l(
                "This invitation was sent to another e-mail address. Log out and open the link again."
            ),
            code="wrong_account",
        )
    add_membership(user, invitation.organisation, invitation.role)
    invitation.accepted_dt = utcnow()
    invitation.accepted_by_id = user.id
    db.session.flush()
    logger.info("invitation %s accepted by %s", invitation.id, user.email)
    return user
