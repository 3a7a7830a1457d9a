"""Quotation calculator: from an EXW price up the ladder to DDP.

All amounts are USD cents for the whole shipment; rates are ``Decimal``. Insurance is
bought on 110 % of the CIF/CIP value, so CIF = CFR / (1 - 1.1 x rate), the usual
export price formula, rounded half up once.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sandbox.money import apply_rate, to_minor

__all__ = ["QuoteInputs", "insurance_premium", "price_ladder"]


@dataclass(frozen=True, slots=True)
class QuoteInputs:
    """Costs that build the price, in USD cents for the shipment.

    Attributes:
        exw: Goods at the works (cost plus margin).
        pre_carriage: Haulage from the works to the terminal or port.
        export_clearance: Export declaration and related fees.
        port_loading: Terminal handling and loading on board (FOB over FAS).
        main_freight: The international freight.
        destination_charges: Delivery from the arrival terminal to the named place.
        unloading: Unloading at the named place (DPU).
        import_clearance: Broker fees at import (DDP).
        insurance_rate_a: Premium rate for ICC (A) cover (CIP).
        insurance_rate_c: Premium rate for ICC (C) cover (CIF).
        insurance_markup: Cover as a share of the insured value, 1.10 by UCP 600 art. 28(f).
        import_duty_rate: Ad valorem duty rate on the CIP value (DDP).
        import_vat_rate: The destination's import VAT on the CIP value plus duty (DDP: a
            seller not registered there cannot reclaim it, so it is priced in).
    """

    exw: int
    pre_carriage: int
    export_clearance: int
    port_loading: int
    main_freight: int
    destination_charges: int
    unloading: int
    import_clearance: int
    insurance_rate_a: Decimal
    insurance_rate_c: Decimal
    insurance_markup: Decimal = Decimal("1.10")
    import_duty_rate: Decimal = Decimal(0)
    import_vat_rate: Decimal = Decimal(0)


def insurance_premium(insured_value: int, rate: Decimal, markup: Decimal = Decimal("1.10")) -> int:
    """Return the premium for cover of ``markup`` x ``insured_value`` at ``rate``."""
    return to_minor(Decimal(insured_value) * markup * rate)


def _gross_up(base: int, rate: Decimal, markup: Decimal) -> int:
    # Price P must cover base + premium(P): P = base / (1 - markup * rate).
    return to_minor(Decimal(base) / (Decimal(1) - markup * rate))


def price_ladder(inputs: QuoteInputs) -> dict[str, int]:
    """Return the shipment price under each of the 11 Incoterms 2020 rules.

    Args:
        inputs: The cost build-up.

    Returns:
        ``{"EXW": ..., "FCA": ..., ..., "DDP": ...}`` in USD cents.
    """
    exw = inputs.exw
    fca = exw + inputs.pre_carriage + inputs.export_clearance
    fas = fca
    fob = fas + inputs.port_loading
    cfr = fob + inputs.main_freight
    cpt = fca + inputs.port_loading + inputs.main_freight
    cif = _gross_up(cfr, inputs.insurance_rate_c, inputs.insurance_markup)
    cip = _gross_up(cpt, inputs.insurance_rate_a, inputs.insurance_markup)
    dap = cpt + inputs.destination_charges
    dpu = dap + inputs.unloading
    duty = apply_rate(cip, inputs.import_duty_rate)
    import_vat = apply_rate(cip + duty, inputs.import_vat_rate)
    ddp = dap + inputs.import_clearance + duty + import_vat
    return {
        "EXW": exw,
        "FCA": fca,
        "FAS": fas,
        "FOB": fob,
        "CFR": cfr,
        "CIF": cif,
        "CPT": cpt,
        "CIP": cip,
        "DAP": dap,
        "DPU": dpu,
        "DDP": ddp,
    }
