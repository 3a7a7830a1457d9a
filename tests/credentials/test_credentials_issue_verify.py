"""Issuing, verifying, revoking, reissuing and rotating: the credential's whole life."""

from __future__ import annotations

import base64
import json
from datetime import UTC, date, datetime

import pytest

from academy.auth.models import User
from academy.credentials import operations, queries
from academy.credentials.models import Certificate, CertificateStatus, IssuerKey
from academy.credentials.verification import FetchFailed, VerificationFailed, verify_credential
from academy.db import db
from academy.errors import OperationError


def _reload(app, certificate_id):
    with app.app_context():
        certificate = db.session.get(Certificate, certificate_id)
        _ = certificate.issuer.organisation.slug
        return certificate


def test_issued_certificate_has_serial_and_verifies(app, issue, site_fetch):
    certificate = issue()
    assert operations.SERIAL_PATTERN.match(certificate.serial)
    assert certificate.serial.startswith(certificate.issuer.serial_prefix + "-2026-000001-")
    verified = verify_credential(certificate.credential_jwt, site_fetch)
    assert verified.credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    achievement = verified.credential["credentialSubject"]["achievement"]
    assert [a["targetCode"] for a in achievement["alignment"]] == ["U1", "U2"]
    assert achievement["criteria"]["narrative"]


def test_serials_are_unique_and_not_sequential_guessable(issue, create_user):
    first, second = issue(), issue()
    assert first.serial != second.serial
    assert first.serial.split("-")[2] == "000001" and second.serial.split("-")[2] == "000002"


def test_tampered_credential_fails(issue, site_fetch):
    token = issue().credential_jwt
    header, payload, signature = token.split(".")
    body = json.loads(base64.urlsafe_b64decode(payload + "=="))
    body["credentialSubject"]["achievement"]["name"] += "!"
    forged = base64.urlsafe_b64encode(json.dumps(body).encode()).decode().rstrip("=")
    with pytest.raises(VerificationFailed, match="altered"):
        verify_credential(f"{header}.{forged}.{signature}", site_fetch)
    # one character changed in the signature
    flipped = signature[:10] + ("A" if signature[10] != "A" else "B") + signature[11:]
    with pytest.raises(VerificationFailed):
        verify_credential(f"{header}.{payload}.{flipped}", site_fetch)


@pytest.mark.parametrize("position", [5, 40, 200, -30])
def test_any_single_character_change_fails(issue, site_fetch, position):
    token = issue().credential_jwt
    index = position % len(token)
    if token[index] == ".":
        index += 1
    replacement = "A" if token[index] != "A" else "B"
    with pytest.raises(VerificationFailed):
        verify_credential(token[:index] + replacement + token[index + 1 :], site_fetch)


def test_credential_signed_by_another_key_fails(app, issue, association, site_fetch):
    from joserfc import jws
    from joserfc.jwk import OKPKey

    token = issue().credential_jwt
    header, payload, _signature = token.split(".")
    stranger = OKPKey.generate_key("Ed25519")
    decoded_header = json.loads(base64.urlsafe_b64decode(header + "=="))
    forged = jws.serialize_compact(
        decoded_header, base64.urlsafe_b64decode(payload + "=="), stranger, algorithms=["Ed25519"]
    )
    with pytest.raises(VerificationFailed, match="altered"):
        verify_credential(forged, site_fetch)
    decoded_header["kid"] = stranger.thumbprint()
    forged = jws.serialize_compact(
        decoded_header, base64.urlsafe_b64decode(payload + "=="), stranger, algorithms=["Ed25519"]
    )
    with pytest.raises(VerificationFailed, match="does not publish"):
        verify_credential(forged, site_fetch)


def test_expired_credential_fails(issue, site_fetch):
    certificate = issue(issued_date=date(2020, 1, 1), expires_date=date(2022, 1, 1))
    with pytest.raises(VerificationFailed, match="expired"):
        verify_credential(certificate.credential_jwt, site_fetch)


def test_unreachable_status_list_fails_closed(issue, site_fetch):
    token = issue().credential_jwt

    def no_status(url: str) -> bytes:
        if "/status/" in url:
            raise FetchFailed("connection refused")
        return site_fetch(url)

    with pytest.raises(VerificationFailed, match="status list could not be fetched"):
        verify_credential(token, no_status)


def test_malformed_credential_is_a_clear_error(site_fetch):
    for text in ["", "not a jwt", "a.b.c", "eyJhbGciOiJub25lIn0.e30."]:
        with pytest.raises(VerificationFailed):
            verify_credential(text, site_fetch)


