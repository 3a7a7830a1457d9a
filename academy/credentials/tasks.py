"""Credentials' background work: issuing (signing) a released sitting's certificates."""

from __future__ import annotations

from academy.certification.sittings.models import Sitting
from academy.credentials.issuing import issue_certificates_for_sitting
from academy.db import db
from academy.jobs import job


@job("credentials.issue_for_sitting", retries=5)
def issue_for_sitting(sitting_id: int) -> None:
    """Issue the certificates of a released sitting; those already issued are skipped."""
    issue_certificates_for_sitting(db.session.get_one(Sitting, sitting_id))
