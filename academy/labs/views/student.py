"""Students' pages: their firm in a market (routes are added here)."""
