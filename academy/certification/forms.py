"""Forms of the certification pages."""

from __future__ import annotations

import tomllib
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from academy.forms import IntegerField
from academy.validators import strip_whitespace

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class ImportStandardForm(FlaskForm):
    folder = SelectField(_l("Standard file"), validators=[InputRequired(_l("Choose a standard."))])


class ProgrammeForm(FlaskForm):
    title = StringField(
        _l("Title"),
        validators=[DataRequired(_l("Give the programme a title.")), Length(max=200)],
        filters=[strip_whitespace],
    )
    level = SelectField(_l("Level"), coerce=int, validators=[InputRequired(_l("Choose a level."))])
    bank = SelectField(_l("Question bank"), coerce=int, validators=[Optional()])
    theory_minutes = IntegerField(
        _l("Theory time (minutes)"),
        default=60,
        validators=[InputRequired(_l("Enter the theory time.")), NumberRange(min=1, max=600)],
    )
    tolerance = IntegerField(
        _l("Marking tolerance (marks)"),
        default=2,
        description=_l("Two blind marks further apart than this go to a third marker."),
        validators=[InputRequired(_l("Enter the tolerance.")), NumberRange(min=0, max=100)],
    )
    scenario = StringField(
        _l("Sandbox scenario"), validators=[Optional(), Length(max=80)], filters=[strip_whitespace]
    )
    seed = IntegerField(_l("Exam seed"), validators=[Optional(), NumberRange(min=0)])
    bots = StringField(
        _l("Bot rivals"),
        description=_l("Bot strategies separated by commas, e.g. cautious, aggressive."),
        validators=[Optional(), Length(max=200)],
        filters=[strip_whitespace],
    )
    practical = TextAreaField(
        _l("Practical tasks"),
        description=_l(
            "TOML [[tasks]] tables: key, unit, title, title_zh, points and a check table."
        ),
        validators=[Optional(), Length(max=20000)],
        render_kw={"rows": 12, "spellcheck": "false"},
    )
    judged = TextAreaField(
        _l("Judged parts"),
        description=_l(
            "TOML [[parts]] tables: key, unit, title, title_zh, prompt, prompt_zh, max_marks."
        ),
        validators=[Optional(), Length(max=20000)],
        render_kw={"rows": 10, "spellcheck": "false"},
    )

    def parsed_list(self, name: str, table: str) -> list[dict[str, Any]] | None:
        """The TOML list of a field; on a syntax error, the field gets the message."""
        field = getattr(self, name)
        try:
            data = tomllib.loads(field.data or "")
        except tomllib.TOMLDecodeError as error:
            field.errors = [*field.errors, str(_l("Not valid TOML: %(error)s", error=str(error)))]
            return None
        rows = data.get(table, [])
        if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
            field.errors = [
                *field.errors,
                str(_l("Write each entry as a [[%(table)s]] table.", table=table)),
            ]
            return None
        return rows


class SittingForm(FlaskForm):
    title = StringField(
        _l("Title"), validators=[Optional(), Length(max=200)], filters=[strip_whitespace]
    )
    starts_dt = DateTimeLocalField(
        _l("Starts (UTC)"),
        format=DATETIME_FORMAT,
        validators=[InputRequired(_l("Enter when the sitting starts."))],
    )
    ends_dt = DateTimeLocalField(
        _l("Ends (UTC)"),
        format=DATETIME_FORMAT,
        validators=[InputRequired(_l("Enter when the sitting ends."))],
    )
    room = StringField(
        _l("Room"),
        description=_l("Leave empty for an online sitting."),
        validators=[Optional(), Length(max=200)],
        filters=[strip_whitespace],
    )
    seats = IntegerField(
        _l("Seats"),
        validators=[
            InputRequired(_l("Enter the number of seats.")),
            NumberRange(min=1, max=100000),
        ],
    )
    late_start_minutes = IntegerField(
        _l("Latest start (minutes after the start)"),
        default=30,
        validators=[InputRequired(), NumberRange(min=0, max=600)],
    )
    earliest_finish_minutes = IntegerField(
        _l("Earliest hand-in (minutes after the start)"),
        default=0,
        validators=[InputRequired(), NumberRange(min=0, max=600)],
    )
    appeal_days = IntegerField(
        _l("Days to appeal after release"),
        default=14,
        validators=[InputRequired(), NumberRange(min=0, max=365)],
    )
    is_self_registration = BooleanField(_l("Candidates may register themselves"))
    completed_course = StringField(
        _l("Self-registration needs the completed course"),
        description=_l("A course slug, e.g. trade-terms-pricing (optional)."),
        validators=[Optional(), Length(max=80)],
        filters=[strip_whitespace],
    )
    member_of = StringField(
        _l("Self-registration needs membership of"),
        description=_l("An organisation's short name (optional)."),
        validators=[Optional(), Length(max=64)],
        filters=[strip_whitespace],
    )


class SeatsForm(FlaskForm):
    seats = IntegerField(
        _l("Seats"),
        validators=[
            InputRequired(_l("Enter the number of seats.")),
            NumberRange(min=1, max=100000),
        ],
    )


class RegisterCandidateForm(FlaskForm):
    email = StringField(
        _l("Candidate's e-mail"),
        validators=[DataRequired(_l("Enter an e-mail address.")), Length(max=254)],
        filters=[strip_whitespace],
    )


class CandidateListForm(FlaskForm):
    candidates = TextAreaField(
        _l("Candidate list (CSV)"),
        description=_l("A header line email,extra_minutes, then one candidate per line."),
        validators=[DataRequired(_l("Paste the list."))],
        render_kw={"rows": 8, "spellcheck": "false"},
    )


class AccommodationForm(FlaskForm):
    extra_minutes = IntegerField(
        _l("Extra time (minutes)"),
        validators=[InputRequired(_l("Enter the extra minutes.")), NumberRange(min=0, max=240)],
    )


class CheckInForm(FlaskForm):
    seat_number = StringField(
        _l("Seat"), validators=[Optional(), Length(max=16)], filters=[strip_whitespace]
    )
    identity_confirmed = BooleanField(_l("Identity confirmed against a photo ID"))


class IncidentForm(FlaskForm):
    candidate_number = StringField(
        _l("Candidate number (optional)"),
        validators=[Optional(), Length(max=16)],
        filters=[strip_whitespace],
    )
    description = TextAreaField(
        _l("What happened"),
        validators=[DataRequired(_l("Describe what happened.")), Length(max=5000)],
    )


class MarkForm(FlaskForm):
    marks = IntegerField(_l("Mark"), validators=[InputRequired(_l("Enter the mark."))])
    comment = TextAreaField(
        _l("Comment for the moderation record"), validators=[Optional(), Length(max=5000)]
    )


class ResponseForm(FlaskForm):
    text = TextAreaField(
        _l("Your answer"), validators=[Optional(), Length(max=20000)], render_kw={"rows": 16}
    )


class AdvanceForm(FlaskForm):
    days = IntegerField(
        _l("Sim-days"), default=1, validators=[InputRequired(), NumberRange(min=1, max=30)]
    )


class AppealForm(FlaskForm):
    reason = TextAreaField(
        _l("Why you appeal"), validators=[DataRequired(_l("Say why you appeal.")), Length(max=5000)]
    )


class AppealDecisionForm(FlaskForm):
    outcome = TextAreaField(
        _l("Decision and reasons"),
        validators=[DataRequired(_l("Give the decision and its reasons.")), Length(max=5000)],
    )


class SchoolRegisterForm(FlaskForm):
    student = SelectField(
        _l("Student"), coerce=int, validators=[InputRequired(_l("Choose a student."))]
    )
