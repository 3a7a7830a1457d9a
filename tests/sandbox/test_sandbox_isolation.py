"""The engine core is pure: importing it pulls in no web, ORM or academy code."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import sys
import sandbox, sandbox.cli, sandbox.bots, sandbox.engine.market, sandbox.store
from sandbox.scenario import load_scenario
from sandbox.engine.market import Market
Market.open(load_scenario("exam_standard"), buyers=5)
banned = sorted(m for m in sys.modules if m.split(".")[0] in {"flask", "academy", "sqlalchemy"})
print(",".join(banned))
"""


def test_importing_sandbox_pulls_in_no_flask_academy_or_sqlalchemy():
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
