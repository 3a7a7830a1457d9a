"""Types where the learner picks or arranges given items."""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l

from academy.assessment.questions.base import (
    Part,
    QuestionType,
    Reader,
    ResponseError,
    Score,
    SpecProblems,
    register,
    stable_id,
    tidy,
)


def check_options(spec: dict[str, Any], problems: SpecProblems) -> None:
    options = spec.get("options")
    if not isinstance(options, list) or len(options) < 2:
        problems.append("'options' must list at least two options")
        spec["options"] = []
        return
    seen: set[str] = set()
    for number, option in enumerate(options, start=1):
        if not isinstance(option, dict):
            problems.append(f"option {number} must be a table with 'id' and 'text'")
            continue
        unknown = set(option) - {"id", "text", "text_zh", "correct", "feedback", "feedback_zh"}
        if unknown:
            problems.append(f"option {number} has unknown keys: {', '.join(sorted(unknown))}")
        option_id = option.get("id")
        if not isinstance(option_id, str) or not option_id.strip():
            problems.append(f"option {number} needs an 'id'")
        elif option_id in seen:
            problems.append(f"option id {option_id!r} is used twice")
        else:
            seen.add(option_id)
        if not isinstance(option.get("text"), str) or not option["text"].strip():
            problems.append(f"option {number} needs a 'text'")
        if "correct" in option and not isinstance(option["correct"], bool):
            problems.append(f"option {number}: 'correct' must be true or false")
        option.setdefault("correct", False)


def option_ids(question: Mapping[str, Any]) -> list[str]:
    return [option["id"] for option in question["options"]]


