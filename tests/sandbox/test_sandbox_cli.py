"""The ``python -m sandbox`` command line, run as a user would."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def sandbox(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sandbox", *args], cwd=ROOT, capture_output=True, text=True
    )


def test_scenarios_lists_the_shipped_three():
    result = sandbox("scenarios", "--json")
    assert result.returncode == 0
    names = {item["name"] for item in json.loads(result.stdout)}
    assert {"zhengzhou_rail_air", "henan_food_belt_road", "exam_standard"} <= names


def test_simulate_json_then_replay_gives_the_same_hash(tmp_path):
    log = tmp_path / "events.jsonl"
    result = sandbox(
        "simulate", "--scenario", "exam_standard", "--days", "30", "--seed", "77",
        "--firms", "4", "--buyers", "150", "--bots", "cautious,sloppy", "--events-out", str(log), "--json",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    for key in ("state_hash", "events", "days", "money_created", "trial_balance_ok", "firms"):
        assert key in summary
    assert summary["days"] == 30 and summary["money_created"] == 0 and summary["trial_balance_ok"]
    assert [firm["bot"] for firm in summary["firms"]] == [
        "cautious",
        "sloppy",
        "cautious",
        "sloppy",
    ]
    assert {"revenue", "gross_margin", "net_profit", "cash", "receivable_days", "on_time_delivery",
            "response_rate", "star_rating", "customs_credit", "dispute_rate"} <= set(summary["firms"][0])  # fmt: skip
    assert "day 30/30" in result.stderr
    assert len(log.read_text().splitlines()) == summary["events"]
    replayed = sandbox("replay", str(log), "--json")
    assert replayed.returncode == 0, replayed.stderr
    assert json.loads(replayed.stdout)["state_hash"] == summary["state_hash"]


@pytest.mark.parametrize(
    "args",
    [
        ("simulate", "--scenario", "atlantis", "--days", "3"),
        ("simulate", "--scenario", "exam_standard", "--days", "-1"),
        ("simulate", "--scenario", "exam_standard", "--days", "ten"),
        ("simulate", "--scenario", "exam_standard", "--days", "2", "--bots", "lazy"),
        ("simulate", "--scenario", "../../etc/passwd", "--days", "2"),
        ("simulate", "--days", "2"),
        ("replay", "does-not-exist.jsonl"),
        ("teleport",),
    ],
)
def test_bad_input_fails_with_one_clear_line(args):
    result = sandbox(*args)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("sandbox: error:")


def test_existing_events_file_is_not_overwritten(tmp_path):
    log = tmp_path / "events.jsonl"
    log.write_text("keep me\n")
    result = sandbox(
        "simulate", "--scenario", "exam_standard", "--days", "1", "--events-out", str(log)
    )
    assert result.returncode != 0 and log.read_text() == "keep me\n"


def test_replay_of_a_corrupt_file_fails_cleanly(tmp_path):
    log = tmp_path / "broken.jsonl"
    log.write_text('{"seq": 1, "day": 0, "type": "NoSuchEvent", "v": 1, "data": {}}\n')
    result = sandbox("replay", str(log))
    assert result.returncode == 1
    assert result.stderr.startswith("sandbox: error:") and "Traceback" not in result.stderr
