"""A small association world: a two-unit standard, a bank, a published programme, a sitting.

``make_cert_world`` writes a standard file (units U1 and U2, three levels) and a question
file of single-choice items tagged U1/U2 at difficulties 1 and 2 into a temporary
folder, imports them for real, and publishes a programme with a theory draw, a practical
(the demo's win-RFQ task in the demo world) and a written part. The sitting starts a
minute ago unless told otherwise, so candidates can start at once.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from academy.auth.models import OrganisationKind, Role, User
from academy.certification.demo import JUDGED_PARTS, PRACTICAL_TASKS, SCENARIO, SEED
from academy.certification.models import Programme, Sitting
from academy.certification.programmes.operations import create_programme, publish_programme
from academy.certification.sittings.registration import create_sitting, register_candidate
from academy.certification.standards.file import read_standard
from academy.certification.standards.operations import import_standard, standard_bank
from academy.db import db, utcnow

_numbers = itertools.count(1)

STANDARD = """\
code = "{code}"
title = "Test standard"
title_zh = "测试标准"

[[levels]]
code = "elementary"
name = "Elementary"
name_zh = "初级"
pass_percent = 50
unit_pass_percent = 30

[[levels]]
code = "intermediate"
name = "Intermediate"
name_zh = "中级"
pass_percent = 60
unit_pass_percent = 40

[[units]]
code = "U1"
title = "Platform operations and RFQs"
title_zh = "平台运营与询盘报价"
evidence = ["knowledge", "practical"]
lessons = ["platform-operations/rfq-quoting"]
questions = ["pack/questions/u1.toml"]
weights = {{ elementary = 50, intermediate = 40 }}

[[units]]
code = "U2"
title = "Correspondence"
title_zh = "商务函电"
evidence = ["portfolio"]
questions = ["pack/questions/u2.toml"]
weights = {{ elementary = 50, intermediate = 60 }}
rubric = [
  {{ marks = 0, descriptor = "Nothing usable", descriptor_zh = "没有可用内容" }},
  {{ marks = 10, descriptor = "Complete and exact", descriptor_zh = "完整准确" }},
]
"""


def question_file(unit: str, per_difficulty: int) -> str:
    blocks = []
    for difficulty in (1, 2):
        for number in range(1, per_difficulty + 1):
            blocks.append(
                f'[[questions]]\nid = "{unit.lower()}-d{difficulty}-{number}"\ntype = "single_choice"\n'
                f'topic = "x"\ndifficulty = {difficulty}\nprompt = "Question {unit} {difficulty}.{number}?"\n'
                'options = [\n  { id = "a", text = "Right", correct = true },\n  { id = "b", text = "Wrong" },\n]\n'
            )
    return "\n".join(blocks)


@dataclass
class CertWorld:
    association_id: int
    school_id: int
    standard_id: int
    programme_id: int
    sitting_id: int
    users: dict[str, User] = field(default_factory=dict)
    students: list[User] = field(default_factory=list)


def write_standard(root: Path, code: str, per_difficulty: int = 2) -> Path:
    folder = root / "standards" / code
    folder.mkdir(parents=True)
    (folder / "standard.toml").write_text(STANDARD.format(code=code), encoding="utf-8")
    questions = root / "courses" / "pack" / "questions"
    questions.mkdir(parents=True)
    (questions / "u1.toml").write_text(question_file("U1", per_difficulty), encoding="utf-8")
    (questions / "u2.toml").write_text(question_file("U2", per_difficulty), encoding="utf-8")
    return folder


THEORY = [
    {"unit": "U1", "difficulty": 1, "count": 2},
    {"unit": "U1", "difficulty": 2, "count": 1},
    {"unit": "U2", "difficulty": 1, "count": 1},
]


@pytest.fixture
def make_cert_world(app, tmp_path, create_organisation, create_user):
    def factory(
        *,
        students: int = 3,
        starts_in: timedelta = timedelta(minutes=-1),
        practical: bool = True,
        register: bool = True,
        seats: int = 30,
    ) -> CertWorld:
        number = next(_numbers)
        association = create_organisation(
            kind=OrganisationKind.ASSOCIATION, slug=f"assoc-{number}", name=f"Association {number}"
        )
        school = create_organisation(slug=f"school-{number}", name=f"School {number}")
        users = {
            "admin": create_user(roles=[Role.ORG_ADMIN], organisation=association),
            "examiner": create_user(roles=[Role.EXAMINER], organisation=association),
            "examiner2": create_user(roles=[Role.EXAMINER], organisation=association),
            "chief": create_user(roles=[Role.CHIEF_EXAMINER], organisation=association),
            "invigilator": create_user(roles=[Role.INVIGILATOR], organisation=association),
            "teacher": create_user(roles=[Role.TEACHER], organisation=school),
        }
        pupils = [create_user(roles=[Role.STUDENT], organisation=school) for _ in range(students)]
        code = f"test-standard-{number}"
        folder = write_standard(tmp_path / f"w{number}", code)
        with app.app_context(), db.unit_of_work():
            org = db.session.merge(association)
            file = read_standard(folder, tmp_path / f"w{number}" / "courses")
            assert file.problems == []
            standard = import_standard(org, file).standard
            bank = standard_bank(org, code)
            programme = create_programme(
                org,
                standard,
                standard.level("intermediate"),
                "Test programme",
                bank_id=bank.id,
                theory_rules=THEORY,
                theory_minutes=30,
                scenario=SCENARIO if practical else "",
                seed=SEED,
                bots=["cautious"],
                practical_tasks=[{**PRACTICAL_TASKS[0], "unit": "U1"}] if practical else [],
                judged_parts=[{**JUDGED_PARTS[0], "unit": "U2"}],
                tolerance=2,
            )
            publish_programme(programme)
            now = utcnow()
            sitting = create_sitting(
                programme,
                title="Test sitting",
                starts_dt=now + starts_in,
                ends_dt=now + starts_in + timedelta(hours=2),
                seats=seats,
                room="Room 1",
            )
            if register:
                for pupil in pupils:
                    register_candidate(
                        sitting,
                        db.session.merge(pupil),
                        None,
                        db.session.merge(school),
                        now=now + starts_in - timedelta(days=1),
                    )
            world = CertWorld(
                association.id, school.id, standard.id, programme.id, sitting.id, users, pupils
            )
        return world

    return factory


def get(model: type, object_id: int) -> Any:
    return db.session.get(model, object_id)


__all__ = ["CertWorld", "Programme", "Sitting", "get"]
