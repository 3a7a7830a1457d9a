"""Forms of the teachers' class-market pages: creating a market, running its clock."""

from __future__ import annotations

import secrets

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from academy.forms import IntegerField, OnceForm
from academy.labs.clock import MAX_TICK_MINUTES
from academy.labs.labels import BotStrategy
from academy.labs.markets import MAX_ADVANCE_DAYS
from academy.labs.teaching import MAX_BOTS, MAX_TEAM_SIZE
from academy.labs.world_names import world_name
from academy.validators import strip_whitespace


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ClassMarketForm(FlaskForm):
    name = StringField(
        _l("Market name"),
        validators=[Optional(), Length(max=120)],
        filters=[strip_whitespace],
        description=_l("Leave empty to use the scenario's title."),
    )
    scenario = SelectField(
        _l("Scenario"), validators=[DataRequired(_l("Choose the world the market plays in."))]
    )
    seed = IntegerField(
        _l("Seed"),
        validators=[
            Optional(),
            NumberRange(min=0, max=2**31 - 1, message=_l("Enter a whole number from 0.")),
        ],
        description=_l(
            "The same scenario and seed give the same world. Leave empty for the scenario's own."
        ),
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )
    buyers = IntegerField(
        _l("Buyers"),
        validators=[
            Optional(),
            NumberRange(min=1, max=2000, message=_l("Enter between 1 and 2000 buyers.")),
        ],
        description=_l("Synthetic overseas buyers. Leave empty for the scenario's population."),
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )
    bot_count = IntegerField(
        _l("Bot rivals"),
        default=0,
        validators=[
            InputRequired(_l("Enter how many bot firms to add (0 for none).")),
            NumberRange(
                min=0, max=MAX_BOTS, message=_l("Enter between 0 and %(max)s.", max=MAX_BOTS)
            ),
        ],
        description=_l("Firms played by the computer that compete with your students."),
        render_kw={"inputmode": "numeric"},
    )
    bot_strategies = MultiCheckboxField(
        _l("Bot strategies"),
        default=[strategy.value for strategy in BotStrategy],
        description=_l("The bots play the ticked strategies in turn."),
    )
    team_size = IntegerField(
        _l("Students per firm"),
        default=1,
        validators=[
            Optional(),
            NumberRange(
                min=1,
                max=MAX_TEAM_SIZE,
                message=_l("Enter between 1 and %(max)s.", max=MAX_TEAM_SIZE),
            ),
        ],
        description=_l(
            "1 gives every student a firm of their own; more makes teams in class-list order."
        ),
        render_kw={"inputmode": "numeric"},
    )

    # A fresh token with every rendered form: submitting the same form twice (a double
    # click, a reload) finds the market the first submit made instead of making another.
    creation_key = HiddenField(validators=[Optional(), Length(max=80)])

    def __init__(self, *args, scenarios=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.creation_key.data:
            self.creation_key.data = secrets.token_urlsafe(24)
        self.scenario.choices = [
            (
                item["name"],
                f"{world_name(item['title'])} ({item['name']})" if item["title"] else item["name"],
            )
            for item in scenarios
        ]
        self.bot_strategies.choices = BotStrategy.choices()


class AdvanceForm(OnceForm):
    days = IntegerField(
        _l("Days"),
        default=1,
        validators=[
            InputRequired(_l("Enter the number of sim-days.")),
            NumberRange(
                min=1,
                max=MAX_ADVANCE_DAYS,
                message=_l("Advance between 1 and %(max)s days.", max=MAX_ADVANCE_DAYS),
            ),
        ],
        render_kw={"inputmode": "numeric"},
    )


class AddMemberForm(FlaskForm):
    """Put a student of the class who has no firm yet into a student firm (a team)."""

    user_id = SelectField(
        _l("Student"),
        coerce=int,
        validators=[InputRequired(_l("Choose a student."))],
    )


class ShockForm(FlaskForm):
    """Inject an event: its kind, then the fields that kind needs (others are ignored)."""

    kind = SelectField(_l("Event"), validators=[DataRequired(_l("Choose a kind of event."))])
    port = SelectField(_l("Port of loading (port strike)"), default="")
    market = SelectField(
        _l("Rail lanes to (rail disruption)"),
        default="",
        description=_l("Leave on all rail lanes to disrupt the whole corridor."),
    )
    currency = SelectField(_l("Currency (exchange-rate shock)"), default="")
    product_id = SelectField(_l("Product (customs crackdown)"), default="")
    buyer_id = SelectField(_l("Buyer (bankruptcy)"), default="")
    delay_days = IntegerField(
        _l("Extra days (port strike, rail disruption)"),
        validators=[Optional()],
        description=_l("Port strike: 1 to 60 days. Rail disruption: 0 to 60 days."),
        render_kw={"inputmode": "numeric"},
    )
    percent = IntegerField(
        _l("Per cent"),
        validators=[Optional()],
        description=_l(
            "Rail disruption: freight surcharge, 0 to 300. Exchange-rate shock: the jump, "
            "-50 to 50 (not 0). Customs crackdown: the inspection rate, 1 to 100."
        ),
        render_kw={"inputmode": "numeric"},
    )
    duration_days = IntegerField(
        _l("Duration in sim-days"),
        validators=[Optional()],
        description=_l(
            "1 to 90 days from today, for strikes, disruptions and crackdowns. An "
            "exchange-rate shock hits the next fixing; a bankruptcy is for good."
        ),
        render_kw={"inputmode": "numeric"},
    )

    #: Fields whose empty value means "not given".
    CHOICE_FIELDS = ("port", "market", "currency", "product_id", "buyer_id")

    def __init__(self, *args, choices=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name, options in (choices or {}).items():
            blank = [] if name in ("kind", "market") else [("", "—")]
            getattr(self, name).choices = blank + list(options)

    def params(self, names: tuple[str, ...]) -> dict:
        """The values of ``names`` (a kind's parameters); empty choices become None."""
        values = {}
        for name in names:
            value = getattr(self, name).data
            values[name] = (value or None) if name in self.CHOICE_FIELDS else value
        return values


class ScheduleForm(FlaskForm):
    tick_minutes = IntegerField(
        _l("A sim-day every … minutes"),
        validators=[
            Optional(),
            NumberRange(
                min=1,
                max=MAX_TICK_MINUTES,
                message=_l("Choose between 1 and %(max)s minutes.", max=MAX_TICK_MINUTES),
            ),
        ],
        description=_l(
            "From 1 to 1440 (one sim-day a day). The first day comes one interval from now."
        ),
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )
    save = SubmitField(_l("Start the schedule"))
    stop = SubmitField(_l("Stop the schedule"))

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        if not self.stop.data and self.tick_minutes.data is None:
            message = _l("Enter the number of minutes between two sim-days.")
            self.tick_minutes.errors = [*self.tick_minutes.errors, message]
            return False
        return True

    @property
    def chosen_minutes(self) -> int | None:
        """The interval asked for, or None to stop the schedule."""
        return None if self.stop.data else self.tick_minutes.data
