"""The lab checks' texts in the reader's language.

The checks (``academy.labs.checks``) stay free of Flask: each criterion, and each line
of ``Check.describe``, is an English message with ``%(name)s`` placeholders plus the
values to fill in. This module lists every such message in ``_l()`` so the translation
catalogue holds it, and :func:`check_text` looks a message up by its English text and
fills in the values, as ``academy.labs.refusals.engine_message`` does for engine codes. A
test keeps the list in step with the checks' source.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

__all__ = ["CHECK_TEXTS", "check_text"]

#: Every message a check or its description can show, as written in the checks.
CHECK_TEXTS = (
    _l("customs accepts and releases your export declarations"),
    _l("the tax office pays you export VAT rebates"),
    _l("customs fined you %(count)s times for misdeclaration%(which)s (at most %(limit)s allowed)"),
    _l("customs releases at least %(value)s of your export declarations"),
    _l("the single window refuses at most %(value)s of your declarations"),
    _l("at most %(value)s declared fields disagree with the contract or shipment"),
    _l("customs fines you for misdeclaration at most %(value)s times"),
    _l("a released declaration under each supervision mode: %(value)s"),
    _l("customs released %(count)s of your declarations (%(needed)s needed)"),
    _l("only goods under HS code %(value)s count"),
    _l("the tax office pays the export VAT rebate on at least %(value)s contracts"),
    _l("each of them keeps a gross margin of at least %(value)s %% after the VAT not refunded"),
    _l("the tax office paid rebates on %(count)s contracts%(goods)s (%(needed)s needed)"),
    _l("the single window refused %(count)s declarations%(fields)s (at most %(limit)s allowed)"),
    _l(
        "%(count)s declared fields disagreed with the contract or shipment%(fields)s (at most %(limit)s allowed)"
    ),
    _l("a declaration under supervision mode %(mode)s was %(state)s"),
    _l("%(good)s of them kept a gross margin of at least %(minimum)s %%%(thin)s"),
    _l("the bank honours documents you present under a letter of credit"),
    _l("your firm stays solvent and safe"),
    _l("the bank honours your documents by presentation number %(value)s at the latest"),
    _l("you present the complying documents at most %(value)s days after shipment"),
    _l("the credit you present under has no soft clause"),
    _l("your firm runs for %(value)s sim-days and ends them with positive cash"),
    _l("the platform rules at most %(value)s disputes against you"),
    _l(
        "at most %(value)s %% of what buyers owe you has no letter of credit, escrow or credit insurance behind it"
    ),
    _l("your firm has run %(ran)s of the %(days)s sim-days"),
    _l("cash at the end of day %(day)s: CNY %(cny)s%(negative)s"),
    _l("none of your %(contracts)s contracts is paid by letter of credit yet"),
    _l("the bank honoured presentation %(number)s under the credit of %(contract)s"),
    _l(
        "no complying presentation yet under the credit of %(contract)s (%(presented)s presented%(codes)s)"
    ),
    _l("the credit you worked under %(state)s"),
    _l("the platform ruled %(lost)s disputes against you (at most %(limit)s allowed)"),
    _l(
        "%(share)s %% of the USD %(open)s your buyers still owe has no L/C, escrow or credit insurance behind it (at most %(limit)s %% allowed)"
    ),
    _l("none of your %(used)s presentations complied (the lab allows %(limit)s to get it right)"),
    _l("the complying presentation was number %(used)s (at most %(limit)s allowed)"),
    _l(
        "there is no complying presentation to time against the shipment (at most %(limit)s days allowed)"
    ),
    _l(
        "the complying documents were presented %(took)s days after shipment (at most %(limit)s allowed)"
    ),
    _l("a buyer awards your firm an RFQ"),
    _l("a shipment of yours arrives at its destination"),
    _l("%(late)s of %(total)s inquiries were answered later than %(hours)s hours%(which)s"),
    _l("the contract is on the Incoterms rule %(value)s"),
    _l("the goods go by %(value)s"),
    _l("the buyer is in %(value)s"),
    _l("the awarded price keeps a gross margin of at least %(value)s %%"),
    _l("you send at most %(value)s quotes up to the award"),
    _l("every buyer inquiry is answered within %(value)s hours"),
    _l("the shipment goes to a buyer in %(value)s"),
    _l("it goes by %(value)s"),
    _l("it arrives at most %(value)s days after the award"),
    _l("freight and local charges are at most %(value)s %% of the contract value"),
    _l("the platform upholds at most %(value)s buyer claims against the shipment"),
    _l("a buyer awarded your firm contract %(contract)s on day %(day)s"),
    _l("no buyer has awarded your firm an RFQ yet (%(quotes)s quotes sent)"),
    _l("you sent %(sent)s quotes (at most %(limit)s allowed)"),
    _l("contract %(contract)s arrived in %(market)s on day %(day)s"),
    _l("no shipment of yours has arrived%(where)s yet (%(contracts)s contracts won)"),
    _l("the contract is on %(actual)s; the lab asks for %(incoterm)s"),
    _l("the goods go by %(actual)s; the lab asks for %(mode)s"),
    _l("the buyer is in %(actual)s; the lab asks for a buyer in %(market)s"),
    _l("the gross margin at the awarded price is %(margin)s %% (at least %(minimum)s %% required)"),
    _l("it arrived %(took)s days after the award (at most %(limit)s allowed)"),
    _l("a buyer agrees to your terms by letter and signs the contract"),
    _l("the agreed price keeps a gross margin of at least %(value)s %%"),
    _l("you agree within %(value)s letters"),
    _l("no buyer has agreed to your terms by letter yet (%(letters)s letters sent)"),
    _l("the buyer agreed to your letter: contract %(contract)s on day %(day)s"),
    _l("the gross margin at the agreed price is %(margin)s %% (at least %(minimum)s %% required)"),
    _l("you agreed in %(rounds)s letters (at most %(limit)s allowed)"),
    _l(
        "freight and local charges were %(share)s %% of the contract value (at most %(limit)s %% allowed)"
    ),
    _l(
        "the platform upheld %(lost)s buyer claims against this shipment (at most %(limit)s allowed)"
    ),
    _l("your certificate of origin brings the buyer's import duty down to the preferential rate"),
    _l("the certificate is issued under %(value)s"),
    _l("the certificate is ready by the day the goods are cleared at import"),
    _l("you choose the scheme that gives the buyer the lowest duty rate"),
    _l(
        "none of your %(contracts)s contracts exports goods to a buyer whose market grants preference on them (%(markets)s)"
    ),
    _l(
        "you did not apply for a certificate of origin on contract %(contract)s to %(market)s (without one the buyer pays %(mfn)s %% duty)"
    ),
    _l(
        "you applied for a %(scheme)s certificate of origin on contract %(contract)s to %(market)s on day %(day)s"
    ),
    _l("the certificate is under %(scheme)s; the lab accepts %(accepted)s"),
    _l(
        "your certificate brings the duty to %(rate)s %%; the lowest rate on offer is %(best)s %% under %(best_scheme)s"
    ),
    _l("no certificate of origin was ready for import clearance"),
    _l(
        "the goods have not been cleared at import yet (your certificate is ready on day %(ready)s)"
    ),
    _l(
        "your certificate was ready only on day %(ready)s, after the goods were cleared at import on day %(cleared)s: the buyer paid %(mfn)s %% duty"
    ),
    _l(
        "your certificate was ready on day %(ready)s and the goods were cleared at import on day %(cleared)s: the buyer pays %(rate)s %% duty instead of %(mfn)s %% (about USD %(saved)s saved on the invoice value)"
    ),
)


def check_text(message: str, values: dict[str, Any] | None = None) -> str:
    """Return a check's message in the reader's language with its values filled in.

    A message missing from the catalogue falls back to the English text.
    """
    translated = gettext(message)
    try:
        return translated % values if values else translated.replace("%%", "%")
    except (KeyError, TypeError, ValueError):  # a translation that lost a placeholder
        return message % values if values else message.replace("%%", "%")
