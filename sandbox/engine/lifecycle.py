"""Contract lifecycle phases of a sim-day: procurement, customs, carriage, payment.

Each phase pops today's agenda items of its kind (filled by appliers when the work was
scheduled) and emits the resulting events and journals.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sandbox.buyers import complaint
from sandbox.customs import (
    credit_class,
    input_vat_rate,
    inspection_floor,
    inspection_penalty,
    selection_reason,
)
from sandbox.engine.flows import release_escrow, transfer
from sandbox.engine.parties import (
    CUSTOMS,
    INSURER,
    TAX,
    buyer_party,
    carrier_party,
    firm_party,
    supplier_party,
)
from sandbox.engine.shocks import crackdown_percent, port_strike_delay, rail_disruption
from sandbox.engine.taxes import clear_import, reverse_domestic_sale, tax_domestic_sale
from sandbox.logistics import MODES
from sandbox.logistics.handling import diversion_on
from sandbox.money import apply_rate, convert
from sandbox.rng import rng_for
from sandbox.trade import INCOTERMS, loss_bearer

if TYPE_CHECKING:
    from sandbox.engine.market import Market
from sandbox.engine.settlement import (
    SETTLEMENT_PHASES,
    due_today,
    maybe_close,
    refund_all,
    schedule_receivable,
    scheduled_total,
)

__all__ = ["run_phases"]


def run_phases(m: Market) -> None:
    """Run the lifecycle phases for today in their fixed order."""
    for phase in (
        _goods_due,
        _supplier_due,
        _customs,
        _departures,
        _arrivals,
        *SETTLEMENT_PHASES,
    ):
        phase(m)


def _goods_due(m: Market) -> None:
    for po_id in due_today(m, "goods_due"):
        order = m.state.purchase_orders[po_id]
        net = order["quantity"] * order["unit_cost"]
        # The supplier's invoice carries VAT at the product's rate (9 % or 13 %).
        vat = apply_rate(net, input_vat_rate(m.world, order["product_id"]))
        m.emit("GoodsReceived", {"po_id": po_id})
        firm, supplier = firm_party(order["firm_id"]), supplier_party(order["supplier_id"])
        m.journal(
            "goods received with VAT invoice",
            po_id,
            [
                [firm, "inventory", "CNY", net],
                [firm, "input_vat", "CNY", vat],
                [firm, "payable", "CNY", -(net + vat)],
                [supplier, "receivable", "CNY", net + vat],
                [supplier, "sales", "CNY", -net],
                [supplier, "vat_output", "CNY", -vat],
            ],
        )


def _supplier_due(m: Market) -> None:
    for po_id in due_today(m, "supplier_due"):
        order = m.state.purchase_orders[po_id]
        net = order["quantity"] * order["unit_cost"]
        vat = apply_rate(net, input_vat_rate(m.world, order["product_id"]))
        firm, supplier = firm_party(order["firm_id"]), supplier_party(order["supplier_id"])
        # Paid on the due date even into overdraft: suppliers in the sandbox always collect.
        m.emit("SupplierPaid", {"po_id": po_id})
        lines = [
            [firm, "payable", "CNY", net + vat],
            [firm, "cash", "CNY", -(net + vat)],
            [supplier, "cash", "CNY", net + vat],
            [supplier, "receivable", "CNY", -(net + vat)],
        ]
        lines += transfer(supplier, "vat_output", TAX, "tax_income", "CNY", vat)
        m.journal("supplier paid; output VAT remitted", po_id, lines)


def _customs(m: Market) -> None:
    world = m.world
    customs = world.customs
    for contract_id in due_today(m, "customs"):
        contract = m.state.contracts[contract_id]
        declaration = contract["declaration"]
        firm = m.state.firms[contract["firm_id"]]
        mismatches = [f for f in declaration["findings"] if f["severity"] == "mismatch"]
        if declaration["status"] == "filed":
            rng = rng_for(m.state.seed, "customs", contract_id)
            _, multiplier = credit_class(firm["customs_score"], customs["credit_classes"])
            reason = selection_reason(
                rng,
                base_rate=float(customs["base_risk_rate"]),
                multiplier=multiplier,
                product_risk=world.products[contract["product_id"]].customs_risk,
                findings=declaration["findings"],
                random_rate=float(customs["random_sample_rate"]),
                floor=inspection_floor(firm["customs_score"], customs["credit_classes"]),
            )
            inspector = rng.choice(customs["inspectors"])
            delay = rng.randint(*customs["inspection_days"])
            crackdown = crackdown_percent(m.state, contract["product_id"], m.state.day)
            # A crackdown draws from its own stream so the usual draws stay as they were.
            if reason is None and crackdown:
                draw = rng_for(m.state.seed, "crackdown", contract_id).randrange(100)
                if draw < crackdown:
                    reason = "crackdown"
            if reason is not None:
                m.emit(
                    "InspectionOrdered",
                    {
                        "contract_id": contract_id,
                        "inspector": inspector,
                        "reason": reason,
                        "result_day": m.state.day + delay,
                    },
                )
                continue
            m.emit(
                "DeclarationReleased",
                {"contract_id": contract_id, "inspected": False, "penalty": 0, "findings": []},
            )
            _credit(
                m, contract["firm_id"], firm["customs_score"] + 1, "released without inspection"
            )
        elif declaration["status"] == "inspecting":
            penalty = inspection_penalty(
                mismatches,
                convert(contract["amount"], m.state.fx["USD"]),
                Decimal(customs["misdeclaration_penalty_rate"]),
                int(customs["misdeclaration_penalty_min_cny"]),
            )
            m.emit(
                "DeclarationReleased",
                {
                    "contract_id": contract_id,
                    "inspected": True,
                    "penalty": penalty,
                    "findings": mismatches,
                },
            )
            if penalty:
                m.journal(
                    "customs penalty for misdeclaration",
                    contract_id,
                    transfer(
                        firm_party(contract["firm_id"]),
                        "non_operating_loss",
                        CUSTOMS,
                        "fine_income",
                        "CNY",
                        penalty,
                    ),
                )
                _credit(
                    m,
                    contract["firm_id"],
                    firm["customs_score"] - 20,
                    "misdeclaration found on inspection",
                )
            else:
                _credit(m, contract["firm_id"], firm["customs_score"] + 3, "clean inspection")


def _credit(m: Market, firm_id: str, score: int, reason: str) -> None:
    score = max(0, min(100, score))
    if score != m.state.firms[firm_id]["customs_score"]:
        m.emit("CustomsCreditChanged", {"firm_id": firm_id, "score": score, "reason": reason})


def _ready(m: Market, contract: dict[str, Any]) -> bool:
    if contract["status"] != "active" or contract["freight"]["ship_day"] > m.state.day:
        return False
    stock = m.state.firms[contract["firm_id"]]["stock"].get(contract["product_id"])
    if stock is None or stock[0] < contract["quantity"]:
        return False
    if INCOTERMS[contract["incoterm"]].export_clearance == "seller":
        declaration = contract["declaration"]
        return declaration is not None and declaration["status"] == "released"
    return True


def _recognise(m: Market, contract: dict[str, Any], cost: int, from_account: str) -> int:
    revenue = contract["advances_cny"] + convert(
        contract["amount"] - contract["advances_usd"], m.state.fx["USD"]
    )
    receivable = revenue - contract["advances_cny"]
    m.emit(
        "RevenueRecognised",
        {
            "contract_id": contract["contract_id"],
            "revenue": revenue,
            "receivable": receivable,
            "cost": cost,
        },
    )
    firm = firm_party(contract["firm_id"])
    lines = [
        [firm, "sales", "CNY", -revenue],
        [firm, "cost_of_sales", "CNY", cost],
        [firm, from_account, "CNY", -cost],
    ]
    if contract["advances_cny"]:
        lines.append([firm, "customer_advances", "CNY", contract["advances_cny"]])
    if receivable:
        lines.append([firm, "receivable", "CNY", receivable])
    m.journal("revenue recognised as risk passes", contract["contract_id"], lines)
    return revenue


def diversion_days(m: Market, lane: Any, contract_id: str) -> int:
    """Days a diverted sea route (Cape of Good Hope) adds to this sailing, from its own stream."""
    diversion = diversion_on(m.world, lane, m.world.date_of(m.state.day))
    if diversion is None:
        return 0
    return rng_for(m.state.seed, "routing", contract_id).randint(diversion[0], diversion[1])


def _departures(m: Market) -> None:
    world = m.world
    state = m.state
    for contract_id in list(state.awaiting_departure):
        contract = state.contracts[contract_id]
        if not _ready(m, contract):
            continue
        lane = world.lanes[contract["lane_id"]]
        rng = rng_for(state.seed, "transit", contract_id)
        days, delay = MODES[lane.mode].transit(lane, rng)
        days += diversion_days(m, lane, contract_id)
        delay += port_strike_delay(state, lane, state.day, contract["freight"]["ship_day"])
        delay += rail_disruption(state, lane, state.day)[0]
        draw = rng.random()
        outcome = (
            "lost"
            if draw < lane.loss_probability
            else "damaged"
            if draw < lane.loss_probability + lane.damage_probability
            else "ok"
        )
        stock = state.firms[contract["firm_id"]]["stock"][contract["product_id"]]
        cost = stock[1] * contract["quantity"] // stock[0]
        limit = state.credit_limits.get(f"{contract['firm_id']}|{contract['buyer_id']}")
        insured = (
            contract["payment"] in ("open_account", "da")
            and limit is not None
            and limit["used"] + contract["amount"] <= limit["limit"]
        )
        m.emit(
            "ShipmentDeparted",
            {
                "contract_id": contract_id,
                "arrival_day": state.day + days + delay,
                "outcome": outcome,
                "delay_days": delay,
                "cost": cost,
                "credit_insured": insured,
            },
        )
        firm = firm_party(contract["firm_id"])
        term = INCOTERMS[contract["incoterm"]]
        if term.revenue_at == "departure":
            revenue = _recognise(m, contract, cost, "inventory")
            if term.export_clearance != "seller":
                tax_domestic_sale(m, contract, revenue)
        else:
            m.journal(
                "goods shipped, risk with seller",
                contract_id,
                [[firm, "goods_in_transit", "CNY", cost], [firm, "inventory", "CNY", -cost]],
            )
        if insured:
            assert limit is not None
            premium = apply_rate(
                convert(contract["amount"], state.fx["USD"]), Decimal(limit["premium_rate"])
            )
            m.journal(
                "credit insurance premium",
                contract_id,
                transfer(firm, "selling_expense", INSURER, "premium_income", "CNY", premium),
            )
        if contract["payment"] == "tt":
            schedule_receivable(
                m, contract, "balance", contract["amount"] - scheduled_total(contract), state.day
            )


def _arrivals(m: Market) -> None:
    world = m.world
    state = m.state
    for contract_id in due_today(m, "arrival"):
        contract = state.contracts[contract_id]
        if contract["status"] != "active":
            continue
        term = INCOTERMS[contract["incoterm"]]
        firm = firm_party(contract["firm_id"])
        mid = state.fx["USD"]
        if contract["outcome"] == "lost":
            bearer = loss_bearer(term.code, "main_carriage")
            m.emit(
                "ShipmentLost",
                {"contract_id": contract_id, "stage": "main_carriage", "bearer": bearer},
            )
            insured_value = apply_rate(contract["amount"], world.rate("insurance_markup"))
            if bearer == "seller":
                lines = [
                    [firm, "non_operating_loss", "CNY", contract["cost"]],
                    [firm, "goods_in_transit", "CNY", -contract["cost"]],
                ]
                if contract["freight"]["insured"]:
                    lines += transfer(
                        INSURER,
                        "claims_expense",
                        firm,
                        "claims_income",
                        "CNY",
                        convert(insured_value, mid),
                    )
                lines += refund_all(m, contract)
                m.journal("goods lost before risk passed", contract_id, lines)
                m.emit("ContractClosed", {"contract_id": contract_id, "status": "lost"})
                continue
            if term.seller_insurance:
                buyer = buyer_party(contract["buyer_id"])
                m.journal(
                    "cargo claim paid to buyer",
                    contract_id,
                    transfer(
                        INSURER, "claims_expense", buyer, "claims_income", "USD", insured_value
                    ),
                )
            _after_arrival(m, contract, damaged=False)
            continue
        if term.revenue_at == "arrival":
            _recognise(m, contract, contract["cost"], "goods_in_transit")
        if term.import_clearance == "seller":
            clear_import(m, contract)
        _after_arrival(m, contract, damaged=contract["outcome"] == "damaged")


def _after_arrival(m: Market, contract: dict[str, Any], damaged: bool) -> None:
    world = m.world
    state = m.state
    contract_id = contract["contract_id"]
    rng = rng_for(state.seed, "arrival", contract_id)
    low, high = world.platform["escrow_confirm_days"]
    release = (
        state.day + rng.randint(int(low), int(high)) if contract["payment"] == "escrow" else None
    )
    lost = contract["stage"] == "lost"
    if not lost:
        on_time = contract["departed_day"] <= contract["ship_by_day"]
        m.emit(
            "ShipmentArrived",
            {
                "contract_id": contract_id,
                "on_time": on_time,
                "damaged": damaged,
                "release_day": release,
            },
        )
    elif contract["escrow_held"]:
        # Goods lost after risk passed: the buyer has no claim against the seller, so
        # the platform releases the funds (the buyer's insurer, if any, pays the buyer).
        release_escrow(m, contract)
    buyer = state.buyers[contract["buyer_id"]]
    persona = buyer["persona"]
    outstanding = contract["amount"] - scheduled_total(contract)
    if contract["payment"] == "dp":
        refusal = float(world.events["dp_refusal_base"]) * (1.6 - persona["honesty"])
        refusal *= 1 + float(world.credit["default_probability"][persona["credit_rating"]]) * 10
        if rng.random() < refusal and not lost:
            _refuse_collection(m, contract)
            return
        schedule_receivable(m, contract, "collection", outstanding, state.day)
    elif contract["payment"] in ("open_account", "da"):
        schedule_receivable(
            m,
            contract,
            "invoice" if contract["payment"] == "open_account" else "draft",
            outstanding,
            state.day + 60,
        )
    if not lost:
        claim = complaint(
            rng,
            world=world,
            persona=persona,
            quality=world.products[contract["product_id"]].quality,
            damaged=damaged,
        )
        if claim is not None:
            m.emit(
                "DisputeOpened",
                {
                    "dispute_id": state.next_id("dispute", "D", 6),
                    "contract_id": contract_id,
                    "reason": "damaged" if damaged else "quality",
                    "claim_rate": claim[0],
                    "merit": claim[1],
                },
            )
    maybe_close(m, contract)


def _refuse_collection(m: Market, contract: dict[str, Any]) -> None:
    firm = firm_party(contract["firm_id"])
    lane = m.world.lanes[contract["lane_id"]]
    m.emit("CollectionRefused", {"contract_id": contract["contract_id"], "returned": True})
    lines = [
        [firm, "sales", "CNY", contract["revenue"]],
        [firm, "receivable", "CNY", -contract["revenue"]],
        [firm, "inventory", "CNY", contract["cost"]],
        [firm, "cost_of_sales", "CNY", -contract["cost"]],
    ]
    lines += reverse_domestic_sale(contract)
    back = contract["freight"]["freight_cny"] or convert(lane.cost[0], m.state.fx["USD"])
    lines += transfer(
        firm, "selling_expense", carrier_party(lane.carrier), "freight_income", "CNY", back
    )
    m.journal("D/P refused: sale reversed, goods shipped back", contract["contract_id"], lines)
    m.emit("ContractClosed", {"contract_id": contract["contract_id"], "status": "refused"})
