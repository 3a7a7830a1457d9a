"""Demo certificates and talent-pool holders for ``academy seed-demo``.

The demo sitting's release (certification's demo) issues the certificates its
candidates earned. So that a recruiter has more than one holder to find, this adds
certificates of the same standard from an earlier, unrecorded sitting for the first demo
students who hold none, puts some of them in the talent pool and adds a demo recruiter.
Running it again changes nothing.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from academy.auth import operations as auth_operations
from academy.auth import queries as auth_queries
from academy.auth.models import Organisation, Role, User
from academy.credentials import operations, talent
from academy.credentials.models import Availability, Certificate, CredentialIssuer
from academy.db import db

#: Units of the shipped standard (standards/cross-border-b2b-export-operations).
DEMO_UNITS = [
    operations.Unit("U1", "Platform operations and RFQs", "平台运营与询盘报价"),
    operations.Unit("U2", "Trade terms and pricing", "贸易术语与报价"),
    operations.Unit("U5", "Customs declaration and export rebates", "报关与出口退税"),
]
#: student1-3 sat the demo sitting; the certificate of whoever reached the level comes
#: from its release. student4-9 hold one from an earlier sitting.
SITTING_CANDIDATES = range(1, 4)
EARLIER_HOLDERS = range(4, 10)
POOLED = {1: "henan", 4: "zhejiang", 6: "guangdong", 7: "henan"}
RECRUITER_EMAIL = "recruiter@academy.test"


def seed_demo_credentials() -> int:
    """Issue the demo certificates once; returns how many were issued now."""
    association = auth_queries.get_organisation_by_slug("demo-association")
    enterprise = auth_queries.get_organisation_by_slug("demo-logistics")
    if association is None or enterprise is None:
        return 0
    recruiter = auth_queries.get_user_by_email(RECRUITER_EMAIL)
    if recruiter is None:
        recruiter = auth_operations.create_user(
            RECRUITER_EMAIL, "Demo Recruiter", "demo-password", enforce_policy=False
        )
        auth_operations.add_membership(recruiter, enterprise, Role.RECRUITER)
    issued_before = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Certificate)
        .join(CredentialIssuer)
        .where(
            CredentialIssuer.organisation_id == association.id,
            Certificate.certification_result_id.is_(None),
        )
    )
    if issued_before:
        return 0
    issued = 0
    for number in (*SITTING_CANDIDATES, *EARLIER_HOLDERS):
        student = auth_queries.get_user_by_email(f"student{number}@academy.test")
        if student is None:
            continue
        higher = number % 3 == 0
        holds_one = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Certificate)
            .where(Certificate.holder_id == student.id)
        )
        if not holds_one and number in EARLIER_HOLDERS:
            _issue_earlier_certificate(association, student, higher)
            issued += 1
            holds_one = 1
        if number in POOLED and holds_one:
            talent.opt_in(
                student,
                talent.ProfileChoices(
                    city="",
                    province=POOLED[number],
                    languages=("zh", "en"),
                    availability=Availability.NOW if number % 2 else Availability.OPEN,
                    statement="Looking for an export sales assistant role (demo data).",
                ),
            )
    return issued


def _issue_earlier_certificate(association: Organisation, student: User, higher: bool) -> None:
    operations.issue_certificate(
        association=association,
        holder=student,
        holder_name=student.display_name,
        standard_code="cross-border-b2b-export-operations",
        standard_version="1",
        standard_title_en="Cross-border B2B export operations",
        standard_title_zh="跨境B2B出口业务运营",
        level_code="intermediate" if higher else "elementary",
        level_name_en="Intermediate" if higher else "Elementary",
        level_name_zh="中级" if higher else "初级",
        units=DEMO_UNITS if higher else DEMO_UNITS[:2],
        issued_date=date(2026, 6, 20),
    )
