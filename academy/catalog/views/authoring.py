"""Writing courses together: the course workspace, drafts, pictures, the team."""

from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from academy.auth import queries as auth_queries
from academy.auth.models import Role
from academy.auth.permissions import can, login_required, require, require_role
from academy.catalog import operations, queries
from academy.catalog.forms import (
    KIND_LABELS,
    TEAM_ROLE_LABELS,
    AssetForm,
    CourseSettingsForm,
    DraftForm,
    LessonSettingsForm,
    ModuleForm,
    ModuleSettingsForm,
    NewCourseForm,
    NewLessonForm,
    PartnerForm,
    TeamMemberForm,
)
from academy.catalog.models import Course, CourseAsset, Lesson, RevisionStatus
from academy.catalog.views import asset_resolver, bp, get_course_or_404, get_lesson_or_404
from academy.db import db
from academy.errors import OperationError
from academy.forms import (
    ConfirmForm,
    made,
    prefix_field_ids,
    repeat_of,
    required,
    show_operation_error,
)
from academy.markdown import render_markdown

AUTHOR_ROLES = (Role.TEACHER, Role.MENTOR, Role.ORG_ADMIN)


@bp.route("/authoring")
@require_role(*AUTHOR_ROLES)
def authoring_home():
    return _render_home(NewCourseForm())


def _render_home(form: NewCourseForm, status: int = 200):
    return render_template(
        "catalog/authoring_home.html",
        courses=queries.courses_of(current_user),
        proposals=queries.review_queue(current_user),
        form=form,
        team_role_labels=TEAM_ROLE_LABELS,
    ), status


@bp.route("/authoring/courses", methods=["POST"])
@require_role(*AUTHOR_ROLES)
def create_course():
    form = NewCourseForm()
    if form.validate_on_submit():
        repeat = repeat_of(form)
        if repeat is not None:
            return repeat
        schools = [m.organisation for m in current_user.memberships if m.role in AUTHOR_ROLES]
        try:
            course = operations.create_course(
                current_user,
                slug=required(form.slug.data),
                title=required(form.title.data),
                title_zh=form.title_zh.data or "",
                lead_organisation=schools[0] if schools else None,
            )
        except OperationError as error:
            show_operation_error(form, error)
        else:
            flash(_("Course created. Add modules and lessons, then publish them."), "success")
            return made(form, url_for("catalog.edit_course", slug=course.slug))
    return _render_home(form, 400)


def _workspace(course: Course, status: int = 200, **forms):
    settings = forms.get("settings") or CourseSettingsForm(
        formdata=None, obj=course, tags=", ".join(course.tags), level=course.level.value
    )
    partner_form = forms.get("partner") or PartnerForm()
    taken = {p.organisation_id for p in course.partners}
    partner_form.organisation.choices = [
        (org.id, org.name) for org in auth_queries.list_organisations() if org.id not in taken
    ]
    lesson_form = forms.get("lesson") or NewLessonForm()
    lesson_form.module.choices = [(m.id, m.title) for m in course.modules]
    drafts = {}
    for lesson in course.lessons:
        drafts[lesson.id] = [
            revision
            for revision in lesson.revisions
            if revision.status
            in (RevisionStatus.DRAFT, RevisionStatus.PROPOSED, RevisionStatus.RETURNED)
        ]
    assets = (
        db.session.query(CourseAsset)
        .filter_by(course_id=course.id)
        .order_by(CourseAsset.filename)
        .all()
    )
    # Several forms share field names ("slug", "title"): their ids get a prefix each.
    return render_template(
        "catalog/authoring_course.html",
        course=course,
        settings_form=prefix_field_ids(settings, "settings"),
        team_form=prefix_field_ids(forms.get("team") or TeamMemberForm(), "team"),
        partner_form=prefix_field_ids(partner_form, "partner"),
        module_form=prefix_field_ids(forms.get("module") or ModuleForm(), "module"),
        lesson_form=prefix_field_ids(lesson_form, "lesson"),
        asset_form=prefix_field_ids(forms.get("asset") or AssetForm(), "asset"),
        action_form=ConfirmForm(),
        drafts=drafts,
        assets=assets,
        kind_labels=KIND_LABELS,
        team_role_labels=TEAM_ROLE_LABELS,
        can_manage=can(current_user, "course.manage", course),
        can_edit=can(current_user, "course.edit", course),
    ), status


