"""an optional email for password resets; a contest's contact for help

Revision ID: 0025_reset_and_help
Revises: 0024_two_level_units

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0025_reset_and_help'
down_revision = '0024_two_level_units'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email', sa.String(length=254), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_users_email'), ['email'])
    with op.batch_alter_table('contests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('help_contact', sa.String(length=255), server_default='', nullable=False))


def downgrade():
    with op.batch_alter_table('contests', schema=None) as batch_op:
        batch_op.drop_column('help_contact')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_users_email'), type_='unique')
        batch_op.drop_column('email')
