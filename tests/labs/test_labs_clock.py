"""The scheduled clock, late joiners and single market creation.

The clock is driven with explicit ``now`` values: nothing sleeps and nothing depends
on how fast the machine is.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from academy import migrate
from academy.auth.models import Role, User
from academy.db import db
from academy.errors import OperationError
from academy.labs import clock, markets, teaching
from academy.labs.models import MarketFirm, MarketKind, MarketStatus, SandboxMarket
from academy.learning import operations as learning_operations
from academy.learning.models import SchoolClass
from tests.conftest import fresh_database_url, login_as, make_test_app
from tests.labs.conftest import SMALL_WORLD
from tests.labs.test_labs_teacher_access import build_class, build_market

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def minutes(n: float) -> timedelta:
    return timedelta(minutes=n)


@pytest.fixture
def scheduled(act, make_market):
    """Factory: a running market with a bot, a sim-day every ``every`` minutes from T0."""

    def factory(every: int = 10) -> int:
        market = make_market(bots=["cautious"])
        act(lambda: clock.set_market_schedule(markets.lock_market(market.id), every, now=T0))
        return market.id

    return factory


@pytest.fixture
def tick(app):
    """One pass of the clock at ``now``, in its own app context as a runner would."""

    def run(now: datetime) -> clock.ClockPass:
        with app.app_context():
            return clock.run_due_ticks(now)

    return run


def row_of(act, market_id: int) -> SandboxMarket:
    return act(lambda: db.session.get(SandboxMarket, market_id))


def test_a_market_is_due_only_once_its_interval_has_passed(tick, act, scheduled):
    market_id = scheduled(10)
    assert row_of(act, market_id).next_tick_dt == T0 + minutes(10)

    early = T0 + minutes(9.9)
    assert market_id not in [m.id for m in act(lambda: clock.due_markets(early))]
    assert tick(early).advanced.get(market_id) is None
    assert row_of(act, market_id).sim_day == 0

    on_time = T0 + minutes(10)
    assert market_id in [m.id for m in act(lambda: clock.due_markets(on_time))]
    result = tick(on_time)
    assert result.advanced[market_id] == 1
    row = row_of(act, market_id)
    assert row.sim_day == 1
    assert row.next_tick_dt == T0 + minutes(20)


def test_missed_intervals_are_caught_up_in_one_pass(tick, act, scheduled):
    market_id = scheduled(10)
    # Three intervals have passed (due at 08:10, 08:20, 08:30).
    assert tick(T0 + minutes(35)).advanced[market_id] == 3
    row = row_of(act, market_id)
    assert (row.sim_day, row.next_tick_dt) == (3, T0 + minutes(40))


def test_catching_up_stops_at_the_cap_and_skips_the_rest(tick, act, scheduled):
    market_id = scheduled(10)
    # Twelve intervals have passed: the pass plays the cap and waits for the next slot.
    assert tick(T0 + minutes(125)).advanced[market_id] == clock.MAX_CATCH_UP_DAYS
    row = row_of(act, market_id)
    assert row.sim_day == clock.MAX_CATCH_UP_DAYS
    assert row.next_tick_dt == T0 + minutes(130)
    assert tick(T0 + minutes(129)).advanced == {}


def test_a_paused_market_does_not_tick_and_resumes_counting_from_now(tick, act, scheduled):
    market_id = scheduled(10)
    act(lambda: markets.pause_market(markets.lock_market(market_id)))
    assert tick(T0 + minutes(60)).advanced == {}
    row = row_of(act, market_id)
    assert (row.sim_day, row.next_tick_dt, row.tick_minutes) == (0, None, 10)

    resumed = T0 + minutes(61)
    act(lambda: markets.resume_market(markets.lock_market(market_id), now=resumed))
    assert row_of(act, market_id).next_tick_dt == resumed + minutes(10)
    assert tick(resumed + minutes(5)).advanced == {}
    assert tick(resumed + minutes(10)).advanced == {market_id: 1}


def test_a_finished_market_has_no_schedule_and_refuses_one(tick, act, scheduled):
    market_id = scheduled(10)
    act(lambda: markets.finish_market(markets.lock_market(market_id)))
    assert row_of(act, market_id).next_tick_dt is None
    assert tick(T0 + minutes(60)).advanced == {}
    with pytest.raises(OperationError) as error:
        act(lambda: clock.set_market_schedule(markets.lock_market(market_id), 5, now=T0))
    assert error.value.code == "market_finished"


@pytest.mark.parametrize("every", [0, -1, 1441])
def test_an_interval_outside_1_to_1440_is_refused(act, make_market, every):
    market = make_market()
    with pytest.raises(OperationError) as error:
        act(lambda: clock.set_market_schedule(markets.lock_market(market.id), every, now=T0))
    assert error.value.field == "tick_minutes"
    assert row_of(act, market.id).tick_minutes is None


def test_turning_the_schedule_off_stops_the_ticks(tick, act, scheduled):
    market_id = scheduled(10)
    act(lambda: clock.set_market_schedule(markets.lock_market(market_id), None, now=T0))
    row = row_of(act, market_id)
    assert (row.tick_minutes, row.next_tick_dt) == (None, None)
    assert tick(T0 + minutes(60)).advanced == {}


def test_a_second_runner_at_the_same_moment_plays_nothing(tick, act, scheduled):
    market_id = scheduled(10)
    now = T0 + minutes(10)
    assert tick(now).advanced == {market_id: 1}
    assert tick(now).advanced == {}
    assert row_of(act, market_id).sim_day == 1


def test_one_failing_market_does_not_stop_the_others(tick, act, scheduled, monkeypatch, caplog):
    broken, healthy = scheduled(10), scheduled(10)
    real_advance = markets.advance_market

    def advance(market, days=1):
        result = real_advance(market, days)
        if market.id == broken:
            raise RuntimeError("disk on fire")  # after writing: the rollback must undo it
        return result

    monkeypatch.setattr(markets, "advance_market", advance)
    result = tick(T0 + minutes(10))
    assert result.failed == [broken]
    assert result.advanced == {healthy: 1}
    broken_row = row_of(act, broken)
    assert (broken_row.sim_day, broken_row.next_tick_dt) == (0, T0 + minutes(10))
    assert row_of(act, healthy).sim_day == 1
    assert "could not advance" in caplog.text
    # The failed transaction left nothing behind: the log replays to the same state.
    assert act(lambda: markets.verify_market(db.session.get(SandboxMarket, broken)))["ok"]


def test_tick_command_runs_one_pass_and_prints_a_summary(runner, act, scheduled):
    market_id = scheduled(10)
    result = runner.invoke(args=["sandbox", "tick", "--now", "2026-03-02T08:10:00Z"])
    assert result.exit_code == 0, result.output
    assert "1 advanced (1 sim-days), 0 failed" in result.output
    assert row_of(act, market_id).sim_day == 1
    result = runner.invoke(args=["sandbox", "tick", "--now", "yesterday"])
    assert result.exit_code != 0 and "ISO" in result.output


def test_runners_in_two_sessions_racing_advance_once(tmp_path_factory):
    url = fresh_database_url(tmp_path_factory, "labs_clock_race")
    app = make_test_app(url)
    try:
        with app.app_context():
            with db.engine.begin() as connection:
                migrate.upgrade(connection)
            with db.unit_of_work():
                market = markets.create_market(
                    kind=MarketKind.CLASS_MARKET, bots=["cautious"], **SMALL_WORLD
                )
                clock.set_market_schedule(market, 10, now=T0)
                market_id = market.id
        now = T0 + minutes(10)
        barrier = threading.Barrier(2)
        outcomes: list[object] = []

        def runner() -> None:
            try:
                barrier.wait(timeout=30)
                with app.app_context():
                    outcomes.append(clock.run_due_ticks(now))
            except BaseException as error:  # reported below
                outcomes.append(error)

        threads = [threading.Thread(target=runner) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert not any(thread.is_alive() for thread in threads)
        assert all(isinstance(outcome, clock.ClockPass) for outcome in outcomes), outcomes
        assert sorted(outcome.days for outcome in outcomes) == [0, 1]
        with app.app_context():
            row = db.session.get(SandboxMarket, market_id)
            assert (row.sim_day, row.next_tick_dt) == (1, T0 + minutes(20))
            assert markets.verify_market(row)["ok"]
    finally:
        with app.app_context():
            db.engine.dispose()


def test_the_clock_thread_starts_with_the_first_request_only_when_configured(
    tmp_path_factory, monkeypatch
):
    started: list[int] = []

    def fake_run_forever(app, stop, interval=30, clock=None):
        started.append(threading.get_ident())
        stop.wait(30)

    monkeypatch.setattr(clock, "run_forever", fake_run_forever)
    url = "sqlite:///" + str(tmp_path_factory.mktemp("clock_thread") / "db.sqlite3")
    quiet = make_test_app(url)
    assert quiet.config["SANDBOX_CLOCK"] == "off"
    quiet.test_client().get("/sandbox/no-such-page")
    assert "academy.labs.clock" not in quiet.extensions

    app = make_test_app(url, SANDBOX_CLOCK="thread")
    assert "academy.labs.clock" not in app.extensions  # not at create_app (CLI, reloader)
    client = app.test_client()
    client.get("/sandbox/no-such-page")
    client.get("/sandbox/no-such-page")
    state = app.extensions["academy.labs.clock"]
    try:
        assert state["thread"].daemon and state["thread"].is_alive()
        assert state["thread"].name == "academy-sandbox-clock"
    finally:
        state["stop"].set()
        state["thread"].join(timeout=30)
    assert len(started) == 1


def test_the_default_config_runs_the_clock_in_a_thread(tmp_path, monkeypatch):
    from academy.config import ConfigurationError, DevelopmentConfig, TestConfig

    monkeypatch.delenv("ACADEMY_SANDBOX_CLOCK", raising=False)
    assert DevelopmentConfig.load(str(tmp_path))["SANDBOX_CLOCK"] == "thread"
    assert TestConfig.load(str(tmp_path))["SANDBOX_CLOCK"] == "off"
    monkeypatch.setenv("ACADEMY_SANDBOX_CLOCK", "off")
    assert DevelopmentConfig.load(str(tmp_path))["SANDBOX_CLOCK"] == "off"
    monkeypatch.setenv("ACADEMY_SANDBOX_CLOCK", "sometimes")
    with pytest.raises(ConfigurationError, match="ACADEMY_SANDBOX_CLOCK"):
        DevelopmentConfig.load(str(tmp_path))


# --- the teacher's page: schedule, late joiners, single creation ----------------------------


@pytest.fixture
def school(app, create_organisation, create_user):
    organisation = create_organisation()
    teacher = create_user(roles=[Role.TEACHER], organisation=organisation)
    school_class = build_class(app, teacher, organisation, [create_user(display_name="Li Na")])
    client = app.test_client()
    login_as(client, teacher)
    return {"teacher": teacher, "class": school_class, "client": client}


def test_teacher_sets_and_stops_the_schedule_on_the_market_page(app, act, school, no_csrf):
    market = build_market(app, school["class"], school["teacher"])
    client = school["client"]
    base = f"/sandbox/teach/markets/{market.id}"
    assert "No schedule: the clock moves only when you advance it." in client.get(base).text

    response = client.post(base + "/schedule", data={"tick_minutes": "15", "save": "y"})
    assert response.status_code == 302
    row = row_of(act, market.id)
    assert row.tick_minutes == 15 and row.next_tick_dt is not None
    page = client.get(base).text
    assert f"Next sim-day at {row.next_tick_dt:%H:%M} (every 15 minutes)" in page

    response = client.post(base + "/schedule", data={"tick_minutes": "15", "stop": "y"})
    assert response.status_code == 302
    row = row_of(act, market.id)
    assert (row.tick_minutes, row.next_tick_dt) == (None, None)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0", "Choose between 1 and 1440 minutes."),
        ("1441", "Choose between 1 and 1440 minutes."),
        ("soon", "Not a valid integer value."),
        ("", "Enter the number of minutes between two sim-days."),
    ],
)
def test_a_bad_interval_is_shown_on_its_field(app, act, school, no_csrf, value, message):
    market = build_market(app, school["class"], school["teacher"])
    response = school["client"].post(
        f"/sandbox/teach/markets/{market.id}/schedule", data={"tick_minutes": value, "save": "y"}
    )
    assert response.status_code == 422
    assert 'id="tick_minutes-error"' in response.text and message in response.text
    assert row_of(act, market.id).tick_minutes is None


def test_a_finished_market_cannot_be_scheduled_from_the_page(app, act, school, no_csrf):
    market = build_market(app, school["class"], school["teacher"])
    act(lambda: markets.finish_market(markets.lock_market(market.id)))
    response = school["client"].post(
        f"/sandbox/teach/markets/{market.id}/schedule", data={"tick_minutes": "5", "save": "y"}
    )
    assert response.status_code == 422
    assert "This market has finished" in response.text
    assert row_of(act, market.id).tick_minutes is None


def _student_firms(act, market_id: int) -> dict[int, str]:
    rows = act(
        lambda: db.session.execute(
            sa.select(MarketFirm.user_id, MarketFirm.display_name).where(
                MarketFirm.market_id == market_id, MarketFirm.user_id.is_not(None)
            )
        ).all()
    )
    return dict(rows)


def test_late_joiners_get_firms_once(app, act, school, create_user, no_csrf):
    market = build_market(app, school["class"], school["teacher"])
    client = school["client"]
    base = f"/sandbox/teach/markets/{market.id}"
    assert "Every student of the class has a firm." in client.get(base).text

    late = [create_user(display_name=name) for name in ("Wang Fang", "Chen Jie")]

    def join() -> None:
        school_class = db.session.get(SchoolClass, school["class"].id)
        for student in late:
            learning_operations.join_class(db.session.get(User, student.id), school_class.join_code)

    act(join)
    page = client.get(base).text
    assert "Add firms for 2 students without one" in page

    response = client.post(base + "/add-firms", follow_redirects=True)
    assert "Firms added: 2." in response.text
    firms = _student_firms(act, market.id)
    assert len(firms) == 3
    assert firms[late[0].id] == "Wang Fang Trading"

    response = client.post(base + "/add-firms", follow_redirects=True)
    assert "Firms added: 0." in response.text
    assert _student_firms(act, market.id) == firms
    assert act(lambda: markets.verify_market(db.session.get(SandboxMarket, market.id)))["ok"]


def test_no_firms_are_added_to_a_finished_market(app, act, school, create_user, no_csrf):
    market = build_market(app, school["class"], school["teacher"])
    act(lambda: markets.finish_market(markets.lock_market(market.id)))
    late = create_user()
    act(
        lambda: learning_operations.join_class(
            db.session.get(User, late.id), db.session.get(SchoolClass, school["class"].id).join_code
        )
    )
    response = school["client"].post(
        f"/sandbox/teach/markets/{market.id}/add-firms", follow_redirects=True
    )
    assert "This market has finished" in response.text
    assert late.id not in _student_firms(act, market.id)


def _count_markets(act, class_id: int) -> int:
    return act(
        lambda: db.session.scalar(
            sa.select(sa.func.count()).where(SandboxMarket.class_id == class_id)
        )
    )


def test_the_create_form_twice_with_one_key_makes_one_market(app, act, school, no_csrf):
    client = school["client"]
    path = f"/sandbox/teach/classes/{school['class'].id}/markets"
    assert 'name="creation_key" type="hidden"' in client.get(path).text
    data = {"scenario": "exam_standard", "buyers": "20", "bot_count": "0", "creation_key": "k1"}
    first = client.post(path, data=data)
    second = client.post(path, data=data)
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert _count_markets(act, school["class"].id) == 1
    page = client.get(second.headers["Location"]).text
    assert "This market was already created; here it is." in page

    data["creation_key"] = "k2"
    assert client.post(path, data=data).headers["Location"] != first.headers["Location"]
    assert _count_markets(act, school["class"].id) == 2


def test_a_key_of_another_class_is_refused(app, act, school, no_csrf):
    other = build_class(app, school["teacher"], None)
    build_market(app, other, school["teacher"], creation_key="taken")
    path = f"/sandbox/teach/classes/{school['class'].id}/markets"
    data = {"scenario": "exam_standard", "buyers": "20", "bot_count": "0", "creation_key": "taken"}
    response = school["client"].post(path, data=data)
    assert response.status_code == 400
    assert _count_markets(act, school["class"].id) == 0


def test_a_lost_race_on_the_key_returns_the_winners_market(app, act, school, monkeypatch):
    winner = build_market(app, school["class"], school["teacher"], creation_key="raced")
    # The loser checked for the key before the winner committed: it finds nothing,
    # inserts, and hits the unique constraint.
    looked: list[str] = []
    real_lookup = teaching.market_of_creation_key

    def lookup(school_class, key):
        looked.append(key)
        return None if len(looked) == 1 else real_lookup(school_class, key)

    monkeypatch.setattr(teaching, "market_of_creation_key", lookup)

    def create() -> int:
        return teaching.create_class_market(
            db.session.get(SchoolClass, school["class"].id),
            db.session.get(User, school["teacher"].id),
            creation_key="raced",
            **SMALL_WORLD,
        ).id

    assert act(create) == winner.id
    assert _count_markets(act, school["class"].id) == 1
    assert act(lambda: db.session.get(SandboxMarket, winner.id)).status == MarketStatus.RUNNING
