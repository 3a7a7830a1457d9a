"""Site administration: every organisation and every user."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from academy.admin.forms import EditOrganisationForm, UserFlagsForm
from academy.auth import operations, queries, resets, sessions, two_factor
from academy.auth.models import Membership, Organisation, User
from academy.auth.permissions import site_admin_required
from academy.auth.reauth import recent_authentication_required
from academy.db import db
from academy.errors import OperationError
from academy.forms import ConfirmForm, required, show_operation_error
from academy.navigation import register_nav_item
from academy.orgs.forms import MembershipForm, OrganisationForm
from academy.timezones import time_zone_names

bp = Blueprint("admin", __name__, template_folder="templates", url_prefix="/admin")

register_nav_item(
    "admin.list_organisations",
    _l("Administration"),
    lambda user: user.is_authenticated and user.is_site_admin,
    order=90,
)


def get_user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.route("/organisations", methods=["GET", "POST"])
@site_admin_required
def list_organisations():
    form = OrganisationForm()
    status = 200
    if form.validate_on_submit():
        try:
            organisation = operations.create_organisation(
                required(form.name.data),
                required(form.kind.data),
                required(form.slug.data),
                form.description.data or "",
            )
        except OperationError as error:
            show_operation_error(form, error)
        else:
            flash(_("Organisation %(name)s created.", name=organisation.name), "success")
            return redirect(url_for("admin.list_organisations"))
    if form.errors or form.form_errors:
        status = 400
    return render_template(
        "admin/organisations.html",
        organisations=queries.list_organisations(),
        form=form,
        kind_label=operations.kind_label,
    ), status


@bp.route("/users")
@site_admin_required
def list_users():
    text = request.args.get("q", "").strip()[:100]
    page = request.args.get("page", 1, type=int) or 1
    # Clamped: a page number past any real list would overflow the database's OFFSET.
    page = min(max(page, 1), 100_000)
    page_size = current_app.config["PAGE_SIZE"]
    users, total = queries.search_users(text, page, page_size)
    return render_template(
        "admin/users.html",
        users=users,
        total=total,
        page=page,
        pages=max(1, -(-total // page_size)),
        query_text=text,
        role_label=operations.role_label,
    )


def get_organisation_or_404(organisation_id: int) -> Organisation:
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None:
        abort(404)
    return organisation


@bp.route("/organisations/<int:organisation_id>", methods=["GET", "POST"])
@site_admin_required
@recent_authentication_required
def edit_organisation(organisation_id: int):
    organisation = get_organisation_or_404(organisation_id)
    form = EditOrganisationForm(obj=organisation)
    form.time_zone.choices = [("", _("UTC (the site's default)")), *_zone_choices()]
    if form.validate_on_submit():
        try:
            operations.update_organisation(
                organisation,
                name=required(form.name.data),
                description=form.description.data or "",
                description_zh=form.description_zh.data or "",
                time_zone=form.time_zone.data,
                is_active=form.is_active.data,
                acting=current_user,
            )
        except OperationError as error:
            show_operation_error(form, error)
        else:
            flash(_("Organisation %(name)s saved.", name=organisation.name), "success")
            return redirect(url_for("admin.list_organisations"))
    status = 400 if form.errors or form.form_errors else 200
    return render_template(
        "admin/organisation.html",
        organisation=organisation,
        form=form,
        kind_label=operations.kind_label,
    ), status


def _zone_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in time_zone_names()]


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@site_admin_required
@recent_authentication_required
def edit_user(user_id: int):
    user = get_user_or_404(user_id)
    flags_form = UserFlagsForm(obj=user)
    if flags_form.validate_on_submit():
        try:
            operations.set_user_flags(
                user,
                is_site_admin=flags_form.is_site_admin.data,
                is_enabled=flags_form.is_enabled.data,
                acting=current_user,
            )
        except OperationError as error:
            show_operation_error(flags_form, error)
        else:
            flash(_("The account has been saved."), "success")
            return redirect(url_for("admin.edit_user", user_id=user.id))
    return _render_user(
        user, flags_form, MembershipForm(organisations=queries.list_organisations())
    )


def _render_user(
    user: User, flags_form: UserFlagsForm, membership_form: MembershipForm, status=200
):
    return render_template(
        "admin/user.html",
        user=user,
        flags_form=flags_form,
        membership_form=membership_form,
        action_form=ConfirmForm(),
        role_label=operations.role_label,
    ), status


@bp.route("/users/<int:user_id>/deactivate", methods=["POST"])
@site_admin_required
@recent_authentication_required
def deactivate_user(user_id: int):
    return _set_enabled(get_user_or_404(user_id), False)


@bp.route("/users/<int:user_id>/reactivate", methods=["POST"])
@site_admin_required
@recent_authentication_required
def reactivate_user(user_id: int):
    return _set_enabled(get_user_or_404(user_id), True)


def _set_enabled(user: User, is_enabled: bool):
    if ConfirmForm().validate_on_submit():
        try:
            operations.set_user_enabled(user, is_enabled, acting=current_user)
        except OperationError as error:
            flash(str(error.message), "error")
        else:
            if is_enabled:
                flash(_("%(name)s can log in again.", name=user.display_name), "success")
            else:
                flash(
                    _("%(name)s is deactivated and logged out everywhere.", name=user.display_name),
                    "success",
                )
    return redirect(url_for("admin.edit_user", user_id=user.id))


@bp.route("/users/<int:user_id>/password-reset", methods=["POST"])
@site_admin_required
@recent_authentication_required
def send_password_reset(user_id: int):
    user = get_user_or_404(user_id)
    if ConfirmForm().validate_on_submit():
        try:
            resets.send_reset_link(user, acting=current_user)
        except OperationError as error:
            flash(str(error.message), "error")
        else:
            flash(_("A password-reset link was sent to %(email)s.", email=user.email), "success")
    return redirect(url_for("admin.edit_user", user_id=user.id))


@bp.route("/users/<int:user_id>/two-factor/remove", methods=["POST"])
@site_admin_required
@recent_authentication_required
def remove_two_factor(user_id: int):
    """For a user who lost their phone and recovery codes (checked out of band)."""
    user = get_user_or_404(user_id)
    if ConfirmForm().validate_on_submit() and user.has_two_factor:
        two_factor.disable_two_factor(user, required=False, acting=current_user)
        sessions.end_all_sessions(user)
        flash(
            _("Two-factor authentication of %(name)s is off.", name=user.display_name),
            "success",
        )
    return redirect(url_for("admin.edit_user", user_id=user.id))


@bp.route("/users/<int:user_id>/memberships", methods=["POST"])
@site_admin_required
@recent_authentication_required
def add_membership(user_id: int):
    user = get_user_or_404(user_id)
    organisations = queries.list_organisations()
    form = MembershipForm(organisations=organisations)
    if form.validate_on_submit():
        organisation = next(org for org in organisations if org.id == form.organisation.data)
        operations.add_membership(user, organisation, form.role.data)
        flash(_("The membership was added."), "success")
        return redirect(url_for("admin.edit_user", user_id=user.id))
    return _render_user(user, UserFlagsForm(formdata=None, obj=user), form, status=400)


@bp.route("/users/<int:user_id>/memberships/<int:membership_id>/remove", methods=["POST"])
@site_admin_required
@recent_authentication_required
def remove_membership(user_id: int, membership_id: int):
    user = get_user_or_404(user_id)
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.user_id != user.id:
        abort(404)
    if ConfirmForm().validate_on_submit():
        operations.remove_membership(membership, current_user)
        flash(_("The membership was removed."), "success")
    return redirect(url_for("admin.edit_user", user_id=user.id))
