"""A submitted assignment tells the class's teacher, in the bell."""

from __future__ import annotations

import sqlalchemy as sa

from academy.auth.models import Role, User
from academy.catalog.models import Lesson, LessonKind
from academy.db import db
from academy.learning import operations
from academy.notifications.models import Notification, NotificationKind


def test_a_submission_notifies_the_teacher(
    app, act, create_organisation, create_user, create_course, create_class, join, read
):
    organisation = create_organisation()
    teacher = create_user(roles=[Role.TEACHER], organisation=organisation)
    course = create_course(lessons=2, kinds={1: LessonKind.ASSIGNMENT})
    school_class = create_class(course, teacher, organisation)
    learner = create_user(display_name="Ma Lin")
    join(learner, school_class)
    act(
        lambda: operations.submit_assignment(
            db.session.get(User, learner.id),
            db.session.get(Lesson, course.lesson_ids[1]),
            text="My export plan.",
        )
    )
    notification = read(
        lambda: db.session.scalar(sa.select(Notification).where(Notification.user_id == teacher.id))
    )
    assert notification.kind == NotificationKind.SUBMISSION_TO_GRADE
    assert notification.params["student"] == "Ma Lin"
