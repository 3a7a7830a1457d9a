"""Benchmark: a class of 500 starting, answering and submitting a 40-question quiz.

Prints figures; asserts nothing. What it measures, each step a unit of work as a
request would be:

1. starting 500 attempts of a quiz that draws 40 questions at random (8 from each of
   5 topics) from a 200-question bank: attempts started per second;
2. saving answers for every attempt in four autosaves of 10 questions: the latency of
   one save (median, p95, max);
3. submitting (auto-marking) all attempts: attempts submitted per second;
4. building the class gradebook (500 students × the course's quizzes) and its CSV.

    .venv/bin/python benchmarks/gradebook_bench.py                       # SQLite file
    .venv/bin/python benchmarks/gradebook_bench.py --postgresql postgresql+psycopg://postgres@127.0.0.1:5432/postgres

With ``--postgresql URL`` the script creates (and finally drops) a database named
``academy_gradebook_bench`` on that server; it never touches another database.
"""

from __future__ import annotations

import argparse
import copy
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from academy import create_app, migrate  # noqa: E402
from academy.config import TestConfig  # noqa: E402
from academy.db import db  # noqa: E402

BENCH_DATABASE = "academy_gradebook_bench"
TOPICS = ["incoterms", "pricing", "payments", "customs", "logistics"]
SAMPLE = ROOT / "tests" / "assessment" / "sample_questions.toml"


def bank_text() -> str:
    """200 questions: the sample's eleven types, cloned across five topics."""
    from academy.assessment.questionfile import dump_question_file, parse_question_file

    templates = [
        s for s in parse_question_file(SAMPLE.read_text(encoding="utf-8")).specs
        if s["type"] != "essay"
    ]  # fmt: skip
    specs = []
    for topic in TOPICS:
        for number in range(40):
            spec = copy.deepcopy(templates[number % len(templates)])
            spec["id"] = f"{topic}-{number:03d}"
            spec["topic"] = topic
            specs.append(spec)
    return dump_question_file(specs)


def write_package(root: Path) -> Path:
    course = root / "bench-course"
    (course / "questions").mkdir(parents=True)
    (course / "01-all").mkdir()
    (course / "course.toml").write_text(
        'slug = "bench-course"\ntitle = "Benchmark course"\nsummary = "x"\n'
        'level = "introductory"\n[[partners]]\nslug = "bench-school"\n'
        'name = "Bench School"\nkind = "school"\nrole = "lead"\n',
        encoding="utf-8",
    )
    (course / "01-all" / "module.toml").write_text('title = "All"\n', encoding="utf-8")
    draws = ", ".join(f'{{ topic = "{t}", count = 8 }}' for t in TOPICS)
    for number in range(1, 6):
        (course / "01-all" / f"0{number}-quiz-{number}.md").write_text(
            f'+++\ntitle = "Quiz {number}"\nkind = "quiz"\ndraw = [{draws}]\n'
            "time_limit_minutes = 60\nshuffle_questions = true\n+++\n\nGo.\n",
            encoding="utf-8",
        )
    (course / "questions" / "bank.toml").write_text(bank_text(), encoding="utf-8")
    return course


