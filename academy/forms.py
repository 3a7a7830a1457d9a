"""Form helpers shared by every domain."""

from __future__ import annotations

import secrets
from typing import TypeVar

from flask import flash, redirect, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import HiddenField
from wtforms import IntegerField as WTFormsIntegerField
from wtforms.validators import Length, Optional, StopValidation

from academy.db import db
from academy.errors import OperationError

T = TypeVar("T")


class ConfirmForm(FlaskForm):
    """A form with nothing but the CSRF token, for POST-only buttons.

    One instance is often rendered once per row of a table, so its token carries no HTML
    id (an id must be unique on the page).
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "csrf_token" in self:  # absent where CSRF is switched off (tests)
            self.csrf_token.id = False


def required(data: T | None) -> T:
    """The data of a field whose validators require it (``DataRequired``, ``InputRequired``).

    WTForms types every field's data as optional; after ``validate_on_submit()`` such a
    field always has its value, and this says so to the type checker (and fails loudly
    if a validator was forgotten).
    """
    if data is None:
        raise ValueError("a required field has no data: is its validator missing?")
    return data


class IntegerField(WTFormsIntegerField):
    """A whole-number field that refuses numbers beyond what a database integer holds.

    wtforms reads any run of digits as an int: ``NumberRange`` then fails (a 500) on one
    too large to compare as a float, and a large number without a range check would
    overflow a PostgreSQL integer column. Every form of the app uses this field (a test
    checks); a refused number is one clear error on the field, no other check runs.
    """

    LIMIT = 2**31 - 1
    too_large = False

    def process_formdata(self, valuelist: list) -> None:
        super().process_formdata(valuelist)
        self.too_large = self.data is not None and abs(self.data) > self.LIMIT
        if self.too_large:
            self.data = None
            raise ValueError(_l("This number is too large."))

    def pre_validate(self, form: FlaskForm) -> None:
        if self.too_large:  # no range check on a number wtforms could not compare
            raise StopValidation()


def prefix_field_ids(form: FlaskForm, prefix: str) -> FlaskForm:
    """Give every field of ``form`` an HTML id starting ``prefix-``, names unchanged.

    For pages that show several forms with fields of the same name ("slug", "title"):
    without it their ids repeat and a label points at another form's field.
    """
    for field in form:
        if field.id is False or field.id.startswith(f"{prefix}-"):
            continue
        field.id = f"{prefix}-{field.id}"
        field.label.field_id = field.id
    return form


def new_form_key() -> str:
    """A fresh one-time key for one rendering of a create form."""
    return secrets.token_urlsafe(24)


class OnceForm(FlaskForm):
    """A create form that acts once per rendering.

    Templates render ``form.once_key`` beside the CSRF token. The view calls
    ``repeat_of(form)`` before creating and ``made(form, url)`` after, so a second post of
    the same rendering (a double click, parallel posts, a resent request) creates nothing
    and leads to what the first made.
    """

    once_key = HiddenField(default=new_form_key, validators=[Optional(), Length(max=64)])


def repeat_of(form: OnceForm) -> Response | None:
    """A redirect to what the first submit of this rendering made, if this is a repeat."""
    from academy.main.operations import claim_form_key

    key = form.once_key.data
    if not key:
        return None
    user_id = current_user.id if current_user.is_authenticated else None
    earlier = claim_form_key(key, user_id, request.endpoint or "")
    if earlier is None:
        return None
    if earlier.user_id != user_id or not earlier.result_url:
        flash(_("This form was already sent; reload the page to use it again."), "error")
        return redirect(request.path)
    flash(_("This form was already sent; here is what it made."), "info")
    return redirect(earlier.result_url)


def made(form: OnceForm, url: str) -> Response:
    """Remember what the first submit made and go there."""
    from academy.main.operations import record_form_result

    if form.once_key.data:
        record_form_result(form.once_key.data, url)
    return redirect(url)


def show_operation_error(form: FlaskForm, error: OperationError) -> None:
    """Undo the refused unit of work and put the message on its field (or the form)."""
    db.session.rollback()
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, str(error.message)]
    else:
        form.form_errors.append(str(error.message))
