"""The quiz page, an attempt page and an autosave run a fixed, small number of statements.

Each is measured, then the data around it grows (other learners' attempts, saved answers,
a second attempt of the learner), and the count must not move and must stay at or under
the figure pinned here. A change that adds a query per question or per attempt fails.
"""

from __future__ import annotations

from tests.assessment.test_assessment_attempts import autosave, start, token_of
from tests.conftest import login_as

#: Statements per request (the session's user is loaded by one of them, and one checks that
#: the server-side session is still open: see academy/auth/sessions.py; pages with the
#: header count the notification bell's unread messages in one more).
QUIZ_PAGE = 11
ATTEMPT_PAGE = 7
AUTOSAVE = 7

ANSWERS = {"q1": "b", "q11-total_value": "22200"}


def measure(client, count_queries, request) -> list[str]:
    with count_queries() as queries:
        response = request()
    assert response.status_code == 200
    return queries


def test_quiz_attempt_and_autosave(app, client, make_quiz_world, count_queries):
    world = make_quiz_world()
    login_as(client, world.other_student)
    start(client, world)
    login_as(client, world.student)
    attempt_id = start(client, world)
    token = token_of(client, attempt_id)
    quiz_page = f"/assessment/quizzes/{world.quiz_id}"
    attempt_page = f"/assessment/attempts/{attempt_id}"

    def counts() -> list[list[str]]:
        return [
            measure(client, count_queries, lambda: client.get(quiz_page)),
            measure(client, count_queries, lambda: client.get(attempt_page)),
            measure(client, count_queries, lambda: autosave(client, attempt_id, token, ANSWERS)),
        ]

    before = counts()
    for _ in range(3):  # more saves, more history
        autosave(client, attempt_id, token, {"q1": "a"})
    after = counts()
    assert [len(a) for a in after] == [len(b) for b in before], after
    quiz, attempt, save = (len(a) for a in after)
    assert quiz <= QUIZ_PAGE and attempt <= ATTEMPT_PAGE and save <= AUTOSAVE, after
