"""Learning's background work: the progress CSV of a large class."""

from __future__ import annotations

from typing import Any

from academy.db import db
from academy.exports.operations import Built, register_export
from academy.learning import queries
from academy.learning.models import SchoolClass


@register_export("class_progress")
def class_progress_export(params: dict[str, Any]) -> Built:
    """The class's progress as CSV (params: ``class_id``)."""
    from academy.learning.views import progress_csv

    progress = queries.class_progress(db.session.get_one(SchoolClass, params["class_id"]))
    return Built(progress_csv(progress), len(progress.students))
