"""Run the Locust load tests against gunicorn on 127.0.0.1 and print one table.

Usage (from the repository root, with ``pip install -e '.[load]'``)::

    .venv/bin/python benchmarks/load/run.py                      # fresh SQLite file
    .venv/bin/python benchmarks/load/run.py --postgresql postgresql+psycopg://postgres@127.0.0.1:5432/postgres
    .venv/bin/python benchmarks/load/run.py --seconds 10 --only LessonReader

It builds a fresh database (a temporary SQLite file; or, with ``--postgresql URL``, a
database ``academy_load`` on that server, dropped at the end), imports the shipped
courses, seeds the demo and the load accounts (prepare.py), starts gunicorn (2 workers ×
4 threads by default) on a free loopback port, runs each scenario for ``--seconds`` at
``--users`` concurrent users (``/healthz`` first, in the same run), the exam-start spike
last, and prints per row: requests/s, p50, p95, p99 (ms), failures, and the throughput as
a share of ``/healthz``. Everything stops by itself: Locust runs are bounded by ``-t``
and a timeout, and the server is stopped at the end or on any error.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
SCENARIOS = [
    "Healthz",
    "LessonReader",
    "CataloguePages",
    "QuizAnswers",
    "TeacherDashboard",
    "FirmDashboard",
    "MarketCommands",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fresh_database(args: argparse.Namespace, folder: Path) -> str:
    if not args.postgresql:
        return f"sqlite:///{folder / 'load.sqlite3'}"
    import sqlalchemy as sa

    url = sa.engine.make_url(args.postgresql)
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql('DROP DATABASE IF EXISTS "academy_load" WITH (FORCE)')
        connection.exec_driver_sql('CREATE DATABASE "academy_load"')
    admin.dispose()
    return url.set(database="academy_load").render_as_string(hide_password=False)


def drop_database(args: argparse.Namespace) -> None:
    if not args.postgresql:
        return
    import sqlalchemy as sa

    url = sa.engine.make_url(args.postgresql)
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql('DROP DATABASE IF EXISTS "academy_load" WITH (FORCE)')
    admin.dispose()


def run(command: list[str], env: dict[str, str], timeout: float = 1800) -> None:
    subprocess.run(command, env=env, cwd=ROOT, check=True, timeout=timeout)


def wait_until_up(base: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("the server did not answer /healthz within a minute")


def locust(
    scenario: str, users: int, seconds: int, base: str, env: dict[str, str], folder: Path
) -> list[dict[str, str]]:
    prefix = folder / scenario
    command = [
        str(BIN / "locust"),
        "-f",
        str(HERE / "locustfile.py"),
        "--headless",
        "--only-summary",
        "-u",
        str(users),
        "-r",
        str(users),
        "-t",
        f"{seconds + 300}s",  # an upper bound: the run stops LOAD_SECONDS after the logins
        "--stop-timeout",
        "5",
        "--host",
        base,
        "--csv",
        str(prefix),
        scenario,
    ]
    subprocess.run(
        command,
        env={**env, "LOAD_USERS": str(users), "LOAD_SECONDS": str(seconds)},
        cwd=ROOT,
        timeout=seconds + 360,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    with open(f"{prefix}_failures.csv") as file:
        for row in csv.DictReader(file):
            print(
                f"  {scenario}: {row['Occurrences']} × {row['Method']} {row['Name']}: {row['Error']}"
            )
    with open(f"{prefix}_stats.csv") as file:
        return [row for row in csv.DictReader(file) if row["Name"] != "Aggregated"]


def worker_memory(master_pid: int) -> list[int]:
    """Resident memory (MiB) of the gunicorn workers, children of ``master_pid``."""
    sizes = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
        if fields.get("PPid", "").strip() == str(master_pid):
            sizes.append(int(fields["VmRSS"].split()[0]) // 1024)
    return sizes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgresql", metavar="URL", help="a PostgreSQL server to use")
    parser.add_argument("--seconds", type=int, default=20, help="per scenario")
    parser.add_argument("--users", type=int, default=20, help="concurrent users per scenario")
    parser.add_argument("--spike", type=int, default=500, help="students in the spike (0: skip)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--market-days", type=int, default=30)
    parser.add_argument("--only", nargs="*", help="run only these scenarios")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="academy-load-") as tmp:
        folder = Path(tmp)
        url = fresh_database(args, folder)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        env = {
            **os.environ,
            "ACADEMY_ENV": "production",
            "ACADEMY_SECRET_KEY": secrets.token_hex(32),
            "ACADEMY_SECURE_COOKIES": "0",
            "ACADEMY_DATABASE_URL": url,
            "ACADEMY_BASE_URL": base,  # production refuses to start without it
            "ACADEMY_SANDBOX_CLOCK": "off",
            "LOAD_PLAN": str(folder / "plan.json"),
        }
        academy = str(BIN / "academy")
        started = time.monotonic()
        run([academy, "db", "upgrade"], env)
        run([academy, "courses", "import", *sorted(str(p) for p in ROOT.glob("courses/*/"))], env)
        run([academy, "seed-demo"], env)
        students = max(args.spike, args.users * 2, 50)
        run(
            [
                sys.executable,
                str(HERE / "prepare.py"),
                env["LOAD_PLAN"],
                "--students",
                str(students),
                "--market-days",
                str(args.market_days),
            ],
            env,
        )
        print(f"database ready in {time.monotonic() - started:.0f} s ({url.split(':')[0]})")
        server = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "--workers",
                str(args.workers),
                "--threads",
                str(args.threads),
                "--bind",
                f"127.0.0.1:{port}",
                "--graceful-timeout",
                "5",
                "--log-level",
                "warning",
                "academy:create_app()",
            ],
            env=env,
            cwd=ROOT,
            start_new_session=True,
        )
        try:
            wait_until_up(base)
            report(args, base, env, folder, server.pid)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
            drop_database(args)


def report(
    args: argparse.Namespace, base: str, env: dict[str, str], folder: Path, server_pid: int
) -> None:
    rows: list[tuple[str, dict[str, str]]] = []
    scenarios = [s for s in SCENARIOS if not args.only or s in args.only or s == "Healthz"]
    first_account = 0
    for scenario in scenarios:
        scenario_env = {**env, "LOAD_FIRST_ACCOUNT": str(first_account)}
        first_account += args.users
        for row in locust(scenario, args.users, args.seconds, base, scenario_env, folder):
            if row["Name"].startswith("/login"):
                continue
            if scenario == "QuizAnswers" and row["Name"] == "start attempt":
                continue
            if scenario == "MarketCommands" and row["Name"] == "firm dashboard":
                continue
            rows.append((scenario, row))
    healthz = next(
        (float(r["Requests/s"]) for s, r in rows if r["Name"] == "/healthz"), float("nan")
    )
    print()
    print(f"{'page':<28}{'req/s':>9}{'p50':>8}{'p95':>8}{'p99':>8}{'fail':>7}{'÷healthz':>10}")
    for _scenario, row in rows:
        rate = float(row["Requests/s"])
        print(
            f"{row['Name'][:27]:<28}{rate:>9.1f}{row['50%']:>8}{row['95%']:>8}{row['99%']:>8}"
            f"{row['Failure Count']:>7}{rate / healthz:>9.0%} "
        )
    print("(latencies in ms; ÷healthz: requests/s as a share of /healthz in this run)")
    if args.spike and (not args.only or "ExamStartSpike" in args.only):
        spike(args, base, env, folder)
    print(f"gunicorn workers' resident memory (MiB): {worker_memory(server_pid)}")


def spike(args: argparse.Namespace, base: str, env: dict[str, str], folder: Path) -> None:
    result_path = folder / "spike.json"
    spike_env = {
        **env,
        "LOAD_SPIKE_USERS": str(args.spike),
        "LOAD_SPIKE_RESULT": str(result_path),
        "LOAD_FIRST_ACCOUNT": "0",
    }
    started = time.monotonic()
    rows = locust("ExamStartSpike", args.spike, 60, base, spike_env, folder)
    elapsed = time.monotonic() - started
    result = json.loads(result_path.read_text()) if result_path.exists() else {}
    logins = next((r for r in rows if r["Name"] == "/login"), None)
    print()
    print(f"spike: {args.spike} students")
    if logins:
        print(
            f"  logins: {logins['Request Count']} in the run, {logins['Failure Count']} failed, "
            f"p50 {logins['50%']} ms, p99 {logins['99%']} ms"
        )
    print(
        f"  start + attempt page: {result.get('served', 0)} of {result.get('users', 0)} served; "
        f"the last {result.get('last_served_s') or float('nan'):.2f} s after the common start"
    )
    print(f"  whole spike run (logins included) {elapsed:.0f} s")


if __name__ == "__main__":
    main()
