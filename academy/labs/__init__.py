"""The sandbox in the browser: class markets, firms, lab checks.

Importing the package registers its course-package extension (the settings of lab
lessons), the panel shown on lab lesson pages and the lab checks' column in the
gradebook.
"""

from __future__ import annotations


def _register_with_catalog() -> None:
    try:
        from academy.catalog.packages import register_lesson_panel, register_package_extension
    except ImportError:  # a build without the catalog
        return
    from academy.labs.package import LabsPackageExtension
    from academy.labs.panel import lab_lesson_panel

    register_package_extension(LabsPackageExtension())
    register_lesson_panel("lab", lab_lesson_panel)


def _register_with_gradebook() -> None:
    from academy.assessment.grade_sources import register_grade_source
    from academy.labs.grades import LabGrades

    register_grade_source(LabGrades())


_register_with_catalog()
_register_with_gradebook()
