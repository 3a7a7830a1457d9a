"""Pages of the assessment domain: banks and questions (quizzes live in quiz_views)."""

from __future__ import annotations

import random

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from academy.assessment import operations, queries
from academy.assessment.forms import ImportQuestionsForm, QuestionTextForm
from academy.assessment.models import Question, QuestionBank
from academy.assessment.permissions import BANK_ROLES
from academy.assessment.questionfile import dump_question_file
from academy.assessment.questions import REGISTRY, ResponseError, question_type
from academy.assessment.render import form_values, key_view, student_view
from academy.auth.models import Role
from academy.auth.permissions import can, require, require_role
from academy.db import db
from academy.errors import OperationError
from academy.forms import required, show_operation_error
from academy.navigation import register_nav_item
from academy.numbers import int_arg

bp = Blueprint("assessment", __name__, template_folder="../templates", url_prefix="/assessment")

STAFF = (*BANK_ROLES, Role.MENTOR)

register_nav_item(
    "assessment.list_banks",
    _l("Question banks"),
    lambda user: user.is_authenticated and (user.is_site_admin or user.has_role(*STAFF)),
    order=60,
)
register_nav_item(
    "assessment.my_grades",
    _l("My grades"),
    lambda user: user.is_authenticated and user.has_role(Role.STUDENT),
    order=55,
)


def get_bank_or_404(bank_id: int, action: str = "bank.view") -> QuestionBank:
    bank = db.session.get(QuestionBank, bank_id)
    if bank is None:
        abort(404)
    require(can(current_user, action, bank))
    return bank


def get_question_or_404(question_id: int, action: str = "bank.view") -> Question:
    question = db.session.get(Question, question_id)
    if question is None:
        abort(404)
    require(can(current_user, action, question.bank))
    return question


@bp.route("/banks")
@require_role(*STAFF)
def list_banks():
    return render_template("assessment/banks.html", banks=queries.banks_for(current_user))


@bp.route("/banks/<int:bank_id>")
@require_role(*STAFF)
def show_bank(bank_id: int):
    bank = get_bank_or_404(bank_id)
    topic = request.args.get("topic") or None
    kind = request.args.get("type") or None
    difficulty = int_arg(request.args, "difficulty")
    return render_template(
        "assessment/bank.html",
        bank=bank,
        questions=queries.bank_questions(bank, topic, kind, difficulty),
        topics=queries.bank_topics(bank),
        types=sorted(REGISTRY),
        filters={"topic": topic, "type": kind, "difficulty": difficulty},
        can_edit=can(current_user, "bank.edit", bank),
    )


@bp.route("/banks/<int:bank_id>/export")
@require_role(*STAFF)
def export_bank(bank_id: int):
    bank = get_bank_or_404(bank_id)
    return Response(
        operations.export_bank_text(bank),
        mimetype="application/toml",
        headers={"Content-Disposition": f'attachment; filename="{bank.slug}.toml"'},
    )


MAX_QUESTION_FILE_BYTES = 600_000


@bp.route("/banks/<int:bank_id>/import", methods=["GET", "POST"])
@require_role(*BANK_ROLES)
def import_questions(bank_id: int):
    bank = get_bank_or_404(bank_id, "bank.edit")
    form = ImportQuestionsForm()
    problems = []
    if form.validate_on_submit():
        text = form.text.data or ""
        if form.upload.data:
            try:
                data = form.upload.data.read(MAX_QUESTION_FILE_BYTES + 1)
                if len(data) > MAX_QUESTION_FILE_BYTES:
                    raise ValueError
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                text = ""
                form.upload.errors = [_("The file is not UTF-8 text.")]
            except ValueError:
                text = ""
                form.upload.errors = [_("The file is larger than 600 KB.")]
        if text.strip():
            try:
                summary = operations.import_question_text(bank, text, current_user, "upload")
            except operations.BankImportError as error:
                db.session.rollback()
                problems = error.problems
            else:
                flash(
                    _(
                        "Imported: %(new)s new, %(updated)s updated, %(same)s unchanged.",
                        new=len(summary.created),
                        updated=len(summary.updated),
                        same=len(summary.unchanged),
                    ),
                    "success",
                )
                return redirect(url_for("assessment.show_bank", bank_id=bank.id))
        elif not form.upload.errors:
            form.text.errors = [_("Paste a question file or choose one to upload.")]
    status = 422 if problems or form.errors else 200
    return render_template(
        "assessment/import.html", bank=bank, form=form, problems=problems
    ), status


def _preview_version(question: Question):
    version = queries.question_version(question, int_arg(request.args, "version"))
    if version is None:
        abort(404)
    return version


@bp.route("/questions/<int:question_id>", methods=["GET", "POST"])
@require_role(*STAFF)
def show_question(question_id: int):
    question = get_question_or_404(question_id)
    version = _preview_version(question)
    seed = int_arg(request.values, "seed", 1)
    qtype = question_type(version.spec["type"])
    drawn = {**version.spec, **qtype.instantiate(version.spec, random.Random(seed), True)}
    response, score, error = None, None, None
    if request.method == "POST":
        try:
            response = qtype.parse_form(drawn, request.form, "q")
            score = qtype.grade(drawn, response)
        except ResponseError as problem:
            error = problem.message
    return render_template(
        "assessment/question.html",
        question=question,
        version=version,
        view=student_view(drawn, "q"),
        values=form_values(drawn, response, "q"),
        key=key_view(drawn),
        score=score,
        error=error,
        seed=seed,
        can_edit=can(current_user, "bank.edit", question.bank),
    )


@bp.route("/questions/<int:question_id>/edit", methods=["GET", "POST"])
@require_role(*BANK_ROLES)
def edit_question(question_id: int):
    question = get_question_or_404(question_id, "bank.edit")
    form = QuestionTextForm()
    problems = []
    if request.method == "GET":
        form.text.data = dump_question_file([question.latest.spec])
    elif form.validate_on_submit():
        try:
            outcome = operations.edit_question(question, required(form.text.data), current_user)
        except operations.BankImportError as error:
            db.session.rollback()
            problems = error.problems
        except OperationError as error:
            show_operation_error(form, error)
        else:
            if outcome == "unchanged":
                flash(_("Nothing changed."), "success")
            else:
                flash(_("Saved as version %(n)s.", n=question.version_count), "success")
            return redirect(url_for("assessment.show_question", question_id=question.id))
    status = 422 if problems or form.errors or form.form_errors else 200
    return render_template(
        "assessment/edit_question.html", question=question, form=form, problems=problems
    ), status


# The other pages of the blueprint live beside this module.
from academy.assessment.views import (  # noqa: E402, F401
    gradebook,
    marking,
    quiz,
    quiz_settings,
)
