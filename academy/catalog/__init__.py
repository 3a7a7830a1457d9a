"""Courses, modules, lessons, their revisions, co-authors and review."""

from academy.catalog import rules as _rules  # noqa: F401  (registers the can() rules)
