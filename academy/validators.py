"""Form validators shared by every domain."""

from __future__ import annotations

from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError


class EmailAddress:
    """A syntactically valid address; no DNS look-up (the platform must work offline).

    ``.test`` addresses are accepted because the demo accounts use them.
    """

    def __init__(self, message: Any = None) -> None:
        self.message = message or _l("Enter a valid e-mail address.")

    def __call__(self, form: Any, field: Any) -> None:
        try:
            validate_email(field.data or "", check_deliverability=False, test_environment=True)
        except EmailNotValidError:
            raise ValidationError(self.message) from None


def strip_whitespace(value: Any) -> Any:
    """A WTForms filter: surrounding spaces pasted with an address are not part of it."""
    return value.strip() if isinstance(value, str) else value
