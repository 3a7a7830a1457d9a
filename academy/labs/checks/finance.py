"""Checks on payments and cash: ``lc_presentation_complies`` and ``positive_cash``."""

from __future__ import annotations

from typing import Any, ClassVar

from academy.labs.checks.base import Check, Criterion, FirmLog, Param, as_decimal, percent
from academy.labs.checks.trade import best_candidate

__all__ = ["SECURED_PAYMENTS", "LcPresentationComplies", "PositiveCash"]

#: Payment methods where a bank or the platform stands behind the buyer.
SECURED_PAYMENTS = ("lc", "escrow")


class LcPresentationComplies(Check):
    """Documents presented under a letter of credit that the bank honours."""

    name = "lc_presentation_complies"
    goal = "the bank honours documents you present under a letter of credit"
    summary = "Present documents under an L/C that the bank honours, promptly and safely."
    params: ClassVar[dict[str, Param]] = {
        "max_presentations": Param(
            "int",
            minimum=1,
            help="presentations up to the honoured one",
            asks="the bank honours your documents by presentation number %(value)s at the latest",
        ),
        "max_days_after_shipment": Param(
            "int",
            help="days from departure to the honoured presentation",
            asks="you present the complying documents at most %(value)s days after shipment",
        ),
        "require_no_soft_clause_accepted": Param(
            "bool",
            default=False,
            help="the credit presented under had no soft clause",
            asks="the credit you present under has no soft clause",
        ),
    }

    def criteria(self, log: FirmLog, params: dict[str, Any]) -> list[Criterion]:
        candidates = []
        for contract_id in log.contracts:
            issued = log.first(contract_id, "LcIssued")
            if issued is None:
                continue
            candidates.append(self._contract(log, contract_id, issued.data["credit"], params))
        best = best_candidate(candidates)
        if best is None:
            return [
                Criterion(
                    "lc_presentation_complies.no_credit",
                    False,
                    "none of your %(contracts)s contracts is paid by letter of credit yet",
                    {"contracts": len(log.contracts)},
                )
            ]
        return best

    def _contract(
        self, log: FirmLog, contract_id: str, credit: dict[str, Any], params: dict[str, Any]
    ) -> list[Criterion]:
        presented = log.events_of(contract_id, "DocumentsPresented")
        complying, rows = self._honoured(log, contract_id, presented)
        limit = params["max_presentations"]
        if limit is not None:
            rows.append(self._presentations(complying, presented, limit))
        days = params["max_days_after_shipment"]
        if days is not None:
            rows.append(self._timing(log, contract_id, complying, days))
        if params["require_no_soft_clause_accepted"]:
            rows.append(self._soft_clause(log, contract_id, credit, complying))
        return rows

    def _honoured(
        self, log: FirmLog, contract_id: str, presented: list[Any]
    ) -> tuple[Any, list[Criterion]]:
        # The presentation the bank honoured (None when none was) and its criterion.
        honoured = [e for e in log.events_of(contract_id, "LcExamined") if e.data["honoured"]]
        refused = [e for e in log.events_of(contract_id, "LcExamined") if not e.data["honoured"]]
        if honoured:
            complying = max((e for e in presented if e.seq < honoured[0].seq), key=lambda e: e.seq)
            return complying, [
                Criterion(
                    "lc_presentation_complies.honoured",
                    True,
                    "the bank honoured presentation %(number)s under the credit of %(contract)s",
                    {"number": complying.data["presentation"], "contract": contract_id},
                )
            ]
        codes = sorted({d.get("code", "?") for e in refused for d in e.data["discrepancies"]})
        return None, [
            Criterion(
                "lc_presentation_complies.honoured",
                False,
                "no complying presentation yet under the credit of %(contract)s "
                "(%(presented)s presented%(codes)s)",
                {
                    "contract": contract_id,
                    "presented": len(presented),
                    "codes": f"; discrepancies: {', '.join(codes)}" if codes else "",
                },
            )
        ]

    def _presentations(self, complying: Any, presented: list[Any], limit: int) -> Criterion:
        if complying is None:
            return Criterion(
                "lc_presentation_complies.presentations",
                False,
                "none of your %(used)s presentations complied (the lab allows "
                "%(limit)s to get it right)",
                {"used": len(presented), "limit": limit},
            )
        used = complying.data["presentation"]
        return Criterion(
            "lc_presentation_complies.presentations",
            used <= limit,
            "the complying presentation was number %(used)s (at most %(limit)s allowed)",
            {"used": used, "limit": limit},
        )

    def _timing(self, log: FirmLog, contract_id: str, complying: Any, days: int) -> Criterion:
        departed = log.first(contract_id, "ShipmentDeparted")
        if complying is None or departed is None:
            return Criterion(
                "lc_presentation_complies.days",
                False,
                "there is no complying presentation to time against the shipment "
                "(at most %(limit)s days allowed)",
                {"limit": days},
            )
        took = complying.day - departed.day
        return Criterion(
            "lc_presentation_complies.days",
            took <= days,
            "the complying documents were presented %(took)s days after shipment "
            "(at most %(limit)s allowed)",
            {"took": took, "limit": days},
        )

    def _soft_clause(
        self, log: FirmLog, contract_id: str, credit: dict[str, Any], complying: Any
    ) -> Criterion:
        soft = credit.get("soft_clause")
        for amended in log.events_of(contract_id, "LcAmended"):
            if complying is None or amended.seq < complying.seq:
                soft = amended.data["credit"].get("soft_clause")
        return Criterion(
            "lc_presentation_complies.soft_clause",
            not soft,
            "the credit you worked under %(state)s",
            {
                "state": (
                    "still held a soft clause (a way out of paying for the buyer); "
                    "ask for an amendment or refuse the credit before you ship"
                    if soft
                    else "had no soft clause"
                )
            },
        )


