"""Teachers: register their school's students for sittings, and see only their results."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from academy.auth.models import Role
from academy.auth.permissions import require_role
from academy.certification import queries
from academy.certification.forms import SchoolRegisterForm
from academy.certification.models import Sitting
from academy.certification.sittings.registration import register_candidate
from academy.certification.views import bp, get_sitting_or_404
from academy.db import db, utcnow
from academy.errors import OperationError
from academy.forms import show_operation_error

TEACHERS = (Role.TEACHER, Role.ORG_ADMIN)


def _school_or_403():
    schools = queries.schools_taught_by(current_user)
    if not schools:
        abort(403)
    return schools[0]


def _form(school) -> SchoolRegisterForm:
    form = SchoolRegisterForm()
    form.student.choices = [
        (user.id, f"{user.display_name} <{user.email}>") for user in queries.students_of(school)
    ]
    return form


def _render(school, form=None, status=200):
    upcoming = db.session.scalars(
        sa.select(Sitting).where(Sitting.starts_dt > utcnow()).order_by(Sitting.starts_dt)
    ).all()
    sittings = db.session.scalars(sa.select(Sitting).order_by(Sitting.starts_dt.desc())).all()
    mine = [(sitting, queries.results_for(sitting, school)) for sitting in sittings]
    return (
        render_template(
            "certification/school.html",
            school=school,
            upcoming=upcoming,
            form=form or _form(school),
            mine=[(sitting, rows) for sitting, rows in mine if rows],
        ),
        status,
    )


@bp.route("/school")
@require_role(*TEACHERS)
def school_candidates():
    return _render(_school_or_403())


@bp.route("/sittings/<int:sitting_id>/school-candidates", methods=["POST"])
@require_role(*TEACHERS)
def register_student(sitting_id: int):
    school = _school_or_403()
    sitting = get_sitting_or_404(sitting_id)
    form = _form(school)
    if form.validate_on_submit():
        student = next(
            (user for user in queries.students_of(school) if user.id == form.student.data), None
        )
        if student is None:
            abort(400)
        try:
            candidate = register_candidate(sitting, student, current_user, school)
        except OperationError as error:
            show_operation_error(form, error)
            form.student.errors = [*form.student.errors, str(error.message)]
            return _render(school, form, 422)
        flash(
            _(
                "%(name)s is registered as candidate %(number)s.",
                name=student.display_name,
                number=candidate.number,
            ),
            "success",
        )
        return redirect(url_for("certification.school_candidates"))
    return _render(school, form, 422)
