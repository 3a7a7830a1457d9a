"""A firm's FX desk, its disputes, the messages from its buyers, and the live clock.

The firm pages load the student's firm with ``get_my_firm_or_404`` (404 for an unknown
market, 403 for a student without a firm there) and act only through
``academy.labs.markets.execute_command``, as the other firm pages do. The clock
(``clock.json``) is for the firm's student and the class's teachers; anyone else gets
a 404 problem document, so the route does not tell which markets exist.
"""

from __future__ import annotations

from decimal import Decimal

from flask import Response, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from academy.auth.permissions import can, login_required
from academy.forms import required
from academy.labs import desk, messages, queries
from academy.labs import firm as firm_pages
from academy.labs.models import SandboxMarket
from academy.labs.student_forms import DisputeOfferForm, ForwardForm
from academy.labs.views import bp
from academy.labs.views.student import get_my_firm_or_404, page_helpers, send_command
from academy.numbers import to_minor_units

#: Messages per page of the buyers' messages.
MESSAGES_PER_PAGE = 20


def _desk_helpers() -> dict:
    return {**page_helpers(), "rate": desk.format_rate}


# --- the FX desk ---------------------------------------------------------------------


@bp.route("/markets/<int:market_id>/firm/fx", methods=["GET", "POST"])
@login_required
def firm_fx(market_id: int):
    market, firm = get_my_firm_or_404(market_id)
    form = ForwardForm()
    if request.method == "GET":
        form.firm_id.data = firm.firm_id
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            command = {
                "command": "BookForward",
                "amount": to_minor_units(required(form.amount.data), "USD"),
                "days": form.days.data,
            }
            if send_command(form, market, firm, command):
                flash(_("The bank booked your forward sale of US dollars."), "success")
                return redirect(url_for("labs.firm_fx", market_id=market.id))
        else:
            form.refresh_key()
        status = 422
    page = firm_pages.load_firm_page(market, firm.firm_id)
    days = form.days.data if isinstance(form.days.data, int) else 30
    return render_template(
        "labs/student_fx.html",
        market=market,
        firm=firm,
        page=page,
        desk=desk.fx_desk(page, market),
        form=form,
        quote_days=days,
        quote_rate=desk.forward_quote(page, days),
        **_desk_helpers(),
    ), status


# --- disputes ------------------------------------------------------------------------


def _render_disputes(market: SandboxMarket, firm, forms: dict, status: int = 200):
    page = firm_pages.load_firm_page(market, firm.firm_id)
    cards = desk.dispute_cards(page, market)
    for card in cards:
        if card["negotiable"] and card["dispute_id"] not in forms:
            form = DisputeOfferForm(formdata=None)
            form.firm_id.data = firm.firm_id
            form.refund_rate.data = (card["claim_rate"] * 100).quantize(Decimal("0.1"))
            forms[card["dispute_id"]] = form
    return render_template(
        "labs/student_disputes.html",
        market=market,
        firm=firm,
        page=page,
        cards=cards,
        forms=forms,
        **_desk_helpers(),
    ), status


@bp.route("/markets/<int:market_id>/firm/disputes")
@login_required
def firm_disputes(market_id: int):
    market, firm = get_my_firm_or_404(market_id)
    return _render_disputes(market, firm, {})


@bp.route("/markets/<int:market_id>/firm/disputes/<dispute_id>/resolve", methods=["POST"])
@login_required
def resolve_dispute(market_id: int, dispute_id: str):
    market, firm = get_my_firm_or_404(market_id)
    disputes = firm_pages.load_firm_page(market, firm.firm_id).view["disputes"]
    if all(dispute["dispute_id"] != dispute_id for dispute in disputes):
        abort(404)
    form = DisputeOfferForm()
    if form.validate_on_submit():
        rate = (Decimal(required(form.refund_rate.data)) / 100).quantize(Decimal("0.0001"))
        command = {"command": "ResolveDispute", "dispute_id": dispute_id, "refund_rate": str(rate)}
        if send_command(form, market, firm, command):
            flash(
                _("The buyer accepted your offer; dispute %(id)s is resolved.", id=dispute_id),
                "success",
            )
            return redirect(url_for("labs.firm_disputes", market_id=market.id))
    else:
        form.refresh_key()
    return _render_disputes(market, firm, {dispute_id: form}, status=422)


# --- messages from buyers ------------------------------------------------------------


@bp.route("/markets/<int:market_id>/firm/messages")
@login_required
def firm_messages(market_id: int):
    market, firm = get_my_firm_or_404(market_id)
    page = firm_pages.load_firm_page(market, firm.firm_id)
    inbox = messages.firm_messages(market, page)
    asked = request.args.get("page", "1")
    number = int(asked) if asked.isdigit() and int(asked) >= 1 else 1
    pages = max(1, -(-len(inbox) // MESSAGES_PER_PAGE))
    if number > pages:
        abort(404)
    shown = inbox[(number - 1) * MESSAGES_PER_PAGE : number * MESSAGES_PER_PAGE]
    return render_template(
        "labs/student_messages.html",
        market=market,
        firm=firm,
        page=page,
        shown=[(item, messages.render_message(item, market)) for item in shown],
        number=number,
        pages=pages,
        total=len(inbox),
        **_desk_helpers(),
    )


# --- the live clock ------------------------------------------------------------------


def _problem(status: int, title: str, code: str) -> Response:
    response = jsonify(type="about:blank", title=title, status=status, code=code)
    response.status_code = status
    response.mimetype = "application/problem+json"
    return response


def _may_watch(market: SandboxMarket) -> bool:
    """The market's student firm owners and, for a class market, its class's teachers."""
    if queries.firm_for_user(market, current_user) is not None:
        return True
    school_class = market.school_class
    return school_class is not None and can(current_user, "class.teach", school_class)


@bp.route("/markets/<int:market_id>/clock.json")
@login_required
def market_clock(market_id: int):
    market = queries.get_market(market_id)
    if market is None or not _may_watch(market):
        return _problem(404, "Not found", "market_not_found")
    response = jsonify(
        market_id=market.id,
        sim_day=market.sim_day,
        last_seq=market.last_seq,
        status=str(market.status),
    )
    response.headers["Cache-Control"] = "no-store"
    return response
