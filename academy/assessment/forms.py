"""Forms of the assessment domain (question answers are parsed by the question types)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length, Optional


class QuestionTextForm(FlaskForm):
    text = TextAreaField(
        _l("Question (TOML)"),
        validators=[DataRequired(), Length(max=50_000)],
        description=_l(
            "One [[questions]] table in the question-file format. Saving creates a new version."
        ),
        render_kw={"rows": 24, "spellcheck": "false"},
    )


class ImportQuestionsForm(FlaskForm):
    text = TextAreaField(
        _l("Question file (TOML)"),
        validators=[Optional(), Length(max=500_000)],
        render_kw={"rows": 16, "spellcheck": "false"},
    )
    upload = FileField(_l("or upload a .toml file"))
