"""Every shipped lab: a careful scripted student passes, a careless one fails and is told why."""

from __future__ import annotations

from decimal import Decimal

import pytest

from academy.labs.checks import evaluate, unsupported_params, validate_params
from sandbox.scenario import load_scenario
from tests.labs.check_helpers import STUDENT, Student, play, shipped_labs

LABS = shipped_labs()


#: Products a student lists where the lab's demand lies (the first six otherwise).
LISTED = {
    "logistics-supply-chain/04-choosing-and-documenting/05-lab-rail-or-air": (
        "P03",
        "P18",
        "P19",
        "P22",
        "P26",
        "P33",
    ),
}


def _hs_products(lab: dict) -> tuple[str, ...] | None:
    hs_code = lab["check"].get("hs_code")
    if hs_code is None:
        return None
    world = load_scenario(lab["scenario"], seed=lab["seed"])
    return tuple(sorted(p.id for p in world.products.values() if p.hs_code == hs_code))


class FcaCareful(Student):
    incoterm = "FCA"
    only_asked = False
    margin = Decimal("0.11")
    max_contracts = 1


class FcaCareless(FcaCareful):
    margin = Decimal("0.0")


class CleanDeclarant(Student):
    margin = Decimal("0.15")
    first_mode = "warehouse"
    skip_terms = ("EXW",)
    max_contracts = 4


class SlippingDeclarant(CleanDeclarant):
    error_rate = 1.0


class RebateCareful(Student):
    margin = Decimal("0.12")
    modes = ("rail", "sea_lcl", "sea_fcl")
    quotes_per_day = 2


class RebateCareless(RebateCareful):
    margin = Decimal("0.0")


class GermanyCareful(Student):
    market = "DE"
    modes = ("rail", "air")
    prefer_fast = True
    margin = Decimal("0.10")
    lead_slack = 2


class GermanyCareless(GermanyCareful):
    modes = ("air", "express")


class LcCareful(Student):
    accepted_payments = ("lc",)
    fallback_payment = "lc"
    margin = Decimal("0.12")
    quotes_per_day = 2


class LcCareless(LcCareful):
    error_rate = 1.0
    amends_soft_clauses = False


class CashCareful(Student):
    payments = ("lc", "escrow")
    margin = Decimal("0.15")


class CashCareless(Student):
    payments = ("tt", "dp", "da", "open_account")
    margin = Decimal("0.10")
    quotes_per_day = 3


class FobCareful(Student):
    incoterm = "FOB"
    margin = Decimal("0.16")
    max_contracts = 1


class FobCareless(FobCareful):
    answer_rate = 0.0


class CifCareful(Student):
    incoterm = "CIF"
    margin = Decimal("0.16")
    max_contracts = 1


class CifCareless(CifCareful):
    margin = Decimal("0.02")


class RailCareful(Student):
    incoterm = "CIP"
    only_asked = False
    modes = ("rail",)
    margin = Decimal("0.14")
    max_contracts = 1


class RailCareless(RailCareful):
    modes = ("air", "express")


#: lab -> (careful student, careless student, days, the criterion the careless one fails)
PLANS = {
    "b2b-foundations/03-zhengzhou-pilot-zone/05-lab-first-belt-and-road-order": (
        FcaCareful,
        FcaCareless,
        60,
        "win_rfq.margin",
    ),
    "customs-compliance-tax/03-modes-and-inspection/04-lab-clean-declarations": (
        CleanDeclarant,
        SlippingDeclarant,
        90,
        "declaration_cleared.mismatches",
    ),
    "customs-compliance-tax/04-export-vat-rebate/03-lab-beat-the-rebate-cut": (
        RebateCareful,
        RebateCareless,
        90,
        "rebate_received.margin",
    ),
    "logistics-supply-chain/04-choosing-and-documenting/05-lab-rail-or-air": (
        GermanyCareful,
        GermanyCareless,
        60,
        "shipment_delivered.freight",
    ),
    "payments-credit-fx/02-letters-of-credit/06-lab-lc-presentation": (
        LcCareful,
        LcCareless,
        80,
        "lc_presentation_complies.presentations",
    ),
    "payments-credit-fx/04-fx-risk/03-lab-cash-and-credit": (
        CashCareful,
        CashCareless,
        30,
        "positive_cash.exposure",
    ),
    "platform-operations/04-funnel-analysis/03-lab-win-rfq": (
        FobCareful,
        FobCareless,
        20,
        "win_rfq.response_time",
    ),
    "trade-terms-pricing/03-building-the-quote/05-quote-lab": (
        CifCareful,
        CifCareless,
        20,
        "win_rfq.margin",
    ),
    "trade-terms-pricing/04-quotation-practice/03-rail-quote-lab": (
        RailCareful,
        RailCareless,
        30,
        "win_rfq.transport_mode",
    ),
}


#: Labs whose scripted students do not yet reach the situation the check judges. In the
#: rail-or-air lab the student's quotes to Germany are not awarded: air freight makes
#: the buyer's landed cost exceed its reservation, and rail or sea with the supplier's
#: lead time rarely arrives within 30 days of the award. The check itself is covered by
#: the table tests; the plan (or the lab's parameters) needs more work.
UNTUNED = {
    "logistics-supply-chain/04-choosing-and-documenting/05-lab-rail-or-air",
}


def _plans(careless: bool) -> list:
    params = []
    for path in sorted(PLANS):
        marks = []
        if path in UNTUNED:
            marks.append(pytest.mark.xfail(reason="scripted student not tuned yet", strict=True))
        params.append(pytest.param(path, marks=marks))
    return params


def test_every_shipped_lab_has_a_plan() -> None:
    assert sorted(PLANS) == sorted(LABS)


@pytest.mark.parametrize("path", sorted(LABS))
def test_shipped_check_tables_validate(path: str) -> None:
    assert validate_params(LABS[path]["check"]) == []


def test_unsupported_parameters_are_named() -> None:
    rail = dict(LABS["trade-terms-pricing/04-quotation-practice/03-rail-quote-lab"]["check"])
    assert unsupported_params(rail) == []  # the shipped labs ask only what can be checked
    rail["max_validity_days"] = 14
    assert [p.split(":")[0] for p in unsupported_params(rail)] == ["max_validity_days"]


@pytest.mark.parametrize("path", _plans(careless=False))
def test_careful_student_passes(path: str) -> None:
    lab = LABS[path]
    careful, _, days, _ = PLANS[path]
    events = play(lab, careful(), days=days, products=LISTED.get(path) or _hs_products(lab))
    result = evaluate(lab["check"], events, STUDENT)
    assert result.passed, result.summary()


@pytest.mark.parametrize("path", _plans(careless=True))
def test_careless_student_fails_with_reason(path: str) -> None:
    lab = LABS[path]
    _, careless, days, reason = PLANS[path]
    events = play(lab, careless(), days=days, products=LISTED.get(path) or _hs_products(lab))
    result = evaluate(lab["check"], events, STUDENT)
    assert not result.passed
    assert reason in [c.key for c in result.failures], result.summary()
    assert any("not met" in line for line in result.summary())
