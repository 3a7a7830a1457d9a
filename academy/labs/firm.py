"""Helpers behind a student's firm pages: the firm's view, the pipeline, the price helper.

Everything a student sees of a market comes from the engine's ``firm_view`` (what the
platform, the bank, the carrier and customs would show that firm) plus the public
scenario data (products, lanes, suppliers). Nothing here reads another firm's state.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from academy.labs import markets
from academy.labs.charts import firm_history, line_chart
from academy.labs.labels import (
    VALUE_FILTERS,
    RiskLevel,
    account_label,
    dispute_reason_label,
    incoterm_choices,
    mode_label,
    money_cny,
    money_usd,
    payment_choices,
    payment_label,
    receivable_part_label,
    status_label,
)
from academy.labs.models import SandboxMarket
from academy.labs.pipeline import document_choices, next_step, pipeline_of, read_credit
from academy.labs.pricing import payment_terms, quote_helper
from academy.labs.refusals import MESSAGES, engine_message
from academy.labs.world_names import world_name
from sandbox import (
    CASH,
    Market,
    apply_rate,
    booking_terms,
    diversion_on,
    document_costs,
    expected_for,
    firm_party,
    fitting_lanes,
    input_vat_rate,
)

# The page helpers that lived here before the split stay importable from this module.
__all__ = [
    "MESSAGES",
    "VALUE_FILTERS",
    "FirmPage",
    "account_label",
    "already_applied",
    "dispute_reason_label",
    "document_choices",
    "engine_message",
    "firm_history",
    "incoterm_choices",
    "line_chart",
    "load_firm_page",
    "mode_label",
    "money_cny",
    "money_usd",
    "next_step",
    "payment_choices",
    "payment_label",
    "payment_terms",
    "pipeline_of",
    "quote_helper",
    "read_credit",
    "receivable_part_label",
    "status_label",
]


@dataclass
class FirmPage:
    """What a firm page needs: the rows, the rebuilt engine market and the firm's view."""

    market: SandboxMarket
    firm_id: str
    engine: Market
    view: dict[str, Any]

    @property
    def world(self) -> Any:
        return self.engine.world

    def product_name(self, product_id: str) -> str:
        product = self.world.products.get(product_id)
        return world_name(product.name) if product else product_id

    def market_name(self, code: str) -> str:
        info = self.world.markets.get(code)
        return world_name(info.name) if info else code

    def rfq(self, rfq_id: str) -> dict[str, Any] | None:
        return next((r for r in self.view["open_rfqs"] if r["rfq_id"] == rfq_id), None)

    def contract(self, contract_id: str) -> dict[str, Any] | None:
        return next((c for c in self.view["contracts"] if c["contract_id"] == contract_id), None)

    def lanes_to(self, market_code: str) -> list[Any]:
        return sorted(
            (lane for lane in self.world.lanes.values() if lane.market == market_code),
            key=lambda lane: lane.id,
        )

    def default_lane(self, rfq: dict[str, Any]) -> str:
        """The lane a quotation starts with: the cheapest that fits the asked term and route.

        Falls back to the first lane to the buyer's market when none fits (the student
        then sees why on sending), or "" when no lane serves it.
        """
        fitting = fitting_lanes(
            self.world, rfq["product_id"], rfq["quantity"], rfq["buyer"]["market"], rfq["incoterm"]
        )
        lanes = self.lanes_to(rfq["buyer"]["market"])
        return fitting[0] if fitting else (lanes[0].id if lanes else "")

    def suppliers_of(self, product_id: str) -> list[Any]:
        return [s for s in self.world.suppliers.values() if product_id in s.products]

    def credit_hint(self, buyer: dict[str, Any]) -> dict[str, Any]:
        """What the firm can know of a buyer's credit: country risk and its insured limit."""
        info = self.world.markets.get(buyer["market"])
        risk = info.risk if info else ""
        return {
            "risk": RiskLevel.label_of(risk) if risk else "",
            "limit": self.view["credit_limits"].get(buyer["buyer_id"]),
        }

    def buyer_history(self, buyer_id: str) -> dict[str, int]:
        """The firm's own dealings with a buyer: contracts signed and quotes sent."""
        contracts = sum(1 for c in self.view["contracts"] if c["buyer_id"] == buyer_id)
        return {"contracts": contracts}

    def cash_by_currency(self) -> list[tuple[str, int]]:
        """The firm's bank balances in each currency it holds (yuan first), minor units."""
        book = self.engine.state.ledger.books.get(firm_party(self.firm_id), {})
        balances = {
            currency: amount
            for (account, currency), amount in book.items()
            if account == CASH and (amount or currency == "CNY")
        }
        balances.setdefault("CNY", 0)
        return sorted(balances.items(), key=lambda item: (item[0] != "CNY", item[0]))

    def payables(self) -> list[dict[str, Any]]:
        """What the firm owes its suppliers: goods received and not yet paid, with VAT.

        The amount is the supplier's VAT invoice (goods plus input VAT), due on the
        supplier's payment terms after the goods arrived, as the engine will pay it.
        """
        world = self.world
        rows = []
        for order in self.engine.state.purchase_orders.values():
            if order["firm_id"] != self.firm_id or order["status"] != "received":
                continue
            net = order["quantity"] * order["unit_cost"]
            supplier = world.suppliers.get(order["supplier_id"])
            rows.append(
                {
                    "po_id": order["po_id"],
                    "contract_id": order["contract_id"],
                    "supplier": supplier.name if supplier else order["supplier_id"],
                    "amount": net + apply_rate(net, input_vat_rate(world, order["product_id"])),
                    "due_day": order["received_day"] + (supplier.payment_days if supplier else 0),
                }
            )
        return sorted(rows, key=lambda row: (row["due_day"], row["po_id"]))

    def quote_outcome(self, quote: dict[str, Any]) -> dict[str, Any]:
        """Where a quotation stands: ``open``, ``deciding``, ``won`` (with the contract)
        or ``lost`` (the buyer awarded another firm or nobody)."""
        contract = next(
            (c for c in self.view["contracts"] if c.get("quote_id") == quote["quote_id"]), None
        )
        if contract is not None:
            return {"state": "won", "contract_id": contract["contract_id"]}
        rfq = self.engine.state.rfqs.get(quote["rfq_id"]) or {}
        status = rfq.get("status", "open")
        if status == "open":
            return {"state": "open", "deadline_day": rfq.get("deadline_day")}
        if status == "closed":
            return {"state": "deciding"}
        return {"state": "lost"}

    def special_cargo(self, contract: dict[str, Any]) -> dict[str, Any]:
        """Papers, cold chain and routing of the contract's booking (see ``special_cargo``)."""
        day = contract.get("departed_day")
        return special_cargo(self.world, contract, self.engine.state.day if day is None else day)

    def packing_list(self, contract: dict[str, Any]) -> dict[str, Any] | None:
        """The packing list and the freight booking of a contract, as the firm holds them.

        These are the papers a declarant copies from: packages, weights, the port of
        loading and the mode of transport. The figures come from the same rule customs
        compares the declaration with (``sandbox.expected_for``).
        """
        product = self.world.products.get(contract["product_id"])
        lane = self.world.lanes.get(contract["lane_id"])
        if product is None or lane is None:
            return None
        papers = expected_for(self.engine, self.engine.state.contracts[contract["contract_id"]])
        booking = contract.get("freight") or {}
        return {
            "freight_usd": booking.get("freight_usd"),
            "insurance_usd": booking.get("insurance_usd"),
            "special": self.special_cargo(contract),
            "packages": papers["package_count"],
            "net_weight_kg": papers["net_weight_kg"],
            "gross_weight_kg": papers["gross_weight_kg"],
            "port_of_loading": lane.origin,
            "destination": lane.destination,
            "mode": lane.mode,
            "carrier": lane.carrier,
            "days": lane.days,
        }


