"""An organisation's members and invitations, managed by its org admins."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from academy.audit import views as audit_views
from academy.auth import operations, queries
from academy.auth.models import Invitation, Membership, Organisation, Role
from academy.auth.permissions import can, require, require_role, rule
from academy.auth.reauth import confirm_recent_authentication
from academy.db import db
from academy.errors import OperationError
from academy.forms import ConfirmForm, made, repeat_of, required, show_operation_error
from academy.navigation import register_nav_item
from academy.orgs.forms import InvitationForm

bp = Blueprint("orgs", __name__, template_folder="templates", url_prefix="/organisations")

register_nav_item(
    "orgs.my_organisations",
    _l("My organisations"),
    lambda user: user.is_authenticated and user.has_role(Role.ORG_ADMIN),
    order=80,
)


@rule("organisation.manage")
def _can_manage_organisation(user, organisation: Organisation) -> bool:
    return user.has_role(Role.ORG_ADMIN, organisation=organisation)


def get_organisation_or_404(slug: str, require_action: str | None = None) -> Organisation:
    organisation = queries.get_organisation_by_slug(slug)
    if organisation is None:
        abort(404)
    if require_action:
        require(can(current_user, require_action, organisation))
    return organisation


def _get_child_or_404(model, child_id: int, organisation: Organisation):
    child = db.session.get(model, child_id)
    if child is None or child.organisation_id != organisation.id:
        abort(404)
    return child


@bp.route("/")
@require_role(Role.ORG_ADMIN)
def my_organisations():
    if current_user.is_site_admin:
        organisations = queries.list_organisations()
    else:
        organisations = sorted(
            current_user.organisations_with_role(Role.ORG_ADMIN), key=lambda org: org.name
        )
    if len(organisations) == 1:
        return redirect(url_for("orgs.show_organisation", slug=organisations[0].slug))
    return render_template(
        "orgs/list.html", organisations=organisations, kind_label=operations.kind_label
    )


@bp.route("/<slug>")
@require_role(Role.ORG_ADMIN)
def show_organisation(slug: str):
    organisation = get_organisation_or_404(slug, "organisation.manage")
    return _render_organisation(organisation, InvitationForm())


def _render_organisation(organisation: Organisation, form: InvitationForm, status: int = 200):
    counts = dict(
        db.session.execute(
            sa.select(Membership.role, sa.func.count())
            .where(Membership.organisation_id == organisation.id)
            .group_by(Membership.role)
        ).all()
    )
    return render_template(
        "orgs/show.html",
        organisation=organisation,
        members=queries.organisation_members(organisation),
        invitations=queries.pending_invitations(organisation),
        form=form,
        action_form=ConfirmForm(),
        counts=counts,
        role_label=operations.role_label,
        kind_label=operations.kind_label,
    ), status


@bp.route("/<slug>/audit")
@require_role(Role.ORG_ADMIN)
def show_audit_log(slug: str):
    """The audit rows about this organisation: roles, edits, certificates, keys."""
    organisation = get_organisation_or_404(slug, "organisation.manage")
    return audit_views.render_events(
        audit_views.filter_from_request(organisation.id),
        list_endpoint="orgs.show_audit_log",
        export_endpoint="orgs.export_audit_log",
        endpoint_args={"slug": organisation.slug},
        organisation=organisation,
    )


@bp.route("/<slug>/audit.csv")
@require_role(Role.ORG_ADMIN)
def export_audit_log(slug: str):
    organisation = get_organisation_or_404(slug, "organisation.manage")
    return audit_views.export_response(
        audit_views.filter_from_request(organisation.id), f"audit-log-{organisation.slug}.csv"
    )


@bp.route("/<slug>/invitations", methods=["POST"])
@require_role(Role.ORG_ADMIN)
def invite_member(slug: str):
    organisation = get_organisation_or_404(slug, "organisation.manage")
    confirm_recent_authentication()
    form = InvitationForm()
    if form.validate_on_submit():
        repeat = repeat_of(form)
        if repeat is not None:
            return repeat
        try:
            invitation = operations.invite_member(
                organisation, required(form.email.data), required(form.role.data), current_user
            )
        except OperationError as error:
            show_operation_error(form, error)
        else:
            flash(_("Invitation sent to %(email)s.", email=invitation.email), "success")
            return made(form, url_for("orgs.show_organisation", slug=slug))
    return _render_organisation(organisation, form, status=400)


@bp.route("/<slug>/invitations/<int:invitation_id>/revoke", methods=["POST"])
@require_role(Role.ORG_ADMIN)
def revoke_invitation(slug: str, invitation_id: int):
    organisation = get_organisation_or_404(slug, "organisation.manage")
    invitation = _get_child_or_404(Invitation, invitation_id, organisation)
    if ConfirmForm().validate_on_submit():
        try:
            operations.revoke_invitation(invitation)
        except OperationError as error:
            flash(str(error.message), "error")
        else:
            flash(
                _("The invitation to %(email)s was withdrawn.", email=invitation.email), "success"
            )
    return redirect(url_for("orgs.show_organisation", slug=slug))


@bp.route("/<slug>/memberships/<int:membership_id>/remove", methods=["POST"])
@require_role(Role.ORG_ADMIN)
def remove_membership(slug: str, membership_id: int):
    organisation = get_organisation_or_404(slug, "organisation.manage")
    confirm_recent_authentication()
    membership = _get_child_or_404(Membership, membership_id, organisation)
    if ConfirmForm().validate_on_submit():
        try:
            operations.remove_membership(membership, current_user)
        except OperationError as error:
            flash(str(error.message), "error")
        else:
            flash(_("The membership was removed."), "success")
    return redirect(url_for("orgs.show_organisation", slug=slug))
