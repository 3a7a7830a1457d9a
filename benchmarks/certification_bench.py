"""Benchmark a sitting's synchronised start and print figures (never asserts on time).

Usage (from the repository root)::

    python benchmarks/certification_bench.py                      # 500 candidates, 40 of 400 items
    python benchmarks/certification_bench.py --candidates 100 --workers 4 --no-practical
    ACADEMY_BENCH_DATABASE_URL=postgresql+psycopg://... python benchmarks/certification_bench.py

It builds a throwaway database (a temporary SQLite file unless a URL is given; the
PostgreSQL database is used as it is, so give it an empty one): an association with a
five-unit standard, a bank of 400 single-choice items (5 units x 4 difficulties x 20),
a published programme drawing 40 items (2 per unit x difficulty) with the demo's
practical (a private market of the Zhengzhou rail-and-air world with a bot rival) and a
written part, and a sitting of N checked-in candidates. Then every candidate presses
"Start" at once: ``--workers`` threads, each with its own session and connection (as
web workers would), call ``start_exam`` one candidate per unit of work.

Candidates are checked in first (by the same workers): check-in opens each candidate's
practical market, so the start itself only draws the theory items and creates the
written part. Figures: the time of the check-in, the time until all N are started, starts per second, the latency of one start
(median and 95th percentile), and the time of opening one practical market (median and
95th percentile), measured inside the starts.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

UNITS = ("U1", "U2", "U3", "U4", "U5")
DIFFICULTIES = (1, 2, 3, 4)


def write_standard(folder: Path, per_cell: int) -> Path:
    standard = folder / "standards" / "bench-standard"
    standard.mkdir(parents=True)
    questions = folder / "courses" / "bench" / "questions"
    questions.mkdir(parents=True)
    lines = [
        'code = "bench-standard"',
        'title = "Bench standard"',
        'title_zh = "基准标准"',
        "[[levels]]",
        'code = "intermediate"',
        'name = "Intermediate"',
        'name_zh = "中级"',
        "pass_percent = 60",
        "unit_pass_percent = 40",
    ]
    for unit in UNITS:
        lines += [
            "[[units]]",
            f'code = "{unit}"',
            f'title = "Unit {unit}"',
            f'title_zh = "单元 {unit}"',
            'evidence = ["knowledge"]',
            f'questions = ["bench/questions/{unit.lower()}.toml"]',
            "weights = { intermediate = 20 }",
        ]
        blocks = []
        for difficulty in DIFFICULTIES:
            for number in range(per_cell):
                blocks.append(
                    f'[[questions]]\nid = "d{difficulty}-{number}"\ntype = "single_choice"\ntopic = "x"\n'
                    f'difficulty = {difficulty}\nprompt = "Item {unit} {difficulty}.{number}"\n'
                    'options = [{ id = "a", text = "A", correct = true }, { id = "b", text = "B" }]\n'
                )
        (questions / f"{unit.lower()}.toml").write_text("\n".join(blocks), encoding="utf-8")
    (standard / "standard.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return standard


def build_world(
    folder: Path, candidates: int, per_cell: int, items_per_cell: int, practical: bool
) -> list[int]:
    """Create everything up to checked-in candidates; return the candidates' ids."""
    from academy.auth.models import Membership, Organisation, OrganisationKind, Role, User
    from academy.certification.demo import JUDGED_PARTS, PRACTICAL_TASKS, SCENARIO, SEED
    from academy.certification.models import Candidate, CandidateStatus
    from academy.certification.programmes.operations import create_programme, publish_programme
    from academy.certification.sittings.registration import create_sitting
    from academy.certification.standards.file import read_standard
    from academy.certification.standards.operations import import_standard, standard_bank
    from academy.db import db, utcnow

    session = db.session
    association = Organisation(
        slug="bench-association", name="Bench Association", kind=OrganisationKind.ASSOCIATION
    )
    session.add(association)
    session.flush()
    file = read_standard(write_standard(folder, per_cell), folder / "courses")
    assert not file.problems, file.problems
    standard = import_standard(association, file).standard
    programme = create_programme(
        association,
        standard,
        standard.level("intermediate"),
        "Bench programme",
        bank_id=standard_bank(association, standard.code).id,
        theory_rules=[
            {"unit": unit, "difficulty": difficulty, "count": items_per_cell}
            for unit in UNITS
            for difficulty in DIFFICULTIES
        ],
        theory_minutes=60,
        scenario=SCENARIO if practical else "",
        seed=SEED,
        bots=["cautious"],
        practical_tasks=[{**PRACTICAL_TASKS[0], "unit": "U1"}] if practical else [],
        judged_parts=[{**JUDGED_PARTS[0], "unit": "U5"}],
    )
    publish_programme(programme)
    now = utcnow()
    sitting = create_sitting(
        programme,
        title="Bench sitting",
        starts_dt=now - timedelta(minutes=1),
        ends_dt=now + timedelta(hours=3),
        seats=candidates,
    )
    users = [
        User(email=f"c{n}@bench.test", display_name=f"Candidate {n}", password_hash="x")
        for n in range(candidates)
    ]
    session.add_all(users)
    session.flush()
    session.add_all(
        Membership(user=user, organisation=association, role=Role.STUDENT) for user in users
    )
    rows = [
        Candidate(
            sitting=sitting,
            user=user,
            number=f"B{n:06d}",
            status=CandidateStatus.REGISTERED,
            registered_dt=now,
        )
        for n, user in enumerate(users)
    ]
    session.add_all(rows)
    invigilator = User(
        email="invigilator@bench.test", display_name="Invigilator", password_hash="x"
    )
    session.add(invigilator)
    session.flush()
    session.add(Membership(user=invigilator, organisation=association, role=Role.INVIGILATOR))
    return [row.id for row in rows], invigilator.id


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--candidates", type=int, default=500)
    parser.add_argument(
        "--bank-per-cell", type=int, default=20, help="items per unit x difficulty (400 in all)"
    )
    parser.add_argument(
        "--items-per-cell",
        type=int,
        default=2,
        help="items drawn per unit x difficulty (40 in all)",
    )
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--no-practical", action="store_true")
    args = parser.parse_args()

    from academy import create_app, migrate
    from academy.auth.models import User
    from academy.certification import practical
    from academy.certification.models import Candidate, CandidateStatus
    from academy.certification.sittings import delivery
    from academy.config import TestConfig
    from academy.db import db

    with tempfile.TemporaryDirectory() as folder:
        url = os.environ.get("ACADEMY_BENCH_DATABASE_URL") or (
            "sqlite:///" + str(Path(folder) / "bench.sqlite3")
        )
        app = create_app({"CONFIG_CLASS": TestConfig, "DATABASE_URL": url})
        with app.app_context():
            with db.engine.begin() as connection:
                migrate.upgrade(connection)
            built_at = time.perf_counter()
            with db.unit_of_work():
                ids, invigilator_id = build_world(
                    Path(folder),
                    args.candidates,
                    args.bank_per_cell,
                    args.items_per_cell,
                    not args.no_practical,
                )
            built = time.perf_counter() - built_at

        openings: list[float] = []
        latencies: list[float] = []
        lock = threading.Lock()
        opened = practical.open_practical

        def timed_open(*a, **k):
            began = time.perf_counter()
            try:
                return opened(*a, **k)
            finally:
                with lock:
                    openings.append(time.perf_counter() - began)

        practical.open_practical = timed_open

        def check_in(candidate_id: int) -> None:
            with app.app_context(), db.unit_of_work():
                invigilator = db.session.get(User, invigilator_id)
                delivery.check_in(db.session.get(Candidate, candidate_id), invigilator, "", True)

        began = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.workers) as pool:
            list(pool.map(check_in, ids))
        checked_in = time.perf_counter() - began
        check_in_openings = list(openings)
        openings.clear()

        def start(candidate_id: int) -> None:
            began = time.perf_counter()
            with app.app_context(), db.unit_of_work():
                delivery.start_exam(db.session.get(Candidate, candidate_id))
            with lock:
                latencies.append(time.perf_counter() - began)

        began = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.workers) as pool:
            list(pool.map(start, ids))
        total = time.perf_counter() - began

        with app.app_context():
            import sqlalchemy as sa

            sitting = db.session.scalar(
                sa.select(sa.func.count())
                .select_from(Candidate)
                .where(Candidate.status == CandidateStatus.SITTING)
            )
            engine = db.engine.dialect.name
        print(f"database: {engine}; workers: {args.workers}; world built in {built:.1f} s")
        print(
            f"candidates started: {sitting} of {len(ids)} ({args.items_per_cell * 20} items each from a bank of {args.bank_per_cell * 20})"
        )
        print(f"check-in of all (opens each practical market): {checked_in:.1f} s")
        print(f"time until all started: {total:.2f} s; starts per second: {len(ids) / total:.1f}")
        print(
            f"one start: median {statistics.median(latencies) * 1000:.0f} ms, p95 {percentile(latencies, 0.95) * 1000:.0f} ms"
        )
        openings = check_in_openings + openings
        if openings:
            print(
                f"opening a practical market: median {statistics.median(openings) * 1000:.0f} ms, "
                f"p95 {percentile(openings, 0.95) * 1000:.0f} ms"
            )


if __name__ == "__main__":
    main()
