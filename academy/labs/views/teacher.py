"""Teachers' pages: class markets, the clock, the leaderboard, a firm's books and debrief.

Every page loads the class or market with a ``get_*_or_404`` loader that also checks
``can(user, "class.teach", school_class)``: the class's teacher, its school's admins
and site admins may run its markets; everybody else gets 403.
"""

from __future__ import annotations

from typing import Any

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user

from academy.auth.models import Role, User
from academy.auth.permissions import can, require, require_role
from academy.db import db
from academy.errors import OperationError
from academy.forms import ConfirmForm, made, repeat_of, required, show_operation_error
from academy.labs import clock, labels, markets, queries, shocks, teaching
from academy.labs.forms import (
    AddMemberForm,
    AdvanceForm,
    ClassMarketForm,
    ScheduleForm,
    ShockForm,
)
from academy.labs.models import MarketKind, MarketStatus, SandboxMarket
from academy.labs.refusals import engine_message
from academy.labs.views import bp
from academy.learning import queries as learning_queries
from academy.learning.models import SchoolClass
from sandbox import Market

TEACHING_ROLES = (Role.TEACHER, Role.ORG_ADMIN)

#: Platform refusals, translated by their stable code.
REFUSALS = {
    "market_paused": _l("The market is paused: resume it before advancing the clock."),
    "market_finished": _l("This market has finished; its clock cannot move any more."),
    "days_invalid": _l("Advance between 1 and %(max)s days.", max=markets.MAX_ADVANCE_DAYS),
    "status_invalid": _l("The market cannot change to that state now."),
    "scenario_invalid": _l("This scenario cannot be loaded."),
    "buyers_invalid": _l("The number of buyers cannot be negative."),
    "bot_unknown": _l("Unknown bot strategy."),
    "bot_count_invalid": _l("Enter between 0 and %(max)s.", max=teaching.MAX_BOTS),
    "firm_exists": _l("This student already runs a firm in this market."),
    "firm_not_student": _l("Students can only join a student firm of this market."),
    "team_size_invalid": _l("Enter between 1 and %(max)s.", max=teaching.MAX_TEAM_SIZE),
    "market_not_found": _l("This market does not exist."),
    "tick_minutes_invalid": _l("Choose between 1 and %(max)s minutes.", max=clock.MAX_TICK_MINUTES),
    "creation_key_used": _l("This form was already used; reload the page and try again."),
}


def refusal_text(error: OperationError) -> str:
    """The refusal in the reader's language (the English message for unknown codes)."""
    text = REFUSALS.get(error.code)
    return str(text) if text is not None else str(error.message)


def _translated(error: OperationError) -> OperationError:
    return OperationError(refusal_text(error), field=error.field, code=error.code)


@bp.context_processor
def teacher_helpers() -> dict[str, Any]:
    return {
        "market_status_labels": labels.MarketState.as_dict(),
        "kpi_labels": labels.Kpi.as_dict(),
        "step_labels": labels.PipelineStep.as_dict(),
        "event_labels": labels.EventName.as_dict(),
        "customs_class_labels": labels.CustomsClass.as_dict(),
        "bot_labels": labels.BotStrategy.as_dict(),
    }


# --- loaders -------------------------------------------------------------------------


def get_taught_class_or_404(class_id: int) -> SchoolClass:
    """A class the current user teaches: 404 if it does not exist, else 403."""
    school_class = learning_queries.get_class(class_id)
    if school_class is None:
        abort(404)
    require(can(current_user, "class.teach", school_class))
    return school_class


def get_class_market_or_404(market_id: int) -> SandboxMarket:
    """A class market of a class the current user teaches: 404, else 403."""
    market = queries.get_market(market_id)
    if market is None or market.kind != MarketKind.CLASS_MARKET or market.school_class is None:
        abort(404)
    require(can(current_user, "class.teach", market.school_class))
    return market


def _firm_or_404(market: SandboxMarket, firm_id: str):
    firm = queries.firm_of_market(market, firm_id)
    if firm is None:
        abort(404)
    return firm


# --- a class's markets ---------------------------------------------------------------------


def _market_form(**kwargs: Any) -> ClassMarketForm:
    return ClassMarketForm(scenarios=teaching.scenario_choices(), **kwargs)


@bp.route("/teach/classes/<int:class_id>/markets")
@require_role(*TEACHING_ROLES)
def list_class_markets(class_id: int):
    return _render_class_markets(get_taught_class_or_404(class_id), _market_form())


def _render_class_markets(school_class: SchoolClass, form: ClassMarketForm, status: int = 200):
    return render_template(
        "labs/teacher_markets.html",
        school_class=school_class,
        class_markets=queries.markets_of_class(school_class.id),
        students=teaching.class_students(school_class),
        form=form,
    ), status


