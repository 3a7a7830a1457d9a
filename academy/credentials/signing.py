"""Open Badges 3.0 credentials and Bitstring Status Lists, secured as VC-JWTs.

Each certificate becomes an ``OpenBadgeCredential`` in the W3C Verifiable Credentials
2.0 data model, secured with JOSE (VC-JOSE-COSE): a compact JWS whose payload is the
credential itself, header ``{"alg": "Ed25519", "kid": ..., "typ": "vc+jwt"}``. The
issuer's public keys are a JWKS at ``<issuer id>/jwks.json``. Revocation is a W3C
Bitstring Status List credential, signed the same way, that every credential names in
its ``credentialStatus``.
"""

from __future__ import annotations

import base64
import gzip
import json
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flask import current_app, has_request_context, request
from joserfc import jws

from academy.credentials import keys
from academy.credentials.models import Certificate, CredentialIssuer, IssuerKey

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
JWT_TYPE = "vc+jwt"
#: Bits per status list: the specification's minimum (16 KiB), for herd privacy.
STATUS_LIST_SIZE = 131_072


def base_url() -> str:
    """The site's public address as credentials name it (no trailing slash)."""
    configured = current_app.config.get("BASE_URL")
    if configured:
        return configured.rstrip("/")
    if has_request_context():
        return request.host_url.rstrip("/")
    return "http://127.0.0.1:5000"


def issuer_id(issuer: CredentialIssuer) -> str:
    return f"{base_url()}/credentials/issuers/{issuer.organisation.slug}"


def status_list_url(issuer: CredentialIssuer, list_number: int) -> str:
    return f"{issuer_id(issuer)}/status/{list_number}"


def verification_url(serial: str) -> str:
    return f"{base_url()}/verify/{serial}"


def _timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=UTC)


def _end_of(day: date) -> datetime:
    return datetime.combine(day, time(23, 59, 59), tzinfo=UTC)


def issuer_profile(issuer: CredentialIssuer) -> dict[str, Any]:
    return {
        "id": issuer_id(issuer),
        "type": ["Profile"],
        "name": issuer.organisation.name,
        "url": base_url(),
    }


def _achievement(certificate: Certificate, issuer: CredentialIssuer) -> dict[str, Any]:
    framework = f"{certificate.standard_title_en} {certificate.standard_version}"
    criteria = certificate.criteria_en or (
        f"Reached {certificate.level_name_en} of {framework}, assessed by {certificate.association_name} "
        "in a theory examination and a practical examination in the trade sandbox."
    )
    return {
        "id": (
            f"{issuer_id(issuer)}/achievements/{certificate.standard_code}/"
            f"{certificate.standard_version}/{certificate.level_code}"
        ),
        "type": ["Achievement"],
        "achievementType": "Certificate",
        "name": f"{certificate.standard_title_en}: {certificate.level_name_en}",
        "description": f"{certificate.level_name_en} ({certificate.level_code}) of {framework}.",
        "criteria": {"narrative": criteria},
        "alignment": [
            {
                "type": ["Alignment"],
                "targetName": unit["title_en"],
                "targetCode": unit["code"],
                "targetFramework": framework,
                "targetType": "ext:Unit",
                "targetUrl": f"{issuer_id(issuer)}/standards/{certificate.standard_code}#{unit['code']}",
            }
            for unit in certificate.units
        ],
        "creator": issuer_profile(issuer),
    }


def build_credential(certificate: Certificate) -> dict[str, Any]:
    """The unsigned OpenBadgeCredential of ``certificate``."""
    issuer = certificate.issuer
    list_number, bit = divmod(certificate.status_index, STATUS_LIST_SIZE)
    list_url = status_list_url(issuer, list_number)
    credential: dict[str, Any] = {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": verification_url(certificate.serial),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": issuer_profile(issuer),
        "validFrom": _timestamp(_start_of(certificate.issued_date)),
        "name": f"{certificate.standard_title_en}: {certificate.level_name_en}",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "name",
                    "hashed": False,
                    "identityHash": certificate.holder_name,
                }
            ],
            "achievement": _achievement(certificate, issuer),
        },
        "credentialStatus": {
            "id": f"{list_url}#{bit}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(bit),
            "statusListCredential": list_url,
        },
    }
    if certificate.expires_date is not None:
        credential["validUntil"] = _timestamp(_end_of(certificate.expires_date))
    return credential


def sign(payload: dict[str, Any], key: IssuerKey) -> str:
    """A compact JWS (VC-JWT) over the JSON of ``payload``, signed with ``key``."""
    header = {"alg": keys.SIGNING_ALGORITHM, "kid": key.kid, "typ": JWT_TYPE, "cty": "vc"}
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    return jws.serialize_compact(
        header, body, keys.signing_key(key), algorithms=[keys.SIGNING_ALGORITHM]
    )


def encode_bitstring(set_bits: Iterable[int], size: int = STATUS_LIST_SIZE) -> str:
    """Multibase base64url (no padding) of the GZIP of the bitstring; bit 0 leftmost."""
    bits = bytearray(size // 8)
    for index in set_bits:
        bits[index // 8] |= 0x80 >> (index % 8)
    compressed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).decode().rstrip("=")


def build_status_list(
    issuer: CredentialIssuer, list_number: int, set_bits: Iterable[int], now: datetime
) -> dict[str, Any]:
    """The BitstringStatusListCredential of one of the issuer's lists, valid one day."""
    url = status_list_url(issuer, list_number)
    return {
        "@context": [VC_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_id(issuer),
        "validFrom": _timestamp(now),
        "validUntil": _timestamp(now + timedelta(days=1)),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encode_bitstring(set_bits),
        },
    }
