"""Issue 10's findings about accounts: links that cannot be poisoned, and more below."""

from __future__ import annotations

from academy import mail


def test_a_reset_asked_with_a_forged_host_header_mails_a_link_to_the_real_site(
    app, client, create_user, no_csrf
):
    user = create_user()
    response = client.post(
        "/password/forgot",
        data={"email": user.email},
        headers={"Host": "evil.example.com"},
    )
    assert response.status_code == 302
    with app.app_context():
        body = mail.outbox()[-1].body
    assert "evil.example.com" not in body
    assert "http://localhost/password/reset/" in body
