"""China export customs: declarations, double random inspection, credit and rebates."""

from sandbox.customs.declaration import (
    DECLARATION_FIELDS,
    Finding,
    check_declaration,
    expected_declaration,
)
from sandbox.customs.inspection import (
    credit_class,
    inspection_floor,
    inspection_penalty,
    selection_reason,
)
from sandbox.customs.rebate import rebate_amounts
from sandbox.customs.tax import (
    customs_value,
    deemed_domestic_vat,
    duty_rate,
    import_taxes,
    import_vat_rate,
    input_vat_rate,
    origin_scheme_for,
)

__all__ = [
    "DECLARATION_FIELDS",
    "Finding",
    "check_declaration",
    "credit_class",
    "customs_value",
    "deemed_domestic_vat",
    "duty_rate",
    "expected_declaration",
    "import_taxes",
    "import_vat_rate",
    "input_vat_rate",
    "inspection_floor",
    "inspection_penalty",
    "origin_scheme_for",
    "rebate_amounts",
    "selection_reason",
]