def _team_course(slug: str, action: str = "course.view") -> Course:
    course = get_course_or_404(slug)
    require(course.team_role(current_user) is not None or current_user.is_site_admin)
    require(can(current_user, action, course))
    return course


@bp.route("/authoring/courses/<slug>", methods=["GET", "POST"])
@login_required
def edit_course(slug: str):
    course = _team_course(slug)
    if request.method == "GET":
        return _workspace(course)
    require(can(current_user, "course.manage", course))
    form = CourseSettingsForm()
    if form.validate_on_submit():
        try:
            operations.update_course(
                course,
                title=form.title.data,
                title_zh=form.title_zh.data or "",
                summary=form.summary.data or "",
                summary_zh=form.summary_zh.data or "",
                level=form.level.data,
                tags=[
                    tag.strip().lower() for tag in (form.tags.data or "").split(",") if tag.strip()
                ],
                is_open=form.is_open.data,
                allow_self_approval=form.allow_self_approval.data,
            )
            operations.set_listed(course, form.is_listed.data)
        except OperationError as error:
            show_operation_error(form, error)
        else:
            flash(_("The course settings have been saved."), "success")
            return redirect(url_for("catalog.edit_course", slug=slug))
    return _workspace(course, 400, settings=form)


@bp.route("/authoring/courses/<slug>/team", methods=["POST"])
@login_required
def add_team_member(slug: str):
    course = _team_course(slug, "course.manage")
    form = TeamMemberForm()
    if form.validate_on_submit():
        user = auth_queries.get_user_by_email(required(form.email.data).lower())
        if user is None:
            form.email.errors = [
                _(
                    "Nobody has an account with this address. Invite them to their organisation first."
                )
            ]
        else:
            try:
                operations.set_team_member(course, user, form.role.data)
            except OperationError as error:
                show_operation_error(form, error)
            else:
                flash(_("%(name)s is now on the course team.", name=user.display_name), "success")
                return redirect(url_for("catalog.edit_course", slug=slug))
    return _workspace(course, 400, team=form)


@bp.route("/authoring/courses/<slug>/team/<int:member_id>/remove", methods=["POST"])
@login_required
def remove_team_member(slug: str, member_id: int):
    course = _team_course(slug, "course.manage")
    member = next((m for m in course.team if m.id == member_id), None)
    if member is None:
        return redirect(url_for("catalog.edit_course", slug=slug))
    if ConfirmForm().validate_on_submit():
        try:
            operations.remove_team_member(course, member)
        except OperationError as error:
            flash(str(error.message), "error")
    return redirect(url_for("catalog.edit_course", slug=slug))


@bp.route("/authoring/courses/<slug>/partners", methods=["POST"])
@login_required
def add_partner(slug: str):
    course = _team_course(slug, "course.manage")
    form = PartnerForm()
    form.organisation.choices = [(org.id, org.name) for org in auth_queries.list_organisations()]
    if form.validate_on_submit():
        organisation = next(
            org for org in auth_queries.list_organisations() if org.id == form.organisation.data
        )
        try:
            operations.add_partner(
                course, organisation, form.contribution.data or "", form.contribution_zh.data or ""
            )
        except OperationError as error:
            show_operation_error(form, error)
        else:
            flash(
                _(
                    "%(organisation)s is now a partner of the course.",
                    organisation=organisation.name,
                ),
                "success",
            )
            return redirect(url_for("catalog.edit_course", slug=slug))
    return _workspace(course, 400, partner=form)


