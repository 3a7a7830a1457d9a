"""Pages of the gradebook (teachers) and of a student's own grades."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from academy.assessment import gradebook
from academy.assessment.views import bp
from academy.auth.models import Role
from academy.auth.permissions import can, login_required, require, require_role
from academy.catalog.forms import KIND_LABELS
from academy.csv import csv_response
from academy.db import db
from academy.exports.operations import is_large
from academy.exports.views import export_later
from academy.forms import ConfirmForm
from academy.learning.models import SchoolClass
from academy.learning.queries import class_size


def get_taught_class_or_404(class_id: int) -> SchoolClass:
    school_class = db.session.get(SchoolClass, class_id)
    if school_class is None:
        abort(404)
    require(can(current_user, "class.teach", school_class))
    return school_class


@bp.route("/classes/<int:class_id>/gradebook")
@require_role(Role.TEACHER, Role.ORG_ADMIN)
def show_gradebook(class_id: int):
    school_class = get_taught_class_or_404(class_id)
    book = gradebook.build_gradebook(school_class)
    status = request.args.get("status") or None
    search = (request.args.get("q") or "").strip() or None
    return render_template(
        "assessment/gradebook.html",
        book=book,
        rows=gradebook.filter_rows(book, status, search),
        filters={"status": status, "q": search or ""},
        kind_labels=KIND_LABELS,
    )


@bp.route("/classes/<int:class_id>/gradebook.csv")
@require_role(Role.TEACHER, Role.ORG_ADMIN)
def export_gradebook(class_id: int):
    school_class = get_taught_class_or_404(class_id)
    filename = f"gradebook-{school_class.id}.csv"
    if is_large(class_size(school_class)):
        return export_later(
            "gradebook",
            {"class_id": school_class.id},
            title=_("Gradebook · %(name)s", name=school_class.name),
            filename=filename,
        )
    book = gradebook.build_gradebook(school_class)
    return csv_response(gradebook.gradebook_csv(book), filename)


MAX_MARKS_FILE_BYTES = 2_000_000


@bp.route("/classes/<int:class_id>/gradebook/import", methods=["GET", "POST"])
@require_role(Role.TEACHER, Role.ORG_ADMIN)
def import_gradebook(class_id: int):
    school_class = get_taught_class_or_404(class_id)
    form = ConfirmForm()
    problems = []
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        upload = request.files.get("upload")
        text = request.form.get("text", "")
        if upload and upload.filename:
            data = upload.read(MAX_MARKS_FILE_BYTES + 1)
            try:
                text = "" if len(data) > MAX_MARKS_FILE_BYTES else data.decode("utf-8-sig")
            except UnicodeDecodeError:
                text = ""
                problems = [gradebook.CsvProblem(1, _("The file is not UTF-8 text."))]
            if len(data) > MAX_MARKS_FILE_BYTES:
                problems = [gradebook.CsvProblem(1, _("The file is larger than 2 MB."))]
        if text.strip() and not problems:
            try:
                changed = gradebook.import_offline_marks(school_class, text, current_user)
            except gradebook.GradebookImportError as error:
                db.session.rollback()
                problems = error.problems
            else:
                flash(_("%(n)s marks imported.", n=changed), "success")
                return redirect(url_for("assessment.show_gradebook", class_id=school_class.id))
        elif not problems:
            problems = [gradebook.CsvProblem(1, _("Paste the marks or choose a file."))]
    return render_template(
        "assessment/gradebook_import.html",
        school_class=school_class,
        form=form,
        problems=problems,
    ), (422 if problems else 200)


@bp.route("/grades")
@login_required
def my_grades():
    return render_template(
        "assessment/grades.html",
        report=gradebook.student_report(current_user),
        kind_labels=KIND_LABELS,
    )
