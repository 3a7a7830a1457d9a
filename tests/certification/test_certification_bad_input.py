"""Bad input gets a clear error on the field and changes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from academy.certification.marking.models import JudgedResponse, Mark
from academy.certification.models import Candidate, Programme, ProgrammeStatus, Sitting
from academy.certification.programmes.operations import create_programme, publish_programme
from academy.certification.sittings import delivery
from academy.certification.sittings.registration import (
    CandidateListError,
    change_seats,
    register_from_csv,
)
from academy.certification.standards.file import read_standard
from academy.certification.standards.models import Standard
from academy.certification.standards.operations import standard_bank
from academy.db import db, utcnow
from academy.errors import OperationError
from tests.certification.conftest import STANDARD, write_standard
from tests.conftest import csrf_token, login_as


def test_a_standard_file_lists_every_problem(tmp_path):
    folder = write_standard(tmp_path, "broken")
    text = STANDARD.format(code="broken").replace(
        "elementary = 50, intermediate = 40", "elementary = 50, expert = 40"
    )
    text = text.replace('code = "U2"', 'code = "U1"').replace(
        '"pack/questions/u2.toml"', '"pack/questions/missing.toml"'
    )
    (folder / "standard.toml").write_text(text, encoding="utf-8")
    problems = read_standard(folder).problems
    assert "unit U1: weights name unknown level 'expert'" in problems
    assert "unit 2: code 'U1' is used twice" in problems
    assert "unit 2: question file missing.toml not found" in problems
    assert "the weights of level intermediate add up to 60, not 100" in problems


def test_the_cli_validates_and_imports_with_one_line_errors(
    app, runner, tmp_path, create_organisation
):
    from academy.auth.models import OrganisationKind

    folder = write_standard(tmp_path, "cli-standard")
    courses = str(tmp_path / "courses")
    ok = runner.invoke(args=["standards", "validate", str(folder), "--courses", courses])
    assert ok.exit_code == 0 and "ok (2 levels, 2 units)" in ok.output
    (folder / "standard.toml").write_text("code = 1", encoding="utf-8")
    bad = runner.invoke(args=["standards", "validate", str(folder), "--courses", courses])
    assert bad.exit_code == 1 and "code must be lower-case" in bad.output
    school = create_organisation(kind=OrganisationKind.SCHOOL)
    folder2 = write_standard(tmp_path / "again", "cli-standard")
    refused = runner.invoke(
        args=[
            "standards",
            "import",
            str(folder2),
            "--org",
            school.slug,
            "--courses",
            str(tmp_path / "again" / "courses"),
        ]
    )
    assert refused.exit_code == 1 and "Only an industry association" in refused.output


def test_a_blueprint_the_bank_cannot_fill_is_not_published(app, make_cert_world):
    world = make_cert_world(students=0, practical=False)
    with app.app_context(), db.unit_of_work():
        standard = db.session.get(Standard, world.standard_id)
        bank = standard_bank(standard.organisation, standard.code)
        programme = create_programme(
            standard.organisation,
            standard,
            standard.level("elementary"),
            "Too greedy",
            bank_id=bank.id,
            theory_rules=[
                {"unit": "U1", "difficulty": 2, "count": 50},
                {"unit": "U2", "difficulty": 1, "count": 1},
            ],
        )
        with pytest.raises(OperationError) as refused:
            publish_programme(programme)
        assert refused.value.field == "theory"
        assert "asks for 50 items of difficulty 2; the bank holds 2" in str(refused.value.message)
        assert programme.status == ProgrammeStatus.DRAFT and programme.quiz_id is None


def test_seats_below_registrations_are_refused(app, make_cert_world):
    world = make_cert_world(students=3, starts_in=timedelta(days=1))
    with app.app_context(), db.unit_of_work():
        sitting = db.session.get(Sitting, world.sitting_id)
        with pytest.raises(OperationError) as refused:
            change_seats(sitting, 2)
        assert refused.value.field == "seats" and sitting.seats == 30


def test_a_candidate_list_with_unknown_emails_registers_nobody_and_names_each_line(
    app, make_cert_world, create_user, count_rows
):
    world = make_cert_world(students=0, starts_in=timedelta(days=1))
    known = create_user()
    text = f"email,extra_minutes\n{known.email},0\nghost@example.test,0\n{known.email},15\nnobody@example.test,x\n"
    with app.app_context(), db.unit_of_work():
        sitting = db.session.get(Sitting, world.sitting_id)
        admin = db.session.merge(world.users["admin"])
        with pytest.raises(CandidateListError) as refused:
            register_from_csv(sitting, text, admin)
        lines = [(p.line, p.message) for p in refused.value.problems]
        assert lines == [
            (3, "no account has the e-mail ghost@example.test"),
            (4, f"{known.email} is listed twice"),
            (5, "no account has the e-mail nobody@example.test"),
        ]
    assert count_rows(Candidate, Candidate.sitting_id == world.sitting_id) == 0


def test_the_upload_page_shows_each_bad_line_on_the_field(app, client, make_cert_world):
    world = make_cert_world(students=0, starts_in=timedelta(days=1))
    login_as(client, world.users["admin"])
    page = f"/certification/sittings/{world.sitting_id}"
    response = client.post(
        page + "/candidates/upload",
        data={"candidates": "email\nghost@example.test\n", "csrf_token": csrf_token(client, page)},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Line 2: no account has the e-mail ghost@example.test" in html


def test_accommodation_after_the_start_is_refused(app, make_cert_world):
    world = make_cert_world(students=1)
    with app.app_context(), db.unit_of_work():
        candidate = db.session.get(Sitting, world.sitting_id).candidates[0]
        with pytest.raises(OperationError) as refused:
            delivery.set_accommodation(candidate, 30)
        assert refused.value.field == "extra_minutes" and candidate.extra_minutes == 0


def test_a_mark_outside_the_rubric_is_refused_on_the_field(app, client, make_cert_world):
    world = make_cert_world(students=1, practical=False)
    with app.app_context(), db.unit_of_work():
        candidate = db.session.get(Sitting, world.sitting_id).candidates[0]
        delivery.check_in(candidate, db.session.merge(world.users["invigilator"]), "1", True)
        delivery.start_exam(candidate)
        response_id = db.session.scalar(
            sa.select(JudgedResponse.id).where(JudgedResponse.candidate_id == candidate.id)
        )
    login_as(client, world.users["examiner"])
    page = f"/certification/responses/{response_id}/mark"
    response = client.post(page, data={"marks": "11", "csrf_token": csrf_token(client, page)})
    assert response.status_code == 422
    assert "The mark must be between 0 and 10" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Mark)) == 0


def test_start_needs_check_in_and_a_second_start_resumes_the_first(app, make_cert_world):
    world = make_cert_world(students=1, practical=False)
    with app.app_context(), db.unit_of_work():
        candidate = db.session.get(Sitting, world.sitting_id).candidates[0]
        with pytest.raises(OperationError) as refused:
            delivery.start_exam(candidate)
        assert refused.value.code == "not_checked_in"
        delivery.check_in(candidate, db.session.merge(world.users["invigilator"]), "1", True)
        first = delivery.start_exam(candidate).attempt_id
        assert delivery.start_exam(candidate).attempt_id == first
        assert len(candidate.attempt.items) == 4  # 2 + 1 of U1, 1 of U2: the blueprint's profile


def test_a_late_start_and_an_early_hand_in_follow_the_sittings_rules(app, make_cert_world):
    world = make_cert_world(students=1, practical=False)
    with app.app_context(), db.unit_of_work():
        sitting = db.session.get(Sitting, world.sitting_id)
        sitting.earliest_finish_minutes = 30
        candidate = sitting.candidates[0]
        delivery.check_in(candidate, db.session.merge(world.users["invigilator"]), "1", True)
        with pytest.raises(OperationError) as late:
            delivery.start_exam(candidate, sitting.starts_dt + timedelta(minutes=31))
        assert late.value.code == "too_late"
        delivery.start_exam(candidate)
        with pytest.raises(OperationError) as early:
            delivery.finish_exam(candidate)
        assert early.value.code == "too_early"
        assert delivery.finish_exam(candidate, utcnow() + timedelta(minutes=40))


def test_a_programme_of_another_association_cannot_be_opened(app, client, make_cert_world):
    mine = make_cert_world(students=0, practical=False)
    theirs = make_cert_world(students=0, practical=False)
    login_as(client, mine.users["admin"])
    assert client.get(f"/certification/programmes/{theirs.programme_id}").status_code == 403
    with app.app_context():
        assert db.session.get(Programme, theirs.programme_id) is not None
