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

__all__ = [
    "DECLARATION_FIELDS",
    "Finding",
    "check_declaration",
    "credit_class",
    "expected_declaration",
    "inspection_floor",
    "inspection_penalty",
    "rebate_amounts",
    "selection_reason",
]
