"""Fictional demo data: three organisations, their staff and a class of thirty students.

Deterministic for a seed (Faker is seeded, nothing reads the clock or global random)
and idempotent: organisations are keyed by short name and people by e-mail, so running
it again updates names and adds what is missing without duplicating anything. A demo
password is set only when an account is created, so a changed password survives.
"""

from __future__ import annotations

from dataclasses import dataclass

from faker import Faker

from academy.auth import operations, queries
from academy.auth.models import Organisation, OrganisationKind, Role, User

DEMO_PASSWORD = "demo-password"
STUDENT_COUNT = 30

HENAN_CITIES = ["Zhengzhou", "Luoyang", "Kaifeng", "Xinxiang", "Nanyang", "Xuchang", "Zhoukou"]


@dataclass(frozen=True)
class SeedSummary:
    organisations: int
    users: int
    created: int


def _upsert_organisation(
    slug: str, name: str, kind: OrganisationKind, description: str
) -> Organisation:
    organisation = queries.get_organisation_by_slug(slug)
    if organisation is None:
        return operations.create_organisation(name, kind, slug, description)
    organisation.name = name
    organisation.description = description
    return organisation


def _upsert_user(email: str, display_name: str, created: list[User], **flags: bool) -> User:
    user = queries.get_user_by_email(email)
    if user is None:
        user = operations.create_user(
            email, display_name, DEMO_PASSWORD, enforce_policy=False, **flags
        )
        created.append(user)
    else:
        user.display_name = display_name
        for name, value in flags.items():
            setattr(user, name, value)
    return user


def seed_demo(seed: int = 2019) -> SeedSummary:
    """Create or refresh the demo world for ``seed``; returns what it holds."""
    fake_en = Faker("en_US")
    fake_en.seed_instance(seed)
    fake_zh = Faker("zh_CN")
    fake_zh.seed_instance(seed)

    city = fake_en.random_element(HENAN_CITIES)
    college = _upsert_organisation(
        "demo-college",
        f"{city} Vocational College of International Trade",
        OrganisationKind.SCHOOL,
        "A fictional vocational college training cross-border e-commerce talent (demo data).",
    )
    logistics = _upsert_organisation(
        "demo-logistics",
        f"{fake_en.last_name()} Silk Road Logistics Co., Ltd.",
        OrganisationKind.ENTERPRISE,
        "A fictional freight forwarder running China–Europe rail and air freight (demo data).",
    )
    association = _upsert_organisation(
        "demo-association",
        f"{city} Cross-Border E-Commerce Association",
        OrganisationKind.ASSOCIATION,
        "A fictional industry association that sets talent standards (demo data).",
    )

    created: list[User] = []
    _upsert_user("admin@academy.test", "Site Administrator", created, is_site_admin=True)
    staff = [
        ("teacher@academy.test", college, (Role.TEACHER, Role.ORG_ADMIN)),
        ("mentor@academy.test", logistics, (Role.MENTOR, Role.ORG_ADMIN)),
        ("examiner@academy.test", association, (Role.EXAMINER, Role.ORG_ADMIN)),
    ]
    for email, organisation, roles in staff:
        user = _upsert_user(email, fake_zh.name(), created)
        for role in roles:
            operations.add_membership(user, organisation, role)
    for number in range(1, STUDENT_COUNT + 1):
        student = _upsert_user(f"student{number}@academy.test", fake_zh.name(), created)
        operations.add_membership(student, college, Role.STUDENT)

    return SeedSummary(organisations=3, users=4 + STUDENT_COUNT, created=len(created))
