"""What learners see: the catalogue, course pages, lessons, progress actions.

The pages are served on the catalog blueprint (``catalog.show_lesson`` and so on): they
read courses and write learning records, so they live with learning, which imports the
catalog, and the catalog imports nothing from learning.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from academy.auth.models import Role
from academy.auth.permissions import login_required, public
from academy.catalog import queries
from academy.catalog.forms import KIND_LABELS, LEVEL_LABELS, AssignmentForm, CatalogueSearchForm
from academy.catalog.models import ASSET_URL_MARKER, Course, Lesson, LessonKind, LessonRevision
from academy.catalog.packages.extensions import lesson_panel_for
from academy.catalog.rules import is_released
from academy.catalog.views import (
    asset_resolver,
    bp,
    course_is_visible,
    get_course_or_404,
    get_lesson_or_404,
)
from academy.db import db
from academy.errors import OperationError
from academy.forms import ConfirmForm
from academy.i18n import pick
from academy.learning import operations as learning
from academy.learning import queries as learning_queries
from academy.learning.models import AssignmentSubmission, ProgressStatus
from academy.markdown import render_markdown


def is_staff_viewer(course: Course) -> bool:
    """Team members, teachers and staff may read every lesson without enrolling."""
    user = current_user
    return (
        user.is_site_admin
        or course.team_role(user) is not None
        or user.has_role(Role.TEACHER, Role.MENTOR, Role.EXAMINER)
    )


@bp.route("/courses")
@public
def list_courses():
    form = CatalogueSearchForm(request.args)
    form.level.choices = [("", _("Any level"))] + [
        (level.value, str(label)) for level, label in LEVEL_LABELS.items()
    ]
    form.tag.choices = [("", _("Any topic"))] + [
        (tag, pick(tag, tag_zh)) for tag, tag_zh in queries.all_tags()
    ]
    if not form.validate():
        form.level.data = form.tag.data = ""
    courses = queries.search_courses(
        (form.q.data or "").strip(),
        form.level.data or "",
        form.tag.data or "",
        request.args.get("partner", ""),
    )
    enrolled = set()
    if current_user.is_authenticated:
        enrolled = learning_queries.enrolled_course_ids(current_user)
    durations = queries.course_durations([course.id for course in courses])
    return render_template(
        "catalog/list.html",
        form=form,
        courses=courses,
        enrolled=enrolled,
        level_labels=LEVEL_LABELS,
        durations=durations,
    )


@bp.route("/courses/<slug>")
@public
def show_course(slug: str):
    course = get_course_or_404(slug)
    enrollment = completed = None
    if current_user.is_authenticated:
        enrollment = learning_queries.get_enrollment(current_user, course)
        if enrollment is not None:
            completed = learning_queries.completed_lesson_ids(current_user, course)
    lessons = queries.published_lessons_with_titles(course)
    required = learning_queries.required_lesson_ids(course)
    return render_template(
        "catalog/course.html",
        course=course,
        modules=course.modules,
        lessons_by_module={
            m.id: [lesson for lesson in lessons if lesson.module_id == m.id] for m in course.modules
        },
        enrollment=enrollment,
        completed=completed or set(),
        required=required,
        done_count=len(required & (completed or set())),
        lesson_count=len(lessons),
        duration=sum(lesson.duration_minutes for lesson in lessons),
        level_labels=LEVEL_LABELS,
        kind_labels=KIND_LABELS,
        action_form=ConfirmForm(),
        today=date.today(),
        is_released=is_released,
    )


@bp.route("/courses/<slug>/enroll", methods=["POST"])
@login_required
def enroll(slug: str):
    course = get_course_or_404(slug)
    if ConfirmForm().validate_on_submit():
        try:
            learning.self_enroll(current_user, course)
        except OperationError as error:
            flash(str(error.message), "error")
        else:
            flash(_("You are enrolled in %(course)s.", course=course.title), "success")
    return redirect(url_for("catalog.show_course", slug=slug))


def lesson_gate(course: Course, lesson: Lesson, enrollment) -> str | None:
    """Why the learner cannot open ``lesson`` yet, or None if they can."""
    if lesson.published_revision is None:
        return _("This lesson has not been published yet.")
    # An enrolled learner's checks come first: they need no query about the course team.
    reason = _learner_gate(course, lesson, enrollment)
    if reason is None or is_staff_viewer(course):
        return None
    return reason


def _learner_gate(course: Course, lesson: Lesson, enrollment) -> str | None:
    if enrollment is None:
        return _("Enrol in the course to open its lessons.")
    if not is_released(lesson, date.today()):
        dates = [d for d in (lesson.release_date, lesson.module.release_date) if d]
        return _("This lesson opens on %(date)s.", date=max(dates).isoformat())
    prerequisites = [p for p in (lesson.prerequisite, lesson.module.prerequisite) if p]
    if not prerequisites:
        return None
    done = learning_queries.completed_lesson_ids(current_user, course)
    for prerequisite in prerequisites:
        lesson_slug = prerequisite.partition("/")[2]
        required = queries.get_lesson(course, lesson_slug)
        if required is not None and required.id not in done and required.id != lesson.id:
            title = (
                required.published_revision.title if required.published_revision else lesson_slug
            )
            return _("Complete “%(lesson)s” first.", lesson=title)
    return None


@bp.route("/courses/<slug>/lessons/<lesson_slug>")
@login_required
def show_lesson(slug: str, lesson_slug: str):
    lesson = queries.get_lesson_for_page(slug, lesson_slug)
    if lesson is None or not course_is_visible(lesson.course):
        abort(404)
    course = lesson.course
    enrollment = learning_queries.get_enrollment(current_user, course)
    reason = lesson_gate(course, lesson, enrollment)
    if reason:
        flash(reason, "info")
        return redirect(url_for("catalog.show_course", slug=slug))
    progress = learning.record_lesson_view(current_user, lesson, enrollment)
    published = queries.published_lesson_links(course)
    index = [link.slug for link in published].index(lesson.slug)
    revision = lesson.published_revision
    if revision is None:  # the gate let the learner in: the lesson is published
        abort(404)
    in_chinese = _is_chinese()
    panel = lesson_panel_for(lesson.kind.value)
    submission = None
    if lesson.kind == LessonKind.ASSIGNMENT:
        submission = _submission(lesson)
    return render_template(
        "catalog/lesson.html",
        course=course,
        lesson=lesson,
        revision=revision,
        body_html=_body_html(course, revision, in_chinese),
        showing_fallback=in_chinese and not revision.body_zh.strip(),
        previous=published[index - 1] if index > 0 else None,
        next=published[index + 1] if index + 1 < len(published) else None,
        enrollment=enrollment,
        progress=progress,
        completed=progress is not None and progress.status == ProgressStatus.COMPLETED,
        panel=panel(lesson, current_user) if panel else None,
        kind_labels=KIND_LABELS,
        action_form=ConfirmForm(),
        assignment_form=AssignmentForm(),
        submission=submission,
        credits=queries.lesson_credits(lesson),
    )


def _body_html(course: Course, revision: LessonRevision, in_chinese: bool) -> Markup:
    """The body stored at publication, with this course's picture URLs filled in."""
    chinese = in_chinese and revision.body_zh.strip()
    stored = revision.body_zh_html if chinese else revision.body_html
    if stored is None:  # published before bodies were stored, or written by hand
        return render_markdown(
            revision.body_zh if chinese else revision.body, asset_resolver(course)
        )
    prefix = url_for("catalog.course_asset", slug=course.slug, filename="x")[:-1]
    return Markup(stored.replace(ASSET_URL_MARKER, prefix))  # sanitised when stored


