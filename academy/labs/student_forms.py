"""Forms of a student's firm pages: quotations and the next step of each contract.

Every form that sends an engine command carries the firm's id (checked by the
persistence layer, so a forged id is refused) and an idempotency key made when the
form is rendered, so a double-clicked submit is applied once.
"""

from __future__ import annotations

import secrets
import unicodedata
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from academy.forms import IntegerField
from academy.numbers import NumberField
from academy.validators import strip_whitespace

#: Beyond any price or amount the sandbox's markets use; larger input is a typo or a probe.
MAX_UNIT_PRICE = Decimal("1000000")
MAX_AMOUNT = Decimal("1000000000")


def new_key() -> str:
    """A fresh idempotency key for one rendering of a form."""
    return secrets.token_urlsafe(18)


class CommandForm(FlaskForm):
    """Base of the forms that send an engine command for the student's firm."""

    firm_id = HiddenField()
    idempotency_key = HiddenField(default=new_key)

    #: Hidden fields whose errors are shown at the top of the form.
    hidden_fields = ("firm_id", "idempotency_key", "command")

    def refresh_key(self) -> None:
        self.idempotency_key.data = new_key()


class QuoteForm(CommandForm):
    unit_price = NumberField(
        _l("Unit price (USD)"),
        minimum=Decimal("0.01"),
        maximum=MAX_UNIT_PRICE,
        round_to=2,
        below_message=_l("The price must be positive."),
        validators=[InputRequired(_l("Enter a unit price."))],
        description=_l("Per unit, in US dollars, under the Incoterms rule you choose."),
    )
    incoterm = SelectField(_l("Incoterms rule"), validators=[InputRequired()])
    payment = SelectField(_l("Payment terms"), validators=[InputRequired()])
    lane_id = SelectField(_l("Lane"), validators=[InputRequired()])
    lead_days = IntegerField(
        _l("Lead time (days)"),
        validators=[
            InputRequired(_l("Enter a lead time in days.")),
            NumberRange(min=1, max=120, message=_l("The lead time must be 1 to 120 days.")),
        ],
    )


class EditQuoteForm(CommandForm):
    unit_price = NumberField(
        _l("New unit price (USD)"),
        minimum=Decimal("0.01"),
        maximum=MAX_UNIT_PRICE,
        round_to=2,
        below_message=_l("The price must be positive."),
        validators=[InputRequired(_l("Enter a unit price."))],
        description=_l("The platform lets you change a quotation's price once."),
    )


class NegotiateForm(CommandForm):
    """A counter-proposal to the buyer of an RFQ the firm has quoted, with a letter."""

    unit_price = NumberField(
        _l("Unit price (USD)"),
        minimum=Decimal("0.01"),
        maximum=MAX_UNIT_PRICE,
        round_to=2,
        below_message=_l("The price must be positive."),
        validators=[InputRequired(_l("Enter a unit price."))],
        description=_l("Per unit, in US dollars, under the Incoterms rule you propose."),
    )
    incoterm = SelectField(_l("Incoterms rule"), validators=[InputRequired()])
    payment = SelectField(_l("Payment terms"), validators=[InputRequired()])
    lead_days = IntegerField(
        _l("Lead time (days)"),
        validators=[
            InputRequired(_l("Enter a lead time in days.")),
            NumberRange(min=1, max=120, message=_l("The lead time must be 1 to 120 days.")),
        ],
    )
    message = TextAreaField(
        _l("Your letter"),
        filters=[strip_whitespace],
        validators=[
            Optional(),
            Length(max=1000, message=_l("A letter has at most 1000 characters.")),
        ],
        description=_l("Optional: what you say to the buyer with your proposal."),
    )

    def validate_message(self, field: TextAreaField) -> None:
        """A letter is stored in the market's log: no control or direction marks."""
        text = field.data or ""
        if any(unicodedata.category(ch).startswith("C") for ch in text if ch not in "\r\n\t"):
            raise ValidationError(
                _l(
                    "Use letters, digits, spaces and punctuation only: no control or direction marks."
                )
            )


