"""Students' pages: their firms, a firm's dashboard, quotations and the order pipeline.

A student reaches only the firm they run: every page loads it through
``get_my_firm_or_404`` (404 for an unknown market, 403 when the student has no firm
in it), reads the market through the engine's ``firm_view`` only, and every action
goes through ``academy.labs.markets.execute_command``, which refuses a paused market
and a forged firm id.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from academy.auth.models import Role
from academy.auth.permissions import login_required
from academy.db import db
from academy.errors import OperationError
from academy.labs import charts, labels, markets, pipeline, pricing, queries, refusals
from academy.labs import firm as firm_pages
from academy.labs.models import MarketFirm, MarketStatus, SandboxMarket
from academy.labs.student_forms import (
    CommandForm,
    EditQuoteForm,
    HelperForm,
    OriginCertificateForm,
    QuoteForm,
    SimpleStepForm,
)
from academy.labs.views import bp
from academy.labs.views.steps import step_command, step_form
from academy.navigation import register_nav_item
from academy.numbers import NumberError, parse_decimal, to_minor_units
from sandbox import lane_refusal

register_nav_item(
    "labs.my_firms",
    _l("My firms"),
    lambda user: user.is_authenticated and user.has_role(Role.STUDENT),
    order=25,
)

for _name, _filter in labels.VALUE_FILTERS.items():
    bp.add_app_template_filter(_filter, _name)


def get_my_firm_or_404(market_id: int) -> tuple[SandboxMarket, MarketFirm]:
    """Load a market and the current student's firm in it: 404 if no market, else 403."""
    market = queries.get_market(market_id)
    if market is None:
        abort(404)
    firm = queries.firm_for_user(market, current_user)
    if firm is None:
        abort(403)
    return market, firm


def page_helpers() -> dict[str, Any]:
    return {
        "cny": labels.money_cny,
        "usd": labels.money_usd,
        "percent": labels.percent,
        "rate_help": labels.RATE_HELP,
        "status_labels": labels.MarketState.as_dict(),
        "MarketStatus": MarketStatus,
        "engine_message": refusals.engine_message,
        "mode_label": labels.mode_label,
        "read_credit": pipeline.read_credit,
        "rate_percent": labels.rate_percent,
        "origin_label": labels.OriginScheme.label_of,
    }


def _refuse(form: CommandForm, error: Any) -> None:
    """Put a refusal or an engine rejection on its form field, or on the form."""
    if isinstance(error, OperationError):
        db.session.rollback()
        field_name, message = error.field, refusals.engine_message(error)
    else:
        field_name, message = error.get("field"), refusals.engine_message(error)
    field = getattr(form, field_name, None) if field_name else None
    if field is not None and field_name not in form.hidden_fields and hasattr(field, "errors"):
        field.errors = [*field.errors, message]
    else:
        form.form_errors.append(message)
    form.refresh_key()


def send_command(
    form: CommandForm, market: SandboxMarket, firm: MarketFirm, command: dict[str, Any]
) -> bool:
    """Send an engine command for the student's firm; True when it was applied."""
    payload = {**command, "firm_id": form.firm_id.data or firm.firm_id}
    try:
        result = markets.execute_command(
            market, current_user, firm.firm_id, payload, form.idempotency_key.data or None
        )
    except OperationError as error:
        _refuse(form, error)
        return False
    if not result.ok:
        _refuse(form, result.error or {})
        return False
    return True


# --- my firms and the dashboard -------------------------------------------------------


@bp.route("/firms")
@login_required
def my_firms():
    rows = []
    for market in queries.markets_of_user(current_user):
        rows.append((market, queries.firm_for_user(market, current_user)))
    return render_template("labs/student_firms.html", rows=rows, **page_helpers())


@bp.route("/markets/<int:market_id>/firm")
@login_required
def firm_dashboard(market_id: int):
    market, firm = get_my_firm_or_404(market_id)
    page = firm_pages.load_firm_page(market, firm.firm_id)
    contracts = [(contract, pipeline.pipeline_of(contract)) for contract in page.view["contracts"]]
    return render_template(
        "labs/student_dashboard.html",
        market=market,
        firm=firm,
        page=page,
        view=page.view,
        contracts=contracts,
        inquiry_forms=_inquiry_forms(firm, page.view["inquiries"]),
        insure_forms=_insure_forms(firm, page.view["open_rfqs"]),
        **page_helpers(),
    )


@bp.route("/markets/<int:market_id>/firm/inquiries/<inquiry_id>/answer", methods=["POST"])
@login_required
def answer_inquiry(market_id: int, inquiry_id: str):
    market, firm = get_my_firm_or_404(market_id)
    form = SimpleStepForm()
    command = {"command": "AnswerInquiry", "inquiry_id": inquiry_id}
    if form.validate_on_submit() and send_command(form, market, firm, command):
        flash(_("You answered inquiry %(inquiry)s.", inquiry=inquiry_id), "success")
    else:
        for message in form.form_errors or [_("The answer was not sent.")]:
            flash(message, "error")
    return redirect(url_for("labs.firm_dashboard", market_id=market.id))


