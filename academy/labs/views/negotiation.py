"""Negotiation by letter: the student writes to the buyer of an RFQ the firm has quoted.

The page shows the thread (the student's proposals and letters, the buyer's answers in
the reader's language) and a form for a counter-proposal. The buyer answers at once
(``ProposeTerms`` in the engine): a deal signs the contract and the student lands on it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from academy.auth.permissions import login_required
from academy.forms import required
from academy.labs import firm as firm_pages
from academy.labs import labels
from academy.labs.student_forms import NegotiateForm
from academy.labs.views import bp
from academy.labs.views.student import get_my_firm_or_404, page_helpers, send_command
from academy.numbers import to_minor_units

__all__ = ["buyer_reply", "negotiate_rfq"]


def buyer_reply(answer: dict[str, Any] | None) -> str:
    """The buyer's answer to one proposal as a sentence of its letter, in the reader's language."""
    if answer is None:
        return ""
    terms = answer.get("terms") or {}
    values = {
        "price": labels.money_usd(terms.get("unit_price", 0)),
        "incoterm": terms.get("incoterm", ""),
        "payment": labels.payment_label(terms.get("payment", "")),
        "days": terms.get("lead_days", 0),
    }
    if answer["decision"] == "accept":
        return _(
            "We accept: %(price)s per unit, %(incoterm)s, %(payment)s, shipment within "
            "%(days)s days. The contract is signed.",
            **values,
        )
    if answer["decision"] == "counter":
        if answer.get("claim") == "rival":
            opening = _("Another supplier has made us a better offer.")
        else:
            opening = _("Your price is above our budget.")
        offer = _(
            "We can agree to %(price)s per unit, %(incoterm)s, %(payment)s, shipment within "
            "%(days)s days.",
            **values,
        )
        return f"{opening} {offer}"
    reasons = {
        "too_far": _("Your price is far above what we can pay; we will not continue."),
        "patience": _("We have written enough letters without agreeing; we end the talks here."),
        "buyer_funds": _("We cannot fund this order at the moment; we must decline."),
    }
    return reasons.get(answer.get("reason", ""), _("We decline your proposal."))


bp.add_app_template_global(buyer_reply, "buyer_reply")


def _thread_context(page: firm_pages.FirmPage, rfq_id: str) -> dict[str, Any]:
    """The RFQ as the firm sees it, its own quote and the thread, or 404."""
    thread = page.view.get("negotiations", {}).get(rfq_id)
    rfq = page.rfq(rfq_id) or thread
    quote = next((q for q in page.view["quotes"] if q["rfq_id"] == rfq_id), None)
    if rfq is None or quote is None:
        abort(404)
    is_open = page.rfq(rfq_id) is not None and (thread is None or thread["status"] == "open")
    return {"rfq": rfq, "own_quote": quote, "thread": thread, "can_write": is_open}


def _prepare(form: NegotiateForm, firm_id: str, context: dict[str, Any]) -> None:
    """Fill the choices and, on first display, the buyer's last counter-offer or the quote."""
    form.incoterm.choices = labels.incoterm_choices()
    form.payment.choices = labels.payment_choices()
    if request.method == "GET":
        thread = context["thread"]
        start = (thread or {}).get("counter") or context["own_quote"]
        form.firm_id.data = firm_id
        form.unit_price.data = Decimal(start["unit_price"]).scaleb(-2)
        form.incoterm.data = start["incoterm"]
        form.payment.data = start["payment"]
        form.lead_days.data = start["lead_days"]


@bp.route("/markets/<int:market_id>/firm/rfqs/<rfq_id>/negotiate", methods=["GET", "POST"])
@login_required
def negotiate_rfq(market_id: int, rfq_id: str):
    market, firm = get_my_firm_or_404(market_id)
    page = firm_pages.load_firm_page(market, firm.firm_id)
    context = _thread_context(page, rfq_id)
    form = NegotiateForm()
    _prepare(form, firm.firm_id, context)
    if request.method == "POST" and form.validate_on_submit():
        command = {
            "command": "ProposeTerms",
            "rfq_id": rfq_id,
            "unit_price": to_minor_units(required(form.unit_price.data), "USD"),
            "incoterm": form.incoterm.data,
            "payment": form.payment.data,
            "lead_days": form.lead_days.data,
            "message": form.message.data or "",
        }
        if send_command(form, market, firm, command):
            return _after_answer(market, firm, rfq_id)
    elif request.method == "POST":
        form.refresh_key()
    status = 400 if request.method == "POST" else 200
    return render_template(
        "labs/student_negotiation.html",
        market=market,
        firm=firm,
        page=page,
        form=form,
        **context,
        **page_helpers(),
    ), status


def _after_answer(market: Any, firm: Any, rfq_id: str):
    """Flash the buyer's answer; a deal goes to its contract, anything else back to the thread."""
    page = firm_pages.load_firm_page(market, firm.firm_id)
    thread = page.view.get("negotiations", {}).get(rfq_id) or {"rounds": []}
    answer = thread["rounds"][-1]["answer"] if thread["rounds"] else None
    flash(buyer_reply(answer), "success" if answer and answer["decision"] != "decline" else "info")
    contract = next(
        (c for c in page.view["contracts"] if c["rfq_id"] == rfq_id),
        None,
    )
    if answer and answer["decision"] == "accept" and contract is not None:
        return redirect(
            url_for("labs.show_contract", market_id=market.id, contract_id=contract["contract_id"])
        )
    return redirect(url_for("labs.negotiate_rfq", market_id=market.id, rfq_id=rfq_id))
