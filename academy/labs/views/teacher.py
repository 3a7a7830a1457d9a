"""Teachers' pages: class markets, the clock, the leaderboard (routes are added here)."""
