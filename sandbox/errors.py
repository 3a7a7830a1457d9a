"""Errors the engine returns to its callers.

A rejected command raises :class:`CommandRejected` carrying a stable ``code`` (which
the web layer translates), the ``rule`` that was broken, the ``field`` at fault and an
English message. Nothing has changed in the market when it is raised.
"""

from __future__ import annotations

__all__ = ["CommandRejected", "ReplayError", "SandboxError", "ScenarioError"]


class SandboxError(Exception):
    """Base class of every error the engine raises on purpose."""


class ScenarioError(SandboxError):
    """A scenario file is missing, malformed or inconsistent."""


class ReplayError(SandboxError):
    """An event log cannot be replayed (gap in sequence numbers, unknown type...)."""


class CommandRejected(SandboxError):
    """A command broke a rule; the market is unchanged.

    Attributes:
        code: Stable machine code, e.g. ``"RFQ_CLOSED"``.
        rule: The rule that was broken, e.g. ``"platform.rfq.closes_after_10_quotes"``.
        field: The command field at fault, or ``None``.
        message: An English explanation for people.
    """

    def __init__(self, code: str, message: str, *, rule: str = "", field: str | None = None):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.rule = rule
        self.field = field
        self.message = message

    def as_dict(self) -> dict[str, str | None]:
        """Return the error as a JSON-ready problem document."""
        return {"code": self.code, "rule": self.rule, "field": self.field, "message": self.message}
