"""Soft clauses: conditions in a credit's text that hand the applicant a way out.

A documentary credit is worth its bank undertaking only while the beneficiary can
comply without the applicant's help. Clauses in field 46A (documents required) or 47A
(additional conditions) that need the applicant's approval, signature or notice, or
that send documents of title to the applicant, turn the credit into something close to
a collection. :func:`find_soft_clauses` recognises the common ones from the text the
bank wrote (in capitals, with the usual variations in wording); the examiner and the
L/C reader on the firm's pages both call it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

__all__ = ["SOFT_CLAUSE_KINDS", "SoftClauseKind", "credit_clauses", "find_soft_clauses"]


@dataclass(frozen=True)
class SoftClauseKind:
    """One kind of soft clause.

    Attributes:
        code: Stable key (also the discrepancy's ``soft_clause`` value).
        discrepancy: Discrepancy code when the applicant uses the clause.
        name: English name.
        risk: What the applicant can do with it, in one sentence.
        patterns: Regular expressions (on upper-cased, single-spaced text); all of one
            row must match for the clause to be recognised.
        unless: Patterns that make the clause harmless (e.g. an independent inspector).
    """

    code: str
    discrepancy: str
    name: str
    risk: str
    patterns: tuple[tuple[str, ...], ...]
    unless: tuple[str, ...] = ()

    def matches(self, text: str) -> bool:
        """True when ``text`` (one clause of the credit) is a clause of this kind."""
        normal = " ".join(text.upper().split())
        if any(re.search(pattern, normal) for pattern in self.unless):
            return False
        return any(all(re.search(p, normal) for p in row) for row in self.patterns)


_APPLICANT = r"(APPLICANT|BUYER|OPENER|ACCOUNTEE)"

SOFT_CLAUSE_KINDS: tuple[SoftClauseKind, ...] = (
    SoftClauseKind(
        code="vessel_approval",
        discrepancy="SOFT_VESSEL_NOT_APPROVED",
        name="Shipment or vessel subject to the applicant's approval",
        risk="the applicant can refuse to approve the vessel, so no shipment can comply",
        patterns=(
            (_APPLICANT, r"APPROV", r"(VESSEL|SHIPMENT|CARRIER|SHIPPING CO|FORWARDER)"),
            (_APPLICANT, r"NOMINAT", r"(VESSEL|CARRIER|SHIPPING CO)"),
        ),
    ),
    SoftClauseKind(
        code="applicant_inspection",
        discrepancy="SOFT_CLAUSE_UNMET",
        name="Inspection certificate signed by the applicant",
        risk="the applicant can withhold the certificate and the bank need not pay",
        patterns=(
            (r"INSPECTION", r"(SIGNED|ISSUED|COUNTERSIGNED|APPROVED)", _APPLICANT),
            (r"INSPECTION", _APPLICANT, r"(REPRESENTATIVE|AUTHORI[SZ]ED|AGENT)"),
        ),
        unless=(r"(ISSUED|SIGNED) BY (CCIC|SGS|BUREAU VERITAS|INTERTEK|CIQ|CUSTOMS)",),
    ),
    SoftClauseKind(
        code="not_operative",
        discrepancy="CREDIT_NOT_OPERATIVE",
        name="Credit not operative until a further notice or amendment",
        risk="the bank is not bound until the applicant lets it be",
        patterns=(
            (
                r"\bNOT (YET )?(OPERATIVE|EFFECTIVE|AVAILABLE|VALID)",
                r"(UNTIL|UNLESS|PENDING)",
                r"(AMENDMENT|NOTICE|NOTIFICATION|ADVICE|APPROVAL|LICEN[CS]E|CONFIRM)",
            ),
            (r"\bBECOME[S]? (OPERATIVE|EFFECTIVE)", r"(UPON|AFTER|ONLY)", r"(AMENDMENT|NOTICE)"),
        ),
    ),
    SoftClauseKind(
        code="documents_to_applicant",
        discrepancy="ORIGINALS_NOT_FULL_SET",
        name="Original documents sent directly to the applicant",
        risk="the applicant can take the goods with an original and then refuse the rest",
        patterns=(
            (r"\bDIRECT(LY)?\b", r"\bTO (THE )?" + _APPLICANT, r"ORIGINAL"),
            (
                r"\bDIRECT(LY)?\b",
                r"\bTO (THE )?" + _APPLICANT,
                r"(1/3|ONE THIRD|FULL SET|ONE SET|ONE OF).*(B/L|BILLS? OF LADING|AIR ?WAYBILL)",
            ),
        ),
        # Copies sent to the applicant are routine (a beneficiary's certificate).
        unless=(r"^(?!.*ORIGINAL).*\bCOP(Y|IES)\b",),
    ),
)

_BY_CODE = {kind.code: kind for kind in SOFT_CLAUSE_KINDS}

#: The one soft clause of credits issued before the credit text existed.
LEGACY_INSPECTION_CLAUSE = (
    "INSPECTION CERTIFICATE SIGNED BY THE APPLICANT CERTIFYING THE GOODS ARE IN ORDER."
)


def kind_of(code: str) -> SoftClauseKind:
    """Return the soft clause kind with this code (KeyError if unknown)."""
    return _BY_CODE[code]


def credit_clauses(credit: dict[str, Any]) -> list[str]:
    """Return a credit's clause texts (fields 46A/47A).

    Credits issued before the text was kept carry only ``soft_clause``; their one clause
    is rebuilt so old markets read the same way.
    """
    if "clauses" in credit:
        return list(credit["clauses"])
    return [LEGACY_INSPECTION_CLAUSE] if credit.get("soft_clause") else []


def find_soft_clauses(clauses: list[str]) -> list[dict[str, Any]]:
    """Recognise the soft clauses in a credit's text.

    Args:
        clauses: The clause texts, one per item.

    Returns:
        One ``{"index", "kind", "name", "risk", "discrepancy", "text"}`` per soft
        clause, in the order of the text; harmless clauses are left out.
    """
    found = []
    for index, text in enumerate(clauses):
        for kind in SOFT_CLAUSE_KINDS:
            if kind.matches(text):
                found.append(
                    {
                        "index": index,
                        "kind": kind.code,
                        "name": kind.name,
                        "risk": kind.risk,
                        "discrepancy": kind.discrepancy,
                        "text": text,
                    }
                )
                break
    return found
