"""The learner's dashboard, and classes for their teachers: roster, progress, grading."""

from __future__ import annotations

import re
import unicodedata
from typing import Any
from urllib.parse import quote

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup
from wtforms.validators import Optional

from academy.auth.models import OrganisationKind, Role
from academy.auth.permissions import can, login_required, require, require_role
from academy.catalog.models import LessonKind
from academy.csv import csv_response, csv_text
from academy.errors import OperationError
from academy.exports.operations import is_large
from academy.exports.views import export_later
from academy.forms import ConfirmForm, made, repeat_of, required, show_operation_error
from academy.i18n import pick
from academy.learning import operations, queries
from academy.learning.forms import ClassForm, GradeForm, JoinClassForm
from academy.learning.grades import assignment_max_points
from academy.learning.models import AssignmentSubmission, ProgressStatus, SchoolClass
from academy.navigation import register_nav_item
from academy.numbers import int_arg

bp = Blueprint("learning", __name__, template_folder="templates")

register_nav_item(
    "learning.dashboard", _l("My learning"), lambda user: user.is_authenticated, order=20
)
register_nav_item(
    "learning.list_classes",
    _l("Teaching"),
    lambda user: user.is_authenticated and user.has_role(Role.TEACHER),
    order=30,
)

TEACHING_ROLES = (Role.TEACHER, Role.ORG_ADMIN)


def catalog_url(endpoint: str, **values: Any) -> str | None:
    """A link into the catalogue, or None while that page does not exist."""
    if endpoint not in current_app.view_functions:
        return None
    return url_for(endpoint, **values)


STATUS_LABELS = {
    ProgressStatus.COMPLETED: _l("Completed"),
    ProgressStatus.STARTED: _l("Started"),
    None: _l("Not started"),
}


@bp.context_processor
def learning_helpers() -> dict[str, Any]:
    return {
        "pick": pick,
        "catalog_url": catalog_url,
        "status_labels": STATUS_LABELS,
        "ProgressStatus": ProgressStatus,
        "heat_symbols": HEAT_SYMBOLS,
    }


# --- the learner's dashboard ----------------------------------------------------------


@bp.route("/learning")
@login_required
def dashboard():
    return _render_dashboard(JoinClassForm())


def _render_dashboard(join_form: JoinClassForm, status: int = 200):
    courses = queries.learner_courses(current_user)
    return render_template(
        "learning/dashboard.html",
        in_progress=[c for c in courses if c.completion is None],
        completed=[c for c in courses if c.completion is not None],
        join_form=join_form,
    ), status


@bp.route("/learning/join", methods=["GET", "POST"])
@login_required
def join_class():
    if request.method == "GET":  # e.g. the language switch after a refused code
        return redirect(url_for("learning.dashboard"))
    form = JoinClassForm()
    if form.validate_on_submit():
        try:
            school_class = operations.join_class(current_user, required(form.join_code.data))
        except OperationError as error:
            show_operation_error(form, error)
        else:
            flash(
                _(
                    "You joined the class %(name)s for the course %(course)s.",
                    name=school_class.name,
                    course=pick(school_class.course.title, school_class.course.title_zh),
                ),
                "success",
            )
            return redirect(url_for("learning.dashboard"))
    return _render_dashboard(form, status=400)


# --- classes for teachers ---------------------------------------------------------------


def get_class_or_404(class_id: int) -> SchoolClass:
    """Load a class the current user may teach: 404 if it does not exist, else 403."""
    school_class = queries.get_class(class_id)
    if school_class is None:
        abort(404)
    require(can(current_user, "class.teach", school_class))
    return school_class


def _school_of(user) -> Any:
    schools = [
        membership.organisation
        for membership in user.memberships
        if membership.role == Role.TEACHER
        and membership.organisation.kind == OrganisationKind.SCHOOL
    ]
    return min(schools, key=lambda org: org.name) if schools else None


def _class_form(**kwargs: Any) -> ClassForm:
    courses = queries.courses_for_new_class()
    return ClassForm(courses=courses, title_of=lambda c: pick(c.title, c.title_zh), **kwargs)


@bp.route("/teaching/classes")
@require_role(*TEACHING_ROLES)
def list_classes():
    return _render_classes(_class_form())


def _render_classes(form: ClassForm, status: int = 200):
    classes = queries.teacher_classes(current_user)
    return render_template(
        "learning/classes.html",
        active=[(c, n) for c, n in classes if not c.is_archived],
        archived=[(c, n) for c, n in classes if c.is_archived],
        form=form,
        may_create=can(current_user, "class.create"),
        school=_school_of(current_user),
    ), status


