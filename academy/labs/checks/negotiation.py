"""The check on negotiating by letter: ``negotiated_contract``."""

from __future__ import annotations

from typing import Any, ClassVar

from academy.labs.checks.base import Check, Criterion, FirmLog, Param, as_decimal
from academy.labs.checks.trade import best_candidate

__all__ = ["NegotiatedContract"]


class NegotiatedContract(Check):
    """A buyer agrees to the firm's terms by letter, keeping the margin, in few letters."""

    name = "negotiated_contract"
    goal = "a buyer agrees to your terms by letter and signs the contract"
    summary = (
        "Win a contract by negotiating with the buyer by letter, at a minimum gross margin "
        "and within a number of letters."
    )
    params: ClassVar[dict[str, Param]] = {
        "min_gross_margin_percent": Param(
            "percent",
            help="lowest gross margin of the agreed price",
            asks="the agreed price keeps a gross margin of at least %(value)s %%",
        ),
        "max_rounds": Param(
            "int",
            minimum=1,
            help="most letters (proposals) sent on that RFQ up to the agreement",
            asks="you agree within %(value)s letters",
        ),
    }

    def criteria(self, log: FirmLog, params: dict[str, Any]) -> list[Criterion]:
        candidates = []
        for contract_id, contract in log.contracts.items():
            answers = log.answers.get(contract.get("rfq_id", ""), [])
            if answers and answers[-1]["decision"] == "accept":
                candidates.append(self._rows(log, contract_id, contract, len(answers), params))
        best = best_candidate(candidates)
        if best is not None:
            return best
        letters = sum(len(sent) for sent in log.letters.values())
        return [
            Criterion(
                "negotiated_contract.none",
                False,
                "no buyer has agreed to your terms by letter yet (%(letters)s letters sent)",
                {"letters": letters},
            )
        ]

    def _rows(
        self,
        log: FirmLog,
        contract_id: str,
        contract: dict[str, Any],
        rounds: int,
        params: dict[str, Any],
    ) -> list[Criterion]:
        # One contract agreed by letter, measured against the lab's terms.
        rows = [
            Criterion(
                "negotiated_contract.agreed",
                True,
                "the buyer agreed to your letter: contract %(contract)s on day %(day)s",
                {"contract": contract_id, "day": contract["day"]},
            )
        ]
        minimum = as_decimal(params["min_gross_margin_percent"])
        if minimum is not None:
            margin, _ = log.gross_margin(contract_id)
            rows.append(
                Criterion(
                    "negotiated_contract.margin",
                    margin >= minimum,
                    "the gross margin at the agreed price is %(margin)s %% "
                    "(at least %(minimum)s %% required)",
                    {"margin": str(margin), "minimum": str(minimum)},
                )
            )
        limit = params["max_rounds"]
        if limit is not None:
            rows.append(
                Criterion(
                    "negotiated_contract.rounds",
                    rounds <= limit,
                    "you agreed in %(rounds)s letters (at most %(limit)s allowed)",
                    {"rounds": rounds, "limit": limit},
                )
            )
        return rows
