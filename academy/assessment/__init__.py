"""Assessment: question types, banks, quizzes, attempts, marking and the gradebook.

Importing the package registers its course-package extension (``questions/`` and the
quiz keys of quiz lessons) and the panel shown on quiz lesson pages.
"""

from __future__ import annotations


def _register_with_catalog() -> None:
    try:
        from academy.catalog.packages import register_lesson_panel, register_package_extension
    except ImportError:  # a build without the catalog
        return
    from academy.assessment.panel import quiz_lesson_panel
    from academy.assessment.quizzes import AssessmentPackageExtension

    register_package_extension(AssessmentPackageExtension())
    register_lesson_panel("quiz", quiz_lesson_panel)


_register_with_catalog()