@bp.route("/teaching/classes", methods=["POST"])
@require_role(*TEACHING_ROLES)
def create_class():
    require(can(current_user, "class.create"))
    form = _class_form()
    if form.validate_on_submit():
        repeat = repeat_of(form)
        if repeat is not None:
            return repeat
        course = next(c for c in queries.courses_for_new_class() if c.id == form.course.data)
        try:
            school_class = operations.create_class(
                course,
                current_user,
                required(form.name.data),
                form.term.data or "",
                organisation=_school_of(current_user),
            )
        except OperationError as error:
            show_operation_error(form, error)
        else:
            flash(_("The class was created. Give your students its join code."), "success")
            return made(form, url_for("learning.show_class", class_id=school_class.id))
    return _render_classes(form, status=400)


@bp.route("/teaching/classes/<int:class_id>")
@require_role(*TEACHING_ROLES)
def show_class(class_id: int):
    school_class = get_class_or_404(class_id)
    progress = queries.class_progress(school_class)
    return render_template(
        "learning/class.html",
        school_class=school_class,
        progress=progress,
        heat_rows=heat_map_rows(progress),
        titles={lesson.id: pick(lesson.title, lesson.title_zh) for lesson in progress.lessons},
        action_form=ConfirmForm(),
    )


@bp.route("/teaching/classes/<int:class_id>/progress.csv")
@require_role(*TEACHING_ROLES)
def export_class_progress(class_id: int):
    school_class = get_class_or_404(class_id)
    filename = f"class-{school_class.id}-progress.csv"
    if is_large(queries.class_size(school_class)):
        return export_later(
            "class_progress",
            {"class_id": school_class.id},
            title=_("Progress · %(name)s", name=school_class.name),
            filename=filename,
        )
    progress = queries.class_progress(school_class)
    return csv_response(progress_csv(progress), filename)


def progress_csv(progress: queries.ClassProgress) -> str:
    """The class's progress as CSV: one row per student, one column per lesson."""
    status_codes = {
        ProgressStatus.COMPLETED: "completed",
        ProgressStatus.STARTED: "started",
        None: "not_started",
    }
    header = [
        _("Student"),
        _("E-mail address"),
        _("Joined"),
        _("Last activity"),
        _("Required lessons completed"),
        _("Required lessons"),
        *[
            f"{number}. {pick(lesson.title, lesson.title_zh)}"
            for number, lesson in enumerate(progress.lessons, start=1)
        ],
    ]
    return csv_text(
        header,
        (
            [
                row.user.display_name,
                row.user.email,
                row.enrollment.enrolled_dt.isoformat(timespec="seconds"),
                row.last_activity_dt.isoformat(timespec="seconds") if row.last_activity_dt else "",
                row.completed_required,
                progress.required_count,
                *[status_codes[row.status(lesson.id)] for lesson in progress.lessons],
            ]
            for row in progress.students
        ),
    )


@bp.route("/teaching/classes/<int:class_id>/archive", methods=["POST"])
@require_role(*TEACHING_ROLES)
def archive_class(class_id: int):
    school_class = get_class_or_404(class_id)
    if ConfirmForm().validate_on_submit():
        operations.set_class_archived(school_class, True)
        flash(_("The class was archived. Its join code no longer works."), "success")
    return redirect(url_for("learning.show_class", class_id=class_id))


@bp.route("/teaching/classes/<int:class_id>/restore", methods=["POST"])
@require_role(*TEACHING_ROLES)
def restore_class(class_id: int):
    school_class = get_class_or_404(class_id)
    if ConfirmForm().validate_on_submit():
        operations.set_class_archived(school_class, False)
        flash(_("The class is active again; its join code works."), "success")
    return redirect(url_for("learning.show_class", class_id=class_id))


HEAT_SYMBOLS = {ProgressStatus.COMPLETED: "✓", ProgressStatus.STARTED: "◐", None: "–"}


def heat_map_rows(progress: queries.ClassProgress) -> list[Markup]:
    """The heat map's lesson cells, one string per student.

    Built here rather than in a template loop: 500 students x 60 lessons is 30,000
    cells, and three ready-made cells joined per row render many times faster.
    Each cell says its state in words for screen readers, and shows a symbol.
    """
    cells = {
        status: Markup(
            '<td class="heat heat-{key}"><span aria-hidden="true">{symbol}</span>'
            '<span class="visually-hidden">{label}</span></td>'
        ).format(key=status or "none", symbol=symbol, label=STATUS_LABELS[status])
        for status, symbol in HEAT_SYMBOLS.items()
    }
    lesson_ids = [lesson.id for lesson in progress.lessons]
    return [
        Markup("").join([cells[row.statuses.get(lesson_id)] for lesson_id in lesson_ids])
        for row in progress.students
    ]


# --- assignment grading ---------------------------------------------------------------


def _get_submission_or_404(school_class: SchoolClass, submission_id: int) -> AssignmentSubmission:
    submission = queries.get_class_submission(school_class, submission_id)
    if submission is None:
        abort(404)
    return submission