class PositiveCash(Check):
    """Run the firm for a period and end it with cash, few lost disputes and safe receivables."""

    name = "positive_cash"
    goal = "your firm stays solvent and safe"
    summary = (
        "Finish a number of days with positive cash, no lost disputes and secured receivables."
    )
    params: ClassVar[dict[str, Param]] = {
        "days": Param(
            "int",
            default=30,
            minimum=1,
            help="sim-days to run from registration",
            asks="your firm runs for %(value)s sim-days and ends them with positive cash",
        ),
        "max_disputes_lost": Param(
            "int",
            help="disputes the platform ruled against you",
            asks="the platform rules at most %(value)s disputes against you",
        ),
        "max_unsecured_exposure_percent": Param(
            "percent",
            help="share of open receivables with no L/C, escrow or credit insurance",
            asks="at most %(value)s %% of what buyers owe you has no letter of credit, escrow or credit insurance behind it",
        ),
    }

    def criteria(self, log: FirmLog, params: dict[str, Any]) -> list[Criterion]:
        start = log.registered_day or 0
        end = start + params["days"] - 1  # the period's last day
        closed = [day for day in log.closed_days if start <= day <= end]
        rows = [
            Criterion(
                "positive_cash.days",
                end in log.cash_by_day,
                "your firm has run %(ran)s of the %(days)s sim-days",
                {"ran": len(closed), "days": params["days"]},
            )
        ]
        at = max(closed) if closed else log.day
        cash = log.cash_by_day.get(at, log.cash)
        negative = sorted(c for c, amount in cash.items() if amount < 0)
        cny = cash.get("CNY", 0)
        rows.append(
            Criterion(
                "positive_cash.cash",
                cny > 0 and not negative,
                "cash at the end of day %(day)s: CNY %(cny)s%(negative)s",
                {
                    "day": at,
                    "cny": f"{cny / 100:,.2f}",
                    "negative": f"; negative in {', '.join(negative)}" if negative else "",
                },
            )
        )
        if params["max_disputes_lost"] is not None:
            lost = [
                e.data["dispute_id"]
                for contract_id in log.contracts
                for e in log.disputes_lost(contract_id)
                if e.day <= at
            ]
            rows.append(
                Criterion(
                    "positive_cash.disputes",
                    len(lost) <= params["max_disputes_lost"],
                    "the platform ruled %(lost)s disputes against you (at most %(limit)s allowed)",
                    {"lost": len(lost), "limit": params["max_disputes_lost"]},
                )
            )
        limit = as_decimal(params["max_unsecured_exposure_percent"])
        if limit is not None:
            open_total, unsecured = exposure(log, at)
            share = percent(unsecured, open_total)
            rows.append(
                Criterion(
                    "positive_cash.exposure",
                    share <= limit,
                    "%(share)s %% of the USD %(open)s your buyers still owe has no L/C, escrow "
                    "or credit insurance behind it (at most %(limit)s %% allowed)",
                    {"share": str(share), "open": f"{open_total / 100:,.2f}", "limit": str(limit)},
                )
            )
        return rows


def exposure(log: FirmLog, day: int) -> tuple[int, int]:
    """Return (open, unsecured) USD cents still owed on the firm's live contracts at ``day``.

    A contract is live from its signature to its ``ContractClosed``. What is owed is the
    contract amount less buyer payments and escrow released. It is secured when paid by
    L/C or escrow, or when the credit insurer granted a limit on the buyer by that day.
    """
    open_total = unsecured = 0
    for contract_id, contract in log.contracts.items():
        if contract["day"] > day:
            continue
        events = [e for e in log.by_contract[contract_id] if e.day <= day]
        if any(e.type == "ContractClosed" for e in events):
            continue
        paid = sum(
            e.data["amount"] for e in events if e.type in ("PaymentReceived", "EscrowReleased")
        )
        owed = max(0, contract["amount"] - paid)
        open_total += owed
        insured = log.credit_limits.get(contract["buyer_id"])
        if contract["payment"] not in SECURED_PAYMENTS and (insured is None or insured > day):
            unsecured += owed
    return open_total, unsecured
