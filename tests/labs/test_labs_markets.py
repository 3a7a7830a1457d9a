"""Market operations: commands, rejections, idempotency, pause, firm ownership, restart."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from academy import migrate
from academy.auth import operations as auth_operations
from academy.db import db
from academy.errors import OperationError
from academy.labs import markets, queries
from academy.labs.models import CommandReceipt, MarketKind, MarketStatus, SandboxMarket
from tests.conftest import DEFAULT_PASSWORD, fresh_database_url, make_test_app
from tests.labs.conftest import SMALL_WORLD, listed_products


def _improve(act, market, user, firm_id, key=None, product=None):
    def run():
        row = db.session.get(SandboxMarket, market.id)
        product_id = product or listed_products(market.id, firm_id)[0]
        command = {"command": "ImproveListing", "product_id": product_id}
        return markets.execute_command(row, db.session.merge(user), firm_id, command, key)

    return act(run)


def _state(act, market):
    def read():
        row = db.session.get(SandboxMarket, market.id)
        receipts = db.session.scalar(
            sa.select(sa.func.count()).where(CommandReceipt.market_id == market.id)
        )
        return row.last_seq, queries.event_count(row), receipts

    return act(read)


def test_create_market_writes_the_opening_and_bot_firms(act, make_market):
    market = make_market(bots=["cautious", "sloppy"], name="Class 3 market")
    firms = act(lambda: queries.firms_of_market(db.session.get(SandboxMarket, market.id)))
    assert [(f.firm_id, f.bot, f.user_id) for f in firms] == [
        ("B001", "cautious", None),
        ("B002", "sloppy", None),
    ]
    assert market.status == MarketStatus.RUNNING
    assert market.name == "Class 3 market"
    assert market.scenario == SMALL_WORLD["scenario"] and market.seed == SMALL_WORLD["seed"]
    assert market.last_seq > SMALL_WORLD["buyers"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [({"scenario": "no_such_world"}, "scenario"), ({"bots": ["reckless"]}, "bots")],
)
def test_create_market_refuses_bad_input(make_market, overrides, field):
    with pytest.raises(OperationError) as error:
        make_market(**overrides)
    assert error.value.field == field


def test_accepted_command_writes_its_events(act, make_market, add_student_firm):
    market = make_market()
    user, firm = add_student_firm(market)
    before, _, _ = _state(act, market)
    result = _improve(act, market, user, firm.firm_id)
    assert result.ok and result.error is None
    assert [e["type"] for e in result.events] == ["ListingImproved", "JournalPosted"]
    assert result.first_seq == before + 1
    last_seq, count, _ = _state(act, market)
    assert last_seq == count == result.last_seq


def test_rejected_command_writes_nothing_and_returns_code_and_field(
    act, make_market, add_student_firm
):
    market = make_market()
    user, firm = add_student_firm(market)
    before = _state(act, market)
    result = _improve(act, market, user, firm.firm_id, key="reject-1", product="P99")
    assert not result.ok and result.events == []
    assert result.error["code"] == "PRODUCT_NOT_LISTED"
    assert result.error["field"] == "product_id"
    assert result.error["message"]
    assert _state(act, market) == before


def test_malformed_command_is_a_rejection_too(act, make_market, add_student_firm):
    market = make_market()
    user, firm = add_student_firm(market)

    def run():
        row = db.session.get(SandboxMarket, market.id)
        command = {"command": "ImproveListing", "product": "P01"}
        return markets.execute_command(row, db.session.merge(user), firm.firm_id, command)

    result = act(run)
    assert not result.ok
    assert (result.error["code"], result.error["field"]) == ("FIELD_UNKNOWN", "product")


def test_a_double_submit_is_applied_once(act, make_market, add_student_firm):
    market = make_market()
    user, firm = add_student_firm(market)
    first = _improve(act, market, user, firm.firm_id, key="form-123")
    after_first = _state(act, market)
    second = _improve(act, market, user, firm.firm_id, key="form-123")
    assert second.ok and second.replayed and not first.replayed
    assert second.events == first.events
    assert _state(act, market) == after_first
    assert after_first[2] == 1
    third = _improve(act, market, user, firm.firm_id, key="form-124")
    assert third.ok and not third.replayed and third.first_seq == first.last_seq + 1


def test_a_key_used_by_another_student_is_refused(act, make_market, add_student_firm):
    market = make_market()
    user, firm = add_student_firm(market)
    other, other_firm = add_student_firm(market)
    _improve(act, market, user, firm.firm_id, key="shared")
    with pytest.raises(OperationError) as error:
        _improve(act, market, other, other_firm.firm_id, key="shared")
    assert error.value.code == "idempotency_conflict"


@pytest.mark.parametrize("key", ["", "k" * 81])
def test_an_empty_or_overlong_key_is_refused(act, make_market, add_student_firm, key):
    market = make_market()
    user, firm = add_student_firm(market)
    before = _state(act, market)
    with pytest.raises(OperationError) as error:
        _improve(act, market, user, firm.firm_id, key=key)
    assert error.value.code == "idempotency_key_invalid"
    assert _state(act, market) == before


def test_a_paused_market_refuses_commands_and_the_clock(act, make_market, add_student_firm):
    market = make_market()
    user, firm = add_student_firm(market)
    act(lambda: markets.pause_market(db.session.get(SandboxMarket, market.id)))
    before = _state(act, market)
    with pytest.raises(OperationError) as error:
        _improve(act, market, user, firm.firm_id)
    assert error.value.code == "market_paused"
    with pytest.raises(OperationError) as error:
        act(lambda: markets.advance_market(db.session.get(SandboxMarket, market.id), 1))
    assert error.value.code == "market_paused"
    assert _state(act, market) == before
    act(lambda: markets.resume_market(db.session.get(SandboxMarket, market.id)))
    assert _improve(act, market, user, firm.firm_id).ok


def test_a_finished_market_cannot_restart(act, make_market, add_student_firm):
    market = make_market()
    user, firm = add_student_firm(market)
    act(lambda: markets.finish_market(db.session.get(SandboxMarket, market.id)))
    with pytest.raises(OperationError) as error:
        _improve(act, market, user, firm.firm_id)
    assert error.value.code == "market_finished"
    with pytest.raises(OperationError) as error:
        act(lambda: markets.resume_market(db.session.get(SandboxMarket, market.id)))
    assert error.value.code == "status_invalid"


def test_a_student_cannot_act_for_another_firm(act, make_market, add_student_firm, create_user):
    market = make_market(bots=["cautious"])
    user, firm = add_student_firm(market)
    _, other_firm = add_student_firm(market)
    outsider = create_user()
    before = _state(act, market)
    for actor, firm_id in (
        (user, other_firm.firm_id),  # a classmate's firm
        (user, "B001"),  # a bot's firm
        (outsider, firm.firm_id),  # not in this market at all
        (user, "F999"),  # no such firm
    ):
        with pytest.raises(OperationError) as error:
            _improve(act, market, actor, firm_id, product="P01")
        assert (error.value.code, error.value.field) == ("firm_not_yours", "firm_id")
    assert _state(act, market) == before


def test_a_forged_firm_id_in_the_command_is_refused(act, make_market, add_student_firm):
    market = make_market()
    user, firm = add_student_firm(market)
    _, other_firm = add_student_firm(market)

    def forged():
        row = db.session.get(SandboxMarket, market.id)
        command = {"command": "ImproveListing", "firm_id": other_firm.firm_id, "product_id": "P01"}
        return markets.execute_command(row, db.session.merge(user), firm.firm_id, command)

    with pytest.raises(OperationError) as error:
        act(forged)
    assert error.value.code == "firm_not_yours"


def test_students_cannot_found_firms_through_commands(act, make_market, add_student_firm):
    market = make_market()
    user, firm = add_student_firm(market)

    def register():
        row = db.session.get(SandboxMarket, market.id)
        command = {"command": "RegisterFirm", "name": "Shadow", "products": ["P01"]}
        return markets.execute_command(row, db.session.merge(user), firm.firm_id, command)

    with pytest.raises(OperationError) as error:
        act(register)
    assert error.value.code == "command_refused"


def test_a_student_gets_one_firm_per_market(make_market, add_student_firm):
    market = make_market()
    user, _ = add_student_firm(market)
    with pytest.raises(OperationError) as error:
        add_student_firm(market, user=user)
    assert error.value.code == "firm_exists"


def test_advance_plays_days_with_bots_and_moves_the_clock(act, make_market):
    market = make_market(bots=["aggressive"])
    summary = act(lambda: markets.advance_market(db.session.get(SandboxMarket, market.id), 5))
    assert summary["days"] == 5 and summary["sim_day"] == 5 and summary["events"] > 0
    row = act(lambda: db.session.get(SandboxMarket, market.id))
    assert row.sim_day == 5
    with pytest.raises(OperationError) as error:
        act(lambda: markets.advance_market(db.session.get(SandboxMarket, market.id), 0))
    assert error.value.field == "days"


def test_the_action_log_names_the_student(act, make_market, add_student_firm):
    market = make_market()
    user, firm = add_student_firm(market)
    _improve(act, market, user, firm.firm_id, key="log-1")
    receipts = act(
        lambda: queries.receipts_of_firm(db.session.get(SandboxMarket, market.id), firm.firm_id)
    )
    assert [(r.user_id, r.command) for r in receipts] == [(user.id, "ImproveListing")]


def test_a_restarted_app_opens_the_market_to_the_same_hash(tmp_path_factory):
    url = fresh_database_url(tmp_path_factory, "labs_restart")
    first = make_test_app(url, LABS_SNAPSHOT_EVERY=30)
    with first.app_context():
        with db.engine.begin() as connection:
            migrate.upgrade(connection)
        with db.unit_of_work():
            student = auth_operations.create_user(
                email="restart@example.test", display_name="Li Na", password=DEFAULT_PASSWORD
            )
            market = markets.create_market(
                kind=MarketKind.PRIVATE_LAB, owner=student, bots=["cautious"], **SMALL_WORLD
            )
            firm = markets.add_firm(market, display_name="Li Na Trading", user=student)
            markets.advance_market(market, 4)
            product = listed_products(market.id, firm.firm_id)[0]
            command = {"command": "ImproveListing", "product_id": product}
            assert markets.execute_command(market, student, firm.firm_id, command).ok
            markets.advance_market(market, 3)
            expected = markets.open_market(market).state_hash()
            market_id = market.id
        db.engine.dispose()

    second = make_test_app(url)
    try:
        with second.app_context():
            row = db.session.get(SandboxMarket, market_id)
            assert row.snapshot_seq > 0
            assert markets.open_market(row).state_hash() == expected
            assert markets.open_market(row, use_snapshot=False).state_hash() == expected
            assert markets.verify_market(row)["ok"]
    finally:
        with second.app_context():
            db.engine.dispose()