def shown_options(question: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The options in the order this attempt shows them."""
    by_id = {option["id"]: option for option in question["options"]}
    order = question.get("order") or list(by_id)
    return [by_id[option_id] for option_id in order if option_id in by_id]


class _OptionsType(QuestionType):
    keys = frozenset({"options"})

    def instantiate(self, spec, rng: random.Random, shuffle_options: bool) -> dict[str, Any]:
        order = option_ids(spec)
        if shuffle_options:
            rng.shuffle(order)
        return {"order": order}

    def student_fields(self, question, reader: Reader) -> dict[str, Any]:
        by_id = {option["id"]: option for option in question["options"]}
        order = question.get("order") or list(by_id)
        return {"options": [{"id": i, "text": reader.localised(by_id[i], "text")} for i in order]}

    def key_lines(self, question, reader: Reader) -> list[tuple[str, str]]:
        key = self.answer_key(question)
        ids = key if isinstance(key, list) else [key]
        by_id = {o["id"]: reader.localised(o, "text") for o in question["options"]}
        return [("", by_id[i]) for i in ids]


@register
class SingleChoice(_OptionsType):
    name = "single_choice"

    def check_spec(self, spec, problems):
        check_options(spec, problems)
        correct = [o for o in spec["options"] if isinstance(o, dict) and o.get("correct")]
        if spec["options"] and len(correct) != 1:
            problems.append("exactly one option must be correct")

    def validate(self, question, response):
        if not isinstance(response, str) or response not in option_ids(question):
            raise ResponseError(_l("Choose one of the options shown."))
        return response

    def grade(self, question, response):
        maximum = self.max_points(question)
        if response is None:
            return Score(0.0, maximum)
        chosen = self.validate(question, response)
        right = next(o["id"] for o in question["options"] if o.get("correct"))
        return Score(
            maximum if chosen == right else 0.0,
            maximum,
            (Part(chosen, maximum if chosen == right else 0.0, maximum, chosen == right),),
        )

    def answer_key(self, question):
        return next(o["id"] for o in question["options"] if o.get("correct"))


@register
class MultipleResponse(_OptionsType):
    """Each correct pick earns points/number-correct; each wrong pick takes as much off.

    The total never goes below zero.
    """

    name = "multiple_response"

    def check_spec(self, spec, problems):
        check_options(spec, problems)
        if spec["options"] and not any(
            isinstance(o, dict) and o.get("correct") for o in spec["options"]
        ):
            problems.append("at least one option must be correct")

    def validate(self, question, response):
        if not isinstance(response, list) or not all(isinstance(item, str) for item in response):
            raise ResponseError(_l("Choose options from the list shown."))
        known = set(option_ids(question))
        if any(item not in known for item in response):
            raise ResponseError(_l("Choose options from the list shown."))
        if len(set(response)) != len(response):
            raise ResponseError(_l("Each option can be chosen once."))
        return sorted(response, key=option_ids(question).index)

    def parse_form(self, question, form, name):
        picked = form.getlist(name) if hasattr(form, "getlist") else form.get(name, [])
        if isinstance(picked, str):
            picked = [picked]
        picked = [item for item in picked if item]
        return self.validate(question, picked) if picked else None

    def grade(self, question, response):
        maximum = self.max_points(question)
        if not response:
            return Score(0.0, maximum)
        picked = set(self.validate(question, response))
        correct = {o["id"] for o in question["options"] if o.get("correct")}
        share = maximum / len(correct)
        parts = []
        total = 0.0
        for option_id in option_ids(question):
            if option_id not in picked:
                continue
            gain = share if option_id in correct else -share
            total += gain
            parts.append(Part(option_id, tidy(gain), share, option_id in correct))
        return Score(tidy(max(0.0, min(total, maximum))), maximum, tuple(parts))

    def answer_key(self, question):
        return [o["id"] for o in question["options"] if o.get("correct")]

    def form_values(self, response, name):
        return {name: list(response)}


@register
class TrueFalse(QuestionType):
    name = "true_false"
    keys = frozenset({"answer"})

    def check_spec(self, spec, problems):
        if not isinstance(spec.get("answer"), bool):
            problems.append("'answer' must be true or false")

    def validate(self, question, response):
        if isinstance(response, bool):
            return response
        if response in ("true", "false"):
            return response == "true"
        raise ResponseError(_l("Choose true or false."))

    def grade(self, question, response):
        maximum = self.max_points(question)
        if response is None:
            return Score(0.0, maximum)
        right = self.validate(question, response) == question["answer"]
        return Score(maximum if right else 0.0, maximum)

    def answer_key(self, question):
        return question["answer"]

    def form_values(self, response, name):
        return {name: "true" if response else "false"}

    def key_lines(self, question, reader: Reader) -> list[tuple[str, str]]:
        return [("", str(_l("True")) if self.answer_key(question) else str(_l("False")))]


@register
class Matching(QuestionType):
    """Response: ``{left index as text: right item id}``; each correct pair earns a share."""

    name = "matching"
    keys = frozenset({"pairs", "distractors"})

    def check_spec(self, spec, problems):
        pairs = spec.get("pairs")
        if not isinstance(pairs, list) or len(pairs) < 2:
            problems.append("'pairs' must list at least two pairs")
            spec["pairs"] = []
            return
        rights: set[str] = set()
        for number, pair in enumerate(pairs, start=1):
            if not isinstance(pair, dict) or not all(
                isinstance(pair.get(key), str) and pair[key].strip() for key in ("left", "right")
            ):
                problems.append(f"pair {number} needs a 'left' and a 'right' text")
                continue
            unknown = set(pair) - {"left", "left_zh", "right", "right_zh"}
            if unknown:
                problems.append(f"pair {number} has unknown keys: {', '.join(sorted(unknown))}")
            if pair["right"] in rights:
                problems.append(f"pair {number}: right-hand text {pair['right']!r} is used twice")
            rights.add(pair["right"])
        distractors = spec.setdefault("distractors", [])
        if not isinstance(distractors, list) or not all(isinstance(d, str) for d in distractors):
            problems.append("'distractors' must be a list of texts")
        elif rights & set(distractors):
            problems.append("a distractor repeats a right-hand text")

    def right_items(self, question) -> list[tuple[str, str]]:
        texts = [pair["right"] for pair in question["pairs"]] + list(question["distractors"])
        return [(stable_id(text), text) for text in texts]

    def instantiate(self, spec, rng, shuffle_options):
        order = [item_id for item_id, _text in self.right_items(spec)]
        rng.shuffle(order)
        return {"right_order": order}

    def validate(self, question, response):
        if not isinstance(response, dict):
            raise ResponseError(_l("Match each item with one from the list."))
        known = {item_id for item_id, _text in self.right_items(question)}
        lefts = {str(index) for index in range(len(question["pairs"]))}
        clean = {}
        for left, right in response.items():
            if left not in lefts or not isinstance(right, str) or right not in known:
                raise ResponseError(_l("That pair does not exist in this question."))
            clean[left] = right
        return clean

    def parse_form(self, question, form, name):
        response = {}
        for index in range(len(question["pairs"])):
            value = (form.get(f"{name}-{index}") or "").strip()
            if value:
                response[str(index)] = value
        return self.validate(question, response) if response else None

    def grade(self, question, response):
        maximum = self.max_points(question)
        response = self.validate(question, response or {})
        share = maximum / len(question["pairs"])
        parts = []
        for index, pair in enumerate(question["pairs"]):
            right = response.get(str(index)) == stable_id(pair["right"])
            parts.append(Part(pair["left"], share if right else 0.0, share, right))
        return Score(tidy(sum(p.points for p in parts)), maximum, tuple(parts))

    def student_fields(self, question, reader: Reader) -> dict[str, Any]:
        lefts = [
            {"index": str(i), "text": reader.localised(pair, "left")}
            for i, pair in enumerate(question["pairs"])
        ]
        rights = {stable_id(p["right"]): reader.localised(p, "right") for p in question["pairs"]}
        rights.update({stable_id(d): d for d in question.get("distractors", [])})
        order = question.get("right_order") or sorted(rights)
        return {"lefts": lefts, "rights": [{"id": i, "text": rights[i]} for i in order]}

    def form_values(self, response, name):
        return {f"{name}-{key}": str(value) for key, value in response.items()}

    def key_lines(self, question, reader: Reader) -> list[tuple[str, str]]:
        return [
            (reader.localised(p, "left"), reader.localised(p, "right")) for p in question["pairs"]
        ]

    def answer_key(self, question):
        return {str(i): stable_id(pair["right"]) for i, pair in enumerate(question["pairs"])}


@register
class Ordering(QuestionType):
    """Response: the item ids in the learner's order; each item in place earns a share."""

    name = "ordering"
    keys = frozenset({"items", "items_zh"})

    def check_spec(self, spec, problems):
        items = spec.get("items")
        if (
            not isinstance(items, list)
            or len(items) < 2
            or not all(isinstance(i, str) and i.strip() for i in items)
        ):
            problems.append("'items' must list at least two texts, in the correct order")
            spec["items"] = []
            return
        if len(set(items)) != len(items):
            problems.append("every item of 'items' must be different")
        zh = spec.get("items_zh")
        if zh is not None and (not isinstance(zh, list) or len(zh) != len(items)):
            problems.append("'items_zh' must have as many texts as 'items'")

    def item_ids(self, question) -> list[str]:
        return [stable_id(text) for text in question["items"]]

    def instantiate(self, spec, rng, shuffle_options):
        order = self.item_ids(spec)
        for _ in range(5):  # a shown order that is already right would give the answer away
            rng.shuffle(order)
            if order != self.item_ids(spec):
                break
        return {"order": order}

    def validate(self, question, response):
        expected = self.item_ids(question)
        if (
            not isinstance(response, list)
            or sorted(map(str, response)) != sorted(expected)
            or not all(isinstance(item, str) for item in response)
        ):
            raise ResponseError(_l("Put every item in a position, each position once."))
        return list(response)

    def parse_form(self, question, form, name):
        # The form gives each shown item a position number (1 = first).
        ids = question.get("order") or self.item_ids(question)
        positions = {}
        for item_id in ids:
            value = (form.get(f"{name}-{item_id}") or "").strip()
            if not value:
                continue
            if not value.isdigit() or not 1 <= int(value) <= len(ids):
                raise ResponseError(_l("Give each item a position from 1 to %(n)s.", n=len(ids)))
            positions[item_id] = int(value)
        if not positions:
            return None
        if len(positions) != len(ids) or len(set(positions.values())) != len(ids):
            raise ResponseError(_l("Put every item in a position, each position once."))
        return self.validate(question, sorted(positions, key=positions.__getitem__))

    def grade(self, question, response):
        maximum = self.max_points(question)
        if response is None:
            return Score(0.0, maximum)
        given = self.validate(question, response)
        share = maximum / len(question["items"])
        parts = []
        for index, (text, item_id) in enumerate(
            zip(question["items"], self.item_ids(question), strict=True)
        ):
            right = given[index] == item_id
            parts.append(Part(text, share if right else 0.0, share, right))
        return Score(tidy(sum(p.points for p in parts)), maximum, tuple(parts))

    def answer_key(self, question):
        return self.item_ids(question)

    def student_fields(self, question, reader: Reader) -> dict[str, Any]:
        texts = question.get("items_zh") if reader.in_chinese and question.get("items_zh") else None
        labels = dict(
            zip(map(stable_id, question["items"]), texts or question["items"], strict=True)
        )
        order = question.get("order") or sorted(labels)
        return {"items": [{"id": i, "text": labels[i]} for i in order]}

    def form_values(self, response, name):
        return {f"{name}-{item}": str(pos) for pos, item in enumerate(response, start=1)}

    def key_lines(self, question, reader: Reader) -> list[tuple[str, str]]:
        return [(str(n), text) for n, text in enumerate(question["items"], start=1)]
