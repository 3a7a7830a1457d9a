"""Pages for taking quizzes: the quiz, an attempt (pages, autosave, submit), review."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from academy.assessment import attempts as ops
from academy.assessment.models import Attempt, AttemptStatus, Quiz
from academy.assessment.render import form_values, key_view, student_view
from academy.assessment.views import bp
from academy.auth.permissions import can, login_required, require
from academy.db import db, utcnow
from academy.errors import OperationError
from academy.forms import ConfirmForm
from academy.numbers import int_arg

QUESTIONS_PER_PAGE = 5


def get_quiz_or_404(quiz_id: int) -> Quiz:
    quiz = db.session.get(Quiz, quiz_id)
    if quiz is None:
        abort(404)
    return quiz


def get_own_attempt_or_404(attempt_id: int) -> Attempt:
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None:
        abort(404)
    require(attempt.user_id == current_user.id)
    return attempt


@bp.route("/quizzes/<int:quiz_id>")
@login_required
def show_quiz(quiz_id: int):
    quiz = get_quiz_or_404(quiz_id)
    can_take = can(current_user, "quiz.take", quiz)
    can_manage = can(current_user, "quiz.mark", quiz)
    require(can_take or can_manage)
    attempts = ops.attempts_of(quiz, current_user)
    visible = [a for a in attempts if ops.marks_visible(a)]
    return render_template(
        "assessment/quiz.html",
        quiz=quiz,
        attempts=attempts,
        kept=ops.kept_percent(quiz, visible),
        is_open=ops.quiz_is_open(quiz, utcnow()),
        can_take=can_take,
        can_manage=can_manage,
        marks_visible=ops.marks_visible,
        form=ConfirmForm(),
    )


@bp.route("/quizzes/<int:quiz_id>/start", methods=["POST"])
@login_required
def start_attempt(quiz_id: int):
    quiz = get_quiz_or_404(quiz_id)
    require(can(current_user, "quiz.take", quiz))
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        try:
            attempt = ops.start_attempt(quiz, current_user)
        except sa.exc.IntegrityError:
            # A second click raced the first and lost on the unique attempt number; the
            # first request's attempt is committed by now, so resume it.
            db.session.rollback()
            attempt = ops.start_attempt(quiz, current_user)
    except OperationError as error:
        flash(str(error.message), "error")
        return redirect(url_for("assessment.show_quiz", quiz_id=quiz.id))
    return redirect(url_for("assessment.take_attempt", attempt_id=attempt.id))


def _page_items(attempt: Attempt, page: int):
    pages = max(1, -(-len(attempt.items) // QUESTIONS_PER_PAGE))
    page = min(max(page, 1), pages)
    start = (page - 1) * QUESTIONS_PER_PAGE
    return attempt.items[start : start + QUESTIONS_PER_PAGE], page, pages


def _expire(attempt: Attempt):
    ops.submit_attempt(attempt)
    flash(
        _("The time for this attempt is over. It was submitted with your saved answers."), "error"
    )
    return redirect(url_for("assessment.review_attempt", attempt_id=attempt.id))


@bp.route("/attempts/<int:attempt_id>", methods=["GET", "POST"])
@login_required
def take_attempt(attempt_id: int):
    attempt = get_own_attempt_or_404(attempt_id)
    if attempt.status == AttemptStatus.SUBMITTED:
        return redirect(url_for("assessment.review_attempt", attempt_id=attempt.id))
    if ops.is_expired(attempt, utcnow()):
        return _expire(attempt)
    page = int_arg(request.values, "page") or 1
    items, page, pages = _page_items(attempt, page)
    errors = {}
    if request.method == "POST":
        if not ConfirmForm().validate_on_submit():
            abort(400)
        result = ops.save_answers(attempt, request.form, [item.position for item in items])
        errors = result.errors
        if not errors:
            target = int_arg(request.form, "go") or page
            return redirect(url_for("assessment.take_attempt", attempt_id=attempt.id, page=target))
    return render_template(
        "assessment/attempt.html",
        attempt=attempt,
        items=items,
        page=page,
        pages=pages,
        errors=errors,
        views=[student_view(item.question, f"q{item.position}") for item in items],
        values=[form_values(item.question, item.response, f"q{item.position}") for item in items],
        answered=sum(1 for item in attempt.items if item.response is not None),
        flagged=sum(1 for item in attempt.items if item.is_flagged),
        per_page=QUESTIONS_PER_PAGE,
        seconds_left=ops.seconds_left(attempt),
        form=ConfirmForm(),
    )


@bp.route("/attempts/<int:attempt_id>/autosave", methods=["POST"])
@login_required
def autosave_attempt(attempt_id: int):
    attempt = get_own_attempt_or_404(attempt_id)
    positions = [int(p) for p in request.form.getlist("positions") if p.isdigit()] or None
    try:
        result = ops.save_answers(attempt, request.form, positions)
    except OperationError as error:
        response = jsonify(code=error.code, detail=str(error.message))
        response.status_code = 409
        return response
    return jsonify(
        saved=result.saved,
        errors={str(k): str(v) for k, v in result.errors.items()},
        seconds_left=ops.seconds_left(attempt),
        saved_at=attempt.saved_dt.isoformat() if attempt.saved_dt else None,
    )


@bp.route("/attempts/<int:attempt_id>/submit", methods=["POST"])
@login_required
def submit_attempt(attempt_id: int):
    attempt = get_own_attempt_or_404(attempt_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if attempt.status == AttemptStatus.IN_PROGRESS:
        if ops.is_expired(attempt, utcnow()):
            return _expire(attempt)
        positions = [int(p) for p in request.form.getlist("positions") if p.isdigit()]
        result = ops.save_answers(attempt, request.form, positions)
        if result.errors:
            flash(_("Some answers have the wrong form; correct them before submitting."), "error")
            page = int_arg(request.form, "page", 1)
            return redirect(url_for("assessment.take_attempt", attempt_id=attempt.id, page=page))
        ops.submit_attempt(attempt)
        flash(_("Your attempt has been submitted."), "success")
    return redirect(url_for("assessment.review_attempt", attempt_id=attempt.id))


@bp.route("/attempts/<int:attempt_id>/review")
@login_required
def review_attempt(attempt_id: int):
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None:
        abort(404)
    require(can(current_user, "attempt.view", attempt))
    is_owner = attempt.user_id == current_user.id
    if attempt.status == AttemptStatus.IN_PROGRESS:
        if is_owner and not ops.is_expired(attempt, utcnow()):
            return redirect(url_for("assessment.take_attempt", attempt_id=attempt.id))
        if ops.is_expired(attempt, utcnow()):
            ops.submit_attempt(attempt)
    staff_view = not is_owner
    show_answers = staff_view or ops.review_allowed(attempt)
    show_marks = staff_view or ops.marks_visible(attempt)
    rows = []
    for item in attempt.items:
        question = item.question
        rows.append(
            {
                "item": item,
                "view": student_view(question, f"q{item.position}"),
                "values": form_values(question, item.response, f"q{item.position}"),
                # The key is built only when review is allowed; never before.
                "key": key_view(question) if show_answers else None,
                "feedback": question.get("feedback") if show_answers else None,
            }
        )
    return render_template(
        "assessment/review.html",
        attempt=attempt,
        rows=rows,
        show_answers=show_answers,
        show_marks=show_marks,
        is_owner=is_owner,
        form=ConfirmForm(),
    )


@bp.route("/attempts/<int:attempt_id>/items/<int:position>/dispute", methods=["POST"])
@login_required
def dispute_item(attempt_id: int, position: int):
    from academy.assessment import marking

    attempt = get_own_attempt_or_404(attempt_id)
    item = next((i for i in attempt.items if i.position == position), None)
    if item is None or not ConfirmForm().validate_on_submit():
        abort(404 if item is None else 400)
    try:
        marking.dispute_item(item, current_user, request.form.get("note", ""))
    except OperationError as error:
        flash(str(error.message), "error")
    else:
        flash(_("Your query has been sent to the marker."), "success")
    return redirect(url_for("assessment.review_attempt", attempt_id=attempt.id))
