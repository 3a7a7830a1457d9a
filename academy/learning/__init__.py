"""Classes, enrollment, progress and completion."""

from academy.assessment.grade_sources import register_grade_source as _register_grades
from academy.auth.operations import JOIN_CODE_HANDLERS as _JOIN_CODE_HANDLERS
from academy.learning import rules as _rules  # noqa: F401  (registers the can() rules)
from academy.learning.grades import AssignmentGrades as _AssignmentGrades
from academy.learning.operations import join_class_at_registration as _join

if _join not in _JOIN_CODE_HANDLERS:
    _JOIN_CODE_HANDLERS.append(_join)
_register_grades(_AssignmentGrades())