@bp.route("/markets/<int:market_id>/firm/buyers/<buyer_id>/insure", methods=["POST"])
@login_required
def insure_buyer(market_id: int, buyer_id: str):
    market, firm = get_my_firm_or_404(market_id)
    form = SimpleStepForm()
    command = {"command": "InsureBuyerCredit", "buyer_id": buyer_id}
    if form.validate_on_submit() and send_command(form, market, firm, command):
        flash(
            _("The credit insurer granted a limit on buyer %(buyer)s.", buyer=buyer_id), "success"
        )
    else:
        for message in form.form_errors or [_("The request was not sent.")]:
            flash(message, "error")
    return redirect(url_for("labs.firm_dashboard", market_id=market.id))


def _inquiry_forms(firm: MarketFirm, inquiries: list[dict[str, Any]]) -> dict[str, Any]:
    forms = {}
    for inquiry in inquiries:
        form = SimpleStepForm(formdata=None)
        form.firm_id.data = firm.firm_id
        forms[inquiry["inquiry_id"]] = form
    return forms


@bp.route("/markets/<int:market_id>/firm/history")
@login_required
def firm_history(market_id: int):
    market, firm = get_my_firm_or_404(market_id)
    points = charts.firm_history(market, firm.firm_id)
    return render_template(
        "labs/student_history.html",
        market=market,
        firm=firm,
        page={"view": {"day": market.sim_day, "date": ""}},
        points=points,
        # Cash never comes near zero: an axis from zero would flatten its movements.
        cash_chart=charts.line_chart(points, ("cash",), include_zero=False),
        pnl_chart=charts.line_chart(points, ("revenue", "net_profit")),
        **page_helpers(),
    )


def _insure_forms(firm: MarketFirm, rfqs: list[dict[str, Any]]) -> dict[str, Any]:
    forms = {}
    for rfq in rfqs:
        form = SimpleStepForm(formdata=None)
        form.firm_id.data = firm.firm_id
        forms[rfq["buyer"]["buyer_id"]] = form
    return forms


# --- quotations ------------------------------------------------------------------------


@bp.route("/markets/<int:market_id>/firm/rfqs/<rfq_id>/quote", methods=["GET", "POST"])
@login_required
def quote_rfq(market_id: int, rfq_id: str):
    market, firm = get_my_firm_or_404(market_id)
    page = firm_pages.load_firm_page(market, firm.firm_id)
    rfq = page.rfq(rfq_id)
    if rfq is None:
        abort(404)
    product = page.world.products.get(rfq["product_id"])
    # Services that cannot carry the goods at all (batteries by post, frozen food by LCL)
    # are not offered; the booking page then asks for their papers or cold chain.
    lanes = [
        lane
        for lane in page.lanes_to(rfq["buyer"]["market"])
        if product is None or lane_refusal(page.world, product, lane) is None
    ]
    lane_choices = [
        (lane.id, f"{lane.id} · {labels.mode_label(lane.mode)} · {lane.origin}") for lane in lanes
    ]
    own_quote = next((q for q in page.view["quotes"] if q["rfq_id"] == rfq_id), None)
    if own_quote:
        form: Any = EditQuoteForm()
        if request.method == "GET":
            form.firm_id.data = firm.firm_id
            form.unit_price.data = Decimal(own_quote["unit_price"]) / 100
    else:
        form = QuoteForm()
        _prepare_quote_form(form, rfq, firm, lane_choices, page.default_lane(rfq))
    if request.method == "POST" and form.validate_on_submit():
        price = to_minor_units(form.unit_price.data, "USD")
        if own_quote:
            command = {"command": "EditQuote", "quote_id": own_quote["quote_id"]}
            done = _("The price of your quotation for %(rfq)s was changed.", rfq=rfq_id)
        else:
            command = {
                "command": "SubmitQuote",
                "rfq_id": rfq_id,
                "incoterm": form.incoterm.data,
                "payment": form.payment.data,
                "lane_id": form.lane_id.data,
                "lead_days": form.lead_days.data,
            }
            done = _("Your quotation for %(rfq)s was sent.", rfq=rfq_id)
        if send_command(form, market, firm, {**command, "unit_price": price}):
            flash(done, "success")
            return redirect(url_for("labs.firm_dashboard", market_id=market.id))
    elif request.method == "POST":
        form.refresh_key()
    helper_form = HelperForm(request.args)
    helper_form.lane.choices = lane_choices
    lane_id = helper_form.lane.data or page.default_lane(rfq)
    try:
        margin = parse_decimal(request.args.get("margin", "12"), places=1)
    except NumberError:
        margin = Decimal("12")
    margin = min(max(margin, Decimal(0)), Decimal(200))
    helper_form.margin.data = margin
    helper_form.lane.data = lane_id
    helper = pricing.quote_helper(page, rfq, lane_id, margin / 100)
    status = 400 if request.method == "POST" else 200
    return render_template(
        "labs/student_quote.html",
        market=market,
        firm=firm,
        page=page,
        rfq=rfq,
        form=form,
        helper_form=helper_form,
        helper=helper,
        own_quote=own_quote,
        **page_helpers(),
    ), status


