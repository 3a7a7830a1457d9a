"""The credentials pages: public verification, holders, associations, recruiters."""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from academy.auth.models import OrganisationKind, Role
from academy.credentials import issuing  # noqa: F401  (registers with the results release)
from academy.credentials.forms import LANGUAGE_NAMES, PROVINCE_NAMES
from academy.i18n import current_language
from academy.navigation import register_nav_item

bp = Blueprint("credentials", __name__, template_folder="../templates")


def pick(english: str, chinese: str) -> str:
    """The snapshot text in the reader's language."""
    return (chinese or english) if current_language() == "zh" else (english or chinese)


def province_name(code: str) -> str:
    names = PROVINCE_NAMES.get(code)
    if names is None:
        return ""
    return pick(*names)


@bp.context_processor
def credentials_helpers() -> dict[str, Any]:
    return {
        "pick": pick,
        "province_name": province_name,
        "language_names": LANGUAGE_NAMES,
    }


def _is_association_admin(user: Any) -> bool:
    return any(
        m.role == Role.ORG_ADMIN and m.organisation.kind == OrganisationKind.ASSOCIATION
        for m in user.memberships
    )


register_nav_item(
    "credentials.my_certificates",
    _l("My certificates"),
    lambda user: user.is_authenticated and user.has_role(Role.STUDENT),
    order=60,
)
register_nav_item(
    "credentials.search_pool",
    _l("Talent pool"),
    lambda user: user.is_authenticated and user.has_role(Role.RECRUITER),
    order=61,
)
register_nav_item(
    "credentials.list_associations",
    _l("Certificates issued"),
    lambda user: user.is_authenticated and _is_association_admin(user),
    order=62,
)

from academy.credentials.views import association, holder, public, recruiting  # noqa: E402

__all__ = ["association", "bp", "holder", "public", "recruiting"]
