"""Marking and releasing are rows in the audit log: who changed which student's mark."""

from __future__ import annotations

import json

import sqlalchemy as sa

from academy.audit.models import AuditAction, AuditEvent
from academy.db import db
from tests.assessment.test_assessment_tenancy import mark, submit_essay
from tests.conftest import csrf_token, login_as


def test_a_mark_change_and_the_release_are_audited(app, client, make_quiz_world, read):
    world = make_quiz_world()
    _attempt_id, item_id = submit_essay(app, world, world.student)
    login_as(client, world.teacher)
    assert mark(client, item_id, "Too short.").status_code == 302
    manage = f"/assessment/quizzes/{world.quiz_id}/manage"
    client.post(
        f"/assessment/quizzes/{world.quiz_id}/release",
        data={"csrf_token": csrf_token(client, manage)},
    )
    rows = read(
        lambda: list(
            db.session.scalars(
                sa.select(AuditEvent)
                .where(
                    AuditEvent.action.in_([AuditAction.MARK_CHANGED, AuditAction.MARKS_RELEASED])
                )
                .order_by(AuditEvent.id)
            )
        )
    )
    assert [row.action for row in rows] == [AuditAction.MARK_CHANGED, AuditAction.MARKS_RELEASED]
    changed = rows[0]
    assert changed.actor_email == world.teacher.email
    assert changed.subject_label == world.student.email
    details = json.loads(changed.details)
    assert (details["item"], details["old"], details["new"]) == (item_id, None, 0)
