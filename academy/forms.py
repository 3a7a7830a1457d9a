"""Form helpers shared by every domain."""

from __future__ import annotations

from flask_wtf import FlaskForm

from academy.db import db
from academy.errors import OperationError


class ConfirmForm(FlaskForm):
    """A form with nothing but the CSRF token, for POST-only buttons."""


def show_operation_error(form: FlaskForm, error: OperationError) -> None:
    """Undo the refused unit of work and put the message on its field (or the form)."""
    db.session.rollback()
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, str(error.message)]
    else:
        form.form_errors.append(str(error.message))
