"""The audit log: who did which security-relevant thing, when, from where."""
