"""The check on rules of origin: ``origin_certificate``."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, ClassVar

from academy.labs.checks.base import Check, Criterion, FirmLog, Param, as_decimal
from academy.labs.checks.trade import best_candidate
from sandbox import duty_rate

__all__ = ["OriginCertificate"]

#: The schemes' names as the certificate and the lesson write them (the same in Chinese).
SCHEME_NAMES = {"form_e": "Form E", "rcep": "RCEP"}


def _percent(rate: Decimal) -> str:
    """A duty rate as a number of percent: ``0.30`` -> ``"30"``, ``0.027`` -> ``"2.7"``."""
    value = (rate * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return str(value.to_integral()) if value == value.to_integral() else str(value)


def _scheme_name(code: str) -> str:
    return SCHEME_NAMES.get(code, code)


class OriginCertificate(Check):
    """A certificate of origin, ready at import clearance, brings the buyer's duty down."""

    name = "origin_certificate"
    goal = "your certificate of origin brings the buyer's import duty down to the preferential rate"
    summary = (
        "Win a contract with a buyer in a market that grants preference (Form E, RCEP) and "
        "apply for the certificate of origin in time for import clearance."
    )
    params: ClassVar[dict[str, Param]] = {
        "schemes": Param(
            "str_list",
            choices=tuple(SCHEME_NAMES),
            help="the schemes the lab accepts (form_e, rcep); any the market grants if left out",
            asks="the certificate is issued under %(value)s",
        ),
        "ready_before_clearance": Param(
            "bool",
            default=True,
            help="the certificate is ready on or before the day the goods clear import",
            asks="the certificate is ready by the day the goods are cleared at import",
        ),
        "require_lowest_rate": Param(
            "bool",
            default=False,
            help="the scheme chosen gives the lowest duty rate on offer for the goods",
            asks="you choose the scheme that gives the buyer the lowest duty rate",
        ),
        "min_gross_margin_percent": Param(
            "percent",
            help="lowest gross margin of the contract at the awarded price",
            asks="the awarded price keeps a gross margin of at least %(value)s %%",
        ),
    }

    def describe(self, spec: Mapping[str, Any]) -> list[tuple[str, dict[str, Any]]]:
        """Say what the lab asks, naming the schemes as the certificates do (Form E, RCEP)."""
        lines = super().describe(spec)
        names = ", ".join(_scheme_name(code) for code in spec.get("schemes") or ())
        asks = self.params["schemes"].asks
        return [(text, {"value": names}) if text == asks else (text, v) for text, v in lines]

    def criteria(self, log: FirmLog, params: dict[str, Any]) -> list[Criterion]:
        world = log.world
        assert world is not None
        accepted = params["schemes"] or sorted(world.tax.origin_schemes)
        candidates = []
        for contract_id, contract in log.contracts.items():
            if contract["incoterm"] == "EXW":
                continue  # the buyer exports and applies for the certificate itself
            market = log.destination(contract)
            product = contract["product_id"]
            mfn = duty_rate(world, market, product)
            offers = {
                code: duty_rate(world, market, product, code)
                for code in sorted(world.tax.origin_schemes)
                if market in world.tax.origin_schemes[code].markets
            }
            if any(rate < mfn for code, rate in offers.items() if code in accepted):
                rows = self._rows(log, contract_id, mfn, offers, accepted, params)
                candidates.append(rows)
        best = best_candidate(candidates)
        if best is not None:
            return best
        markets = sorted(
            {m for scheme in world.tax.origin_schemes.values() for m in scheme.markets}
        )
        return [
            Criterion(
                "origin_certificate.none",
                False,
                "none of your %(contracts)s contracts exports goods to a buyer whose market "
                "grants preference on them (%(markets)s)",
                {"contracts": len(log.contracts), "markets": ", ".join(markets)},
            )
        ]

    def _rows(
        self,
        log: FirmLog,
        contract_id: str,
        mfn: Decimal,
        offers: dict[str, Decimal],
        accepted: list[str],
        params: dict[str, Any],
    ) -> list[Criterion]:
        # One contract to a preferential market, measured against the lab's terms.
        contract = log.contracts[contract_id]
        market = log.destination(contract)
        applied = log.first(contract_id, "OriginCertificateApplied")
        if applied is None:
            rows = [
                Criterion(
                    "origin_certificate.applied",
                    False,
                    "you did not apply for a certificate of origin on contract %(contract)s "
                    "to %(market)s (without one the buyer pays %(mfn)s %% duty)",
                    {"contract": contract_id, "market": market, "mfn": _percent(mfn)},
                )
            ]
            scheme = None
        else:
            scheme = applied.data["scheme"]
            rows = [
                Criterion(
                    "origin_certificate.applied",
                    True,
                    "you applied for a %(scheme)s certificate of origin on contract "
                    "%(contract)s to %(market)s on day %(day)s",
                    {
                        "scheme": _scheme_name(scheme),
                        "contract": contract_id,
                        "market": market,
                        "day": applied.day,
                    },
                )
            ]
        if params["schemes"]:
            rows.append(
                Criterion(
                    "origin_certificate.scheme",
                    scheme in accepted,
                    "the certificate is under %(scheme)s; the lab accepts %(accepted)s",
                    {
                        "scheme": _scheme_name(scheme) if scheme else "-",
                        "accepted": ", ".join(_scheme_name(code) for code in accepted),
                    },
                )
            )
        if params["ready_before_clearance"]:
            rows.append(self._in_time(log, contract_id, mfn, offers, applied))
        if params["require_lowest_rate"]:
            rows.append(self._lowest(mfn, offers, scheme))
        minimum = as_decimal(params["min_gross_margin_percent"])
        if minimum is not None:
            margin, _ = log.gross_margin(contract_id)
            rows.append(
                Criterion(
                    "origin_certificate.margin",
                    margin >= minimum,
                    "the gross margin at the awarded price is %(margin)s %% "
                    "(at least %(minimum)s %% required)",
                    {"margin": str(margin), "minimum": str(minimum)},
                )
            )
        return rows

    def _lowest(self, mfn: Decimal, offers: dict[str, Decimal], scheme: str | None) -> Criterion:
        # The scheme the student chose against the best one the market grants.
        best_scheme = min(offers, key=lambda code: (offers[code], code))
        rate = offers.get(scheme or "", mfn)
        return Criterion(
            "origin_certificate.lowest_rate",
            scheme is not None and rate <= offers[best_scheme],
            "your certificate brings the duty to %(rate)s %%; the lowest rate on "
            "offer is %(best)s %% under %(best_scheme)s",
            {
                "rate": _percent(rate),
                "best": _percent(offers[best_scheme]),
                "best_scheme": _scheme_name(best_scheme),
            },
        )

    def _in_time(
        self,
        log: FirmLog,
        contract_id: str,
        mfn: Decimal,
        offers: dict[str, Decimal],
        applied: Any,
    ) -> Criterion:
        # Import clearance happens on the day the goods arrive (ShipmentArrived).
        key = "origin_certificate.in_time"
        arrived = log.first(contract_id, "ShipmentArrived")
        if applied is None:
            return Criterion(key, False, "no certificate of origin was ready for import clearance")
        ready = applied.data["ready_day"]
        if arrived is None:
            return Criterion(
                key,
                False,
                "the goods have not been cleared at import yet (your certificate is ready "
                "on day %(ready)s)",
                {"ready": ready},
            )
        if ready > arrived.day:
            return Criterion(
                key,
                False,
                "your certificate was ready only on day %(ready)s, after the goods were "
                "cleared at import on day %(cleared)s: the buyer paid %(mfn)s %% duty",
                {"ready": ready, "cleared": arrived.day, "mfn": _percent(mfn)},
            )
        rate = offers.get(applied.data["scheme"], mfn)
        amount = log.contracts[contract_id]["amount"]
        saved = (Decimal(amount) * (mfn - rate) / 100).quantize(Decimal(1), ROUND_HALF_UP)
        return Criterion(
            key,
            True,
            "your certificate was ready on day %(ready)s and the goods were cleared at import "
            "on day %(cleared)s: the buyer pays %(rate)s %% duty instead of %(mfn)s %% "
            "(about USD %(saved)s saved on the invoice value)",
            {
                "ready": ready,
                "cleared": arrived.day,
                "rate": _percent(rate),
                "mfn": _percent(mfn),
                "saved": f"{saved:,}",
            },
        )
