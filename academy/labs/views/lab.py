"""Lab lessons: start the student's private lab, check it, and move its clock.

The lesson page shows the lab panel (``academy.labs.panel``); its forms post here.
Every route needs a student enrolled in the lesson's course (403 otherwise) and
redirects back to the lesson or the firm, with what happened in a flash message.
"""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from academy.auth.permissions import login_required, require
from academy.catalog.models import Lesson, LessonKind
from academy.catalog.views import get_course_or_404, get_lesson_or_404
from academy.errors import OperationError
from academy.forms import required
from academy.labs import lessons
from academy.labs.lab_forms import CheckLabForm, LabClockForm, StartLabForm
from academy.labs.models import MarketKind
from academy.labs.views import bp
from academy.labs.views.student import get_my_firm_or_404
from academy.learning import queries as learning_queries
from academy.learning.lesson_views import lesson_gate

LAB = "/courses/<slug>/lessons/<lesson_slug>/lab"


def get_lab_lesson_or_404(slug: str, lesson_slug: str) -> Lesson:
    """A published lab lesson of a visible course, for a student enrolled in it.

    The lesson page's own gate applies too: a lab not yet released, or whose
    prerequisite is not completed, cannot be started or checked by posting to it.
    """
    course = get_course_or_404(slug)
    lesson = get_lesson_or_404(course, lesson_slug)
    if lesson.kind != LessonKind.LAB or not lesson.published_revision_id:
        abort(404)
    enrollment = learning_queries.get_enrollment(current_user, course)
    require(enrollment is not None)
    reason = lesson_gate(course, lesson, enrollment)
    if reason:
        raise LabClosed(reason, course.slug)
    return lesson


class LabClosed(Exception):
    """The lesson page would not open for this student yet (release date, prerequisite)."""

    def __init__(self, reason: str, course_slug: str) -> None:
        super().__init__(reason)
        self.course_slug = course_slug


@bp.errorhandler(LabClosed)
def lab_closed(error: LabClosed):
    # Where the lesson page itself would send the student: the course, with the reason.
    flash(str(error), "info")
    return redirect(url_for("catalog.show_course", slug=error.course_slug))


def _back_to(lesson: Lesson):
    return redirect(
        url_for("catalog.show_lesson", slug=lesson.course.slug, lesson_slug=lesson.slug)
        + "#lab-heading"
    )


def lab_refusal(error: OperationError) -> str:
    """A platform refusal of a lab action in the reader's language, by its code."""
    messages = {
        "market_finished": _("This lab has finished; start it again from the lesson page."),
        "market_paused": _("This lab is paused."),
        "days_invalid": _("Advance 1 or 5 days."),
        "lab_not_started": _("Start the lab first."),
        "lab_no_check": _("This lab has no automatic check; mark it complete."),
        "lab_not_enrolled": _("Enrol in the course first."),
        "lab_not_yours": _("This is not your lab."),
        "idempotency_conflict": _("This form was already used by someone else."),
        "idempotency_key_invalid": _("This form has expired; reload the page and try again."),
    }
    return messages.get(error.code or "", str(error.message))


@bp.route(LAB + "/start", methods=["POST"])
@login_required
def start_lab(slug: str, lesson_slug: str):
    lesson = get_lab_lesson_or_404(slug, lesson_slug)
    form = StartLabForm()
    if not form.validate_on_submit():
        flash(_("The form has expired; please try again."), "error")
        return _back_to(lesson)
    try:
        lessons.start_lab(current_user, lesson, creation_key=form.creation_key.data or None)
    except OperationError as error:
        flash(lab_refusal(error), "error")
        return _back_to(lesson)
    flash(_("Your lab market is ready: open your firm and begin."), "success")
    return _back_to(lesson)


@bp.route(LAB + "/check", methods=["POST"])
@login_required
def check_lab(slug: str, lesson_slug: str):
    lesson = get_lab_lesson_or_404(slug, lesson_slug)
    if not CheckLabForm().validate_on_submit():
        flash(_("The form has expired; please try again."), "error")
        return _back_to(lesson)
    try:
        result = lessons.check_lab(current_user, lesson)
    except OperationError as error:
        flash(lab_refusal(error), "error")
        return _back_to(lesson)
    if result.passed:
        flash(_("Every criterion is met: the lab is complete."), "success")
    else:
        flash(_("Not yet: the lab's criteria below say what is missing."), "info")
    return _back_to(lesson)


@bp.route("/markets/<int:market_id>/firm/clock", methods=["POST"])
@login_required
def advance_lab_clock(market_id: int):
    market, _firm = get_my_firm_or_404(market_id)
    require(market.kind == MarketKind.PRIVATE_LAB and market.owner_id == current_user.id)
    form = LabClockForm()
    dashboard = url_for("labs.firm_dashboard", market_id=market.id)
    if not form.validate_on_submit():
        for message in form.days.errors or [_("The form has expired; please try again.")]:
            flash(str(message), "error")
        return redirect(dashboard)
    try:
        outcome = lessons.advance_lab(current_user, market, required(form.days.data))
    except OperationError as error:
        flash(lab_refusal(error), "error")
        return redirect(dashboard)
    flash(_("The lab's clock moved to sim-day %(day)s.", day=outcome["sim_day"]), "success")
    return redirect(dashboard)
