"""Requests per second with 1, 2 and 4 gunicorn workers (plus a queue worker) on PostgreSQL.

Usage (from the repository root; give it an empty PostgreSQL database, it is wiped)::

    ACADEMY_BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/academy_bench \\
        python benchmarks/scale_out_bench.py --seconds 20 --clients 8

It builds a class of students in a class market and a quiz, then for each worker
count starts gunicorn (``--preload``), a queue worker and a scheduler on a local
Redis (``--broker``), logs the clients in and has each loop for a fixed time over
what a student does in a lesson hour: the dashboard, the firm page, the quiz attempt
page and an autosave. It prints requests per second and latency percentiles per worker
count. Bounded: a few minutes in all; it never asserts on time.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from academy import migrate  # noqa: E402
from academy.db import db  # noqa: E402
from tests.conftest import make_test_app  # noqa: E402
from tests.jobs.conftest import free_port  # noqa: E402
from tests.jobs.test_jobs_multiprocess import Browser, build_world, start_process  # noqa: E402

BIN = Path(sys.executable).parent


def prepare(url: str, broker: str, students: int, folder: Path) -> dict:
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP SCHEMA public CASCADE")
        connection.exec_driver_sql("CREATE SCHEMA public")
    engine.dispose()
    app = make_test_app(url, BROKER_URL=broker)
    with app.app_context(), db.engine.begin() as connection:
        migrate.upgrade(connection)
    ids = build_world(app, folder, class_size=students)
    with app.app_context():
        db.engine.dispose()
    return ids


def run(workers: int, url: str, broker: str, ids: dict, args: argparse.Namespace) -> dict:
    folder = Path(tempfile.mkdtemp(prefix=f"scale-{workers}-"))
    (folder / "metrics").mkdir()
    port = free_port()
    environment = {
        **os.environ,
        "ACADEMY_ENV": "development",
        "ACADEMY_SECRET_KEY": "benchmark-secret-key-0123456789abcdef",
        "ACADEMY_DATABASE_URL": url,
        "ACADEMY_BROKER_URL": broker,
        "ACADEMY_LOG_LEVEL": "WARNING",
        "ACADEMY_LOGIN_MAX_FAILURES_PER_ADDRESS": "100000",
        "PROMETHEUS_MULTIPROC_DIR": str(folder / "metrics"),
    }
    gunicorn = [str(BIN / "gunicorn"), "-w", str(workers), "-b", f"127.0.0.1:{port}"]
    processes = [
        start_process(
            [*gunicorn, "--preload", "--timeout", "120", "academy:create_app()"],
            environment,
            folder / "web.log",
        ),
        start_process(
            [str(BIN / "academy"), "worker", "--pool", "solo"], environment, folder / "worker.log"
        ),
    ]
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            try:
                if Browser(base).request("/healthz")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.5)
        clients = []
        for number in range(args.clients):
            browser = Browser(base)
            assert browser.login(f"s{number % args.students}@multi.test") == 302
            clients.append(browser)
        return _measure(clients, ids, args.seconds)
    finally:
        for process in processes:
            os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            process.wait(timeout=60)


def _open_attempt(browser: Browser, quiz: int) -> tuple[int, str]:
    page = f"/assessment/quizzes/{quiz}"
    browser.request(f"{page}/start", {"csrf_token": browser.token(page)})
    attempt = int(re.search(r"/assessment/attempts/(\d+)", browser.request(page)[1]).group(1))
    return attempt, browser.token(f"/assessment/attempts/{attempt}")


def _measure(clients: list[Browser], ids: dict, seconds: float) -> dict:
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    market = ids["market"]
    opened = [_open_attempt(browser, ids["quiz"]) for browser in clients]  # not timed
    stop_at = time.monotonic() + seconds

    def student(browser: Browser, attempt: int, token: str) -> None:
        round_ = 0
        while time.monotonic() < stop_at:
            round_ += 1
            for path, data, headers in (
                ("/dashboard", None, None),
                (f"/sandbox/markets/{market}/firm", None, None),
                (f"/assessment/attempts/{attempt}", None, None),
                (
                    f"/assessment/attempts/{attempt}/autosave",
                    {"q5": f"answer {round_}"},
                    {"X-CSRFToken": token, "Accept": "application/json"},
                ),
            ):
                started = time.perf_counter()
                status, _ = browser.request(path, data, headers)
                elapsed = time.perf_counter() - started
                with lock:
                    latencies.append(elapsed)
                    if status >= 400:
                        errors[0] += 1

    threads = [
        threading.Thread(target=student, args=(browser, *pair))
        for browser, pair in zip(clients, opened, strict=True)
    ]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.monotonic() - began
    ordered = sorted(latencies) or [0.0]
    return {
        "requests": len(latencies),
        "per_second": len(latencies) / wall,
        "p50_ms": statistics.median(ordered) * 1000,
        "p95_ms": ordered[int(len(ordered) * 0.95)] * 1000,
        "errors": errors[0],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", default="1,2,4", help="web worker counts to try")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--students", type=int, default=8)
    parser.add_argument("--broker", default="redis://127.0.0.1:6379/13")
    args = parser.parse_args()
    url = os.environ.get("ACADEMY_BENCH_DATABASE_URL", "")
    if not url.startswith("postgresql"):
        sys.exit("set ACADEMY_BENCH_DATABASE_URL to an empty PostgreSQL database")
    ids = prepare(url, args.broker, args.students, Path(tempfile.mkdtemp(prefix="scale-world-")))
    print(f"{os.cpu_count()} CPUs; {args.clients} clients for {args.seconds:.0f} s per run")
    print("web workers  requests  req/s   p50 ms  p95 ms  errors")
    for workers in (int(value) for value in args.workers.split(",")):
        result = run(workers, url, args.broker, ids, args)
        print(
            f"{workers:>11}  {result['requests']:>8}  {result['per_second']:>5.1f}  "
            f"{result['p50_ms']:>7.0f}  {result['p95_ms']:>6.0f}  {result['errors']:>6}"
        )


if __name__ == "__main__":
    main()