def _is_chinese() -> bool:
    from academy.i18n import current_language

    return current_language() == "zh"


def _submission(lesson: Lesson) -> AssignmentSubmission | None:
    return db.session.scalar(
        sa.select(AssignmentSubmission).where(
            AssignmentSubmission.lesson_id == lesson.id,
            AssignmentSubmission.user_id == current_user.id,
        )
    )


@bp.route("/courses/<slug>/lessons/<lesson_slug>/complete", methods=["POST"])
@login_required
def complete_lesson(slug: str, lesson_slug: str):
    course = get_course_or_404(slug)
    lesson = get_lesson_or_404(course, lesson_slug)
    if ConfirmForm().validate_on_submit():
        try:
            learning.complete_lesson(current_user, lesson)
        except OperationError as error:
            flash(str(error.message), "error")
        else:
            flash(_("Lesson completed."), "success")
    following = request.form.get("next_lesson")
    if following and queries.get_lesson(course, following) is not None:
        return redirect(url_for("catalog.show_lesson", slug=slug, lesson_slug=following))
    return redirect(url_for("catalog.show_lesson", slug=slug, lesson_slug=lesson_slug))


@bp.route("/courses/<slug>/lessons/<lesson_slug>/submission", methods=["POST"])
@login_required
def submit_assignment(slug: str, lesson_slug: str):
    course = get_course_or_404(slug)
    lesson = get_lesson_or_404(course, lesson_slug)
    form = AssignmentForm()
    if form.validate_on_submit():
        upload = form.file.data
        data = upload.read() if upload else None
        if upload:
            upload.close()  # large uploads are spooled to a temporary file
        try:
            learning.submit_assignment(
                current_user,
                lesson,
                text=form.text.data or "",
                file_name=upload.filename if upload else None,
                file_type=upload.mimetype if upload else None,
                file_data=data,
            )
        except OperationError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            flash(_("Your work has been handed in."), "success")
    else:
        for errors in form.errors.values():
            flash(" ".join(str(message) for message in errors), "error")
    return redirect(url_for("catalog.show_lesson", slug=slug, lesson_slug=lesson_slug))


@bp.route("/courses/<slug>/assets/<filename>")
@public
def course_asset(slug: str, filename: str):
    course = get_course_or_404(slug)
    asset = queries.get_asset(course, filename)
    if asset is None:
        abort(404)
    response = Response(asset.data, mimetype=asset.content_type)
    response.headers["Cache-Control"] = "public, max-age=3600"
    response.headers["Content-Security-Policy"] = "default-src 'none'"
    response.set_etag(asset.sha256)
    return response.make_conditional(request)
