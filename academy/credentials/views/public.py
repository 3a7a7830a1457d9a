"""Pages anyone may open: certificate verification, issuer keys and status lists."""

from __future__ import annotations

import json
from datetime import timedelta

import sqlalchemy as sa
from flask import Response, abort, current_app, render_template, request
from flask_babel import gettext as _

from academy.auth.models import Organisation
from academy.auth.permissions import public
from academy.credentials import keys, operations, queries, signing
from academy.credentials.forms import VerifyForm
from academy.credentials.models import Certificate, CredentialIssuer
from academy.credentials.views import bp
from academy.db import db, utcnow
from academy.forms import required

LOOKUP_WINDOW = timedelta(minutes=10)


def _rate_limited() -> bool:
    """Count this lookup; True when the address has made too many lately."""
    address = request.remote_addr or "unknown"
    limit = current_app.config["CREDENTIALS_LOOKUPS_PER_WINDOW"]
    if queries.lookups_since(address, utcnow() - LOOKUP_WINDOW) >= limit:
        return True
    operations.record_lookup(address)
    return False


def _result(certificate: Certificate | None, form: VerifyForm | None, status: int = 200):
    validity = certificate.validity(utcnow().date()) if certificate else None
    return render_template(
        "credentials/verify.html",
        form=form,
        certificate=certificate,
        validity=validity,
        searched=True,
    ), status


def _too_many(form: VerifyForm | None):
    return render_template("credentials/verify.html", form=form, too_many=True, searched=False), 429


@bp.route("/verify", methods=["GET", "POST"])
@public
def verify():
    form = VerifyForm()
    if request.method == "GET":
        return render_template("credentials/verify.html", form=form, searched=False)
    if not form.validate_on_submit():
        return render_template("credentials/verify.html", form=form, searched=False), 400
    if _rate_limited():
        return _too_many(form)
    certificate = queries.find_certificate(required(form.serial.data))
    if certificate is not None and not operations.surname_matches(
        certificate.holder_name, required(form.surname.data)
    ):
        certificate = None
    return _result(certificate, form, 200 if certificate else 404)


@bp.route("/verify/<serial>")
@public
def verify_link(serial: str):
    serial = operations.normalise_serial(serial)
    if not operations.SERIAL_PATTERN.match(serial):
        return _result(None, VerifyForm(), 404)
    if _rate_limited():
        return _too_many(VerifyForm())
    certificate = queries.find_certificate(serial)
    return _result(certificate, VerifyForm(), 200 if certificate else 404)


def _issuer_or_404(slug: str) -> CredentialIssuer:
    issuer = db.session.scalar(
        sa.select(CredentialIssuer).join(Organisation).where(Organisation.slug == slug)
    )
    if issuer is None:
        abort(404)
    return issuer


def _json(document: dict, content_type: str = "application/json") -> Response:
    response = Response(
        json.dumps(document, ensure_ascii=False, indent=2), content_type=content_type
    )
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.route("/credentials/issuers/<slug>")
@public
def issuer_profile(slug: str):
    issuer = _issuer_or_404(slug)
    return _json(
        {"@context": [signing.VC_CONTEXT, signing.OB_CONTEXT], **signing.issuer_profile(issuer)}
    )


@bp.route("/credentials/issuers/<slug>/jwks.json")
@public
def issuer_keys(slug: str):
    issuer = _issuer_or_404(slug)
    return _json({"keys": keys.published_keys(issuer)}, "application/jwk-set+json")


@bp.route("/credentials/issuers/<slug>/status/<int:list_number>")
@public
def status_list(slug: str, list_number: int):
    """The signed status list, built from the database on every request (never stale)."""
    issuer = _issuer_or_404(slug)
    if list_number * signing.STATUS_LIST_SIZE >= max(issuer.next_status_index, 1):
        abort(404)
    document = signing.build_status_list(
        issuer, list_number, queries.revoked_bits(issuer, list_number), utcnow()
    )
    token = signing.sign(document, keys.active_key(issuer))
    response = Response(token, content_type="application/vc+jwt")
    response.headers["Cache-Control"] = "no-store"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.route("/talent-pool/privacy")
@public
def privacy_notice():
    return render_template("credentials/privacy.html", title=_("Talent pool privacy notice"))
