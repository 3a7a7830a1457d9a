"""The verification page and the talent pool as their users meet them."""

from __future__ import annotations

from academy.auth.models import OrganisationKind, Role, User
from academy.credentials import operations, talent
from academy.credentials.models import Certificate, ContactRequest, TalentProfile
from academy.db import db
from tests.conftest import csrf_token, login_as


def _lookup(client, serial: str, surname: str):
    token = csrf_token(client, "/verify")
    return client.post("/verify", data={"serial": serial, "surname": surname, "csrf_token": token})


def test_anonymous_visitor_verifies_by_serial_and_surname(client, issue):
    certificate = issue()
    response = _lookup(client, certificate.serial.lower(), " wei ")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Valid" in html and "Li Wei" in html and "Quoting an RFQ" in html


def test_not_found_does_not_say_which_half_was_wrong(client, issue):
    certificate = issue()
    wrong_name = _lookup(client, certificate.serial, "Zhang").get_data(as_text=True)
    other = certificate.serial[:-5] + (
        "22222" if not certificate.serial.endswith("22222") else "33333"
    )
    wrong_serial = _lookup(client, other, "Wei").get_data(as_text=True)
    message = "No certificate matches this number and surname"
    assert message in wrong_name and message in wrong_serial
    assert "Li Wei" not in wrong_name


def test_malformed_serial_is_a_field_error(client):
    response = _lookup(client, "12345", "Wei")
    assert response.status_code == 400
    assert "This is not a certificate number" in response.get_data(as_text=True)


def test_lookups_are_rate_limited(app, client, issue, monkeypatch):
    certificate = issue()
    monkeypatch.setitem(app.config, "CREDENTIALS_LOOKUPS_PER_WINDOW", 3)
    statuses = [_lookup(client, certificate.serial, "Nobody").status_code for _ in range(4)]
    assert statuses == [404, 404, 404, 429]


def test_revoked_page_shows_reason(app, client, issue, create_user):
    certificate = issue()
    admin = create_user()
    with app.test_request_context(), db.unit_of_work():
        operations.revoke_certificate(
            db.session.get(Certificate, certificate.id),
            reason="Marks corrected on appeal",
            by=db.session.get(User, admin.id),
        )
    html = client.get(f"/verify/{certificate.serial}").get_data(as_text=True)
    assert "Revoked" in html and "Marks corrected on appeal" in html


def test_association_admin_revokes_from_the_page(app, client, issue, association, create_user):
    certificate = issue()
    admin = create_user(roles=[Role.ORG_ADMIN], organisation=association)
    login_as(client, admin)
    path = f"/associations/{association.slug}/certificates/{certificate.serial}"
    empty = client.post(
        path + "/revoke", data={"csrf_token": csrf_token(client, path), "reason": ""}
    )
    assert empty.status_code == 400 and "Give the reason" in empty.get_data(as_text=True)
    client.post(path + "/revoke", data={"csrf_token": csrf_token(client, path), "reason": "Fraud"})
    assert "Revoked" in client.get(f"/verify/{certificate.serial}").get_data(as_text=True)


def _pool_world(app, issue, create_user, create_organisation):
    holder = create_user(roles=[Role.STUDENT], display_name="Wang Fang", email="fang@example.test")
    issue(holder=holder)
    enterprise = create_organisation(kind=OrganisationKind.ENTERPRISE, name="Ningbo Exports")
    recruiter = create_user(roles=[Role.RECRUITER], organisation=enterprise)
    return holder, recruiter


