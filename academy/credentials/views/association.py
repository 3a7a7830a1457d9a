"""The association's pages: certificates issued, revocation, reissue, keys, statistics."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from academy.auth.models import Organisation, OrganisationKind, Role
from academy.auth.permissions import require_role
from academy.auth.reauth import confirm_recent_authentication
from academy.credentials import operations, queries
from academy.credentials.forms import ReissueForm, RevokeForm
from academy.credentials.models import Certificate
from academy.credentials.views import bp
from academy.db import db, utcnow
from academy.errors import OperationError
from academy.forms import ConfirmForm, required, show_operation_error


def _association_or_404(slug: str) -> Organisation:
    organisation = db.session.scalar(sa.select(Organisation).where(Organisation.slug == slug))
    if organisation is None or organisation.kind != OrganisationKind.ASSOCIATION:
        abort(404)
    if not (
        current_user.is_site_admin
        or current_user.has_role(Role.ORG_ADMIN, organisation=organisation)
    ):
        abort(403)
    return organisation


def _certificate_or_404(organisation: Organisation, serial: str) -> Certificate:
    certificate = queries.find_certificate(serial)
    if certificate is None or certificate.issuer.organisation_id != organisation.id:
        abort(404)
    return certificate


@bp.route("/associations/")
@require_role(Role.ORG_ADMIN)
def list_associations():
    organisations = [
        m.organisation
        for m in current_user.memberships
        if m.role == Role.ORG_ADMIN and m.organisation.kind == OrganisationKind.ASSOCIATION
    ]
    if len(organisations) == 1:
        return redirect(url_for("credentials.list_certificates", slug=organisations[0].slug))
    return render_template("credentials/associations.html", organisations=organisations)


@bp.route("/associations/<slug>/certificates")
@require_role(Role.ORG_ADMIN)
def list_certificates(slug: str):
    organisation = _association_or_404(slug)
    today = utcnow().date()
    return render_template(
        "credentials/association_certificates.html",
        organisation=organisation,
        certificates=[
            (c, c.validity(today)) for c in queries.certificates_of_association(organisation)
        ],
        issuer=queries.issuer_of(organisation),
        confirm=ConfirmForm(),
    )


def _render_certificate(organisation, certificate, revoke_form, reissue_form, status=200):
    return render_template(
        "credentials/association_certificate.html",
        organisation=organisation,
        certificate=certificate,
        validity=certificate.validity(utcnow().date()),
        revoke_form=revoke_form,
        reissue_form=reissue_form,
    ), status


@bp.route("/associations/<slug>/certificates/<serial>")
@require_role(Role.ORG_ADMIN)
def show_issued_certificate(slug: str, serial: str):
    organisation = _association_or_404(slug)
    certificate = _certificate_or_404(organisation, serial)
    reissue_form = ReissueForm(holder_name=certificate.holder_name)
    return _render_certificate(organisation, certificate, RevokeForm(), reissue_form)


@bp.route("/associations/<slug>/certificates/<serial>/revoke", methods=["POST"])
@require_role(Role.ORG_ADMIN)
def revoke_certificate(slug: str, serial: str):
    organisation = _association_or_404(slug)
    certificate = _certificate_or_404(organisation, serial)
    form = RevokeForm()
    if form.validate_on_submit():
        confirm_recent_authentication()
        try:
            operations.revoke_certificate(
                certificate, reason=required(form.reason.data), by=current_user
            )
        except OperationError as error:
            show_operation_error(form, error)
        else:
            flash(_("Certificate %(serial)s is revoked.", serial=certificate.serial), "success")
            return redirect(url_for(".show_issued_certificate", slug=slug, serial=serial))
    return _render_certificate(organisation, certificate, form, ReissueForm(), 400)


@bp.route("/associations/<slug>/certificates/<serial>/reissue", methods=["POST"])
@require_role(Role.ORG_ADMIN)
def reissue_certificate(slug: str, serial: str):
    organisation = _association_or_404(slug)
    certificate = _certificate_or_404(organisation, serial)
    form = ReissueForm()
    if form.validate_on_submit():
        confirm_recent_authentication()
        try:
            replacement = operations.reissue_certificate(
                certificate, by=current_user, holder_name=form.holder_name.data
            )
        except OperationError as error:
            show_operation_error(form, error)
        else:
            flash(
                _(
                    "Reissued as %(serial)s; the old number shows as superseded.",
                    serial=replacement.serial,
                ),
                "success",
            )
            return redirect(
                url_for(".show_issued_certificate", slug=slug, serial=replacement.serial)
            )
    return _render_certificate(organisation, certificate, RevokeForm(), form, 400)


@bp.route("/associations/<slug>/keys/rotate", methods=["POST"])
@require_role(Role.ORG_ADMIN)
def rotate_key(slug: str):
    organisation = _association_or_404(slug)
    if ConfirmForm().validate_on_submit():
        confirm_recent_authentication()
        try:
            key = operations.rotate_issuer_key(organisation, by=current_user)
        except OperationError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            flash(
                _("New signing key %(kid)s; the old key stays published.", kid=key.kid), "success"
            )
    return redirect(url_for(".list_certificates", slug=slug))


@bp.route("/associations/<slug>/talent-statistics")
@require_role(Role.ORG_ADMIN)
def pool_statistics(slug: str):
    organisation = _association_or_404(slug)
    return render_template(
        "credentials/statistics.html",
        organisation=organisation,
        statistics=queries.association_statistics(organisation, utcnow()),
    )