@bp.route("/authoring/courses/<slug>/modules", methods=["POST"])
@login_required
def add_module(slug: str):
    course = _team_course(slug, "course.manage")
    form = ModuleForm()
    if form.validate_on_submit():
        repeat = repeat_of(form)
        if repeat is not None:
            return repeat
        try:
            operations.add_module(
                course,
                slug=required(form.slug.data),
                title=required(form.title.data),
                title_zh=form.title_zh.data or "",
            )
        except OperationError as error:
            show_operation_error(form, error)
        else:
            flash(_("Module added."), "success")
            return made(form, url_for("catalog.edit_course", slug=slug))
    return _workspace(course, 400, module=form)


@bp.route("/authoring/courses/<slug>/modules/<module_slug>", methods=["GET", "POST"])
@login_required
def edit_module(slug: str, module_slug: str):
    course = _team_course(slug, "course.manage")
    module = next((m for m in course.modules if m.slug == module_slug), None)
    if module is None:
        abort(404)
    if request.method == "GET":
        form = ModuleSettingsForm(
            formdata=None, obj=module, position=course.modules.index(module) + 1
        )
    else:
        form = ModuleSettingsForm()
    if form.validate_on_submit():
        try:
            operations.update_module(
                module,
                position=required(form.position.data),
                title=form.title.data,
                title_zh=form.title_zh.data or "",
                summary=form.summary.data or "",
                summary_zh=form.summary_zh.data or "",
                is_required=form.is_required.data,
                release_date=form.release_date.data,
            )
        except OperationError as error:
            show_operation_error(form, error)
        else:
            flash(_("The module has been saved."), "success")
            return redirect(url_for("catalog.edit_course", slug=slug))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "catalog/authoring_module.html", course=course, module=module, form=form
    ), status


@bp.route("/authoring/courses/<slug>/lessons", methods=["POST"])
@login_required
def add_lesson(slug: str):
    course = _team_course(slug, "course.edit")
    form = NewLessonForm()
    form.module.choices = [(m.id, m.title) for m in course.modules]
    if form.validate_on_submit():
        repeat = repeat_of(form)
        if repeat is not None:
            return repeat
        module = next(m for m in course.modules if m.id == form.module.data)
        try:
            lesson = operations.add_lesson(
                module,
                current_user,
                slug=required(form.slug.data),
                title=required(form.title.data),
                kind=form.kind.data,
                duration_minutes=required(form.duration_minutes.data),
            )
        except OperationError as error:
            show_operation_error(form, error)
        else:
            flash(_("Lesson added. Write its first draft."), "success")
            return made(form, url_for("catalog.edit_lesson", slug=slug, lesson_slug=lesson.slug))
    return _workspace(course, 400, lesson=form)


@bp.route("/authoring/courses/<slug>/assets", methods=["POST"])
@login_required
def upload_asset(slug: str):
    course = _team_course(slug, "course.edit")
    form = AssetForm()
    if form.validate_on_submit():
        upload = form.file.data
        data = upload.read()
        upload.close()  # large uploads are spooled to a temporary file
        try:
            asset = operations.upload_asset(
                course, current_user, upload.filename or "", upload.mimetype, data
            )
        except OperationError as error:
            show_operation_error(form, error)
        else:
            flash(
                _(
                    "Picture uploaded. Use it as ![description](images/%(name)s)",
                    name=asset.filename,
                ),
                "success",
            )
            return redirect(url_for("catalog.edit_course", slug=slug))
    return _workspace(course, 400, asset=form)


def _editor(course: Course, lesson: Lesson, form: DraftForm, status: int = 200, preview=None):
    draft = queries.open_draft(lesson, current_user)
    settings_form = LessonSettingsForm(formdata=None, obj=lesson)
    settings_form.prerequisite.choices = [("", _("None"))] + [
        (other.path, other.published_revision.title if other.published_revision else other.slug)
        for other in course.lessons
        if other.id != lesson.id
    ]
    settings_form.prerequisite.data = lesson.prerequisite or ""
    return render_template(
        "catalog/authoring_lesson.html",
        course=course,
        lesson=lesson,
        form=form,
        draft=draft,
        settings_form=settings_form,
        preview=preview,
        kind_labels=KIND_LABELS,
        can_manage=can(current_user, "course.manage", course),
        proposals=[r for r in lesson.revisions if r.status == RevisionStatus.PROPOSED],
    ), status


