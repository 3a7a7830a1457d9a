"""What a gradebook counts: quizzes, and whatever other domains register.

Assessment owns the gradebook, but assignments belong to the learning domain and lab
checks to the labs domain, which assessment may not import (tests/test_import_rules.py).
So every domain that grades work registers a ``GradeSource``: given a course's lessons
it names its columns, and given the students it fills their cells with one query
whatever the class size. The teacher's gradebook and a student's "My grades" are both
built from the same sources, so they never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from academy.catalog.models import Lesson


@dataclass(frozen=True)
class GradedLesson:
    """A published lesson of the course, in syllabus order, with its current titles."""

    lesson: Lesson
    title: str
    title_zh: str


@dataclass(frozen=True)
class Column:
    """One graded thing in a course: a quiz, an assignment or a lab."""

    key: str  # unique in the book, e.g. "quiz-3", "assignment-7"
    kind: str  # "quiz", "assignment" or "lab"
    lesson: Lesson
    title: str
    weight: float
    #: The percentage that passes; None when the source decides (a lab's check).
    pass_mark: float | None
    #: Where a teacher manages or grades it (an endpoint and its arguments).
    endpoint: str | None = None
    endpoint_args: tuple[tuple[str, object], ...] = ()
    #: Whether the endpoint also takes the gradebook's class_id.
    takes_class: bool = False
    #: The source's own object for the column (the Quiz of a quiz column).
    subject: object = None

    @property
    def slug(self) -> str:
        """The column's name in CSV files: the lesson's slug."""
        return self.lesson.slug


@dataclass
class Cell:
    """One student's grade for one column."""

    percent: float | None = None
    is_offline: bool = False
    is_pending: bool = False  # handed in, waiting for marking or release
    #: Set by sources whose pass is not a percentage (a lab's check).
    passed: bool | None = None
    #: Links for the student: ``(label, endpoint, args)``, e.g. each quiz attempt.
    links: list[tuple[str, str, dict[str, object]]] = field(default_factory=list)
    feedback: str = ""

    def has_passed(self, column: Column) -> bool:
        """Whether this grade passes ``column``."""
        if self.passed is not None:
            return self.passed
        return (
            self.percent is not None
            and column.pass_mark is not None
            and self.percent >= column.pass_mark
        )


class GradeSource(Protocol):
    """A domain's graded work, as the gradebook sees it."""

    def columns(self, lessons: list[GradedLesson]) -> list[Column]:
        """The columns for this source's lessons of the course, in the order given."""
        ...

    def cells(
        self,
        columns: list[Column],
        user_ids: list[int],
        *,
        class_id: int | None,
        for_student: bool,
    ) -> dict[tuple[int, str], Cell]:
        """The cells of ``user_ids`` in ``columns``, keyed by ``(user_id, column.key)``.

        ``for_student`` asks for what the student may see (released marks only) and the
        links a student follows; otherwise the teacher's view.
        """
        ...


_SOURCES: list[GradeSource] = []


def register_grade_source(source: GradeSource) -> None:
    """Add ``source`` to every gradebook (once, whatever the number of calls)."""
    if not any(type(known) is type(source) for known in _SOURCES):
        _SOURCES.append(source)


def grade_sources() -> list[GradeSource]:
    """The registered sources, in the order they registered."""
    return list(_SOURCES)