def test_revoked_certificate_fails_verify_at_once(app, issue, site_fetch, create_user):
    certificate = issue()
    verify_credential(certificate.credential_jwt, site_fetch)
    admin = create_user()
    with app.test_request_context(), db.unit_of_work():
        operations.revoke_certificate(
            db.session.get(Certificate, certificate.id),
            reason="Exam misconduct found on review",
            by=db.session.get(User, admin.id),
        )
    with pytest.raises(VerificationFailed, match="revoked"):
        verify_credential(certificate.credential_jwt, site_fetch)


def test_revocation_needs_a_reason(app, issue, create_user):
    certificate = issue()
    admin = create_user()
    with app.test_request_context(), pytest.raises(OperationError) as refused:
        operations.revoke_certificate(
            db.session.get(Certificate, certificate.id),
            reason="  ",
            by=db.session.get(User, admin.id),
        )
    assert (refused.value.code, refused.value.field) == ("reason_missing", "reason")


def test_reissue_supersedes_the_old_serial(app, issue, site_fetch, create_user):
    certificate = issue()
    admin = create_user()
    with app.test_request_context(), db.unit_of_work():
        replacement = operations.reissue_certificate(
            db.session.get(Certificate, certificate.id),
            by=db.session.get(User, admin.id),
            holder_name="Li Weiming",
        )
        new_serial, new_jwt = replacement.serial, replacement.credential_jwt
    old = _reload(app, certificate.id)
    assert old.status == CertificateStatus.SUPERSEDED
    assert new_serial != old.serial
    verify_credential(new_jwt, site_fetch)
    with pytest.raises(VerificationFailed):
        verify_credential(old.credential_jwt, site_fetch)


def test_rotated_key_still_verifies_old_credentials(
    app, issue, association, site_fetch, count_rows
):
    old = issue()
    with app.test_request_context(), db.unit_of_work():
        operations.rotate_issuer_key(db.session.merge(association))
    new = issue()
    assert (
        json.loads(base64.urlsafe_b64decode(old.credential_jwt.split(".")[0] + "=="))["kid"]
        != json.loads(base64.urlsafe_b64decode(new.credential_jwt.split(".")[0] + "=="))["kid"]
    )
    verify_credential(old.credential_jwt, site_fetch)
    verify_credential(new.credential_jwt, site_fetch)
    assert count_rows(IssuerKey) == 2


def test_private_keys_are_stored_encrypted(app, issue, read):
    issue()
    key = read(lambda: db.session.scalars(db.session.query(IssuerKey).statement).first())
    assert "d" not in key.public_jwk
    assert key.private_key_encrypted.startswith("gAAAAA")  # a Fernet token, not key bytes


def test_only_associations_issue(app, issue, create_organisation):
    school = create_organisation()
    with pytest.raises(OperationError) as refused:
        issue(association=school)
    assert refused.value.code == "not_an_association"


def test_status_list_marks_only_revoked(app, issue, create_user, read):
    first, second = issue(), issue()
    admin = create_user()
    with app.test_request_context(), db.unit_of_work():
        operations.revoke_certificate(
            db.session.get(Certificate, second.id),
            reason="error",
            by=db.session.get(User, admin.id),
        )
    bits = read(lambda: queries.revoked_bits(db.session.get(Certificate, first.id).issuer, 0))
    assert bits == [second.status_index]


def test_verification_time_checks_valid_from(issue, site_fetch):
    certificate = issue(issued_date=date(2030, 1, 1))
    with pytest.raises(VerificationFailed, match="not valid before"):
        verify_credential(
            certificate.credential_jwt, site_fetch, now=datetime(2029, 1, 1, tzinfo=UTC)
        )


def test_pdf_has_the_holder_in_both_languages_and_a_qr_link(app, issue, client):
    import io

    from pypdf import PdfReader

    from tests.conftest import login_as

    certificate = issue()
    login_as(client, certificate.holder)
    response = client.get(f"/account/certificates/{certificate.serial}/certificate.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    page = PdfReader(io.BytesIO(response.data)).pages[0]
    text = page.extract_text()
    assert certificate.holder_name in text and "跨境电子商务专员" in text
    links = [annotation.get_object()["/A"]["/URI"] for annotation in page["/Annots"]]
    assert links == [f"http://localhost/verify/{certificate.serial}"]
