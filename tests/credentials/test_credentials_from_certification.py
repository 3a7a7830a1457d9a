"""A released sitting issues certificates: the demo's careful candidate holds one, once."""

from __future__ import annotations

import sqlalchemy as sa

from academy.auth.queries import get_user_by_email
from academy.certification.models import Sitting
from academy.credentials.issuing import issue_certificates_for_sitting
from academy.credentials.models import Certificate
from academy.db import db
from academy.seed import seed_demo


def certificates_of(email: str) -> list[Certificate]:
    user = get_user_by_email(email)
    return list(db.session.scalars(sa.select(Certificate).where(Certificate.holder_id == user.id)))


def test_the_demo_sittings_release_issued_the_certificate_it_earned(app):
    with app.app_context(), db.unit_of_work():
        seed_demo(2019)
        sitting = db.session.scalar(sa.select(Sitting).where(Sitting.title.like("%(demo)")))
        (careful,) = certificates_of("student1@academy.test")
        assert careful.certification_result_id is not None
        assert careful.standard_code == sitting.programme.standard.code
        assert careful.level_code == sitting.programme.level.code == "intermediate"
        assert careful.issued_date == sitting.released_dt.date()
        assert {unit["code"] for unit in careful.units} <= {
            unit.code for unit in sitting.programme.standard.units
        }
        # The careless candidate reached no level and holds nothing.
        assert certificates_of("student2@academy.test") == []
        # Releasing again (or seeding again) issues nothing new.
        assert issue_certificates_for_sitting(sitting) == []
        seed_demo(2019)
        assert len(certificates_of("student1@academy.test")) == 1
