"""Invigilators: check candidates in (identity, seat) and keep the incident log."""

from __future__ import annotations

import sqlalchemy as sa
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from academy.auth.models import Role
from academy.auth.permissions import require_role
from academy.certification.forms import CheckInForm, IncidentForm
from academy.certification.models import Candidate, Incident
from academy.certification.sittings.delivery import check_in, record_incident
from academy.certification.views import bp, get_candidate_or_404, get_sitting_or_404
from academy.db import db
from academy.errors import OperationError
from academy.forms import required, show_operation_error

INVIGILATORS = (Role.INVIGILATOR, Role.ORG_ADMIN)


def _render(sitting, incident_form=None, status=200):
    incidents = db.session.scalars(
        sa.select(Incident).where(Incident.sitting_id == sitting.id).order_by(Incident.recorded_dt)
    ).all()
    return (
        render_template(
            "certification/invigilate.html",
            sitting=sitting,
            check_in_form=CheckInForm(),
            incident_form=incident_form or IncidentForm(),
            incidents=incidents,
        ),
        status,
    )


@bp.route("/sittings/<int:sitting_id>/invigilate")
@require_role(*INVIGILATORS)
def invigilate(sitting_id: int):
    return _render(get_sitting_or_404(sitting_id, "sitting.invigilate"))


@bp.route("/candidates/<int:candidate_id>/check-in", methods=["POST"])
@require_role(*INVIGILATORS)
def check_in_candidate(candidate_id: int):
    candidate = get_candidate_or_404(candidate_id, "sitting.invigilate")
    form = CheckInForm()
    if form.validate_on_submit():
        try:
            check_in(
                candidate, current_user, form.seat_number.data or "", form.identity_confirmed.data
            )
        except OperationError as error:
            show_operation_error(form, error)
            flash(
                _(
                    "Candidate %(number)s: %(problem)s",
                    number=candidate.number,
                    problem=error.message,
                ),
                "error",
            )
            return _render(candidate.sitting, status=422)
        flash(_("Candidate %(number)s is checked in.", number=candidate.number), "success")
    return redirect(url_for("certification.invigilate", sitting_id=candidate.sitting_id))


@bp.route("/sittings/<int:sitting_id>/incidents", methods=["POST"])
@require_role(*INVIGILATORS)
def add_incident(sitting_id: int):
    sitting = get_sitting_or_404(sitting_id, "sitting.invigilate")
    form = IncidentForm()
    if form.validate_on_submit():
        candidate = None
        if form.candidate_number.data:
            candidate = db.session.scalar(
                sa.select(Candidate).where(
                    Candidate.sitting_id == sitting.id,
                    Candidate.number == form.candidate_number.data.upper(),
                )
            )
            if candidate is None:
                form.candidate_number.errors = [_("No candidate of this sitting has that number.")]
                return _render(sitting, form, 422)
        try:
            record_incident(sitting, required(form.description.data), current_user, candidate)
        except OperationError as error:
            show_operation_error(form, error)
            return _render(sitting, form, 422)
        flash(_("The incident is recorded."), "success")
        return redirect(url_for("certification.invigilate", sitting_id=sitting_id))
    return _render(sitting, form, 422)
