"""Error pages, the health check and a database that is down."""

from __future__ import annotations

import pytest

from tests.conftest import make_test_app

UNREACHABLE_DATABASES = {
    "sqlite": "sqlite:////nonexistent-directory/for/sure/academy.sqlite3",
    "postgresql": "postgresql+psycopg://postgres@127.0.0.1:1/academy?connect_timeout=2",
}


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {
        "status": "ok",
        "database": "ok",
        "broker": "inline",
        "worker": "inline",
        "version": "0.1.0",
    }


@pytest.mark.parametrize("backend", sorted(UNREACHABLE_DATABASES))
def test_database_outage_gives_503_pages_not_tracebacks(backend):
    app = make_test_app(UNREACHABLE_DATABASES[backend], WTF_CSRF_ENABLED=False)
    client = app.test_client()
    health = client.get("/healthz")
    assert health.status_code == 503
    assert health.json["database"] == "unavailable"

    # Pages that need no query still work; logging in needs the database.
    assert client.get("/").status_code == 200
    response = client.post("/login", data={"email": "a@example.test", "password": "x" * 12})
    assert response.status_code == 503
    assert "Service unavailable" in response.get_data(as_text=True)
    with client.session_transaction() as session:
        session["_user_id"] = "1:1:some-session-token"
    page = client.get("/dashboard")
    body = page.get_data(as_text=True)
    assert page.status_code == 503
    assert "Service unavailable" in body
    assert "Traceback" not in body


def test_not_found_and_method_not_allowed(client):
    assert client.get("/no-such-page").status_code == 404
    response = client.get("/logout")
    assert response.status_code == 405
    assert "Method not allowed" in response.get_data(as_text=True)


def test_problem_document_for_json_clients(client):
    response = client.get("/no-such-page", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert response.json["status"] == 404 and response.json["code"] == "http_404"


def test_unexpected_error_is_a_500_page():
    from academy.auth.permissions import public

    app = make_test_app("sqlite://")

    @app.route("/boom")
    @public
    def boom():
        raise RuntimeError("kaboom")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "Something went wrong" in body and "kaboom" not in body


def test_security_headers(client):
    response = client.get("/")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_app_refuses_a_route_without_an_access_rule():
    from academy.auth.permissions import check_every_route_has_a_rule

    app = make_test_app("sqlite://")

    @app.route("/unguarded")
    def unguarded():
        return "open"

    with pytest.raises(RuntimeError, match="unguarded"):
        check_every_route_has_a_rule(app)
