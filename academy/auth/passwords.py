"""Password hashing and the minimum-strength policy.

Passwords are checked against the 30,000 most common passwords of public breach corpora
(the list the ``zxcvbn`` package ships, well past ASVS's "top 3,000"), our own short list,
and runs such as ``abcdefghij`` or ``9876543210``.
"""

from __future__ import annotations

import functools
import itertools

from flask import current_app
from flask_babel import lazy_gettext as _l
from werkzeug.security import check_password_hash, generate_password_hash

# The passwords that top every leaked-password list; refusing them costs nothing.
COMMON_PASSWORDS = frozenset(
    {
        "password",
        "password1",
        "password12",
        "password123",
        "1234567890",
        "12345678910",
        "0123456789",
        "qwertyuiop",
        "1q2w3e4r5t",
        "qwerty1234",
        "iloveyou123",
        "abc1234567",
        "a123456789",
        "11111111111",
        "aaaaaaaaaa",
        "letmein1234",
        "welcome123",
        "admin12345",
        "passw0rd123",
        "changeme123",
    }
)


@functools.cache
def breached_passwords() -> frozenset[str]:
    """Common and breached passwords, lower case (loaded once, on first use)."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"]) | COMMON_PASSWORDS


def is_run(text: str) -> bool:
    """Whether ``text`` steps through its characters evenly (``aaaa``, ``abcd``, ``9876``)."""
    steps = {ord(b) - ord(a) for a, b in itertools.pairwise(text)}
    return len(steps) <= 1 and steps <= {-1, 0, 1}


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def verify_password(password_hash: str, password: str) -> bool:
    return check_password_hash(password_hash, password)


_DUMMY_HASHES: dict[str, str] = {}


def spend_hashing_time(password: str) -> None:
    """Check ``password`` against a dummy hash so unknown e-mails take as long as known ones."""
    method = current_app.config["PASSWORD_HASH_METHOD"]
    if method not in _DUMMY_HASHES:
        _DUMMY_HASHES[method] = generate_password_hash("not-a-real-password", method=method)
    check_password_hash(_DUMMY_HASHES[method], password)


def password_problems(password: str, *, email: str = "", display_name: str = "") -> list[str]:
    """Every reason ``password`` is too weak, as messages for the form; empty if fine."""
    problems = []
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        problems.append(_l("Use at least %(count)d characters.", count=minimum))
    if len(password) > 256:
        problems.append(_l("Use at most 256 characters."))
    lowered = password.lower()
    if lowered in breached_passwords() or is_run(lowered):
        problems.append(_l("This password is too common; choose another."))
    elif len(set(password)) < 5:
        problems.append(_l("Use at least 5 different characters."))
    local_part = email.split("@", 1)[0].lower()
    if len(local_part) >= 4 and local_part in lowered:
        problems.append(_l("Do not use your e-mail address in your password."))
    if display_name and len(display_name) >= 4 and display_name.lower() in lowered:
        problems.append(_l("Do not use your name in your password."))
    return [str(problem) for problem in problems]
