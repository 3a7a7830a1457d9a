"""Fictional demo data: three organisations, their staff and a class of thirty students.

Deterministic for a seed (Faker is seeded, nothing reads the clock or global random)
and idempotent: organisations are keyed by short name and people by e-mail, so running
it again updates names and adds what is missing without duplicating anything. A demo
password is set only when an account is created, so a changed password survives.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from faker import Faker

from academy.auth import operations, queries
from academy.auth.models import Organisation, OrganisationKind, Role, User
from academy.certification.demo import seed_certification
from academy.credentials.seeding import seed_demo_credentials

DEMO_PASSWORD = "demo-password"
STUDENT_COUNT = 30
#: The demo organisations are in Henan: their members see times in Beijing time.
DEMO_TIME_ZONE = "Asia/Shanghai"

HENAN_CITIES = ["Zhengzhou", "Luoyang", "Kaifeng", "Xinxiang", "Nanyang", "Xuchang", "Zhoukou"]


@dataclass(frozen=True)
class SeedSummary:
    organisations: int
    users: int
    created: int


def _upsert_organisation(
    slug: str, name: str, kind: OrganisationKind, description: str, description_zh: str = ""
) -> Organisation:
    organisation = queries.get_organisation_by_slug(slug)
    if organisation is None:
        organisation = operations.create_organisation(
            name, kind, slug, description, time_zone=DEMO_TIME_ZONE
        )
    organisation.name = name
    organisation.description = description
    organisation.description_zh = description_zh
    organisation.time_zone = DEMO_TIME_ZONE
    return organisation


def _upsert_user(
    email: str, display_name: str, created: list[User], *, is_site_admin: bool | None = None
) -> User:
    user = queries.get_user_by_email(email)
    if user is None:
        user = operations.create_user(
            email,
            display_name,
            DEMO_PASSWORD,
            enforce_policy=False,
            is_site_admin=bool(is_site_admin),
        )
        created.append(user)
    else:
        user.display_name = display_name
        if is_site_admin is not None:
            user.is_site_admin = is_site_admin
    return user


def _demo_user(email: str) -> User:
    """A user the demo made above; a clear error if it is missing."""
    user = queries.get_user_by_email(email)
    if user is None:
        raise LookupError(f"the demo needs the user {email}, who is missing")
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
        "一所培养跨境电子商务人才的虚构职业院校（演示数据）。",
    )
    logistics = _upsert_organisation(
        "demo-logistics",
        f"{fake_en.last_name()} Silk Road Logistics Co., Ltd.",
        OrganisationKind.ENTERPRISE,
        "A fictional freight forwarder running China–Europe rail and air freight (demo data).",
        "一家经营中欧班列和航空货运的虚构货运代理公司（演示数据）。",
    )
    association = _upsert_organisation(
        "demo-association",
        f"{city} Cross-Border E-Commerce Association",
        OrganisationKind.ASSOCIATION,
        "A fictional industry association that sets talent standards (demo data).",
        "一个制定人才标准的虚构行业协会（演示数据）。",
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

    _seed_course_teams(_demo_user("teacher@academy.test"), _demo_user("mentor@academy.test"))
    _seed_demo_class(college)
    seed_certification(association, college)
    seed_demo_credentials()
    return SeedSummary(organisations=3, users=4 + STUDENT_COUNT, created=len(created))


DEMO_CLASS_CODE = "SILK2026"
DEMO_CLASS_COURSE = "trade-terms-pricing"
DEMO_CLASS_SIZE = 20


def _seed_course_teams(teacher: User, mentor: User) -> None:
    """Give imported courses without a team the demo teacher (owner) and mentor (co-author)."""
    from academy.catalog.models import Course, TeamRole
    from academy.catalog.operations import set_team_member
    from academy.db import db

    for course in db.session.scalars(sa.select(Course).order_by(Course.slug)):
        if not course.team:
            set_team_member(course, teacher, TeamRole.OWNER)
            set_team_member(course, mentor, TeamRole.CO_AUTHOR)


def _seed_demo_class(college: Organisation) -> None:
    """A class of the first twenty demo students, if the trade-terms course is imported."""
    from academy.catalog import queries as catalog_queries
    from academy.learning import operations as learning
    from academy.learning import queries as learning_queries
    from academy.learning.models import SchoolClass

    course = catalog_queries.get_course_by_slug(DEMO_CLASS_COURSE)
    if course is None:
        return
    school_class = learning_queries.get_class_by_code(DEMO_CLASS_CODE)
    teacher = queries.get_user_by_email("teacher@academy.test")
    if school_class is None:
        school_class = SchoolClass(
            course=course,
            owner=teacher,
            organisation=college,
            name="International Trade 2026 (demo)",
            term="Autumn 2026",
            join_code=DEMO_CLASS_CODE,
        )
        from academy.db import db

        db.session.add(school_class)
    for number in range(1, DEMO_CLASS_SIZE + 1):
        student = _demo_user(f"student{number}@academy.test")
        learning.enroll(student, course, school_class)
