"""round pools: a round draws the bank's unrevealed questions, fixed at its first draw

Revision ID: 0022_round_pools
Revises: 0021_upload_reading

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0022_round_pools'
down_revision = '0021_upload_reading'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('rounds', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pool_fixed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('reuse_revealed', sa.Boolean(), server_default='0', nullable=False))
    op.create_table(
        'round_pool_questions',
        sa.Column('round_id', sa.Integer(), nullable=False),
        sa.Column('question_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ['round_id'], ['rounds.id'], name=op.f('fk_round_pool_questions_round_id_rounds'), ondelete='CASCADE'
        ),
        sa.ForeignKeyConstraint(
            ['question_id'], ['questions.id'], name=op.f('fk_round_pool_questions_question_id_questions'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('round_id', 'question_id', name=op.f('pk_round_pool_questions')),
    )


def downgrade():
    op.drop_table('round_pool_questions')
    with op.batch_alter_table('rounds', schema=None) as batch_op:
        batch_op.drop_column('reuse_revealed')
        batch_op.drop_column('pool_fixed_at')
