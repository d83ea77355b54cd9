"""audit entries of commands run on the server

Revision ID: 0011_audit_cli_user
Revises: 0010_registration_origin

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011_audit_cli_user'
down_revision = '0010_registration_origin'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cli_user', sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_column('cli_user')
