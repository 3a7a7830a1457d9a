"""Verifying a credential: signature, issuer key, dates and revocation status.

Used by ``academy credentials verify``. The issuer's keys and status list are fetched
through a ``fetch(url) -> bytes`` function: over HTTP from the running site, or from
this installation's own pages (offline). Whatever cannot be fetched or read fails
the verification: a credential is never called valid on missing evidence.
"""

from __future__ import annotations

import base64
import binascii
import gzip
import json
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from academy.credentials.keys import SIGNING_ALGORITHM
from academy.credentials.signing import JWT_TYPE

Fetch = Callable[[str], bytes]

CLOCK_LEEWAY = timedelta(minutes=5)


class VerificationFailed(Exception):
    """The credential is not valid; the message says why in one line."""


class FetchFailed(Exception):
    """A document the verification needs could not be fetched."""


@dataclass(frozen=True)
class Verified:
    credential: dict[str, Any]
    kid: str


def http_fetch(url: str, timeout: float = 10.0) -> bytes:
    """GET ``url`` over HTTP(S); anything but a 200 is a failure."""
    if not url.startswith(("http://", "https://")):
        raise FetchFailed(f"not a web address: {url}")
    request = urllib.request.Request(url, headers={"Accept": "application/json, */*"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.read()
    except (urllib.error.URLError, OSError, ValueError) as error:
        raise FetchFailed(f"{url}: {error}") from error


def _b64url(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def _header_and_payload(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    parts = token.strip().split(".")
    if len(parts) != 3:
        raise VerificationFailed(
            "malformed credential: not a compact JWS (three dot-separated parts)"
        )
    try:
        header = json.loads(_b64url(parts[0]))
        payload = json.loads(_b64url(parts[1]))
    except (ValueError, binascii.Error) as error:
        raise VerificationFailed("malformed credential: header or payload is not JSON") from error
    if not isinstance(header, dict) or not isinstance(payload, dict):
        raise VerificationFailed("malformed credential: header or payload is not a JSON object")
    return header, payload


def _issuer_id(payload: dict[str, Any]) -> str:
    issuer = payload.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    if not isinstance(issuer_id, str) or not issuer_id.startswith(("http://", "https://")):
        raise VerificationFailed("malformed credential: no issuer id")
    return issuer_id


def _key_set(issuer_id: str, fetch: Fetch) -> KeySet:
    try:
        document = json.loads(fetch(f"{issuer_id}/jwks.json"))
        return KeySet.import_key_set(document)
    except FetchFailed as error:
        raise VerificationFailed(f"issuer keys could not be fetched ({error})") from error
    except (ValueError, KeyError, TypeError, JoseError) as error:
        raise VerificationFailed("issuer keys are not a valid JWKS") from error


def _verify_jws(token: str, fetch: Fetch) -> Verified:
    header, payload = _header_and_payload(token)
    if header.get("alg") != SIGNING_ALGORITHM:
        raise VerificationFailed(f"unsupported signature algorithm {header.get('alg')!r}")
    if header.get("typ") != JWT_TYPE:
        raise VerificationFailed(f"not a VC-JWT (typ {header.get('typ')!r})")
    kid = header.get("kid")
    if not isinstance(kid, str):
        raise VerificationFailed("the signature names no key (kid)")
    key_set = _key_set(_issuer_id(payload), fetch)
    key = next((k for k in key_set.keys if k.kid == kid), None)
    if key is None:
        raise VerificationFailed(f"signed with key {kid}, which the issuer does not publish")
    try:
        jws.deserialize_compact(token.strip(), key, algorithms=[SIGNING_ALGORITHM])
    except (JoseError, ValueError) as error:
        raise VerificationFailed(
            "the signature does not match: the credential was altered"
        ) from error
    return Verified(payload, kid)


def _moment(payload: dict[str, Any], name: str) -> datetime | None:
    value = payload.get(name)
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError as error:
        raise VerificationFailed(f"malformed credential: {name} is not a date") from error
    if moment.tzinfo is None:
        raise VerificationFailed(f"malformed credential: {name} has no time zone")
    return moment


def _check_dates(payload: dict[str, Any], now: datetime, what: str) -> None:
    valid_from = _moment(payload, "validFrom")
    valid_until = _moment(payload, "validUntil")
    # A document signed a moment ago by a server whose clock runs a little ahead
    # (or in the next second) is not "from the future".
    if valid_from is not None and now + CLOCK_LEEWAY < valid_from:
        raise VerificationFailed(f"{what} is not valid before {payload['validFrom']}")
    if valid_until is not None and now > valid_until:
        raise VerificationFailed(f"{what} expired on {payload['validUntil']}")


def _bit(encoded: str, index: int) -> bool:
    if not encoded.startswith("u"):
        raise VerificationFailed("status list is not multibase base64url")
    try:
        bits = gzip.decompress(_b64url(encoded[1:]))
    except (OSError, ValueError, binascii.Error) as error:
        raise VerificationFailed("status list cannot be decoded") from error
    if index < 0 or index // 8 >= len(bits):
        raise VerificationFailed("status list index out of range")
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def _check_status(payload: dict[str, Any], issuer_id: str, fetch: Fetch, now: datetime) -> None:
    entry = payload.get("credentialStatus")
    if not isinstance(entry, dict) or entry.get("type") != "BitstringStatusListEntry":
        raise VerificationFailed("malformed credential: no Bitstring status list entry")
    url = entry.get("statusListCredential")
    try:
        index = int(entry["statusListIndex"])
    except (KeyError, TypeError, ValueError) as error:
        raise VerificationFailed("malformed credential: status list index") from error
    try:
        token = fetch(str(url)).decode()
    except (FetchFailed, UnicodeDecodeError) as error:
        raise VerificationFailed(
            f"status list could not be fetched, so revocation cannot be ruled out ({error})"
        ) from error
    status_list = _verify_jws(token, fetch).credential
    if _issuer_id({"issuer": status_list.get("issuer")}) != issuer_id:
        raise VerificationFailed("the status list is not the credential issuer's")
    _check_dates(status_list, now, "the status list")
    subject = status_list.get("credentialSubject") or {}
    if subject.get("statusPurpose") != entry.get("statusPurpose"):
        raise VerificationFailed("the status list has another purpose than the entry")
    if _bit(str(subject.get("encodedList", "")), index):
        raise VerificationFailed("the credential has been revoked by its issuer")


def verify_credential(token: str, fetch: Fetch, now: datetime | None = None) -> Verified:
    """Check an OpenBadgeCredential VC-JWT; raise :class:`VerificationFailed` if not valid."""
    now = now or datetime.now(UTC)
    verified = _verify_jws(token, fetch)
    payload = verified.credential
    if "OpenBadgeCredential" not in (payload.get("type") or []):
        raise VerificationFailed("not an OpenBadgeCredential")
    _check_dates(payload, now, "the credential")
    _check_status(payload, _issuer_id(payload), fetch, now)
    return verified
