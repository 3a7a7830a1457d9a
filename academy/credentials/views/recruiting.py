"""The recruiter's pages: search the talent pool, look at a profile, ask for contact."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from academy.auth.models import Organisation, Role
from academy.auth.permissions import require_role
from academy.credentials import queries, talent
from academy.credentials.forms import ContactForm, SearchForm
from academy.credentials.models import Availability, TalentProfile
from academy.credentials.views import bp
from academy.db import db
from academy.errors import OperationError
from academy.forms import required, show_operation_error
from academy.numbers import int_arg

#: No search has this many pages; a larger number is a probe, not a reader.
MAX_PAGE = 100_000


class NoEnterprise(Exception):
    """A recruiter without a membership of an enterprise organisation."""


@bp.errorhandler(NoEnterprise)
def no_enterprise(_error: NoEnterprise):
    return render_template("credentials/no_enterprise.html"), 403


def _recruiting_for() -> Organisation | None:
    """The recruiter's enterprise; a site admin may look without one."""
    try:
        return talent.recruiting_organisation(current_user)
    except OperationError as error:
        if current_user.is_site_admin:
            return None
        raise NoEnterprise from error


def _pooled_or_404(profile_id: int) -> TalentProfile:
    profile = db.session.get(TalentProfile, profile_id)
    if profile is None or not profile.is_opted_in:
        abort(404)
    return profile


@bp.route("/talent")
@require_role(Role.RECRUITER)
def search_pool():
    organisation = _recruiting_for()
    form = SearchForm(request.args)
    levels, units = queries.pool_choices()
    form.level.choices = [("", ""), *((level, level) for level in levels)]
    form.units.choices = [(unit, unit) for unit in units]
    searched = bool(request.args)
    profiles: list[TalentProfile] = []
    has_more = False
    if searched and form.validate():
        criteria = queries.SearchCriteria(
            level_code=form.level.data or "",
            unit_codes=tuple(form.units.data or ()),
            province=form.province.data or "",
            language=form.language.data or "",
            availability=tuple(Availability(value) for value in form.availability.data or ()),
            page=_page(),
        )
        profiles, has_more = queries.search_pool(criteria)
    return render_template(
        "credentials/search.html",
        form=form,
        organisation=organisation,
        searched=searched,
        profiles=profiles,
        next_url=_next_page_url() if has_more else None,
    )


def _page() -> int:
    """The page asked for, from 1 to MAX_PAGE (past it the OFFSET overflowed: a 500)."""
    return min(max(int_arg(request.args, "page", 1) or 1, 1), MAX_PAGE)


def _next_page_url() -> str:
    args: dict[str, Any] = request.args.to_dict(flat=False)
    args["page"] = [str(_page() + 1)]
    return url_for(".search_pool", **args)


@bp.route("/talent/<int:profile_id>", methods=["GET", "POST"])
@require_role(Role.RECRUITER)
def show_pool_profile(profile_id: int):
    _recruiting_for()
    profile = _pooled_or_404(profile_id)
    form = ContactForm()
    if request.method == "POST" and form.validate_on_submit():
        try:
            talent.send_contact_request(current_user, profile, required(form.message.data))
        except OperationError as error:
            show_operation_error(form, error)
        else:
            flash(
                _("Your request is sent. You will see the e-mail address if it is accepted."),
                "success",
            )
            return redirect(url_for(".list_contact_requests"))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "credentials/talent_profile.html",
        profile=profile,
        units=queries.units_of_profile(profile),
        highlights=queries.highlights(profile.user_id) if profile.show_highlights else [],
        courses=queries.completed_courses(profile.user_id) if profile.show_courses else [],
        pending=queries.pending_request(current_user.id, profile.id),
        form=form,
    ), status


@bp.route("/talent/requests")
@require_role(Role.RECRUITER)
def list_contact_requests():
    _recruiting_for()
    return render_template(
        "credentials/requests.html", requests=queries.requests_by_recruiter(current_user.id)
    )
