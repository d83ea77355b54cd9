"""one person across accounts: a deleted account's keyed phone hash; the unit an approval was given for

Revision ID: 0023_one_person
Revises: 0022_round_pools

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0023_one_person'
down_revision = '0022_round_pools'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('person_key', sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f('ix_users_person_key'), ['person_key'], unique=False)
    with op.batch_alter_table('join_requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('decided_for_unit_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_join_requests_decided_for_unit_id_units'), 'units', ['decided_for_unit_id'], ['id'],
            ondelete='SET NULL',
        )


def downgrade():
    with op.batch_alter_table('join_requests', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_join_requests_decided_for_unit_id_units'), type_='foreignkey')
        batch_op.drop_column('decided_for_unit_id')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_person_key'))
        batch_op.drop_column('person_key')
