"""Course packages: folders of TOML and Markdown that import into and export from courses.

The format is documented in courses/README.md. ``read_package`` parses and validates a
folder, ``import_package`` writes it into the database, ``export_course`` writes a course
back to a folder. Other domains add their parts through ``register_package_extension``.
"""

from academy.catalog.packages.extensions import (
    PackageExtension,
    package_extensions,
    register_lesson_panel,
    register_package_extension,
)
from academy.catalog.packages.model import (
    CoursePackage,
    LessonSpec,
    ModuleSpec,
    PartnerSpec,
    Problem,
    Source,
)

__all__ = [
    "CoursePackage",
    "LessonSpec",
    "ModuleSpec",
    "PackageExtension",
    "PartnerSpec",
    "Problem",
    "Source",
    "package_extensions",
    "register_lesson_panel",
    "register_package_extension",
]
