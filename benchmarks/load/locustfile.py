"""Locust scenarios for Silk Road Academy; ``run.py`` starts the server and runs them.

One user class per scenario (run one class at a time, by name):

- ``Healthz``: ``GET /healthz``, the yardstick every row is compared with.
- ``LessonReader``: a logged-in learner opening a lesson page.
- ``CataloguePages``: the catalogue, a course page and "My learning".
- ``QuizAnswers``: a learner on a quiz page who saves answers (the autosave).
- ``TeacherDashboard``: the demo teacher opening the class dashboard.
- ``FirmDashboard`` and ``MarketCommands``: a student's firm page, and commands sent to
  the class market (insuring a buyer's credit; repeats are refused by the engine).
- ``ExamStartSpike``: every user logs in, waits until all have, then all press "start"
  on the same quiz within a second and open the attempt page they are sent to. The
  time at which the last one received it is written to ``LOAD_SPIKE_RESULT``.

The plan (accounts, URLs) is the JSON file named by ``LOAD_PLAN`` (see prepare.py).
"""

from __future__ import annotations

import itertools
import json
import os
import re
import time
import uuid
from pathlib import Path

import gevent
from gevent.event import Event
from locust import HttpUser, between, constant, events, task

PLAN = json.loads(Path(os.environ["LOAD_PLAN"]).read_text()) if "LOAD_PLAN" in os.environ else {}
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
FORM = re.compile(r'<form[^>]*action="([^"]+)"[^>]*>(.*?)</form>', re.S)
HIDDEN = re.compile(r'<input[^>]*type="hidden"[^>]*>')
ATTRIBUTE = re.compile(r'(name|value)="([^"]*)"')
RADIO = re.compile(r'<input[^>]*type="radio"[^>]*name="([^"]+)"[^>]*value="([^"]*)"')

_accounts = itertools.count(int(os.environ.get("LOAD_FIRST_ACCOUNT", "0")))
_arrivals = {"count": 0, "go": Event()}


def arrive(user: HttpUser) -> None:
    """Wait until every user of the run has logged in; the last one starts the clock.

    Logging in is not what a scenario measures (the spike measures it): the statistics
    are reset when the last user is ready, and the run stops ``LOAD_SECONDS`` later.
    """
    _arrivals["count"] += 1
    if _arrivals["count"] >= int(os.environ.get("LOAD_USERS", "1")):
        runner = user.environment.runner
        runner.stats.reset_all()
        _arrivals["go"].set()
        gevent.spawn_later(float(os.environ.get("LOAD_SECONDS", "20")), runner.quit)
    _arrivals["go"].wait()


def csrf_token(html: str) -> str:
    match = CSRF.search(html)
    return match.group(1) if match else ""


def hidden_fields(form_html: str) -> dict[str, str]:
    fields = {}
    for tag in HIDDEN.findall(form_html):
        attributes = dict(ATTRIBUTE.findall(tag))
        if "name" in attributes:
            fields[attributes["name"]] = attributes.get("value", "")
    return fields


class Student(HttpUser):
    abstract = True
    wait_time = constant(0)
    email = ""

    def on_start(self) -> None:
        number = next(_accounts) % PLAN["students"]
        self.email = f"load{number}@academy.test"
        self.login(self.email)
        self.ready()

    def ready(self) -> None:
        arrive(self)

    def login(self, email: str) -> None:
        page = self.client.get("/login", name="/login (form)").text
        self.client.post(
            "/login",
            data={"email": email, "password": PLAN["password"], "csrf_token": csrf_token(page)},
            name="/login",
        )


class Healthz(HttpUser):
    wait_time = constant(0)

    def on_start(self) -> None:
        arrive(self)

    @task
    def healthz(self) -> None:
        self.client.get("/healthz")


class LessonReader(Student):
    @task
    def lesson(self) -> None:
        self.client.get(PLAN["lesson"], name="lesson page")


class CataloguePages(Student):
    @task
    def catalogue(self) -> None:
        self.client.get("/courses", name="catalogue")

    @task
    def course(self) -> None:
        self.client.get(PLAN["course"], name="course page")

    @task
    def my_learning(self) -> None:
        self.client.get("/learning", name="My learning")


