"""practice (thi thử): each contest's practice bank (and since when a bank's key has been public), and what
signed-in people answered in practice

Revision ID: 0019_practice
Revises: 0018_user_search_name

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0019_practice'
down_revision = '0018_user_search_name'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('question_banks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('practice_since', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('contests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('practice_bank_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_contests_practice_bank_id_question_banks'), 'question_banks', ['practice_bank_id'], ['id'],
            ondelete='SET NULL',
        )
    op.create_table(
        'practice_answers',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('contest_id', sa.Integer(), nullable=False),
        sa.Column('question_id', sa.Integer(), nullable=False),
        sa.Column('set_seed', sa.String(length=16), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('topic', sa.String(length=200), nullable=False),
        sa.Column('correct', sa.Boolean(), nullable=False),
        sa.Column('answered_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['contest_id'], ['contests.id'], name=op.f('fk_practice_answers_contest_id_contests'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['question_id'], ['questions.id'],
                                name=op.f('fk_practice_answers_question_id_questions'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_practice_answers_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_practice_answers')),
        sa.UniqueConstraint('user_id', 'contest_id', 'set_seed', 'position',
                            name=op.f('uq_practice_answers_user_id_contest_id_set_seed_position')),
    )
    op.create_index(op.f('ix_practice_answers_user_id'), 'practice_answers', ['user_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_practice_answers_user_id'), table_name='practice_answers')
    op.drop_table('practice_answers')
    with op.batch_alter_table('contests', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_contests_practice_bank_id_question_banks'), type_='foreignkey')
        batch_op.drop_column('practice_bank_id')
    with op.batch_alter_table('question_banks', schema=None) as batch_op:
        batch_op.drop_column('practice_since')
