"""The sandbox in the browser: class markets, firms, lab checks."""