def start_attempt(user: HttpUser, name: str = "start attempt") -> str:
    """Press "start" on the plan's quiz; returns the attempt page's HTML."""
    page = user.client.get(PLAN["quiz"], name="quiz page").text
    response = user.client.post(
        PLAN["quiz_start"], data={"csrf_token": csrf_token(page)}, name=name
    )
    return response.text


class QuizAnswers(Student):
    def ready(self) -> None:
        html = start_attempt(self)
        match = re.search(r'data-autosave-url="([^"]+)"', html)
        self.autosave_url = match.group(1) if match else ""
        self.token = csrf_token(html)
        answers: dict[str, str] = {}
        for name, value in RADIO.findall(html):
            answers.setdefault(name, value)
        self.answers = answers
        self.positions = re.findall(r'name="positions" value="(\d+)"', html)
        arrive(self)

    @task(5)
    def autosave(self) -> None:
        if not self.autosave_url:
            return
        data = {"csrf_token": self.token, "positions": self.positions, **self.answers}
        self.client.post(self.autosave_url, data=data, name="autosave")

    @task(1)
    def quiz_page(self) -> None:
        self.client.get(PLAN["quiz"], name="quiz page")


class TeacherDashboard(HttpUser):
    wait_time = constant(0)

    def on_start(self) -> None:
        Student.login(self, "teacher@academy.test")  # type: ignore[arg-type]
        arrive(self)

    @task
    def dashboard(self) -> None:
        self.client.get(PLAN["class_dashboard"], name="class dashboard")


_traders = itertools.count(0)


class Trader(Student):
    abstract = True

    def on_start(self) -> None:
        number = next(_traders) % PLAN["traders"]
        self.email = f"load{number}@academy.test"
        self.login(self.email)
        self.ready()


class FirmDashboard(Trader):
    @task
    def firm(self) -> None:
        self.client.get(PLAN["firm"], name="firm dashboard")


class MarketCommands(Trader):
    def ready(self) -> None:
        html = self.client.get(PLAN["firm"], name="firm dashboard").text
        self.forms = [
            (action, hidden_fields(body))
            for action, body in FORM.findall(html)
            if action.endswith("/insure")
        ]
        self.turn = itertools.cycle(range(len(self.forms) or 1))
        arrive(self)

    @task
    def command(self) -> None:
        if not self.forms:
            return
        action, fields = self.forms[next(self.turn)]
        with self.client.post(
            action,
            data={**fields, "idempotency_key": uuid.uuid4().hex},
            name="market command",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            # 302: accepted; 422/409: refused by the engine (already insured): both did
            # the whole command path (lock, open, execute, write).
            if response.status_code in (302, 409, 422):
                response.success()


# --- the exam-start spike ----------------------------------------------------------------

_ready = {"count": 0, "done": 0, "go": Event(), "go_at": 0.0, "finished": []}


class ExamStartSpike(Student):
    wait_time = between(3600, 3600)  # one start each

    def ready(self) -> None:
        self.quiz_html = self.client.get(PLAN["quiz"], name="quiz page").text
        _ready["count"] += 1
        if _ready["count"] >= int(os.environ.get("LOAD_SPIKE_USERS", "500")):
            _ready["go_at"] = time.time() + 0.5
            _ready["go"].set()

    @task
    def press_start(self) -> None:
        _ready["go"].wait()
        gevent.sleep(max(0.0, _ready["go_at"] - time.time()))
        response = self.client.post(
            PLAN["quiz_start"],
            data={"csrf_token": csrf_token(self.quiz_html)},
            name="spike: start + attempt page",
        )
        ok = response.status_code == 200 and "attempt-form" in response.text
        _ready["finished"].append((time.time() - _ready["go_at"], ok))
        if len(_ready["finished"]) >= _ready["count"]:
            _write_spike_result()
            self.environment.runner.quit()


def _write_spike_result() -> None:
    path = os.environ.get("LOAD_SPIKE_RESULT")
    if not path:
        return
    finished = sorted(_ready["finished"])
    result = {
        "users": len(finished),
        "served": sum(ok for _, ok in finished),
        "last_served_s": finished[-1][0] if finished else None,
    }
    with open(path, "w") as file:
        json.dump(result, file)


@events.test_stop.add_listener
def _on_stop(**_kwargs) -> None:
    if _ready["finished"]:
        _write_spike_result()
