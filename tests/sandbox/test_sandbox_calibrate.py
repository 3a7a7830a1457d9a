"""``python -m sandbox calibrate``: the report's shape and the figures that must always hold."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest

from sandbox.calibrate import PEGS, TARGETS, calibrate, format_report, peg_deviation
from sandbox.money import FX_SCALE

ROOT = Path(__file__).resolve().parents[2]


def sandbox(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sandbox", *args], cwd=ROOT, capture_output=True, text=True
    )


@pytest.fixture(scope="module")
def report() -> dict:
    return calibrate(["exam_standard"], days=60)


def test_the_report_covers_every_figure_the_issue_asks_for(report):
    assert report["days"] == 60 and report["targets"] == TARGETS
    (run,) = report["runs"]
    assert run["scenario"] == "exam_standard" and run["money_created"] == 0
    assert set(run["win_rates"]) == {"aggressive", "cautious", "sloppy", "undercutter"}
    for row in run["win_rates"].values():
        assert row["quotes"] > 0 and 0 <= row["wins"] <= row["quotes"]
        assert row["win_rate"] == round(row["wins"] / row["quotes"], 4)
    assert set(run["first_presentations"]) == {"unchecked", "checked"}
    for row in run["first_presentations"].values():
        assert 0 <= row["discrepant"] <= row["presentations"]
    assert run["margins"], "some contracts are sold within 60 days"
    for dist in run["margins"].values():
        assert dist["p10"] <= dist["median"] <= dist["p90"]
    assert set(run["fx_pegs"]) == {"AED"}  # the exam world trades with the UAE, not Saudi Arabia
    pooled = report["totals"]["win_rates"]
    assert pooled["cautious"]["wins"] == run["win_rates"]["cautious"]["wins"]
    assert pooled["one firm alone"]["quotes"] == run["lone_firm"]["quotes"]


def test_a_firm_alone_does_not_win_every_rfq_it_answers(report):
    lone = report["runs"][0]["lone_firm"]
    assert lone["firms"] == 1 and lone["quotes"] >= 20
    assert 0 < lone["wins"] < lone["quotes"]


def test_under_pricing_wins_more_but_loses_money(report):
    rates = report["runs"][0]["win_rates"]
    assert rates["undercutter"]["win_rate"] > rates["cautious"]["win_rate"]
    assert rates["undercutter"]["net_profit"] < 0


def test_an_exact_peg_shows_no_deviation_and_a_drift_shows_its_size():
    market = SimpleNamespace(world=SimpleNamespace(currencies={"USD": None, "AED": None}))
    usd = 7 * FX_SCALE
    pegged = int(Decimal(usd) / PEGS["AED"])
    drifted = int(Decimal(usd) / (PEGS["AED"] * Decimal("1.02")))
    result = peg_deviation(market, [{"USD": usd, "AED": pegged}])
    assert result["AED"]["peg"] == "3.6725" and result["AED"]["max_deviation"] < 1e-6
    result = peg_deviation(market, [{"USD": usd, "AED": pegged}, {"USD": usd, "AED": drifted}])
    assert result["AED"]["max_deviation"] == pytest.approx(0.02, abs=1e-5)


def test_the_text_report_puts_each_target_beside_its_figure(report):
    text = format_report(report)
    assert "one firm alone" in text and "undercutter" in text
    for target in TARGETS.values():
        assert target in text
    assert "FX peg AED 3.6725/USD" in text and "== all runs pooled (1)" in text


def test_the_command_prints_json_and_refuses_a_bad_seed_in_one_line():
    result = sandbox(
        "calibrate", "--scenario", "exam_standard", "--days", "20", "--seeds", "5,6", "--json"
    )
    assert result.returncode == 0, result.stderr
    printed = json.loads(result.stdout)
    assert [run["seed"] for run in printed["runs"]] == [5, 6]
    assert all(run["days"] == 20 for run in printed["runs"])
    bad = sandbox("calibrate", "--seeds", "x")
    assert bad.returncode == 2 and bad.stdout == ""
    assert bad.stderr.strip().splitlines() == [
        "sandbox: error: argument --seeds: 'x' is not an integer"
    ]
