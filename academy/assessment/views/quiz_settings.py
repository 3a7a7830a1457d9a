"""The quiz settings page of a quiz lesson, for its course team."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    SelectField,
    SelectMultipleField,
    TextAreaField,
)
from wtforms.validators import NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from academy.assessment.quiz_settings import (
    bank_files,
    parse_draw_lines,
    review_notice,
    update_quiz_settings,
)
from academy.assessment.quizzes import quiz_for_lesson
from academy.assessment.views import bp
from academy.auth.models import Role
from academy.auth.permissions import can, require, require_role
from academy.catalog.models import Lesson, LessonKind
from academy.db import db
from academy.errors import OperationError
from academy.forms import IntegerField, required, show_operation_error
from academy.i18n import time_zone_name
from academy.numbers import NumberField
from academy.timezones import local_to_utc, utc_to_local


class QuizSettingsForm(FlaskForm):
    question_files = SelectMultipleField(
        _l("Fixed questions: every question of these files"),
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validators=[Optional()],
    )
    draw = TextAreaField(
        _l("Random draws"),
        validators=[Optional()],
        description=_l(
            "One per line: topic, number of questions, optional difficulty 1–5, e.g. “incoterms 5 2”."
        ),
    )
    pass_mark = NumberField(_l("Pass mark (%)"), default=60, minimum=0, maximum=100)
    time_limit_minutes = IntegerField(
        _l("Time limit (minutes)"), validators=[Optional(), NumberRange(min=1, max=7 * 24 * 60)]
    )
    attempts = IntegerField(
        _l("Attempts allowed"), validators=[Optional(), NumberRange(min=1, max=100)]
    )
    grade_kept = SelectField(_l("Grade kept"))
    shuffle_questions = BooleanField(_l("Shuffle the questions"))
    shuffle_options = BooleanField(_l("Shuffle the options"), default=True)
    review = SelectField(
        _l("Students see answers and feedback"),
        description=_l(
            "Never while a student can still attempt the quiz, and never before marks are released."
        ),
    )
    open_date = DateTimeLocalField(_l("Opens"), validators=[Optional()])
    close_date = DateTimeLocalField(_l("Closes"), validators=[Optional()])
    weight = NumberField(_l("Weight in the gradebook"), default=1, minimum=0, maximum=1000)
    is_anonymous_marking = BooleanField(_l("Mark essays without students' names"), default=True)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Choices are set here: WTForms warns about choices given at class level.
        self.grade_kept.choices = [
            ("highest", str(_l("highest"))),
            ("last", str(_l("last"))),
            ("average", str(_l("average"))),
        ]
        zone = time_zone_name()
        self.open_date.description = _("In your time zone, %(zone)s.", zone=zone)
        self.close_date.description = _("In your time zone, %(zone)s.", zone=zone)
        self.review.choices = [
            ("after_submit", str(_l("after submitting"))),
            ("after_close", str(_l("after the quiz closes"))),
            ("never", str(lazy_pgettext("quiz review setting", "never"))),
        ]


def _lesson_or_404(lesson_id: int) -> Lesson:
    lesson = db.session.get(Lesson, lesson_id)
    if lesson is None or lesson.kind != LessonKind.QUIZ:
        abort(404)
    require(can(current_user, "course.edit", lesson.course))
    return lesson


def _form_for(lesson: Lesson) -> QuizSettingsForm:
    quiz = quiz_for_lesson(lesson)
    if quiz is None:
        return QuizSettingsForm()
    settings = lesson.settings
    return QuizSettingsForm(
        data={
            "question_files": settings.get("questions", []),
            "draw": "\n".join(
                " ".join(str(rule[k]) for k in ("topic", "count", "difficulty") if k in rule)
                for rule in quiz.draw
            ),
            "pass_mark": quiz.pass_mark,
            "time_limit_minutes": quiz.time_limit_minutes,
            "attempts": quiz.max_attempts,
            "grade_kept": quiz.grade_kept.value,
            "shuffle_questions": quiz.is_shuffling_questions,
            "shuffle_options": quiz.is_shuffling_options,
            "review": quiz.review.value,
            "open_date": utc_to_local(quiz.open_dt, time_zone_name()),
            "close_date": utc_to_local(quiz.close_dt, time_zone_name()),
            "weight": quiz.weight,
            "is_anonymous_marking": quiz.is_anonymous_marking,
        }
    )


@bp.route("/lessons/<int:lesson_id>/quiz-settings", methods=["GET", "POST"])
@require_role(Role.TEACHER, Role.MENTOR, Role.ORG_ADMIN)
def edit_quiz_settings(lesson_id: int):
    lesson = _lesson_or_404(lesson_id)
    files = bank_files(lesson.course)
    form = _form_for(lesson) if request.method == "GET" else QuizSettingsForm()
    form.question_files.choices = [(path, f"{path} ({len(keys)})") for path, keys in files.items()]
    status = 200
    if form.validate_on_submit():
        try:
            quiz = update_quiz_settings(
                lesson,
                question_files=form.question_files.data or [],
                draw=parse_draw_lines(form.draw.data or ""),
                pass_mark=float(required(form.pass_mark.data)),
                time_limit_minutes=form.time_limit_minutes.data,
                attempts=form.attempts.data,
                grade_kept=form.grade_kept.data,
                shuffle_questions=form.shuffle_questions.data,
                shuffle_options=form.shuffle_options.data,
                review=form.review.data,
                open_date=local_to_utc(form.open_date.data, time_zone_name()),
                close_date=local_to_utc(form.close_date.data, time_zone_name()),
                weight=float(required(form.weight.data)),
                is_anonymous_marking=form.is_anonymous_marking.data,
            )
        except OperationError as error:
            show_operation_error(form, error)
            status = 400
        else:
            flash(_("The quiz settings have been saved."), "success")
            notice = review_notice(quiz)
            if notice:
                flash(notice, "warning")
            return redirect(url_for("assessment.edit_quiz_settings", lesson_id=lesson.id))
    elif form.errors:
        status = 400
    return render_template(
        "assessment/quiz_settings.html", lesson=lesson, form=form, has_bank=bool(files)
    ), status
