"""How questions reach the page: localised texts, sanitised Markdown, student views.

``student_view`` builds everything a template needs to show a question to a learner
and nothing more: no ``correct`` flags, answers, formulas or rules. Templates never
see a spec, so an answer key cannot reach the browser before review is allowed.
``key_view`` is the separate, explicit step that adds the key for review pages.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from academy.assessment.questions import question_type
from academy.assessment.questions.base import stable_id
from academy.assessment.questions.calculation import show_number
from academy.assessment.questions.text import word_count
from academy.i18n import is_chinese
from academy.markdown import render_markdown

DOCUMENT_TITLES = {
    "commercial_invoice": _l("Commercial invoice"),
    "packing_list": _l("Packing list"),
    "export_declaration": _l("Export declaration"),
    "bill_of_lading": _l("Bill of lading"),
    "bill_of_exchange": _l("Bill of exchange (draft)"),
    "insurance_policy": _l("Insurance policy"),
    "certificate_of_origin": _l("Certificate of origin"),
}


def localised(mapping: Mapping[str, Any], key: str) -> Any:
    """``key_zh`` for a reader in Chinese when the author wrote one, else ``key``."""
    if is_chinese() and mapping.get(f"{key}_zh"):
        return mapping[f"{key}_zh"]
    return mapping.get(key)


def student_view(question: Mapping[str, Any], name: str) -> dict[str, Any]:
    """What a learner may see of ``question`` (a spec plus what the attempt drew)."""
    kind = question["type"]
    prompt = localised(question, "prompt") or ""
    if kind == "calculation":
        prompt = question_type(kind).prompt_with_values(question, prompt)
    view: dict[str, Any] = {
        "type": kind,
        "name": name,
        "prompt": render_markdown(prompt),
        "points": question.get("points", 1),
        "unit": question.get("unit"),
    }
    if kind in ("single_choice", "multiple_response"):
        by_id = {option["id"]: option for option in question["options"]}
        order = question.get("order") or list(by_id)
        view["options"] = [{"id": i, "text": localised(by_id[i], "text")} for i in order]
    elif kind == "matching":
        view["lefts"] = [
            {"index": str(i), "text": localised(pair, "left")}
            for i, pair in enumerate(question["pairs"])
        ]
        rights = {stable_id(p["right"]): localised(p, "right") for p in question["pairs"]}
        rights.update({stable_id(d): d for d in question.get("distractors", [])})
        order = question.get("right_order") or sorted(rights)
        view["rights"] = [{"id": i, "text": rights[i]} for i in order]
    elif kind == "ordering":
        texts = question.get("items_zh") if is_chinese() and question.get("items_zh") else None
        labels = dict(
            zip(map(stable_id, question["items"]), texts or question["items"], strict=True)
        )
        order = question.get("order") or sorted(labels)
        view["items"] = [{"id": i, "text": labels[i]} for i in order]
    elif kind == "cloze":
        gaps = {gap["id"]: gap for gap in question["gaps"]}
        text_key = "text_zh" if is_chinese() and question.get("text_zh") else "text"
        view["segments"] = [
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
            for text, gap in question_type("cloze").segments(question, text_key)
        ]
    elif kind == "document_completion":
        view["document"] = question["document"]
        view["document_title"] = DOCUMENT_TITLES.get(question["document"], question["document"])
        view["case"] = render_markdown(localised(question, "case"))
        view["fields"] = [
            {
                "name": rule["name"],
                "label": localised(rule, "label"),
                "numeric": rule.get("type") == "numeric",
                "unit": rule.get("unit"),
            }
            for rule in question["fields"]
        ]
    elif kind == "essay":
        view["min_words"] = question.get("min_words")
        view["max_words"] = question.get("max_words")
        view["rubric"] = [
            {
                "criterion": localised(c, "criterion"),
                "levels": [
                    {"points": lv["points"], "description": localised(lv, "description")}
                    for lv in c["levels"]
                ],
            }
            for c in question.get("rubric", [])
        ]
    return view


def form_values(question: Mapping[str, Any], response: Any, name: str) -> dict[str, Any]:
    """The saved response as the values of the form fields named after ``name``."""
    if response is None:
        return {}
    kind = question["type"]
    if kind in ("matching", "cloze", "document_completion"):
        return {f"{name}-{key}": str(value) for key, value in response.items()}
    if kind == "ordering":
        return {f"{name}-{item}": str(pos) for pos, item in enumerate(response, start=1)}
    if kind == "multiple_response":
        return {name: list(response)}
    if kind == "true_false":
        return {name: "true" if response else "false"}
    if isinstance(response, float):
        return {name: show_number(response).replace(",", "")}
    return {name: str(response)}


def key_view(question: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The answer key as (label, text) lines, for review pages only."""
    kind = question["type"]
    key = question_type(kind).answer_key(question)
    if kind in ("single_choice", "multiple_response"):
        ids = key if isinstance(key, list) else [key]
        by_id = {o["id"]: localised(o, "text") for o in question["options"]}
        return [("", by_id[i]) for i in ids]
    if kind == "true_false":
        return [("", str(_l("True")) if key else str(_l("False")))]
    if kind == "matching":
        return [(localised(p, "left"), localised(p, "right")) for p in question["pairs"]]
    if kind == "ordering":
        return [(str(n), text) for n, text in enumerate(question["items"], start=1)]
    if kind == "cloze":
        return [(gap, str(value)) for gap, value in key.items()]
    if kind == "document_completion":
        labels = {r["name"]: localised(r, "label") for r in question["fields"]}
        return [(labels[name], str(value)) for name, value in key.items()]
    if kind == "essay":
        return []
    unit = question.get("unit")
    return [("", f"{key} {unit}" if unit else str(key))]


def words(text: str | None) -> int:
    return word_count(text)


def safe_text(text: Any) -> Markup:
    return escape(text or "")
