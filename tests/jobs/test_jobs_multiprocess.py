"""Many processes, one truth: 4 gunicorn workers, a queue worker and two schedulers on
one PostgreSQL database and Redis, driven by several browsers at once.

Runs only on PostgreSQL (``ACADEMY_TEST_DATABASE_URL``) with ``redis-server`` and
gunicorn installed; ``.ci/run`` provides both. It checks what one process could never
show: a command served by one worker is seen by the next page from another (the engine
cache), answers autosaved through different workers all stay, login throttling counts
across workers, two schedulers play one interval once, and a queue worker killed in
the middle of a job leaves it to be run again, once.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from academy import migrate
from academy.assessment.models import Attempt, AttemptItem, Quiz
from academy.auth import operations as auth
from academy.auth.models import Role
from academy.auth.queries import get_organisation_by_slug
from academy.catalog.models import Lesson
from academy.catalog.packages.importer import import_package
from academy.catalog.packages.reader import read_package
from academy.db import db, utcnow
from academy.jobs import enqueue, queue
from academy.jobs.models import Job, JobStatus
from academy.labs import clock, markets
from academy.labs.models import MarketKind, SandboxMarket
from academy.learning import operations as learning
from academy.learning.models import SchoolClass
from tests.assessment.conftest import write_package
from tests.conftest import DEFAULT_PASSWORD, fresh_database_url, is_postgresql, make_test_app
from tests.jobs.conftest import free_port
from tests.labs.conftest import SMALL_WORLD

BIN = Path(sys.executable).parent
WEB_WORKERS = 4

pytestmark = pytest.mark.skipif(
    not is_postgresql(os.environ.get("ACADEMY_TEST_DATABASE_URL", "sqlite://"))
    or shutil.which("gunicorn", path=str(BIN)) is None,
    reason="needs PostgreSQL (ACADEMY_TEST_DATABASE_URL) and gunicorn",
)


class Browser:
    """A cookie-keeping HTTP client that fills in CSRF tokens like a user's browser."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect()
        )

    def request(self, path: str, data: dict | None = None, headers: dict | None = None):
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, headers=headers or {})
        try:
            with self.opener.open(request, timeout=120) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace")

    def token(self, path: str) -> str:
        status, html = self.request(path)
        match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
        assert match, f"no form on {path} ({status})"
        return match.group(1)

    def login(self, email: str, password: str = DEFAULT_PASSWORD) -> int:
        token = self.token("/login")
        status, _ = self.request(
            "/login", {"email": email, "password": password, "csrf_token": token}
        )
        return status


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def start_process(arguments: list[str], environment: dict, log: Path) -> subprocess.Popen:
    with log.open("wb") as handle:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(
            arguments,
            env=environment,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def _wait_for(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def build_world(app, folder: Path, class_size: int = 3) -> dict[str, int]:
    """A class of ``class_size`` students (s0@multi.test, ...) with a quiz and a class market of
    their firms, plus a market whose hourly clock is due now; returns their ids."""
    package_root = write_package(folder / "package", "multi-course", "multi-college", "")
    with app.app_context(), db.unit_of_work():
        package, problems = read_package(package_root)
        assert problems == []
        course = import_package(package).course
        organisation = get_organisation_by_slug("multi-college")
        teacher = auth.create_user("teacher@multi.test", "Teacher", DEFAULT_PASSWORD)
        auth.add_membership(teacher, organisation, Role.TEACHER)
        school_class = learning.create_class(course, teacher, "Class M", organisation=organisation)
        students = []
        for number in range(class_size):
            student = auth.create_user(
                f"s{number}@multi.test", f"Student {number}", DEFAULT_PASSWORD
            )
            auth.add_membership(student, organisation, Role.STUDENT)
            learning.enroll(student, course, school_class)
            students.append(student)
        market = markets.create_market(
            kind=MarketKind.CLASS_MARKET,
            school_class=school_class,
            owner=teacher,
            bots=["cautious"],
            **SMALL_WORLD,
        )
        for student in students:
            markets.add_firm(market, display_name=f"{student.display_name} Co", user=student)
        scheduled = markets.create_market(kind=MarketKind.CLASS_MARKET, **SMALL_WORLD)
        clock.set_market_schedule(scheduled, 60, now=utcnow() - timedelta(minutes=61))
        lesson = db.session.scalar(sa.select(Lesson).where(Lesson.course_id == course.id))
        quiz_id = db.session.scalar(sa.select(Quiz.id).where(Quiz.lesson_id == lesson.id))
        return {"market": market.id, "scheduled": scheduled.id, "quiz": quiz_id}


@pytest.fixture
def world(tmp_path, tmp_path_factory, redis_server):
    """The database (class, quiz, class market, a scheduled market) and the processes."""
    url = fresh_database_url(tmp_path_factory, "multi")
    app = make_test_app(url, BROKER_URL=redis_server.url)
    with app.app_context(), db.engine.begin() as connection:
        migrate.upgrade(connection)
    with app.app_context():
        queue.redis_client().flushdb()
    ids = build_world(app, tmp_path)

    port = free_port()
    environment = {
        **os.environ,
        "ACADEMY_ENV": "development",
        "ACADEMY_SECRET_KEY": "multi-process-test-secret-key-0123456789",
        "ACADEMY_DATABASE_URL": url,
        "ACADEMY_BROKER_URL": redis_server.url,
        "ACADEMY_JOBS_CLOCK_SECONDS": "2",
        "ACADEMY_JOBS_VISIBILITY_TIMEOUT": "4",
        "ACADEMY_LOG_FORMAT": "json",
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"),
    }
    (tmp_path / "metrics").mkdir()
    academy = [str(BIN / "academy")]
    processes = {
        "web": start_process(
            [
                str(BIN / "gunicorn"),
                "-w",
                str(WEB_WORKERS),
                "-b",
                f"127.0.0.1:{port}",
                "--timeout",
                "120",
                "--preload",
                "academy:create_app()",
            ],
            environment,
            tmp_path / "web.log",
        ),
        "worker": start_process(
            [*academy, "worker", "--pool", "solo"], environment, tmp_path / "worker.log"
        ),
    }
    for number in (1, 2):
        processes[f"scheduler{number}"] = start_process(
            [*academy, "scheduler", "--schedule-file", str(tmp_path / f"beat{number}")],
            environment,
            tmp_path / f"scheduler{number}.log",
        )
    base = f"http://127.0.0.1:{port}"

    def healthy() -> bool:
        try:
            status, body = Browser(base).request("/healthz")
        except urllib.error.URLError:
            return False
        return status == 200 and '"worker":"ok"' in body.replace(" ", "")

    try:
        _wait_for(healthy, 240, "the web and queue workers")
        yield {
            "app": app,
            "base": base,
            "ids": ids,
            "env": environment,
            "processes": processes,
            "tmp": tmp_path,
        }
    finally:
        for process in processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def _sim_day(html: str) -> int:
    return int(re.search(r"Sim-day (\d+)", html).group(1))


def test_many_web_workers_a_queue_worker_and_two_schedulers_agree(world):
    app, base, ids = world["app"], world["base"], world["ids"]
    market_id, quiz_id = ids["market"], ids["quiz"]
    teacher = Browser(base)
    assert teacher.login("teacher@multi.test") == 302
    students = [Browser(base) for _ in range(3)]
    second_tabs = [Browser(base) for _ in range(3)]
    for number, (browser, tab) in enumerate(zip(students, second_tabs, strict=True)):
        assert browser.login(f"s{number}@multi.test") == 302
        assert tab.login(f"s{number}@multi.test") == 302

    # Each student starts the quiz; two tabs then autosave different answers at once.
    attempts = []
    for browser in students:
        page = f"/assessment/quizzes/{quiz_id}"
        status, _ = browser.request(f"{page}/start", {"csrf_token": browser.token(page)})
        assert status == 302
        status, html = browser.request(page)
        attempts.append(int(re.search(r"/assessment/attempts/(\d+)", html).group(1)))

    def autosave(browser: Browser, attempt_id: int, field: str, value: str) -> int:
        token = browser.token(f"/assessment/attempts/{attempt_id}")
        status, _ = browser.request(
            f"/assessment/attempts/{attempt_id}/autosave",
            {field: value},
            {"X-CSRFToken": token, "Accept": "application/json"},
        )
        return status

    def advance() -> list[int]:
        days = []
        for _ in range(3):
            page = f"/sandbox/teach/markets/{market_id}"
            status, _ = teacher.request(
                f"{page}/advance", {"days": 1, "csrf_token": teacher.token(page)}
            )
            assert status == 302
            # Every student's next page, whichever worker serves it, shows the new day.
            days.append(
                min(_sim_day(b.request(f"/sandbox/markets/{market_id}/firm")[1]) for b in students)
            )
        return days

    def save_rounds(browser: Browser, attempt_id: int, field: str, number: int) -> list[int]:
        # One tab saves its rounds in order, as a typing student does; the other tab and
        # the other students save at the same time, on whichever worker serves them.
        return [
            autosave(browser, attempt_id, field, f"{field} by {number}-{round_}")
            for round_ in range(3)
        ]

    with ThreadPoolExecutor(max_workers=8) as pool:
        advancing = pool.submit(advance)
        saves = [
            pool.submit(save_rounds, browser, attempt, field, number)
            for number, (attempt, browser, tab) in enumerate(
                zip(attempts, students, second_tabs, strict=True)
            )
            for browser, field in ((browser, "q5"), (tab, "q9"))
        ]
        assert [future.result() for future in saves] == [[200] * 3] * len(saves)
        assert advancing.result() == [1, 2, 3]

    with app.app_context():
        market = db.session.get(SandboxMarket, market_id)
        report = markets.verify_market(market)
        assert report["ok"], report  # gap-free events, snapshot and replay hashes equal
        for number, attempt_id in enumerate(attempts):
            items = {
                item.position: item.response
                for item in db.session.scalars(
                    sa.select(AttemptItem).where(AttemptItem.attempt_id == attempt_id)
                )
            }
            assert str(items[5]).find(f"q5 by {number}-2") >= 0, items[5]
            assert str(items[9]).find(f"q9 by {number}-2") >= 0, items[9]
        assert db.session.get(Attempt, attempts[0]).status.value == "in_progress"
        db.session.remove()

    # Login throttling counts failures on every worker: the account locks after five.
    for _ in range(6):
        assert Browser(base).login("s2@multi.test", "wrong-password-123") != 302
    assert Browser(base).login("s2@multi.test") != 302

    # One-time keys hold across workers: four posts of one rendering make one class.
    _, html = teacher.request("/teaching/classes")
    form = {
        "csrf_token": re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)[1],
        "once_key": re.search(r'name="once_key" type="hidden" value="([^"]+)"', html)[1],
        "course": re.search(r'<option[^>]* value="(\d+)"', html)[1],
        "name": "Class sent four times",
        "term": "",
    }
    with ThreadPoolExecutor(max_workers=4) as pool:
        sent = list(pool.map(lambda _: teacher.request("/teaching/classes", form)[0], range(4)))
    assert sent == [302] * 4
    with app.app_context():
        made = sa.select(sa.func.count(SchoolClass.id)).where(
            SchoolClass.name == "Class sent four times"
        )
        assert db.session.scalar(made) == 1
        db.session.remove()

    # Two schedulers, a 2-second pass: the scheduled market played its interval once.
    def scheduled_day() -> int:
        with app.app_context():
            day = db.session.get(SandboxMarket, ids["scheduled"]).sim_day
            db.session.remove()
            return day

    _wait_for(lambda: scheduled_day() == 1, 30, "the scheduled tick")
    time.sleep(5)  # more passes from both schedulers
    assert scheduled_day() == 1

    # A queue worker killed in the middle of a job: another runs it again, once.
    with app.app_context(), db.unit_of_work():
        job_id = enqueue("jobs.probe", 6).job_id
    worker = world["processes"]["worker"]
    with app.app_context():
        client = queue.redis_client()
        _wait_for(lambda: client.hlen("unacked") > 0, 30, "the worker to take the probe")
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait(timeout=10)
    world["processes"]["worker2"] = start_process(
        [str(BIN / "academy"), "worker", "--pool", "solo"], world["env"], world["tmp"] / "w2.log"
    )

    def job_status() -> JobStatus:
        with app.app_context():
            row = db.session.get(Job, job_id)
            db.session.remove()
            return row

    _wait_for(lambda: job_status().status == JobStatus.DONE, 90, "the probe to run again")
    assert job_status().runs == 1  # the killed run left nothing behind
