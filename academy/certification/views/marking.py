"""Examiners: blind marking by candidate number; chief examiners: discrepancies, moderation, appeals."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from academy.auth.models import Role
from academy.auth.permissions import can, require, require_role
from academy.certification import queries
from academy.certification.forms import AppealDecisionForm, MarkForm
from academy.certification.marking.models import Appeal, AppealStatus, JudgedResponse, MarkRound
from academy.certification.marking.operations import (
    decide_appeal,
    next_round_for,
    submit_blind_mark,
    submit_third_mark,
)
from academy.certification.models import Candidate
from academy.certification.views import bp, get_or_404, get_sitting_or_404
from academy.db import db
from academy.errors import OperationError
from academy.forms import required, show_operation_error

MARKERS = (Role.EXAMINER, Role.CHIEF_EXAMINER)
MODERATORS = (Role.CHIEF_EXAMINER, Role.ORG_ADMIN)


def _response_or_404(response_id: int, action: str) -> JudgedResponse:
    response = get_or_404(JudgedResponse, response_id)
    require(can(current_user, action, response.candidate.sitting))
    return response


@bp.route("/sittings/<int:sitting_id>/marking")
@require_role(*MARKERS)
def marking_queue(sitting_id: int):
    sitting = get_sitting_or_404(sitting_id, "sitting.mark")
    responses = queries.responses_of(sitting)
    return render_template(
        "certification/marking_queue.html",
        sitting=sitting,
        responses=responses,
        next_round_for=lambda response: next_round_for(response, current_user),
    )


def _render_mark(response, form, third: bool, status=200):
    programme = response.candidate.sitting.programme
    return (
        render_template(
            "certification/mark.html",
            response=response,
            part=programme.judged_part(response.part_key) or {},
            unit=programme.standard.unit(response.unit_code),
            form=form,
            third=third,
            blind=[
                response.mark_of_round(MarkRound.FIRST),
                response.mark_of_round(MarkRound.SECOND),
            ]
            if third
            else [],
        ),
        status,
    )


@bp.route("/responses/<int:response_id>/mark", methods=["GET", "POST"])
@require_role(*MARKERS)
def mark_response(response_id: int):
    response = _response_or_404(response_id, "sitting.mark")
    third = request.args.get("third") == "1" or request.form.get("third") == "1"
    if third and not response.needs_third_mark:
        abort(404)
    if not third and next_round_for(response, current_user) is None:
        flash(_("This response already has its blind marks, or you marked it already."), "error")
        return redirect(
            url_for("certification.marking_queue", sitting_id=response.candidate.sitting_id)
        )
    form = MarkForm()
    if form.validate_on_submit():
        try:
            if third:
                submit_third_mark(
                    response, current_user, required(form.marks.data), form.comment.data or ""
                )
            else:
                submit_blind_mark(
                    response, current_user, required(form.marks.data), form.comment.data or ""
                )
        except OperationError as error:
            show_operation_error(form, error)
            return _render_mark(response, form, third, 422)
        flash(_("Your mark is saved."), "success")
        return redirect(
            url_for("certification.marking_queue", sitting_id=response.candidate.sitting_id)
        )
    return _render_mark(response, form, third, 422 if form.errors else 200)


@bp.route("/sittings/<int:sitting_id>/moderation")
@require_role(*MODERATORS)
def moderation(sitting_id: int):
    sitting = get_sitting_or_404(sitting_id, "sitting.moderate")
    appeals = db.session.scalars(
        sa.select(Appeal)
        .join(Candidate, Candidate.id == Appeal.candidate_id)
        .where(Candidate.sitting_id == sitting.id)
        .order_by(Appeal.lodged_dt)
    ).all()
    return render_template(
        "certification/moderation.html",
        sitting=sitting,
        statistics=queries.marker_statistics(sitting),
        responses=queries.responses_of(sitting),
        appeals=appeals,
        decision_form=AppealDecisionForm(),
        may_decide=can(current_user, "sitting.decide_appeals", sitting),
    )


@bp.route("/appeals/<int:appeal_id>/decide", methods=["POST"])
@require_role(Role.CHIEF_EXAMINER)
def decide(appeal_id: int):
    appeal = get_or_404(Appeal, appeal_id)
    sitting = appeal.candidate.sitting
    require(can(current_user, "sitting.decide_appeals", sitting))
    form = AppealDecisionForm()
    remarks = {}
    for name, value in request.form.items():
        if name.startswith("remark-") and value.strip():
            if not value.strip().isdigit() or not name[7:].isdigit():
                flash(_("A re-mark must be a whole number."), "error")
                return redirect(url_for("certification.moderation", sitting_id=sitting.id))
            remarks[int(name[7:])] = int(value)
    if appeal.status != AppealStatus.OPEN or not form.validate_on_submit():
        flash(_("Give the decision and its reasons."), "error")
        return redirect(url_for("certification.moderation", sitting_id=sitting.id))
    try:
        decide_appeal(appeal, current_user, required(form.outcome.data), remarks)
    except OperationError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    else:
        flash(_("The appeal is decided."), "success")
    return redirect(url_for("certification.moderation", sitting_id=sitting.id))
