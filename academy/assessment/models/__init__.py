"""Question banks, versioned questions, quizzes, attempts, marks and their audit log.

The models live in one module per subject; this package re-exports them so
``from academy.assessment.models import Quiz`` keeps working.
"""

from __future__ import annotations

from academy.assessment.models.attempts import Attempt, AttemptItem, AttemptStatus
from academy.assessment.models.marks import MarkChange, OfflineMark
from academy.assessment.models.questions import Question, QuestionBank, QuestionVersion
from academy.assessment.models.quizzes import GradeKept, Quiz, ReviewPolicy

__all__ = [
    "Attempt",
    "AttemptItem",
    "AttemptStatus",
    "GradeKept",
    "MarkChange",
    "OfflineMark",
    "Question",
    "QuestionBank",
    "QuestionVersion",
    "Quiz",
    "ReviewPolicy",
]
