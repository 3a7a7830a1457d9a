"""Certificates for a released sitting: what credentials does when certification releases.

Certification releases a sitting's results and knows nothing of certificates; this
module registers with its release step, which asks the job ``credentials.issue_for_sitting``
(academy/credentials/tasks.py) to issue one certificate to every candidate who reached
the level, copying the standard, level and units from the result. A
result that already has its certificate is skipped, so releasing twice (or seeding the
demo again) issues nothing new.
"""

from __future__ import annotations

import logging

import sqlalchemy as sa

from academy.certification.queries import released_achievements
from academy.certification.results.operations import on_results_released
from academy.certification.sittings.models import Sitting
from academy.credentials import operations
from academy.credentials.models import Certificate
from academy.db import db
from academy.jobs import enqueue

logger = logging.getLogger(__name__)


@on_results_released
def queue_certificates(sitting: Sitting) -> None:
    """Ask a worker to issue the released sitting's certificates (inline with no broker).

    Signing every candidate's certificate is a province's morning of work at once, so it
    leaves the release request; the job is idempotent (see below).
    """
    enqueue("credentials.issue_for_sitting", sitting.id)


def issue_certificates_for_sitting(sitting: Sitting) -> list[Certificate]:
    """Issue the certificates of a released sitting, one per candidate who reached its level.

    Args:
        sitting: a sitting whose results are released (nothing happens otherwise).

    Returns:
        The certificates issued now (none for results that already have one).
    """
    achievements = released_achievements(sitting)
    done = set(
        db.session.scalars(
            sa.select(Certificate.certification_result_id).where(
                Certificate.certification_result_id.in_([a.result_id for a in achievements])
            )
        )
    )
    association = sitting.programme.organisation
    issued = []
    for achievement in achievements:
        if achievement.result_id in done:
            continue
        issued.append(
            operations.issue_certificate(
                association=association,
                holder=achievement.holder,
                holder_name=achievement.holder.display_name,
                standard_code=achievement.standard_code,
                standard_version=str(achievement.standard_version),
                standard_title_en=achievement.standard_title,
                standard_title_zh=achievement.standard_title_zh,
                level_code=achievement.level_code,
                level_name_en=achievement.level_name,
                level_name_zh=achievement.level_name_zh,
                units=[operations.Unit(*unit) for unit in achievement.units],
                issued_date=achievement.released_dt.date(),
                certification_result_id=achievement.result_id,
            )
        )
    logger.info("sitting %s: %s certificates issued", sitting.id, len(issued))
    return issued
