"""Appliers for contracts, procurement, customs and shipments."""

from __future__ import annotations

from typing import Any

from sandbox.engine.appliers.platform import close_rfq, count
from sandbox.engine.state import MarketState

__all__ = [
    "contract_closed",
    "contract_signed",
    "customs_credit_changed",
    "declaration_filed",
    "declaration_released",
    "freight_booked",
    "goods_received",
    "inspection_ordered",
    "purchase_order_placed",
    "revenue_recognised",
    "shipment_arrived",
    "shipment_departed",
    "shipment_lost",
    "supplier_paid",
]


def contract_signed(state: MarketState, data: dict[str, Any]) -> None:
    """Apply ``ContractSigned``: a buyer awards a quote; the sales contract exists."""
    rfq = state.rfqs[data["rfq_id"]]
    close_rfq(state, rfq, "awarded")
    state.buyers[rfq["buyer_id"]]["open_rfq"] = None
    if data["rfq_id"] in state.awaiting_award:
        state.awaiting_award.remove(data["rfq_id"])
    state.contracts[data["contract_id"]] = {
        **data,
        "signed_day": state.day,
        "stage": "signed",
        "status": "active",
        "po_id": None,
        "freight": None,
        "declaration": None,
        "departed_day": None,
        "arrival_day": None,
        "outcome": None,
        "delay_days": 0,
        "cost": 0,
        "recognized": False,
        "revenue": 0,
        "advances_usd": 0,
        "advances_cny": 0,
        "receivable_usd": 0,
        "receivable_cny": 0,
        "paid_usd": 0,
        "receivables": [],
        "lc": None,
        "escrow_held": 0,
        "release_day": None,
        "dispute_id": None,
        "rebate": None,
        "credit_insured": False,
    }
    state.firms[data["firm_id"]]["stats"]["contracts"] += 1
    state.active_by_firm.setdefault(data["firm_id"], {})[data["contract_id"]] = None
    world = state.world
    assert world is not None
    cancel_after = int(world.events["late_shipment_cancel_days"])
    state.schedule("late_check", data["ship_by_day"] + cancel_after, data["contract_id"])
    count(state, "contract")


def purchase_order_placed(state: MarketState, data: dict[str, Any]) -> None:
    """Apply ``PurchaseOrderPlaced``: a firm buys goods from a Henan supplier."""
    state.purchase_orders[data["po_id"]] = {**data, "day": state.day, "status": "ordered"}
    state.contracts[data["contract_id"]]["po_id"] = data["po_id"]
    supplier = data["supplier_id"]
    state.supplier_load[supplier] = state.supplier_load.get(supplier, 0) + data["quantity"]
    state.schedule("goods_due", data["due_day"], data["po_id"])
    count(state, "po")


def goods_received(state: MarketState, data: dict[str, Any]) -> None:
    """Apply ``GoodsReceived``: goods and the VAT invoice arrive; payable booked."""
    order = state.purchase_orders[data["po_id"]]
    order["status"] = "received"
    order["received_day"] = state.day
    state.supplier_load[order["supplier_id"]] -= order["quantity"]
    stock = state.firms[order["firm_id"]]["stock"].setdefault(order["product_id"], [0, 0])
    stock[0] += order["quantity"]
    stock[1] += order["quantity"] * order["unit_cost"]
    world = state.world
    assert world is not None
    days = world.suppliers[order["supplier_id"]].payment_days
    state.schedule("supplier_due", state.day + days, data["po_id"])


def supplier_paid(state: MarketState, data: dict[str, Any]) -> None:
    """Apply ``SupplierPaid``: a payable is paid."""
    order = state.purchase_orders[data["po_id"]]
    order["status"] = "paid"
    order["paid_day"] = state.day


def freight_booked(state: MarketState, data: dict[str, Any]) -> None:
    """Apply ``FreightBooked``: space booked on a lane."""
    contract = state.contracts[data["contract_id"]]
    contract["freight"] = {key: value for key, value in data.items() if key != "contract_id"}
    state.awaiting_departure[data["contract_id"]] = None


def declaration_filed(state: MarketState, data: dict[str, Any]) -> None:
    """Apply ``DeclarationFiled``: an export declaration is accepted for processing."""
    contract = state.contracts[data["contract_id"]]
    contract["declaration"] = {
        "customs_no": data["customs_no"],
        "form": data["declaration"],
        "findings": data["findings"],
        "status": "filed",
        "filed_day": state.day,
        "inspector": None,
        "penalty": 0,
    }
    state.schedule("customs", state.day, data["contract_id"])
    count(state, "declaration")