def answers_for(item: Any) -> dict[str, Any]:
    """Plausible form fields for one item (right or wrong does not matter here)."""
    q = item.question
    name = f"q{item.position}"
    kind = q["type"]
    if kind in ("single_choice", "multiple_response"):
        return {name: q["options"][0]["id"]}
    if kind == "true_false":
        return {name: "true"}
    if kind in ("numeric", "calculation"):
        return {name: "123.45"}
    if kind == "short_text":
        return {name: "CIF"}
    if kind == "matching":
        order = q["right_order"]
        return {f"{name}-{i}": order[i % len(order)] for i in range(len(q["pairs"]))}
    if kind == "ordering":
        return {f"{name}-{item_id}": str(pos) for pos, item_id in enumerate(q["order"], 1)}
    if kind == "cloze":
        return {f"{name}-{g['id']}": str(g.get("answer", "x")) for g in q["gaps"]}
    if kind == "document_completion":
        return {f"{name}-{f['name']}": "1" for f in q["fields"]}
    return {name: "text"}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def run(url: str, students: int) -> None:
    from academy.assessment import attempts as ops
    from academy.assessment.gradebook import build_gradebook, gradebook_csv
    from academy.assessment.models import Attempt, Quiz
    from academy.auth.models import User
    from academy.catalog.models import Course
    from academy.catalog.packages.importer import import_package
    from academy.catalog.packages.reader import read_package
    from academy.learning.models import Enrollment
    from academy.learning.operations import create_class

    app = create_app({"CONFIG_CLASS": TestConfig, "DATABASE_URL": url})
    with app.app_context():
        with db.engine.begin() as connection:
            migrate.upgrade(connection)
        with tempfile.TemporaryDirectory() as folder, db.unit_of_work():
            package, problems = read_package(write_package(Path(folder)))
            assert not problems, problems
            course = import_package(package).course
            owner = User(
                email="bench-teacher@example.test", display_name="Teacher", password_hash="x"
            )
            db.session.add(owner)
            db.session.flush()
            school_class = create_class(course, owner, "Bench class")
            db.session.execute(
                sa.insert(User),
                [
                    {"email": f"s{n}@example.test", "display_name": f"Student {n:03d}",
                     "password_hash": "x"}
                    for n in range(students)
                ],
            )  # fmt: skip
            user_ids = db.session.scalars(
                sa.select(User.id).where(User.email.like("s%@example.test"))
            ).all()
            db.session.execute(
                sa.insert(Enrollment),
                [
                    {"user_id": u, "course_id": course.id, "class_id": school_class.id}
                    for u in user_ids
                ],
            )
            class_id, course_id = school_class.id, course.id
        quiz_id = db.session.scalar(sa.select(sa.func.min(Quiz.id)))
        db.session.remove()

        started = time.perf_counter()
        attempt_ids = []
        for user_id in user_ids:
            with db.unit_of_work():
                quiz = db.session.get(Quiz, quiz_id)
                attempt_ids.append(ops.start_attempt(quiz, db.session.get(User, user_id)).id)
            db.session.remove()
        start_seconds = time.perf_counter() - started

        latencies = []
        for attempt_id in attempt_ids:
            with app.app_context():
                items = db.session.get(Attempt, attempt_id).items
                pages = [items[i : i + 10] for i in range(0, len(items), 10)]
                forms = [
                    {k: v for item in page for k, v in answers_for(item).items()} for page in pages
                ]
                db.session.remove()
            for form, page in zip(forms, pages, strict=True):
                positions = [item.position for item in page]
                tick = time.perf_counter()
                with app.app_context(), db.unit_of_work():
                    result = ops.save_answers(db.session.get(Attempt, attempt_id), form, positions)
                latencies.append(time.perf_counter() - tick)
                assert not result.errors, result.errors

        started = time.perf_counter()
        for attempt_id in attempt_ids:
            with app.app_context(), db.unit_of_work():
                ops.submit_attempt(db.session.get(Attempt, attempt_id))
        submit_seconds = time.perf_counter() - started

        from academy.learning.models import SchoolClass

        timings = []
        for _ in range(3):
            with app.app_context():
                tick = time.perf_counter()
                book = build_gradebook(db.session.get(SchoolClass, class_id))
                text = gradebook_csv(book)
                timings.append(time.perf_counter() - tick)
        assert len(book.rows) == students and text.count("\n") == students + 1
        assert db.session.get(Course, course_id) is not None

    backend = sa.engine.make_url(url).get_backend_name()
    print(f"database: {backend}; {students} students, 40-question random draw from 200")
    print(f"start:    {len(attempt_ids) / start_seconds:8.1f} attempts started per second"
          f" ({start_seconds:.2f} s for {len(attempt_ids)})")  # fmt: skip
    print(f"save:     {len(latencies)} saves of 10 answers; median "
          f"{statistics.median(latencies) * 1000:.1f} ms, p95 {percentile(latencies, 0.95) * 1000:.1f} ms,"
          f" max {max(latencies) * 1000:.1f} ms")  # fmt: skip
    print(
        f"submit:   {len(attempt_ids) / submit_seconds:8.1f} attempts submitted and marked per second"
    )
    print(f"gradebook: {len(book.rows)} students × {len(book.quizzes)} quizzes built with CSV in "
          f"{min(timings) * 1000:.0f} ms (best of 3)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=500)
    parser.add_argument("--postgresql", metavar="URL", help="a PostgreSQL server to use")
    args = parser.parse_args()
    if args.postgresql:
        server = sa.engine.make_url(args.postgresql)
        admin = sa.create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{BENCH_DATABASE}" WITH (FORCE)')
            connection.exec_driver_sql(f'CREATE DATABASE "{BENCH_DATABASE}"')
        try:
            run(
                server.set(database=BENCH_DATABASE).render_as_string(hide_password=False),
                args.students,
            )
        finally:
            with admin.connect() as connection:
                connection.exec_driver_sql(
                    f'DROP DATABASE IF EXISTS "{BENCH_DATABASE}" WITH (FORCE)'
                )
            admin.dispose()
    else:
        with tempfile.TemporaryDirectory() as folder:
            run(f"sqlite:///{folder}/bench.sqlite3", args.students)


if __name__ == "__main__":
    main()
