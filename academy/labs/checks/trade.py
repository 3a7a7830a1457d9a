"""Checks on winning and delivering orders: ``win_rfq`` and ``shipment_delivered``."""

from __future__ import annotations

from typing import Any, ClassVar

from academy.labs.checks.base import Check, Criterion, FirmLog, Param, as_decimal, percent
from sandbox import INCOTERMS, MODES, convert

__all__ = ["ShipmentDelivered", "WinRfq", "best_candidate", "mode_matches"]

#: Transport modes a course may name: the engine's lane modes plus ``sea`` for either.
TRANSPORT_MODES = (*MODES, "sea")


def mode_matches(wanted: str | None, mode: str) -> bool:
    """Return True if a lane mode fits the wanted mode (``sea`` covers FCL and LCL)."""
    if wanted is None:
        return True
    if wanted == "sea":
        return mode.startswith("sea_")
    return mode == wanted


def best_candidate(candidates: list[list[Criterion]]) -> list[Criterion] | None:
    """Return the candidate whose criteria pass most often (the earliest on a tie)."""
    best: list[Criterion] | None = None
    for criteria in candidates:
        if best is None or sum(c.passed for c in criteria) > sum(c.passed for c in best):
            best = criteria
    return best


def _humane(field: str) -> str:
    return field.replace("_", " ")


class WinRfq(Check):
    """A buyer awards the firm an RFQ on the required terms at the required margin."""

    name = "win_rfq"
    goal = "a buyer awards your firm an RFQ"
    summary = "Win an RFQ on a given Incoterm (and transport mode) at a minimum gross margin."
    params: ClassVar[dict[str, Param]] = {
        "incoterm": Param(
            "str",
            choices=tuple(INCOTERMS),
            help="Incoterms 2020 rule required",
            asks="the contract is on the Incoterms rule %(value)s",
        ),
        "transport_mode": Param(
            "str",
            choices=TRANSPORT_MODES,
            help="lane mode required (sea covers FCL and LCL)",
            asks="the goods go by %(value)s",
        ),
        "destination_market": Param(
            "str", help="buyer's country (ISO 3166 code)", asks="the buyer is in %(value)s"
        ),
        "min_gross_margin_percent": Param(
            "percent",
            help="lowest gross margin of the price",
            asks="the awarded price keeps a gross margin of at least %(value)s %%",
        ),
        "max_quotes": Param(
            "int",
            minimum=1,
            help="most quotes sent up to the award",
            asks="you send at most %(value)s quotes up to the award",
        ),
        "max_quotes_used": Param(
            "int",
            minimum=1,
            help="same as max_quotes (quota language)",
            asks="you send at most %(value)s quotes up to the award",
        ),
        "max_first_response_hours": Param(
            "int",
            minimum=1,
            help="every inquiry answered within this many sim-hours",
            asks="every buyer inquiry is answered within %(value)s hours",
        ),
    }

    def criteria(self, log: FirmLog, params: dict[str, Any]) -> list[Criterion]:
        candidates = [
            self._contract_rows(log, contract_id, contract, params)
            for contract_id, contract in log.contracts.items()
        ]
        best = best_candidate(candidates)
        if best is None:
            best = [
                Criterion(
                    "win_rfq.not_won",
                    False,
                    "no buyer has awarded your firm an RFQ yet (%(quotes)s quotes sent)",
                    {"quotes": len(log.quotes)},
                )
            ]
        award_day = None
        if all(c.passed for c in best) and best[0].key == "win_rfq.won":
            award_day = best[0].params["day"]
        limit = params["max_quotes"]
        if limit is None:
            limit = params["max_quotes_used"]
        if limit is not None:
            sent = sum(
                1 for quote in log.quotes.values() if award_day is None or quote["day"] <= award_day
            )
            best.append(
                Criterion(
                    "win_rfq.quotes",
                    sent <= limit,
                    "you sent %(sent)s quotes (at most %(limit)s allowed)",
                    {"sent": sent, "limit": limit},
                )
            )
        hours = params["max_first_response_hours"]
        if hours is not None:
            best.append(response_criterion(log, hours))
        return best

    def _contract_rows(
        self, log: FirmLog, contract_id: str, contract: dict[str, Any], params: dict[str, Any]
    ) -> list[Criterion]:
        # One awarded contract measured against the lab's terms.
        incoterm = params["incoterm"]
        mode = params["transport_mode"]
        market = params["destination_market"]
        minimum = as_decimal(params["min_gross_margin_percent"])
        rows = [
            Criterion(
                "win_rfq.won",
                True,
                "a buyer awarded your firm contract %(contract)s on day %(day)s",
                {"contract": contract_id, "day": contract["day"]},
            )
        ]
        if incoterm is not None:
            rows.append(
                Criterion(
                    "win_rfq.incoterm",
                    contract["incoterm"] == incoterm,
                    "the contract is on %(actual)s; the lab asks for %(incoterm)s",
                    {"actual": contract["incoterm"], "incoterm": incoterm},
                )
            )
        if mode is not None:
            actual = log.lane_mode(contract)
            rows.append(
                Criterion(
                    "win_rfq.transport_mode",
                    mode_matches(mode, actual),
                    "the goods go by %(actual)s; the lab asks for %(mode)s",
                    {"actual": actual, "mode": mode},
                )
            )
        if market is not None:
            actual = log.destination(contract)
            rows.append(
                Criterion(
                    "win_rfq.destination",
                    actual == market,
                    "the buyer is in %(actual)s; the lab asks for a buyer in %(market)s",
                    {"actual": actual, "market": market},
                )
            )
        if minimum is not None:
            margin, _ = log.gross_margin(contract_id)
            rows.append(
                Criterion(
                    "win_rfq.margin",
                    margin >= minimum,
                    "the gross margin at the awarded price is %(margin)s %% "
                    "(at least %(minimum)s %% required)",
                    {"margin": str(margin), "minimum": str(minimum)},
                )
            )
        return rows


