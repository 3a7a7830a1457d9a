"""Messages from buyers: templates in both languages, deterministic letters, the page.

The page tests play a small market with bot firms for 40 sim-days and hand the
cautious bot's firm B001 to a student (as in test_labs_desk), so there are RFQs,
contracts, credits, shipments and payments to write about. The collector tests feed
hand-made events to check the two situations read off the day's close.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from academy.auth.models import Role
from academy.db import db
from academy.labs import markets, messages
from academy.labs.firm import load_firm_page
from academy.labs.models import FirmMember, MarketFirm, SandboxMarket
from tests.conftest import login_as

FIRM = "B001"
CJK = re.compile(r"[\u4e00-\u9fff]")
PLACEHOLDER = re.compile(r"\{(\w+)\}")


# --- templates ------------------------------------------------------------------------


@pytest.mark.parametrize("situation", sorted(messages.SITUATIONS))
def test_every_situation_has_several_bodies_in_english_and_chinese(situation):
    spec = messages.SITUATIONS[situation]
    assert len(spec["bodies"]) >= 2
    for template in (spec["subject"], *spec["bodies"]):
        assert template["en"].strip() and not CJK.search(template["en"])
        assert CJK.search(template["zh"]), template["zh"]
        # both languages say the same facts
        assert set(PLACEHOLDER.findall(template["en"])) == set(PLACEHOLDER.findall(template["zh"]))


@pytest.mark.parametrize("style", messages.STYLES)
def test_every_style_opens_and_closes_in_both_languages(style):
    for table in (messages.OPENINGS, messages.CLOSINGS):
        assert len(table[style]) >= 2
        for template in table[style]:
            assert template["en"].strip() and CJK.search(template["zh"])


def test_situations_cover_the_brief():
    assert set(messages.SITUATIONS) == {
        "rfq_posted",
        "inquiry",
        "contract_awarded",
        "lc_issued",
        "lc_amendment_accepted",
        "lc_amendment_refused",
        "shipment_departed",
        "shipment_delayed",
        "shipment_arrived",
        "shipment_lost",
        "payment_made",
        "payment_late",
        "payment_defaulted",
        "dispute_opened",
        "dispute_escalated",
        "dispute_resolved",
    }


@pytest.mark.parametrize(
    ("persona", "style"),
    [
        ({"patience": 0.2, "quality_expectation": 0.9}, "brisk"),
        ({"patience": 0.8, "quality_expectation": 0.9}, "formal"),
        ({"patience": 0.8, "quality_expectation": 0.5}, "friendly"),
    ],
)
def test_style_follows_the_persona(persona, style):
    assert messages.style_of(persona) == style


# --- rendering ------------------------------------------------------------------------

BUYER = {
    "buyer_id": "B000007",
    "market": "DE",
    "company": "Becker GmbH",
    "contact": "Jana Becker",
    "city": "Leipzig",
    "language": "de",
    "persona": {"patience": 0.8, "quality_expectation": 0.9},
}


def _message(situation: str, seq: int, **facts) -> messages.BuyerMessage:
    return messages.BuyerMessage(seq, 0, 3, situation, BUYER, {"firm": "Henan Star", **facts})


def test_the_same_message_always_reads_the_same_and_names_stay():
    market = SimpleNamespace(seed=2019)
    facts = {"contract": "C000003", "amount": "$1,000.00", "part_code": "balance"}
    first = messages.render_message(_message("payment_made", 40, **facts), market, "en")
    again = messages.render_message(_message("payment_made", 40, **facts), market, "en")
    chinese = messages.render_message(_message("payment_made", 40, **facts), market, "zh_Hans")
    assert first == again
    assert "C000003" in first["body"] and "balance" in first["body"]
    assert CJK.search(chinese["body"]) and "尾款" in chinese["body"]
    assert chinese["signature"] == first["signature"] == "Jana Becker, Becker GmbH, Leipzig"
    assert first["sign_off"] == "Mit freundlichen Grüßen"  # the buyer's own language
    assert first["style"] == "formal"


def test_the_variant_depends_on_the_market_seed_and_the_event():
    facts = {"contract": "C000003"}
    texts = {
        messages.render_message(
            _message("lc_issued", seq, **facts), SimpleNamespace(seed=seed), "en"
        )["body"]
        for seq in range(1, 30)
        for seed in (1, 2)
    }
    assert len(texts) == len(messages.SITUATIONS["lc_issued"]["bodies"])


@pytest.mark.parametrize("situation", sorted(messages.SITUATIONS))
@pytest.mark.parametrize("language", ["en", "zh"])
def test_every_situation_renders_without_empty_gaps(situation, language):
    facts = {
        "rfq": "R0000001",
        "product": "Garlic",
        "quantity": 500,
        "incoterm": "CIF",
        "payment_code": "lc",
        "deadline": 9,
        "contract": "C000001",
        "amount": "$5,000.00",
        "ship_by": 30,
        "earliest": 12,
        "latest": 20,
        "arrival": "late",
        "part_code": "deposit",
        "due": 14,
        "dispute": "D000001",
        "reason_code": "damaged",
        "claim_rate": "20 %",
        "negotiation": 3,
        "refund": "$600.00",
    }
    for seq in range(1, 6):
        text = messages.render_message(
            _message(situation, seq, **facts), SimpleNamespace(seed=7), language
        )
        for part in ("subject", "opening", "body", "closing"):
            assert text[part].strip()
            assert "{" not in text[part] and "  " not in text[part], text[part]


# --- collecting from events ----------------------------------------------------------


def _page(products=("P01",)):
    lane = SimpleNamespace(days=(10, 14))
    return SimpleNamespace(
        firm_id="F001",
        view={
            "firm": {"name": "Henan Star", "products": list(products)},
            "open_rfqs": [],
            "contracts": [{"contract_id": "C000001"}],
        },
        world=SimpleNamespace(lanes={"L1": lane}, platform={"dispute_negotiation_days": 3}),
        product_name=lambda product_id: f"Product {product_id}",
    )


CONTRACT = {
    "contract_id": "C000001",
    "firm_id": "F001",
    "buyer_id": "B000007",
    "product_id": "P01",
    "quantity": 100,
    "amount": 500_000,
    "incoterm": "CIP",
    "payment": "tt",
    "lane_id": "L1",
    "ship_by_day": 30,
}


def _collect(events):
    collector = messages._Collector(_page())
    for seq, (day, type_, data) in enumerate(events, start=1):
        collector.feed(seq, day, type_, data)
    return [m.situation for m in collector.messages]


def test_a_shipment_past_its_window_and_an_unpaid_due_date_make_messages():
    events = [
        (0, "BuyerJoined", BUYER),
        (1, "ContractSigned", CONTRACT),
        (5, "ShipmentDeparted", {"contract_id": "C000001", "arrival_day": 25, "outcome": "ok"}),
        (
            5,
            "ReceivableScheduled",
            {"contract_id": "C000001", "part": "balance", "amount": 9, "due_day": 8},
        ),
        (8, "DayClosed", {"day": 8}),
        (19, "DayClosed", {"day": 19}),
    ]
    assert _collect(events) == [
        "contract_awarded",
        "shipment_departed",
        "payment_late",
        "shipment_delayed",
    ]


def test_no_late_or_delay_message_when_paid_and_arrived_in_time():
    events = [
        (0, "BuyerJoined", BUYER),
        (1, "ContractSigned", CONTRACT),
        (5, "ShipmentDeparted", {"contract_id": "C000001", "arrival_day": 16, "outcome": "ok"}),
        (
            5,
            "ReceivableScheduled",
            {"contract_id": "C000001", "part": "balance", "amount": 9, "due_day": 8},
        ),
        (8, "PaymentReceived", {"contract_id": "C000001", "part": "balance", "amount": 9}),
        (8, "DayClosed", {"day": 8}),
        (16, "ShipmentArrived", {"contract_id": "C000001", "on_time": True, "damaged": False}),
        (19, "DayClosed", {"day": 19}),
    ]
    assert _collect(events) == [
        "contract_awarded",
        "shipment_departed",
        "payment_made",
        "shipment_arrived",
    ]


def test_other_firms_and_unlisted_products_send_nothing():
    rival = {**CONTRACT, "contract_id": "C000002", "firm_id": "F002"}
    events = [
        (0, "BuyerJoined", BUYER),
        (1, "ContractSigned", rival),
        (
            2,
            "InquirySent",
            {"inquiry_id": "I1", "buyer_id": "B000007", "firm_id": "F002", "product_id": "P01"},
        ),
        (
            2,
            "RfqPosted",
            {
                "rfq_id": "R1",
                "buyer_id": "B000007",
                "product_id": "P99",
                "quantity": 1,
                "incoterm": "FOB",
                "payment": "tt",
                "deadline_day": 9,
            },
        ),
        (3, "ShipmentDeparted", {"contract_id": "C000002"}),
    ]
    assert _collect(events) == []


# --- the page -------------------------------------------------------------------------


def _hand_over(market_id: int, user_id: int) -> None:
    firm = db.session.scalar(
        sa.select(MarketFirm).where(MarketFirm.market_id == market_id, MarketFirm.firm_id == FIRM)
    )
    firm.user_id, firm.bot = user_id, None
    db.session.add(FirmMember(market_id=market_id, firm=firm, user_id=user_id))


@pytest.fixture
def played(app, act, create_user, make_market):
    student = create_user(roles=[Role.STUDENT])
    # The aggressive bot plays B001: its thin margins win the orders whose letters we read.
    market = make_market(buyers=60, bots=("aggressive", "cautious", "sloppy"))
    act(lambda: markets.advance_market(db.session.get(SandboxMarket, market.id), 40))
    act(_hand_over, market.id, student.id)
    client = app.test_client()
    login_as(client, student)
    return {"client": client, "market": market.id}


def _inbox(app, market_id):
    with app.app_context():
        row = db.session.get(SandboxMarket, market_id)
        return messages.firm_messages(row, load_firm_page(row, FIRM))


def test_messages_page_is_newest_first_paged_and_linked(app, played):
    inbox = _inbox(app, played["market"])
    assert len(inbox) > 20, "forty days of a bot firm give more than a page of messages"
    assert [m.seq for m in inbox] == sorted((m.seq for m in inbox), reverse=True)
    situations = {m.situation for m in inbox}
    assert {"rfq_posted", "contract_awarded"} <= situations
    path = f"/sandbox/markets/{played['market']}/firm/messages"
    first = played["client"].get(path)
    page = first.get_data(as_text=True)
    assert first.status_code == 200
    assert page.count('class="message ') == 20
    assert f"{path}?page=2" in page
    newest = inbox[0]
    assert newest.buyer["contact"] in page.split('class="message ')[1]
    contract = next(m for m in inbox if m.situation == "contract_awarded")
    number = inbox.index(contract) // 20 + 1
    shown = played["client"].get(f"{path}?page={number}").get_data(as_text=True)
    link = f"/sandbox/markets/{played['market']}/firm/contracts/{contract.facts['contract']}"
    assert f'href="{link}"' in shown
    assert played["client"].get(f"{path}?page=999").status_code == 404


def test_a_reload_shows_the_same_letters(app, played):
    path = f"/sandbox/markets/{played['market']}/firm/messages"
    first = played["client"].get(path).get_data(as_text=True)
    again = played["client"].get(path).get_data(as_text=True)
    letters = re.findall(r'<li class="message .*?</li>', first, re.S)
    assert letters and letters == re.findall(r'<li class="message .*?</li>', again, re.S)


def test_messages_follow_the_interface_language(app, played, no_csrf):
    inbox = _inbox(app, played["market"])
    client = played["client"]
    client.post("/language", data={"locale": "zh_Hans", "next": "/"})
    page = client.get(f"/sandbox/markets/{played['market']}/firm/messages").get_data(as_text=True)
    first_letter = page.split('class="message ')[1].split("</li>")[0]
    assert CJK.search(first_letter)
    assert inbox[0].buyer["contact"] in first_letter  # names stay as generated
