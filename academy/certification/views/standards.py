"""Association admins: import a shipped standard file, read a standard."""

from __future__ import annotations

from pathlib import Path

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from academy import PACKAGE_DIR
from academy.auth.models import Role
from academy.auth.permissions import require_role
from academy.certification import queries
from academy.certification.forms import ImportStandardForm
from academy.certification.standards.file import STANDARD_FILE, read_standard
from academy.certification.standards.operations import import_standard
from academy.certification.views import bp, get_standard_or_404
from academy.errors import OperationError
from academy.forms import show_operation_error


def standards_dir() -> Path:
    return Path(current_app.config.get("STANDARDS_DIR") or PACKAGE_DIR.parent / "standards")


def _folders() -> list[str]:
    root = standards_dir()
    return (
        sorted(path.parent.name for path in root.glob(f"*/{STANDARD_FILE}"))
        if root.is_dir()
        else []
    )


@bp.route("/standards", methods=["GET", "POST"])
@require_role(Role.ORG_ADMIN)
def import_standard_file():
    associations = queries.associations_of(current_user, Role.ORG_ADMIN)
    form = ImportStandardForm()
    form.folder.choices = [(name, name) for name in _folders()]
    if associations and form.validate_on_submit():
        file = read_standard(standards_dir() / form.folder.data)
        if file.problems:
            form.folder.errors = [*form.folder.errors, *file.problems]
        else:
            try:
                done = import_standard(associations[0], file, current_user)
            except OperationError as error:
                show_operation_error(form, error)
            else:
                if done.is_new_version:
                    flash(
                        _(
                            "Version %(version)s of the standard is imported.",
                            version=done.standard.version,
                        ),
                        "success",
                    )
                else:
                    flash(
                        _("The standard is unchanged; its question bank is up to date."), "success"
                    )
                return redirect(
                    url_for("certification.show_standard", standard_id=done.standard.id)
                )
    return render_template(
        "certification/standards.html",
        form=form,
        associations=associations,
        standards=queries.standards_of(associations),
    )


@bp.route("/standards/<int:standard_id>")
@require_role(Role.ORG_ADMIN)
def show_standard(standard_id: int):
    standard = get_standard_or_404(standard_id)
    return render_template("certification/standard.html", standard=standard)
