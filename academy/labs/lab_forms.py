"""Forms of lab lessons: start (or start again), check, and the student's own clock."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.validators import AnyOf, InputRequired

from academy.forms import IntegerField
from academy.labs.student_forms import new_key

#: The advances a student may ask of their own lab clock, in sim-days.
CLOCK_STEPS = (1, 5)


class StartLabForm(FlaskForm):
    """Start a lab; the key makes a double-clicked submit create one market."""

    creation_key = HiddenField(default=new_key)


class CheckLabForm(FlaskForm):
    """Run the lab's check (the CSRF token is the whole form)."""


class LabClockForm(FlaskForm):
    """Advance a private lab by the days of the button pressed."""

    days = IntegerField(
        _l("Days"),
        validators=[
            InputRequired(_l("Choose how many days to advance.")),
            AnyOf(CLOCK_STEPS, message=_l("Advance 1 or 5 days.")),
        ],
    )
