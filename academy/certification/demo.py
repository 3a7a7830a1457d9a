"""Demo data: the association's standard, an intermediate programme and a finished sitting.

``seed_certification`` is called by ``academy seed-demo``. It imports the shipped
standard into the demo association, builds and publishes the intermediate programme
(theory drawn by unit and difficulty, a practical in the Zhengzhou rail-and-air world,
a written offer letter marked twice blind), and runs a sitting that ended on
20 November 2026 for three demo students: a careful candidate, a careless one and one
with extra time. Their exams are played by scripted candidates, the letters marked by
two examiners (one discrepancy goes to the chief examiner) and the results released,
so every certification page has something to show. Running it again changes nothing.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa

from academy import PACKAGE_DIR
from academy.auth import operations as auth_operations
from academy.auth import queries as auth_queries
from academy.auth.models import Organisation, Role, User
from academy.db import db

STANDARD_CODE = "cross-border-b2b-export-operations"
PROGRAMME_TITLE = "Cross-border B2B export operations, intermediate (2026)"
SITTING_TITLE = "Intermediate certification, November 2026 (demo)"
DEMO_PASSWORD = "demo-password"

#: The intermediate programme's blueprint (also used by tests and the benchmark).
THEORY_RULES = [
    {"unit": "U1", "difficulty": 2, "count": 2},
    {"unit": "U2", "difficulty": 2, "count": 2},
    {"unit": "U2", "difficulty": 3, "count": 1},
    {"unit": "U3", "difficulty": 3, "count": 1},
    {"unit": "U4", "difficulty": 2, "count": 2},
    {"unit": "U5", "difficulty": 2, "count": 2},
    {"unit": "U5", "difficulty": 3, "count": 1},
    {"unit": "U6", "difficulty": 2, "count": 2},
    {"unit": "U7", "difficulty": 2, "count": 1},
    {"unit": "U9", "difficulty": 2, "count": 1},
]
PRACTICAL_TASKS = [
    {
        "key": "win-rfq",
        "unit": "U2",
        "title": "Win an RFQ and keep a gross margin of at least 8 %",
        "title_zh": "赢得一个采购需求（RFQ），毛利率不低于 8%",
        "points": 20,
        "check": {"name": "win_rfq", "min_gross_margin_percent": 8},
    },
    {
        "key": "clean-declaration",
        "unit": "U5",
        "title": "Have a declaration released with no refusal and no mismatch",
        "title_zh": "一票报关单放行，无退单、无申报不符",
        "points": 20,
        "check": {
            "name": "declaration_cleared",
            "declarations": 1,
            "max_rejections": 0,
            "max_mismatches": 0,
        },
    },
]
JUDGED_PARTS = [
    {
        "key": "offer-letter",
        "unit": "U8",
        "title": "Offer letter to a buyer in Almaty",
        "title_zh": "致阿拉木图买家的报盘函",
        "prompt": (
            "A wholesaler in Almaty asks for your best price for 2,000 knitted pullovers by "
            "China–Europe Railway Express. Write the offer letter: price, trade term, payment, "
            "shipment and validity, in a tone that keeps the buyer."
        ),
        "prompt_zh": "阿拉木图一位批发商询问 2,000 件针织套头衫经中欧班列发运的最优价格。请撰写报盘函：价格、贸易术语、付款方式、装运与有效期，语气得体。",
        "max_marks": 10,
    }
]
SCENARIO = "zhengzhou_rail_air"
SEED = 4600
# Buyers award roughly one quote in five, so a careful candidate's first contract comes
# around day 12 and its declaration clears a fortnight or so later.
PRACTICAL_DAYS = 40

T = TypeVar("T")


def _found(row: T | None, what: str) -> T:
    """A row the demo made (or shipped) earlier; a clear error if it is missing."""
    if row is None:
        raise LookupError(f"the certification demo needs {what}, which is missing")
    return row


def blueprint(bank_id: int | None) -> dict[str, Any]:
    return {
        "bank_id": bank_id,
        "theory_rules": THEORY_RULES,
        "theory_minutes": 60,
        "scenario": SCENARIO,
        "seed": SEED,
        "bots": ["cautious"],
        "practical_tasks": PRACTICAL_TASKS,
        "judged_parts": JUDGED_PARTS,
        "tolerance": 2,
    }


def _staff(email: str, association: Organisation, role: Role, name: str) -> User:
    user = auth_queries.get_user_by_email(email)
    if user is None:
        user = auth_operations.create_user(email, name, DEMO_PASSWORD, enforce_policy=False)
    auth_operations.add_membership(user, association, role)
    return user


def correct_response(question: dict[str, Any]) -> Any:
    """A response that earns full marks (the answer key, or the computed value)."""
    from academy.assessment.questions import question_type

    qtype = question_type(question["type"])
    expected = getattr(qtype, "expected", None)  # calculations show a rounded key
    return expected(question) if expected is not None else qtype.answer_key(question)


def answer_theory(candidate, share_right: float, rng: random.Random) -> None:
    """Answer a share of the candidate's theory items correctly (a scripted candidate)."""
    for item in candidate.attempt.items:
        if rng.random() < share_right:
            item.response = correct_response(item.question)


