"""``academy credentials verify``: exit 0 for valid, 1 with one line otherwise."""

from __future__ import annotations

from academy.auth.models import User
from academy.credentials import operations
from academy.credentials.models import Certificate
from academy.db import db


def _verify(runner, tmp_path, text: str, *options: str):
    path = tmp_path / "credential.jwt"
    path.write_text(text)
    return runner.invoke(args=["credentials", "verify", str(path), *options])


def test_valid_credential_exits_0(runner, tmp_path, issue):
    result = _verify(runner, tmp_path, issue().credential_jwt, "--offline")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("valid: ")


def test_revoked_credential_exits_1_with_reason(app, runner, tmp_path, issue, create_user):
    certificate = issue()
    admin = create_user()
    with app.test_request_context(), db.unit_of_work():
        operations.revoke_certificate(
            db.session.get(Certificate, certificate.id),
            reason="fraud",
            by=db.session.get(User, admin.id),
        )
    result = _verify(runner, tmp_path, certificate.credential_jwt, "--offline")
    assert result.exit_code == 1
    assert result.output.strip() == "invalid: the credential has been revoked by its issuer"


def test_unreachable_site_fails_closed(runner, tmp_path, issue):
    # The credential names http://localhost, where nothing listens in the test run.
    result = _verify(runner, tmp_path, issue().credential_jwt)
    assert result.exit_code == 1
    assert "could not be fetched" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_malformed_file_exits_1(runner, tmp_path):
    result = _verify(runner, tmp_path, "hello", "--offline")
    assert result.exit_code == 1
    assert "malformed credential" in result.output
