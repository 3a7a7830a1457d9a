"""Settlement phases of a sim-day: credits, receivables, escrow, disputes, rebates, forwards.

Also the helpers the lifecycle shares: scheduling a receivable, refunding a buyer and
closing a settled contract.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sandbox.buyers import payment_day
from sandbox.engine.flows import (
    buyer_pays_firm,
    firm_refunds_buyer,
    release_escrow,
    transfer,
    usd_bid,
)
from sandbox.engine.handlers import dispute_refund_lines
from sandbox.engine.parties import (
    BANK,
    INSURER,
    PLATFORM,
    TAX,
    buyer_party,
    firm_party,
)
from sandbox.engine.shocks import is_bankrupt
from sandbox.money import apply_rate, convert
from sandbox.payments.lc import examine
from sandbox.payments.ucp import BankCalendar
from sandbox.rng import rng_for

if TYPE_CHECKING:
    from sandbox.engine.market import Market

__all__ = [
    "SETTLEMENT_PHASES",
    "due_today",
    "maybe_close",
    "money_collected",
    "refund_all",
    "schedule_receivable",
    "scheduled_total",
    "write_off_receivable",
]


def due_today(m: Market, kind: str) -> list[str]:
    """Pop and return today's agenda items of ``kind``."""
    return m.state.agenda[kind].pop(m.state.day, [])


def scheduled_total(contract: dict[str, Any]) -> int:
    """Return the USD already scheduled as receivables on a contract."""
    return sum(item["amount"] for item in contract["receivables"])


def schedule_receivable(
    m: Market,
    contract: dict[str, Any],
    part: str,
    amount: int,
    due_day: int,
    method: str | None = None,
) -> None:
    """Schedule a buyer obligation and decide, from the buyer's profile, when (or whether) it is paid."""
    if amount <= 0:
        return
    buyer = m.state.buyers[contract["buyer_id"]]
    rng = rng_for(m.state.seed, "payment", contract["contract_id"], part)
    pay_on = payment_day(
        rng,
        world=m.world,
        persona=buyer["persona"],
        method=method or contract["payment"],
        due_day=due_day,
        memory=buyer["memory"].get(contract["firm_id"], 0),
    )
    if is_bankrupt(m.state, contract["buyer_id"]):
        pay_on = None  # a bankrupt buyer never pays: the usual default path writes it off
    m.emit(
        "ReceivableScheduled",
        {
            "contract_id": contract["contract_id"],
            "part": part,
            "amount": amount,
            "due_day": due_day,
            "pay_day": pay_on,
        },
    )


def refund_all(m: Market, contract: dict[str, Any]) -> list[list[Any]]:
    """Lines returning advances (through the bank) and escrow (from the platform)."""
    lines: list[list[Any]] = []
    if contract["advances_usd"]:
        lines += firm_refunds_buyer(m, contract, contract["advances_usd"], "customer_advances")
        firm = firm_party(contract["firm_id"])
        paid_cny = -lines[1][3]
        # Advances were booked at the receipt rate; the refund costs today's ask.
        gap = contract["advances_cny"] - paid_cny
        lines[0][3] = contract["advances_cny"]
        if gap:
            lines.append([firm, "fx_gain_loss", "CNY", -gap])
    if contract["escrow_held"]:
        held = contract["escrow_held"]
        buyer = buyer_party(contract["buyer_id"])
        lines += transfer(PLATFORM, "escrow_liability", buyer, "purchases", "USD", held)
    return lines


def _lc_exams(m: Market) -> None:
    world = m.world
    for contract_id in due_today(m, "lc_exam"):
        contract = m.state.contracts[contract_id]
        lc = contract["lc"]
        if contract["status"] != "active" or lc["state"] != "presented":
            continue
        pending = lc["pending"]
        documents = {**pending["documents"], "inspection_certificate_signed": pending["signed"]}
        # Art. 18(b): whether the bank takes an invoice above the credit is its own call.
        choice = rng_for(m.state.seed, "lc_18b", contract_id, lc["presentations"])
        result = examine(
            lc["credit"],
            documents,
            shipped_day=contract["departed_day"],
            presented_day=pending["presented_day"],
            calendar=bank_calendar(world),
            bank_accepts_excess=choice.random()
            < float(world.events.get("lc_bank_accepts_excess", 0.5)),
            withheld=pending.get("withheld"),
        )
        found = result["discrepancies"]
        payable = min(result["payable"], contract["amount"] - contract["paid_usd"])
        m.emit(
            "LcExamined",
            {
                "contract_id": contract_id,
                "discrepancies": found,
                "honoured": not found,
                "payable": payable if not found else 0,
                "notes": result["notes"],
            },
        )
        if not found:
            if payable > 0:
                buyer_pays_firm(m, contract, "credit", payable)
            maybe_close(m, contract)
            continue
        persona = m.state.buyers[contract["buyer_id"]]["persona"]
        rng = rng_for(m.state.seed, "lc_waiver", contract_id, lc["presentations"])
        exploit = any(d["article"].startswith("soft clause") for d in found)
        waived = not exploit and rng.random() < float(world.events["lc_waiver"]) * (
            0.5 + persona["honesty"] / 2
        )
        m.emit("LcWaiverDecided", {"contract_id": contract_id, "waived": waived})
        if waived:
            fee = int(world.money["lc_discrepancy_fee_usd"])
            buyer_pays_firm(m, contract, "credit", max(payable, fee), fee_usd=fee)
            maybe_close(m, contract)


