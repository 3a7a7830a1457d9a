"""The export job: build the CSV on a worker and tell the owner where to get it."""

from __future__ import annotations

from academy.exports import operations
from academy.jobs import job


@job("exports.build", retries=3, backoff_seconds=10)
def build(export_id: int, link: str) -> None:
    operations.build_export(export_id, link)
