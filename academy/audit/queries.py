"""Reading the audit log: the admin page's filters and the CSV export."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from academy.audit.models import AuditEvent
from academy.db import db

#: The most rows one CSV export holds; narrow the filter for more.
EXPORT_LIMIT = 50_000


@dataclass(frozen=True)
class AuditFilter:
    action: str = ""
    actor: str = ""  # part of the actor's e-mail address
    subject: str = ""  # part of the subject's label
    date_from: date | None = None
    date_to: date | None = None  # inclusive
    zone: str = "UTC"  # the zone the dates are days in
    organisation_id: int | None = None  # only rows about this organisation

    def conditions(self) -> list[sa.ColumnElement[bool]]:
        where: list[sa.ColumnElement[bool]] = []
        if self.organisation_id is not None:
            where.append(AuditEvent.organisation_id == self.organisation_id)
        if self.action:
            where.append(AuditEvent.action == self.action)
        if self.actor:
            where.append(AuditEvent.actor_email.contains(self.actor.lower(), autoescape=True))
        if self.subject:
            where.append(
                sa.func.lower(AuditEvent.subject_label).contains(
                    self.subject.lower(), autoescape=True
                )
            )
        if self.date_from:
            where.append(AuditEvent.happened_dt >= self._start_of(self.date_from))
        if self.date_to:
            where.append(AuditEvent.happened_dt < self._start_of(self.date_to + timedelta(days=1)))
        return where

    def _start_of(self, day: date) -> datetime:
        return datetime.combine(day, time(0, 0), tzinfo=ZoneInfo(self.zone))


def search_events(
    audit_filter: AuditFilter, page: int, page_size: int
) -> tuple[list[AuditEvent], int]:
    """One page of matching events, newest first, and how many match in all."""
    where = audit_filter.conditions()
    total = db.session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(*where)) or 0
    events = db.session.scalars(
        sa.select(AuditEvent)
        .where(*where)
        .order_by(AuditEvent.happened_dt.desc(), AuditEvent.id.desc())
        .offset((page - 1) * page_size)
        .limit(page_size)
    )
    return list(events), total


def export_events(audit_filter: AuditFilter) -> list[AuditEvent]:
    """Every matching event (up to ``EXPORT_LIMIT``), oldest first."""
    return list(
        db.session.scalars(
            sa.select(AuditEvent)
            .where(*audit_filter.conditions())
            .order_by(AuditEvent.happened_dt, AuditEvent.id)
            .limit(EXPORT_LIMIT)
        )
    )
