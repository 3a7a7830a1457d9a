"""Issuer keys: Ed25519 per association, made on first use, encrypted at rest, rotatable.

The private key is kept encrypted with a key derived from the application's
``SECRET_KEY`` (HKDF-SHA256, then Fernet from ``cryptography``). Rotation marks the old
key retired but keeps publishing it, so credentials it signed still verify.
"""

from __future__ import annotations

import base64
import functools
import logging

import sqlalchemy as sa
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app
from joserfc.jwk import OKPKey

from academy.credentials.models import CredentialIssuer, IssuerKey
from academy.db import db, utcnow

logger = logging.getLogger("academy.credentials")

#: The fully specified JOSE name of Ed25519 signatures (RFC 9864; "EdDSA" is deprecated).
SIGNING_ALGORITHM = "Ed25519"


class KeyUnavailable(RuntimeError):
    """The stored private key cannot be decrypted (the app secret changed)."""


def _fernet() -> Fernet:
    secret = current_app.config["SECRET_KEY"].encode()
    derived = HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=b"academy.credentials.issuer-keys",
        info=b"fernet",
    ).derive(secret)
    return Fernet(base64.urlsafe_b64encode(derived))


def _private_bytes(private_key: Ed25519PrivateKey) -> bytes:
    return private_key.private_bytes(
        serialization.Encoding.Raw,
        serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    )


def _new_key(issuer: CredentialIssuer) -> IssuerKey:
    private_key = Ed25519PrivateKey.generate()
    jwk = OKPKey.import_key(private_key)
    kid = jwk.thumbprint()
    public = {**jwk.as_dict(private=False), "kid": kid, "alg": SIGNING_ALGORITHM, "use": "sig"}
    key = IssuerKey(
        issuer_id=issuer.id,
        kid=kid,
        public_jwk=public,
        private_key_encrypted=_fernet().encrypt(_private_bytes(private_key)).decode(),
        is_active=True,
    )
    db.session.add(key)
    db.session.flush()
    logger.info("signing key %s made for issuer %s", kid, issuer.serial_prefix)
    return key


def active_key(issuer: CredentialIssuer) -> IssuerKey:
    """The issuer's current signing key, made on first use."""
    key = db.session.scalar(
        sa.select(IssuerKey).where(IssuerKey.issuer_id == issuer.id, IssuerKey.is_active)
    )
    return key if key is not None else _new_key(issuer)


def rotate_key(issuer: CredentialIssuer) -> IssuerKey:
    """Retire the issuer's current key (still published) and make a new active one.

    Args:
        issuer: the association's issuer record.

    Returns:
        The new active key.
    """
    for key in db.session.scalars(
        sa.select(IssuerKey).where(IssuerKey.issuer_id == issuer.id, IssuerKey.is_active)
    ):
        key.is_active = False
        key.retired_dt = utcnow()
    db.session.flush()
    return _new_key(issuer)


def signing_key(key: IssuerKey) -> OKPKey:
    """The private JWK of ``key``, decrypted (kept decrypted for this process)."""
    return _decrypted(key.kid, key.private_key_encrypted, current_app.config["SECRET_KEY"])


@functools.lru_cache(maxsize=64)
def _decrypted(kid: str, encrypted: str, _secret: str) -> OKPKey:
    # Deriving the Fernet key and decrypting costs more than the signature itself; the
    # cache key includes the ciphertext and the secret, so a change of either misses.
    try:
        raw = _fernet().decrypt(encrypted.encode())
    except InvalidToken as error:
        raise KeyUnavailable(f"signing key {kid} cannot be decrypted") from error
    return OKPKey.import_key(Ed25519PrivateKey.from_private_bytes(raw))


def published_keys(issuer: CredentialIssuer) -> list[dict]:
    """Every public key the issuer ever signed with, newest first (a JWKS's ``keys``)."""
    keys = db.session.scalars(
        sa.select(IssuerKey).where(IssuerKey.issuer_id == issuer.id).order_by(IssuerKey.id.desc())
    )
    return [dict(key.public_jwk) for key in keys]
