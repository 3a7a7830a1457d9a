"""Bot strategies: a registry of small classes that decide a firm's commands each day.

Bots read only facts a firm's view exposes (never sealed shipment outcomes, buyers'
personas or rivals' quotes) and act only through ``Market.execute``; a rejected command is simply skipped, as a student would see an
error and move on. Their randomness comes from ``rng_for(seed, "bot", firm, day)``.
"""

from __future__ import annotations

import random
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from sandbox.bots.pricing import SEA_TO_ANY, quote_unit_price
from sandbox.customs.tax import duty_rate, origin_scheme_for
from sandbox.engine import commands as c
from sandbox.engine.declarations import expected_for
from sandbox.engine.handlers import quote_quota
from sandbox.engine.handlers.finance import forward_cover, open_exposure
from sandbox.errors import CommandRejected
from sandbox.logistics import MODES, shipment_metrics
from sandbox.logistics.handling import booking_terms, lane_refusal
from sandbox.payments import prepare_presentation
from sandbox.payments.drafting import draft_presentation
from sandbox.payments.soft_clauses import credit_clauses, find_soft_clauses
from sandbox.rng import rng_for
from sandbox.trade import INCOTERMS

if TYPE_CHECKING:
    from sandbox.engine.market import Market

__all__ = ["BOTS", "CALIBRATION_BOTS", "Strategy", "register_bot_firms", "run_bots"]


