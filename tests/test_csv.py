"""The one CSV writer: no cell reaches a spreadsheet as a formula (issue 10)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from academy.csv import csv_text, safe_cell


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://evil.example","x")', '\'=HYPERLINK("http://evil.example","x")'),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTab", "'\tTab"),
        ("\r=1", "'\r=1"),
        ("-12.50", "-12.50"),  # a plain number is no formula
        ("Chen Jing", "Chen Jing"),
        (None, ""),
        (True, "yes"),
        (-3, -3),
        (Decimal("-1.25"), Decimal("-1.25")),
    ],
)
def test_cells_that_would_run_as_formulas_are_written_as_text(value, expected):
    assert safe_cell(value) == expected


def test_header_and_rows_are_guarded():
    rows = list(csv.reader(io.StringIO(csv_text(["=A1"], [["=B2", 5]]))))
    assert rows == [["'=A1"], ["'=B2", "5"]]
