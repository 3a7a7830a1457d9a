"""The sandbox in the browser: class markets, firms, lab checks.

Importing the package registers the panel shown on lab lesson pages.
"""

from __future__ import annotations


def _register_with_catalog() -> None:
    try:
        from academy.catalog.packages import register_lesson_panel
    except ImportError:  # a build without the catalog
        return
    from academy.labs.panel import lab_lesson_panel

    register_lesson_panel("lab", lab_lesson_panel)


_register_with_catalog()
