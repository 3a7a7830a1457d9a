"""Pages for staff: a quiz's attempts, the marking queue, marking, release and regrade."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from academy.assessment import marking
from academy.assessment.models import Attempt, AttemptItem, AttemptStatus, MarkChange, Quiz
from academy.assessment.permissions import MARKER_ROLES
from academy.assessment.render import form_values, key_view, student_view, words
from academy.assessment.scope import attempt_scope
from academy.assessment.views import bp
from academy.auth.permissions import can, require, require_role
from academy.auth.reauth import confirm_recent_authentication
from academy.db import db
from academy.errors import OperationError
from academy.forms import ConfirmForm
from academy.numbers import NumberError, int_arg, parse_decimal


def get_managed_quiz_or_404(quiz_id: int, action: str = "quiz.mark") -> Quiz:
    """The quiz, if the current user may ``action`` it (marking, or quiz-wide acts)."""
    quiz = db.session.get(Quiz, quiz_id)
    if quiz is None:
        abort(404)
    require(can(current_user, action, quiz))
    return quiz


@bp.route("/quizzes/<int:quiz_id>/manage")
@require_role(*MARKER_ROLES)
def manage_quiz(quiz_id: int):
    quiz = get_managed_quiz_or_404(quiz_id)
    scope = attempt_scope(current_user, quiz)
    attempts = db.session.scalars(
        sa.select(Attempt)
        .where(Attempt.quiz_id == quiz.id, scope.filter(Attempt.user_id))
        .order_by(Attempt.started_dt)
    ).all()
    changes = db.session.scalars(
        sa.select(MarkChange)
        .join(AttemptItem)
        .join(Attempt)
        .where(
            Attempt.quiz_id == quiz.id,
            MarkChange.reason != "auto",
            scope.filter(Attempt.user_id),
        )
        .order_by(MarkChange.changed_dt.desc(), MarkChange.id.desc())
        .limit(50)
    ).all()
    return render_template(
        "assessment/manage.html",
        quiz=quiz,
        attempts=attempts,
        queue_size=len(marking.marking_queue(quiz, scope)),
        changes=changes,
        can_manage=scope.everyone,
        form=ConfirmForm(),
    )


@bp.route("/quizzes/<int:quiz_id>/release", methods=["POST"])
@require_role(*MARKER_ROLES)
def release_marks(quiz_id: int):
    quiz = get_managed_quiz_or_404(quiz_id, "quiz.manage")
    if not ConfirmForm().validate_on_submit():
        abort(400)
    confirm_recent_authentication()
    marking.release_marks(quiz, current_user)
    flash(_("Marks released: students can now see them."), "success")
    return redirect(url_for("assessment.manage_quiz", quiz_id=quiz.id))


@bp.route("/quizzes/<int:quiz_id>/regrade", methods=["POST"])
@require_role(*MARKER_ROLES)
def regrade_quiz(quiz_id: int):
    quiz = get_managed_quiz_or_404(quiz_id, "quiz.manage")
    if not ConfirmForm().validate_on_submit():
        abort(400)
    counts = marking.regrade_quiz(quiz, current_user)
    flash(
        _(
            "Regraded %(items)s answers: %(changed)s marks changed, %(moved)s moved to a newer version.",
            **counts,
        ),
        "success",
    )
    return redirect(url_for("assessment.manage_quiz", quiz_id=quiz.id))


@bp.route("/quizzes/<int:quiz_id>/marking")
@require_role(*MARKER_ROLES)
def marking_queue(quiz_id: int):
    quiz = get_managed_quiz_or_404(quiz_id)
    return render_template(
        "assessment/marking_queue.html",
        quiz=quiz,
        items=marking.marking_queue(quiz, attempt_scope(current_user, quiz)),
    )


def _points(text: str, maximum: float) -> float | None:
    if not text.strip():
        return None
    try:
        return float(parse_decimal(text, minimum=0, maximum=Decimal(str(maximum)), places=4))
    except NumberError as error:
        raise OperationError(error.message, "points", code="invalid_points") from None


@bp.route("/marking/<int:item_id>", methods=["GET", "POST"])
@require_role(*MARKER_ROLES)
def mark_item(item_id: int):
    item = db.session.get(AttemptItem, item_id)
    if item is None or item.attempt.status != AttemptStatus.SUBMITTED:
        abort(404)
    quiz = get_managed_quiz_or_404(item.attempt.quiz_id)
    scope = attempt_scope(current_user, quiz)
    require(scope.covers(item.attempt.user_id))
    error = None
    if request.method == "POST":
        if not ConfirmForm().validate_on_submit():
            abort(400)
        rubric = item.question.get("rubric") or []
        try:
            levels: list[int] | None = None
            points = None
            if rubric:
                chosen = [int_arg(request.form, f"criterion-{i}") for i in range(len(rubric))]
                levels = [level for level in chosen if level is not None]
                if len(levels) < len(chosen):
                    raise OperationError(
                        _("Choose a level for every criterion."),
                        "rubric",
                        code="rubric_level_missing",
                    )
            else:
                points = _points(request.form.get("points", ""), item.max_points)
            marking.mark_item(
                item,
                current_user,
                points=points,
                rubric_levels=levels,
                feedback=request.form.get("feedback", "")[:5000],
            )
        except OperationError as problem:
            db.session.rollback()
            error = problem.message
        else:
            flash(_("Mark saved."), "success")
            following = marking.marking_queue(quiz, scope)
            if following:
                return redirect(url_for("assessment.mark_item", item_id=following[0].id))
            return redirect(url_for("assessment.marking_queue", quiz_id=quiz.id))
    question = item.question
    return render_template(
        "assessment/mark_item.html",
        quiz=quiz,
        item=item,
        view=student_view(question, "q"),
        values=form_values(question, item.response, "q"),
        key=key_view(question),
        rubric=student_view(question, "q").get("rubric", []),
        word_count=words(item.response) if isinstance(item.response, str) else None,
        history=marking.mark_history(item),
        error=error,
        form=ConfirmForm(),
    ), (422 if error else 200)
