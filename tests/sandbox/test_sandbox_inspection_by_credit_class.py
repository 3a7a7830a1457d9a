"""The customs credit classes and their inspection rates (issue 17; issue 18's lesson).

GACC's enterprise credit rules: a dishonest enterprise's goods are inspected at an
average rate of 80 % or more; an advanced-certified one well below the general rate.
"""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from sandbox.customs import credit_class, inspection_floor, selection_reason
from sandbox.customs.inspection import selection_probability
from sandbox.scenario import load_scenario

SCENARIOS = ("exam_standard", "henan_food_belt_road", "zhengzhou_rail_air")


@pytest.fixture(scope="module", params=SCENARIOS)
def customs(request):
    return load_scenario(request.param).customs


@pytest.mark.parametrize(
    ("score", "name", "floor"),
    [(100, "advanced", 0.0), (90, "advanced", 0.0), (70, "general", 0.0), (49, "dishonest", 0.8)],
)
def test_floor_by_credit_class(customs, score, name, floor):
    classes = customs["credit_classes"]
    assert credit_class(score, classes)[0] == name
    assert inspection_floor(score, classes) == floor


@pytest.mark.parametrize(
    ("score", "product_risk", "flags", "probability"),
    [
        (95, 1.0, 0, 0.006),  # advanced: 3 % x 0.2
        (70, 1.0, 0, 0.03),  # general: the base rate
        (70, 1.5, 0, 0.045),
        (70, 1.0, 1, 0.12),  # a visible anomaly quadruples it
        (30, 0.5, 0, 0.8),  # dishonest: 3 % x 5 x 0.5 = 7.5 %, lifted to the 80 % floor
        (30, 1.5, 0, 0.8),
        (30, 1.0, 1, 0.8),  # 60 % from risk, still the floor
        (30, 1.0, 2, 0.95),  # risk above the floor, capped at 95 %
    ],
)
def test_selection_probability_by_class(customs, score, product_risk, flags, probability):
    multiplier = credit_class(score, customs["credit_classes"])[1]
    got = selection_probability(
        base_rate=float(customs["base_risk_rate"]),
        multiplier=multiplier,
        product_risk=product_risk,
        findings=[{"code": "VALUE_MISMATCH"}] * flags,
        floor=inspection_floor(score, customs["credit_classes"]),
    )
    assert got == pytest.approx(probability)


def test_dishonest_firms_are_inspected_at_least_80_percent_of_the_time(customs):
    classes = customs["credit_classes"]
    rng = random.Random(2026)
    draws = 20_000
    inspected = sum(
        selection_reason(
            rng,
            base_rate=float(customs["base_risk_rate"]),
            multiplier=credit_class(20, classes)[1],
            product_risk=0.7,
            findings=[],
            random_rate=float(customs["random_sample_rate"]),
            floor=inspection_floor(20, classes),
        )
        is not None
        for _ in range(draws)
    )
    # 80 % risk floor plus the 2 % random sample of the rest: 80.4 % expected.
    assert inspected / draws >= 0.795
    assert inspected / draws < 0.82


def test_a_class_without_a_floor_keeps_the_risk_draw():
    classes = [{"name": "general", "min_score": 0, "risk_multiplier": "1.0"}]
    assert inspection_floor(10, classes) == 0.0
    assert (
        selection_probability(
            base_rate=0.03, multiplier=Decimal("1.0"), product_risk=1.0, findings=[]
        )
        == 0.03
    )