def _grade_form(submission: AssignmentSubmission, **kwargs: Any) -> GradeForm:
    form = GradeForm(prefix=f"s{submission.id}", **kwargs)
    maximum = assignment_max_points(submission.lesson.settings)
    form.points.description = _("Between 0 and %(max)s points.", max=f"{maximum:g}")
    if submission.lesson.settings.get("rubric"):
        # The rubric's levels give the points; the box is not asked for.
        form.points.validators = [Optional()]
    return form


def _chosen_levels(submission: AssignmentSubmission) -> list[int | None]:
    """The level picked for each rubric criterion in the posted form (None where none)."""
    rubric = submission.lesson.settings.get("rubric") or []
    return [
        int_arg(request.form, f"s{submission.id}-criterion-{index}") for index in range(len(rubric))
    ]


@bp.route("/teaching/classes/<int:class_id>/submissions")
@require_role(*TEACHING_ROLES)
def list_submissions(class_id: int):
    school_class = get_class_or_404(class_id)
    return _render_submissions(school_class)


def _render_submissions(
    school_class: SchoolClass,
    failed: AssignmentSubmission | None = None,
    failed_form: GradeForm | None = None,
):
    lesson_id = int_arg(request.args, "lesson")
    submissions = queries.class_submissions(school_class, lesson_id)
    forms = {}
    for submission in submissions:
        if failed is not None and submission.id == failed.id:
            forms[submission.id] = failed_form
        else:
            forms[submission.id] = _grade_form(
                submission,
                formdata=None,
                data={
                    "points": submission.points,
                    "feedback": submission.feedback,
                },
            )
    assignments = [
        lesson
        for lesson in queries.class_lessons(school_class.course_id)
        if lesson.kind == LessonKind.ASSIGNMENT
    ]
    return render_template(
        "learning/submissions.html",
        school_class=school_class,
        submissions=submissions,
        forms=forms,
        assignments=assignments,
        titles={lesson.id: pick(lesson.title, lesson.title_zh) for lesson in assignments},
        lesson_id=lesson_id,
        failed_id=None if failed is None else failed.id,
    ), (200 if failed is None else 400)


@bp.route(
    "/teaching/classes/<int:class_id>/submissions/<int:submission_id>/grade",
    methods=["GET", "POST"],
)
@require_role(*TEACHING_ROLES)
def grade_submission(class_id: int, submission_id: int):
    school_class = get_class_or_404(class_id)
    submission = _get_submission_or_404(school_class, submission_id)
    if request.method == "GET":  # e.g. the language switch after a refused grade
        return redirect(_submission_url(submission))
    form = _grade_form(submission)
    if form.validate_on_submit():
        try:
            operations.grade_submission(
                submission,
                None if form.points.data is None else float(form.points.data),
                form.feedback.data or "",
                current_user,
                rubric_levels=_chosen_levels(submission),
            )
        except OperationError as error:
            show_operation_error(form, error)
        else:
            flash(_("Grade saved for %(name)s.", name=submission.user.display_name), "success")
            return redirect(_submission_url(submission, class_id))
    return _render_submissions(school_class, submission, form)


def _submission_url(submission: AssignmentSubmission, class_id: int | None = None) -> str:
    return url_for(
        "learning.list_submissions",
        class_id=class_id or (request.view_args or {})["class_id"],
        _anchor=f"submission-{submission.id}",
    )


_UNSAFE_FILENAME = re.compile(r"[^A-Za-z0-9._-]+")


def attachment_header(name: str | None, fallback: str) -> str:
    """A Content-Disposition that always downloads, whatever the uploaded name held.

    The plain ``filename`` is ASCII letters, digits, dots, hyphens and underscores only;
    ``filename*`` keeps a Chinese name readable, percent-encoded (RFC 6266 / 5987).
    Paths, quotes and control characters never reach the header.
    """
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip(" .")[:120]
    ascii_name = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode()
    plain = _UNSAFE_FILENAME.sub("_", ascii_name).strip("._") or fallback
    header = f'attachment; filename="{plain}"'
    if base and base != plain:
        header += f"; filename*=UTF-8''{quote(base, safe='')}"
    return header


@bp.route("/teaching/classes/<int:class_id>/submissions/<int:submission_id>/file")
@require_role(*TEACHING_ROLES)
def download_submission(class_id: int, submission_id: int):
    school_class = get_class_or_404(class_id)
    submission = _get_submission_or_404(school_class, submission_id)
    if not submission.file_data:
        abort(404)
    known = submission.file_type in operations.SUBMISSION_TYPES
    return Response(
        submission.file_data,
        mimetype=submission.file_type if known else "application/octet-stream",
        headers={
            "Content-Disposition": attachment_header(
                submission.file_name, f"submission-{submission.id}"
            ),
            "Content-Security-Policy": "sandbox",
            "Cache-Control": "private, no-store",
        },
    )


from academy.learning import lesson_views  # noqa: E402, F401  (learner pages on catalog's blueprint)