@bp.route("/teach/classes/<int:class_id>/markets", methods=["POST"])
@require_role(*TEACHING_ROLES)
def create_class_market(class_id: int):
    school_class = get_taught_class_or_404(class_id)
    form = _market_form()
    if form.validate_on_submit():
        try:
            existing = teaching.market_of_creation_key(school_class, form.creation_key.data or "")
        except OperationError as error:
            show_operation_error(form, _translated(error))
            return _render_class_markets(school_class, form, status=400)
        if existing is not None:
            flash(_("This market was already created; here it is."), "info")
            return redirect(url_for("labs.show_class_market", market_id=existing.id))
        try:
            market = teaching.create_class_market(
                school_class,
                current_user,
                scenario=form.scenario.data,
                seed=form.seed.data,
                name=form.name.data or "",
                buyers=form.buyers.data,
                bot_count=required(form.bot_count.data),
                bot_strategies=form.bot_strategies.data or (),
                team_size=form.team_size.data or 1,
                creation_key=form.creation_key.data or None,
            )
        except OperationError as error:
            show_operation_error(form, _translated(error))
        else:
            flash(_("The market was created and is running on sim-day 0."), "success")
            return redirect(url_for("labs.show_class_market", market_id=market.id))
    return _render_class_markets(school_class, form, status=400)


# --- one market ---------------------------------------------------------------------------


@bp.route("/teach/markets/<int:market_id>")
@require_role(*TEACHING_ROLES)
def show_class_market(market_id: int):
    return _render_market(get_class_market_or_404(market_id), AdvanceForm())


def shock_form_for(engine_market: Market, **kwargs: Any) -> ShockForm:
    """The "Inject an event" form with choices drawn from the market's world."""
    return ShockForm(choices=shocks.shock_choices(engine_market), **kwargs)


def _render_market(
    market: SandboxMarket,
    advance_form: AdvanceForm,
    status: int = 200,
    shock_form: ShockForm | None = None,
    schedule_form: ScheduleForm | None = None,
):
    sort = request.args.get("sort", "net_profit")
    if sort not in labels.Kpi.as_dict():
        sort = "net_profit"
    engine_market = markets.open_market(market)
    return render_template(
        "labs/teacher_market.html",
        market=market,
        date=engine_market.world.date_of(engine_market.state.day),
        rows=teaching.leaderboard(market, sort, engine_market=engine_market),
        kpi_columns=teaching.KPI_COLUMNS,
        sort=sort,
        advance_form=advance_form,
        schedule_form=schedule_form or ScheduleForm(tick_minutes=market.tick_minutes),
        students_without_firm=teaching.students_without_firm(market),
        action_form=ConfirmForm(),
        MarketStatus=MarketStatus,
        shock_form=shock_form or shock_form_for(engine_market),
        market_shocks=shocks.market_shocks(engine_market),
    ), status


@bp.route("/teach/markets/<int:market_id>/advance", methods=["POST"])
@require_role(*TEACHING_ROLES)
def advance_class_market(market_id: int):
    market = get_class_market_or_404(market_id)
    form = AdvanceForm()
    if form.validate_on_submit():
        repeat = repeat_of(form)
        if repeat is not None:
            return repeat
        try:
            result = markets.advance_market(market, required(form.days.data), by=current_user)
        except OperationError as error:
            show_operation_error(form, _translated(error))
        else:
            flash(
                _(
                    "The clock moved %(days)s days; the market is on sim-day %(day)s.",
                    days=result["days"],
                    day=result["sim_day"],
                ),
                "success",
            )
            return made(form, url_for("labs.show_class_market", market_id=market.id))
    return _render_market(market, form, status=400)


@bp.route("/teach/markets/<int:market_id>/schedule", methods=["POST"])
@require_role(*TEACHING_ROLES)
def schedule_class_market(market_id: int):
    market = get_class_market_or_404(market_id)
    form = ScheduleForm()
    if form.validate_on_submit():
        try:
            market = clock.set_market_schedule(market, form.chosen_minutes)
        except OperationError as error:
            show_operation_error(form, _translated(error))
        else:
            if market.tick_minutes is None:
                flash(
                    _("The schedule is off: the clock moves only when you advance it."), "success"
                )
            else:
                flash(
                    ngettext(
                        "The clock plays a sim-day every minute.",
                        "The clock plays a sim-day every %(num)s minutes.",
                        market.tick_minutes,
                    ),
                    "success",
                )
            return redirect(url_for("labs.show_class_market", market_id=market.id))
    return _render_market(market, AdvanceForm(formdata=None), 422, schedule_form=form)


