"""The landing page, the dashboard, the language switch and the health check."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from academy.auth import operations
from academy.auth.models import Role
from academy.auth.permissions import login_required, public, safe_next
from academy.i18n import SESSION_KEY, normalise_locale
from academy.main.forms import LanguageForm
from academy.navigation import register_nav_item

bp = Blueprint("main", __name__, template_folder="templates")

register_nav_item("main.dashboard", _l("Dashboard"), lambda user: user.is_authenticated, order=10)


@bp.route("/")
@public
def index():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    return render_template("main/index.html")


@bp.route("/dashboard")
@login_required
def dashboard():
    memberships = sorted(
        current_user.memberships, key=lambda m: (m.organisation.name, m.role.value)
    )
    return render_template(
        "main/dashboard.html",
        memberships=memberships,
        role_label=operations.role_label,
        kind_label=operations.kind_label,
        is_org_admin=current_user.has_role(Role.ORG_ADMIN),
    )


@bp.route("/language", methods=["POST"])
@public
def set_language():
    form = LanguageForm()
    if form.validate_on_submit():
        # An unknown locale falls back to English rather than failing.
        locale = normalise_locale(form.locale.data) or "en"
        session[SESSION_KEY] = locale
        if current_user.is_authenticated:
            operations.set_preferred_locale(current_user, locale)
    return redirect(safe_next(url_for("main.index")))


@bp.route("/healthz")
@public
def healthz():
    from academy.observability.health import health_response

    return health_response()


@bp.app_context_processor
def language_form():
    return {"language_form": LanguageForm(formdata=None, next=request.full_path.rstrip("?"))}