def inspection_ordered(state: MarketState, data: dict[str, Any]) -> None:
    """Apply ``InspectionOrdered``: double random pick."""
    declaration = state.contracts[data["contract_id"]]["declaration"]
    declaration["status"] = "inspecting"
    declaration["inspector"] = data["inspector"]
    declaration["reason"] = data["reason"]
    state.schedule("customs", data["result_day"], data["contract_id"])


def declaration_released(state: MarketState, data: dict[str, Any]) -> None:
    """Apply ``DeclarationReleased``: customs release."""
    declaration = state.contracts[data["contract_id"]]["declaration"]
    declaration["status"] = "released"
    declaration["released_day"] = state.day
    declaration["penalty"] = data["penalty"]
    declaration["inspected"] = data["inspected"]


def customs_credit_changed(state: MarketState, data: dict[str, Any]) -> None:
    """Apply ``CustomsCreditChanged``: the firm's customs credit moves."""
    state.firms[data["firm_id"]]["customs_score"] = data["score"]


def shipment_departed(state: MarketState, data: dict[str, Any]) -> None:
    """Apply ``ShipmentDeparted``: goods leave with the carrier; outcome is sealed until it happens."""
    contract = state.contracts[data["contract_id"]]
    contract["stage"] = "departed"
    contract["departed_day"] = state.day
    contract["arrival_day"] = data["arrival_day"]
    contract["outcome"] = data["outcome"]
    contract["delay_days"] = data["delay_days"]
    contract["cost"] = data["cost"]
    contract["credit_insured"] = data["credit_insured"]
    if data["credit_insured"]:
        state.credit_limits[f"{contract['firm_id']}|{contract['buyer_id']}"]["used"] += contract[
            "amount"
        ]
    stock = state.firms[contract["firm_id"]]["stock"][contract["product_id"]]
    stock[0] -= contract["quantity"]
    stock[1] -= data["cost"]
    state.awaiting_departure.pop(data["contract_id"], None)
    stats = state.firms[contract["firm_id"]]["stats"]
    stats["shipped"] += 1
    if state.day <= contract["ship_by_day"]:
        stats["on_time"] += 1
    state.schedule("arrival", data["arrival_day"], data["contract_id"])


def revenue_recognised(state: MarketState, data: dict[str, Any]) -> None:
    """Apply ``RevenueRecognised``: risk has passed: sales and cost of sales are booked (CNY fen)."""
    contract = state.contracts[data["contract_id"]]
    contract["recognized"] = True
    contract["revenue"] = data["revenue"]
    contract["receivable_usd"] = contract["amount"] - contract["advances_usd"]
    contract["receivable_cny"] = data["receivable"]


def shipment_lost(state: MarketState, data: dict[str, Any]) -> None:
    """Apply ``ShipmentLost``: goods lost in transit."""
    contract = state.contracts[data["contract_id"]]
    contract["stage"] = "lost"
    contract["loss_bearer"] = data["bearer"]


def shipment_arrived(state: MarketState, data: dict[str, Any]) -> None:
    """Apply ``ShipmentArrived``: goods reach the destination."""
    contract = state.contracts[data["contract_id"]]
    contract["stage"] = "arrived"
    contract["damaged"] = data["damaged"]
    contract["release_day"] = data["release_day"]
    firm = state.firms[contract["firm_id"]]
    firm["stats"]["arrived"] += 1
    memory = state.buyers[contract["buyer_id"]]["memory"]
    memory[contract["firm_id"]] = memory.get(contract["firm_id"], 0) + (
        2 if data["on_time"] else -2
    )
    if data["release_day"] is not None:
        state.schedule("escrow", data["release_day"], data["contract_id"])


def contract_closed(state: MarketState, data: dict[str, Any]) -> None:
    """Apply ``ContractClosed``: a contract ends."""
    contract = state.contracts[data["contract_id"]]
    contract["status"] = data["status"]
    if data["status"] != "completed":
        # Any escrow or advance was refunded in the journal posted with the closure.
        contract["escrow_held"] = 0
        contract["advances_usd"] = 0
        contract["advances_cny"] = 0
    if data["status"] == "cancelled_late":
        memory = state.buyers[contract["buyer_id"]]["memory"]
        memory[contract["firm_id"]] = memory.get(contract["firm_id"], 0) - 3
    state.awaiting_departure.pop(data["contract_id"], None)
    state.active_by_firm.get(contract["firm_id"], {}).pop(data["contract_id"], None)
