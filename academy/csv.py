"""The one CSV writer of the app: every exported cell goes through the formula guard.

Spreadsheet programs run a cell that begins with ``=``, ``+``, ``-`` or ``@`` (and, in
some, a tab or carriage return) as a formula, so a display name like
``=HYPERLINK("http://evil.example", "click")`` in an export would run on a teacher's
machine. Text cells that begin so get a leading apostrophe, which spreadsheets show as
plain text; numbers, and text that is only a number, are written as they are.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from flask import Response

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
#: A plain number ("-12.50") is no formula and stays as it is.
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")


def safe_cell(value: Any) -> Any:
    """``value`` as a CSV cell that a spreadsheet will not run as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float | Decimal):
        return value
    text = str(value)
    if text.startswith(FORMULA_TRIGGERS) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def csv_text(header: Iterable[Any], rows: Iterable[Iterable[Any]]) -> str:
    """The CSV text of ``header`` and ``rows``, every cell guarded."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return out.getvalue()


def csv_response(text: str, filename: str) -> Response:
    """A download of ``text`` named ``filename`` that no shared cache keeps."""
    return Response(
        text,
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "private, no-store",
        },
    )
