"""Signed, expiring, single-use tokens for password resets and invitations.

The link carries a token id signed with the secret key (so it cannot be guessed or
altered) and timestamped (so it expires). The id names a database row, which records
whether the link has been used, so each link works once.
"""

from __future__ import annotations

import secrets

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer


class TokenInvalid(Exception):
    """The token was altered, truncated or made for another purpose."""


class TokenExpired(Exception):
    """The token is genuine but older than it may be."""


def new_token_id() -> str:
    return secrets.token_urlsafe(24)


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"academy.{purpose}")


def sign_token(purpose: str, token_id: str) -> str:
    return _serializer(purpose).dumps(token_id)


def read_token(purpose: str, token: str, max_age: int) -> str:
    """Return the token id inside ``token``.

    Raises:
        TokenExpired: the signature is valid but older than ``max_age`` seconds.
        TokenInvalid: anything else is wrong with it.
    """
    try:
        token_id = _serializer(purpose).loads(token, max_age=max_age)
    except SignatureExpired:
        raise TokenExpired from None
    except BadSignature:
        raise TokenInvalid from None
    if not isinstance(token_id, str):
        raise TokenInvalid
    return token_id
