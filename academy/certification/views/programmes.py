"""Association admins: build a programme's blueprint, preview its coverage, publish."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from academy.assessment.models import QuestionBank
from academy.auth.models import Role
from academy.auth.permissions import require_role
from academy.certification.forms import ProgrammeForm
from academy.certification.programmes.blueprint import DIFFICULTIES
from academy.certification.programmes.models import Programme
from academy.certification.programmes.operations import (
    create_programme,
    programme_coverage,
    publish_programme,
    update_blueprint,
)
from academy.certification.standards.models import Standard
from academy.certification.views import bp, get_programme_or_404, get_standard_or_404
from academy.db import db
from academy.errors import OperationError
from academy.forms import ConfirmForm, required, show_operation_error
from academy.numbers import int_arg

DEFAULT_SCENARIO = "zhengzhou_rail_air"


def _theory_rules(standard: Standard) -> list[dict[str, Any]] | None:
    rules = []
    for unit in standard.units:
        for difficulty in DIFFICULTIES:
            raw = request.form.get(f"count-{unit.code}-{difficulty}", "").strip() or "0"
            if not raw.isdigit():
                return None
            if int(raw):
                rules.append({"unit": unit.code, "difficulty": difficulty, "count": int(raw)})
    return rules


def _form_for(standard: Standard, programme: Programme | None = None) -> ProgrammeForm:
    form = ProgrammeForm(obj=None)
    form.level.choices = [
        (level.id, f"{level.name} / {level.name_zh}") for level in standard.levels
    ]
    banks = db.session.scalars(
        sa.select(QuestionBank)
        .where(QuestionBank.organisation_id == standard.organisation_id)
        .order_by(QuestionBank.name)
    )
    form.bank.choices = [(0, _("No theory part"))] + [(bank.id, bank.name) for bank in banks]
    return form


def _blueprint_from(form: ProgrammeForm, standard: Standard) -> dict[str, Any] | None:
    rules = _theory_rules(standard)
    tasks = form.parsed_list("practical", "tasks")
    parts = form.parsed_list("judged", "parts")
    if rules is None:
        form.form_errors.append(_("Each count must be a whole number of 0 or more."))
    if rules is None or tasks is None or parts is None:
        return None
    return {
        "bank_id": form.bank.data or None,
        "theory_rules": rules,
        "theory_minutes": form.theory_minutes.data,
        "tolerance": form.tolerance.data,
        "scenario": form.scenario.data or "",
        "seed": form.seed.data,
        "bots": [bot.strip() for bot in (form.bots.data or "").split(",") if bot.strip()],
        "practical_tasks": tasks,
        "judged_parts": parts,
    }


def _render(standard, form, programme=None, matrix=None, rules=None, status=200):
    if matrix is None and programme is not None:
        matrix = programme_coverage(programme)
    counts = {(rule["unit"], rule["difficulty"]): rule["count"] for rule in (rules or [])}
    return (
        render_template(
            "certification/programme.html",
            standard=standard,
            programme=programme,
            form=form,
            matrix=matrix,
            counts=counts,
            difficulties=DIFFICULTIES,
            publish_form=ConfirmForm(),
        ),
        status,
    )


@bp.route("/standards/<int:standard_id>/programmes/new", methods=["GET", "POST"])
@require_role(Role.ORG_ADMIN)
def new_programme(standard_id: int):
    standard = get_standard_or_404(standard_id)
    form = _form_for(standard)
    if request.method == "GET":
        form.scenario.data = DEFAULT_SCENARIO
        form.level.data = int_arg(request.args, "level")
        bank = db.session.scalar(
            sa.select(QuestionBank.id).where(
                QuestionBank.organisation_id == standard.organisation_id,
                QuestionBank.slug == standard.code,
            )
        )
        form.bank.data = bank or 0
        return _render(standard, form)
    blueprint = _blueprint_from(form, standard) if form.validate_on_submit() else None
    if blueprint is None:
        return _render(standard, form, status=422)
    level = next((level for level in standard.levels if level.id == form.level.data), None)
    if level is None:
        abort(400)
    try:
        programme = create_programme(
            standard.organisation,
            standard,
            level,
            required(form.title.data),
            current_user,
            **blueprint,
        )
    except OperationError as error:
        show_operation_error(form, error)
        return _render(standard, form, status=422)
    return redirect(url_for("certification.show_programme", programme_id=programme.id))


@bp.route("/programmes/<int:programme_id>", methods=["GET", "POST"])
@require_role(Role.ORG_ADMIN)
def show_programme(programme_id: int):
    programme = get_programme_or_404(programme_id)
    standard = programme.standard
    form = _form_for(standard)
    if request.method == "POST" and not programme.is_published:
        blueprint = _blueprint_from(form, standard) if form.validate_on_submit() else None
        if blueprint is None:
            return _render(
                standard, form, programme, rules=_theory_rules(standard) or [], status=422
            )
        try:
            update_blueprint(programme, **blueprint)
        except OperationError as error:
            show_operation_error(form, error)
            return _render(standard, form, programme, status=422)
        flash(_("The blueprint is saved. Check the coverage before publishing."), "success")
        return redirect(url_for("certification.show_programme", programme_id=programme.id))
    _fill(form, programme)
    return _render(standard, form, programme, rules=programme.theory_rules)


def _fill(form: ProgrammeForm, programme: Programme) -> None:
    from academy.certification.programmes.toml import dump_tables

    form.title.data = programme.title
    form.level.data = programme.level_id
    form.bank.data = programme.bank_id or 0
    form.theory_minutes.data = programme.theory_minutes
    form.tolerance.data = programme.tolerance
    form.scenario.data = programme.scenario
    form.seed.data = programme.seed
    form.bots.data = ", ".join(programme.bots)
    form.practical.data = dump_tables("tasks", programme.practical_tasks)
    form.judged.data = dump_tables("parts", programme.judged_parts)


@bp.route("/programmes/<int:programme_id>/publish", methods=["POST"])
@require_role(Role.ORG_ADMIN)
def publish(programme_id: int):
    programme = get_programme_or_404(programme_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        publish_programme(programme, current_user)
    except OperationError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    else:
        flash(_("The programme is published; schedule its sittings."), "success")
    return redirect(url_for("certification.show_programme", programme_id=programme_id))
