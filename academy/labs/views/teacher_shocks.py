"""Teachers inject events into a class market; students read them as market news.

The POST route loads the market with the teachers' loader (the class's teacher, its
school's admins and site admins), validates the form, and calls
``academy.labs.shocks.inject_shock`` once. A refusal goes on the field at fault and
the page is shown again with status 422; nothing is written.
"""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _

from academy.auth.permissions import require_role
from academy.errors import OperationError
from academy.forms import show_operation_error
from academy.labs import labels, markets, shocks
from academy.labs.forms import AdvanceForm
from academy.labs.views import bp
from academy.labs.views.teacher import (
    TEACHING_ROLES,
    _render_market,
    get_class_market_or_404,
    shock_form_for,
)
from sandbox import SHOCK_KINDS, Market


@bp.app_template_global()
def market_news(engine_market: Market) -> list[shocks.ShockRow]:
    """The shocks students should know about today (for the "Market news" box)."""
    return shocks.market_news(engine_market)


@bp.route("/teach/markets/<int:market_id>/shocks", methods=["POST"])
@require_role(*TEACHING_ROLES)
def inject_class_market_shock(market_id: int):
    market = get_class_market_or_404(market_id)
    form = shock_form_for(markets.open_market(market))
    if form.validate_on_submit():
        try:
            shock = shocks.inject_shock(
                market, form.kind.data, form.params(SHOCK_KINDS[form.kind.data].params)
            )
        except OperationError as error:
            message = shocks.shock_message(error)
            show_operation_error(form, OperationError(message, field=error.field, code=error.code))
        else:
            flash(
                _(
                    "%(kind)s injected from sim-day %(day)s.",
                    kind=labels.ShockKind.label_of(shock["kind"]),
                    day=shock["start_day"],
                ),
                "success",
            )
            return redirect(
                url_for("labs.show_class_market", market_id=market.id) + "#shocks-heading"
            )
    return _render_market(market, AdvanceForm(), status=422, shock_form=form)
