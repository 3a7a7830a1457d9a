"""An independent verifier written from the specifications, not from our signing code.

RFC 7515 (JWS compact serialisation): the signature is over the ASCII bytes
``BASE64URL(header) || '.' || BASE64URL(payload)``. RFC 8037 / RFC 9864: an Ed25519
public key is the JWK ``{"kty": "OKP", "crv": "Ed25519", "x": BASE64URL(key)}``.
W3C Bitstring Status List: ``encodedList`` is multibase base64url ("u" prefix, no
padding) of the GZIP-compressed bitstring, and index 0 is the leftmost bit of the first
byte. Only the ``cryptography`` primitive and the standard library are used here.
"""

from __future__ import annotations

import base64
import gzip
import json
from urllib.parse import urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from academy.auth.models import User
from academy.credentials import operations
from academy.credentials.models import Certificate
from academy.db import db


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def get(client, url: str) -> bytes:
    response = client.get(urlsplit(url).path)
    assert response.status_code == 200, url
    return response.get_data()


def check_jws(client, token: str) -> dict:
    """Verify a compact JWS against the issuer's published JWKS; return the payload."""
    header_b64, payload_b64, signature_b64 = token.split(".")
    header = json.loads(b64url_decode(header_b64))
    payload = json.loads(b64url_decode(payload_b64))
    assert header["alg"] in ("Ed25519", "EdDSA")
    issuer = payload["issuer"]["id"] if isinstance(payload["issuer"], dict) else payload["issuer"]
    jwks = json.loads(get(client, issuer + "/jwks.json"))
    [jwk] = [key for key in jwks["keys"] if key["kid"] == header["kid"]]
    assert (jwk["kty"], jwk["crv"]) == ("OKP", "Ed25519")
    public_key = Ed25519PublicKey.from_public_bytes(b64url_decode(jwk["x"]))
    signing_input = f"{header_b64}.{payload_b64}".encode("ascii")
    public_key.verify(b64url_decode(signature_b64), signing_input)  # raises if wrong
    return payload


def status_bit(client, credential: dict) -> bool:
    entry = credential["credentialStatus"]
    assert entry["type"] == "BitstringStatusListEntry"
    status_credential = check_jws(client, get(client, entry["statusListCredential"]).decode())
    assert "BitstringStatusListCredential" in status_credential["type"]
    encoded = status_credential["credentialSubject"]["encodedList"]
    assert encoded[0] == "u"
    bits = gzip.decompress(b64url_decode(encoded[1:]))
    assert len(bits) * 8 >= 131_072  # the specification's minimum list length
    index = int(entry["statusListIndex"])
    return bool((bits[index // 8] >> (7 - index % 8)) & 1)


def test_independent_verifier_accepts_then_sees_revocation(app, client, issue, create_user):
    certificate = issue()
    credential = check_jws(client, certificate.credential_jwt)
    assert credential["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    assert "OpenBadgeCredential" in credential["type"]
    assert credential["credentialSubject"]["achievement"]["type"] == ["Achievement"]
    assert status_bit(client, credential) is False

    admin = create_user()
    with app.test_request_context(), db.unit_of_work():
        operations.revoke_certificate(
            db.session.get(Certificate, certificate.id),
            reason="wrong level",
            by=db.session.get(User, admin.id),
        )
    assert status_bit(client, credential) is True


def test_independent_verifier_rejects_a_changed_byte(client, issue):
    header_b64, payload_b64, signature_b64 = issue().credential_jwt.split(".")
    payload = b64url_decode(payload_b64).replace(b"Level 2", b"Level 3")
    forged = base64.urlsafe_b64encode(payload).decode().rstrip("=")
    try:
        check_jws(client, f"{header_b64}.{forged}.{signature_b64}")
    except InvalidSignature:
        return
    raise AssertionError("a changed payload verified")
