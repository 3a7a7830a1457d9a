"""A firm's FX desk, its disputes page, the live clock and the readable pipeline.

The fixture plays a small market with three bot firms for 40 sim-days and then hands
the cautious bot's firm B001 to a student, so the pages have contracts, receivables
and payments to show (the bot strategy keeps playing it when the clock moves). A
dispute is opened on one of its contracts by emitting the engine's own
``DisputeOpened`` event, as the day's arrivals would.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
import sqlalchemy as sa

from academy.auth.models import Role
from academy.db import db
from academy.labs import desk, markets
from academy.labs.firm import load_firm_page, payment_label, pipeline_of
from academy.labs.models import FirmMember, MarketEvent, MarketFirm, SandboxMarket
from tests.conftest import login_as

# B001 is the sloppy bot: it never answers disputes (the engine keeps playing it after
# the hand-over), and with 120 buyers comparing offers it holds several open orders.
BOTS = ("sloppy", "cautious", "aggressive")
FIRM = "B001"


def _hand_over(market_id: int, firm_id: str, user_id: int) -> None:
    firm = db.session.scalar(
        sa.select(MarketFirm).where(
            MarketFirm.market_id == market_id, MarketFirm.firm_id == firm_id
        )
    )
    firm.user_id, firm.bot = user_id, None
    db.session.add(FirmMember(market_id=market_id, firm=firm, user_id=user_id))


def _open_dispute(market_id: int, claim_rate: float = 0.2) -> tuple[str, dict]:
    def open_one(engine) -> tuple[str, dict]:
        contract = next(
            c
            for c in engine.state.contracts.values()
            if c["firm_id"] == FIRM and c["status"] == "active" and not c["dispute_id"]
        )
        dispute_id = engine.state.next_id("dispute", "D", 6)
        engine.emit(
            "DisputeOpened",
            {
                "dispute_id": dispute_id,
                "contract_id": contract["contract_id"],
                "reason": "quality",
                "claim_rate": claim_rate,
                "merit": 0.5,
            },
        )
        engine.flush()
        return dispute_id, {"contract_id": contract["contract_id"], "amount": contract["amount"]}

    return markets.operate(db.session.get(SandboxMarket, market_id), open_one)


@pytest.fixture
def played(app, act, create_user, make_market):
    """A market played 40 days by bots; a student runs bot firm B001 from then on."""
    student = create_user(roles=[Role.STUDENT])
    market = make_market(buyers=120, bots=BOTS)
    act(lambda: markets.advance_market(db.session.get(SandboxMarket, market.id), 40))
    act(_hand_over, market.id, FIRM, student.id)
    return {"student": student, "market": market.id}


@pytest.fixture
def disputed(app, act, played):
    dispute_id, contract = act(_open_dispute, played["market"])
    return {**played, "dispute": dispute_id, "contract": contract}


def _client(app, user):
    client = app.test_client()
    login_as(client, user)
    return client


def _hidden(page: str, name: str) -> str:
    found = re.search(rf'name="{name}"[^>]*value="([^"]*)"', page) or re.search(
        rf'value="([^"]*)"[^>]*name="{name}"', page
    )
    assert found, name
    return found.group(1)


def _view(app, market_id):
    with app.app_context():
        return markets.open_market(db.session.get(SandboxMarket, market_id)).firm_view(FIRM)


def _events(app, market_id, type_):
    with app.app_context():
        return [
            row.data
            for row in db.session.scalars(
                sa.select(MarketEvent)
                .where(MarketEvent.market_id == market_id, MarketEvent.type == type_)
                .order_by(MarketEvent.seq)
            )
        ]


def _field_error(page: str, field: str) -> str:
    found = re.search(rf'id="{field}-error"[^>]*>(.*?)</p>', page, re.S)
    return found.group(1) if found else ""


# --- the FX desk ---------------------------------------------------------------------


def _fx_path(world):
    return f"/sandbox/markets/{world['market']}/firm/fx"


def _firm_page(row: SandboxMarket):
    return load_firm_page(row, FIRM)


def _uncovered(app, world) -> int:
    with app.app_context():
        row = db.session.get(SandboxMarket, world["market"])
        return desk.fx_desk(_firm_page(row), row)["uncovered"]


def test_fx_desk_shows_rates_exposure_forwards_and_the_quote(app, played):
    view = _view(app, played["market"])
    response = _client(app, played["student"]).get(_fx_path(played))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    for code, rate in view["fx"].items():
        assert f'<th scope="row">{code}</th>' in page
        assert desk.format_rate(rate) in page
    assert page.count("<polyline") >= 2  # the USD chart and the change chart
    open_contracts = [
        c for c in view["contracts"] if c["status"] == "active" and c["amount"] > c["paid_usd"]
    ]
    assert open_contracts, "the bot firm should have open receivables after 40 days"
    for contract in open_contracts:
        assert contract["contract_id"] in page
    assert "For 30 days the bank would give you" in page
    assert 'name="amount"' in page and 'name="days"' in page


def test_a_forward_within_the_exposure_is_booked_once(app, played, no_csrf):
    client = _client(app, played["student"])
    page = client.get(_fx_path(played)).get_data(as_text=True)
    uncovered = _uncovered(app, played)
    assert uncovered > 100
    before = len(_events(app, played["market"], "ForwardBooked"))
    data = {
        "firm_id": _hidden(page, "firm_id"),
        "idempotency_key": _hidden(page, "idempotency_key"),
        "amount": f"{uncovered // 2 / 100:.2f}",
        "days": "60",
    }
    first = client.post(_fx_path(played), data=data)
    second = client.post(_fx_path(played), data=data)
    assert first.status_code == 302 and second.status_code == 302
    booked = _events(app, played["market"], "ForwardBooked")
    assert len(booked) == before + 1
    assert booked[-1]["firm_id"] == FIRM and booked[-1]["amount"] == uncovered // 2
    after = client.get(_fx_path(played)).get_data(as_text=True)
    assert booked[-1]["forward_id"] in after
    assert desk.format_rate(booked[-1]["rate"]) in after


@pytest.mark.parametrize(("typed", "cents"), [("0.29", 29), ("12.345", 1235), ("1,000.1", 100010)])
def test_a_forward_amount_is_read_exactly_and_rounded_half_up(app, played, no_csrf, typed, cents):
    client = _client(app, played["student"])
    page = client.get(_fx_path(played)).get_data(as_text=True)
    assert _uncovered(app, played) > cents
    data = {
        "firm_id": _hidden(page, "firm_id"),
        "idempotency_key": _hidden(page, "idempotency_key"),
        "amount": typed,
        "days": "30",
    }
    assert client.post(_fx_path(played), data=data).status_code == 302
    assert _events(app, played["market"], "ForwardBooked")[-1]["amount"] == cents


def test_a_forward_beyond_the_exposure_is_refused_on_the_amount(app, played, no_csrf):
    client = _client(app, played["student"])
    page = client.get(_fx_path(played)).get_data(as_text=True)
    before = len(_events(app, played["market"], "ForwardBooked"))
    data = {
        "firm_id": _hidden(page, "firm_id"),
        "idempotency_key": _hidden(page, "idempotency_key"),
        "amount": f"{(_uncovered(app, played) + 100) / 100:.2f}",
        "days": "30",
    }
    response = client.post(_fx_path(played), data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "only against real trade" in _field_error(page, "amount")
    assert len(_events(app, played["market"], "ForwardBooked")) == before


@pytest.mark.parametrize(
    ("amount", "days", "field", "message"),
    [
        ("100.00", "3", "days", "7 to 180 days"),
        ("100.00", "", "days", "Enter the tenor"),
        ("-5", "30", "amount", "must be positive"),
        ("lots", "30", "amount", ""),
        ("Infinity", "30", "amount", "Enter a number"),
        ("NaN", "30", "amount", "Enter a number"),
        ("sNaN", "30", "amount", "Enter a number"),
        ("1e30", "30", "amount", "at most"),
        ("2000000000", "30", "amount", "from 0.01 to"),
    ],
)
def test_bad_forward_input_is_shown_on_its_field(
    app, played, no_csrf, amount, days, field, message
):
    client = _client(app, played["student"])
    page = client.get(_fx_path(played)).get_data(as_text=True)
    before = len(_events(app, played["market"], "ForwardBooked"))
    data = {
        "firm_id": _hidden(page, "firm_id"),
        "idempotency_key": _hidden(page, "idempotency_key"),
        "amount": amount,
        "days": days,
    }
    response = client.post(_fx_path(played), data=data)
    assert response.status_code == 422
    error = _field_error(response.get_data(as_text=True), field)
    assert error and message in error
    assert len(_events(app, played["market"], "ForwardBooked")) == before


# --- disputes ------------------------------------------------------------------------


def _disputes_path(world):
    return f"/sandbox/markets/{world['market']}/firm/disputes"


def test_disputes_page_shows_the_claim_and_the_trade_assurance_timeline(app, disputed):
    day = _view(app, disputed["market"])["day"]
    page = _client(app, disputed["student"]).get(_disputes_path(disputed)).get_data(as_text=True)
    section = page.split(f'id="{disputed["dispute"]}"')[1].split("</section>")[0]
    assert disputed["contract"]["contract_id"] in section
    assert "Quality below the buyer" in section
    claim = disputed["contract"]["amount"] * 20 // 100
    assert f"${claim / 100:,.2f}" in section
    # opened → response window (3 days) → buyer may escalate (day 4) → automatic (day 7)
    for offset in (0, 3, 4, 7):
        assert f"day {day + offset}" in section
    assert "Response window" in section and "automatically" in section
    assert 'name="refund_rate"' in section
    assert "merit" not in section.lower()


def _offer(client, world, rate: str):
    page = client.get(_disputes_path(world)).get_data(as_text=True)
    form = page.split(f'id="{world["dispute"]}"')[1].split("</form>")[0]
    data = {
        "firm_id": _hidden(form, "firm_id"),
        "idempotency_key": _hidden(form, "idempotency_key"),
        "refund_rate": rate,
    }
    path = _disputes_path(world) + f"/{world['dispute']}/resolve"
    return client.post(path, data=data)


def test_an_offer_below_sixty_percent_of_the_claim_is_refused_on_the_field(app, disputed, no_csrf):
    response = _offer(_client(app, disputed["student"]), disputed, "10")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "refuses an offer this low" in _field_error(page, "refund_rate")
    assert _events(app, disputed["market"], "DisputeResolved") == []


def test_an_acceptable_offer_resolves_the_dispute(app, disputed, no_csrf):
    response = _offer(_client(app, disputed["student"]), disputed, "15")
    assert response.status_code == 302
    resolved = [
        e
        for e in _events(app, disputed["market"], "DisputeResolved")
        if e["dispute_id"] == disputed["dispute"]
    ]
    assert len(resolved) == 1 and resolved[0]["by"] == "seller"
    assert resolved[0]["refund"] == disputed["contract"]["amount"] * 15 // 100
    page = _client(app, disputed["student"]).get(_disputes_path(disputed)).get_data(as_text=True)
    section = page.split(f'id="{disputed["dispute"]}"')[1].split("</section>")[0]
    assert "Resolved by your firm" in section and 'name="refund_rate"' not in section


@pytest.mark.parametrize("rate", ["150", "-1", "", "abc"])
def test_an_invalid_refund_is_refused_before_the_engine(app, disputed, no_csrf, rate):
    response = _offer(_client(app, disputed["student"]), disputed, rate)
    assert response.status_code == 422
    assert _field_error(response.get_data(as_text=True), "refund_rate")
    assert _events(app, disputed["market"], "DisputeResolved") == []


def test_an_unanswered_dispute_escalates_and_the_timeline_says_so(app, act, disputed):
    act(lambda: markets.advance_market(db.session.get(SandboxMarket, disputed["market"]), 8))
    escalated = [
        e
        for e in _events(app, disputed["market"], "DisputeEscalated")
        if e["dispute_id"] == disputed["dispute"]
    ]
    assert escalated
    page = _client(app, disputed["student"]).get(_disputes_path(disputed)).get_data(as_text=True)
    section = page.split(f'id="{disputed["dispute"]}"')[1].split("</section>")[0]
    assert "Escalated to platform arbitration by" in section
    assert 'name="refund_rate"' not in section


# --- the clock and the live pages ----------------------------------------------------


def test_clock_reports_the_market_to_its_student(app, played):
    response = _client(app, played["student"]).get(
        f"/sandbox/markets/{played['market']}/clock.json"
    )
    assert response.status_code == 200
    with app.app_context():
        row = db.session.get(SandboxMarket, played["market"])
        expected = {
            "market_id": row.id,
            "sim_day": row.sim_day,
            "last_seq": row.last_seq,
            "status": "running",
        }
    assert response.get_json() == expected


def test_clock_of_an_unknown_market_is_a_problem_document(app, played):
    response = _client(app, played["student"]).get("/sandbox/markets/999999/clock.json")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["code"] == "market_not_found"


@pytest.mark.parametrize("path", ["", "/fx", "/disputes", "/messages", "/history"])
def test_firm_pages_opt_into_live_updates_without_inline_script(app, played, path):
    page = (
        _client(app, played["student"])
        .get(f"/sandbox/markets/{played['market']}/firm{path}")
        .get_data(as_text=True)
    )
    assert f'data-live-market="{played["market"]}"' in page
    assert re.search(r'data-last-seq="\d+"', page)
    assert 'src="/static/js/sandbox-live.js?v=' in page
    assert 'data-live="firm-content"' in page
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)  # CSP: no inline script
    assert "/firm/fx" in page and "/firm/disputes" in page and "/firm/messages" in page


# --- a readable board and values -----------------------------------------------------


def test_pipeline_is_a_board_of_chips_and_payment_codes_are_named(app, played):
    view = _view(app, played["market"])
    contract = view["contracts"][0]
    page = (
        _client(app, played["student"])
        .get(f"/sandbox/markets/{played['market']}/firm/contracts/{contract['contract_id']}")
        .get_data(as_text=True)
    )
    board = page.split('class="pipeline-board"')[1].split("</ol>")[0]
    for step in pipeline_of(contract):
        assert f"pipeline-step is-{step['state']}" in board
    assert f" · {payment_label(contract['payment'])} · " in page
    assert payment_label("lc") == "L/C" and payment_label("unknown") == "unknown"


def test_forward_quote_follows_the_interest_differential(app, played):
    with app.app_context():
        page = _firm_page(db.session.get(SandboxMarket, played["market"]))
        fx = desk.fx_desk(page, page.market)
        bid = fx["usd_bid"]
        rates = page.world.fx_rules.interest
        assert desk.forward_quote(page, 6) is None and desk.forward_quote(page, 181) is None
        # Covered interest parity: bid x (1 + r_CNY x t) / (1 + r_USD x t), t = 90/365.
        years = Decimal(90) / 365
        expected = Decimal(bid) * (1 + rates["CNY"] * years) / (1 + rates["USD"] * years)
        assert desk.forward_quote(page, 90) == int(expected.quantize(Decimal(1), ROUND_HALF_UP))
        assert fx["rate_differential"] == rates["CNY"] - rates["USD"] < 0
        assert all(tenor["points_pips"] < 0 for tenor in fx["tenors"])
    assert desk.format_rate(712_345_678) == "7.1235"
    assert desk.format_rate(27_400) == "0.000274"
    assert Decimal("0.6") == desk.MIN_OFFER_SHARE


def test_teacher_market_page_carries_the_live_clock(app, create_organisation, create_user):
    from tests.labs.test_labs_teacher_access import build_class, build_market

    organisation = create_organisation()
    teacher = create_user(roles=[Role.TEACHER], organisation=organisation)
    school_class = build_class(app, teacher, organisation, [create_user()])
    market = build_market(app, school_class, teacher)
    client = _client(app, teacher)
    page = client.get(f"/sandbox/teach/markets/{market.id}").get_data(as_text=True)
    assert f'data-live-market="{market.id}"' in page
    assert f'data-clock-url="/sandbox/markets/{market.id}/clock.json"' in page
    assert 'src="/static/js/sandbox-live.js?v=' in page
    # The leaderboard and the clock card refresh in place; the event form does not.
    assert 'data-live="leaderboard"' in page and 'data-live="clock-card"' in page
    wrapper = page.split(f'data-live-market="{market.id}"')[1]
    assert 'data-live="leaderboard"' in wrapper
    clock = client.get(f"/sandbox/markets/{market.id}/clock.json")
    assert clock.status_code == 200 and clock.get_json()["sim_day"] == 0


def test_an_offer_on_an_escalated_or_unknown_dispute_changes_nothing(app, act, disputed, no_csrf):
    client = _client(app, disputed["student"])
    page = client.get(_disputes_path(disputed)).get_data(as_text=True)
    form = page.split(f'id="{disputed["dispute"]}"')[1].split("</form>")[0]
    data = {
        "firm_id": _hidden(form, "firm_id"),
        "idempotency_key": _hidden(form, "idempotency_key"),
        "refund_rate": "20",
    }
    act(lambda: markets.advance_market(db.session.get(SandboxMarket, disputed["market"]), 8))
    path = _disputes_path(disputed) + f"/{disputed['dispute']}/resolve"
    response = client.post(path, data=data)
    section = response.get_data(as_text=True).split(f'id="{disputed["dispute"]}"')[1]
    assert response.status_code == 422
    assert "no longer in negotiation" in section.split("</section>")[0]
    assert not [
        e
        for e in _events(app, disputed["market"], "DisputeResolved")
        if e["dispute_id"] == disputed["dispute"] and e["by"] == "seller"
    ]
    unknown = client.post(_disputes_path(disputed) + "/D999999/resolve", data=data)
    assert unknown.status_code == 404


def test_every_ledger_account_and_payment_method_has_a_label():
    from academy.labs.labels import LedgerAccount, PaymentMethod, PaymentTerms, account_label
    from sandbox.ledger.chart import ACCOUNTS
    from sandbox.payments.methods import PAYMENT_METHODS

    assert set(LedgerAccount) == set(ACCOUNTS)
    for key, account in ACCOUNTS.items():
        assert account_label(key) == account.name  # English: the chart's own name
    assert set(PaymentMethod) == set(PAYMENT_METHODS) == set(PaymentTerms)


def test_every_firm_page_renders_in_chinese(app, act, disputed, no_csrf):
    """A translation that breaks a page's formatting shows only in Chinese: open them all."""
    client = _client(app, disputed["student"])
    client.post("/language", data={"locale": "zh_Hans", "next": "/dashboard"})

    def open_rfq_and_contract():
        view = markets.open_market(db.session.get(SandboxMarket, disputed["market"])).firm_view(
            FIRM
        )
        rfq = view["open_rfqs"][0]["rfq_id"] if view["open_rfqs"] else None
        return rfq, view["contracts"][0]["contract_id"]

    rfq_id, contract_id = act(open_rfq_and_contract)
    base = f"/sandbox/markets/{disputed['market']}/firm"
    paths = [
        base,
        f"{base}/history",
        f"{base}/fx",
        f"{base}/disputes",
        f"{base}/messages",
        f"{base}/contracts/{contract_id}",
    ]
    if rfq_id:
        paths.append(f"{base}/rfqs/{rfq_id}/quote")
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        assert 'lang="zh' in response.get_data(as_text=True), path
    # A refused offer formats its message in Chinese too.
    page = client.get(f"{base}/disputes").get_data(as_text=True)
    form = page.split(f'id="{disputed["dispute"]}"')[1].split("</form>")[0]
    data = dict(re.findall(r'name="([^"]+)"[^>]*value="([^"]*)"', form))
    data["refund_rate"] = "150"
    response = client.post(f"{base}/disputes/{disputed['dispute']}/resolve", data=data)
    assert response.status_code in (400, 422)
    assert "60%" in response.get_data(as_text=True)
