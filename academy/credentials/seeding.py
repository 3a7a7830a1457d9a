"""Demo certificates and talent-pool holders for ``academy seed-demo``.

Until the certification domain's demo sitting issues certificates through its results
release, this issues them directly for the first demo students, puts some of them in
the talent pool and adds a demo recruiter. Running it again changes nothing.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from academy.auth import operations as auth_operations
from academy.auth import queries as auth_queries
from academy.auth.models import Role
from academy.credentials import operations, talent
from academy.credentials.models import Availability, Certificate, CredentialIssuer
from academy.db import db

DEMO_UNITS = [
    operations.Unit("CBEC-U1", "Quoting RFQs and pricing with Incoterms", "询盘报价与贸易术语定价"),
    operations.Unit("CBEC-U2", "Booking freight and export declaration", "订舱与出口报关"),
    operations.Unit("CBEC-U3", "Documentary credit presentation", "信用证交单"),
]
CERTIFIED_STUDENTS = 6
POOLED = {1: "henan", 2: "zhejiang", 3: "guangdong", 4: "henan"}
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
        .where(CredentialIssuer.organisation_id == association.id)
    )
    if issued_before:
        return 0
    for number in range(1, CERTIFIED_STUDENTS + 1):
        student = auth_queries.get_user_by_email(f"student{number}@academy.test")
        if student is None:
            continue
        higher = number % 3 == 0
        operations.issue_certificate(
            association=association,
            holder=student,
            holder_name=student.display_name,
            standard_code="CBEC-OPS",
            standard_version="2026",
            standard_title_en="Cross-border e-commerce operations",
            standard_title_zh="跨境电子商务运营",
            level_code="L2" if higher else "L1",
            level_name_en="Intermediate" if higher else "Elementary",
            level_name_zh="中级" if higher else "初级",
            units=DEMO_UNITS if higher else DEMO_UNITS[:2],
            issued_date=date(2026, 11, 20),
            expires_date=date(2029, 11, 19),
        )
        if number in POOLED:
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
    return CERTIFIED_STUDENTS
