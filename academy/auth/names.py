"""Display names that show what they say: normalised, with no control or direction marks.

A name holding a right-to-left override (U+202E) or zero-width characters can render as
someone else's ("nimda" shown as "admin"), and control characters break CSV exports and
logs. Names are NFKC-normalised, runs of spaces become one space, and any character of
Unicode's "Other" categories (controls, format and direction marks, private use,
unassigned) is refused with a message on the field.
"""

from __future__ import annotations

import re
import unicodedata

from flask_babel import lazy_gettext as _l

from academy.errors import OperationError

MAX_DISPLAY_NAME = 120


def clean_display_name(name: str) -> str:
    """``name`` normalised, or an ``OperationError`` on the ``display_name`` field."""
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", name or "")).strip()
    if not text:
        raise OperationError(
            _l("Enter a display name."), field="display_name", code="display_name_missing"
        )
    if any(unicodedata.category(ch).startswith("C") for ch in text):
        raise OperationError(
            _l("Use letters, digits, spaces and punctuation only: no control or direction marks."),
            field="display_name",
            code="display_name_characters",
        )
    if len(text) > MAX_DISPLAY_NAME:
        raise OperationError(
            _l("Use at most %(count)d characters.", count=MAX_DISPLAY_NAME),
            field="display_name",
            code="display_name_length",
        )
    return text