class Strategy:
    """Base strategy: a careful exporter; subclasses change the dials.

    Attributes:
        name: Registry key.
        margin: Markup on cost.
        accepted_payments: Methods it will quote as asked; others become ``fallback_payment``.
        answer_rate: Share of inquiries it answers on time.
        quotes_per_day: Most quotes it sends in a day.
        error_rate: Chance of a slip in a declaration.
        checks_documents: Reads the credit before drafting (few slips) or not (many).
        lead_slack: Days added to the supplier's longest lead time.
    """

    name: ClassVar[str] = ""
    margin: ClassVar[Decimal] = Decimal("0.15")
    accepted_payments: ClassVar[tuple[str, ...]] = ("tt", "lc", "escrow", "dp")
    fallback_payment: ClassVar[str] = "tt"
    answer_rate: ClassVar[float] = 1.0
    quotes_per_day: ClassVar[int] = 2
    error_rate: ClassVar[float] = 0.0
    lead_slack: ClassVar[int] = 12
    uses_forwards: ClassVar[bool] = False
    insures_credit: ClassVar[bool] = False
    amends_soft_clauses: ClassVar[bool] = False
    checks_documents: ClassVar[bool] = True
    dispute_offer: ClassVar[Decimal | None] = Decimal("0.7")

    def act(self, m: Market, firm_id: str) -> dict[str, int]:
        """Issue today's commands for ``firm_id``; return counts of accepted and rejected."""
        rng = rng_for(m.state.seed, "bot", firm_id, m.state.day)
        tally = {"accepted": 0, "rejected": 0}

        def run(command: Any) -> bool:
            try:
                m.execute(command)
            except CommandRejected:
                tally["rejected"] += 1
                return False
            tally["accepted"] += 1
            return True

        self._inquiries(m, firm_id, rng, run)
        self._contracts(m, firm_id, rng, run)
        self._quotes(m, firm_id, rng, run)
        self._extras(m, firm_id, rng, run)
        return tally

    # --- decisions -------------------------------------------------------------------

    def _inquiries(self, m: Market, firm_id: str, rng: random.Random, run: Any) -> None:
        for inquiry_id in list(m.state.pending_inquiries.get(firm_id, {})):
            if m.state.day - m.state.inquiries[inquiry_id]["day"] > 1:
                continue
            if rng.random() < self.answer_rate:
                run(c.AnswerInquiry(firm_id, inquiry_id))

    def choose_lane(
        self, m: Market, rfq: dict[str, Any], rng: random.Random
    ) -> tuple[str, str] | None:
        """Pick a lane and the Incoterm to quote on it; ``None`` if nothing fits.

        Careful bots weigh the lane's mid-range freight against time in transit (capital
        tied up, about 0.2 % of the goods' value a day); sloppy ones pick at random.
        """
        world = m.world
        market = m.state.buyers[rfq["buyer_id"]]["market"]
        product = world.products[rfq["product_id"]]
        weight, volume = shipment_metrics(
            rfq["quantity"], product.gross_weight_g, product.volume_cm3
        )
        goods_value = product.market_price * rfq["quantity"]
        options = []
        for lane_id in world.lanes_by_market[market]:
            lane = world.lanes[lane_id]
            mode = MODES[lane.mode]
            if mode.max_weight_g and weight > mode.max_weight_g:
                continue
            if lane_refusal(world, product, lane) is not None:
                continue
            term = rfq["incoterm"]
            if INCOTERMS[term].sea_only and not mode.sea:
                term = SEA_TO_ANY[term]
            freight = (lane.cost[0] + lane.cost[1]) // 2 * mode.billing_units(weight, volume)
            options.append((freight + goods_value * lane.days[1] // 500, lane_id, term))
        if not options:
            return None
        options.sort()
        _, lane_id, term = options[0] if self.name != "sloppy" else rng.choice(options)
        return lane_id, term

    def _quotes(self, m: Market, firm_id: str, rng: random.Random, run: Any) -> None:
        state = m.state
        firm = state.firms[firm_id]
        budget = min(self.quotes_per_day, quote_quota(m, firm))
        if budget <= 0:
            return
        candidates: list[str] = []
        for product_id in firm["products"]:
            candidates.extend(state.open_rfqs_by_product.get(product_id, {}))
        if not candidates:
            return
        # Sampling (not shuffling) keeps a firm's daily cost independent of market size.
        for rfq_id in rng.sample(candidates, k=min(len(candidates), budget * 2)):
            if budget <= 0:
                break
            rfq = state.rfqs[rfq_id]
            if any(state.quotes[q]["firm_id"] == firm_id for q in rfq["quotes"]):
                continue
            choice = self.choose_lane(m, rfq, rng)
            if choice is None:
                continue
            lane_id, term = choice
            payment = (
                rfq["payment"]
                if rfq["payment"] in self.accepted_payments
                else self.fallback_payment
            )
            supplier_days = max(
                m.world.suppliers[s].lead_days[1]
                for s in m.world.suppliers_by_product[rfq["product_id"]]
            )
            price = quote_unit_price(m, rfq, lane_id, term, self.margin)
            if run(
                c.SubmitQuote(
                    firm_id, rfq_id, price, term, payment, lane_id, supplier_days + self.lead_slack
                )
            ):
                budget -= 1

    def _contracts(self, m: Market, firm_id: str, rng: random.Random, run: Any) -> None:
        state = m.state
        for contract_id in list(state.active_by_firm.get(firm_id, {})):
            contract = state.contracts[contract_id]
            if contract["po_id"] is None:
                for supplier_id in m.world.suppliers_by_product[contract["product_id"]]:
                    if run(c.PlacePurchaseOrder(firm_id, contract_id, supplier_id)):
                        break
                continue
            order = state.purchase_orders[contract["po_id"]]
            if contract["freight"] is None:
                if order["status"] != "ordered":
                    run(self.booking(m, firm_id, contract, rng))
                continue
            term = INCOTERMS[contract["incoterm"]]
            if contract["declaration"] is None and term.export_clearance == "seller":
                run(c.FileDeclaration(firm_id, contract_id, self.declaration(m, contract, rng)))
            self._origin(m, firm_id, contract, run)
            lc = contract["lc"]
            if lc is not None:
                self._credit_work(m, firm_id, contract, lc, rng, run)
            if contract["rebate"] is None and contract["departed_day"] is not None:
                run(c.ClaimRebate(firm_id, contract_id))
            dispute = state.disputes.get(contract["dispute_id"] or "")
            if (
                dispute is not None
                and dispute["status"] == "negotiating"
                and self.dispute_offer is not None
            ):
                rate = (Decimal(str(dispute["claim_rate"])) * self.dispute_offer).quantize(
                    Decimal("0.001")
                )
                run(c.ResolveDispute(firm_id, dispute["dispute_id"], str(rate)))

    def _origin(self, m: Market, firm_id: str, contract: dict[str, Any], run: Any) -> None:
        """Under DDP the bot pays the duty: it applies for the certificate that lowers it."""
        term = INCOTERMS[contract["incoterm"]]
        if term.import_clearance != "seller" or contract.get("origin_certificate") is not None:
            return
        if contract["stage"] != "signed":
            return
        market = m.state.buyers[contract["buyer_id"]]["market"]
        product_id = contract["product_id"]
        general = duty_rate(m.world, market, product_id)
        for scheme in m.world.tax.origin_schemes:
            if duty_rate(m.world, market, product_id, scheme) < general and origin_scheme_for(
                m.world, scheme, market
            ):
                run(c.ApplyOriginCertificate(firm_id, contract["contract_id"], scheme))
                return

    def _credit_work(
        self,
        m: Market,
        firm_id: str,
        contract: dict[str, Any],
        lc: dict[str, Any],
        rng: random.Random,
        run: Any,
    ) -> None:
        credit = lc["credit"]
        soft = find_soft_clauses(credit_clauses(credit))
        if self.amends_soft_clauses and soft and lc.get("response") is None:
            if not lc["amended"]:
                run(c.RequestLcAmendment(firm_id, contract["contract_id"]))
                return
            if contract["departed_day"] is None and lc["state"] == "issued":
                # The buyer kept the soft clause: a careful firm walks away before shipping.
                run(c.RespondToCredit(firm_id, contract["contract_id"], "refuse"))
                return
        if contract["departed_day"] is None or lc["state"] not in ("issued", "refused"):
            return
        if lc["state"] == "refused" and lc["presentations"] >= 2:
            return
        insurance = None
        if credit["insurance_required"]:
            insurance = credit["amount"] * 110 // 100 + 1
        if lc["presentations"] == 0:
            documents, late = self.draft_documents(m, contract, insurance)
        else:  # the refusal notice listed every discrepancy: the second set is corrected
            documents, late = prepare_presentation(credit, insurance_amount=insurance), False
        # Careful firms present at once; a firm that does not check sometimes waits too long.
        wait = 25 if late else 0
        if m.state.day - contract["departed_day"] >= wait:
            run(c.PresentDocuments(firm_id, contract["contract_id"], documents))

    def draft_documents(
        self, m: Market, contract: dict[str, Any], insurance: int | None
    ) -> tuple[dict[str, Any], bool]:
        """Return the first set of documents under the credit and whether it goes late."""
        draft = rng_for(m.state.seed, "bot_documents", contract["contract_id"])
        return draft_presentation(
            contract["lc"]["credit"],
            draft,
            checked=self.checks_documents,
            insurance_amount=insurance,
        )

    def booking(
        self, m: Market, firm_id: str, contract: dict[str, Any], rng: random.Random
    ) -> c.BookFreight:
        """Return the booking: the papers the goods need and cold chain when they need it.

        A bot that slips forgets the dangerous-goods papers (the carrier refuses; it
        books again another day).
        """
        world = m.world
        product = world.products[contract["product_id"]]
        terms = booking_terms(world, product, world.lanes[contract["lane_id"]])
        papers = tuple(terms["documents"])
        if papers and self.error_rate and rng.random() < self.error_rate:
            papers = ()
        return c.BookFreight(
            firm_id,
            contract["contract_id"],
            insure=self.insures_credit,
            documents=papers,
            cold_chain=terms["cold_chain"],
        )

    def declaration(
        self, m: Market, contract: dict[str, Any], rng: random.Random
    ) -> dict[str, Any]:
        """Return the declaration this bot files (correct, unless it slips)."""
        form = expected_for(m, contract)
        if rng.random() < self.error_rate:
            slip = rng.choice(("declared_value", "hs_code", "net_weight_kg", "transaction_mode"))
            if slip == "declared_value":
                form["declared_value"] = form["declared_value"] * 8 // 10  # undervaluation
            elif slip == "hs_code":
                form["hs_code"] = form["hs_code"][:6] + "9999"
            elif slip == "net_weight_kg":
                form["net_weight_kg"] = max(1, form["net_weight_kg"] * 7 // 10)
            elif form["transaction_mode"] != "CIF":
                # The wrong mode with the boxes it needs: a guessed freight and insurance rate.
                form.update(transaction_mode="CIF", freight="5/1", insurance="0.3/1")
            else:
                form.update(transaction_mode="FOB", freight="", insurance="")
        return form

    def _extras(self, m: Market, firm_id: str, rng: random.Random, run: Any) -> None:
        state = m.state
        if self.uses_forwards and state.day % 15 == 0:
            exposure = open_exposure(m, firm_id)
            covered = forward_cover(m, firm_id)
            if exposure - covered > 1_000_000:
                run(c.BookForward(firm_id, (exposure - covered) // 2, 60))
        if self.insures_credit:
            for contract_id in state.active_by_firm.get(firm_id, {}):
                contract = state.contracts[contract_id]
                key = f"{firm_id}|{contract['buyer_id']}"
                if contract["payment"] in ("open_account", "da") and key not in state.credit_limits:
                    run(c.InsureBuyerCredit(firm_id, contract["buyer_id"]))
        firm = state.firms[firm_id]
        if state.day % 10 == 3 and rng.random() < 0.5:
            weakest = min(firm["products"], key=lambda p: (firm["listing_quality"][p], p))
            if (
                firm["listing_quality"][weakest] < 45
                and state.ledger.cash(f"firm:{firm_id}") > 50_000_000
            ):
                run(c.ImproveListing(firm_id, weakest))


class Cautious(Strategy):
    """Good margins, safe payment terms, hedges FX, insures credit, never slips."""

    name = "cautious"
    margin = Decimal("0.15")
    uses_forwards = True
    insures_credit = True
    amends_soft_clauses = True


class Aggressive(Strategy):
    """Thin margins, quotes whatever the buyer wants, short lead times."""

    name = "aggressive"
    margin = Decimal("0.05")
    accepted_payments = ("tt", "lc", "escrow", "dp", "da", "open_account")
    quotes_per_day = 3
    answer_rate = 0.9
    lead_slack = 3
    dispute_offer = Decimal("0.6")


class Sloppy(Strategy):
    """Random lanes, slips in declarations and documents, forgets inquiries and disputes."""

    name = "sloppy"
    margin = Decimal("0.10")
    accepted_payments = ("tt", "lc", "escrow", "dp", "da", "open_account")
    answer_rate = 0.5
    error_rate = 0.25
    checks_documents = False
    lead_slack = 6
    dispute_offer = None


class Undercutter(Strategy):
    """Prices below cost to win orders: it wins more RFQs than anyone and loses money.

    Kept out of ``BOTS`` (the rivals teachers and ``--bots`` choose from) in
    ``CALIBRATION_BOTS``: ``python -m sandbox calibrate`` plays it to show that
    under-pricing wins but does not pay.
    """

    name = "undercutter"
    margin = Decimal("-0.08")
    accepted_payments = ("tt", "lc", "escrow", "dp", "da", "open_account")
    quotes_per_day = 3
    lead_slack = 6


BOTS: dict[str, Strategy] = {bot.name: bot for bot in (Cautious(), Aggressive(), Sloppy())}
#: Strategies played only by the calibration report (and tests), never offered as rivals.
CALIBRATION_BOTS: dict[str, Strategy] = {bot.name: bot for bot in (Undercutter(),)}


def register_bot_firms(m: Market, count: int, bots: list[str]) -> list[str]:
    """Register ``count`` firms F001... played by ``bots`` in turn; return their ids."""
    world = m.world
    products = sorted(world.products)
    ids = []
    for index in range(1, count + 1):
        bot = bots[(index - 1) % len(bots)]
        rng = rng_for(m.state.seed, "firm", index)
        listed = tuple(sorted(rng.sample(products, k=min(3, len(products)))))
        firm_id = f"F{index:03d}"
        m.execute(c.RegisterFirm(firm_id, f"Henan Trading Firm {index:03d} ({bot})", listed, bot))
        ids.append(firm_id)
    return ids


def run_bots(m: Market) -> dict[str, int]:
    """Let every bot-played firm act for today, in firm order."""
    tally = {"accepted": 0, "rejected": 0}
    for firm_id, firm in m.state.firms.items():
        bot = BOTS.get(firm["bot"] or "") or CALIBRATION_BOTS.get(firm["bot"] or "")
        if bot is None:
            continue
        result = bot.act(m, firm_id)
        tally["accepted"] += result["accepted"]
        tally["rejected"] += result["rejected"]
    return tally
