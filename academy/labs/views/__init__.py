"""Pages of the sandbox in the browser: teachers' class markets and students' firms."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("labs", __name__, template_folder="../templates", url_prefix="/sandbox")

from academy.labs.views import (  # noqa: E402, F401
    desk,
    lab,
    negotiation,
    student,
    teacher,
    teacher_shocks,
)
