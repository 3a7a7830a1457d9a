"""A readable diff between two revisions: changed lines, with the changed words marked."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

WORDS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "same", "removed", "added"
    old_number: int | None
    new_number: int | None
    html: Markup


def _mark_words(old: str, new: str) -> tuple[Markup, Markup]:
    old_words, new_words = WORDS.findall(old), WORDS.findall(new)
    old_html, new_html = [], []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        removed = escape("".join(old_words[a1:a2]))
        added = escape("".join(new_words[b1:b2]))
        if tag == "equal":
            old_html.append(removed)
            new_html.append(added)
            continue
        if removed:
            old_html.append(Markup("<del>{}</del>").format(removed))
        if added:
            new_html.append(Markup("<ins>{}</ins>").format(added))
    return Markup("").join(old_html), Markup("").join(new_html)


def diff_lines(old: str, new: str, context: int = 3) -> list[DiffLine | None]:
    """Lines of ``new`` against ``old``; ``None`` stands for skipped unchanged lines."""
    old_lines, new_lines = old.splitlines(), new.splitlines()
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    rows: list[DiffLine | None] = []
    for group in matcher.get_grouped_opcodes(context):
        if rows:
            rows.append(None)
        for tag, a1, a2, b1, b2 in group:
            if tag == "equal":
                for offset in range(a2 - a1):
                    rows.append(
                        DiffLine(
                            "same", a1 + offset + 1, b1 + offset + 1, escape(old_lines[a1 + offset])
                        )
                    )
                continue
            pairs = min(a2 - a1, b2 - b1) if tag == "replace" else 0
            marked = [_mark_words(old_lines[a1 + i], new_lines[b1 + i]) for i in range(pairs)]
            for offset in range(a2 - a1):
                html = marked[offset][0] if offset < pairs else escape(old_lines[a1 + offset])
                rows.append(DiffLine("removed", a1 + offset + 1, None, html))
            for offset in range(b2 - b1):
                html = marked[offset][1] if offset < pairs else escape(new_lines[b1 + offset])
                rows.append(DiffLine("added", None, b1 + offset + 1, html))
    return rows


@dataclass(frozen=True)
class FieldDiff:
    label: object  # a lazy string
    rows: list[DiffLine | None]


def diff_revisions(old, new) -> list[FieldDiff]:
    """Field by field differences between two revisions (only fields that changed)."""
    fields = [
        (_l("Title"), "title"),
        (_l("Chinese title"), "title_zh"),
        (_l("Body"), "body"),
        (_l("Chinese body"), "body_zh"),
    ]
    result = []
    for label, name in fields:
        before = getattr(old, name, "") if old is not None else ""
        after = getattr(new, name, "")
        if before != after:
            result.append(FieldDiff(label, diff_lines(before or "", after or "")))
    return result
