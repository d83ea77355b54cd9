"""tables by participant category

Revision ID: 0017_category_tables
Revises: 0016_results_certificates

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017_category_tables'
down_revision = '0016_results_certificates'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('contests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tables', sa.JSON(), nullable=True))

    with op.batch_alter_table('ranking_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('table_key', sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column('table_rank', sa.Integer(), nullable=True))



def downgrade():
    with op.batch_alter_table('ranking_entries', schema=None) as batch_op:
        batch_op.drop_column('table_rank')
        batch_op.drop_column('table_key')

    with op.batch_alter_table('contests', schema=None) as batch_op:
        batch_op.drop_column('tables')