def _prepare_quote_form(
    form: QuoteForm,
    rfq: dict[str, Any],
    firm: MarketFirm,
    lanes: list[tuple[str, str]],
    default_lane: str,
) -> None:
    """Fill the choices (and, on first display, the buyer's asked terms and a lane fitting them)."""
    form.incoterm.choices = labels.incoterm_choices()
    form.payment.choices = labels.payment_choices()
    form.lane_id.choices = lanes
    if request.method == "GET":
        form.firm_id.data = firm.firm_id
        form.incoterm.data = rfq["incoterm"]
        form.payment.data = rfq["payment"]
        form.lead_days.data = 30
        form.lane_id.data = default_lane


def _answer_credit(market: Any, firm: Any, contract_id: str, action: str) -> None:
    """Accept, refuse or ask to amend the letter of credit; flash what happened."""
    answer_form = SimpleStepForm()
    command, done = pipeline.CREDIT_ACTIONS[action]
    if answer_form.validate_on_submit() and send_command(
        answer_form, market, firm, {**command, "contract_id": contract_id}
    ):
        flash(str(done), "success")
    else:
        for message in answer_form.form_errors or [_("The request was not sent.")]:
            flash(message, "error")


def _origin_form(contract: dict[str, Any], firm_id: str) -> OriginCertificateForm | None:
    """The certificate-of-origin form, when a scheme would lower the buyer's duty."""
    tax = contract.get("tax") or {}
    offered = tax.get("preferential") or {}
    if (
        not offered
        or not tax.get("export_sale")
        or tax.get("origin_certificate")
        or contract["status"] != "active"
        or contract["stage"] not in ("signed", "departed")
    ):
        return None
    form = OriginCertificateForm(formdata=None)
    form.firm_id.data = firm_id
    form.scheme.choices = [(code, labels.OriginScheme.label_of(code)) for code in offered]
    return form


def _apply_origin(market: SandboxMarket, firm: MarketFirm, contract: dict[str, Any]):
    """Send ``ApplyOriginCertificate``; errors go to the flash area, then back to the page."""
    form = OriginCertificateForm()
    offered = (contract.get("tax") or {}).get("preferential") or {}
    form.scheme.choices = [(code, labels.OriginScheme.label_of(code)) for code in offered]
    command = {
        "command": "ApplyOriginCertificate",
        "contract_id": contract["contract_id"],
        "scheme": form.scheme.data,
    }
    if form.validate_on_submit() and send_command(form, market, firm, command):
        flash(_("You applied for the certificate of origin."), "success")
    else:
        messages = [f"{item.label.text}: {m}" for item in form for m in item.errors]
        messages += list(form.form_errors)
        for message in messages or [_("The application was not sent.")]:
            flash(message, "error")
    return redirect(
        url_for("labs.show_contract", market_id=market.id, contract_id=contract["contract_id"])
    )


@bp.route("/markets/<int:market_id>/firm/contracts/<contract_id>", methods=["GET", "POST"])
@login_required
def show_contract(market_id: int, contract_id: str):
    market, firm = get_my_firm_or_404(market_id)
    page = firm_pages.load_firm_page(market, firm.firm_id)
    contract = page.contract(contract_id)
    if contract is None:
        abort(404)
    step = pipeline.next_step(contract)
    action = request.form.get("action")
    if request.method == "POST" and action in pipeline.CREDIT_ACTIONS:
        # Answering the credit is open whatever the next step is (before shipping, mostly).
        _answer_credit(market, firm, contract_id, action)
        return redirect(url_for("labs.show_contract", market_id=market.id, contract_id=contract_id))
    if request.method == "POST" and request.form.get("action") == "origin":
        return _apply_origin(market, firm, contract)
    if request.method == "POST" and request.form.get("step") != step:
        # A second click on a form already applied is not an error: it was done once.
        key = request.form.get("idempotency_key")
        if not firm_pages.already_applied(market, key, current_user.id):
            flash(
                _("This step is no longer the next one; the page shows where it stands."), "error"
            )
        return redirect(url_for("labs.show_contract", market_id=market.id, contract_id=contract_id))
    form = step_form(step, page, contract, firm.firm_id)
    origin_form = _origin_form(contract, firm.firm_id)
    amend_form = None
    if pipeline.credit_choices(contract):
        amend_form = SimpleStepForm(formdata=None)
        amend_form.firm_id.data = firm.firm_id
    status = 200
    if request.method == "POST":
        status = 400
        if step is not None and form is not None and form.validate_on_submit():
            if send_command(form, market, firm, step_command(step, form, contract_id)):
                flash(_("Done: the next step of %(contract)s.", contract=contract_id), "success")
                return redirect(
                    url_for("labs.show_contract", market_id=market.id, contract_id=contract_id)
                )
        elif form is not None:
            form.refresh_key()
    return render_template(
        "labs/student_contract.html",
        market=market,
        firm=firm,
        page=page,
        contract=contract,
        steps=pipeline.pipeline_of(contract),
        step=step,
        form=form,
        amend_form=amend_form,
        origin_form=origin_form,
        **page_helpers(),
    ), status
