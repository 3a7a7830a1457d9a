"""Benchmark the class dashboard and print figures (never asserts on time).

Usage (from the repository root)::

    python benchmarks/class_dashboard_bench.py                 # 500 students x 60 lessons
    python benchmarks/class_dashboard_bench.py --students 100 --lessons 20
    ACADEMY_BENCH_DATABASE_URL=postgresql+psycopg://... python benchmarks/class_dashboard_bench.py

It builds a throwaway database (a temporary SQLite file unless a URL is given; the
PostgreSQL database is used as it is, so give it an empty one), a course of N lessons
and a class of M students whose progress is a seeded mix of completed, started and
untouched lessons, then reports for the class dashboard:

- the time to read the progress (``queries.class_progress``) and how many SQL
  statements it ran,
- the time of the whole page (a GET through the test client, rendering included) and
  its statements and size,
- the time of the CSV export.

Each figure is the median of several runs after one warm-up.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def build_world(students: int, lessons: int, seed: int) -> tuple[int, int]:
    """Create the course, the class and the progress rows; return (class id, teacher id)."""
    import sqlalchemy as sa

    from academy.auth.models import Membership, Organisation, OrganisationKind, Role, User
    from academy.catalog.models import Course, Lesson, LessonRevision, Module, RevisionStatus
    from academy.db import db, utcnow
    from academy.learning.models import Enrollment, LessonProgress, ProgressStatus, SchoolClass

    rng = random.Random(seed)
    now = utcnow()
    session = db.session
    school = Organisation(slug="bench-college", name="Bench College", kind=OrganisationKind.SCHOOL)
    teacher = User(email="teacher@bench.test", display_name="Bench Teacher", password_hash="x")
    course = Course(slug="bench-course", title="Bench course", is_listed=True)
    session.add_all([school, teacher, course])
    session.add(Membership(user=teacher, organisation=school, role=Role.TEACHER))
    modules = [
        Module(course=course, slug=f"m{n}", title=f"Module {n}", position=n) for n in range(6)
    ]
    session.add_all(modules)
    session.flush()
    lesson_rows = []
    for n in range(lessons):
        lesson = Lesson(
            course=course,
            module=modules[n * len(modules) // lessons],
            slug=f"l{n}",
            position=n + 1,
            is_required=n % 10 != 9,
        )
        revision = LessonRevision(
            lesson=lesson,
            number=1,
            status=RevisionStatus.PUBLISHED,
            title=f"Lesson {n + 1}: quoting FOB and CIF",
            published_dt=now,
        )
        session.add_all([lesson, revision])
        lesson_rows.append((lesson, revision))
    session.flush()
    for lesson, revision in lesson_rows:
        lesson.published_revision_id = revision.id
    school_class = SchoolClass(
        course=course, organisation=school, owner=teacher, name="Bench class", join_code="BENCH234"
    )
    session.add(school_class)
    session.flush()
    session.execute(
        sa.insert(User),
        [
            {
                "email": f"student{n}@bench.test",
                "display_name": f"Student {n:04d}",
                "password_hash": "x",
            }
            for n in range(students)
        ],
    )
    student_ids = session.scalars(
        sa.select(User.id).where(User.email.like("student%@bench.test"))
    ).all()
    session.execute(
        sa.insert(Enrollment),
        [
            {
                "user_id": user_id,
                "course_id": course.id,
                "class_id": school_class.id,
                "enrolled_dt": now - timedelta(days=40),
                "last_activity_dt": now - timedelta(days=rng.randint(0, 30)),
            }
            for user_id in student_ids
        ],
    )
    progress = []
    for user_id in student_ids:
        reached = rng.randint(0, lessons)
        for index, (lesson, _revision) in enumerate(lesson_rows[: reached + 1]):
            started = now - timedelta(days=rng.randint(0, 30))
            done = index < reached
            progress.append(
                {
                    "user_id": user_id,
                    "lesson_id": lesson.id,
                    "status": ProgressStatus.COMPLETED if done else ProgressStatus.STARTED,
                    "seconds_spent": rng.randint(60, 1800),
                    "started_dt": started,
                    "completed_dt": started + timedelta(hours=1) if done else None,
                }
            )
    session.execute(sa.insert(LessonProgress), progress)
    session.commit()
    return school_class.id, teacher.id


def median_ms(func, runs: int) -> float:
    func()  # warm-up: template compilation, statement caches
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        func()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=500)
    parser.add_argument("--lessons", type=int, default=60)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2019)
    args = parser.parse_args()

    from sqlalchemy import event

    from academy import create_app, migrate
    from academy.config import TestConfig
    from academy.db import db
    from academy.learning import queries
    from academy.learning.models import SchoolClass

    with tempfile.TemporaryDirectory() as folder:
        url = os.environ.get("ACADEMY_BENCH_DATABASE_URL") or (
            "sqlite:///" + str(Path(folder) / "bench.sqlite3")
        )
        app = create_app({"CONFIG_CLASS": TestConfig, "DATABASE_URL": url})
        with app.app_context():
            with db.engine.begin() as connection:
                migrate.upgrade(connection)
            started = time.perf_counter()
            class_id, teacher_id = build_world(args.students, args.lessons, args.seed)
            built = time.perf_counter() - started
            statements: list[str] = []
            event.listen(
                db.engine,
                "before_cursor_execute",
                lambda *a: statements.append(a[2]),
            )

        def read_progress() -> None:
            with app.test_request_context():
                school_class = db.session.get(SchoolClass, class_id)
                queries.class_progress(school_class)

        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = f"{teacher_id}:1"
            session["_fresh"] = True
        page_path = f"/teaching/classes/{class_id}"
        sizes = {}

        def get(path: str) -> None:
            response = client.get(path)
            assert response.status_code == 200, response.status_code
            sizes[path] = len(response.data)

        figures = {}
        for name, func in [
            ("class_progress()", read_progress),
            ("dashboard page", lambda: get(page_path)),
            ("CSV export", lambda: get(page_path + "/progress.csv")),
        ]:
            statements.clear()
            func()
            count = len(statements)
            figures[name] = (median_ms(func, args.runs), count)

        with app.app_context():
            db.engine.dispose()

    print(
        f"class of {args.students} students x {args.lessons} lessons "
        f"({db_name(url)}; setup {built:.1f} s, median of {args.runs} runs)"
    )
    for name, (ms, count) in figures.items():
        print(f"  {name:<18} {ms:8.1f} ms  {count:3d} SQL statements")
    print(f"  page size          {sizes[page_path] / 1024:8.0f} KiB")
    print(f"  CSV size           {sizes[page_path + '/progress.csv'] / 1024:8.0f} KiB")


def db_name(url: str) -> str:
    return url.split(":", 1)[0]


if __name__ == "__main__":
    main()