def special_cargo(world: Any, contract: dict[str, Any], day: int) -> dict[str, Any]:
    """What the contract's booking needs beyond dry freight, and the route's diversion.

    ``papers`` lists ``(code, fee_cny, days)`` for the dangerous-goods papers;
    ``cold_chain`` is True when the goods need a reefer or cold-chain air;
    ``diversion`` is ``(extra_low, extra_high, via)`` when the sea route is diverted.
    """
    product = world.products.get(contract["product_id"])
    lane = world.lanes.get(contract["lane_id"])
    if product is None or lane is None:
        return {"papers": [], "cold_chain": False, "diversion": None, "un_number": ""}
    terms = booking_terms(world, product, lane)
    papers = []
    for code in terms["documents"]:
        fee, days = document_costs(world, [code])
        papers.append((code, fee, days))
    return {
        "papers": papers,
        "cold_chain": terms["cold_chain"],
        "cold_chain_factor": terms["cold_chain_factor"],
        "surcharge_rate": terms["surcharge_rate"],
        "fee_usd": terms["fee_usd"],
        "un_number": product.un_number,
        "diversion": diversion_on(world, lane, world.date_of(day)),
    }


def already_applied(market: SandboxMarket, key: str | None, user_id: int) -> bool:
    """True when a command with this idempotency key was applied for this user."""
    if not key:
        return False
    import sqlalchemy as sa

    from academy.db import db
    from academy.labs.models import CommandReceipt

    return (
        db.session.scalar(
            sa.select(CommandReceipt.id).where(
                CommandReceipt.market_id == market.id,
                CommandReceipt.idempotency_key == key,
                CommandReceipt.user_id == user_id,
            )
        )
        is not None
    )


def load_firm_page(market: SandboxMarket, firm_id: str) -> FirmPage:
    """Rebuild the market (snapshot plus tail) and take the firm's own view of it."""
    engine = markets.open_market(market)
    return FirmPage(market=market, firm_id=firm_id, engine=engine, view=engine.firm_view(firm_id))