class HelperForm(FlaskForm):
    """The price helper's inputs (a GET form, no CSRF token needed)."""

    class Meta:
        csrf = False

    lane = SelectField(_l("Lane"))
    margin = NumberField(
        _l("Margin on cost (%)"),
        minimum=0,
        maximum=200,
        round_to=1,
        below_message=_l("Enter a margin from 0 to 200 per cent."),
        default=Decimal("12"),
    )


class PurchaseForm(CommandForm):
    supplier_id = SelectField(_l("Supplier"), validators=[InputRequired()])


class CheckboxesField(SelectMultipleField):
    """Several choices as a list of checkboxes (works without JavaScript)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class FreightForm(CommandForm):
    """The booking: cargo insurance, the papers dangerous goods need, cold chain."""

    insure = BooleanField(_l("Insure the cargo"))
    documents = CheckboxesField(
        _l("Dangerous goods papers handed to the carrier"),
        description=_l("The carrier refuses the booking when a paper is missing."),
    )
    cold_chain = BooleanField(
        _l("Book a reefer container or cold-chain air"),
        description=_l("Frozen goods travel at -18 °C at the reefer rate."),
    )


class SimpleStepForm(CommandForm):
    """A step with nothing to fill in (claim the rebate)."""


class OriginCertificateForm(CommandForm):
    """Apply for a preferential certificate of origin (Form E, RCEP) for one contract."""

    scheme = SelectField(_l("Certificate of origin"), validators=[InputRequired()])


def _text(label, **kwargs):
    return StringField(
        label,
        validators=[DataRequired(_l("This box is required.")), Length(max=80)],
        filters=[strip_whitespace],
        **kwargs,
    )


def _number(label, **kwargs):
    return IntegerField(
        label, validators=[InputRequired(_l("This box is required.")), NumberRange(min=0)], **kwargs
    )


class DeclarationForm(CommandForm):
    """The export declaration (报关单), one field per box."""

    consignor_code = _text(_l("Consignor (18-digit credit code)"))
    consignee = _text(_l("Overseas consignee"))
    contract_no = _text(_l("Contract number"))
    supervision_mode = _text(_l("Supervision mode"), description=_l("Four digits, e.g. 0110."))
    transaction_mode = _text(_l("Transaction mode"), description=_l("CIF, CFR, FOB, C&I or EXW."))
    transport_mode = _text(
        _l("Transport mode"), description=_l("2 waterway, 3 railway, 4 road, 5 air, 6 postal.")
    )
    port_of_exit = _text(_l("Port of exit"))
    trading_country = _text(_l("Trading country"))
    destination_country = _text(_l("Country of destination"))
    hs_code = _text(_l("HS code"), description=_l("Ten digits."))
    goods_name = _text(_l("Goods description"))
    quantity = _number(_l("Quantity"))
    unit = _text(_l("Unit"))
    package_count = _number(_l("Packages"))
    net_weight_kg = _number(_l("Net weight (kg)"))
    gross_weight_kg = _number(_l("Gross weight (kg)"))
    currency = _text(lazy_pgettext("customs declaration box", "Currency"))
    declared_value = _number(_l("Declared value (minor units)"))
    freight = StringField(
        _l("Freight"),
        validators=[Optional(), Length(max=40)],
        filters=[strip_whitespace],
        description=_l(
            "Currency/value/mark, e.g. USD/2800/3. Marks: 1 rate, 2 per tonne, 3 total. "
            "Filled under CFR and CIF, empty under FOB."
        ),
    )
    insurance = StringField(
        _l("Insurance"),
        validators=[Optional(), Length(max=40)],
        filters=[strip_whitespace],
        description=_l(
            "Currency/value/mark, e.g. USD/120/3. Marks: 1 rate, 3 total. "
            "Filled under CIF, empty under FOB and CFR."
        ),
    )

    BOXES = (
        "consignor_code",
        "consignee",
        "contract_no",
        "supervision_mode",
        "transaction_mode",
        "transport_mode",
        "port_of_exit",
        "trading_country",
        "destination_country",
        "hs_code",
        "goods_name",
        "quantity",
        "unit",
        "package_count",
        "net_weight_kg",
        "gross_weight_kg",
        "currency",
        "declared_value",
        "freight",
        "insurance",
    )

    #: The boxes grouped as on the printed form: parties, regime and transport, goods.
    SECTIONS = (
        (_l("Parties and contract"), ("consignor_code", "consignee", "contract_no")),
        (
            _l("Customs regime and transport"),
            (
                "supervision_mode",
                "transaction_mode",
                "transport_mode",
                "port_of_exit",
                "trading_country",
                "destination_country",
            ),
        ),
        (
            _l("Goods"),
            (
                "hs_code",
                "goods_name",
                "quantity",
                "unit",
                "package_count",
                "net_weight_kg",
                "gross_weight_kg",
                "currency",
                "declared_value",
            ),
        ),
        (_l("Freight and insurance"), ("freight", "insurance")),
    )

    def declaration(self) -> dict:
        boxes = {name: getattr(self, name).data for name in self.BOXES}
        for name in ("freight", "insurance"):
            boxes[name] = boxes[name] or ""
        return boxes


class DocumentsForm(CommandForm):
    """A presentation under a letter of credit: the data the bank examines."""

    invoice_amount = _number(_l("Invoice amount (US cents)"))
    invoice_description = _text(_l("Goods description on the invoice"))
    invoice_quantity = _number(_l("Quantity on the invoice"))
    packing_list_quantity = _number(_l("Quantity on the packing list"))
    bl_port_of_loading = _text(_l("Port of loading on the transport document"))
    insurance_amount = IntegerField(
        _l("Insured amount (US cents)"),
        validators=[Optional(), NumberRange(min=0)],
        description=_l("Leave empty when the credit asks for no insurance document."),
    )
    invoice_unit_price = IntegerField(
        _l("Unit price on the invoice (US cents)"),
        validators=[Optional(), NumberRange(min=0)],
        description=_l("Within the credit's unit price and its tolerance (art. 30)."),
    )
    packing_list_description = StringField(
        _l("Goods description on the packing list"),
        validators=[Optional(), Length(max=80)],
        filters=[strip_whitespace],
        description=_l("General terms are enough if they do not conflict with the credit."),
    )
    transport_description = StringField(
        _l("Goods description on the transport document"),
        validators=[Optional(), Length(max=80)],
        filters=[strip_whitespace],
        description=_l("General terms are enough if they do not conflict with the credit."),
    )
    documents = CheckboxesField(_l("Documents presented"))

    BOXES = (
        "invoice_amount",
        "invoice_description",
        "invoice_quantity",
        "invoice_unit_price",
        "packing_list_quantity",
        "packing_list_description",
        "bl_port_of_loading",
        "transport_description",
        "insurance_amount",
        "documents",
    )

    def presentation(self) -> dict:
        # An empty optional box is a document that does not state that figure.
        return {name: getattr(self, name).data or None for name in self.BOXES} | {
            name: getattr(self, name).data for name in DocumentsForm.REQUIRED
        }

    REQUIRED = (
        "invoice_amount",
        "invoice_description",
        "invoice_quantity",
        "packing_list_quantity",
        "bl_port_of_loading",
        "documents",
    )


class ForwardForm(CommandForm):
    """Sell US dollars forward to the bank (远期结汇)."""

    amount = NumberField(
        _l("Amount (USD)"),
        minimum=Decimal("0.01"),
        maximum=MAX_AMOUNT,
        round_to=2,
        below_message=_l("The amount must be positive."),
        validators=[InputRequired(_l("Enter the amount in US dollars."))],
        description=_l("At most your open receivables not yet covered by a forward."),
    )
    days = IntegerField(
        _l("Tenor (days)"),
        default=30,
        validators=[
            InputRequired(_l("Enter the tenor in days.")),
            NumberRange(min=7, max=180, message=_l("The tenor must be 7 to 180 days.")),
        ],
    )


class DisputeOfferForm(CommandForm):
    """A refund offered to settle a Trade-Assurance dispute in negotiation."""

    refund_rate = NumberField(
        _l("Refund (per cent of the order)"),
        minimum=0,
        maximum=100,
        round_to=1,
        below_message=_l("The refund must be between 0 and 100 per cent."),
        validators=[InputRequired(_l("Enter the refund as a percentage of the order."))],
    )
