"""Assessment's background work: the gradebook CSV of a large class."""

from __future__ import annotations

from typing import Any

from academy.assessment.gradebook import build_gradebook, gradebook_csv
from academy.db import db
from academy.exports.operations import Built, register_export
from academy.learning.models import SchoolClass


@register_export("gradebook")
def gradebook_export(params: dict[str, Any]) -> Built:
    """The class's gradebook as CSV (params: ``class_id``)."""
    book = build_gradebook(db.session.get_one(SchoolClass, params["class_id"]))
    return Built(gradebook_csv(book), len(book.rows))
