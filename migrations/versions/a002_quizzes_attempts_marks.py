"""quizzes, attempts, marks, offline marks and the mark audit log

Revision ID: a002
Revises: a001
Create Date: 2026-11-28 15:38:08.152923
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = 'a002'
down_revision = 'a001'
branch_labels = None
depends_on = 'c001'


def upgrade() -> None:
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source_file', sa.String(length=120), nullable=True))

    op.create_table('quizzes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('lesson_id', sa.Integer(), nullable=True),
    sa.Column('bank_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('question_keys', sa.JSON(), nullable=False),
    sa.Column('draw', sa.JSON(), nullable=False),
    sa.Column('pass_mark', sa.Double(), nullable=False),
    sa.Column('time_limit_minutes', sa.Integer(), nullable=True),
    sa.Column('max_attempts', sa.Integer(), nullable=True),
    sa.Column('grade_kept', sa.Enum('highest', 'last', 'average', name='grade_kept', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('is_shuffling_questions', sa.Boolean(), nullable=False),
    sa.Column('is_shuffling_options', sa.Boolean(), nullable=False),
    sa.Column('review', sa.Enum('after_submit', 'after_close', 'never', name='review_policy', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('open_dt', sa.DateTime(timezone=True), nullable=True),
    sa.Column('close_dt', sa.DateTime(timezone=True), nullable=True),
    sa.Column('is_anonymous_marking', sa.Boolean(), nullable=False),
    sa.Column('marks_released_dt', sa.DateTime(timezone=True), nullable=True),
    sa.Column('weight', sa.Double(), nullable=False),
    sa.CheckConstraint('pass_mark BETWEEN 0 AND 100', name=op.f('ck_quizzes_pass_mark_range')),
    sa.CheckConstraint('weight >= 0', name=op.f('ck_quizzes_weight_not_negative')),
    sa.ForeignKeyConstraint(['bank_id'], ['question_banks.id'], name=op.f('fk_quizzes_bank_id_question_banks'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['lesson_id'], ['lessons.id'], name=op.f('fk_quizzes_lesson_id_lessons'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quizzes')),
    sa.UniqueConstraint('lesson_id', name=op.f('uq_quizzes_lesson_id'))
    )
    with op.batch_alter_table('quizzes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quizzes_bank_id'), ['bank_id'], unique=False)

    op.create_table('attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('quiz_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('seed', sa.String(length=32), nullable=False),
    sa.Column('anonymous_code', sa.String(length=16), nullable=False),
    sa.Column('status', sa.Enum('in_progress', 'submitted', name='attempt_status', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('started_dt', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deadline_dt', sa.DateTime(timezone=True), nullable=True),
    sa.Column('saved_dt', sa.DateTime(timezone=True), nullable=True),
    sa.Column('submitted_dt', sa.DateTime(timezone=True), nullable=True),
    sa.Column('points', sa.Double(), nullable=True),
    sa.Column('max_points', sa.Double(), nullable=False),
    sa.Column('is_fully_marked', sa.Boolean(), nullable=False),
    sa.Column('has_manual_items', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['quiz_id'], ['quizzes.id'], name=op.f('fk_attempts_quiz_id_quizzes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_attempts_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attempts')),
    sa.UniqueConstraint('anonymous_code', name=op.f('uq_attempts_anonymous_code')),
    sa.UniqueConstraint('quiz_id', 'user_id', 'number', name=op.f('uq_attempts_quiz_id_user_id_number'))
    )
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.create_index('ix_attempts_quiz_id_status', ['quiz_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_attempts_user_id'), ['user_id'], unique=False)

    op.create_table('offline_marks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('class_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('quiz_id', sa.Integer(), nullable=False),
    sa.Column('percent', sa.Double(), nullable=False),
    sa.Column('entered_by_id', sa.Integer(), nullable=True),
    sa.Column('entered_dt', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('percent BETWEEN 0 AND 100', name=op.f('ck_offline_marks_percent_range')),
    sa.ForeignKeyConstraint(['class_id'], ['classes.id'], name=op.f('fk_offline_marks_class_id_classes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['entered_by_id'], ['users.id'], name=op.f('fk_offline_marks_entered_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['quiz_id'], ['quizzes.id'], name=op.f('fk_offline_marks_quiz_id_quizzes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_offline_marks_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_offline_marks')),
    sa.UniqueConstraint('class_id', 'user_id', 'quiz_id', name=op.f('uq_offline_marks_class_id_user_id_quiz_id'))
    )
    op.create_table('attempt_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('attempt_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('question_version_id', sa.Integer(), nullable=False),
    sa.Column('instance', sa.JSON(), nullable=False),
    sa.Column('response', sa.JSON(none_as_null=True), nullable=True),
    sa.Column('saved_dt', sa.DateTime(timezone=True), nullable=True),
    sa.Column('max_points', sa.Double(), nullable=False),
    sa.Column('auto_points', sa.Double(), nullable=True),
    sa.Column('points', sa.Double(), nullable=True),
    sa.Column('detail', sa.JSON(none_as_null=True), nullable=True),
    sa.Column('is_manual', sa.Boolean(), nullable=False),
    sa.Column('is_disputed', sa.Boolean(), nullable=False),
    sa.Column('dispute_note', sa.Text(), nullable=False),
    sa.Column('rubric_levels', sa.JSON(none_as_null=True), nullable=True),
    sa.Column('feedback', sa.Text(), nullable=False),
    sa.Column('marked_by_id', sa.Integer(), nullable=True),
    sa.Column('marked_dt', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['attempt_id'], ['attempts.id'], name=op.f('fk_attempt_items_attempt_id_attempts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['marked_by_id'], ['users.id'], name=op.f('fk_attempt_items_marked_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['question_version_id'], ['question_versions.id'], name=op.f('fk_attempt_items_question_version_id_question_versions'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attempt_items')),
    sa.UniqueConstraint('attempt_id', 'position', name=op.f('uq_attempt_items_attempt_id_position'))
    )
    with op.batch_alter_table('attempt_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attempt_items_question_version_id'), ['question_version_id'], unique=False)

    op.create_table('mark_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('attempt_item_id', sa.Integer(), nullable=True),
    sa.Column('offline_mark_id', sa.Integer(), nullable=True),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.Column('changed_dt', sa.DateTime(timezone=True), nullable=False),
    sa.Column('old_points', sa.Double(), nullable=True),
    sa.Column('new_points', sa.Double(), nullable=True),
    sa.Column('reason', sa.String(length=32), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.ForeignKeyConstraint(['attempt_item_id'], ['attempt_items.id'], name=op.f('fk_mark_changes_attempt_item_id_attempt_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['changed_by_id'], ['users.id'], name=op.f('fk_mark_changes_changed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['offline_mark_id'], ['offline_marks.id'], name=op.f('fk_mark_changes_offline_mark_id_offline_marks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mark_changes'))
    )
    with op.batch_alter_table('mark_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mark_changes_attempt_item_id'), ['attempt_item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mark_changes_offline_mark_id'), ['offline_mark_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('mark_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mark_changes_offline_mark_id'))
        batch_op.drop_index(batch_op.f('ix_mark_changes_attempt_item_id'))

    op.drop_table('mark_changes')
    with op.batch_alter_table('attempt_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attempt_items_question_version_id'))

    op.drop_table('attempt_items')
    op.drop_table('offline_marks')
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attempts_user_id'))
        batch_op.drop_index('ix_attempts_quiz_id_status')

    op.drop_table('attempts')
    with op.batch_alter_table('quizzes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quizzes_bank_id'))

    op.drop_table('quizzes')
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.drop_column('source_file')
