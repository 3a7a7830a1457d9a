"""The export declaration (报关单) and its field-by-field validation.

:func:`check_declaration` returns findings of two severities:

* ``"error"``: the form itself is wrong (missing box, 9-digit HS code, unknown
  supervision mode, gross weight below net). The single-window system refuses it, so
  the command is rejected.
* ``"mismatch"``: the form is well-formed but disagrees with the contract, invoice or
  shipment (another HS code, undervalued, wrong destination). Customs accepts it; the
  risk engine may select it, and an inspection that finds it fines the firm and lowers
  its credit. This is how misdeclaration is modelled.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sandbox.customs.money_boxes import (
    MONEY_BOXES,
    expected_money_boxes,
    money_box_errors,
    money_box_mismatches,
)
from sandbox.trade.incoterms import INCOTERMS

__all__ = ["DECLARATION_FIELDS", "Finding", "check_declaration", "expected_declaration"]

#: Supervision (trade) modes accepted for B2B exports in the sandbox.
B2B_SUPERVISION_MODES = ("0110", "9710", "9810")
#: Modes that exist but do not fit a B2B contract (B2C parcels, bonded e-commerce).
OTHER_SUPERVISION_MODES = ("9610", "1210")
TRANSACTION_MODES = ("CIF", "CFR", "FOB", "C&I", "EXW")
#: China customs transport mode codes: 2 waterway, 3 railway, 4 road, 5 air, 6 postal.
TRANSPORT_MODE_BY_LANE = {
    "sea_fcl": "2",
    "sea_lcl": "2",
    "rail": "3",
    "air": "5",
    "express": "5",
    "postal": "6",
    "warehouse": "3",
}

DECLARATION_FIELDS: dict[str, type] = {
    "consignor_code": str,
    "consignee": str,
    "contract_no": str,
    "supervision_mode": str,
    "transaction_mode": str,
    "transport_mode": str,
    "port_of_exit": str,
    "trading_country": str,
    "destination_country": str,
    "hs_code": str,
    "goods_name": str,
    "quantity": int,
    "unit": str,
    "package_count": int,
    "net_weight_kg": int,
    "gross_weight_kg": int,
    "currency": str,
    "declared_value": int,
}


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem with one declaration field."""

    field: str
    code: str
    severity: str  # "error" or "mismatch"
    message: str

    def as_dict(self) -> dict[str, str]:
        """Return the JSON-ready form."""
        return {
            "field": self.field,
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
        }


