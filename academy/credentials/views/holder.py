"""The holder's pages: certificates, downloads, the talent-pool profile and requests."""

from __future__ import annotations

import segno
from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from academy.auth.permissions import login_required
from academy.credentials import queries, signing, talent
from academy.credentials.forms import PoolForm
from academy.credentials.models import Availability, Certificate, ContactRequest
from academy.credentials.pdf import certificate_pdf
from academy.credentials.views import bp
from academy.db import db, utcnow
from academy.errors import OperationError
from academy.forms import ConfirmForm, show_operation_error


def _own_certificate_or_404(serial: str) -> Certificate:
    certificate = queries.find_certificate(serial)
    if certificate is None or certificate.holder_id != current_user.id:
        abort(404)
    return certificate


@bp.route("/account/certificates")
@login_required
def my_certificates():
    certificates = queries.certificates_of_holder(current_user.id)
    today = utcnow().date()
    return render_template(
        "credentials/my_certificates.html",
        certificates=[(c, c.validity(today)) for c in certificates],
        profile=talent.profile_of(current_user),
    )


@bp.route("/account/certificates/<serial>")
@login_required
def show_certificate(serial: str):
    certificate = _own_certificate_or_404(serial)
    url = signing.verification_url(certificate.serial)
    return render_template(
        "credentials/certificate.html",
        certificate=certificate,
        validity=certificate.validity(utcnow().date()),
        verification_url=url,
        qr_uri=segno.make(url, error="m").svg_data_uri(scale=4),
    )


@bp.route("/account/certificates/<serial>/certificate.pdf")
@login_required
def download_certificate_pdf(serial: str):
    certificate = _own_certificate_or_404(serial)
    response = Response(certificate_pdf(certificate), content_type="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{certificate.serial}.pdf"'
    return response


@bp.route("/account/certificates/<serial>/credential.jwt")
@login_required
def download_credential(serial: str):
    certificate = _own_certificate_or_404(serial)
    response = Response(certificate.credential_jwt + "\n", content_type="application/vc+jwt")
    response.headers["Content-Disposition"] = f'attachment; filename="{certificate.serial}.jwt"'
    return response


def _choices(form: PoolForm) -> talent.ProfileChoices:
    return talent.ProfileChoices(
        city=form.city.data or "",
        province=form.province.data or "",
        languages=tuple(form.languages.data or ()),
        availability=Availability(form.availability.data),
        statement=form.statement.data or "",
        show_name=form.show_name.data,
        show_location=form.show_location.data,
        show_highlights=form.show_highlights.data,
        show_courses=form.show_courses.data,
    )


def _fill(form: PoolForm, profile) -> None:
    form.city.data = profile.city
    form.province.data = profile.province
    form.languages.data = [code for code in profile.languages.split(",") if code]
    form.availability.data = profile.availability.value
    form.statement.data = profile.statement
    for name in ("show_name", "show_location", "show_highlights", "show_courses"):
        getattr(form, name).data = getattr(profile, name)


@bp.route("/account/talent-pool", methods=["GET", "POST"])
@login_required
def edit_pool_profile():
    profile = talent.profile_of(current_user)
    form = PoolForm()
    if request.method == "GET":
        if profile is not None and profile.is_opted_in:
            _fill(form, profile)
            form.consent.data = True
        else:
            for name in ("show_name", "show_location", "show_highlights", "show_courses"):
                getattr(form, name).data = True
    elif form.validate_on_submit():
        try:
            talent.opt_in(current_user, _choices(form))
        except OperationError as error:
            show_operation_error(form, error)
        else:
            flash(_("Your talent-pool profile is saved; recruiters can find it."), "success")
            return redirect(url_for("credentials.edit_pool_profile"))
    status = 400 if form.errors or form.form_errors else 200
    return render_template(
        "credentials/pool_profile.html",
        form=form,
        profile=profile,
        requests=queries.requests_to_holder(profile) if profile else [],
        highlights=queries.highlights(current_user.id),
        confirm=ConfirmForm(),
    ), status


@bp.route("/account/talent-pool/leave", methods=["POST"])
@login_required
def leave_pool():
    if ConfirmForm().validate_on_submit():
        talent.opt_out(current_user)
        flash(_("You left the talent pool. Recruiters can no longer find you."), "success")
    return redirect(url_for("credentials.edit_pool_profile"))


def _answer(request_id: int, accept: bool):
    contact = db.session.get(ContactRequest, request_id)
    if contact is None or contact.profile.user_id != current_user.id:
        abort(404)
    if ConfirmForm().validate_on_submit():
        try:
            talent.answer_contact_request(current_user, contact, accept=accept)
        except OperationError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            flash(
                _("Accepted: the recruiter can now see your e-mail address.")
                if accept
                else _("Declined: the recruiter is told, without your e-mail address."),
                "success",
            )
    return redirect(url_for("credentials.edit_pool_profile"))


@bp.route("/account/talent-pool/requests/<int:request_id>/accept", methods=["POST"])
@login_required
def accept_contact_request(request_id: int):
    return _answer(request_id, accept=True)


@bp.route("/account/talent-pool/requests/<int:request_id>/decline", methods=["POST"])
@login_required
def decline_contact_request(request_id: int):
    return _answer(request_id, accept=False)
