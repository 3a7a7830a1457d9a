"""Reads about users, organisations and memberships."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from academy.auth.models import Invitation, Membership, Organisation, User
from academy.db import db


def get_user_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == email))


def get_organisation_by_slug(slug: str) -> Organisation | None:
    return db.session.scalar(sa.select(Organisation).where(Organisation.slug == slug))


def organisation_members(organisation: Organisation) -> list[Membership]:
    return list(
        db.session.scalars(
            sa.select(Membership)
            .join(Membership.user)
            .where(Membership.organisation_id == organisation.id)
            .options(selectinload(Membership.user))
            .order_by(Membership.role, User.display_name)
        )
    )


def pending_invitations(organisation: Organisation) -> list[Invitation]:
    return list(
        db.session.scalars(
            sa.select(Invitation)
            .where(
                Invitation.organisation_id == organisation.id,
                Invitation.accepted_dt.is_(None),
                Invitation.revoked_dt.is_(None),
            )
            .order_by(Invitation.created_dt.desc())
        )
    )


def list_organisations() -> list[Organisation]:
    return list(db.session.scalars(sa.select(Organisation).order_by(Organisation.name)))


def search_users(text: str, page: int, page_size: int) -> tuple[list[User], int]:
    """A page of users whose e-mail or name contains ``text``, and the total count."""
    query = sa.select(User)
    if text:
        pattern = f"%{text.lower()}%"
        query = query.where(
            sa.or_(User.email.like(pattern), sa.func.lower(User.display_name).like(pattern))
        )
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery())) or 0
    users = db.session.scalars(
        query.options(selectinload(User.memberships).selectinload(Membership.organisation))
        .order_by(User.email)
        .limit(page_size)
        .offset((page - 1) * page_size)
    )
    return list(users), total
