"""Where a contract stands: its steps in order, and its letter of credit read against it."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from academy.labs.labels import document_label, mode_label, money_usd
from sandbox import money_collected

#: Where a credit's terms can hurt the exporter, in the words a student reads.
CREDIT_WARNINGS: dict[str, Any] = {
    "soft_clause": _l(
        "Soft clause: the bank pays only against an inspection certificate signed by the "
        "applicant (the buyer). The buyer can withhold it and the credit stops protecting "
        "you. Ask for an amendment before you ship."
    ),
    "amount": _l(
        "The credit's amount (%(credit)s) differs from the contract (%(contract)s): "
        "invoice no more than the credit allows."
    ),
    "quantity": _l("The credit's quantity (%(credit)s) differs from the contract (%(contract)s)."),
    "late_booking": _l(
        "Your freight sails on day %(ship)s, after the latest shipment day %(latest)s: "
        "the bank will refuse a late shipment."
    ),
    "insurance": _l("An insurance document is required: book the freight with cargo insurance."),
    "transport_conflict": _l(
        "The credit asks for %(asked)s, but the goods go by %(mode)s and the carrier issues "
        "a %(document)s (UCP 600 art. %(article)s). Ask for an amendment."
    ),
}

#: What each soft clause lets the applicant do, by the engine's kind code.
SOFT_CLAUSE_WARNINGS: dict[str, Any] = {
    "applicant_inspection": CREDIT_WARNINGS["soft_clause"],
    "vessel_approval": _l(
        "Soft clause: shipment needs the applicant's approval of the vessel. The buyer can "
        "withhold it and no shipment will comply. Ask for an amendment, or refuse the credit."
    ),
    "not_operative": _l(
        "Soft clause: the credit is not operative until the applicant sends a further "
        "notice; until then the bank has promised nothing. Ask for an amendment, or refuse "
        "the credit."
    ),
    "documents_to_applicant": _l(
        "Soft clause: an original document goes directly to the applicant, who can take the "
        "goods with it and refuse the rest. Ask for an amendment, or refuse the credit."
    ),
}

#: Why an invoice figure may differ from the credit's (art. 30), by the engine's code.
TOLERANCE_BASIS: dict[str, Any] = {
    "about": _l("“about”: 10%% more or less (art. 30(a))"),
    "tolerance": _l("the tolerance stated in the credit (field 39A)"),
    "bulk": _l("5%% more or less: goods not counted in units (art. 30(b))"),
    "short_5": _l(
        "up to 5%% less with the full quantity: partial shipments prohibited (art. 30(c))"
    ),
    "partial": _l("partial shipments allowed: any amount up to the maximum"),
    "exact": _l("exactly as in the credit"),
}

#: The beneficiary's answers to a credit: form action -> (engine command, message).
CREDIT_ACTIONS: dict[str, tuple[dict[str, str], Any]] = {
    "accept_credit": (
        {"command": "RespondToCredit", "decision": "accept"},
        _l("You accepted the credit as issued."),
    ),
    "amend": ({"command": "RequestLcAmendment"}, _l("You asked the buyer to amend the credit.")),
    "refuse_credit": (
        {"command": "RespondToCredit", "decision": "refuse"},
        _l("You refused the credit: the contract is closed and nothing ships."),
    ),
}


def credit_choices(contract: dict[str, Any]) -> list[str]:
    """The answers to the credit open now: accept, amend, refuse (form actions)."""
    lc = contract.get("lc")
    if not lc or lc.get("state") != "issued" or contract.get("status") != "active":
        return []
    choices = []
    if lc.get("response") is None:
        choices.append("accept_credit")
    if not lc.get("amended"):
        choices.append("amend")
    if lc.get("response") is None and contract.get("departed_day") is None:
        choices.append("refuse_credit")
    return choices


def read_credit(contract: dict[str, Any]) -> dict[str, Any] | None:
    """A letter of credit read against the contract and the booking.

    Returns the credit's terms for the page and the warnings a careful exporter would
    raise before shipping (a soft clause, an amount or quantity not matching the
    contract, a sailing after the latest shipment day, insurance asked for but not
    booked), or None when the contract has no credit.
    """
    lc = contract.get("lc")
    if not lc:
        return None
    credit = lc["credit"]
    freight = contract.get("freight") or {}
    reading = lc.get("reading") or {}
    warnings = _reader_warnings(credit, reading)
    if credit["amount"] != contract["amount"]:
        warnings.append(
            str(CREDIT_WARNINGS["amount"])
            % {"credit": money_usd(credit["amount"]), "contract": money_usd(contract["amount"])}
        )
    if credit["quantity"] != contract["quantity"]:
        warnings.append(
            str(CREDIT_WARNINGS["quantity"])
            % {"credit": credit["quantity"], "contract": contract["quantity"]}
        )
    ship_day = freight.get("ship_day")
    if ship_day is not None and ship_day > credit["latest_shipment_day"]:
        warnings.append(
            str(CREDIT_WARNINGS["late_booking"])
            % {"ship": ship_day, "latest": credit["latest_shipment_day"]}
        )
    if credit.get("insurance_required") and freight and not freight.get("insured"):
        warnings.append(str(CREDIT_WARNINGS["insurance"]))
    documents = dict(document_choices(contract))
    return {
        "state": lc.get("state"),
        "presentations": lc.get("presentations", 0),
        "amount": credit["amount"],
        "description": credit["description"],
        "quantity": credit["quantity"],
        "port_of_loading": credit["port_of_loading"],
        "latest_shipment_day": credit["latest_shipment_day"],
        "expiry_day": credit["expiry_day"],
        "presentation_days": credit["presentation_days"],
        "insurance_required": bool(credit.get("insurance_required")),
        "documents": [documents.get(name, name) for name in credit["required_documents"]],
        "soft_clause": bool(credit.get("soft_clause")),
        "discrepancies": lc.get("discrepancies") or [],
        "warnings": warnings,
        "clauses": reading.get("clauses", []),
        "ranges": _ranges(reading),
        "transport": reading.get("transport"),
        "transport_label": document_label(reading["transport"]["code"])
        if reading.get("transport")
        else None,
        "expiry_moved": reading.get("expiry_day") if reading.get("expiry_extended") else None,
        "last_presentation_day": reading.get("last_presentation_day"),
        "response": lc.get("response"),
        "paid_under_18b": "18(b)" in (lc.get("notes") or []),
        "choices": credit_choices(contract),
    }


def _reader_warnings(credit: dict[str, Any], reading: dict[str, Any]) -> list[str]:
    """Soft clauses (each by its kind) and a transport document the mode cannot give."""
    soft = reading.get("soft_clauses")
    if soft is None:  # a view without the engine's reading: the legacy flag
        soft = [{"kind": "applicant_inspection"}] if credit.get("soft_clause") else []
    warnings = [str(SOFT_CLAUSE_WARNINGS[hit["kind"]]) for hit in soft]
    transport = reading.get("transport")
    if transport and transport["conflict"]:
        warnings.append(
            str(CREDIT_WARNINGS["transport_conflict"])
            % {
                "asked": ", ".join(document_label(name) for name in transport["asked"]),
                "mode": mode_label(transport["mode"]),
                "document": document_label(transport["code"]),
                "article": transport["article"],
            }
        )
    return warnings


def _ranges(reading: dict[str, Any]) -> list[dict[str, Any]]:
    """Art. 30 ranges for the page: figure, low, high and the basis in words."""
    rows = []
    for figure in ("amount", "quantity", "unit_price"):
        if figure in reading.get("ranges", {}):
            low, high = reading["ranges"][figure]
            money = figure != "quantity"
            rows.append(
                {
                    "figure": figure,
                    "low": money_usd(low) if money else low,
                    "high": money_usd(high) if money else high,
                    "basis": str(TOLERANCE_BASIS[reading["basis"][figure]]) % {},
                }
            )
    return rows


#: Documents a seller may put in a presentation under a credit.
DOCUMENT_CHOICES = (
    "commercial_invoice",
    "packing_list",
    "bill_of_lading",
    "insurance_certificate",
    "certificate_of_origin",
    "inspection_certificate",
)


def document_choices(contract: dict[str, Any]) -> list[tuple[str, str]]:
    credit = (contract.get("lc") or {}).get("credit") or {}
    names = list(DOCUMENT_CHOICES)
    for name in credit.get("required_documents", []):
        if name not in names:
            names.append(name)
    return [(name, document_label(name)) for name in names]


#: The steps of a contract in order: (key, label, who acts: "firm" or "world").
STEPS: tuple[tuple[str, Any, str], ...] = (
    ("procure", _l("Procure"), "firm"),
    ("freight", _l("Book freight and insurance"), "firm"),
    ("declare", _l("Declare to customs"), "firm"),
    ("ship", _l("Ship"), "world"),
    ("documents", _l("Present documents"), "firm"),
    ("payment", _l("Collect payment"), "world"),
    ("rebate", _l("Claim rebate"), "firm"),
)


def _step_done(contract: dict[str, Any], key: str) -> bool | None:
    """True when done, False when still to do, None when the step does not apply."""
    if key == "procure":
        return contract.get("po_id") is not None
    if key == "freight":
        return contract.get("freight") is not None
    if key == "declare":
        if contract.get("incoterm") == "EXW":
            return None
        return contract.get("declaration") is not None
    if key == "ship":
        return contract.get("departed_day") is not None
    if key == "documents":
        if contract.get("payment") != "lc":
            return None
        lc = contract.get("lc")
        return lc is not None and lc.get("state") not in ("issued", "refused")
    if key == "payment":
        # A deposit paid before shipment is not the payment collected: the balance
        # falls due only once the goods have left. What "collected" means per payment
        # method is the engine's rule (an honoured credit pays without a receivable).
        return contract.get("departed_day") is not None and money_collected(contract)
    if key == "rebate":
        if contract.get("incoterm") == "EXW":
            return None  # no export declaration of the seller's: a domestic sale, no rebate
        return contract.get("rebate") is not None
    return None


def pipeline_of(contract: dict[str, Any]) -> list[dict[str, Any]]:
    """The contract's steps with a state each: done, next, later or skipped.

    The first step not yet done is the next one; steps the terms make unnecessary
    (no declaration and no rebate under EXW, no documents without a letter of credit)
    are skipped.
    """
    steps = []
    found_next = contract.get("status") != "active"
    for key, label, actor in STEPS:
        done = _step_done(contract, key)
        if done is None:
            state = "skipped"
        elif done:
            state = "done"
        elif not found_next:
            state, found_next = "next", True
        else:
            state = "later"
        steps.append({"key": key, "label": label, "actor": actor, "state": state})
    # The rebate can be claimed once the goods have left, while the buyer still owes.
    waiting = next((s for s in steps if s["state"] == "next"), None)
    if waiting is not None and waiting["key"] == "payment" and steps[-1]["state"] == "later":
        steps[-1]["state"] = "next"
    return steps


def next_step(contract: dict[str, Any]) -> str | None:
    """The step the student can act on now (a firm's step first), or None."""
    ready = [s for s in pipeline_of(contract) if s["state"] == "next"]
    for s in ready:
        if s["actor"] == "firm":
            return s["key"]
    return ready[0]["key"] if ready else None
