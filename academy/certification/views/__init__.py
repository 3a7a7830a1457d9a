"""The certification pages: one blueprint, one module per kind of user."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, render_template
from flask_babel import format_datetime, get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user, user_logged_in

from academy.auth.models import Role
from academy.auth.permissions import can, login_required, require
from academy.certification import permissions as _permissions  # noqa: F401  (registers rules)
from academy.certification import practical, queries
from academy.certification.models import Candidate, Programme, Sitting, Standard
from academy.db import db
from academy.navigation import register_nav_item

bp = Blueprint(
    "certification", __name__, template_folder="../templates", url_prefix="/certification"
)

register_nav_item(
    "certification.home",
    _l("Certification"),
    lambda user: user.is_authenticated,
    order=60,
)


def pick(english: str | None, chinese: str | None) -> str:
    if str(get_locale() or "en").startswith("zh") and chinese:
        return chinese
    return english or chinese or ""


def reason_text(reason: dict[str, Any]) -> str:
    """One plain-word reason of a result, in the reader's language."""
    from flask_babel import gettext as _

    params = reason.get("params", {})
    if reason["key"] == "absent":
        return _("You did not sit the exam.")
    if reason["key"] == "total_below":
        return _("Your weighted total is %(percent)s%%; the level needs %(needed)s%%.", **params)
    if reason["key"] == "unit_below":
        return _("Unit %(unit)s: %(percent)s%%; every unit needs at least %(needed)s%%.", **params)
    return _(
        "Practical task %(task)s: not met: %(criterion)s",
        task=params.get("task", ""),
        criterion=practical.criterion_text(reason["criterion"]),
    )


@bp.context_processor
def certification_helpers() -> dict[str, Any]:
    return {
        "Role": Role,
        "pick": pick,
        "reason_text": reason_text,
        "criterion_text": practical.criterion_text,
        "when": lambda value: format_datetime(value, "yyyy-MM-dd HH:mm") + " UTC" if value else "",
    }


def competency_units(course_slug: str, lesson_slug: str) -> list[queries.UnitReference]:
    """The units of competency a lesson serves (read once per request)."""
    from flask import g

    if "certification_lesson_units" not in g:
        g.certification_lesson_units = queries.lesson_units()
    return g.certification_lesson_units.get(f"{course_slug}/{lesson_slug}", [])


@bp.app_context_processor
def competency_context() -> dict[str, Any]:
    # The course page names the talent-standard units each lesson serves.
    return {"competency_units": competency_units}


def get_or_404(model: type, object_id: int):
    found = db.session.get(model, object_id)
    if found is None:
        abort(404)
    return found


def get_sitting_or_404(sitting_id: int, action: str | None = None) -> Sitting:
    sitting = get_or_404(Sitting, sitting_id)
    if action:
        require(can(current_user, action, sitting))
    return sitting


def get_programme_or_404(programme_id: int) -> Programme:
    programme = get_or_404(Programme, programme_id)
    require(can(current_user, "association.manage", programme.organisation))
    return programme


def get_standard_or_404(standard_id: int) -> Standard:
    standard = get_or_404(Standard, standard_id)
    require(can(current_user, "association.manage", standard.organisation))
    return standard


def get_candidate_or_404(candidate_id: int, action: str) -> Candidate:
    candidate = get_or_404(Candidate, candidate_id)
    require(can(current_user, action, candidate.sitting))
    return candidate


@user_logged_in.connect
def _hand_the_exam_to_the_new_session(_app: Any, user: Any, **_extra: Any) -> None:
    # A login elsewhere during a sitting ends the older session's hold on the exam.
    from flask import session

    from academy.certification.sittings.delivery import end_other_sessions

    session.pop("certification_exam", None)
    end_other_sessions(user)


@bp.route("/")
@login_required
def home():
    associations = queries.associations_of(current_user)
    managed = queries.associations_of(current_user, Role.ORG_ADMIN)
    return render_template(
        "certification/home.html",
        associations=associations,
        standards=queries.standards_of(managed),
        programmes=queries.programmes_of(managed),
        sittings=queries.sittings_of(associations),
        candidacies=queries.candidacies_of(current_user),
        open_sittings=queries.open_sittings(),
        schools=queries.schools_taught_by(current_user),
    )


from academy.certification.views import (  # noqa: E402,F401  (routes register on bp)
    exam,
    invigilation,
    marking,
    programmes,
    school,
    sittings,
    standards,
)
