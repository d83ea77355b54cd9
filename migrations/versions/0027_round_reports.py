"""the integrity flags and question analysis of a round, computed once (by the worker for a large round) and kept

Revision ID: 0027_round_reports
Revises: 0026_certificate_files

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0027_round_reports'
down_revision = '0026_certificate_files'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'round_reports',
        sa.Column('round_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('payload', sa.JSON(), nullable=True),
        sa.Column('computed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('requested_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('failures', sa.Integer(), server_default='0', nullable=False),
        sa.Column('error', sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ['round_id'], ['rounds.id'], name=op.f('fk_round_reports_round_id_rounds'), ondelete='CASCADE'
        ),
        sa.PrimaryKeyConstraint('round_id', 'kind', name=op.f('pk_round_reports')),
    )


def downgrade():
    op.drop_table('round_reports')
