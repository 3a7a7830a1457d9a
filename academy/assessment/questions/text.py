"""Types where the learner types: numbers, short texts, gaps, documents and essays."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l

from academy.assessment.questions.base import (
    MAX_ESSAY_RESPONSE,
    MAX_TEXT_RESPONSE,
    Part,
    QuestionType,
    Reader,
    ResponseError,
    Score,
    SpecProblems,
    as_decimal,
    is_number,
    number_for_json,
    parse_number,
    register,
    tidy,
    within,
)
from academy.assessment.rubric import rubric_points, rubric_problems

MATCH_KINDS = ("exact", "case_insensitive", "pattern")
DOCUMENTS = (
    "commercial_invoice",
    "packing_list",
    "export_declaration",
    "bill_of_lading",
    "bill_of_exchange",
    "insurance_policy",
    "certificate_of_origin",
)
DOCUMENT_TITLES = {
    "commercial_invoice": _l("Commercial invoice"),
    "packing_list": _l("Packing list"),
    "export_declaration": _l("Export declaration"),
    "bill_of_lading": _l("Bill of lading"),
    "bill_of_exchange": _l("Bill of exchange (draft)"),
    "insurance_policy": _l("Insurance policy"),
    "certificate_of_origin": _l("Certificate of origin"),
}


# --- rules shared by numeric / short_text questions, cloze gaps and document fields ------


def check_numeric_rule(rule: dict[str, Any], problems: SpecProblems, where: str) -> None:
    if not is_number(rule.get("answer")):
        problems.append(f"{where}'answer' must be a number")
    if "tolerance" in rule and "tolerance_percent" in rule:
        problems.append(f"{where}give 'tolerance' or 'tolerance_percent', not both")
    for key in ("tolerance", "tolerance_percent"):
        if key in rule and (not is_number(rule[key]) or rule[key] < 0):
            problems.append(f"{where}'{key}' must be a number of at least 0")
    if "unit" in rule and not isinstance(rule["unit"], str):
        problems.append(f"{where}'unit' must be a text")


def check_text_rule(rule: dict[str, Any], problems: SpecProblems, where: str) -> None:
    if "answer" in rule:
        if "answers" in rule:
            problems.append(f"{where}give 'answer' or 'answers', not both")
        rule["answers"] = [rule.pop("answer")]
    answers = rule.get("answers")
    if not isinstance(answers, list) or not answers or not all(isinstance(a, str) for a in answers):
        problems.append(f"{where}'answers' must list at least one text")
        return
    match = rule.setdefault("match", "exact")
    if match not in MATCH_KINDS:
        problems.append(f"{where}'match' must be one of {', '.join(MATCH_KINDS)}")
    elif match == "pattern":
        for answer in answers:
            try:
                re.compile(answer)
            except re.error as error:
                problems.append(f"{where}pattern {answer!r} is not a regular expression: {error}")
                return
        # Students see the key at review: a pattern is no answer to show them.
        example = rule.get("example")
        if not isinstance(example, str) or not example.strip():
            problems.append(f"{where}a 'pattern' answer needs an 'example' to show as the key")
        elif not text_matches(rule, example):
            problems.append(f"{where}the 'example' {example!r} does not match the pattern")
    elif "example" in rule:
        problems.append(f"{where}'example' is only for 'pattern' answers")


def text_key(rule: Mapping[str, Any]) -> str:
    """The answer students see at review: the example of a pattern, else the first answer."""
    return rule.get("example") or rule["answers"][0]


def _squash(text: str) -> str:
    return " ".join(text.split())


def text_matches(rule: Mapping[str, Any], given: str) -> bool:
    match = rule.get("match", "exact")
    given = _squash(given)
    if match == "pattern":
        return any(re.fullmatch(answer, given) for answer in rule["answers"])
    if match == "case_insensitive":
        return any(_squash(a).casefold() == given.casefold() for a in rule["answers"])
    return any(_squash(answer) == given for answer in rule["answers"])


def validate_text(response: Any, limit: int = MAX_TEXT_RESPONSE) -> str:
    if not isinstance(response, str):
        raise ResponseError(_l("Enter a text."))
    if len(response) > limit:
        raise ResponseError(_l("The answer is too long (at most %(n)s characters).", n=limit))
    return response.strip()


def validate_numeric(rule: Mapping[str, Any], response: Any) -> int | float:
    if isinstance(response, str) and not isinstance(response, bool):
        return number_for_json(parse_number(response, rule.get("unit")))
    if not is_number(response):
        raise ResponseError(_l("Enter a number."))
    return number_for_json(parse_number(response))


def numeric_matches(rule: Mapping[str, Any], given: Any) -> bool:
    answer = as_decimal(rule["answer"])
    return answer is not None and within(
        parse_number(given),
        answer,
        as_decimal(rule.get("tolerance")),
        as_decimal(rule.get("tolerance_percent")),
    )


@register
class Numeric(QuestionType):
    """A number with an absolute or percent tolerance; the unit may be typed or left out.

    A JSON response must be a number; a form response is text parsed as a number.
    """

    name = "numeric"
    keys = frozenset({"answer", "tolerance", "tolerance_percent", "unit"})

    def check_spec(self, spec, problems):
        check_numeric_rule(spec, problems, "")

    def validate(self, question, response):
        if not is_number(response):
            raise ResponseError(_l("Enter a number."))
        return validate_numeric(question, response)

    def parse_form(self, question, form, name):
        value = (form.get(name) or "").strip()
        return validate_numeric(question, value) if value else None

    def grade(self, question, response):
        maximum = self.max_points(question)
        if response is None:
            return Score(0.0, maximum)
        right = numeric_matches(question, self.validate(question, response))
        return Score(maximum if right else 0.0, maximum)

    def answer_key(self, question):
        return question["answer"]


@register
class ShortText(QuestionType):
    name = "short_text"
    keys = frozenset({"answers", "answer", "match", "example"})

    def check_spec(self, spec, problems):
        check_text_rule(spec, problems, "")

    def validate(self, question, response):
        return validate_text(response)

    def grade(self, question, response):
        maximum = self.max_points(question)
        if not response:
            return Score(0.0, maximum)
        right = text_matches(question, self.validate(question, response))
        return Score(maximum if right else 0.0, maximum)

    def answer_key(self, question):
        return text_key(question)


class _FieldsType(QuestionType):
    """Shared by cloze (gaps) and document completion (fields): many small rules."""

    list_key: str
    name_key: str

    def rules(self, question) -> list[dict[str, Any]]:
        return question[self.list_key]

    def check_rule(self, rule: dict[str, Any], problems: SpecProblems, where: str) -> None:
        kind = rule.get("type", "short_text")
        if kind == "numeric":
            check_numeric_rule(rule, problems, where)
        elif kind == "choice":
            options = rule.get("options")
            if not isinstance(options, list) or len(options) < 2:
                problems.append(f"{where}'options' must list at least two texts")
            elif rule.get("answer") not in options:
                problems.append(f"{where}'answer' must be one of its 'options'")
        else:
            check_text_rule(rule, problems, where)

    def check_rules(self, spec, problems, allowed_types: tuple[str, ...]) -> None:
        rules = spec.get(self.list_key)
        if not isinstance(rules, list) or not rules:
            problems.append(f"'{self.list_key}' must list at least one")
            spec[self.list_key] = []
            return
        seen: set[str] = set()
        for number, rule in enumerate(rules, start=1):
            if not isinstance(rule, dict):
                problems.append(f"{self.list_key} {number} must be a table")
                continue
            name = rule.get(self.name_key)
            where = f"{self.list_key} {name or number}: "
            if not isinstance(name, str) or not re.fullmatch(r"[a-z0-9_]+", name or ""):
                problems.append(f"{where}'{self.name_key}' must be lowercase letters, digits, _")
            elif name in seen:
                problems.append(f"{where}'{self.name_key}' is used twice")
            seen.add(str(name))
            if rule.get("type", "short_text") not in allowed_types:
                problems.append(f"{where}'type' must be one of {', '.join(allowed_types)}")
                continue
            self.check_rule(rule, problems, where)

    def validate(self, question, response):
        if not isinstance(response, dict):
            raise ResponseError(_l("Fill in the fields of the question."))
        rules = {rule[self.name_key]: rule for rule in self.rules(question)}
        clean = {}
        for key, value in response.items():
            rule = rules.get(key)
            if rule is None:
                raise ResponseError(_l("That field does not exist in this question."), key)
            if value is None or value == "":
                continue
            try:
                clean[key] = self.validate_one(rule, value)
            except ResponseError as error:
                raise ResponseError(error.message, key) from None
        return clean

    def validate_one(self, rule: Mapping[str, Any], value: Any) -> Any:
        kind = rule.get("type", "short_text")
        if kind == "numeric":
            return validate_numeric(rule, value)
        if kind == "choice":
            if value not in rule["options"]:
                raise ResponseError(_l("Choose one of the options shown."))
            return value
        return validate_text(value)

    def parse_form(self, question, form, name):
        response = {}
        for rule in self.rules(question):
            key = rule[self.name_key]
            value = (form.get(f"{name}-{key}") or "").strip()
            if value:
                response[key] = value
        return self.validate(question, response) if response else None

    def grade(self, question, response):
        maximum = self.max_points(question)
        response = self.validate(question, response or {})
        share = maximum / len(self.rules(question))
        parts = []
        for rule in self.rules(question):
            key = rule[self.name_key]
            given = response.get(key)
            kind = rule.get("type", "short_text")
            if given is None:
                right = False
            elif kind == "numeric":
                right = numeric_matches(rule, given)
            elif kind == "choice":
                right = given == rule["answer"]
            else:
                right = text_matches(rule, given)
            parts.append(Part(key, share if right else 0.0, share, right))
        return Score(tidy(sum(p.points for p in parts)), maximum, tuple(parts))

    def answer_key(self, question):
        key = {}
        for rule in self.rules(question):
            kind = rule.get("type", "short_text")
            key[rule[self.name_key]] = (
                text_key(rule) if kind not in ("numeric", "choice") else rule["answer"]
            )
        return key

    def form_values(self, response, name):
        return {f"{name}-{key}": str(value) for key, value in response.items()}


GAP_PATTERN = re.compile(r"\{\{\s*([a-z0-9_]+)\s*\}\}")


@register
class Cloze(_FieldsType):
    name = "cloze"
    keys = frozenset({"text", "text_zh", "gaps"})
    list_key = "gaps"
    name_key = "id"

    def check_spec(self, spec, problems):
        if not isinstance(spec.get("text"), str) or not spec["text"].strip():
            problems.append("'text' with {{gap}} markers is required")
            spec["text"] = ""
        self.check_rules(spec, problems, ("short_text", "numeric", "choice"))
        in_text = GAP_PATTERN.findall(spec["text"])
        declared = [g.get("id") for g in spec["gaps"] if isinstance(g, dict)]
        for gap in declared:
            if gap not in in_text:
                problems.append(f"gap {gap!r} is not marked in 'text' as {{{{{gap}}}}}")
        for gap in in_text:
            if gap not in declared:
                problems.append(f"'text' marks a gap {gap!r} that 'gaps' does not define")
        if len(in_text) != len(set(in_text)):
            problems.append("each gap may appear only once in 'text'")
        if "text_zh" in spec and sorted(GAP_PATTERN.findall(spec["text_zh"])) != sorted(in_text):
            problems.append("'text_zh' must mark the same gaps as 'text'")

    def segments(self, question, text_key: str = "text") -> list[tuple[str, str | None]]:
        """The text split into (text, gap id or None) pieces, for rendering."""
        text = question.get(text_key) or question["text"]
        pieces: list[tuple[str, str | None]] = []
        position = 0
        for match in GAP_PATTERN.finditer(text):
            pieces.append((text[position : match.start()], match.group(1)))
            position = match.end()
        pieces.append((text[position:], None))
        return pieces

    def student_fields(self, question, reader: Reader) -> dict[str, Any]:
        gaps = {gap["id"]: gap for gap in question["gaps"]}
        text_key = "text_zh" if reader.in_chinese and question.get("text_zh") else "text"
        segments = [
            (
                text,
                None
                if gap is None
                else {
                    "id": gap,
                    "type": gaps[gap].get("type", "short_text"),
                    "options": gaps[gap].get("options"),
                    "unit": gaps[gap].get("unit"),
                },
            )
            for text, gap in self.segments(question, text_key)
        ]
        return {"segments": segments}

    def key_lines(self, question, reader: Reader) -> list[tuple[str, str]]:
        return [(gap, str(value)) for gap, value in self.answer_key(question).items()]


@register
class DocumentCompletion(_FieldsType):
    name = "document_completion"
    keys = frozenset({"document", "case", "case_zh", "fields"})
    list_key = "fields"
    name_key = "name"

    def check_spec(self, spec, problems):
        if spec.get("document") not in DOCUMENTS:
            problems.append(f"'document' must be one of {', '.join(DOCUMENTS)}")
        if "case" in spec and not isinstance(spec["case"], str):
            problems.append("'case' must be a text")
        self.check_rules(spec, problems, ("short_text", "numeric"))
        for rule in spec["fields"]:
            if isinstance(rule, dict) and not isinstance(rule.get("label"), str):
                problems.append(f"field {rule.get('name')}: 'label' is required")

    def student_fields(self, question, reader: Reader) -> dict[str, Any]:
        document = question["document"]
        return {
            "document": document,
            "document_title": DOCUMENT_TITLES.get(document, document),
            "case": reader.markdown(reader.localised(question, "case")),
            "fields": [
                {
                    "name": rule["name"],
                    "label": reader.localised(rule, "label"),
                    "numeric": rule.get("type") == "numeric",
                    "unit": rule.get("unit"),
                }
                for rule in question["fields"]
            ],
        }

    def key_lines(self, question, reader: Reader) -> list[tuple[str, str]]:
        labels = {r["name"]: reader.localised(r, "label") for r in question["fields"]}
        return [(labels[name], str(value)) for name, value in self.answer_key(question).items()]


@register
class Essay(QuestionType):
    """Marked by a person against a rubric; ``grade`` only says it needs marking."""

    name = "essay"
    keys = frozenset({"min_words", "max_words", "rubric"})
    is_manual = True

    def check_spec(self, spec, problems):
        for key in ("min_words", "max_words"):
            if key in spec and (not isinstance(spec[key], int) or spec[key] < 1):
                problems.append(f"'{key}' must be a whole number of at least 1")
        rubric = spec.get("rubric", [])
        found = rubric_problems(rubric, float(spec.get("points", 1)))
        problems.extend(found)
        if not isinstance(rubric, list):
            spec["rubric"] = []

    def validate(self, question, response):
        return validate_text(response, MAX_ESSAY_RESPONSE)

    def parse_form(self, question, form, name):
        value = form.get(name) or ""
        return self.validate(question, value) if value.strip() else None

    def grade(self, question, response):
        return Score(0.0, self.max_points(question), needs_manual=True)

    def student_fields(self, question, reader: Reader) -> dict[str, Any]:
        rubric = [
            {
                "criterion": reader.localised(c, "criterion"),
                "levels": [
                    {"points": lv["points"], "description": reader.localised(lv, "description")}
                    for lv in c["levels"]
                ],
            }
            for c in question.get("rubric", [])
        ]
        return {
            "min_words": question.get("min_words"),
            "max_words": question.get("max_words"),
            "rubric": rubric,
        }

    def key_lines(self, question, reader: Reader) -> list[tuple[str, str]]:
        return []  # marked by a person against the rubric: there is no key to show

    def rubric_points(self, question: Mapping[str, Any], levels: Mapping[int, int]) -> float:
        """Points for a choice of one level per criterion (criterion index → level index)."""
        return rubric_points(question.get("rubric") or [], levels)


def word_count(text: str | None) -> int:
    """Words in an answer; each CJK character counts as one word."""
    if not text:
        return 0
    cjk = len(re.findall(r"[\u3400-\u9fff]", text))
    return cjk + len(re.findall(r"[^\s\u3400-\u9fff]+", text))