def bank_calendar(world: Any) -> BankCalendar:
    """The presenting bank's calendar: weekends and ``[money.bank_calendar]`` holidays."""
    holidays = (world.money.get("bank_calendar") or {}).get("holidays", ())
    return BankCalendar(world.start_date, tuple(holidays))


def _lc_expiry(m: Market) -> None:
    for contract_id in due_today(m, "lc_expiry"):
        contract = m.state.contracts[contract_id]
        lc = contract["lc"]
        if contract["status"] != "active" or lc["state"] == "honoured":
            continue
        if m.state.day != lc["credit"]["expiry_day"] + 1 or contract["departed_day"] is None:
            continue
        # The credit is dead; the buyer may still pay as on a collection, or not.
        schedule_receivable(
            m,
            contract,
            "credit_fallback",
            contract["amount"] - contract["paid_usd"],
            m.state.day,
            method="da",
        )


def _receivables(m: Market) -> None:
    for contract_id in due_today(m, "receivable"):
        contract = m.state.contracts[contract_id]
        if contract["status"] != "active":
            continue
        for item in contract["receivables"]:
            if item["status"] != "open" or item["pay_day"] != m.state.day:
                continue
            if m.state.ledger.cash(buyer_party(contract["buyer_id"]), "USD") < item["amount"]:
                continue  # cannot pay: written off when the default period ends
            buyer_pays_firm(m, contract, item["part"], item["amount"])
        maybe_close(m, contract)


def _write_offs(m: Market) -> None:
    limit_days = int(m.world.events["default_write_off_days"])
    for contract_id in due_today(m, "write_off"):
        contract = m.state.contracts[contract_id]
        if contract["status"] != "active":
            continue
        for item in contract["receivables"]:
            if item["status"] != "open" or item["due_day"] + limit_days != m.state.day:
                continue
            write_off_receivable(m, contract, item)
        maybe_close(m, contract)


def write_off_receivable(m: Market, contract: dict[str, Any], item: dict[str, Any]) -> None:
    """Write off one open receivable as a default; the credit insurer pays if it covers it."""
    contract_id = contract["contract_id"]
    book = 0
    if contract["recognized"] and contract["receivable_usd"] > 0:
        if item["amount"] >= contract["receivable_usd"]:
            book = contract["receivable_cny"]
        else:
            book = contract["receivable_cny"] * item["amount"] // contract["receivable_usd"]
    amount = min(item["amount"], contract["receivable_usd"]) if contract["recognized"] else 0
    m.emit(
        "ReceivableDefaulted",
        {"contract_id": contract_id, "part": item["part"], "amount": amount, "book": book},
    )
    firm = firm_party(contract["firm_id"])
    if book:
        m.journal(
            "bad debt written off",
            contract_id,
            [[firm, "impairment_loss", "CNY", book], [firm, "receivable", "CNY", -book]],
        )
    if book and contract["credit_insured"]:
        claim = apply_rate(book, m.world.rate("credit_insurance_indemnity"))
        m.emit("CreditClaimPaid", {"contract_id": contract_id, "amount_cny": claim})
        m.journal(
            "credit insurance indemnity",
            contract_id,
            transfer(INSURER, "claims_expense", firm, "claims_income", "CNY", claim),
        )


def _escrow(m: Market) -> None:
    for contract_id in due_today(m, "escrow"):
        contract = m.state.contracts[contract_id]
        if (
            contract["status"] != "active"
            or not contract["escrow_held"]
            or contract["stage"] not in ("arrived", "lost")
        ):
            continue
        if contract["release_day"] is None or contract["release_day"] > m.state.day:
            continue
        dispute = m.state.disputes.get(contract["dispute_id"] or "")
        if dispute is not None and dispute["status"] != "resolved":
            continue
        release_escrow(m, contract)
        maybe_close(m, contract)


