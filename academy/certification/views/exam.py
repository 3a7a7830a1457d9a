"""Candidates: register, sit the exam (theory, practical, judged parts), hand in, results, appeal.

During a sitting one browser session holds the exam: a login elsewhere hands it to
the new session, and the older one is logged out when it next opens an exam page.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from academy.auth.permissions import login_required
from academy.certification import practical, queries
from academy.certification.forms import AdvanceForm, AppealForm, ResponseForm
from academy.certification.marking.models import Appeal, JudgedResponse
from academy.certification.marking.operations import lodge_appeal
from academy.certification.models import Candidate, CandidateStatus
from academy.certification.sittings import delivery
from academy.certification.sittings.registration import self_register
from academy.certification.views import bp, get_sitting_or_404
from academy.db import db, utcnow
from academy.errors import OperationError
from academy.forms import ConfirmForm, required

SESSION_KEY = "certification_exam"


def _own_candidate_or_404(sitting_id: int) -> Candidate:
    sitting = get_sitting_or_404(sitting_id)
    candidate = queries.candidate_for(sitting, current_user)
    if candidate is None:
        abort(403)
    return candidate


def _hold_session(candidate: Candidate):
    """Claim or check this browser's hold on the exam; a displaced session is logged out."""
    if candidate.status != CandidateStatus.SITTING:
        return None
    held = (session.get(SESSION_KEY) or {}).get(str(candidate.id))
    key = delivery.claim_session(candidate, held)
    if key is None:
        logout_user()
        session.pop(SESSION_KEY, None)
        flash(_("You signed in somewhere else, so this session of the exam has ended."), "error")
        return redirect(url_for("auth.login"))
    session[SESSION_KEY] = {**(session.get(SESSION_KEY) or {}), str(candidate.id): key}
    return None


@bp.route("/sittings/<int:sitting_id>/register", methods=["POST"])
@login_required
def register_self(sitting_id: int):
    sitting = get_sitting_or_404(sitting_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        candidate = self_register(sitting, current_user)
    except OperationError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(url_for("certification.home"))
    flash(
        _("You are registered; your candidate number is %(number)s.", number=candidate.number),
        "success",
    )
    return redirect(url_for("certification.exam", sitting_id=sitting_id))


@bp.route("/sittings/<int:sitting_id>/exam")
@login_required
def exam(sitting_id: int):
    candidate = _own_candidate_or_404(sitting_id)
    now = utcnow()
    if candidate.status == CandidateStatus.SITTING and delivery.is_over(candidate, now):
        delivery.finish_exam(candidate, now, forced=True)
    refused = _hold_session(candidate)
    if refused is not None:
        return refused
    responses = _responses(candidate)
    market = practical.practical_day(candidate.market_id) if candidate.market_id else None
    seconds_left = (
        int((candidate.deadline_dt - now).total_seconds())
        if candidate.deadline_dt and candidate.status == CandidateStatus.SITTING
        else None
    )
    return render_template(
        "certification/exam.html",
        candidate=candidate,
        sitting=candidate.sitting,
        programme=candidate.sitting.programme,
        responses=responses,
        market=market,
        seconds_left=max(0, seconds_left) if seconds_left is not None else None,
        confirm_form=ConfirmForm(),
        advance_form=AdvanceForm(),
        firm_endpoint=practical.firm_endpoint(),
    )


def _responses(candidate: Candidate) -> list[JudgedResponse]:
    return list(
        db.session.scalars(
            sa.select(JudgedResponse)
            .where(JudgedResponse.candidate_id == candidate.id)
            .order_by(JudgedResponse.part_key)
        )
    )


@bp.route("/sittings/<int:sitting_id>/exam/start", methods=["POST"])
@login_required
def start(sitting_id: int):
    candidate = _own_candidate_or_404(sitting_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        delivery.start_exam(candidate)
    except OperationError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    return redirect(url_for("certification.exam", sitting_id=sitting_id))


@bp.route("/sittings/<int:sitting_id>/exam/parts/<part_key>", methods=["GET", "POST"])
@login_required
def answer_part(sitting_id: int, part_key: str):
    candidate = _own_candidate_or_404(sitting_id)
    refused = _hold_session(candidate)
    if refused is not None:
        return refused
    part = candidate.sitting.programme.judged_part(part_key)
    if part is None or candidate.status != CandidateStatus.SITTING:
        abort(404)
    response = next((r for r in _responses(candidate) if r.part_key == part_key), None)
    form = ResponseForm(text=response.text if response else "")
    if form.validate_on_submit():
        try:
            delivery.save_response(candidate, part_key, form.text.data or "")
        except OperationError as error:
            flash(str(error.message), "error")
            return redirect(url_for("certification.exam", sitting_id=sitting_id))
        flash(_("Your answer is saved."), "success")
        return redirect(url_for("certification.exam", sitting_id=sitting_id))
    return render_template("certification/answer.html", candidate=candidate, part=part, form=form)


@bp.route("/sittings/<int:sitting_id>/exam/advance", methods=["POST"])
@login_required
def advance(sitting_id: int):
    candidate = _own_candidate_or_404(sitting_id)
    refused = _hold_session(candidate)
    if refused is not None:
        return refused
    form = AdvanceForm()
    if form.validate_on_submit():
        try:
            day = delivery.advance_practical(candidate, required(form.days.data))
        except OperationError as error:
            flash(str(error.message), "error")
        else:
            flash(_("Your market is on sim-day %(day)s.", day=day), "success")
    else:
        flash(_("Advance between 1 and 30 sim-days."), "error")
    return redirect(url_for("certification.exam", sitting_id=sitting_id))


@bp.route("/sittings/<int:sitting_id>/exam/finish", methods=["POST"])
@login_required
def finish(sitting_id: int):
    candidate = _own_candidate_or_404(sitting_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        delivery.finish_exam(candidate)
    except OperationError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    else:
        flash(_("Your exam is handed in."), "success")
    return redirect(url_for("certification.exam", sitting_id=sitting_id))


@bp.route("/sittings/<int:sitting_id>/result", methods=["GET", "POST"])
@login_required
def my_result(sitting_id: int):
    candidate = _own_candidate_or_404(sitting_id)
    sitting = candidate.sitting
    if not sitting.is_released:
        abort(404)
    form = AppealForm()
    if form.validate_on_submit():
        try:
            lodge_appeal(candidate, required(form.reason.data))
        except OperationError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            flash(_("Your appeal is lodged; the chief examiner will decide it."), "success")
            return redirect(url_for("certification.my_result", sitting_id=sitting_id))
    appeals_close = sitting.appeals_close_dt()  # set: the result is released
    appeals = db.session.scalars(
        sa.select(Appeal).where(Appeal.candidate_id == candidate.id).order_by(Appeal.id)
    ).all()
    return render_template(
        "certification/result.html",
        candidate=candidate,
        sitting=sitting,
        result=queries.result_of(candidate),
        appeals=appeals,
        form=form,
        may_appeal=appeals_close is not None and utcnow() <= appeals_close,
    )
