"""Courses written by schools and enterprises together.

Structure (course → module → lesson) and settings live on the rows themselves and are
changed by the course team directly. Lesson *content* (titles and bodies in both
languages) lives in ``LessonRevision`` rows: learners see the lesson's published
revision; every other revision is a draft, a proposal awaiting review, or one sent back.
Published revisions are never deleted, so the history is complete.

The models live in one module per subject (``courses``, ``lessons``); this package
re-exports them so ``from academy.catalog.models import Lesson`` keeps working.
"""

from __future__ import annotations

from academy.catalog.models.courses import (
    Course,
    CourseLevel,
    CoursePartner,
    CourseTeamMember,
    PartnerRole,
    TeamRole,
)
from academy.catalog.models.lessons import (
    ASSET_URL_MARKER,
    CourseAsset,
    Lesson,
    LessonKind,
    LessonRevision,
    Module,
    RevisionStatus,
)

__all__ = [
    "ASSET_URL_MARKER",
    "Course",
    "CourseAsset",
    "CourseLevel",
    "CoursePartner",
    "CourseTeamMember",
    "Lesson",
    "LessonKind",
    "LessonRevision",
    "Module",
    "PartnerRole",
    "RevisionStatus",
    "TeamRole",
]
