"""certification: standards, programmes, sittings, marking, results; two new roles

Revision ID: x001
Revises: u003
Create Date: 2026-12-03 15:34:57.909908
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "x001"
down_revision = "u003"
branch_labels = None
# The candidates' theory attempts and the programmes' quizzes live in the assessment tables.
depends_on = "a002"


OLD_ROLES = ("student", "teacher", "mentor", "examiner", "org_admin")
NEW_ROLES = (
    "student",
    "teacher",
    "mentor",
    "examiner",
    "chief_examiner",
    "invigilator",
    "org_admin",
)


def _set_roles(roles: tuple[str, ...]) -> None:
    # The role columns are VARCHARs guarded by a CHECK listing the values; swap the CHECK.
    for table, name in (("memberships", "membership_role"), ("invitations", "invitation_role")):
        listed = ", ".join(f"'{role}'" for role in roles)
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f"ck_{table}_{name}"), type_="check")
            batch_op.create_check_constraint(name, sa.text(f"role IN ({listed})"))


def upgrade() -> None:
    _set_roles(NEW_ROLES)
    op.create_table(
        "certification_standards",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=80), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("title_zh", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("description_zh", sa.Text(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("imported_dt", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "version >= 1", name=op.f("ck_certification_standards_version_positive")
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_certification_standards_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certification_standards")),
        sa.UniqueConstraint(
            "organisation_id",
            "code",
            "version",
            name=op.f("uq_certification_standards_organisation_id_code_version"),
        ),
    )
    with op.batch_alter_table("certification_standards", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_certification_standards_organisation_id"),
            ["organisation_id"],
            unique=False,
        )

    op.create_table(
        "certification_standard_levels",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("standard_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("name_zh", sa.String(length=120), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("description_zh", sa.Text(), nullable=False),
        sa.Column("pass_percent", sa.Integer(), nullable=False),
        sa.Column("unit_pass_percent", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "pass_percent BETWEEN 0 AND 100",
            name=op.f("ck_certification_standard_levels_pass_percent_range"),
        ),
        sa.CheckConstraint(
            "unit_pass_percent BETWEEN 0 AND 100",
            name=op.f("ck_certification_standard_levels_unit_pass_percent_range"),
        ),
        sa.ForeignKeyConstraint(
            ["standard_id"],
            ["certification_standards.id"],
            name=op.f("fk_certification_standard_levels_standard_id_certification_standards"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certification_standard_levels")),
        sa.UniqueConstraint(
            "standard_id", "code", name=op.f("uq_certification_standard_levels_standard_id_code")
        ),
    )
    with op.batch_alter_table("certification_standard_levels", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_certification_standard_levels_standard_id"),
            ["standard_id"],
            unique=False,
        )

    op.create_table(
        "certification_standard_units",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("standard_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("title_zh", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("description_zh", sa.Text(), nullable=False),
        sa.Column("weights", sa.JSON(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("lessons", sa.JSON(), nullable=False),
        sa.Column("rubric", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["standard_id"],
            ["certification_standards.id"],
            name=op.f("fk_certification_standard_units_standard_id_certification_standards"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certification_standard_units")),
        sa.UniqueConstraint(
            "standard_id", "code", name=op.f("uq_certification_standard_units_standard_id_code")
        ),
    )
    with op.batch_alter_table("certification_standard_units", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_certification_standard_units_standard_id"), ["standard_id"], unique=False
        )

    op.create_table(
        "certification_programmes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("standard_id", sa.Integer(), nullable=False),
        sa.Column("level_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "published",
                name="programme_status",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("bank_id", sa.Integer(), nullable=True),
        sa.Column("theory_rules", sa.JSON(), nullable=False),
        sa.Column("theory_minutes", sa.Integer(), nullable=False),
        sa.Column("scenario", sa.String(length=80), nullable=False),
        sa.Column("seed", sa.BigInteger(), nullable=True),
        sa.Column("bots", sa.JSON(), nullable=False),
        sa.Column("practical_tasks", sa.JSON(), nullable=False),
        sa.Column("judged_parts", sa.JSON(), nullable=False),
        sa.Column("tolerance", sa.Integer(), nullable=False),
        sa.Column("quiz_id", sa.Integer(), nullable=True),
        sa.Column("created_dt", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_dt", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "theory_minutes >= 1", name=op.f("ck_certification_programmes_theory_minutes_positive")
        ),
        sa.CheckConstraint(
            "tolerance >= 0", name=op.f("ck_certification_programmes_tolerance_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["bank_id"],
            ["question_banks.id"],
            name=op.f("fk_certification_programmes_bank_id_question_banks"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["level_id"],
            ["certification_standard_levels.id"],
            name=op.f("fk_certification_programmes_level_id_certification_standard_levels"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_certification_programmes_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["quiz_id"],
            ["quizzes.id"],
            name=op.f("fk_certification_programmes_quiz_id_quizzes"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["standard_id"],
            ["certification_standards.id"],
            name=op.f("fk_certification_programmes_standard_id_certification_standards"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certification_programmes")),
    )
    with op.batch_alter_table("certification_programmes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_certification_programmes_organisation_id"),
            ["organisation_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_certification_programmes_standard_id"), ["standard_id"], unique=False
        )

    op.create_table(
        "certification_sittings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("starts_dt", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_dt", sa.DateTime(timezone=True), nullable=False),
        sa.Column("room", sa.String(length=200), nullable=False),
        sa.Column("seats", sa.Integer(), nullable=False),
        sa.Column("late_start_minutes", sa.Integer(), nullable=False),
        sa.Column("earliest_finish_minutes", sa.Integer(), nullable=False),
        sa.Column("is_self_registration", sa.Boolean(), nullable=False),
        sa.Column("eligibility", sa.JSON(), nullable=False),
        sa.Column("appeal_days", sa.Integer(), nullable=False),
        sa.Column("released_dt", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_dt", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "appeal_days >= 0", name=op.f("ck_certification_sittings_appeal_days_not_negative")
        ),
        sa.CheckConstraint(
            "earliest_finish_minutes >= 0",
            name=op.f("ck_certification_sittings_earliest_finish_not_negative"),
        ),
        sa.CheckConstraint(
            "ends_dt > starts_dt", name=op.f("ck_certification_sittings_ends_after_start")
        ),
        sa.CheckConstraint(
            "late_start_minutes >= 0",
            name=op.f("ck_certification_sittings_late_start_not_negative"),
        ),
        sa.CheckConstraint("seats >= 1", name=op.f("ck_certification_sittings_seats_positive")),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["certification_programmes.id"],
            name=op.f("fk_certification_sittings_programme_id_certification_programmes"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certification_sittings")),
    )
    with op.batch_alter_table("certification_sittings", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_certification_sittings_programme_id"), ["programme_id"], unique=False
        )

    op.create_table(
        "certification_candidates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sitting_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=True),
        sa.Column("number", sa.String(length=16), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "registered",
                "checked_in",
                "sitting",
                "finished",
                name="candidate_status",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("registered_by_id", sa.Integer(), nullable=True),
        sa.Column("registered_dt", sa.DateTime(timezone=True), nullable=False),
        sa.Column("extra_minutes", sa.Integer(), nullable=False),
        sa.Column("checked_in_dt", sa.DateTime(timezone=True), nullable=True),
        sa.Column("checked_in_by_id", sa.Integer(), nullable=True),
        sa.Column("seat_number", sa.String(length=16), nullable=False),
        sa.Column("started_dt", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deadline_dt", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_dt", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempt_id", sa.Integer(), nullable=True),
        sa.Column("market_id", sa.Integer(), nullable=True),
        sa.Column("session_key", sa.String(length=64), nullable=True),
        sa.Column("practical", sa.JSON(none_as_null=True), nullable=True),
        sa.CheckConstraint(
            "extra_minutes >= 0",
            name=op.f("ck_certification_candidates_extra_minutes_not_negative"),
        ),
        sa.ForeignKeyConstraint(
            ["attempt_id"],
            ["attempts.id"],
            name=op.f("fk_certification_candidates_attempt_id_attempts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["checked_in_by_id"],
            ["users.id"],
            name=op.f("fk_certification_candidates_checked_in_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["market_id"],
            ["sandbox_markets.id"],
            name=op.f("fk_certification_candidates_market_id_sandbox_markets"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["registered_by_id"],
            ["users.id"],
            name=op.f("fk_certification_candidates_registered_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["organisations.id"],
            name=op.f("fk_certification_candidates_school_id_organisations"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["sitting_id"],
            ["certification_sittings.id"],
            name=op.f("fk_certification_candidates_sitting_id_certification_sittings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_certification_candidates_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certification_candidates")),
        sa.UniqueConstraint("number", name=op.f("uq_certification_candidates_number")),
        sa.UniqueConstraint(
            "sitting_id", "user_id", name=op.f("uq_certification_candidates_sitting_id_user_id")
        ),
    )
    with op.batch_alter_table("certification_candidates", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_certification_candidates_school_id"), ["school_id"], unique=False
        )
        batch_op.create_index(
            "ix_certification_candidates_sitting_id_status", ["sitting_id", "status"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_certification_candidates_user_id"), ["user_id"], unique=False
        )

    op.create_table(
        "certification_appeals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "open",
                "remarked",
                "dismissed",
                name="appeal_status",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("lodged_dt", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_dt", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["certification_candidates.id"],
            name=op.f("fk_certification_appeals_candidate_id_certification_candidates"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["users.id"],
            name=op.f("fk_certification_appeals_decided_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certification_appeals")),
    )
    with op.batch_alter_table("certification_appeals", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_certification_appeals_candidate_id"), ["candidate_id"], unique=False
        )

    op.create_table(
        "certification_incidents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sitting_id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_dt", sa.DateTime(timezone=True), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["certification_candidates.id"],
            name=op.f("fk_certification_incidents_candidate_id_certification_candidates"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
            name=op.f("fk_certification_incidents_recorded_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["sitting_id"],
            ["certification_sittings.id"],
            name=op.f("fk_certification_incidents_sitting_id_certification_sittings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certification_incidents")),
    )
    with op.batch_alter_table("certification_incidents", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_certification_incidents_sitting_id"), ["sitting_id"], unique=False
        )

    op.create_table(
        "certification_judged_responses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("part_key", sa.String(length=40), nullable=False),
        sa.Column("unit_code", sa.String(length=40), nullable=False),
        sa.Column("max_marks", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("saved_dt", sa.DateTime(timezone=True), nullable=True),
        sa.Column("final_marks", sa.Integer(), nullable=True),
        sa.Column("needs_third_mark", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["certification_candidates.id"],
            name=op.f("fk_certification_judged_responses_candidate_id_certification_candidates"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certification_judged_responses")),
        sa.UniqueConstraint(
            "candidate_id",
            "part_key",
            name=op.f("uq_certification_judged_responses_candidate_id_part_key"),
        ),
    )
    op.create_table(
        "certification_results",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("parts", sa.JSON(), nullable=False),
        sa.Column("units", sa.JSON(), nullable=False),
        sa.Column("total_percent", sa.String(length=8), nullable=False),
        sa.Column("is_level_achieved", sa.Boolean(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("computed_dt", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["certification_candidates.id"],
            name=op.f("fk_certification_results_candidate_id_certification_candidates"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certification_results")),
        sa.UniqueConstraint("candidate_id", name=op.f("uq_certification_results_candidate_id")),
    )
    op.create_table(
        "certification_mark_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("marks", sa.Integer(), nullable=False),
        sa.Column(
            "rule",
            sa.Enum(
                "within_tolerance",
                "third_marker",
                "chief_examiner",
                "appeal_remark",
                name="mark_decision_rule",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_dt", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["users.id"],
            name=op.f("fk_certification_mark_decisions_decided_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["certification_judged_responses.id"],
            name=op.f("fk_certification_mark_decisions_response_id_certification_judged_responses"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certification_mark_decisions")),
    )
    with op.batch_alter_table("certification_mark_decisions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_certification_mark_decisions_response_id"), ["response_id"], unique=False
        )

    op.create_table(
        "certification_marks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("marker_id", sa.Integer(), nullable=True),
        sa.Column("marks", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("marked_dt", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("marks >= 0", name=op.f("ck_certification_marks_marks_not_negative")),
        sa.CheckConstraint("round >= 1", name=op.f("ck_certification_marks_round_positive")),
        sa.ForeignKeyConstraint(
            ["marker_id"],
            ["users.id"],
            name=op.f("fk_certification_marks_marker_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["certification_judged_responses.id"],
            name=op.f("fk_certification_marks_response_id_certification_judged_responses"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certification_marks")),
        sa.UniqueConstraint(
            "response_id", "round", name=op.f("uq_certification_marks_response_id_round")
        ),
    )
    with op.batch_alter_table("certification_marks", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_certification_marks_marker_id"), ["marker_id"], unique=False
        )


def downgrade() -> None:
    op.execute("DELETE FROM memberships WHERE role IN ('chief_examiner', 'invigilator')")
    op.execute("DELETE FROM invitations WHERE role IN ('chief_examiner', 'invigilator')")
    _set_roles(OLD_ROLES)
    with op.batch_alter_table("certification_marks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_certification_marks_marker_id"))

    op.drop_table("certification_marks")
    with op.batch_alter_table("certification_mark_decisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_certification_mark_decisions_response_id"))

    op.drop_table("certification_mark_decisions")
    op.drop_table("certification_results")
    op.drop_table("certification_judged_responses")
    with op.batch_alter_table("certification_incidents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_certification_incidents_sitting_id"))

    op.drop_table("certification_incidents")
    with op.batch_alter_table("certification_appeals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_certification_appeals_candidate_id"))

    op.drop_table("certification_appeals")
    with op.batch_alter_table("certification_candidates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_certification_candidates_user_id"))
        batch_op.drop_index("ix_certification_candidates_sitting_id_status")
        batch_op.drop_index(batch_op.f("ix_certification_candidates_school_id"))

    op.drop_table("certification_candidates")
    with op.batch_alter_table("certification_sittings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_certification_sittings_programme_id"))

    op.drop_table("certification_sittings")
    with op.batch_alter_table("certification_programmes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_certification_programmes_standard_id"))
        batch_op.drop_index(batch_op.f("ix_certification_programmes_organisation_id"))

    op.drop_table("certification_programmes")
    with op.batch_alter_table("certification_standard_units", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_certification_standard_units_standard_id"))

    op.drop_table("certification_standard_units")
    with op.batch_alter_table("certification_standard_levels", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_certification_standard_levels_standard_id"))

    op.drop_table("certification_standard_levels")
    with op.batch_alter_table("certification_standards", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_certification_standards_organisation_id"))

    op.drop_table("certification_standards")
