"""Question files, bank import and export, versions, and the bank pages."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st

from academy.assessment import operations
from academy.assessment.models import Question, QuestionBank, QuestionVersion
from academy.assessment.questionfile import (
    dump_question_file,
    parse_question_file,
)
from academy.auth.models import Role
from academy.db import db
from tests.conftest import csrf_token, login_as

SAMPLE = Path(__file__).with_name("sample_questions.toml")

BROKEN = """\
[[questions]]
id = "ok-one"
type = "true_false"
topic = "incoterms"
prompt = "Fine."
answer = true

[[questions]]
id = "Bad Id"
type = "true_false"
topic = "incoterms"
prompt = "Broken."
answer = "yes"

[[questions]]
id = "no-such-type"
type = "guess"
topic = "x"
prompt = "?"

[[questions]]
id = "ok-one"
type = "single_choice"
topic = "incoterms"
prompt = "Two right answers"
options = [{ id = "a", text = "A", correct = true }, { id = "b", text = "B", correct = true }]
"""


def test_every_problem_is_reported_with_the_line_of_its_table():
    parsed = parse_question_file(BROKEN, "questions/broken.toml")
    lines = sorted({p.line for p in parsed.problems})
    assert lines == [8, 15, 21]
    messages = " | ".join(str(p) for p in parsed.problems)
    assert "questions/broken.toml:8:" in messages
    assert "'answer' must be true or false" in messages
    assert "'type' must be one of" in messages
    assert "exactly one option must be correct" in messages
    assert "already used on line 1" in messages


def test_syntax_errors_carry_their_line():
    parsed = parse_question_file('[[questions]]\nid = "a"\ntype = \n', "x.toml")
    assert len(parsed.problems) == 1
    assert parsed.problems[0].line == 3
    assert "not valid TOML" in parsed.problems[0].message


def test_semantic_checks_of_the_new_types():
    text = """\
[[questions]]
id = "calc"
type = "calculation"
topic = "pricing"
prompt = "Price {p} and {q}?"
formula = "p / (p - p) + __import__('os')"
parameters = [{ name = "p", min = 1, max = 2 }]

[[questions]]
id = "calc-zero"
type = "calculation"
topic = "pricing"
prompt = "Price {p}?"
formula = "1 / (p - 1)"
tolerance = 0.1
parameters = [{ name = "p", min = 1, max = 1 }]

[[questions]]
id = "cloze"
type = "cloze"
topic = "x"
prompt = "Fill"
text = "A {{one}} B {{two}}"
gaps = [{ id = "one", type = "numeric", answer = "x" }, { id = "three", answers = ["y"] }]