def _disputes(m: Market) -> None:
    world = m.world
    platform = world.platform
    for dispute_id in due_today(m, "dispute"):
        dispute = m.state.disputes[dispute_id]
        contract = m.state.contracts[dispute["contract_id"]]
        age = m.state.day - dispute["day"]
        if dispute["status"] == "negotiating":
            rng = rng_for(m.state.seed, "dispute", dispute_id, age)
            if age >= int(platform["dispute_auto_escalation_day"]):
                m.emit("DisputeEscalated", {"dispute_id": dispute_id, "by": "platform"})
            elif rng.random() < float(world.events["dispute_escalation"]):
                m.emit("DisputeEscalated", {"dispute_id": dispute_id, "by": "buyer"})
        elif dispute["status"] == "escalated" and m.state.day >= dispute["escalated_day"] + 3:
            rate = Decimal(str(dispute["claim_rate"])) * Decimal(str(dispute["merit"]))
            refund = apply_rate(contract["amount"], rate)
            lines, book = dispute_refund_lines(m, contract, refund)
            m.emit(
                "DisputeResolved",
                {
                    "dispute_id": dispute_id,
                    "refund": refund if lines else 0,
                    "by": "platform",
                    "book": book,
                },
            )
            if lines:
                m.journal("dispute refund ordered by the platform", contract["contract_id"], lines)
            maybe_close(m, contract)


def _rebates(m: Market) -> None:
    for contract_id in due_today(m, "rebate"):
        contract = m.state.contracts[contract_id]
        refund = contract["rebate"]["refund"]
        m.emit("RebatePaid", {"contract_id": contract_id, "refund": refund})
        if refund:
            m.journal(
                "export VAT rebate paid",
                contract_id,
                transfer(
                    TAX,
                    "rebate_expense",
                    firm_party(contract["firm_id"]),
                    "rebate_receivable",
                    "CNY",
                    refund,
                ),
            )


def _forwards(m: Market) -> None:
    for forward_id in due_today(m, "forward"):
        forward = m.state.forwards[forward_id]
        unused = forward["remaining"]
        settlement = convert(unused, forward["rate"]) - convert(unused, usd_bid(m)) if unused else 0
        m.emit(
            "ForwardSettled", {"forward_id": forward_id, "unused": unused, "settlement": settlement}
        )
        firm = firm_party(forward["firm_id"])
        if settlement > 0:
            m.journal(
                "forward net settlement",
                forward_id,
                transfer(BANK, "fx_gain_loss", firm, "fx_gain_loss", "CNY", settlement),
            )
        elif settlement < 0:
            m.journal(
                "forward net settlement",
                forward_id,
                transfer(firm, "fx_gain_loss", BANK, "fx_gain_loss", "CNY", -settlement),
            )


def _late_checks(m: Market) -> None:
    for contract_id in due_today(m, "late_check"):
        contract = m.state.contracts[contract_id]
        if contract["status"] != "active" or contract["departed_day"] is not None:
            continue
        lines = refund_all(m, contract)
        if lines:
            m.journal("order cancelled for late shipment: refunds", contract_id, lines)
        m.emit("ContractClosed", {"contract_id": contract_id, "status": "cancelled_late"})


def money_collected(contract: dict[str, Any]) -> bool:
    """True when the buyer's money is all in, by the contract's payment method.

    No part of the obligation is open; and under escrow the platform has released the
    funds (and taken its fee), under a letter of credit the bank has honoured the
    documents (or the buyer paid outside the expired credit), otherwise at least one
    part was scheduled. Works on the engine's contract and on a firm's view of it.
    """
    receivables = contract.get("receivables") or []
    if any(item["status"] == "open" for item in receivables):
        return False
    if contract["payment"] == "escrow":
        return contract.get("escrow_held") == 0 and "escrow_fee" in contract
    if contract["payment"] == "lc":
        return (contract.get("lc") or {}).get("state") == "honoured" or any(
            i["part"] == "credit_fallback" for i in receivables
        )
    return bool(receivables)


def _settled(m: Market, contract: dict[str, Any]) -> bool:
    if contract["stage"] not in ("arrived", "lost"):
        return False
    dispute = m.state.disputes.get(contract["dispute_id"] or "")
    if dispute is not None and dispute["status"] != "resolved":
        return False
    return money_collected(contract)


def maybe_close(m: Market, contract: dict[str, Any]) -> None:
    """Close a contract once goods arrived (or were lost) and all money is settled."""
    if contract["status"] == "active" and _settled(m, contract):
        m.emit("ContractClosed", {"contract_id": contract["contract_id"], "status": "completed"})


SETTLEMENT_PHASES = (
    _lc_exams,
    _lc_expiry,
    _receivables,
    _write_offs,
    _escrow,
    _disputes,
    _rebates,
    _forwards,
    _late_checks,
)
