"""Built-in bot strategies that play firms through the ordinary command API."""

from sandbox.bots.strategies import (
    BOTS,
    CALIBRATION_BOTS,
    Strategy,
    register_bot_firms,
    run_bots,
)

__all__ = ["BOTS", "CALIBRATION_BOTS", "Strategy", "register_bot_firms", "run_bots"]
