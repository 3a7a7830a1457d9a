"""Reading goods descriptions as ISBP 745 asks a document examiner to.

* The commercial invoice's description must correspond with the credit's (UCP 600
  art. 18(c)); a mirror image is not required, and case, spacing, punctuation and a
  misspelling that does not change the meaning of a word are not discrepancies
  (ISBP 745 paragraphs A23 and C3). A changed number (a model, a grade, an HS code)
  changes the meaning.
* Every other document may describe the goods in general terms not conflicting with
  the credit (UCP 600 art. 14(e)): each word it uses must be one of the credit's words
  (slips allowed as above), or a plain reference such as "AS PER INVOICE".
"""

from __future__ import annotations

import re

__all__ = ["general_description_conflicts", "invoice_corresponds", "words"]

#: Words a general description may use besides the credit's own.
GENERIC_WORDS = frozenset(
    {"AS", "PER", "GOODS", "INVOICE", "CREDIT", "LC", "L/C", "NO", "THE", "OF", "AND", "SEE",
     "MERCHANDISE", "CARGO", "COMMERCIAL"}
)  # fmt: skip


def words(text: str) -> list[str]:
    """Split a description into upper-case words; punctuation inside numbers is dropped."""
    cleaned = re.sub(r"(?<=\d)[.\-/ ](?=\d)", "", text.upper())
    return [w for w in re.split(r"[^A-Z0-9/]+", cleaned) if w]


def _one_edit(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ by one insertion, deletion, change or swap."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return a == b
    if len(a) == len(b):
        diffs = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diffs) == 1:
            return True
        i, j = diffs[0], diffs[-1]
        return len(diffs) == 2 and j == i + 1 and a[i] == b[j] and a[j] == b[i]
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def same_word(expected: str, written: str) -> bool:
    """True when ``written`` is ``expected`` or a typing error that keeps its meaning.

    A word with a digit must be exact (``MODEL 123`` is not ``MODEL 132``); a word of
    four letters or more may carry one slip (``MASHINE`` for ``MACHINE``).
    """
    if expected == written:
        return True
    if any(ch.isdigit() for ch in expected + written) or min(len(expected), len(written)) < 4:
        return False
    return _one_edit(expected, written)


def _matched(word: str, pool: list[str]) -> bool:
    return any(same_word(candidate, word) for candidate in pool)


def invoice_corresponds(credit_description: str, invoice_description: str) -> bool:
    """True when the invoice's description corresponds with the credit's (art. 18(c)).

    Every word of the credit must be on the invoice (slips allowed as above); added
    words are additional data, accepted unless they carry a number the credit lacks.
    """
    expected, written = words(credit_description), words(invoice_description)
    if not all(_matched(word, written) for word in expected):
        return False
    return all(_matched(word, expected) for word in written if any(ch.isdigit() for ch in word))


def general_description_conflicts(credit_description: str, description: str | None) -> bool:
    """True when a non-invoice document's description conflicts with the credit (14(e)).

    ``None`` means the document carries no description to check.
    """
    if description is None:
        return False
    written = words(description)
    if not written:
        return True
    expected = words(credit_description)
    return not all(word in GENERIC_WORDS or _matched(word, expected) for word in written)