def expected_declaration(
    *,
    consignor_code: str,
    consignee: str,
    contract_no: str,
    incoterm: str,
    lane_mode: str,
    lane_origin: str,
    market: str,
    hs_code: str,
    goods_name: str,
    quantity: int,
    unit: str,
    net_weight_g: int,
    gross_weight_g: int,
    units_per_package: int,
    currency: str,
    invoice_value: int,
    freight_usd: int = 0,
    insurance_usd: int = 0,
) -> dict[str, Any]:
    """Build the correct declaration for a contract (what a careful declarant files).

    The freight and insurance boxes carry what the seller paid for the main carriage
    and the cover (USD cents), as totals (mark 3), when the transaction mode fills them.
    """
    mode = INCOTERMS[incoterm].declared_as
    return {
        "consignor_code": consignor_code,
        "consignee": consignee,
        "contract_no": contract_no,
        "supervision_mode": "9810" if lane_mode == "warehouse" else "0110",
        "transaction_mode": INCOTERMS[incoterm].declared_as,
        "transport_mode": TRANSPORT_MODE_BY_LANE[lane_mode],
        "port_of_exit": lane_origin,
        "trading_country": market,
        "destination_country": market,
        "hs_code": hs_code,
        "goods_name": goods_name,
        "quantity": quantity,
        "unit": unit,
        "package_count": max(1, -(-quantity // max(1, units_per_package))),
        "net_weight_kg": max(1, (net_weight_g * quantity + 500) // 1000),
        "gross_weight_kg": max(1, (gross_weight_g * quantity + 500) // 1000),
        "currency": currency,
        "declared_value": invoice_value,
        **expected_money_boxes(mode, freight_usd, insurance_usd),
    }


def _money_error(box: str, kind: str, message: str) -> Finding:
    """Return the refusal finding of a money box, with its box's own code."""
    if box == "freight":
        table = {
            "missing": Finding(box, "FREIGHT_MISSING", "error", message),
            "not_allowed": Finding(box, "FREIGHT_NOT_ALLOWED", "error", message),
            "format": Finding(box, "FREIGHT_FORMAT", "error", message),
            "mark": Finding(box, "FREIGHT_MARK", "error", message),
        }
    else:
        table = {
            "missing": Finding(box, "INSURANCE_MISSING", "error", message),
            "not_allowed": Finding(box, "INSURANCE_NOT_ALLOWED", "error", message),
            "format": Finding(box, "INSURANCE_FORMAT", "error", message),
            "mark": Finding(box, "INSURANCE_MARK", "error", message),
        }
    return table[kind]


def _format_findings(declaration: dict[str, Any]) -> list[Finding]:
    found: list[Finding] = []
    for name, kind in DECLARATION_FIELDS.items():
        value = declaration.get(name)
        if value is None or value == "":
            found.append(Finding(name, "FIELD_MISSING", "error", f"{name} is required"))
        elif type(value) is not kind:
            found.append(Finding(name, "FIELD_TYPE", "error", f"{name} must be {kind.__name__}"))
    bad = {finding.field for finding in found}
    for name in ("quantity", "package_count", "net_weight_kg", "gross_weight_kg", "declared_value"):
        if name not in bad and declaration[name] <= 0:
            found.append(Finding(name, "NOT_POSITIVE", "error", f"{name} must be positive"))
            bad.add(name)
    if "hs_code" not in bad:
        code = declaration["hs_code"]
        if len(code) != 10 or not code.isdigit():
            found.append(Finding("hs_code", "HS_CODE_FORMAT", "error", "HS code must be 10 digits"))
    if "supervision_mode" not in bad:
        mode = declaration["supervision_mode"]
        if mode in OTHER_SUPERVISION_MODES:
            found.append(
                Finding(
                    "supervision_mode",
                    "SUPERVISION_MODE_NOT_B2B",
                    "error",
                    f"{mode} is not a B2B export mode (use 0110, 9710 or 9810)",
                )
            )
        elif mode not in B2B_SUPERVISION_MODES:
            found.append(
                Finding(
                    "supervision_mode", "SUPERVISION_MODE_UNKNOWN", "error", f"unknown mode {mode}"
                )
            )
    if "transaction_mode" not in bad and declaration["transaction_mode"] not in TRANSACTION_MODES:
        found.append(
            Finding(
                "transaction_mode",
                "TRANSACTION_MODE_UNKNOWN",
                "error",
                "use CIF, CFR, FOB, C&I or EXW",
            )
        )
    if "transport_mode" not in bad and declaration["transport_mode"] not in (
        "2",
        "3",
        "4",
        "5",
        "6",
    ):
        found.append(
            Finding("transport_mode", "TRANSPORT_MODE_UNKNOWN", "error", "unknown transport mode")
        )
    for name in ("destination_country", "trading_country"):
        if name not in bad:
            value = declaration[name]
            if len(value) != 2 or not value.isalpha() or not value.isupper():
                found.append(
                    Finding(name, "COUNTRY_FORMAT", "error", f"{name} must be an ISO 3166 code")
                )
    if "currency" not in bad:
        value = declaration["currency"]
        if len(value) != 3 or not value.isalpha() or not value.isupper():
            found.append(
                Finding("currency", "CURRENCY_FORMAT", "error", "currency must be an ISO 4217 code")
            )
    if (
        "net_weight_kg" not in bad
        and "gross_weight_kg" not in bad
        and declaration["gross_weight_kg"] < declaration["net_weight_kg"]
    ):
        # The net weight is the figure that cannot exceed the goods with their packing.
        found.append(
            Finding("net_weight_kg", "NET_ABOVE_GROSS", "error", "net weight above gross weight")
        )
    for name in MONEY_BOXES:
        value = declaration.get(name)
        if value is not None and not isinstance(value, str):
            found.append(Finding(name, "FIELD_TYPE", "error", f"{name} must be str"))
            bad.add(name)
    if "transaction_mode" not in bad and not bad.intersection(MONEY_BOXES):
        mode = declaration["transaction_mode"]
        if mode in TRANSACTION_MODES:
            found += [
                _money_error(box, kind, message)
                for box, kind, message in money_box_errors(declaration, mode)
            ]
    return found


def check_declaration(
    declaration: dict[str, Any],
    expected: dict[str, Any],
    *,
    value_tolerance: Decimal,
    weight_tolerance: Decimal,
    freight_tolerance: Decimal = Decimal("0.10"),
    usd_rate: int = 710_000_000,
) -> list[Finding]:
    """Validate a declaration field by field against the expected one.

    Every finding names the box that holds the error.

    Args:
        declaration: What the firm filed.
        expected: :func:`expected_declaration` for the same contract.
        value_tolerance: Allowed relative difference of declared value vs invoice.
        weight_tolerance: Allowed relative difference of net and gross weight.
        freight_tolerance: Allowed relative difference of the freight and insurance boxes.
        usd_rate: CNY per USD x ``FX_SCALE``, for money boxes stated in CNY.

    Returns:
        Format errors if there are any (then nothing else is checked), else mismatches.
    """
    unknown = sorted(set(declaration) - set(DECLARATION_FIELDS) - set(MONEY_BOXES))
    errors = [
        Finding(name, "FIELD_UNKNOWN", "error", f"{name} is not a declaration box")
        for name in unknown
    ]
    errors += _format_findings(declaration)
    if errors:
        return errors
    found: list[Finding] = []
    exact = {
        "consignor_code": "CONSIGNOR_MISMATCH",
        "consignee": "CONSIGNEE_MISMATCH",
        "contract_no": "CONTRACT_NO_MISMATCH",
        "transaction_mode": "TRANSACTION_MODE_MISMATCH",
        "transport_mode": "TRANSPORT_MODE_MISMATCH",
        "port_of_exit": "PORT_OF_EXIT_MISMATCH",
        "trading_country": "TRADING_COUNTRY_MISMATCH",
        "destination_country": "DESTINATION_MISMATCH",
        "hs_code": "HS_CODE_MISMATCH",
        "quantity": "QUANTITY_MISMATCH",
        "unit": "UNIT_MISMATCH",
        "currency": "CURRENCY_MISMATCH",
    }
    for name, code in exact.items():
        if declaration[name] != expected[name]:
            found.append(
                Finding(
                    name,
                    code,
                    "mismatch",
                    f"{name} {declaration[name]!r} differs from {expected[name]!r}",
                )
            )
    warehouse = expected["supervision_mode"] == "9810"
    if (declaration["supervision_mode"] == "9810") != warehouse:
        found.append(
            Finding(
                "supervision_mode",
                "SUPERVISION_MODE_MISMATCH",
                "mismatch",
                "9810 is for exports to an overseas warehouse, and only for them",
            )
        )
    invoice = expected["declared_value"]
    if abs(Decimal(declaration["declared_value"] - invoice)) > value_tolerance * invoice:
        found.append(
            Finding(
                "declared_value",
                "VALUE_MISMATCH",
                "mismatch",
                "declared value differs from the invoice",
            )
        )
    net = expected["net_weight_kg"]
    if abs(Decimal(declaration["net_weight_kg"] - net)) > weight_tolerance * net:
        found.append(
            Finding(
                "net_weight_kg", "WEIGHT_MISMATCH", "mismatch", "net weight differs from the goods"
            )
        )
    gross = expected["gross_weight_kg"]
    if abs(Decimal(declaration["gross_weight_kg"] - gross)) > weight_tolerance * gross:
        found.append(
            Finding(
                "gross_weight_kg",
                "GROSS_WEIGHT_MISMATCH",
                "mismatch",
                "gross weight differs from the packing list",
            )
        )
    if declaration["package_count"] != expected["package_count"]:
        found.append(
            Finding(
                "package_count",
                "PACKAGES_MISMATCH",
                "mismatch",
                "package count differs from the packing list",
            )
        )
    for box, message in money_box_mismatches(
        declaration, expected, tolerance=freight_tolerance, usd_rate=usd_rate
    ):
        if box == "freight":
            found.append(Finding(box, "FREIGHT_MISMATCH", "mismatch", message))
        else:
            found.append(Finding(box, "INSURANCE_MISMATCH", "mismatch", message))
    return found
