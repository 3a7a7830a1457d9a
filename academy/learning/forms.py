"""Forms of the learning pages: joining a class, creating one, grading work."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import TextInput

from academy.forms import OnceForm
from academy.numbers import NumberField
from academy.validators import strip_whitespace


class JoinClassForm(FlaskForm):
    join_code = StringField(
        _l("Class join code"),
        validators=[
            DataRequired(_l("Enter the join code your teacher gave you.")),
            Length(max=32, message=_l("A join code has 8 characters.")),
        ],
        filters=[strip_whitespace],
        description=_l("Eight letters and digits, e.g. K7QM-4PRX."),
        render_kw={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"},
    )


class ClassForm(OnceForm):
    course = SelectField(
        _l("Course"),
        coerce=int,
        validators=[InputRequired(_l("Choose the course the class takes."))],
    )
    name = StringField(
        _l("Class name"),
        validators=[DataRequired(_l("Enter a name for the class.")), Length(max=120)],
        filters=[strip_whitespace],
        description=_l("As your students know it, e.g. Export Trade 2024 Class 2."),
    )
    term = StringField(
        _l("Term"),
        validators=[Optional(), Length(max=60)],
        filters=[strip_whitespace],
        description=_l("For example: Autumn 2025."),
    )

    def __init__(self, *args, courses=(), title_of=str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.course.choices = [(course.id, title_of(course)) for course in courses]


class GradeForm(FlaskForm):
    # The range depends on the assignment; grade_submission checks it.
    points = NumberField(
        _l("Points"),
        validators=[InputRequired(_l("Enter the points."))],
        widget=TextInput(),
        render_kw={"inputmode": "decimal", "autocomplete": "off"},
    )
    feedback = TextAreaField(
        _l("Feedback to the student"), validators=[Optional(), Length(max=5000)]
    )
