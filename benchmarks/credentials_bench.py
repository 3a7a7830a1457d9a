"""Benchmark certificates: signing, verification and the talent-pool search (prints figures).

Usage (from the repository root)::

    python benchmarks/credentials_bench.py                       # 10,000 / 10,000 / 100,000
    python benchmarks/credentials_bench.py --certificates 1000 --holders 10000
    ACADEMY_BENCH_DATABASE_URL=postgresql+psycopg://... python benchmarks/credentials_bench.py

It builds a throwaway database (a temporary SQLite file unless a URL is given; the
PostgreSQL database is used as it is, so give it an empty one) and reports:

- issuing: ``issue_certificate`` N times (serial, snapshot, OB 3.0 credential signed with
  Ed25519, status index), committed in batches of 500, as certificates per second; and
  the signature alone;
- verifying: ``verify_credential`` on the N credentials (JWS signature against the
  issuer's JWKS, dates, the status bit), with the issuer's JWKS and status list fetched
  once and reused as a verifier checking a batch would; plus one fresh fetch of the
  signed status list (built from the database) timed separately;
- searching: ``search_pool`` over H opted-in holders with seeded random criteria
  (level, one or two units, province, language, availability), p50 and p95 of 300
  searches after a warm-up.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

LEVELS = ["L1", "L2", "L3"]
UNITS = [f"U{n}" for n in range(1, 13)]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def bench_issue(count: int) -> tuple[list[str], float, float]:
    from academy.auth.models import Organisation, OrganisationKind, User
    from academy.credentials import keys, operations, signing
    from academy.credentials.models import CredentialIssuer
    from academy.db import db

    association = Organisation(
        slug="bench-association", name="Bench Association", kind=OrganisationKind.ASSOCIATION
    )
    holder = User(email="holder@bench.test", display_name="Bench Holder", password_hash="x")
    db.session.add_all([association, holder])
    db.session.commit()
    units = [operations.Unit(code, f"Unit {code}", f"单元 {code}") for code in UNITS[:4]]
    tokens: list[str] = []
    started = time.perf_counter()
    for number in range(count):
        certificate = operations.issue_certificate(
            association=association,
            holder=holder,
            holder_name=f"Holder {number}",
            standard_code="BENCH",
            standard_version="2026",
            standard_title_en="Bench standard",
            standard_title_zh="基准标准",
            level_code=LEVELS[number % 3],
            level_name_en="Level",
            level_name_zh="等级",
            units=units,
            issued_date=date(2026, 12, 1),
        )
        tokens.append(certificate.credential_jwt)
        if number % 500 == 499:
            db.session.commit()
            db.session.expunge_all()
            association = db.session.merge(association)
            holder = db.session.merge(holder)
    db.session.commit()
    issue_seconds = time.perf_counter() - started

    issuer = db.session.query(CredentialIssuer).one()
    key = keys.active_key(issuer)
    document = {"name": "x" * 1500}
    runs = min(count, 2000)
    started = time.perf_counter()
    for _ in range(runs):
        signing.sign(document, key)
    sign_rate = runs / (time.perf_counter() - started)
    return tokens, count / issue_seconds, sign_rate


def bench_verify(app, tokens: list[str]) -> tuple[float, float]:
    from urllib.parse import urlsplit

    from academy.credentials.verification import verify_credential

    client = app.test_client()
    cache: dict[str, bytes] = {}

    def fetch(url: str) -> bytes:
        if url not in cache:
            cache[url] = client.get(urlsplit(url).path).get_data()
        return cache[url]

    verify_credential(tokens[0], fetch)
    started = time.perf_counter()
    for token in tokens:
        verify_credential(token, fetch)
    rate = len(tokens) / (time.perf_counter() - started)
    status_url = next(url for url in cache if "/status/" in url)
    fresh = []
    for _ in range(20):
        began = time.perf_counter()
        client.get(urlsplit(status_url).path)
        fresh.append((time.perf_counter() - began) * 1000)
    return rate, statistics.median(fresh)


def build_pool(holders: int, seed: int) -> None:
    import sqlalchemy as sa

    from academy.auth.models import User
    from academy.credentials.forms import LANGUAGES, PROVINCES
    from academy.credentials.models import Availability, TalentProfile, TalentUnit
    from academy.db import db, utcnow

    rng = random.Random(seed)
    provinces = [code for code, _en, _zh in PROVINCES]
    languages = [code for code, _label in LANGUAGES]
    availability = list(Availability)
    now = utcnow()
    batch = 5000
    for start in range(0, holders, batch):
        size = min(batch, holders - start)
        users = [
            {
                "email": f"pool{start + n}@bench.test",
                "display_name": f"Pooled {start + n}",
                "password_hash": "x",
                "is_site_admin": False,
                "is_enabled": True,
                "session_version": 1,
                "created_dt": now,
            }
            for n in range(size)
        ]
        db.session.execute(sa.insert(User), users)
        ids = db.session.scalars(
            sa.select(User.id)
            .where(User.email.like("pool%@bench.test"))
            .order_by(User.id.desc())
            .limit(size)
        ).all()
        profiles = []
        for user_id in ids:
            spoken = {"zh", *rng.sample(languages, rng.randint(0, 2))}
            profiles.append(
                {
                    "user_id": user_id,
                    "is_opted_in": rng.random() < 0.9,
                    "consented_dt": now,
                    "city": "",
                    "province": rng.choice(provinces),
                    "languages": "," + ",".join(sorted(spoken)) + ",",
                    "availability": rng.choice(availability),
                    "statement": "",
                    "show_name": True,
                    "show_location": True,
                    "show_highlights": True,
                    "show_courses": True,
                    "score": rng.randint(0, 80),
                    "updated_dt": now,
                }
            )
        db.session.execute(sa.insert(TalentProfile), profiles)
        profile_ids = db.session.scalars(
            sa.select(TalentProfile.id).where(TalentProfile.user_id.in_(ids))
        ).all()
        units = []
        for profile_id in profile_ids:
            level = rng.choice(LEVELS)
            for unit in rng.sample(UNITS, rng.randint(2, 6)):
                units.append({"profile_id": profile_id, "level_code": level, "unit_code": unit})
        db.session.execute(sa.insert(TalentUnit), units)
        db.session.commit()
    analyze()


def analyze() -> None:
    """Fresh planner statistics (outside a transaction, so they are kept)."""
    from academy.db import db

    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("ANALYZE")


def bench_search(seed: int, runs: int = 300) -> tuple[float, float, float]:
    from academy.credentials import queries
    from academy.credentials.forms import PROVINCES
    from academy.credentials.models import Availability

    rng = random.Random(seed + 1)
    provinces = [code for code, _en, _zh in PROVINCES]

    def criteria() -> queries.SearchCriteria:
        return queries.SearchCriteria(
            level_code=rng.choice(["", *LEVELS]),
            unit_codes=tuple(rng.sample(UNITS, rng.randint(0, 2))),
            province=rng.choice(["", *provinces]),
            language=rng.choice(["", "en", "es", "ru"]),
            availability=tuple(rng.sample(list(Availability), rng.randint(0, 2))),
        )

    for _ in range(20):
        queries.search_pool(criteria())
    timings = []
    for _ in range(runs):
        chosen = criteria()
        began = time.perf_counter()
        queries.search_pool(chosen)
        timings.append((time.perf_counter() - began) * 1000)
    return statistics.median(timings), percentile(timings, 0.95), max(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--certificates", type=int, default=10_000)
    parser.add_argument("--holders", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--search-only",
        action="store_true",
        help="only the search, on a database an earlier run filled (give its URL)",
    )
    args = parser.parse_args()

    from academy import create_app, migrate
    from academy.config import TestConfig
    from academy.db import db

    with tempfile.TemporaryDirectory() as folder:
        url = os.environ.get("ACADEMY_BENCH_DATABASE_URL") or (
            "sqlite:///" + str(Path(folder) / "bench.sqlite3")
        )
        app = create_app(
            {
                "CONFIG_CLASS": TestConfig,
                "DATABASE_URL": url,
                "BASE_URL": "http://bench.test",
            }
        )
        with app.app_context():
            with db.engine.begin() as connection:
                migrate.upgrade(connection)
            backend = db.engine.dialect.name
            print(f"database: {backend}")
            if args.search_only:
                analyze()
                p50, p95, worst = bench_search(args.seed)
                print(f"talent-pool search: p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {worst:.1f} ms")
                return
            tokens, issue_rate, sign_rate = bench_issue(args.certificates)
            print(
                f"issue {args.certificates} certificates: {issue_rate:,.0f} per second "
                f"(signature alone: {sign_rate:,.0f} per second)"
            )
            verify_rate, status_ms = bench_verify(app, tokens)
            print(
                f"verify {len(tokens)} credentials: {verify_rate:,.0f} per second; "
                f"fresh signed status list: {status_ms:.1f} ms (median)"
            )
            started = time.perf_counter()
            build_pool(args.holders, args.seed)
            print(
                f"talent pool: {args.holders} holders built in {time.perf_counter() - started:.0f} s"
            )
            p50, p95, worst = bench_search(args.seed)
            print(
                f"talent-pool search over {args.holders} holders: p50 {p50:.1f} ms, "
                f"p95 {p95:.1f} ms, max {worst:.1f} ms (300 searches)"
            )
            db.session.remove()


if __name__ == "__main__":
    main()