def test_recruiter_finds_requests_and_sees_email_only_on_accept(
    app, client, issue, create_user, create_organisation
):
    holder, recruiter = _pool_world(app, issue, create_user, create_organisation)
    login_as(client, holder)
    data = {
        "csrf_token": csrf_token(client, "/account/talent-pool"),
        "province": "zhejiang",
        "languages": ["en", "zh"],
        "availability": "now",
        "show_name": "y",
        "consent": "y",
    }
    assert client.post("/account/talent-pool", data=data).status_code == 302

    recruiter_client = app.test_client()
    login_as(recruiter_client, recruiter)
    html = recruiter_client.get("/talent?level=L2&province=zhejiang&language=en").get_data(
        as_text=True
    )
    assert "Wang Fang" in html
    with app.app_context():
        profile_id = db.session.scalar(
            db.session.query(TalentProfile.id).filter_by(user_id=holder.id).statement
        )
    path = f"/talent/{profile_id}"
    recruiter_client.post(
        path, data={"csrf_token": csrf_token(recruiter_client, path), "message": "Sales role"}
    )
    assert "fang@example.test" not in recruiter_client.get("/talent/requests").get_data(
        as_text=True
    )

    page = client.get("/account/talent-pool").get_data(as_text=True)
    assert "Ningbo Exports" in page and "Sales role" in page
    with app.app_context():
        request_id = db.session.scalar(db.session.query(ContactRequest.id).statement)
    client.post(
        f"/account/talent-pool/requests/{request_id}/accept",
        data={"csrf_token": csrf_token(client, "/account/talent-pool")},
    )
    assert "fang@example.test" in recruiter_client.get("/talent/requests").get_data(as_text=True)


def test_opted_out_holder_is_never_found(app, issue, create_user, create_organisation, client):
    holder, recruiter = _pool_world(app, issue, create_user, create_organisation)
    with app.test_request_context(), db.unit_of_work():
        talent.opt_in(db.session.get(User, holder.id), talent.ProfileChoices(province="fujian"))
    login_as(client, recruiter)
    assert "Wang Fang" in client.get("/talent?province=fujian").get_data(as_text=True)
    with app.test_request_context(), db.unit_of_work():
        talent.opt_out(db.session.get(User, holder.id))
    assert "Wang Fang" not in client.get("/talent?province=fujian").get_data(as_text=True)
    assert "Wang Fang" not in client.get("/talent?search=1").get_data(as_text=True)


def test_recruiter_without_enterprise_gets_a_clear_error(client, create_user, create_organisation):
    school = create_organisation(kind=OrganisationKind.SCHOOL)
    recruiter = create_user(roles=[Role.RECRUITER], organisation=school)
    login_as(client, recruiter)
    response = client.get("/talent")
    assert response.status_code == 403
    assert "recruiter role in an enterprise organisation" in response.get_data(as_text=True)


def test_holder_without_certificate_cannot_join(client, create_user):
    login_as(client, create_user(roles=[Role.STUDENT]))
    data = {"csrf_token": csrf_token(client, "/account/talent-pool"), "consent": "y"}
    response = client.post("/account/talent-pool", data=data)
    assert response.status_code == 400
    assert "Only holders of a certificate in force" in response.get_data(as_text=True)


def test_surname_matches_chinese_and_latin_names():
    from academy.credentials.operations import surname_matches

    assert surname_matches("欧阳娜娜", "欧阳") and surname_matches("冯婷婷", "冯")
    assert not surname_matches("冯婷婷", "婷婷")
    assert surname_matches("Li Wei", "li") and surname_matches("Li Wei", " WEI ")
    assert not surname_matches("Li Wei", "Zhang") and not surname_matches("Li Wei", "")


def test_revoked_certificate_leaves_the_search_at_once(
    app, issue, create_user, create_organisation
):
    from academy.credentials import queries

    holder, _recruiter = _pool_world(app, issue, create_user, create_organisation)
    with app.test_request_context(), db.unit_of_work():
        talent.opt_in(db.session.get(User, holder.id), talent.ProfileChoices(province="tibet"))
    criteria = queries.SearchCriteria(level_code="L2", province="tibet")
    with app.app_context():
        assert len(queries.search_pool(criteria)[0]) == 1
        certificate_id = db.session.scalar(
            db.session.query(Certificate.id).filter_by(holder_id=holder.id).statement
        )
    with app.test_request_context(), db.unit_of_work():
        operations.revoke_certificate(
            db.session.get(Certificate, certificate_id),
            reason="x",
            by=db.session.get(User, holder.id),
        )
    with app.app_context():
        assert queries.search_pool(criteria) == ([], False)