def response_criterion(log: FirmLog, hours: int) -> Criterion:
    """Every inquiry answered within ``hours`` (the sim clock counts whole days of 24 h)."""
    allowed = hours // 24
    late = []
    for inquiry_id, inquiry in log.inquiries.items():
        answered = inquiry["answered"]
        waited = (answered if answered is not None else log.day) - inquiry["sent"]
        if answered is None and waited <= allowed:
            continue  # still within its window
        if waited > allowed:
            late.append(inquiry_id)
    return Criterion(
        "win_rfq.response_time",
        not late,
        "%(late)s of %(total)s inquiries were answered later than %(hours)s hours%(which)s",
        {
            "late": len(late),
            "total": len(log.inquiries),
            "hours": hours,
            "which": f" ({', '.join(late[:5])})" if late else "",
        },
    )


class ShipmentDelivered(Check):
    """Goods of a contract reach the buyer's market on time, at a sensible freight cost."""

    name = "shipment_delivered"
    goal = "a shipment of yours arrives at its destination"
    summary = "Deliver a contract to a market within a number of days of the award."
    params: ClassVar[dict[str, Param]] = {
        "destination_market": Param(
            "str",
            help="buyer's country (ISO 3166 code)",
            asks="the shipment goes to a buyer in %(value)s",
        ),
        "transport_mode": Param(
            "str", choices=TRANSPORT_MODES, help="lane mode required", asks="it goes by %(value)s"
        ),
        "max_days_after_award": Param(
            "int",
            minimum=1,
            help="arrival at most this long after",
            asks="it arrives at most %(value)s days after the award",
        ),
        "max_freight_percent_of_value": Param(
            "percent",
            help="freight and local charges paid, in percent of the contract value",
            asks="freight and local charges are at most %(value)s %% of the contract value",
        ),
        "max_claims_lost": Param(
            "int",
            help="buyer claims the platform upheld on it",
            asks="the platform upholds at most %(value)s buyer claims against the shipment",
        ),
    }

    def criteria(self, log: FirmLog, params: dict[str, Any]) -> list[Criterion]:
        market = params["destination_market"]
        mode = params["transport_mode"]
        candidates = []
        for contract_id, contract in log.contracts.items():
            if market is not None and log.destination(contract) != market:
                continue
            if not mode_matches(mode, log.lane_mode(contract)):
                continue
            arrived = log.first(contract_id, "ShipmentArrived")
            if arrived is None:
                continue
            rows = [
                Criterion(
                    "shipment_delivered.arrived",
                    True,
                    "contract %(contract)s arrived in %(market)s on day %(day)s",
                    {
                        "contract": contract_id,
                        "market": log.destination(contract),
                        "day": arrived.day,
                    },
                )
            ]
            if params["max_days_after_award"] is not None:
                took = arrived.day - contract["day"]
                rows.append(
                    Criterion(
                        "shipment_delivered.days",
                        took <= params["max_days_after_award"],
                        "it arrived %(took)s days after the award (at most %(limit)s allowed)",
                        {"took": took, "limit": params["max_days_after_award"]},
                    )
                )
            limit = as_decimal(params["max_freight_percent_of_value"])
            if limit is not None:
                booked = log.first(contract_id, "FreightBooked")
                freight = booked.data["freight_cny"] if booked is not None else 0
                value = _value_cny(log, contract)
                share = percent(freight, value)
                rows.append(
                    Criterion(
                        "shipment_delivered.freight",
                        share <= limit,
                        "freight and local charges were %(share)s %% of the contract value "
                        "(at most %(limit)s %% allowed)",
                        {"share": str(share), "limit": str(limit)},
                    )
                )
            if params["max_claims_lost"] is not None:
                lost = len(log.disputes_lost(contract_id))
                rows.append(
                    Criterion(
                        "shipment_delivered.claims",
                        lost <= params["max_claims_lost"],
                        "the platform upheld %(lost)s buyer claims against this shipment "
                        "(at most %(limit)s allowed)",
                        {"lost": lost, "limit": params["max_claims_lost"]},
                    )
                )
            candidates.append(rows)
        best = best_candidate(candidates)
        if best is None:
            where = f" in {market}" if market else ""
            return [
                Criterion(
                    "shipment_delivered.none",
                    False,
                    "no shipment of yours has arrived%(where)s yet (%(contracts)s contracts won)",
                    {"where": where, "contracts": len(log.contracts)},
                )
            ]
        return best


def _value_cny(log: FirmLog, contract: dict[str, Any]) -> int:
    recognised = log.first(contract["contract_id"], "RevenueRecognised")
    if recognised is not None:
        return int(recognised.data["revenue"])
    return convert(contract["amount"], log.usd_rate(contract["day"]))
