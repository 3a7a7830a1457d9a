"""Forms of the catalogue and of course authoring."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from academy.catalog.models import CourseLevel, LessonKind, RevisionStatus, TeamRole
from academy.forms import IntegerField, OnceForm
from academy.validators import EmailAddress, strip_whitespace

LEVEL_LABELS = {
    CourseLevel.INTRODUCTORY: _l("introductory"),
    CourseLevel.INTERMEDIATE: _l("intermediate"),
    CourseLevel.ADVANCED: _l("advanced"),
}
KIND_LABELS = {
    LessonKind.READING: _l("reading"),
    LessonKind.QUIZ: _l("quiz"),
    LessonKind.LAB: _l("lab"),
    LessonKind.ASSIGNMENT: _l("assignment"),
}
REVISION_STATUS_LABELS = {
    RevisionStatus.DRAFT: _l("draft"),
    RevisionStatus.PROPOSED: _l("proposed revision"),
    RevisionStatus.RETURNED: _l("sent back"),
    RevisionStatus.PUBLISHED: _l("published"),
    RevisionStatus.WITHDRAWN: _l("withdrawn"),
}
TEAM_ROLE_LABELS = {
    TeamRole.OWNER: _l("owner"),
    TeamRole.CO_AUTHOR: _l("co-author"),
    TeamRole.REVIEWER: _l("reviewer"),
}


def _slug_field() -> StringField:
    return StringField(
        _l("Short name"),
        validators=[DataRequired(_l("Enter a short name.")), Length(max=80)],
        description=_l("Used in addresses: lowercase letters, digits and hyphens."),
        filters=[strip_whitespace],
    )


class CatalogueSearchForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search form changes nothing

    q = StringField(_l("Search"), validators=[Optional(), Length(max=100)])
    level = SelectField(_l("Level"), validators=[Optional()])
    tag = SelectField(_l("Topic"), validators=[Optional()])


class NewCourseForm(OnceForm):
    slug = _slug_field()
    title = StringField(
        _l("Title"), validators=[DataRequired(_l("Enter a title.")), Length(max=200)]
    )
    title_zh = StringField(_l("Chinese title"), validators=[Optional(), Length(max=200)])


class CourseSettingsForm(FlaskForm):
    title = StringField(
        _l("Title"), validators=[DataRequired(_l("Enter a title.")), Length(max=200)]
    )
    title_zh = StringField(_l("Chinese title"), validators=[Optional(), Length(max=200)])
    summary = TextAreaField(_l("Summary"), validators=[Optional(), Length(max=2000)])
    summary_zh = TextAreaField(_l("Chinese summary"), validators=[Optional(), Length(max=2000)])
    level = SelectField(_l("Level"))
    tags = StringField(
        _l("Topics"),
        validators=[Optional(), Length(max=300)],
        description=_l("Separated by commas, e.g. incoterms, pricing"),
    )
    is_open = BooleanField(_l("Students may enrol themselves"))
    is_listed = BooleanField(_l("Listed in the catalogue"))
    allow_self_approval = BooleanField(
        _l("A reviewer may approve their own changes"),
        description=_l("Off: every change is approved by a second person (four eyes)."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.level.choices = [(level.value, str(label)) for level, label in LEVEL_LABELS.items()]


class TeamMemberForm(FlaskForm):
    email = EmailField(
        _l("E-mail address"),
        validators=[DataRequired(_l("Enter an e-mail address.")), EmailAddress()],
        filters=[strip_whitespace],
    )
    role = SelectField(_l("Role"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.role.choices = [(role.value, str(label)) for role, label in TEAM_ROLE_LABELS.items()]


class PartnerForm(FlaskForm):
    organisation = SelectField(_l("Organisation"), coerce=int)
    contribution = StringField(_l("Contribution"), validators=[Optional(), Length(max=300)])
    contribution_zh = StringField(
        _l("Chinese contribution"), validators=[Optional(), Length(max=300)]
    )


class ModuleForm(OnceForm):
    slug = _slug_field()
    title = StringField(
        _l("Title"), validators=[DataRequired(_l("Enter a title.")), Length(max=200)]
    )
    title_zh = StringField(_l("Chinese title"), validators=[Optional(), Length(max=200)])


class ModuleSettingsForm(FlaskForm):
    title = StringField(
        _l("Title"), validators=[DataRequired(_l("Enter a title.")), Length(max=200)]
    )
    title_zh = StringField(_l("Chinese title"), validators=[Optional(), Length(max=200)])
    summary = TextAreaField(_l("Summary"), validators=[Optional(), Length(max=2000)])
    summary_zh = TextAreaField(_l("Chinese summary"), validators=[Optional(), Length(max=2000)])
    is_required = BooleanField(_l("Required for completion"))
    release_date = DateField(_l("Release date"), validators=[Optional()])
    position = IntegerField(
        _l("Position"),
        validators=[DataRequired(_l("Enter a position.")), NumberRange(min=1, max=200)],
        description=_l("1 is the first module; the others move to make room."),
    )


class NewLessonForm(OnceForm):
    module = SelectField(_l("Module"), coerce=int)
    slug = _slug_field()
    title = StringField(
        _l("Title"), validators=[DataRequired(_l("Enter a title.")), Length(max=200)]
    )
    kind = SelectField(_l("Kind of lesson"))
    duration_minutes = IntegerField(
        _l("Estimated minutes"),
        default=15,
        validators=[DataRequired(_l("Enter a number of minutes.")), NumberRange(min=1, max=600)],
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = [(kind.value, str(label)) for kind, label in KIND_LABELS.items()]


class LessonSettingsForm(FlaskForm):
    duration_minutes = IntegerField(
        _l("Estimated minutes"),
        validators=[DataRequired(_l("Enter a number of minutes.")), NumberRange(min=1, max=600)],
    )
    is_required = BooleanField(_l("Required for completion"))
    release_date = DateField(_l("Release date"), validators=[Optional()])
    prerequisite = SelectField(_l("Complete this lesson first"), validators=[Optional()])


class DraftForm(FlaskForm):
    title = StringField(
        _l("Title"), validators=[DataRequired(_l("Enter a title.")), Length(max=200)]
    )
    title_zh = StringField(_l("Chinese title"), validators=[Optional(), Length(max=200)])
    body = TextAreaField(_l("Body (Markdown)"), validators=[Optional(), Length(max=200_000)])
    body_zh = TextAreaField(
        _l("Chinese body (Markdown)"), validators=[Optional(), Length(max=200_000)]
    )
    message = StringField(
        _l("What did you change?"),
        validators=[Optional(), Length(max=500)],
        description=_l("A short note for the reviewer."),
    )


class ReviewForm(FlaskForm):
    comment = TextAreaField(_l("Comment"), validators=[Optional(), Length(max=5000)])


class AssetForm(FlaskForm):
    file = FileField(_l("Picture"), validators=[FileRequired(_l("Choose a picture to upload."))])


class AssignmentForm(FlaskForm):
    text = TextAreaField(_l("Your answer"), validators=[Optional(), Length(max=50_000)])
    file = FileField(_l("File"))
