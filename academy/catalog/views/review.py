"""History, comparison and review of lesson revisions."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from academy.auth.permissions import can, login_required, require
from academy.catalog import operations, queries
from academy.catalog.diff import diff_revisions
from academy.catalog.forms import REVISION_STATUS_LABELS, ReviewForm
from academy.catalog.models import RevisionStatus
from academy.catalog.revisions import may_approve
from academy.catalog.views import asset_resolver, bp, get_lesson_or_404, get_revision_or_404
from academy.catalog.views.authoring import _team_course
from academy.errors import OperationError
from academy.forms import ConfirmForm, show_operation_error
from academy.markdown import render_markdown
from academy.numbers import int_arg


def _visible_revisions(lesson):
    """Drafts are private to their author; everything else is visible to the team."""
    return [
        revision
        for revision in queries.lesson_revisions(lesson)
        if revision.status != RevisionStatus.DRAFT or revision.author_id == current_user.id
    ]


@bp.route("/authoring/courses/<slug>/lessons/<lesson_slug>/history")
@login_required
def lesson_history(slug: str, lesson_slug: str):
    course = _team_course(slug)
    lesson = get_lesson_or_404(course, lesson_slug)
    return render_template(
        "catalog/history.html",
        course=course,
        lesson=lesson,
        revisions=_visible_revisions(lesson),
        status_labels=REVISION_STATUS_LABELS,
        action_form=ConfirmForm(),
        can_edit=can(current_user, "course.edit", course),
        can_review=can(current_user, "course.review", course),
    )


def _team_revision(slug: str, lesson_slug: str, number: int):
    course = _team_course(slug)
    lesson = get_lesson_or_404(course, lesson_slug)
    revision = get_revision_or_404(lesson, number)
    if revision.status == RevisionStatus.DRAFT and revision.author_id != current_user.id:
        abort(404)
    return course, lesson, revision


@bp.route("/authoring/courses/<slug>/lessons/<lesson_slug>/revisions/<int:number>")
@login_required
def show_revision(slug: str, lesson_slug: str, number: int):
    course, lesson, revision = _team_revision(slug, lesson_slug, number)
    resolver = asset_resolver(course)
    return render_template(
        "catalog/revision.html",
        course=course,
        lesson=lesson,
        revision=revision,
        body_html=render_markdown(revision.body, resolver),
        body_zh_html=render_markdown(revision.body_zh, resolver)
        if revision.body_zh.strip()
        else None,
    )


@bp.route("/authoring/courses/<slug>/lessons/<lesson_slug>/compare")
@login_required
def compare_revisions(slug: str, lesson_slug: str):
    course = _team_course(slug)
    lesson = get_lesson_or_404(course, lesson_slug)
    numbers = [r.number for r in _visible_revisions(lesson)]
    old_number = int_arg(request.args, "from")
    new_number = int_arg(request.args, "to")
    if old_number is None or new_number is None:
        abort(404)
    if old_number not in numbers or new_number not in numbers:
        abort(404)
    old = get_revision_or_404(lesson, old_number)
    new = get_revision_or_404(lesson, new_number)
    return render_template(
        "catalog/compare.html",
        course=course,
        lesson=lesson,
        old=old,
        new=new,
        fields=diff_revisions(old, new),
        numbers=sorted(numbers),
    )


@bp.route(
    "/authoring/courses/<slug>/lessons/<lesson_slug>/revisions/<int:number>/review",
    methods=["GET", "POST"],
)
@login_required
def review_revision(slug: str, lesson_slug: str, number: int):
    course, lesson, revision = _team_revision(slug, lesson_slug, number)
    require(can(current_user, "course.review", course))
    form = ReviewForm()
    status = 200
    if revision.status == RevisionStatus.PROPOSED and form.validate_on_submit():
        decision = request.form.get("decision")
        try:
            if decision == "approve":
                operations.approve_revision(revision, current_user, form.comment.data or "")
                flash(_("Revision %(number)d is published.", number=revision.number), "success")
            elif decision == "return":
                operations.return_revision(revision, current_user, form.comment.data or "")
                flash(
                    _("Revision %(number)d was sent back to its author.", number=revision.number),
                    "success",
                )
            else:
                abort(400)
        except OperationError as error:
            show_operation_error(form, error)
            status = {"already_reviewed": 409, "own_change": 403}.get(error.code or "", 400)
        else:
            return redirect(url_for("catalog.lesson_history", slug=slug, lesson_slug=lesson_slug))
    base = revision.based_on or lesson.published_revision
    if base is not None and base.id == revision.id:
        base = None
    return render_template(
        "catalog/review.html",
        course=course,
        lesson=lesson,
        revision=revision,
        base=base,
        current=lesson.published_revision,
        fields=diff_revisions(base, revision),
        form=form,
        may_approve=may_approve(revision, current_user),
    ), status


@bp.route(
    "/authoring/courses/<slug>/lessons/<lesson_slug>/revisions/<int:number>/restore",
    methods=["POST"],
)
@login_required
def restore_revision(slug: str, lesson_slug: str, number: int):
    course, _lesson, revision = _team_revision(slug, lesson_slug, number)
    can_review = can(current_user, "course.review", course)
    require(can_review or can(current_user, "course.edit", course))
    if ConfirmForm().validate_on_submit():
        try:
            restored = operations.restore_revision(revision, current_user, can_review=can_review)
        except OperationError as error:
            flash(str(error.message), "error")
        else:
            if restored.status == RevisionStatus.PUBLISHED:
                flash(
                    _(
                        "Revision %(old)d is published again as revision %(new)d.",
                        old=number,
                        new=restored.number,
                    ),
                    "success",
                )
            else:
                flash(
                    _("Restoring revision %(old)d was proposed for review.", old=number), "success"
                )
    return redirect(url_for("catalog.lesson_history", slug=slug, lesson_slug=lesson_slug))


@bp.route(
    "/authoring/courses/<slug>/lessons/<lesson_slug>/revisions/<int:number>/withdraw",
    methods=["POST"],
)
@login_required
def withdraw_revision(slug: str, lesson_slug: str, number: int):
    _course, _lesson, revision = _team_revision(slug, lesson_slug, number)
    if ConfirmForm().validate_on_submit():
        try:
            operations.withdraw_revision(revision, current_user)
        except OperationError as error:
            flash(str(error.message), "error")
        else:
            flash(_("The revision was withdrawn."), "success")
    return redirect(url_for("catalog.lesson_history", slug=slug, lesson_slug=lesson_slug))
