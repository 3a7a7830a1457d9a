"""Association admins: schedule sittings, register candidates, accommodations, release, export."""

from __future__ import annotations

from datetime import UTC

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from academy.auth.models import Role
from academy.auth.permissions import require_role
from academy.auth.queries import get_user_by_email
from academy.auth.reauth import confirm_recent_authentication
from academy.certification import queries
from academy.certification.forms import (
    AccommodationForm,
    CandidateListForm,
    RegisterCandidateForm,
    SeatsForm,
    SittingForm,
)
from academy.certification.results.export import results_csv
from academy.certification.results.operations import marking_outstanding, release_results
from academy.certification.sittings.delivery import set_accommodation
from academy.certification.sittings.registration import (
    CandidateListError,
    change_seats,
    create_sitting,
    register_candidate,
    register_from_csv,
)
from academy.certification.views import (
    bp,
    get_candidate_or_404,
    get_programme_or_404,
    get_sitting_or_404,
)
from academy.errors import OperationError
from academy.forms import ConfirmForm, required, show_operation_error


@bp.route("/programmes/<int:programme_id>/sittings/new", methods=["GET", "POST"])
@require_role(Role.ORG_ADMIN)
def new_sitting(programme_id: int):
    programme = get_programme_or_404(programme_id)
    form = SittingForm()
    if form.validate_on_submit():
        eligibility = {
            key: value
            for key, value in (
                ("completed_course", form.completed_course.data),
                ("member_of", form.member_of.data),
            )
            if value
        }
        try:
            sitting = create_sitting(
                programme,
                title=form.title.data or "",
                starts_dt=required(form.starts_dt.data).replace(tzinfo=UTC),
                ends_dt=required(form.ends_dt.data).replace(tzinfo=UTC),
                seats=required(form.seats.data),
                room=form.room.data or "",
                late_start_minutes=required(form.late_start_minutes.data),
                earliest_finish_minutes=required(form.earliest_finish_minutes.data),
                is_self_registration=form.is_self_registration.data,
                eligibility=eligibility,
                appeal_days=required(form.appeal_days.data),
            )
        except OperationError as error:
            show_operation_error(form, error)
        else:
            return redirect(url_for("certification.manage_sitting", sitting_id=sitting.id))
    status = 422 if form.errors or form.form_errors else 200
    return render_template(
        "certification/sitting_form.html", programme=programme, form=form
    ), status


def _render_sitting(sitting, status=200, **forms):
    defaults = {
        "seats_form": SeatsForm(seats=sitting.seats),
        "register_form": RegisterCandidateForm(),
        "list_form": CandidateListForm(),
        "confirm_form": ConfirmForm(),
    }
    defaults.update(forms)
    return (
        render_template(
            "certification/sitting.html",
            sitting=sitting,
            rows=queries.results_for(sitting),
            outstanding=marking_outstanding(sitting),
            accommodation_form=AccommodationForm(),
            **defaults,
        ),
        status,
    )


@bp.route("/sittings/<int:sitting_id>")
@require_role(Role.ORG_ADMIN)
def manage_sitting(sitting_id: int):
    return _render_sitting(get_sitting_or_404(sitting_id, "sitting.manage"))


@bp.route("/sittings/<int:sitting_id>/seats", methods=["POST"])
@require_role(Role.ORG_ADMIN)
def change_sitting_seats(sitting_id: int):
    sitting = get_sitting_or_404(sitting_id, "sitting.manage")
    form = SeatsForm()
    if form.validate_on_submit():
        try:
            change_seats(sitting, required(form.seats.data))
        except OperationError as error:
            show_operation_error(form, error)
        else:
            flash(_("The number of seats is changed."), "success")
            return redirect(url_for("certification.manage_sitting", sitting_id=sitting_id))
    return _render_sitting(sitting, 422, seats_form=form)


@bp.route("/sittings/<int:sitting_id>/candidates", methods=["POST"])
@require_role(Role.ORG_ADMIN)
def register(sitting_id: int):
    sitting = get_sitting_or_404(sitting_id, "sitting.manage")
    form = RegisterCandidateForm()
    if form.validate_on_submit():
        user = get_user_by_email(required(form.email.data).lower())
        if user is None:
            form.email.errors = [_("No account has this e-mail address.")]
        else:
            try:
                candidate = register_candidate(sitting, user, current_user)
            except OperationError as error:
                show_operation_error(form, error)
            else:
                flash(
                    _(
                        "%(name)s is registered as candidate %(number)s.",
                        name=user.display_name,
                        number=candidate.number,
                    ),
                    "success",
                )
                return redirect(url_for("certification.manage_sitting", sitting_id=sitting_id))
    return _render_sitting(sitting, 422, register_form=form)


@bp.route("/sittings/<int:sitting_id>/candidates/upload", methods=["POST"])
@require_role(Role.ORG_ADMIN)
def upload_candidates(sitting_id: int):
    sitting = get_sitting_or_404(sitting_id, "sitting.manage")
    form = CandidateListForm()
    if form.validate_on_submit():
        try:
            done = register_from_csv(sitting, required(form.candidates.data), current_user)
        except CandidateListError as error:
            form.candidates.errors = [str(error.message)] + [
                _("Line %(line)s: %(problem)s", line=problem.line, problem=problem.message)
                for problem in error.problems
            ]
        else:
            flash(_("%(count)s candidates are registered.", count=len(done)), "success")
            return redirect(url_for("certification.manage_sitting", sitting_id=sitting_id))
    return _render_sitting(sitting, 422, list_form=form)


@bp.route("/candidates/<int:candidate_id>/accommodation", methods=["POST"])
@require_role(Role.ORG_ADMIN)
def set_extra_time(candidate_id: int):
    candidate = get_candidate_or_404(candidate_id, "sitting.manage")
    form = AccommodationForm()
    if form.validate_on_submit():
        try:
            set_accommodation(candidate, required(form.extra_minutes.data))
        except OperationError as error:
            show_operation_error(form, error)
            flash(str(error.message), "error")
            return _render_sitting(candidate.sitting, 422)
        flash(
            _(
                "Candidate %(number)s has %(minutes)s extra minutes.",
                number=candidate.number,
                minutes=candidate.extra_minutes,
            ),
            "success",
        )
        return redirect(url_for("certification.manage_sitting", sitting_id=candidate.sitting_id))
    flash(_("Extra time is a whole number of minutes from 0 to 240."), "error")
    return _render_sitting(candidate.sitting, 422)


@bp.route("/sittings/<int:sitting_id>/release", methods=["POST"])
@require_role(Role.ORG_ADMIN)
def release(sitting_id: int):
    sitting = get_sitting_or_404(sitting_id, "sitting.manage")
    if not ConfirmForm().validate_on_submit():
        abort(400)
    confirm_recent_authentication()
    try:
        count = release_results(sitting, current_user)
    except OperationError as error:
        from academy.db import db

        db.session.rollback()
        flash(str(error.message), "error")
    else:
        flash(_("The results of %(count)s candidates are released.", count=count), "success")
    return redirect(url_for("certification.manage_sitting", sitting_id=sitting_id))


@bp.route("/sittings/<int:sitting_id>/results.csv")
@require_role(Role.ORG_ADMIN)
def export_results(sitting_id: int):
    sitting = get_sitting_or_404(sitting_id, "sitting.manage")
    if not sitting.is_released:
        abort(404)
    body = results_csv(sitting, queries.results_for(sitting))
    disposition = f'attachment; filename="sitting-{sitting.id}-results.csv"'
    return Response(body, mimetype="text/csv", headers={"Content-Disposition": disposition})
