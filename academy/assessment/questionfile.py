"""Question files (``questions/*.toml``, see courses/README.md): read, check, write.

``parse_question_file`` never stops at the first problem: it returns every problem as
a ``Problem(path, line, message)``, with the line of the offending ``[[questions]]``
table, so a teacher can fix a file in one pass. ``dump_question_file`` writes specs
back as TOML that reads back to the same specs.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from academy.assessment.questions import check_spec

HEADER = re.compile(r"^[ \t]*\[\[[ \t]*questions[ \t]*\]\]", re.MULTILINE)
BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
# The order keys are written in; anything else follows alphabetically.
KEY_ORDER = [
    "id",
    "type",
    "topic",
    "competency",
    "difficulty",
    "points",
    "document",
    "prompt",
    "prompt_zh",
    "case",
    "case_zh",
    "text",
    "text_zh",
    "formula",
    "parameters",
    "options",
    "answer",
    "answers",
    "match",
    "tolerance",
    "tolerance_percent",
    "decimals",
    "unit",
    "pairs",
    "distractors",
    "items",
    "items_zh",
    "gaps",
    "fields",
    "min_words",
    "max_words",
    "rubric",
    "feedback",
    "feedback_zh",
]


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass
class QuestionFile:
    path: str
    specs: list[dict[str, Any]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def header_lines(text: str) -> list[int]:
    """The 1-based line of every ``[[questions]]`` header, in order."""
    return [text.count("\n", 0, match.start()) + 1 for match in HEADER.finditer(text)]


def parse_question_file(text: str, path: str = "<question file>") -> QuestionFile:
    """Read one question file; every problem is collected, nothing is raised."""
    result = QuestionFile(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line = getattr(error, "lineno", None)
        if line is None:
            found = re.search(r"line (\d+)", str(error))
            line = int(found.group(1)) if found else 1
        result.problems.append(Problem(path, line, f"not valid TOML: {error}"))
        return result
    unknown = set(data) - {"questions"}
    for key in sorted(unknown):
        result.problems.append(Problem(path, 1, f"unknown top-level key {key!r}"))
    tables = data.get("questions", [])
    if not isinstance(tables, list) or not tables:
        result.problems.append(Problem(path, 1, "no [[questions]] tables in this file"))
        return result
    lines = header_lines(text)
    seen: dict[str, int] = {}
    for index, raw in enumerate(tables):
        line = lines[index] if index < len(lines) else 1
        spec, problems = check_spec(raw)
        label = spec.get("id") or f"question {index + 1}"
        for message in problems:
            result.problems.append(Problem(path, line, f"{label}: {message}"))
        question_id = spec.get("id")
        if isinstance(question_id, str):
            if question_id in seen:
                result.problems.append(
                    Problem(
                        path,
                        line,
                        f"id {question_id!r} is already used on line {seen[question_id]}",
                    )
                )
            seen[question_id] = line
        result.specs.append(spec)
        result.lines.append(line)
    return result


def parse_question_files(paths: Iterable[Path | str]) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Read several files as one bank; ids must be unique across them."""
    specs: list[dict[str, Any]] = []
    problems: list[Problem] = []
    where: dict[str, str] = {}
    for path in paths:
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            problems.append(Problem(str(path), 1, f"cannot read the file: {error}"))
            continue
        parsed = parse_question_file(text, str(path))
        problems.extend(parsed.problems)
        for spec, line in zip(parsed.specs, parsed.lines, strict=True):
            question_id = spec.get("id")
            if isinstance(question_id, str) and question_id in where and not parsed.problems:
                problems.append(
                    Problem(
                        str(path),
                        line,
                        f"id {question_id!r} is already used in {where[question_id]}",
                    )
                )
            if isinstance(question_id, str):
                where.setdefault(question_id, f"{path}")
            specs.append(spec)
    return specs, problems


# --- writing ---------------------------------------------------------------------------


def _escape(text: str, keep_newlines: bool) -> str:
    out = []
    for ch in text:
        if ch in '\\"':
            out.append("\\" + ch)
        elif ch == "\n" and keep_newlines:
            out.append(ch)
        elif ch in "\n\t\r":
            out.append({"\n": "\\n", "\t": "\\t", "\r": "\\r"}[ch])
        elif ord(ch) < 32 or ord(ch) == 127:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return "".join(out)


def _key(name: str) -> str:
    return name if BARE_KEY.match(name) else f'"{_escape(name, False)}"'


def _string(value: str) -> str:
    if "\n" in value:
        return f'"""\n{_escape(value, True)}"""'
    return f'"{_escape(value, False)}"'


def _value(value: Any, indent: str = "") -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("question files hold finite numbers only")
        return repr(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, dict):
        inner = ", ".join(f"{_key(k)} = {_value(v, indent)}" for k, v in value.items())
        return "{ " + inner + " }" if inner else "{}"
    if isinstance(value, list):
        if not value:
            return "[]"
        if any(isinstance(item, dict) for item in value):
            deeper = indent + "  "
            items = "".join(f"{deeper}{_value(item, deeper)},\n" for item in value)
            return f"[\n{items}{indent}]"
        return "[" + ", ".join(_value(item, indent) for item in value) + "]"
    raise ValueError(f"cannot write {type(value).__name__} to a question file")


def dump_question_file(specs: Iterable[dict[str, Any]]) -> str:
    """TOML text holding ``specs`` as ``[[questions]]`` tables."""
    blocks = []
    for spec in specs:
        keys = [k for k in KEY_ORDER if k in spec] + sorted(set(spec) - set(KEY_ORDER))
        lines = ["[[questions]]"]
        lines += [f"{_key(k)} = {_value(spec[k])}" for k in keys if spec[k] is not None]
        blocks.append("\n".join(lines) + "\n")
    return "\n".join(blocks)