def _programme(association: Organisation):
    from academy.certification.models import Programme
    from academy.certification.programmes.operations import create_programme, publish_programme
    from academy.certification.standards.operations import latest_standard, standard_bank

    programme = db.session.scalar(
        sa.select(Programme).where(
            Programme.organisation_id == association.id, Programme.title == PROGRAMME_TITLE
        )
    )
    if programme is not None:
        return programme
    standard = _found(latest_standard(association, STANDARD_CODE), STANDARD_CODE)
    level = _found(standard.level("intermediate"), "the intermediate level")
    bank = standard_bank(association, STANDARD_CODE)
    programme = create_programme(
        association, standard, level, PROGRAMME_TITLE, **blueprint(bank.id)
    )
    return publish_programme(programme)


LETTERS = {
    "careful": (
        "Dear Mr Abenov, thank you for your enquiry. We offer 2,000 knitted pullovers at USD 6.10 "
        "per piece CIP Almaty (Incoterms 2020) by China–Europe Railway Express, shipment within 30 "
        "days of your deposit; payment 30% T/T deposit, 70% against copy of the rail waybill. "
        "This offer is valid until 15 December 2026. We look forward to your order."
    ),
    "careless": "We can sell pullovers cheap. Send money and we ship.",
    "extra": (
        "Dear buyer, our price is USD 6.30 per piece FCA Zhengzhou, payment by L/C at sight, "
        "shipment in January. Please confirm soon."
    ),
}


def _sit(candidate, kind: str, starts: datetime) -> None:
    from academy.certification import practical
    from academy.certification.sittings import delivery

    delivery.start_exam(candidate, starts + timedelta(minutes=5))
    answer_theory(
        candidate, {"careful": 1.0, "careless": 0.3, "extra": 0.8}[kind], random.Random(kind)
    )
    practical.play_scripted(
        candidate.market_id, candidate.user, careful=kind != "careless", days=PRACTICAL_DAYS
    )
    delivery.save_response(candidate, "offer-letter", LETTERS[kind], starts + timedelta(minutes=90))
    delivery.finish_exam(candidate, starts + timedelta(minutes=150))


def _mark(candidates: dict[str, Any], examiners: list[User], chief: User) -> None:
    from academy.certification.marking.models import JudgedResponse
    from academy.certification.marking.operations import submit_blind_mark, submit_third_mark

    marks = {"careful": (8, 9), "careless": (1, 2), "extra": (3, 7)}  # the last differs by 4
    for kind, candidate in candidates.items():
        response = _found(
            db.session.scalar(
                sa.select(JudgedResponse).where(JudgedResponse.candidate_id == candidate.id)
            ),
            "a judged response",
        )
        first, second = marks[kind]
        submit_blind_mark(response, examiners[0], first, "demo")
        submit_blind_mark(response, examiners[1], second, "demo")
        if response.needs_third_mark:
            submit_third_mark(response, chief, 6, "Complete terms, the tone is curt: 6.")


def seed_certification(
    association: Organisation, college: Organisation, standards_dir: Path | None = None
) -> bool:
    """Add the demo certification data; returns False if it was there already."""
    from academy.certification.models import Sitting
    from academy.certification.results.operations import release_results
    from academy.certification.sittings import delivery, registration
    from academy.certification.standards.file import read_standard
    from academy.certification.standards.operations import import_standard

    file = read_standard((standards_dir or PACKAGE_DIR.parent / "standards") / STANDARD_CODE)
    if file.problems:
        return False
    import_standard(association, file)
    examiner = _found(auth_queries.get_user_by_email("examiner@academy.test"), "the examiner")
    examiners = [
        examiner,
        _staff("examiner2@academy.test", association, Role.EXAMINER, "Second Examiner"),
    ]
    chief = _staff("chief@academy.test", association, Role.CHIEF_EXAMINER, "Chief Examiner")
    invigilator = _staff("invigilator@academy.test", association, Role.INVIGILATOR, "Invigilator")
    programme = _programme(association)
    if db.session.scalar(sa.select(Sitting.id).where(Sitting.title == SITTING_TITLE)) is not None:
        return False
    starts = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    sitting = registration.create_sitting(
        programme,
        title=SITTING_TITLE,
        starts_dt=starts,
        ends_dt=starts + timedelta(hours=3),
        seats=30,
        room="Building B, room 204",
        appeal_days=3650,
    )
    before = starts - timedelta(days=7)
    teacher = auth_queries.get_user_by_email("teacher@academy.test")
    candidates = {}
    for number, kind in ((1, "careful"), (2, "careless"), (3, "extra")):
        email = f"student{number}@academy.test"
        student = _found(auth_queries.get_user_by_email(email), email)
        candidates[kind] = registration.register_candidate(
            sitting, student, teacher, college, now=before
        )
    delivery.set_accommodation(candidates["extra"], 30, now=before)
    for seat, candidate in enumerate(candidates.values(), start=1):
        delivery.check_in(
            candidate, invigilator, f"B{seat:02d}", True, now=starts - timedelta(minutes=10)
        )
    for kind, candidate in candidates.items():
        _sit(candidate, kind, starts)
    _mark(candidates, examiners, chief)
    release_results(sitting)
    return True
