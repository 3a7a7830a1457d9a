"""Tax commands: the preferential certificate of origin."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sandbox.customs import origin_scheme_for
from sandbox.engine import commands as c
from sandbox.engine.flows import transfer
from sandbox.engine.handlers.common import get_contract, need_cash, reject
from sandbox.engine.parties import CUSTOMS, firm_party
from sandbox.rng import rng_for
from sandbox.trade import INCOTERMS

if TYPE_CHECKING:
    from sandbox.engine.market import Market

__all__ = ["apply_origin_certificate"]

#: Letter that opens a certificate's number, by scheme.
_PREFIX = {"form_e": "E", "rcep": "R"}


def apply_origin_certificate(m: Market, cmd: c.ApplyOriginCertificate) -> None:
    """Apply for a certificate of origin so the goods enter at the preferential duty.

    The exporter applies (so not under EXW, where the buyer exports); the destination
    must grant preference under the scheme; the certificate must be ready before the
    goods are cleared at import, so the firm applies before they arrive. The fee is
    paid at once; the issuing body takes the scheme's days.
    """
    world = m.world
    contract = get_contract(m, cmd.firm_id, cmd.contract_id)
    if cmd.scheme not in world.tax.origin_schemes:
        known = ", ".join(world.tax.origin_schemes) or "none in this market"
        raise reject("ORIGIN_SCHEME_UNKNOWN", f"schemes: {known}", "tax.origin", "scheme")
    market = m.state.buyers[contract["buyer_id"]]["market"]
    scheme = origin_scheme_for(world, cmd.scheme, market)
    if scheme is None:
        raise reject(
            "ORIGIN_SCHEME_MARKET",
            f"{market} grants no preference under {cmd.scheme}",
            "tax.origin",
            "scheme",
        )
    if INCOTERMS[contract["incoterm"]].export_clearance != "seller":
        raise reject(
            "ORIGIN_NOT_EXPORTER",
            "under EXW the buyer exports and applies for the certificate",
            "tax.origin",
            "contract_id",
        )
    if contract.get("origin_certificate") is not None:
        raise reject(
            "ORIGIN_CERTIFICATE_EXISTS",
            "a certificate was already applied for",
            "tax.origin",
            "contract_id",
        )
    if contract["stage"] not in ("signed", "departed"):
        raise reject(
            "ORIGIN_TOO_LATE",
            "the goods have arrived: the certificate had to be ready for import clearance",
            "tax.origin",
            "contract_id",
        )
    need_cash(m, cmd.firm_id, scheme.fee_cny, "scheme")
    low, high = scheme.days
    ready = m.state.day + rng_for(m.state.seed, "origin", cmd.contract_id).randint(low, high)
    year = world.date_of(m.state.day).year % 100
    number = f"{_PREFIX.get(scheme.code, 'C')}{year:02d}4600{m.state.next_id('origin', '', 7)}"
    m.emit(
        "OriginCertificateApplied",
        {
            "contract_id": cmd.contract_id,
            "scheme": scheme.code,
            "certificate_no": number,
            "fee": scheme.fee_cny,
            "ready_day": ready,
        },
    )
    if scheme.fee_cny:
        # Under DDP the seller pays the duty the certificate saves: a delivery cost.
        seller_clears = INCOTERMS[contract["incoterm"]].import_clearance == "seller"
        account = "delivery_cost" if seller_clears else "selling_expense"
        m.journal(
            "certificate of origin fee",
            cmd.contract_id,
            transfer(
                firm_party(cmd.firm_id), account, CUSTOMS, "fee_income", "CNY", scheme.fee_cny
            ),
        )