@bp.route("/authoring/courses/<slug>/lessons/<lesson_slug>/edit", methods=["GET", "POST"])
@login_required
def edit_lesson(slug: str, lesson_slug: str):
    course = _team_course(slug, "course.edit")
    lesson = get_lesson_or_404(course, lesson_slug)
    draft = queries.open_draft(lesson, current_user)
    if request.method == "GET":
        source = draft or lesson.published_revision
        form = DraftForm(formdata=None, obj=source)
        if draft is None:
            form.message.data = ""
        return _editor(course, lesson, form)
    form = DraftForm()
    if not form.validate_on_submit():
        return _editor(course, lesson, form, 400)
    action = request.form.get("action", "save")
    if action == "preview":
        preview = {
            "body": render_markdown(form.body.data or "", asset_resolver(course)),
            "body_zh": render_markdown(form.body_zh.data or "", asset_resolver(course)),
        }
        return _editor(course, lesson, form, preview=preview)
    try:
        revision = operations.save_draft(
            lesson,
            current_user,
            title=required(form.title.data),
            title_zh=form.title_zh.data or "",
            body=form.body.data or "",
            body_zh=form.body_zh.data or "",
            message=form.message.data or "",
        )
        if action == "propose":
            operations.propose_revision(revision, current_user)
    except OperationError as error:
        show_operation_error(form, error)
        return _editor(course, lesson, form, 400)
    if action == "propose":
        flash(_("Your change has been sent to the course's reviewers."), "success")
        return redirect(url_for("catalog.lesson_history", slug=slug, lesson_slug=lesson_slug))
    flash(_("Draft saved. Only the course team can see it."), "success")
    return redirect(url_for("catalog.edit_lesson", slug=slug, lesson_slug=lesson_slug))


@bp.route("/authoring/courses/<slug>/lessons/<lesson_slug>/settings", methods=["POST"])
@login_required
def lesson_settings(slug: str, lesson_slug: str):
    course = _team_course(slug, "course.manage")
    lesson = get_lesson_or_404(course, lesson_slug)
    form = LessonSettingsForm()
    form.prerequisite.choices = [("", "")] + [
        (o.path, o.slug) for o in course.lessons if o.id != lesson.id
    ]
    if form.validate_on_submit():
        operations.update_lesson_settings(
            lesson,
            duration_minutes=form.duration_minutes.data,
            is_required=form.is_required.data,
            release_date=form.release_date.data,
            prerequisite=form.prerequisite.data or None,
        )
        flash(_("The lesson settings have been saved."), "success")
    else:
        for errors in form.errors.values():
            flash(" ".join(str(message) for message in errors), "error")
    return redirect(url_for("catalog.edit_lesson", slug=slug, lesson_slug=lesson_slug))


@bp.route("/authoring/preview", methods=["POST"])
@login_required
def preview_markdown():
    """Render Markdown for the editor's live preview (JSON; CSRF header required)."""
    require(current_user.is_site_admin or current_user.has_role(*AUTHOR_ROLES))
    text = request.get_json(silent=True) or {}
    body = text.get("body") if isinstance(text, dict) else None
    if not isinstance(body, str) or len(body) > 200_000:
        return jsonify(
            type="about:blank",
            title="Bad request",
            status=400,
            code="invalid_body",
            detail="Send a JSON object with a 'body' text.",
        ), 400
    course = queries.get_course_by_slug(str(text.get("course", "")))
    resolver = (
        asset_resolver(course)
        if course is not None and can(current_user, "course.edit", course)
        else None
    )
    return jsonify(html=str(render_markdown(body, resolver)))