[[questions]]
id = "essay"
type = "essay"
topic = "x"
points = 10
prompt = "Write"
rubric = [{ criterion = "A", levels = [{ points = 4, description = "d" }] }]
"""
    messages = [p.message for p in parse_question_file(text, "x").problems]
    joined = "\n".join(messages)
    assert "'formula': Call is not allowed" in joined or "only min, max" in joined
    assert "give one of 'tolerance' or 'tolerance_percent'" in joined
    assert "fails for some drawn values: division by zero" in joined
    assert "'answer' must be a number" in joined
    assert "gap 'three' is not marked" in joined
    assert "marks a gap 'two'" in joined
    assert "top levels add up to 4, not to 'points'" in joined


def test_question_file_round_trip():
    parsed = parse_question_file(SAMPLE.read_text(encoding="utf-8"), "sample")
    text = dump_question_file(parsed.specs)
    again = parse_question_file(text, "written")
    assert again.problems == []
    assert again.specs == parsed.specs


printable = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\x00"),
    max_size=40,
).filter(lambda s: s.strip())


@settings(max_examples=60, deadline=None)
@given(prompt=printable, answer=printable, feedback=printable)
def test_round_trip_survives_awkward_text(prompt, answer, feedback):
    spec = {
        "id": "awkward",
        "type": "short_text",
        "topic": "x",
        "prompt": prompt,
        "answers": [answer],
        "match": "exact",
        "feedback": feedback + "\n" + feedback,
        "difficulty": 2,
        "points": 1.5,
    }
    again = parse_question_file(dump_question_file([spec]), "x")
    assert again.problems == []
    assert again.specs == [spec]


def _bank(app, organisation) -> int:
    with app.app_context(), db.unit_of_work():
        bank = operations.get_or_create_bank(db.session.merge(organisation), "main", "Main bank")
        return bank.id


def test_import_is_idempotent_and_edits_make_versions(app, create_organisation, read):
    organisation = create_organisation()
    bank_id = _bank(app, organisation)
    with app.app_context(), db.unit_of_work():
        bank = db.session.get(QuestionBank, bank_id)
        first = operations.import_question_files(bank, [SAMPLE], None)
        second = operations.import_question_files(bank, [SAMPLE], None)
    assert len(first.created) == 11 and second.unchanged == first.created
    changed = SAMPLE.read_text(encoding="utf-8").replace("tolerance = 1\n", "tolerance = 2\n")
    with app.app_context(), db.unit_of_work():
        bank = db.session.get(QuestionBank, bank_id)
        third = operations.import_question_text(bank, changed, None)
    assert third.updated == ["cif-value-cny"] and len(third.unchanged) == 10
    versions = read(
        lambda: db.session.scalars(
            sa.select(QuestionVersion.number)
            .join(Question)
            .where(Question.key == "cif-value-cny", Question.bank_id == bank_id)
            .order_by(QuestionVersion.number)
        ).all()
    )
    assert versions == [1, 2]


def test_cli_import_lists_every_problem_and_imports_nothing(
    app, runner, create_organisation, count_rows, tmp_path
):
    organisation = create_organisation()
    good = tmp_path / "good.toml"
    good.write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text(BROKEN, encoding="utf-8")
    before = count_rows(Question)
    result = runner.invoke(
        args=["assessment", "import-bank", organisation.slug, str(good), str(bad)]
    )
    assert result.exit_code != 0
    assert f"{bad}:8:" in result.output and f"{bad}:15:" in result.output
    assert "nothing was imported" in result.output
    assert count_rows(Question) == before

    result = runner.invoke(args=["assessment", "import-bank", organisation.slug, str(good)])
    assert result.exit_code == 0, result.output
    assert "11 new" in result.output
    out = tmp_path / "out.toml"
    result = runner.invoke(args=["assessment", "export-bank", organisation.slug, str(out)])
    assert result.exit_code == 0, result.output
    exported = parse_question_file(out.read_text(encoding="utf-8"), "out")
    original = parse_question_file(SAMPLE.read_text(encoding="utf-8"), "sample")
    assert sorted(exported.specs, key=lambda s: s["id"]) == sorted(
        original.specs, key=lambda s: s["id"]
    )


def test_bank_pages_preview_and_edit(app, client, create_organisation, create_user, read):
    organisation = create_organisation()
    teacher = create_user(roles=[Role.TEACHER], organisation=organisation)
    bank_id = _bank(app, organisation)
    with app.app_context(), db.unit_of_work():
        operations.import_question_files(db.session.get(QuestionBank, bank_id), [SAMPLE], None)
        question_id = db.session.scalar(
            sa.select(Question.id).where(Question.key == "jujube-invoice")
        )
    login_as(client, teacher)
    page = client.get(f"/assessment/banks/{bank_id}?type=calculation").get_data(as_text=True)
    assert "cif-from-fob" in page and "jujube-invoice" not in page

    page = client.get(f"/assessment/questions/{question_id}").get_data(as_text=True)
    assert "Commercial invoice" in page and 'name="q-hs_code"' in page
    token = csrf_token(client, f"/assessment/questions/{question_id}")
    page = client.post(
        f"/assessment/questions/{question_id}",
        data={"csrf_token": token, "q-hs_code": "0813.40", "q-total_value": "22,200"},
    ).get_data(as_text=True)
    assert "Points: 2 of 3" in page

    edit = f"/assessment/questions/{question_id}/edit"
    text = client.get(edit).get_data(as_text=True)
    assert "[[questions]]" in text
    spec_text = dump_question_file(
        [read(lambda: db.session.get(Question, question_id).latest.spec)]
    )
    response = client.post(
        edit,
        data={"csrf_token": csrf_token(client, edit), "text": spec_text.replace("22200", "22201")},
    )
    assert response.status_code == 302
    assert read(lambda: db.session.get(Question, question_id).version_count) == 2
    response = client.post(
        edit,
        data={"csrf_token": csrf_token(client, edit), "text": spec_text.replace("0813.40", "")},
    )
    assert response.status_code == 302  # an empty answer is still a valid text rule
    response = client.post(
        edit, data={"csrf_token": csrf_token(client, edit), "text": 'id = "x"\n[[questions]]\n'}
    )
    assert response.status_code == 422
    assert read(lambda: db.session.get(Question, question_id).version_count) == 3


def test_other_organisations_cannot_see_a_bank(app, client, create_organisation, create_user):
    bank_id = _bank(app, create_organisation())
    outsider = create_user(roles=[Role.TEACHER])
    login_as(client, outsider)
    assert client.get(f"/assessment/banks/{bank_id}").status_code == 403
    assert client.get(f"/assessment/banks/{bank_id}/export").status_code == 403
