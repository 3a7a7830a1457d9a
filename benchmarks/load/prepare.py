"""Fill an empty, migrated database for the load tests and write the plan the Locust file reads.

Run by ``run.py`` (``python benchmarks/load/prepare.py PLAN.json``) after ``academy db
upgrade``, ``academy courses import`` and ``academy seed-demo``, with the same
``ACADEMY_*`` environment as the server. It adds:

- ``--students`` learners ``load<N>@academy.test`` enrolled in every course (one password
  hash shared by all, so setting up 500 accounts does not cost 500 hashes),
- the demo teacher's password set to the same one,
- a class market of ``--market-days`` sim-days with a firm for each of the first
  ``--traders`` learners,

and writes the URLs the scenarios use: a reading lesson, a quiz with no prerequisite and
its start address, the teacher's class dashboard, the market's firm page.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

PASSWORD = "load-test-password-2026"
SCENARIO = "zhengzhou_rail_air"
BOTS = ["cautious", "aggressive", "sloppy"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("plan", type=Path)
    parser.add_argument("--students", type=int, default=500)
    parser.add_argument("--traders", type=int, default=20)
    parser.add_argument("--market-days", type=int, default=30)
    args = parser.parse_args()

    from flask import url_for

    from academy import create_app
    from academy.assessment.models import Quiz
    from academy.auth.models import User
    from academy.auth.passwords import hash_password
    from academy.catalog.models import Course, Lesson, LessonKind
    from academy.db import db
    from academy.labs import markets
    from academy.labs.models import MarketKind
    from academy.learning import operations as learning
    from academy.learning.models import SchoolClass

    app = create_app()
    with app.app_context():
        with db.unit_of_work():
            password_hash = hash_password(PASSWORD)
            teacher = db.session.scalar(sa.select(User).where(User.email == "teacher@academy.test"))
            teacher.password_hash = password_hash
            courses = list(db.session.scalars(sa.select(Course).order_by(Course.id)))
            school_class = db.session.scalar(sa.select(SchoolClass).order_by(SchoolClass.id))
        for start in range(0, args.students, 100):
            with db.unit_of_work():
                for number in range(start, min(start + 100, args.students)):
                    user = User(
                        email=f"load{number}@academy.test",
                        display_name=f"Load Student {number}",
                        password_hash=password_hash,
                    )
                    db.session.add(user)
                    db.session.flush()
                    for course in courses:
                        learning.enroll(user, db.session.merge(course))
        with db.unit_of_work():
            reading = db.session.scalar(
                sa.select(Lesson)
                .where(Lesson.kind == LessonKind.READING, Lesson.published_revision_id.is_not(None))
                .order_by(Lesson.course_id, Lesson.position)
            )
            quiz_lesson = next(
                lesson
                for lesson in db.session.scalars(
                    sa.select(Lesson)
                    .join(Quiz, Quiz.lesson_id == Lesson.id)
                    .where(Lesson.prerequisite.is_(None))
                    .order_by(Lesson.course_id, Lesson.position)
                )
                if not lesson.module.prerequisite and lesson.release_date is None
            )
            quiz = db.session.scalar(sa.select(Quiz).where(Quiz.lesson_id == quiz_lesson.id))
            market = markets.create_market(
                kind=MarketKind.CLASS_MARKET,
                scenario=SCENARIO,
                school_class=school_class,
                bots=[BOTS[n % len(BOTS)] for n in range(10)],
            )
            for number in range(args.traders):
                user = db.session.scalar(
                    sa.select(User).where(User.email == f"load{number}@academy.test")
                )
                markets.add_firm(market, display_name=f"Load Firm {number}", user=user)
            with app.test_request_context(base_url=os.environ.get("ACADEMY_BASE_URL")):
                plan = {
                    "password": PASSWORD,
                    "students": args.students,
                    "traders": args.traders,
                    "lesson": url_for(
                        "catalog.show_lesson", slug=reading.course.slug, lesson_slug=reading.slug
                    ),
                    "course": url_for("catalog.show_course", slug=reading.course.slug),
                    "quiz": url_for("assessment.show_quiz", quiz_id=quiz.id),
                    "quiz_start": url_for("assessment.start_attempt", quiz_id=quiz.id),
                    "class_dashboard": url_for("learning.show_class", class_id=school_class.id),
                    "firm": url_for("labs.firm_dashboard", market_id=market.id),
                    "market_id": market.id,
                }
        days = args.market_days
        while days > 0:
            step = min(10, days)
            with db.unit_of_work():
                markets.advance_market(markets.lock_market(plan["market_id"]), step)
            days -= step
    args.plan.write_text(json.dumps(plan, indent=2))


if __name__ == "__main__":
    main()
