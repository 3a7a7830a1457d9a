"""Silk Road Academy sandbox trading exchange: a deterministic, event-sourced engine.

Pure Python with no web, ORM or Flask imports. This module is the engine's public
face: a shell (the web application, the CLI, a notebook) imports what it needs from
``sandbox`` and nothing from the subpackages, which may change shape at any time.

Start with :func:`load_scenario` and :class:`Market` (``Market.open(world, store)``,
``execute(command)``, ``step()``, ``firm_view(firm_id)``); see ``sandbox/README.md``
for the model, the scenario format and the event catalogue.
"""

from sandbox.bots import BOTS, run_bots
from sandbox.bots.pricing import quote_unit_price
from sandbox.bots.strategies import Cautious, Sloppy
from sandbox.customs import duty_rate, expected_declaration, import_vat_rate, input_vat_rate
from sandbox.customs.declaration import B2B_SUPERVISION_MODES
from sandbox.engine.appliers import apply_event
from sandbox.engine.commands import (
    COMMANDS,
    InjectShock,
    RegisterFirm,
    command_from_dict,
    describe_commands,
)
from sandbox.engine.declarations import expected_for
from sandbox.engine.flows import usd_bid
from sandbox.engine.handlers.finance import forward_cover, open_exposure
from sandbox.engine.history import firm_daily_kpis
from sandbox.engine.kpis import firm_kpis
from sandbox.engine.market import Market, replay
from sandbox.engine.parties import firm_party
from sandbox.engine.settlement import money_collected
from sandbox.engine.shocks import SHOCK_KINDS, sea_ports
from sandbox.engine.state import MarketState
from sandbox.errors import CommandRejected, ReplayError, SandboxError, ScenarioError
from sandbox.events import SPEC_VERSIONS, Event
from sandbox.fx import bank_bid, forward_rate, forward_terms
from sandbox.ledger import ACCOUNTS, balance_sheet, profit_and_loss, trial_balance
from sandbox.ledger.chart import CASH
from sandbox.logistics import MODES, shipment_metrics
from sandbox.logistics.handling import (
    booking_terms,
    diversion_on,
    document_costs,
    lane_refusal,
)
from sandbox.money import FX_SCALE, apply_rate, convert
from sandbox.payments import (
    SOFT_CLAUSE_KINDS,
    TRANSPORT_DOCUMENTS,
    draft_presentation,
    examine_presentation,
    read_credit_terms,
)
from sandbox.payments.compare import PaymentTerm, collection_fees_usd, compare_payment_terms
from sandbox.payments.methods import PAYMENT_METHODS, Escrow
from sandbox.rng import rng_for
from sandbox.scenario import World, list_scenarios, load_scenario
from sandbox.store import EventStore, InMemoryEventStore, JsonLinesEventStore
from sandbox.trade import INCOTERMS, QuoteInputs, insurance_premium, price_ladder
from sandbox.trade import split as incoterm_split
from sandbox.trade.catalogue import catalogue_price
from sandbox.trade.costing import fitting_lanes, quote_inputs

__all__ = [
    "ACCOUNTS",
    "B2B_SUPERVISION_MODES",
    "BOTS",
    "CASH",
    "COMMANDS",
    "FX_SCALE",
    "INCOTERMS",
    "MODES",
    "PAYMENT_METHODS",
    "SHOCK_KINDS",
    "SOFT_CLAUSE_KINDS",
    "SPEC_VERSIONS",
    "TRANSPORT_DOCUMENTS",
    "Cautious",
    "CommandRejected",
    "Escrow",
    "Event",
    "EventStore",
    "InMemoryEventStore",
    "InjectShock",
    "JsonLinesEventStore",
    "Market",
    "MarketState",
    "PaymentTerm",
    "QuoteInputs",
    "RegisterFirm",
    "ReplayError",
    "SandboxError",
    "ScenarioError",
    "Sloppy",
    "World",
    "apply_event",
    "apply_rate",
    "balance_sheet",
    "bank_bid",
    "booking_terms",
    "catalogue_price",
    "collection_fees_usd",
    "command_from_dict",
    "compare_payment_terms",
    "convert",
    "describe_commands",
    "diversion_on",
    "document_costs",
    "draft_presentation",
    "duty_rate",
    "examine_presentation",
    "expected_declaration",
    "expected_for",
    "firm_daily_kpis",
    "firm_kpis",
    "firm_party",
    "fitting_lanes",
    "forward_cover",
    "forward_rate",
    "forward_terms",
    "import_vat_rate",
    "incoterm_split",
    "input_vat_rate",
    "insurance_premium",
    "lane_refusal",
    "list_scenarios",
    "load_scenario",
    "money_collected",
    "open_exposure",
    "price_ladder",
    "profit_and_loss",
    "quote_inputs",
    "quote_unit_price",
    "read_credit_terms",
    "replay",
    "rng_for",
    "run_bots",
    "sea_ports",
    "shipment_metrics",
    "trial_balance",
    "usd_bid",
]