@bp.route("/teach/markets/<int:market_id>/add-firms", methods=["POST"])
@require_role(*TEACHING_ROLES)
def add_class_market_firms(market_id: int):
    market = get_class_market_or_404(market_id)
    if ConfirmForm().validate_on_submit():
        try:
            firms = teaching.add_missing_firms(market)
        except OperationError as error:
            db.session.rollback()
            flash(refusal_text(error), "error")
        else:
            flash(_("Firms added: %(count)s.", count=len(firms)), "success")
    return redirect(url_for("labs.show_class_market", market_id=market_id))


def _change_status(market_id: int, change, done: str):
    market = get_class_market_or_404(market_id)
    if ConfirmForm().validate_on_submit():
        try:
            change(market)
        except OperationError as error:
            db.session.rollback()
            flash(refusal_text(error), "error")
        else:
            flash(done, "success")
    return redirect(url_for("labs.show_class_market", market_id=market_id))


@bp.route("/teach/markets/<int:market_id>/pause", methods=["POST"])
@require_role(*TEACHING_ROLES)
def pause_class_market(market_id: int):
    return _change_status(
        market_id, markets.pause_market, _("The market is paused: students cannot act.")
    )


@bp.route("/teach/markets/<int:market_id>/resume", methods=["POST"])
@require_role(*TEACHING_ROLES)
def resume_class_market(market_id: int):
    return _change_status(market_id, markets.resume_market, _("The market is running again."))


@bp.route("/teach/markets/<int:market_id>/finish", methods=["POST"])
@require_role(*TEACHING_ROLES)
def finish_class_market(market_id: int):
    return _change_status(
        market_id, markets.finish_market, _("The market has finished; its results are kept.")
    )


@bp.route("/teach/markets/<int:market_id>/results.csv")
@require_role(*TEACHING_ROLES)
def export_class_market_results(market_id: int):
    market = get_class_market_or_404(market_id)
    rows = teaching.leaderboard(market, request.args.get("sort", "net_profit"))
    filename = f"market-{market.id}-day-{market.sim_day}-results.csv"
    return Response(
        teaching.leaderboard_csv(market, rows),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


# --- one firm -------------------------------------------------------------------------------


@bp.route("/teach/markets/<int:market_id>/firms/<firm_id>")
@require_role(*TEACHING_ROLES)
def show_class_market_firm(market_id: int, firm_id: str):
    market = get_class_market_or_404(market_id)
    firm = _firm_or_404(market, firm_id)
    return _render_firm(market, firm, _member_form(market, firm))


def _member_form(market: SandboxMarket, firm, **kwargs: Any) -> AddMemberForm | None:
    """The "add a student to this firm" form, or None for bots and finished markets."""
    if firm.is_bot or market.status == MarketStatus.FINISHED:
        return None
    form = AddMemberForm(**kwargs)
    form.user_id.choices = [
        (student.id, student.display_name) for student in teaching.students_without_firm(market)
    ]
    return form


def _render_firm(market: SandboxMarket, firm, member_form, status: int = 200):
    return render_template(
        "labs/teacher_firm.html",
        market=market,
        firm=firm,
        member_form=member_form,
        books=teaching.firm_books(market, firm.firm_id),
        timeline=teaching.firm_timeline(market, firm.firm_id),
        contributions=teaching.contributions(market, firm.firm_id),
        engine_message=engine_message,
    ), status


@bp.route("/teach/markets/<int:market_id>/firms/<firm_id>/members", methods=["POST"])
@require_role(*TEACHING_ROLES)
def add_class_market_member(market_id: int, firm_id: str):
    market = get_class_market_or_404(market_id)
    firm = _firm_or_404(market, firm_id)
    form = _member_form(market, firm)
    if form is None:
        abort(404)
    if form.validate_on_submit():
        student = db.session.get_one(User, required(form.user_id.data))
        try:
            markets.add_member(market, firm, student)
        except OperationError as error:
            show_operation_error(form, _translated(error))
        else:
            flash(
                _(
                    "%(student)s now acts for %(firm)s.",
                    student=student.display_name,
                    firm=firm.display_name,
                ),
                "success",
            )
            return redirect(
                url_for("labs.show_class_market_firm", market_id=market.id, firm_id=firm.firm_id)
            )
    return _render_firm(market, firm, form, status=400)


@bp.route("/teach/markets/<int:market_id>/firms/<firm_id>/debrief")
@require_role(*TEACHING_ROLES)
def debrief_class_market_firm(market_id: int, firm_id: str):
    market = get_class_market_or_404(market_id)
    firm = _firm_or_404(market, firm_id)
    days = teaching.firm_debrief(market, firm.firm_id)
    return render_template(
        "labs/teacher_debrief.html",
        market=market,
        firm=firm,
        days=days,
        cash_points=teaching.chart_points([day["kpis"]["cash"] for day in days]),
        profit_points=teaching.chart_points([day["kpis"]["net_profit"] for day in days]),
    )
