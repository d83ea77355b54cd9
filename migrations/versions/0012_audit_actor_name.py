"""audit entries keep the name of who acted, as it was then

Revision ID: 0012_audit_actor_name
Revises: 0011_audit_cli_user

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012_audit_actor_name'
down_revision = '0011_audit_cli_user'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('actor_name', sa.String(length=120), nullable=True))
    op.execute(
        "UPDATE audit_entries SET actor_name = (SELECT name FROM users WHERE users.id = audit_entries.user_id) "
        "WHERE user_id IS NOT NULL"
    )


def downgrade():
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_column('actor_name')
